// Parts of a page that load after it (htmx: the progress page's overdue rows and teams, the team grid's evidence):
// once the row the address names (a reminder's way back, "#row-12") has arrived, scroll to it, as the browser
// would have done had it been on the page from the start. Once per page load; without JavaScript the row is on the
// page it links to.
(function () {
  var pending = location.hash.length > 1;
  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      pending = false;
      target.scrollIntoView({ block: "center" });
    }
  });
})();

// A table's "Scroll sideways to see more" (.scroll-hint, just above its box) shows exactly while the box does not
// fit, at any width, measured again when the window changes or a part loads. Without JavaScript every hint shows on
// a narrow screen.
(function () {
  function check() {
    document.querySelectorAll(".scroll-hint").forEach(function (hint) {
      var box = hint.nextElementSibling;
      hint.hidden = Boolean(box) && box.scrollWidth <= box.clientWidth + 1;
      hint.dataset.measured = "";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
  document.addEventListener("htmx:afterSettle", check);
  window.addEventListener("resize", check);
})();

// A link that loads a part in place of the one it sits in (the reminder log's status tabs): the keyboard's focus
// moves to the same link in the new part instead of falling back to the top of the page.
document.addEventListener("htmx:afterSettle", function (event) {
  var from = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!from || from.isConnected || from.tagName !== "A") return;
  var same = document.querySelector('a[href="' + CSS.escape(from.getAttribute("href")) + '"]');
  if (same) same.focus();
});
