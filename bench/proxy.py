"""nginx in front of one or more app hosts, on loopback, for the benchmark and the several-hosts test.

No fixed port and no "find a free port, then hope": the listening socket is bound here on port 0
and handed to nginx the way nginx hands sockets to a new binary on upgrade (the `NGINX`
environment variable names inherited descriptors; nginx logs "using inherited sockets"). nginx
runs in the foreground with its own configuration, `-p` prefix and temporary files in a folder of
the caller's, so it touches nothing of the system's nginx.

What the proxy does is what docs/deploying.md recommends: it buffers requests and responses (a slow
client never holds a sync gunicorn worker), compresses text responses when the client accepts gzip,
passes the client's address in `X-Forwarded-For` (the app trusts one hop with
`BACKTRACK_PROXY_FIX_X_FOR=1`), and spreads requests over the hosts round robin. A request may pin
a host with `X-Backtrack-Host: 0` (or 1, ...) — the tests use it to choose the host that serves
each step — and every response says which host served it in `X-Backtrack-Upstream`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.server import stop, wait_until_healthy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GZIP_TYPES = (
    "text/css text/plain application/javascript application/json application/manifest+json image/svg+xml"
)


def configuration(port: int, upstreams: Sequence[str], folder: Path, gzip: bool) -> str:
    hosts = [urllib.parse.urlsplit(url).netloc for url in upstreams]
    pool = "\n".join(f"        server {host};" for host in hosts)
    pins = "\n".join(f'        "{n}" http://{host};' for n, host in enumerate(hosts))
    return f"""
daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 64k;
    upstream backtrack {{
{pool}
    }}
    map $http_x_backtrack_host $backtrack_target {{
        default http://backtrack;
{pins}
    }}
    gzip {"on" if gzip else "off"};
    gzip_proxied any;
    gzip_vary on;
    gzip_min_length 256;
    gzip_types {GZIP_TYPES};
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass $backtrack_target;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering on;
            proxy_request_buffering on;
            add_header X-Backtrack-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@contextmanager
def nginx(upstreams: Sequence[str], folder: Path, gzip: bool = True, seconds: float = 10) -> Iterator[str]:
    """nginx proxying to `upstreams` (base URLs); yields its base URL once it answers /healthz."""
    folder.mkdir(parents=True, exist_ok=True)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port, fd = listener.getsockname()[1], listener.fileno()
        config = folder / "nginx.conf"
        config.write_text(configuration(port, upstreams, folder, gzip))
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(config)],
            pass_fds=(fd,),
            env={"NGINX": f"{fd};"},
            stderr=subprocess.DEVNULL,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process, seconds)
        yield base_url
    finally:
        stop(process)
