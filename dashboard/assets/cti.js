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

// The explanations of the HTML blocks' badges (components/markup.py, data-tip): one tooltip
// under the pointer's or the keyboard's badge (above it near the bottom of the window), kept
// beside it when the page scrolls; Escape hides it (WCAG 1.4.13).
(function () {
  let tip = null;
  let owner = null;
  function hide() {
    if (tip) {
      tip.remove();
    }
    tip = null;
    owner = null;
  }
  function show(target) {
    if (owner === target) {
      return;
    }
    hide();
    owner = target;
    tip = document.createElement("div");
    tip.className = "cti-tip";
    tip.setAttribute("role", "tooltip");
    tip.setAttribute("aria-hidden", "true"); // the badge's own text says it to screen readers
    tip.textContent = target.getAttribute("data-tip");
    document.body.appendChild(tip);
    place();
  }
  function place() {
    if (!tip || !owner) {
      return;
    }
    const box = owner.getBoundingClientRect();
    const below = box.bottom + 6 + tip.offsetHeight < window.innerHeight;
    const left = Math.min(Math.max(4, box.left), window.innerWidth - tip.offsetWidth - 4);
    tip.style.left = left + "px";
    tip.style.top = (below ? box.bottom + 6 : box.top - 6 - tip.offsetHeight) + "px";
  }
  function tipOf(event) {
    return event.target instanceof Element ? event.target.closest("[data-tip]") : null;
  }
  document.addEventListener("mouseover", function (event) {
    const target = tipOf(event);
    if (target) {
      show(target);
    } else if (owner && owner !== document.activeElement) {
      hide();
    }
  });
  document.addEventListener("focusin", function (event) {
    const target = tipOf(event);
    if (target) {
      show(target);
    } else {
      hide();
    }
  });
  document.addEventListener("focusout", function (event) {
    if (tipOf(event) === owner) {
      hide();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hide();
    }
  });
  window.addEventListener("scroll", place, true); // the tooltip follows its badge
})();

// Long tables, chart captions, badges and facts come as HTML text, escaped on the server, in
// the data-html attribute of an empty box (components/markup.py): set it as the box's content
// as soon as React puts the box in the page or changes the text (the next page of a table).
// React leaves the children of an element it renders without any alone.
(function () {
  function draw() {
    for (const box of document.querySelectorAll("[data-html]")) {
      const text = box.getAttribute("data-html");
      if (box.ctiHtml !== text) {
        box.innerHTML = text;
        box.ctiHtml = text;
      }
    }
  }
  new MutationObserver(draw).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-html"],
  });
})();

/* The contract page's indicator select holds the indicator shown only; the list of them all
   (hundreds at scale) is asked for when the select is approached or reached, by pointer or
   keyboard: its store "cti-indicator-wanted" set, the server fills the select. Once per select
   drawn (a new year draws a new one); asked again if the renderer was not ready. */
(function () {
  function want(event) {
    const input = event.target instanceof Element ? event.target.closest("#cti-indicator") : null;
    const dash = window.dash_clientside;
    if (!input || input.dataset.listAsked || !dash || !dash.set_props) {
      return;
    }
    try {
      dash.set_props("cti-indicator-wanted", { data: true });
      input.dataset.listAsked = "yes";
    } catch (error) {
      // The page is still being drawn: the next pointer move or focus asks again.
    }
  }
  document.addEventListener("pointerover", want, true); // a head start before the click
  document.addEventListener("pointerdown", want, true);
  document.addEventListener("focusin", want, true);
})();
