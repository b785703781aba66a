/* Passkeys (WebAuthn): sign in with one, add one (account page, and Today's one-time offer).
   The server makes the challenge and checks the answer (app/auth/passkeys.py); this file only
   passes them between the server and the browser's authenticator. Controls stay hidden where the
   browser cannot use passkeys, so nobody sees a button that cannot work. */
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer), binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  /* A passkey's error shows next to the button that was pressed (its own alert region), not at
     the top of a long page where nobody looks. */
  function say(message, near) {
    var region = near && near.closest("[data-passkey-sign-in], [data-passkey-register], [data-passkey-offer]");
    var place = region && region.querySelector("[data-passkey-error]");
    if (place) { place.textContent = message; return; }
    if (window.Backtrack) { window.Backtrack.announce(message, "error"); }
  }

  function clear(near) { say("", near); }

  /* The words come from the page, in its language (app.js reads them). */
  function word(key) { return window.Backtrack ? window.Backtrack.word(key) : ""; }

  /* What went wrong, in words to act on. The server says why it refused (in the page's
     language); the browser's own messages are in its language and its words, so they are not
     shown: a passkey already on this device, and browsers refusing passkeys on an IP address
     ("This is an invalid domain"), get their own line. */
  function problem(error, cancelledText) {
    if (cancelled(error)) { return cancelledText; }
    if (error && error.fromServer) { return error.message; }
    if (error && error.name === "InvalidStateError") { return word("passkey_already_here"); }
    if (error && error.name === "SecurityError") {
      return word("passkey_needs_name").replace("{address}",
        window.location.href.replace(/\/\/127\.0\.0\.1(?=[:\/]|$)/, "//localhost"));
    }
    return word("did_not_work");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var refused = new Error(data.error || word("did_not_work"));
          refused.fromServer = true;
          throw refused;
        }
        return data;
      });
    });
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }

  function credentialJSON(credential) {
    var response = credential.response, json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      if (response.userHandle) { json.response.userHandle = toText(response.userHandle); }
    }
    return json;
  }

  function cancelled(error) {
    return error && (error.name === "NotAllowedError" || error.name === "AbortError");
  }

  function addPasskey(name, near) {
    clear(near);
    return post("/passkeys/register/options").then(function (options) {
      return navigator.credentials.create({ publicKey: creationOptions(options) });
    }).then(function (credential) {
      return post("/passkeys/register", { name: name, credential: credentialJSON(credential) });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) {
      say(problem(error, word("passkey_not_added")), near);
    });
  }

  function signIn(button) {
    button.disabled = true;
    clear(button);
    post("/passkeys/sign-in/options").then(function (options) {
      return navigator.credentials.get({ publicKey: requestOptions(options) });
    }).then(function (credential) {
      return post("/passkeys/sign-in", {
        credential: credentialJSON(credential), next: button.getAttribute("data-next") || ""
      });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) {
      button.disabled = false;
      say(problem(error, word("passkey_not_used")), button);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      document.querySelectorAll("[data-passkey-offer]").forEach(function (offer) { offer.hidden = true; });
      return;
    }
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) { note.hidden = true; });
    document.querySelectorAll("[data-passkey-sign-in]").forEach(function (region) { region.hidden = false; });
    document.querySelectorAll("[data-passkey-sign-in-button]").forEach(function (button) {
      button.addEventListener("click", function () { signIn(button); });
    });
    document.querySelectorAll("[data-passkey-register]").forEach(function (form) {
      form.hidden = false;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var name = form.querySelector("[name=name]");
        if (!name.value.trim()) {
          name.value = word(/iPhone|iPad|Android|Mobile/.test(navigator.userAgent) ? "passkey_my_phone" : "passkey_this_computer");
        }
        addPasskey(name.value.trim(), form);
      });
    });
    document.querySelectorAll("[data-passkey-add]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        addPasskey(button.getAttribute("data-passkey-add"), button);
      });
    });
  });
})();
