/* Copy buttons (progressive enhancement, loaded from 'self' under the site's CSP: no inline script).

   <input id="feed-url" readonly value="…">
   <button type="button" hidden data-copy="feed-url" data-copy-status="feed-url-status"
           data-copied="Copied." data-failed="Select the address and copy it.">Copy</button>
   <p id="feed-url-status" role="status"></p>

   The button stays hidden without JavaScript (the readonly field can still be selected and copied by hand); this
   script shows it and copies the field's value, saying the outcome in the status element (a live region). */
(function () {
  "use strict";

  function say(button, key) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = button.getAttribute(key) || "";
    }
  }

  function byHand(button, field) {
    var copied = false;
    field.focus();
    field.select();
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(button, copied ? "data-copied" : "data-failed");
  }

  function copy(button, field) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { say(button, "data-copied"); },
        function () { byHand(button, field); }
      );
    } else {
      byHand(button, field);
    }
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () { copy(button, field); });
  });
})();
