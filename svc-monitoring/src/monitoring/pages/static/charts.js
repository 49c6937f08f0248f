/* Draws each chart of a Kota LIVE monitoring page from the JSON the page carries.
 *
 * The page runs no inline script: it holds each chart's data in a
 * <script type="application/json" id="chart-data-..."> element (never run by the browser)
 * beside a <canvas data-chart="chart-data-...">, and this file, served by monitoring
 * itself with the pinned Chart.js, draws them. The same figures are in the table under
 * each chart. */
(function () {
  "use strict";

  var TONES = {
    blue: "#1f6fd1",
    teal: "#0e9384",
    green: "#2f9e44",
    amber: "#e8a200",
    red: "#d9480f",
    violet: "#7048e8",
    grey: "#868e96"
  };
  var ROW_HEIGHT = 30;

  function formatter(locale, axis) {
    if (axis === "share") {
      var percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
      return function (value) { return percent.format(value); };
    }
    if (axis === "money") {
      var money = new Intl.NumberFormat(locale, {
        style: "currency", currency: "IDR", maximumFractionDigits: 1, notation: "compact"
      });
      return function (value) { return money.format(value); };
    }
    var count = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    return function (value) { return count.format(value); };
  }

  function fullFormatter(locale, axis) {
    if (axis === "share") {
      var percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
      return function (value) { return percent.format(value); };
    }
    if (axis === "money") {
      var money = new Intl.NumberFormat(locale, {
        style: "currency", currency: "IDR", maximumFractionDigits: 0
      });
      return function (value) { return money.format(value); };
    }
    return formatter(locale, axis);
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var horizontal = spec.horizontal;
    var valueAxis = horizontal ? "x" : "y";
    var scales = {};
    // The first kind of figure is read on the main axis; another kind (a share drawn over
    // counts, invoices beside rupiah) on an axis of its own, across from it.
    var kinds = [];
    spec.series.forEach(function (series) {
      if (kinds.indexOf(series.axis) < 0) { kinds.push(series.axis); }
    });
    function axisOf(kind) { return kinds.indexOf(kind) === 0 ? valueAxis : kind; }
    var datasets = spec.series.map(function (series) {
      var colour = TONES[series.tone] || TONES.grey;
      var dataset = {
        label: series.label,
        data: series.values,
        type: series.line ? "line" : "bar",
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: series.line ? 2 : 0,
        borderRadius: series.line ? 0 : 3,
        pointRadius: series.line ? 3 : 0,
        spanGaps: true,
        order: series.line ? 0 : 1
      };
      dataset[horizontal ? "xAxisID" : "yAxisID"] = axisOf(series.axis);
      return dataset;
    });
    kinds.forEach(function (kind, index) {
      var format = formatter(spec.locale, kind);
      scales[axisOf(kind)] = {
        axis: valueAxis,
        position: index === 0 ? undefined : (horizontal ? "top" : "right"),
        beginAtZero: true,
        stacked: index === 0 && spec.stacked,
        max: kind === "share" ? 1 : undefined,
        grid: { drawOnChartArea: index === 0 },
        ticks: {
          callback: function (value) { return format(value); },
          precision: kind === "share" ? undefined : 0
        }
      };
    });
    scales[horizontal ? "y" : "x"] = {
      stacked: spec.stacked,
      grid: { display: false },
      ticks: { autoSkip: !horizontal, maxRotation: 0 }
    };
    if (horizontal) {
      // Bars across: the box grows with the rows, so every label stays readable.
      var perRow = spec.stacked ? ROW_HEIGHT : 14 + 12 * spec.series.length;
      canvas.parentNode.style.height = Math.max(160, 90 + spec.labels.length * perRow) + "px";
    }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        locale: spec.locale,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                var series = spec.series[context.datasetIndex];
                var value = context.parsed[valueAxis];
                if (value === null || value === undefined) { return series.label + ": —"; }
                return series.label + ": " + fullFormatter(spec.locale, series.axis)(value);
              }
            }
          }
        }
      }
    });
  }

  function start() {
    if (!window.Chart) { return; }
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#3d4753";
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
