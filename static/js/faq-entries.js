// The FAQ's entries are collapsed <details>; a link to one (/faq#faq-12, from search or
// another page) opens it, on arrival and when the anchor changes on the page. Without
// this script the link still lands on the entry's question.
//
// The FAQ is read a page at a time: an anchor naming an entry that is on another page (an
// old bookmark of the one-page FAQ) is sent on to ?entry=, which the server answers with
// the page that holds it. Links the forum makes carry ?entry= already.
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) {
      return;
    }
    var target = document.getElementById(id);
    if (target && target.tagName === "DETAILS" && target.classList.contains("faq-entry")) {
      target.open = true;
      target.scrollIntoView();
      return;
    }
    var named = /^faq-(\d+)$/.exec(id);
    var params = new URLSearchParams(window.location.search);
    // Once only: an entry asked for by ?entry= and still absent is unpublished.
    if (!target && named && params.get("entry") !== named[1]) {
      params.set("entry", named[1]);
      params.delete("page");
      window.location.replace(window.location.pathname + "?" + params.toString() + "#" + id);
    }
  }

  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
