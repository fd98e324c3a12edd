// The outbox page: what waits on this device, to see, edit or delete.
(function () {
  "use strict";
  var store = window.MSField;
  var field = window.MSFieldPage;
  var list = document.getElementById("outbox-list");
  if (!store || !field || !list) {
    return;
  }
  var texts = JSON.parse(document.getElementById("outbox-texts").textContent);
  var user = field.user;
  var send = document.getElementById("outbox-send");
  var drafts = document.getElementById("outbox-drafts");

  function button(label, action) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "link";
    node.textContent = label;
    node.addEventListener("click", action);
    return node;
  }
  function row(title, state, when, actions) {
    var li = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = title || texts.untitled;
    li.appendChild(name);
    li.appendChild(document.createTextNode(" · " + state + " · " + new Date(when).toLocaleString()));
    var tools = document.createElement("span");
    tools.className = "actions";
    actions.forEach(function (a) {
      tools.appendChild(document.createTextNode(" "));
      tools.appendChild(a);
    });
    li.appendChild(tools);
    return li;
  }

  function render() {
    return Promise.all([store.items(user), store.drafts(user)]).then(function (found) {
      var items = found[0];
      list.textContent = "";
      items.forEach(function (item) {
        list.appendChild(
          row(item.title, texts[item.state] || texts.queued, item.created, [
            button(texts.edit, function () {
              // Back to a draft of its form, with the same submission key.
              store
                .putDraft({ user: user, page: item.page, url: item.url, key: item.key, title: item.title, entries: item.entries })
                .then(function () {
                  return store.deleteItem(item.seq);
                })
                .then(function () {
                  location.assign(item.page);
                });
            }),
            button(texts["delete"], function () {
              if (window.confirm(texts.confirmDelete)) {
                store.deleteItem(item.seq).then(render).then(field.showCount);
              }
            }),
          ])
        );
      });
      document.getElementById("outbox-empty").hidden = items.length > 0;
      send.hidden = !items.length;
      drafts.textContent = "";
      found[1].forEach(function (draft) {
        var open = document.createElement("a");
        open.href = draft.page;
        open.textContent = texts.open;
        drafts.appendChild(
          row(draft.title, draft.errors ? texts.returned : texts.draft, draft.updated, [
            open,
            button(texts["delete"], function () {
              if (window.confirm(texts.confirmDraft)) {
                store.deleteDraft(user, draft.page).then(render);
              }
            }),
          ])
        );
      });
      document.getElementById("outbox-returned-title").hidden = !found[1].length;
    });
  }

  send.addEventListener("click", function () {
    field.flush().then(render);
  });
  document.addEventListener("field:outbox", render);
  render();
})();
