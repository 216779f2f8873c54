/* The Preview button under a Markdown field (templates/macros/forms.html): with script,
 * only the text is sent to POST /preview and the sanitised HTML the server returns (the
 * same rendering and nh3 allow-list as the pages) is shown in the field's aria-live
 * region, without leaving the page. Without script the
 * button submits the form, which comes back with the preview (nothing is saved).
 * Messages are set with textContent; only the server's cleaned HTML goes in innerHTML. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }

  function show(target, label, html, isError) {
    while (target.firstChild) {
      target.removeChild(target.firstChild);
    }
    var heading = document.createElement("p");
    heading.className = isError ? "error" : "markdown-preview-label";
    heading.textContent = label;
    target.appendChild(heading);
    if (html) {
      var body = document.createElement("div");
      body.className = "post-body";
      body.innerHTML = html; // rendered and cleaned by the server (markdown_render)
      target.appendChild(body);
    }
  }

  function preview(button) {
    var form = button.form;
    var source = document.getElementById(button.getAttribute("data-preview-source"));
    var target = document.getElementById(button.getAttribute("data-preview-target"));
    var token = form && form.querySelector("input[name='csrf_token']");
    if (!source || !target || !token) {
      return false;
    }
    var data = new FormData();
    data.append("text", source.value);
    button.disabled = true;
    fetch(button.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, Accept: "application/json" }
    })
      .then(function (response) {
        if (response.status !== 200 && response.status !== 422) {
          throw new Error("preview " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        if (answer.error) {
          show(target, answer.error, "", true);
        } else if (answer.html) {
          show(target, button.getAttribute("data-preview-label"), answer.html, false);
        } else {
          show(target, answer.empty || "", "", false);
        }
      })
      .catch(function () {
        show(target, button.getAttribute("data-preview-failed"), "", true);
      })
      .then(function () {
        button.disabled = false;
      });
    return true;
  }

  // With script a Preview button no longer submits: pressing Enter in a field above it
  // (a title) then posts the form through its real submit button, as it does without
  // the preview, instead of previewing.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-preview-url]"), function (button) {
    button.type = "button";
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("input[data-preview-url]");
    if (button && preview(button)) {
      event.preventDefault();
    }
  });
})();
