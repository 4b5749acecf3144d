/* Numbers in the AG Grid tables, written as the cards write them: 1 234,5 in French, 1,234.5
   in English, 1.234,5 in Arabic. The separators are decided on the server (services/
   formatting.py grid_number_style) and handed over by components/grids.py number_formatter:
   {function: "ctiGridNumber(params, {decimal, group, minus, decimals, ungrouped})"}. */
window.dashAgGridFunctions = window.dashAgGridFunctions || {};
(function (functions) {
  const formats = {};

  /* English-style digits ("1,234.5", "-3"), up to `decimals` decimals, halves away from zero;
     the marks are swapped for the language's below. */
  function plain(decimals, grouping) {
    const key = decimals + (grouping ? "g" : "");
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat("en-US", {
        maximumFractionDigits: decimals,
        useGrouping: grouping,
        signDisplay: "negative", // no "-0" for a tiny negative number rounded away
      });
    }
    return formats[key];
  }

  functions.ctiGridNumber = function (params, style) {
    const value = params ? params.value : null;
    if (value === null || value === undefined) {
      return "";
    }
    if (typeof value !== "number") {
      return Array.isArray(value) ? value.join(", ") : String(value);
    }
    if (!Number.isFinite(value)) {
      return "";
    }
    const field = params.colDef ? params.colDef.field : null;
    const grouping = style.ungrouped.indexOf(field) < 0; // a year is 2025, not "2 025"
    return plain(style.decimals, grouping).format(value).replace(/[,.-]/g, function (mark) {
      if (mark === ",") {
        return style.group;
      }
      return mark === "." ? style.decimal : style.minus;
    });
  };

  /* What a typed or pasted number means (AG Grid's own number parser, which a page's number
     type replaces, and the language's decimal mark): "12,5" is 12.5 in French and Arabic. */
  functions.ctiGridNumberParse = function (params, style) {
    const typed = params ? params.newValue : null;
    if (typed === null || typed === undefined || typeof typed === "number") {
      return typed === undefined ? null : typed;
    }
    const text = String(typed).replace(/[\s\u00a0\u202f]/g, "");
    return text === "" ? null : Number(text.replace(style.decimal, "."));
  };
})(window.dashAgGridFunctions);
