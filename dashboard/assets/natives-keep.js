/* Loaded just before Dash's @babel/polyfill (see natives.js, which puts these back after it).
   Keeps the browser's own versions of the built-ins that the polyfill replaces. */
(function () {
  var owners = [
    [window, ["parseInt", "parseFloat"]],
    [Number, ["parseInt", "parseFloat"]],
    [String.prototype, ["trim", "trimStart", "trimEnd", "trimLeft", "trimRight"]],
    [Math, ["sinh"]],
    [Function.prototype, ["toString"]],
  ];
  var kept = [];
  owners.forEach(function (entry) {
    entry[1].forEach(function (name) {
      var descriptor = Object.getOwnPropertyDescriptor(entry[0], name);
      if (descriptor) kept.push([entry[0], name, descriptor]);
    });
  });
  window.__ctiNatives = kept;
})();
