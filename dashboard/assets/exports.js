/* Export buttons of charts and grids (components/exports.py). No network: the browser draws the
   chart image itself, and AG Grid writes the CSV; the Excel file is written by the server from
   the rows collected here. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  cti_exports: {
    /* The id of the button that fired, e.g. {type: "chart-export", graph: "...", format: "svg"}. */
    triggered: function () {
      const fired = (window.dash_clientside.callback_context || {}).triggered || [];
      if (!fired.length || !fired[0].value) {
        return null;
      }
      const propId = fired[0].prop_id;
      try {
        return JSON.parse(propId.slice(0, propId.lastIndexOf(".")));
      } catch (error) {
        return null;
      }
    },

    /* Download the chart as drawn on screen, as PNG (twice its size, sharp) or SVG. */
    chart: function (_clicks, name) {
      const noUpdate = window.dash_clientside.no_update;
      const id = window.dash_clientside.cti_exports.triggered();
      const holder = id && document.getElementById(id.graph);
      const plot = holder && (holder.classList.contains("js-plotly-plot")
        ? holder : holder.querySelector(".js-plotly-plot"));
      if (!plot || !window.Plotly) {
        return noUpdate;
      }
      const size = plot._fullLayout || {};
      window.Plotly.downloadImage(plot, {
        format: id.format,
        filename: name || id.graph,
        width: size.width,
        height: size.height,
        scale: id.format === "png" ? 2 : 1,
      });
      return Date.now();
    },

    /* CSV: AG Grid writes the rows displayed. Excel: hand the displayed rows to the server. */
    grid: function (_clicks, name) {
      const noUpdate = window.dash_clientside.no_update;
      const id = window.dash_clientside.cti_exports.triggered();
      if (!id || !window.dash_ag_grid) {
        return noUpdate;
      }
      let api;
      try {
        api = window.dash_ag_grid.getApi(id.grid);
      } catch (error) {
        return noUpdate;
      }
      const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, "");
      if (id.format === "csv") {
        // Spreadsheets in French and Arabic expect ";" between fields (the comma is decimal).
        const english = (document.documentElement.lang || "").slice(0, 2) === "en";
        api.exportDataAsCsv({
          fileName: (name || id.grid) + "-" + stamp + ".csv",
          columnSeparator: english ? "," : ";",
        });
        return noUpdate;
      }
      const columns = (api.getAllDisplayedColumns() || [])
        .filter(function (column) { return column.getColDef().field; })
        .map(function (column) {
          return {
            field: column.getColDef().field,
            header: api.getDisplayNameForColumn(column, null),
          };
        });
      const rows = [];
      api.forEachNodeAfterFilterAndSort(function (node) {
        if (node.data) {
          const row = {};
          columns.forEach(function (column) { row[column.field] = node.data[column.field]; });
          rows.push(row);
        }
      });
      return { name: name || id.grid, title: name || id.grid, columns: columns, rows: rows, at: Date.now() };
    },
  },
});
