/* Dash loads @babel/polyfill 7 (core-js 2) for old browsers. In today's browsers it replaces a
   few correct built-ins with slower JavaScript copies (its whitespace test still counts U+180E,
   which Unicode no longer does): String.prototype.trim, parseInt, parseFloat and a few more.
   Plotly parses every marker colour with trim and parseInt, so at scale a page spent 200-300 ms
   in those copies. natives-keep.js, loaded just before the polyfill, kept the browser's own
   versions: put them back (the polyfill's additions, such as regeneratorRuntime, stay). */
(function () {
  var kept = window.__ctiNatives;
  if (!kept) return;
  kept.forEach(function (entry) {
    Object.defineProperty(entry[0], entry[1], entry[2]);
  });
  delete window.__ctiNatives;
})();
