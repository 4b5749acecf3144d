/* Export buttons of charts and grids (components/exports.py). No network: the browser draws the
   chart image itself, and AG Grid writes the CSV (people's text made inert, numbers as the
   language's spreadsheets read them); the Excel file is written by the server from the rows
   collected here. */
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

    /* One cell of a grid's CSV: a number with the language's decimal mark and no grouping (so
       that a spreadsheet reads it as a number), people's text never as a formula. */
    csvCell: function (params, csv) {
      const value = params.value;
      if (value === null || value === undefined) {
        return "";
      }
      if (typeof value === "number") {
        return Number.isFinite(value) ? String(value).replace(".", csv.decimal) : "";
      }
      let text = Array.isArray(value) ? value.join(", ")
        : (typeof value === "string" ? value : params.formatValue(value));
      text = text === null || text === undefined ? "" : String(text);
      return window.dash_clientside.cti_exports.inert(text, csv);
    },

    /* The rule of domain/spreadsheet.py inert_text, with its values sent by the server: a text
       a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) gets an
       apostrophe in front; a plain number such as "-5" stays as it is. And, as
       domain/csv_cells.py csv_inert_text does, each piece that the other list separator or a
       line break would cut out of the text (Excel splits on the computer's separator, and AG
       Grid's quotes keep only a line's first field whole) gets one too. */
    inert: function (text, csv) {
      const plain = new RegExp(csv.plainNumber);
      const risky = function (piece) {
        return piece !== "" && csv.formulaStarts.indexOf(piece.charAt(0)) >= 0 && !plain.test(piece);
      };
      const parts = (risky(text) ? "'" + text : text).split(/([,;\r\n])/);
      for (let index = 2; index < parts.length; index += 2) {
        if (risky(parts[index].replace(/^[ "]+/, ""))) {
          parts[index] = "'" + parts[index];
        }
      }
      return parts.join("");
    },

    /* CSV: AG Grid writes the rows displayed. Excel: hand the displayed rows to the server.
       `settings` is {name, csv: {separator, decimal, formulaStarts, plainNumber}} from
       components/exports.py. */
    grid: function (_clicks, settings) {
      const noUpdate = window.dash_clientside.no_update;
      const id = window.dash_clientside.cti_exports.triggered();
      if (!id || !window.dash_ag_grid || !settings || !settings.csv) {
        return noUpdate;
      }
      const name = settings.name;
      let api;
      try {
        api = window.dash_ag_grid.getApi(id.grid);
      } catch (error) {
        return noUpdate;
      }
      const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, "");
      if (id.format === "csv") {
        const csv = settings.csv;
        api.exportDataAsCsv({
          fileName: (name || id.grid) + "-" + stamp + ".csv",
          columnSeparator: csv.separator, // ";" where the comma is the decimal mark
          processCellCallback: function (params) {
            return window.dash_clientside.cti_exports.csvCell(params, csv);
          },
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
