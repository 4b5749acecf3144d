/* Client-side helpers of the CTI dashboard (no network, no external library). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  cti: {
    /* Write the page's filter values into the URL query without reloading the page, so the
       view can be shared by link. Arguments: the filter values, then the list of their names.
       replaceState (not pushState) keeps Dash's router from rebuilding the page and does not
       fill the history with every click. */
    syncQuery: function () {
      const args = Array.prototype.slice.call(arguments);
      const names = args.pop() || [];
      const params = new URLSearchParams(window.location.search);
      names.forEach(function (name, i) {
        const value = args[i];
        if (value === null || value === undefined || value === "" || value === "all") {
          params.delete(name);
        } else {
          params.set(name, String(value));
        }
      });
      params.delete("lang");
      const query = params.toString();
      const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
      return query;
    },
  },
});
