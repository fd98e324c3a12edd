// Drafts and the outbox on this device (IndexedDB), per user; used by the
// pages (field.js) and by the service worker. See docs/working-offline.md.
(function (root) {
  "use strict";
  var NAME = "missionsafety-field";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("drafts", { keyPath: "id" });
        db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        db.createObjectStore("meta");
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  // One request in its own transaction; resolves when the transaction is done.
  function run(store, mode, method, args) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var objects = tx.objectStore(store);
        var request = objects[method].apply(objects, args || []);
        tx.oncomplete = function () {
          db.close();
          resolve(request.result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function mine(user) {
    return function (row) {
      return String(row.user) === String(user);
    };
  }

  function withLock(fn) {
    var locks = root.navigator && root.navigator.locks;
    return locks ? locks.request("missionsafety-outbox", fn) : fn();
  }

  var api = {
    draftId: function (user, page) {
      return user + "|" + page;
    },
    getDraft: function (user, page) {
      return run("drafts", "readonly", "get", [api.draftId(user, page)]);
    },
    putDraft: function (draft) {
      draft.id = api.draftId(draft.user, draft.page);
      draft.updated = Date.now();
      return run("drafts", "readwrite", "put", [draft]);
    },
    deleteDraft: function (user, page) {
      return run("drafts", "readwrite", "delete", [api.draftId(user, page)]);
    },
    drafts: function (user) {
      return run("drafts", "readonly", "getAll").then(function (rows) {
        return rows.filter(mine(user));
      });
    },
    queue: function (item) {
      item.state = "queued";
      item.created = item.created || Date.now();
      return run("outbox", "readwrite", "add", [item]);
    },
    // This user's items, oldest first (the order they are sent in).
    items: function (user) {
      return run("outbox", "readonly", "getAll").then(function (rows) {
        return rows.filter(mine(user));
      });
    },
    putItem: function (item) {
      return run("outbox", "readwrite", "put", [item]);
    },
    deleteItem: function (seq) {
      return run("outbox", "readwrite", "delete", [seq]);
    },
    // Log-out: this user's outbox and drafts leave the device.
    clear: function (user) {
      return Promise.all([api.items(user), api.drafts(user)]).then(function (found) {
        return Promise.all(
          found[0]
            .map(function (item) {
              return api.deleteItem(item.seq);
            })
            .concat(
              found[1].map(function (draft) {
                return run("drafts", "readwrite", "delete", [draft.id]);
              })
            )
        );
      });
    },
    getMeta: function (key) {
      return run("meta", "readonly", "get", [key]);
    },
    setMeta: function (key, value) {
      return run("meta", "readwrite", "put", [value, key]);
    },
    titleOf: function (entries) {
      var names = ["title", "body", "observation", "place"];
      for (var i = 0; i < names.length; i++) {
        for (var j = 0; j < entries.length; j++) {
          if (entries[j][0] === names[i] && typeof entries[j][1] === "string" && entries[j][1].trim()) {
            return entries[j][1].trim().slice(0, 80);
          }
        }
      }
      return "";
    },
    // Send one item. The answer says what became of it:
    // "sent", "refused" (the server's page with its messages), "login"
    // (the session ended), or "wait" (no link, or the server is away).
    send: function (item, csrf, fromPage) {
      var body = new FormData();
      item.entries.forEach(function (entry) {
        if (entry[0] === "csrfmiddlewaretoken") {
          return;
        }
        if (typeof entry[1] === "string") {
          body.append(entry[0], entry[1]);
        } else {
          body.append(entry[0], entry[1], entry[1].name || "photo.jpg");
        }
      });
      body.append("csrfmiddlewaretoken", csrf || item.csrf || "");
      return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" }).then(
        function (response) {
          var path = new URL(response.url).pathname;
          if (response.redirected && path === "/login/") {
            return { outcome: "login" };
          }
          if (response.status === 422 || (response.status === 403 && fromPage)) {
            return response.text().then(function (html) {
              return { outcome: "refused", html: html, status: response.status };
            });
          }
          if (response.ok) {
            return { outcome: "sent", url: response.url };
          }
          return { outcome: "wait" };
        },
        function () {
          return { outcome: "wait" };
        }
      );
    },
    // Send this user's waiting items in order, each once; stop at the first
    // that cannot go now. ``done(item, result)`` hears about each.
    flush: function (user, csrf, fromPage, done) {
      return withLock(function () {
        return api.items(user).then(function (items) {
          var next = function (i) {
            if (i >= items.length) {
              return "empty";
            }
            var item = items[i];
            if (item.state === "refused") {
              return next(i + 1);
            }
            return api.send(item, csrf, fromPage).then(function (result) {
              var after;
              if (result.outcome === "sent") {
                after = api.deleteItem(item.seq);
              } else if (result.outcome === "refused") {
                item.state = "refused";
                item.html = result.html;
                after = api.putItem(item);
              } else if (result.outcome === "login") {
                item.state = "login";
                after = api.putItem(item);
              } else {
                after = Promise.resolve();
              }
              return after.then(function () {
                if (done) {
                  done(item, result);
                }
                if (result.outcome === "sent" || result.outcome === "refused") {
                  return next(i + 1);
                }
                return result.outcome;
              });
            });
          };
          return next(0);
        });
      });
    },
  };
  root.MSField = api;
})(self);
