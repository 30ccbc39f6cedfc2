// The drafting pages' small helpers: a Markdown toolbar, a live preview rendered by the server
// (the same sanitiser as the record), and confirmation before a destructive POST.
(function () {
  "use strict";

  function wrap(textarea, before, after) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    var selected = value.slice(start, end) || "text";
    textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
  }

  function prefixLines(textarea, numbered) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = value.indexOf("\n", textarea.selectionEnd);
    if (end === -1) { end = value.length; }
    var lines = value.slice(start, end).split("\n").map(function (line, index) {
      return (numbered ? (index + 1) + ". " : "- ") + line.replace(/^(\d+\.|[-*])\s+/, "");
    });
    var block = lines.join("\n");
    // A list needs a blank line before it to be a list in Markdown.
    var lead = start > 0 && value.slice(0, start).slice(-2) !== "\n\n" ? "\n" : "";
    textarea.value = value.slice(0, start) + lead + block + value.slice(end);
    // The caret goes after the list, not around it: a selected marker would be erased by the next key.
    var caret = start + lead.length + block.length;
    textarea.setSelectionRange(caret, caret);
  }

  var actions = {
    bold: function (t) { wrap(t, "**", "**"); },
    italic: function (t) { wrap(t, "*", "*"); },
    ol: function (t) { prefixLines(t, true); },
    ul: function (t) { prefixLines(t, false); }
  };

  function csrfToken(element) {
    var form = element.closest("form") || document.querySelector("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpPreview(preview) {
    var textarea = document.getElementById(preview.dataset.for);
    if (!textarea) { return; }
    var timer = null, sent = 0;
    function refresh() {
      var ticket = ++sent;
      var body = new URLSearchParams();
      body.set("body", textarea.value);
      fetch(preview.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(preview), "Content-Type": "application/x-www-form-urlencoded" },
        body: body
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        // The server returns HTML already sanitised by meetings/markup.py.
        if (html !== null && ticket === sent) { preview.innerHTML = html; }
      }).catch(function () { /* keep the last preview; the text itself is safe in the form */ });
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    textarea.addEventListener("markdown:changed", refresh);
    // After a refused save the page shows the saved text; preview what is in the form instead.
    if (preview.dataset.stale) { refresh(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".markdown-toolbar").forEach(function (toolbar) {
      var textarea = document.getElementById(toolbar.dataset.for);
      if (!textarea) { return; }
      toolbar.hidden = false;
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("[data-md]");
        if (!button) { return; }
        actions[button.dataset.md](textarea);
        textarea.focus();
        textarea.dispatchEvent(new Event("markdown:changed"));
      });
    });
    document.querySelectorAll(".markdown-preview[data-preview-url]").forEach(setUpPreview);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  });
}());
