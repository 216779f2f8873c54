/* While a member types a question's title, list similar questions, FAQ entries and
 * guide sections under it (GET /search/suggest). Progressive: without JavaScript the
 * ask form works unchanged. Server text is set with textContent only. */
(function () {
  "use strict";
  var box = document.getElementById("ask-suggestions");
  var input = document.getElementById("title");
  if (!box || !input || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var url = box.getAttribute("data-suggest-url");
  var heading = box.getAttribute("data-heading");
  var DELAY_MS = 300;
  var MIN_CHARACTERS = 3;
  var timer = null;
  var lastQuery = null;
  var pending = null;

  function clear() {
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
  }

  function render(suggestions) {
    clear();
    if (!suggestions.length) {
      return;
    }
    var title = document.createElement("p");
    title.className = "ask-suggestions-heading";
    title.textContent = heading;
    box.appendChild(title);
    var list = document.createElement("ul");
    suggestions.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      link.target = "_blank";
      link.rel = "noopener";
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = item.kind_label;
      entry.appendChild(kind);
      entry.appendChild(document.createTextNode(" "));
      entry.appendChild(link);
      list.appendChild(entry);
    });
    box.appendChild(list);
  }

  function update() {
    var query = input.value.trim();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (pending) {
      pending.abort();
      pending = null;
    }
    if (query.length < MIN_CHARACTERS) {
      render([]);
      return;
    }
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    fetch(url + "?" + new URLSearchParams({ q: query }).toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.json() : { suggestions: [] };
    }).then(function (data) {
      if (query === lastQuery) {
        render(Array.isArray(data.suggestions) ? data.suggestions : []);
      }
    }).catch(function () {
      /* Aborted by newer typing, or offline: the form works without suggestions. */
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, DELAY_MS);
  });
}());
