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
      const query = params.toString();
      const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
      return query;
    },
  },
});

/* Language links (header and menu) are plain "?lang=xx" links, which work without script. When
   one is followed, keep the page's other URL parameters (year, filters) and its anchor. The
   listener runs in the capture phase, before the menu's own navigation. */
document.addEventListener("click", function (event) {
  const link = event.target instanceof Element ? event.target.closest("a.cti-lang, a.cti-lang-menu") : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) {
    return;
  }
  const wanted = new URL(link.href, window.location.href).searchParams.get("lang");
  if (!wanted) {
    return;
  }
  const params = new URLSearchParams(window.location.search);
  params.set("lang", wanted);
  event.preventDefault();
  event.stopPropagation();
  window.location.assign(window.location.pathname + "?" + params.toString() + window.location.hash);
}, true);

/* dcc.Upload takes no ARIA attributes, and its file input has no label: name it by the page's
   visible label, the element whose id is the upload's id followed by "-label". */
(function () {
  function labelUploads() {
    document.querySelectorAll('input[type="file"]:not([aria-labelledby])').forEach(function (input) {
      const holder = input.parentElement && input.parentElement.closest("[id]");
      const label = holder && document.getElementById(holder.id + "-label");
      if (label) {
        input.setAttribute("aria-labelledby", label.id);
      }
    });
  }
  new MutationObserver(labelUploads).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();

/* Mantine's Pagination draws its previous and next controls as bare icons: name them from the
   labels their <nav class="cti-pager"> carries (data-previous, data-next, in the page's
   language), and mark the current page for screen readers (aria-current). */
(function () {
  function labelPagers() {
    document.querySelectorAll("nav.cti-pager[data-previous]").forEach(function (nav) {
      const controls = nav.querySelectorAll("button.mantine-Pagination-control");
      if (controls.length < 2) {
        return;
      }
      const ends = [[controls[0], nav.dataset.previous], [controls[controls.length - 1], nav.dataset.next]];
      ends.forEach(function (end) {
        if (!end[0].textContent.trim() && end[0].getAttribute("aria-label") !== end[1]) {
          end[0].setAttribute("aria-label", end[1]);
        }
      });
      controls.forEach(function (control) {
        if (control.hasAttribute("data-active")) {
          control.setAttribute("aria-current", "page");
        } else if (control.hasAttribute("aria-current")) {
          control.removeAttribute("aria-current");
        }
      });
    });
  }
  new MutationObserver(labelPagers).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-active"],
  });
})();
