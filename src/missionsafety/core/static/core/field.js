// Reporting without a connection: drafts kept as you type, an outbox for
// reports sent while the link is down, photos made small before they go up.
// Online, a form is sent as always (a full page answer); see
// docs/working-offline.md.
(function () {
  "use strict";
  var store = window.MSField;
  var photos = window.MSFieldPhotos;
  var body = document.body;
  var user = body.getAttribute("data-user");
  var textsNode = document.getElementById("field-texts");
  if (!store || !photos || !window.indexedDB || !user || !textsNode) {
    return;
  }
  var texts = JSON.parse(textsNode.textContent);
  var here = location.pathname + location.search;

  function text(name, count) {
    return String(texts[name] || "").replace("%(count)s", count).replace("%%", "%");
  }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content) {
      node.textContent = content;
    }
    return node;
  }

  // -- the header: how many reports wait ------------------------------------
  var status = document.getElementById("outbox-status");
  function showCount() {
    return Promise.all([store.items(user), store.drafts(user)]).then(function (found) {
      var items = found[0];
      var waiting = items.filter(function (i) {
        return i.state !== "refused";
      });
      var login = items.some(function (i) {
        return i.state === "login";
      });
      var refused = found[1].filter(function (d) {
        return d.errors;
      }).length;
      if (status) {
        status.hidden = !waiting.length && !refused;
        status.textContent = login
          ? text("login", waiting.length)
          : waiting.length
            ? text("waiting", waiting.length)
            : refused
              ? text("refused", refused)
              : "";
        status.href = login ? "/login/?next=" + encodeURIComponent(here) : "/outbox/";
      }
      return items;
    });
  }

  // -- sending what waits ----------------------------------------------------
  var flushing = null;
  function flush() {
    if (flushing || !navigator.onLine) {
      return flushing || Promise.resolve();
    }
    flushing = store
      .flush(user, csrf(), true)
      .then(returnRefused)
      .catch(function () {
        return undefined;
      })
      .then(function () {
        flushing = null;
        document.dispatchEvent(new CustomEvent("field:outbox"));
        return showCount();
      });
    return flushing;
  }

  // A report the server refused goes back to the user as a draft, with the
  // server's messages.
  function returnRefused() {
    return store.items(user).then(function (items) {
      return Promise.all(
        items
          .filter(function (i) {
            return i.state === "refused";
          })
          .map(function (item) {
            var page = new DOMParser().parseFromString(item.html || "", "text/html");
            var errors = Array.prototype.map.call(
              page.querySelectorAll(".error-summary li, .errorlist li"),
              function (li) {
                return li.textContent.trim();
              }
            );
            if (!errors.length) {
              var title = page.querySelector("main h1");
              errors = [title ? title.textContent.trim() : text("refusedOne")];
            }
            return store
              .putDraft({
                user: user,
                page: item.page,
                url: item.url,
                key: item.key,
                title: item.title,
                entries: item.entries,
                errors: errors.filter(function (e, i) {
                  return errors.indexOf(e) === i;
                }),
              })
              .then(function () {
                return store.deleteItem(item.seq);
              });
          })
      );
    });
  }

  function askForSync() {
    if (navigator.serviceWorker && navigator.serviceWorker.ready) {
      navigator.serviceWorker.ready
        .then(function (registration) {
          return registration.sync && registration.sync.register("outbox");
        })
        .catch(function () {
          return undefined;
        });
    }
  }

  // -- forms: what they hold, put back ---------------------------------------
  function entriesOf(form) {
    var entries = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") {
        return;
      }
      var type = field.type;
      if (type === "submit" || type === "button" || type === "reset") {
        return;
      }
      if ((type === "checkbox" || type === "radio") && !field.checked) {
        return;
      }
      if (type === "file") {
        Array.prototype.forEach.call(field.files, function (file) {
          entries.push([field.name, file]);
        });
      } else if (type === "select-multiple") {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          entries.push([field.name, option.value]);
        });
      } else {
        entries.push([field.name, field.value]);
      }
    });
    return entries;
  }

  function fill(form, entries, filesOnly) {
    var values = {};
    entries.forEach(function (entry) {
      (values[entry[0]] = values[entry[0]] || []).push(entry[1]);
    });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken") {
        return;
      }
      var these = values[field.name] || [];
      var type = field.type;
      if (type === "file") {
        if (these.length && window.DataTransfer) {
          var files = new DataTransfer();
          these.forEach(function (file) {
            files.items.add(file);
          });
          field.files = files.files;
          photos.show(field, text);
        }
        return;
      }
      if (filesOnly || type === "submit" || type === "button") {
        return;
      }
      if (type === "checkbox" || type === "radio") {
        field.checked = these.indexOf(field.value) !== -1;
      } else if (type === "select-multiple") {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = these.indexOf(option.value) !== -1;
        });
      } else if (these.length) {
        field.value = these[0];
      }
    });
  }

  function notice(form, lines, actions) {
    var old = form.parentNode.querySelector(".field-notice");
    if (old) {
      old.remove();
    }
    var box = el("div", "notice field-notice");
    box.setAttribute("role", "status");
    box.appendChild(el("p", "", lines[0]));
    if (lines.length > 1) {
      var list = el("ul");
      lines.slice(1).forEach(function (line) {
        list.appendChild(el("li", "", line));
      });
      box.appendChild(list);
    }
    (actions || []).forEach(function (action) {
      box.appendChild(document.createTextNode(" "));
      box.appendChild(action);
    });
    form.parentNode.insertBefore(box, form);
    return box;
  }

  // -- one report form -------------------------------------------------------
  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files.length > 0;
    });
  }

  function queueForm(form) {
    var entries = entriesOf(form);
    var keyInput = form.querySelector("input[name=idempotency_key]");
    return store
      .queue({
        user: user,
        url: new URL(form.action, location.href).pathname,
        page: here,
        key: keyInput ? keyInput.value : "",
        title: store.titleOf(entries),
        entries: entries,
      })
      .then(function () {
        return store.deleteDraft(user, here);
      })
      .then(function () {
        var outboxLink = el("a", "button", text("openOutbox"));
        outboxLink.href = "/outbox/";
        var again = el("a", "button", text("another"));
        again.href = here;
        notice(form, [text("queued")], [outboxLink, again]);
        form.hidden = true;
        askForSync();
        return showCount();
      });
  }

  // Online with a photo: the same request, with its progress shown.
  function sendWithProgress(form, submitter) {
    var data = new FormData(form, submitter);
    var entries = entriesOf(form);
    var keyInput = form.querySelector("input[name=idempotency_key]");
    // Kept first, photo and all: should the server refuse it, the form that
    // comes back gets the photo again.
    store.putDraft({
      user: user,
      page: here,
      url: new URL(form.action, location.href).pathname,
      key: keyInput ? keyInput.value : "",
      title: store.titleOf(entries),
      entries: entries,
      sent: Date.now(),
    });
    var bar = form.querySelector("progress.upload") || el("progress", "upload");
    bar.max = 100;
    bar.value = 0;
    var label = form.querySelector(".upload-label") || el("p", "upload-label");
    label.setAttribute("role", "status");
    label.textContent = text("sending", 0);
    form.appendChild(label);
    form.appendChild(bar);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) {
        var percent = Math.round((100 * event.loaded) / event.total);
        bar.value = percent;
        label.textContent = text("sending", percent);
      }
    };
    xhr.onload = function () {
      var landed = new URL(xhr.responseURL || form.action, location.href);
      if (landed.pathname === "/login/") {
        queueForm(form).then(flush);
        return;
      }
      if (xhr.status >= 500) {
        queueForm(form);
        return;
      }
      if (landed.pathname === new URL(form.action, location.href).pathname) {
        // Refused: the page with its messages, the photo still attached.
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = page.querySelector("main");
        if (main) {
          document.querySelector("main").replaceWith(main);
          document.title = page.title;
          setUp(document.querySelector("main"));
          var summary = main.querySelector(".error-summary");
          if (summary) {
            summary.focus();
          }
        }
        return;
      }
      store.deleteDraft(user, here).then(function () {
        location.assign(landed.href);
      });
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = function () {
      queueForm(form);
    };
    xhr.send(data);
  }

  function setUpForm(form) {
    var keyInput = form.querySelector("input[name=idempotency_key]");
    var refused = form.querySelector(".error-summary");
    var timer = null;
    var save = function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        var entries = entriesOf(form);
        store.putDraft({
          user: user,
          page: here,
          url: new URL(form.action, location.href).pathname,
          key: keyInput ? keyInput.value : "",
          title: store.titleOf(entries),
          entries: entries,
        });
      }, 300);
    };
    store.getDraft(user, here).then(function (draft) {
      if (draft && refused && !draft.errors) {
        // The server's answer to this very form: its values are on the page;
        // only the photos need putting back.
        fill(form, draft.entries, true);
      } else if (draft) {
        fill(form, draft.entries, !!refused);
        var discard = el("button", "link", text("discard"));
        discard.type = "button";
        discard.addEventListener("click", function () {
          store.deleteDraft(user, here).then(function () {
            location.replace(here);
          });
        });
        var lines = [draft.errors ? text("returned") : text("restored")].concat(draft.errors || []);
        if (draft.sent) {
          lines.push(text("maybeSent"));
        }
        notice(form, lines, [discard]);
      } else if (keyInput && !refused) {
        // Made now, as the form opens; a copy kept for offline use holds
        // an old one.
        keyInput.value = newKey();
      }
    });
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    // Leaving the page (closing it, switching apps): keep the last keystrokes.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer && !form.hidden) {
        clearTimeout(timer);
        timer = null;
        store.putDraft({
          user: user,
          page: here,
          url: new URL(form.action, location.href).pathname,
          key: keyInput ? keyInput.value : "",
          title: store.titleOf(entriesOf(form)),
          entries: entriesOf(form),
        });
      }
    });
    photos.watch(form, save, text);
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) {
        return;
      }
      // Sent, queued or uploading: a save still waiting for the typing to
      // stop must not land afterwards and overwrite what the sending keeps
      // (the outbox's draft with the server's messages, the "sent" mark).
      clearTimeout(timer);
      timer = null;
      if (!navigator.onLine) {
        event.preventDefault();
        queueForm(form);
        return;
      }
      if (hasFiles(form)) {
        event.preventDefault();
        sendWithProgress(form, event.submitter);
        return;
      }
      // Sent as always. Should the answer get lost, the service worker keeps
      // the report in the outbox; the draft stays until the answer is seen.
      var entries = entriesOf(form);
      store.putDraft({
        user: user,
        page: here,
        url: new URL(form.action, location.href).pathname,
        key: keyInput ? keyInput.value : "",
        title: store.titleOf(entries),
        entries: entries,
        sent: Date.now(),
      });
    });
  }

  function setUp(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-field-form]"), setUpForm);
  }

  // A page reached through a redirect from a report form: that form was sent
  // and answered, so its draft has done its work.
  function forgetAnswered() {
    var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (!nav || !nav.redirectCount || !document.referrer) {
      return Promise.resolve();
    }
    var from = new URL(document.referrer);
    if (from.origin !== location.origin) {
      return Promise.resolve();
    }
    var page = from.pathname + from.search;
    return store.getDraft(user, page).then(function (draft) {
      return draft && draft.sent ? store.deleteDraft(user, page) : undefined;
    });
  }

  // -- log-out: the outbox does not outlive the session unasked --------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-logout]")) {
      return;
    }
    event.preventDefault();
    store.items(user).then(function (items) {
      if (items.length && !window.confirm(text("logout", items.length))) {
        return;
      }
      store.clear(user).then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage({ type: "forget" });
        }
        form.submit();
      });
    });
  });

  // -- the service worker ----------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register("/sw.js")
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        registration.active.postMessage({ type: "user", user: user });
      })
      .catch(function () {
        return undefined;
      });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "flush") {
        flush();
      }
    });
  }

  window.addEventListener("online", flush);
  setInterval(function () {
    store.items(user).then(function (items) {
      if (items.length) {
        flush();
      }
    });
  }, 30000);

  setUp(document);
  window.MSFieldPage = { flush: flush, showCount: showCount, user: user, text: text };
  forgetAnswered().then(flush);
})();
