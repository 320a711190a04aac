/* Signed-in dashboards (ADR 0032): the trend of the main rates over the last 12 months,
   drawn with the vendored Apache ECharts (canvas renderer).

   An element `[data-trend="ID"]` (kept `hidden` until drawn) names the json_script element
   ID holding {months: [label], series: [{rate, name, data: [number|null]}], targets:
   [{rate, name, value}]}. Its `.dash-chart` becomes the chart; each target is a dashed
   line in its rate's colour. Without JavaScript the element stays hidden and the table
   under it is the trend.

   Boosted navigation (hx-boost) swaps only the body, so ECharts may be missing when this
   file arrives with a dashboard: it then loads ECharts itself from data-echarts-js. */
(function () {
  "use strict";
  if (window.cheepaoDashboards) {
    window.cheepaoDashboards.drawAll();
    return;
  }

  var live = [];
  var loading = false;

  function forget() {
    live = live.filter(function (chart) {
      if (chart.getDom().isConnected) return true;
      try { chart.dispose(); } catch (e) { /* already gone */ }
      return false;
    });
  }

  function loadECharts(holder) {
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = holder.dataset.echartsJs;
    script.onload = script.onerror = function () { loading = false; if (window.echarts) drawAll(); };
    document.head.appendChild(script);
  }

  function draw(holder) {
    var box = holder.querySelector(".dash-chart");
    var source = document.getElementById(holder.dataset.trend);
    if (!box || !source || box.cheepaoChart) return;
    var data = JSON.parse(source.textContent);
    box.innerHTML = "";
    holder.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    box.cheepaoChart = chart;
    live.push(chart);
    var palette = ["#1f6feb", "#8250df", "#bf8700", "#1a7f37", "#cf222e"];
    var series = data.series.map(function (s, i) {
      var lines = data.targets.filter(function (t) { return t.rate === s.rate; });
      var out = {
        name: s.name,
        type: "line",
        data: s.data,
        connectNulls: false,
        symbolSize: 6,
        itemStyle: { color: palette[i % palette.length] }
      };
      if (lines.length) {
        out.markLine = {
          silent: true,
          symbol: "none",
          lineStyle: { type: "dashed", color: palette[i % palette.length] },
          label: { formatter: "{c} %", position: "insideEndTop" },
          data: lines.map(function (t) { return { yAxis: t.value, name: t.name }; })
        };
      }
      return out;
    });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 16, bottom: 96 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " %"; } },
      legend: { bottom: 0, type: "scroll" },
      xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
      series: series
    });
  }

  function drawAll() {
    forget();
    var holders = document.querySelectorAll("[data-trend]");
    if (!holders.length) return;
    if (!window.echarts) {
      loadECharts(holders[0]);
      return;
    }
    holders.forEach(draw);
  }

  function resize() {
    live.forEach(function (chart) { chart.resize(); });
  }

  window.cheepaoDashboards = { drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  window.addEventListener("resize", resize);
  document.addEventListener("htmx:afterSettle", drawAll);
  document.addEventListener("htmx:historyRestore", drawAll);
})();
