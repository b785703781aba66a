/* Keeps the daily log on the phone when there is no connection, shows the urgent message for a
   warning sign at once (the texts come from the page, written by the server), and sends kept logs
   when the connection returns. */
(function () {
  "use strict";
  var queue = window.BacktrackQueue;
  if (!queue || !window.indexedDB) { return; }

  function announce(message, kind) { window.Backtrack.announce(message, kind); }

  function clinicDay(form) {
    var match = (form.getAttribute("action") || "").match(/\/log\/(\d{4}-\d{2}-\d{2})/);
    if (match) { return match[1]; }
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: form.getAttribute("data-clinic-timezone") || undefined,
      year: "numeric", month: "2-digit", day: "2-digit"
    }).format(new Date());
  }

  function answered(form) {
    var pain = form.querySelector("input[name=back_pain]:checked");
    var warnings = form.querySelectorAll(".warnings input[type=checkbox]:checked");
    return Boolean(pain) && warnings.length > 0;
  }

  function keep(form) {
    if (!answered(form)) {
      announce(form.getAttribute("data-offline-incomplete"), "error");
      return;
    }
    var data = new FormData(form);
    var key = data.get("idempotency_key") || (self.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2));
    data.delete("csrf_token");
    data.delete("idempotency_key");
    var item = { key: String(key), day: clinicDay(form), fields: Array.from(data.entries()), savedAt: Date.now() };
    queue.add(item).then(function () {
      showKept(form, data);
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) { registration.sync.register("backtrack-send-logs").catch(function () {}); }
        });
      }
    }, function () {
      announce("This phone could not keep your log. Please try again when you are online.", "error");
    });
  }

  function showKept(form, data) {
    var kept = document.getElementById("offline-kept-template").content.cloneNode(true);
    var urgent = kept.querySelector("[data-urgent]");
    var flags = document.getElementById("offline-urgent-template").content;
    var anyEmergency = false;
    flags.querySelectorAll("[data-flag]").forEach(function (block) {
      if (data.get(block.getAttribute("data-flag")) === "y") {
        urgent.appendChild(block.cloneNode(true));
        anyEmergency = anyEmergency || block.getAttribute("data-urgency") === "emergency";
      }
    });
    if (!urgent.children.length) {
      urgent.remove();
    } else {
      var calls = flags.querySelector("[data-calls]").cloneNode(true);
      if (!anyEmergency) { calls.querySelector("[data-emergency-call]").remove(); }
      urgent.appendChild(calls);
    }
    form.replaceWith(kept);
    var focus = document.querySelector("#daily-log [role=alert], #daily-log [data-kept]");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form.log-form") && !navigator.onLine) {
      event.preventDefault();
      keep(form);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form.log-form")) { keep(form); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-offline-log]")) {
      event.preventDefault();
      keep(form);
    }
  }, true);

  function sent(results) {
    var delivered = results.filter(function (result) { return result.html !== undefined; });
    if (results.length && results[0].signedOut) {
      announce("Sign in to send the log kept on this phone.", "error");
      return;
    }
    if (!delivered.length) { return; }
    var region = document.getElementById("daily-log");
    var last = delivered[delivered.length - 1];
    if (region && window.htmx && region.querySelector("[data-kept]")) {
      htmx.swap(region, last.html, { swapStyle: "outerHTML" });
    }
    announce(delivered.length === 1 ? "Your log kept on this phone was sent." :
      delivered.length + " logs kept on this phone were sent.", "success");
  }

  function flush() {
    if (!navigator.onLine) { return; }
    queue.sendAll().then(sent, function () { /* still no connection: keep them for next time */ });
  }
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", flush);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "logs-sent" && event.data.count) {
        announce("Your log kept on this phone was sent.", "success");
      }
    });
  }

  /* Signing out clears this phone's storage: warn once while kept logs are still unsent. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.sign-out") || form.getAttribute("data-confirmed")) { return; }
    event.preventDefault();
    queue.count().then(function (pending) {
      if (!pending) { form.setAttribute("data-confirmed", "1"); form.submit(); return; }
      form.setAttribute("data-confirmed", "1");
      announce("A log kept on this phone has not been sent yet. Go online and wait until it is " +
        "sent. Tap Sign out again to sign out anyway: the kept log will be lost.", "error");
    }, function () { form.setAttribute("data-confirmed", "1"); form.submit(); });
  }, true);
})();
