/* Backtrack service worker, shell {{ version }}.
   Keeps only the app shell (our CSS and JS, icons, htmx, the offline page and the exercise
   drawings, the same for everyone): never a page or a fragment with anyone's data. Pages come from the network; without one, the offline page.
   The clinic's exercise photos are kept as they are first seen (a page shows them, or a row's
   steps kept below do), in a cache of
   their own that outlives shell updates: each address is the hash of its picture, so a kept photo
   never goes stale. How to do each exercise (Today fetches it when its row is opened) is the
   clinic's teaching material too: each one on a Today read online is kept (fetched once, in the
   background, after the page has loaded), asked for again first whenever it is opened with a
   network (a new version of the exercise shows at once), and answered from the cache without
   one. Signing out clears both with the rest (Clear-Site-Data). */
importScripts({{ queue_script|tojson }});

var CACHE = "backtrack-shell-{{ version }}";
var SHELL = {{ shell|tojson }};
var HTMX_URL = new URL({{ htmx_url|tojson }}, self.location.origin).href;
var OFFLINE_URL = {{ offline_url|tojson }};
var OFFLINE_PAGES = {{ offline_pages|tojson }};  /* language -> its offline page, all kept */
var LANGUAGE_KEY = "/offline?last-read";  /* the language of the page last read, kept in CACHE */
var PHOTOS = "backtrack-photos";
var PHOTO_PATH = {{ photo_path|tojson }};
var PHOTOS_KEPT = 60;
var GUIDES = "backtrack-guides";
var GUIDE_PATH = {{ guide_path|tojson }};  /* [before the item's number, after it] */
var GUIDES_KEPT = 60;
var GUIDE_WAIT_MS = 10000;  /* the longest one row's steps may take in the background */

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.concat([HTMX_URL]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("backtrack-") === 0 && key !== CACHE && key !== PHOTOS && key !== GUIDES;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      var language = response.headers.get("Content-Language");
      if (language && OFFLINE_PAGES[language]) {
        event.waitUntil(caches.open(CACHE).then(function (cache) {
          return cache.put(LANGUAGE_KEY, new Response(language));
        }));
      }
      return response;
    }).catch(offlinePage));
    return;
  }
  var url = new URL(request.url);
  var inShell = url.origin === self.location.origin ?
    SHELL.indexOf(url.pathname + url.search) !== -1 : url.href === HTMX_URL;
  if (inShell || url.href === HTMX_URL) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (url.origin === self.location.origin && url.pathname.indexOf(PHOTO_PATH) === 0 && !url.search) {
    event.respondWith(keptPhoto(request));
    return;
  }
  if (url.origin === self.location.origin && isGuide(url)) {
    event.respondWith(keptGuide(request));
  }
});

function isGuide(url) {
  var path = url.pathname;
  var middle = path.slice(GUIDE_PATH[0].length, path.length - GUIDE_PATH[1].length);
  return path.indexOf(GUIDE_PATH[0]) === 0 && path.slice(-GUIDE_PATH[1].length) === GUIDE_PATH[1] &&
    /^[0-9]+$/.test(middle);
}

/* Keep at most `most` answers in the cache: the oldest go first. */
function trim(cache, most) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - most)).map(function (key) {
      return cache.delete(key);
    }));
  });
}

function ignore() { return undefined; }  /* a cache that is full or gone: the answer still stands */

/* The page's exercises (app.js tells their addresses once Today has loaded): fetch, one after
   another, those not kept yet, as htmx asks for them, so each opens with no signal later. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep-guides" || !Array.isArray(data.urls)) { return; }
  event.waitUntil(keepMissingGuides(data.urls.slice(0, GUIDES_KEPT)));
});

function keepMissingGuides(urls) {
  return caches.open(GUIDES).then(function (cache) {
    return urls.reduce(function (previous, address) {
      return previous.then(function () {
        var url = new URL(String(address), self.location.origin);
        if (url.origin !== self.location.origin || !isGuide(url) || !self.navigator.onLine) { return undefined; }
        return keepGuide(cache, new Request(url.href, { headers: { "HX-Request": "true" }, credentials: "same-origin" }));
      });
    }, Promise.resolve()).then(function () { return trim(cache, GUIDES_KEPT); }).catch(ignore);
  });
}

/* One exercise's steps, kept if they were not, and the clinic's photo they show (a closed row
   does not load its picture, so it is fetched here to be there offline). */
