/* Daily logs kept on the phone while offline (IndexedDB), and sending them later.
   Shared by the page and the service worker (Background Sync), so it touches no DOM.
   Each kept log carries its idempotency key: sending it twice is answered, never applied twice. */
(function (scope) {
  "use strict";
  var DB_NAME = "backtrack";
  var STORE = "pending-logs";
  var SENT = [200, 400, 404, 409, 422]; /* the server has answered for good: stop keeping it */

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function add(item) { return run("readwrite", function (store) { return store.put(item); }); }
  function remove(key) { return run("readwrite", function (store) { return store.delete(key); }); }
  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function count() { return run("readonly", function (store) { return store.count(); }); }

  function freshToken() {
    return fetch("/session/csrf", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401) { return null; }
      if (!response.ok) { throw new Error("no token"); }
      return response.json().then(function (body) { return body.csrf_token; });
    });
  }

  function sendOne(item, token) {
    var body = new URLSearchParams(item.fields);
    body.set("csrf_token", token);
    body.set("idempotency_key", item.key);
    return fetch("/log/" + item.day, {
      method: "POST", body: body, credentials: "same-origin", headers: { "HX-Request": "true" }
    }).then(function (response) {
      if (SENT.indexOf(response.status) === -1) { return { item: item, status: response.status }; }
      return response.text().then(function (html) {
        return remove(item.key).then(function () { return { item: item, status: response.status, html: html }; });
      });
    });
  }

  /* Send every kept log, oldest first. Resolves to one result per log ({signedOut: true} when
     the person must sign in first); a network failure leaves the rest kept for next time. */
  function sendAll() {
    return all().then(function (items) {
      if (!items.length) { return []; }
      items.sort(function (a, b) { return a.savedAt - b.savedAt; });
      return freshToken().then(function (token) {
        if (token === null) { return [{ signedOut: true }]; }
        return items.reduce(function (chain, item) {
          return chain.then(function (results) {
            return sendOne(item, token).then(function (result) { return results.concat([result]); });
          });
        }, Promise.resolve([]));
      });
    });
  }

  scope.BacktrackQueue = { add: add, all: all, count: count, remove: remove, sendAll: sendAll };
})(self);
