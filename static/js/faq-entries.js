// The FAQ's entries are collapsed <details>; a link to one (/faq#faq-12, from search or
// another page) opens it, on arrival and when the anchor changes on the page. Without
// this script the link still lands on the entry's question.
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
    }
  }

  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
