/* Backtrack's own script. htmx does the swapping; this file only adds what a phone user needs:
   a status message when a request fails, and focus moved to what was just swapped in. */
(function () {
  "use strict";

  function announce(message, kind) {
    var region = document.getElementById("status");
    if (!region) { return; }
    var p = document.createElement("p");
    p.className = "flash flash--" + (kind || "info");
    p.textContent = message;
    region.replaceChildren(p);
  }

  /* The scripts' words come from the page, in its language (<body data-script-words>, written
     by the server from the content catalogue): no script has words of its own. */
  var words = null;
  function word(key) {
    if (words === null) {
      try {
        words = JSON.parse(document.body.getAttribute("data-script-words") || "{}");
      } catch (error) { words = {}; }
    }
    var found = words[key];
    return typeof found === "string" ? found : "";
  }

  window.Backtrack = { announce: announce, word: word };

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 400 || status === 403) {
      announce(word("did_not_work"), "error");
    } else if (status === 404) {
      announce(word("item_gone"), "error");
    } else {
      announce(word("our_side"), "error");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    announce(word("offline"), "error");
  });

  /* The server names the region to focus after a swap (HX-Trigger-After-Settle), so keyboard and
     screen-reader users land on the result: an urgent message first, else the region itself. */
  document.addEventListener("focusregion", function (event) {
    var region = document.querySelector(event.detail.selector);
    if (!region) { return; }
    var target = region.querySelector("[role=alert]") || region;
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    /* Its start on screen (an urgent card taller than the phone shows its action first). */
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  });

  /* Show-password toggles and copy buttons: the buttons are hidden until this script runs, so
     nobody sees a control that cannot work. */
  function enhance(root) {
    root.querySelectorAll("[data-toggle-password]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-toggle-password"));
      if (!input) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.textContent = word(show ? "password_hide" : "password_show");
        button.setAttribute("aria-pressed", show ? "true" : "false");
      });
    });
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value || source.textContent).then(function () {
          announce(word("link_copied"));
        });
      });
    });
    /* A Print button (the exercise sheet): the browser's own print, which also saves a PDF. */
    root.querySelectorAll("[data-print]").forEach(function (button) {
      if (!window.print) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });

  /* Regions that refresh themselves (data-poll, e.g. the message thread) ask only while the tab
     is visible, and once at once when it becomes visible again. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (document.hidden && event.detail.elt.hasAttribute("data-poll") &&
        event.detail.requestConfig && event.detail.requestConfig.verb === "get") {
      event.preventDefault();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden || !window.htmx) { return; }
    document.querySelectorAll("[data-poll]").forEach(function (region) {
      window.htmx.trigger(region, "poll-now");
    });
  });

  /* "How to do it" on a row of Today: opening it fetches the steps in place of the row's link to
     them (one listener for every row: a row carries only the link, which works without script). */
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.matches || !details.matches("details.exercise__how") || !window.htmx) { return; }
    var guide = details.querySelector(".exercise__guide");
    var link = guide && guide.querySelector("a[data-guide]");
    if (!link || guide.hasAttribute("data-loading")) { return; }
    guide.setAttribute("data-loading", "");
    window.htmx.ajax("GET", link.getAttribute("href"), { source: guide, target: guide, swap: "outerHTML" })
      .then(function () { guide.removeAttribute("data-loading"); }, function () { guide.removeAttribute("data-loading"); });
  }, true);

  /* The service worker keeps the app shell for offline use (see /sw.js), and how to do each of
     the page's exercises ("How to do it" is fetched when a row opens): told their addresses once
     the page has loaded, it fetches those it does not have yet, so a row opens with no signal. */
  function keepGuides(registration) {
    var urls = Array.prototype.map.call(document.querySelectorAll(".exercise__guide a[data-guide]"), function (link) {
      return link.getAttribute("href");
    });
    if (urls.length && registration.active && navigator.onLine) {
      registration.active.postMessage({ type: "keep-guides", urls: urls });
    }
  }
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
      navigator.serviceWorker.ready.then(function (registration) {
        /* once the page is idle: what the patient does first goes first */
        (window.requestIdleCallback || setTimeout)(function () { keepGuides(registration); });
      });
    });
  }
})();

/* The menu strip on a phone scrolls sideways when the pages do not fit in one line: show the
   current page's item (without moving the page itself). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var strip = document.querySelector(".site-nav__main");
  var here = strip && strip.querySelector("[aria-current=page]");
  if (here && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = here.offsetLeft - (strip.clientWidth - here.offsetWidth) / 2;
  }
});
