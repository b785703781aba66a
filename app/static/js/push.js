/* Phone notifications: ask permission, subscribe this device to web push with the clinic's VAPID
   key, and hand the subscription to the server. The reminders themselves say nothing about health
   (see app/care/reminders.py); the service worker shows them (/sw.js). */
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var binary = atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function say(message, kind) {
    if (window.Backtrack) { window.Backtrack.announce(message, kind); }
  }

  /* The words come from the page, in its language (app.js reads them). */
  function word(key) { return window.Backtrack ? window.Backtrack.word(key) : ""; }

  /* A line of ours, marked so that it is shown as it is (the browser's own messages are not). */
  function ours(key) {
    var error = new Error(word(key));
    error.ours = true;
    return error;
  }

  function subscribe(region) {
    var key = toBytes(region.getAttribute("data-vapid-key"));
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw ours("push_blocked"); }
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }).then(function (subscription) {
      var token = document.querySelector("input[name=csrf_token]").value;
      return fetch("/account/push-subscriptions", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(subscription.toJSON())
      });
    }).then(function (response) {
      if (!response.ok) { throw ours("did_not_work"); }
      say(word("push_on"), "success");
      var box = document.querySelector("input[name=by_push]");
      if (box) { box.checked = true; }
    }).catch(function (error) { say(error && error.ours ? error.message : word("did_not_work"), "error"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) { return; }
    document.querySelectorAll("[data-push-device]").forEach(function (region) {
      region.hidden = false;
      region.querySelector("[data-push-subscribe]").addEventListener("click", function () { subscribe(region); });
    });
  });
})();