function keepGuide(cache, request) {
  return cache.match(request).then(function (hit) {
    if (hit) { return hit; }
    var stop = new AbortController();  /* a fetch a failing network leaves hanging lets go in time */
    var timer = setTimeout(function () { stop.abort(); }, GUIDE_WAIT_MS);
    return fetch(request, { signal: stop.signal }).then(function (response) {
      if (!(response.ok && response.type === "basic" && !response.redirected)) { return null; }
      return cache.put(request, response.clone()).then(function () { return response; });
    }).finally(function () { clearTimeout(timer); });
  }).then(function (response) {
    return response ? response.text().then(keepPhotosIn) : undefined;
  }).catch(ignore);
}

var PHOTO_ADDRESSES = new RegExp(PHOTO_PATH.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&") + "[0-9a-f]{64}\\.[a-z]+", "g");

function keepPhotosIn(html) {
  var found = html.match(PHOTO_ADDRESSES) || [];
  return Promise.all(found.map(function (address) { return keptPhoto(new Request(address)); }));
}

/* How to do an exercise: from the network when there is one (kept as it comes), else as kept. */
function keptGuide(request) {
  return caches.open(GUIDES).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && response.type === "basic" && !response.redirected) {  /* not a sign-in page */
        cache.put(request, response.clone()).then(function () { return trim(cache, GUIDES_KEPT); }).catch(ignore);
      }
      return response;
    }).catch(function (error) {
      return cache.match(request).then(function (hit) {
        if (hit) { return hit; }
        throw error;
      });
    });
  });
}

/* The offline page in the language of the page last read (a language changed after this worker
   was installed included), else the installer's. */
function offlinePage() {
  return caches.match(LANGUAGE_KEY).then(function (kept) {
    return kept ? kept.text() : "";
  }).then(function (language) {
    return caches.match(OFFLINE_PAGES[language] || OFFLINE_URL);
  });
}

/* A photo from the cache, else from the network, kept when it came (a 404, a draft refused, is
   not kept). The oldest go first past PHOTOS_KEPT. */
function keptPhoto(request) {
  return caches.open(PHOTOS).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) { return hit; }
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") {
          var copy = response.clone();
          cache.put(request, copy).then(function () { return trim(cache, PHOTOS_KEPT); }).catch(ignore);
        }
        return response;
      });
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "backtrack-send-logs") { return; }
  event.waitUntil(self.BacktrackQueue.sendAll().then(function (results) {
    var count = results.filter(function (result) { return result.html !== undefined; }).length;
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ type: "logs-sent", count: count }); });
    });
  }));
});

/* Reminders (web push). The payload is only a title, a line and a path on this site: no health
   data ever travels in a notification. A tap opens (or focuses and moves) the app to that page. */
var ICON = {{ icon_url|tojson }};
/* The line shown when a push carries none, in the language of whoever installed this worker (the
   script is fetched again on each update check, so a change of language reaches it). */
var FALLBACK_LINE = {{ say(content.PUSH_FALLBACK)|tojson }};

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  var url = typeof data.url === "string" && data.url.charAt(0) === "/" && data.url.charAt(1) !== "/" ? data.url : "/";
  event.waitUntil(self.registration.showNotification(data.title || "Backtrack", {
    body: data.body || FALLBACK_LINE,
    icon: ICON,
    badge: ICON,
    tag: data.tag || "backtrack",
    data: { url: url }
  }));
});

/* Open the notification's page: move an open window of the app there, else open a new one. */
self.openFromNotification = function (notification) {
  notification.close();
  var target = new URL((notification.data && notification.data.url) || "/", self.location.origin).href;
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (clients) {
    var open = clients.filter(function (client) { return new URL(client.url).origin === self.location.origin; })[0];
    if (open) {
      return open.navigate(target).then(function (client) {
        return (client || open).focus().catch(function () { return client || open; });
      });
    }
    return self.clients.openWindow(target);
  });
};

self.addEventListener("notificationclick", function (event) {
  event.waitUntil(self.openFromNotification(event.notification));
});
