"""Draw the app icons (192 px, 512 px, and a 512 px maskable one) from our source drawing,
app/static/icons/icon.svg, with Debian's Chromium. Run after changing the drawing:

    .venv/bin/python scripts/make_icons.py

The maskable icon keeps the drawing inside the central 80 % "safe zone" on a full-bleed
background, so launchers can crop it to any shape.
"""

from __future__ import annotations

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "app" / "static" / "icons"
SOURCE = ICONS / "icon.svg"
BACKGROUND = "#0d5960"
TARGETS = [("icon-192.png", 192, False), ("icon-512.png", 512, False), ("icon-maskable-512.png", 512, True)]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def page_for(size: int, maskable: bool) -> str:
    svg = base64.b64encode(SOURCE.read_bytes()).decode()
    inner = round(size * 0.72) if maskable else size
    background = BACKGROUND if maskable else "transparent"
    return (
        "<!doctype html><html><body style='margin:0;display:grid;place-items:center;"
        f"width:{size}px;height:{size}px;background:{background}'>"
        f"<img src='data:image/svg+xml;base64,{svg}' width='{inner}' height='{inner}'></body></html>"
    )


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, size, maskable in TARGETS:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(page_for(size, maskable))
            page.screenshot(path=str(ICONS / name), omit_background=not maskable)
            page.close()
            print(f"wrote {name} ({size}x{size})")
        browser.close()


if __name__ == "__main__":
    main()
