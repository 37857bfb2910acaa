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
