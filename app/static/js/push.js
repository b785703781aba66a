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

  function subscribe(region) {
    var key = toBytes(region.getAttribute("data-vapid-key"));
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("Notifications are blocked for this site in your browser settings."); }
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
      if (!response.ok) { throw new Error("That did not work. Please reload the page and try again."); }
      say("Notifications are on for this device.", "success");
      var box = document.querySelector("input[name=by_push]");
      if (box) { box.checked = true; }
    }).catch(function (error) { say(error.message, "error"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) { return; }
    document.querySelectorAll("[data-push-device]").forEach(function (region) {
      region.hidden = false;
      region.querySelector("[data-push-subscribe]").addEventListener("click", function () { subscribe(region); });
    });
  });
})();
