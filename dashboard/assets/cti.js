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

/* Phones (issue 19.13): below Mantine's "sm" breakpoint (48em), as the burger menu. */
const ctiPhone = window.matchMedia("(max-width: 47.99em)");

/* AG Grids on a phone: the first data column is pinned at the grid's start, so that it stays
   in view when the grid is scrolled sideways (the HTML tables keep theirs with position:
   sticky, cti.css). Unpinned again on a wider screen; a grid's own pinning is left alone. */
(function () {
  function leadingColumns(api) {
    // The first data column, and the selection column before it (its check boxes stay too).
    const columns = api.getAllDisplayedColumns();
    const first = columns.findIndex(function (column) {
      return !column.getColId().startsWith("ag-Grid-");
    });
    return first < 0 ? [] : columns.slice(0, first + 1);
  }
  function fit(holder, api) {
    const pinned = holder.ctiPinned;
    if (ctiPhone.matches) {
      const lead = leadingColumns(api);
      if (lead.length && !pinned && !lead.some(function (column) { return column.getPinned(); })) {
        holder.ctiPinned = lead.map(function (column) { return column.getColId(); });
        // At the reading start: AG Grid's sides are physical, also in right to left.
        api.setColumnsPinned(lead, api.getGridOption("enableRtl") ? "right" : "left");
      }
    } else if (pinned) {
      holder.ctiPinned = null;
      api.setColumnsPinned(pinned, null);
    }
  }
  function watch() {
    const bridge = window.dash_ag_grid;
    if (!bridge || !bridge.getApiAsync) {
      return;
    }
    document.querySelectorAll("[id] > .ag-root-wrapper, [id] > div > .ag-root-wrapper").forEach(function (root) {
      const holder = root.closest("[id]");
      if (holder.ctiWatched === root) {
        return;
      }
      holder.ctiWatched = root; // a grid drawn again gets a new root
      holder.ctiPinned = null;
      bridge.getApiAsync(holder.id).then(function (api) {
        fit(holder, api);
        api.addEventListener("gridColumnsChanged", function () {
          holder.ctiPinned = null; // new column definitions: pinned afresh
          fit(holder, api);
        });
        ctiPhone.addEventListener("change", function () {
          if (!api.isDestroyed()) {
            fit(holder, api);
          }
        });
      }).catch(function () {});
    });
  }
  new MutationObserver(watch).observe(document.documentElement, { childList: true, subtree: true });
})();

/* Charts on a phone: the title wrapped to the chart's width, horizontal bars labelled
   by their short name ("Axe 1" for "Axe 1 · Assistance technique Task Force"; the hover keeps
   the whole name), and the chart made taller when its legend leaves too little room to read
   the plot. The figure sent by the server is unchanged (services/figures). */
(function () {
  const NARROW = 560; // the chart's width (px) below which it is compacted
  const MIN_PLOT = 220; // the plot area's least height (px) once title and legend are placed
  function wrap(text, chars) {
    const lines = [];
    let line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > chars) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }
  function compact(gd) {
    const layout = gd.layout || {};
    const full = gd._fullLayout;
    const width = gd.clientWidth;
    if (!ctiPhone.matches || !window.Plotly || !full || !width || width >= NARROW) {
      return;
    }
    const update = {};
    const bars = (gd.data || []).filter(function (trace) {
      return trace.type === "bar" && trace.orientation === "h" && Array.isArray(trace.y);
    });
    if (bars.length && !(layout.yaxis && layout.yaxis.ticktext)) {
      const names = bars[0].y.map(String);
      const short = names.map(function (name) {
        return name.split(" · ")[0];
      });
      if (short.some(function (name, i) { return name !== names[i]; })) {
        update["yaxis.tickmode"] = "array";
        update["yaxis.tickvals"] = names;
        update["yaxis.ticktext"] = short;
        window.Plotly.relayout(gd, update); // the legend and margins follow on the next pass
        return;
      }
    }
    const title = layout.title && layout.title.text;
    const legend = gd.querySelector(".legend");
    const above = Boolean(full.showlegend && full.legend && full.legend.y >= 1 && legend);
    if (title && title.indexOf("<br>") < 0) {
      const size = 14;
      const lines = wrap(title, Math.floor((width - 24) / (size * 0.55)));
      if (!(layout.title.font && layout.title.font.size === size)) {
        update["title.font.size"] = size;
      }
      if (lines.length > 1) {
        update["title.text"] = lines.join("<br>");
        // Plotly sets a title's first line at the anchor: the others push it up and out.
        update["title.pad.t"] = 6 + 17 * (lines.length - 1);
        if (!above) { // with a legend above the plot, the next pass fits both
          const top = (layout.margin && layout.margin.t) || 44;
          update["margin.t"] = top + 18 * (lines.length - 1);
        }
      }
    }
    if (title && above && !update["title.text"]) {
      // Title and legend share the top margin, which Plotly sizes for the legend alone: a
      // legend of several lines would cover a title of two.
      const lines = String(title).split("<br>").length;
      const need = Math.ceil(lines * 19 + 14 + legend.getBBox().height);
      if (full._size && full._size.t < need - 2) {
        update["margin.t"] = need;
      }
    }
    const plot = full._size ? full._size.h : MIN_PLOT;
    if (plot < MIN_PLOT - 2 && !update["title.text"]) {
      update.height = Math.round(full.height + MIN_PLOT - plot);
    }
    if (Object.keys(update).length) {
      window.Plotly.relayout(gd, update);
    }
  }
  function watch() {
    document.querySelectorAll(".cti-graph .js-plotly-plot").forEach(function (gd) {
      if (gd.ctiCompact || typeof gd.on !== "function") {
        return;
      }
      gd.ctiCompact = true;
      gd.on("plotly_afterplot", function () {
        window.requestAnimationFrame(function () {
          compact(gd);
        });
      });
      compact(gd);
    });
  }
  new MutationObserver(watch).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["class"],
  });
})();

/* The account panel of the header (components/shell.py, a <details>): closed by Escape (the
   focus back on its button), by a click outside it, and once one of its links is followed. */
(function () {
  function openPanels() {
    return document.querySelectorAll("details.cti-user-details[open]");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openPanels().forEach(function (details) {
      details.open = false;
      const summary = details.querySelector("summary");
      if (summary && details.contains(document.activeElement)) {
        summary.focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    openPanels().forEach(function (details) {
      if (!target || !details.contains(target) || target.closest(".cti-user-menu a")) {
        details.open = false;
      }
    });
  });
})();
