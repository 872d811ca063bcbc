// Applied before the first paint so a remembered theme or text size never flickers.
(function () {
  var root = document.documentElement;
  try {
    var theme = localStorage.getItem("dateline.theme");
    if (theme === "light" || theme === "dark") root.dataset.theme = theme;
    var step = parseInt(localStorage.getItem("dateline.textStep"), 10);
    if (!isNaN(step)) root.dataset.textStep = String(step);
  } catch (e) {
    /* storage may be blocked; defaults apply */
  }
})();
