/* Keeps the daily log on the phone when there is no connection, shows the urgent message for a
   warning sign at once (the texts come from the page, written by the server), and sends kept logs
   when the connection returns. */
(function () {
  "use strict";
  var queue = window.BacktrackQueue;
  if (!queue || !window.indexedDB) { return; }

  function announce(message, kind) { window.Backtrack.announce(message, kind); }
  /* The words come from the page, in its language (app.js reads them). */
  function word(key) { return window.Backtrack.word(key); }
  function sentWords(count) {
    return count === 1 ? word("log_sent") : word("logs_sent").replace("{count}", String(count));
  }

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

  /* The phrase lists for reading the note, rendered by the server from app/care/warning_phrases:
     in the page (the offline page) or as a file the service worker keeps with the app shell. */
  var phraseLists = {};
  function phrases(form) {
    var inline = form.getAttribute("data-warning-phrases");
    if (inline) {
      try { return Promise.resolve(JSON.parse(inline)); } catch (error) { return Promise.resolve(null); }
    }
    var src = form.getAttribute("data-warning-phrases-src");
    if (!src) { return Promise.resolve(null); }
    if (!phraseLists[src]) {
      phraseLists[src] = fetch(src, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.json() : null;
      }).catch(function () { delete phraseLists[src]; return null; });
    }
    return phraseLists[src];
  }

  function inWords(note, data) {
    if (!note || !data || !window.BacktrackWarningWords) { return []; }
    return window.BacktrackWarningWords.find(String(note), data);
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
    Promise.all([queue.add(item), phrases(form)]).then(function (done) {
      showKept(form, data, inWords(data.get("note"), done[1]));
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) { registration.sync.register("backtrack-send-logs").catch(function () {}); }
        });
      }
    }, function () {
      announce(word("log_not_kept"), "error");
    });
  }

  /* The urgent card, as the server draws it: one action and its call buttons (911 when an
     emergency is present), the signs behind it, and same-day signs listed for the emergency team. */
  function urgentCard(kept, data, words) {
    var urgent = kept.querySelector("[data-urgent]");
    var parts = document.getElementById("offline-urgent-template").content;
    var found = [];
    parts.querySelectorAll(".urgent__item").forEach(function (block) {
      if (data.get(block.getAttribute("data-flag")) === "y") { found.push({ block: block, source: "ticked", quote: "" }); }
    });
    words.forEach(function (match) {
      var already = found.some(function (item) { return item.block.getAttribute("data-flag") === match.key; });
      var block = parts.querySelector(".urgent__item[data-flag=" + match.key + "]");
      if (!already && block) { found.push({ block: block, source: "words", quote: match.words.join(" … ") }); }
    });
    if (!found.length) { urgent.remove(); return; }
    var emergency = found.some(function (item) { return item.block.getAttribute("data-urgency") === "emergency"; });
    urgent.appendChild(parts.querySelector("[data-action=" + (emergency ? "emergency" : "same_day") + "]").cloneNode(true));
    var calls = parts.querySelector("[data-calls]").cloneNode(true);
    calls.querySelectorAll(emergency ? "[data-same-day-call]" : "[data-emergency-call]").forEach(function (link) { link.remove(); });
    urgent.appendChild(calls);
    var also = parts.querySelector("[data-also-list]").cloneNode(true);
    found.forEach(function (item) {
      var sameDay = item.block.getAttribute("data-urgency") !== "emergency";
      if (emergency && sameDay) {
        var line = document.createElement("li");
        line.textContent = item.block.querySelector("[data-question]").textContent;
        if (item.quote) { line.textContent += " (\u201c" + item.quote + "\u201d)"; }
        also.querySelector("ul").appendChild(line);
        return;
      }
      var shown = item.block.cloneNode(true);
      var question = shown.querySelector("[data-question]");
      /* the lead-in for how the sign came, as plain text around the sign's words; the other goes */
      var lead = parts.querySelector("[data-lead-in]").cloneNode(true);
      lead.querySelectorAll("[data-source]").forEach(function (part) {
        if (part.getAttribute("data-source") === item.source) { part.replaceWith.apply(part, Array.from(part.childNodes)); } else { part.remove(); }
      });
      var quote = lead.querySelector("[data-quote]");
      if (quote) { quote.textContent = item.quote; }
      lead.querySelector("[data-question]").replaceWith(question.textContent);
      question.replaceWith.apply(question, Array.from(lead.childNodes));
      urgent.appendChild(shown);
    });
    if (also.querySelector("li")) { urgent.appendChild(also); }
  }

  function showKept(form, data, words) {
    var kept = document.getElementById("offline-kept-template").content.cloneNode(true);
    urgentCard(kept, data, words);
    form.replaceWith(kept);
    var focus = document.querySelector("#daily-log [role=alert], #daily-log [data-kept]");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus({ preventScroll: true });
      focus.scrollIntoView({ block: "start" });
    }
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
      announce(word("log_sign_in_to_send"), "error");
      return;
    }
    if (!delivered.length) { return; }
    var region = document.getElementById("daily-log");
    var last = delivered[delivered.length - 1];
    if (region && window.htmx && region.querySelector("[data-kept]")) {
      htmx.swap(region, last.html, { swapStyle: "outerHTML" });
    }
    announce(sentWords(delivered.length), "success");
  }

  function flush() {
    if (!navigator.onLine) { return; }
    queue.sendAll().then(sent, function () { /* still no connection: keep them for next time */ });
  }
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", flush);
  /* The offline page is the same for everyone: it asks only what this phone's patient is asked
     (no leg pain or chest question for a patient whose form has neither), as their last online
     form said. Sign-out clears it with the rest of the phone's storage. */
  var ASKS = "backtrack.log-asks";
  document.addEventListener("DOMContentLoaded", function () {
    var online = document.querySelector("form.log-form[data-log-asks]");
    try {
      if (online) { localStorage.setItem(ASKS, online.getAttribute("data-log-asks")); return; }
      var offline = document.querySelector("form[data-offline-log]");
      var asks = localStorage.getItem(ASKS);
      if (!offline || asks === null) { return; }
      var asked = asks.split(" ");
      offline.querySelectorAll("[data-question]").forEach(function (question) {
        if (asked.indexOf(question.getAttribute("data-question")) < 0) { question.remove(); }
      });
    } catch (error) { /* storage refused (private mode): the page asks everything */ }
  });

  /* Fetch the phrase lists while online, so a log kept later is read at once. */
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.log-form[data-warning-phrases-src]").forEach(phrases);
  });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "logs-sent" && event.data.count) {
        announce(sentWords(event.data.count), "success");
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
      announce(word("log_unsent_at_sign_out"), "error");
    }, function () { form.setAttribute("data-confirmed", "1"); form.submit(); });
  }, true);
})();
