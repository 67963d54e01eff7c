// jixiao dashboard: ECharts (vendored) from the data the page carries as JSON.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var c = window.echarts.init(el);
    option.title = { text: el.getAttribute("data-title"), left: "center", textStyle: { fontSize: 14 } };
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
    el.setAttribute("data-ready", "1");
  }
  var gradeColors = { "优": "#2e7d32", "良": "#1565c0", "中": "#f9a825", "差": "#c62828" };
  chart("chart-grades", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], top: 30,
      data: data.grades.map(function (g) {
        return { name: g.grade, value: g.n, itemStyle: { color: gradeColors[g.grade] || "#9e9e9e" } };
      }) }]
  });
  chart("chart-statuses", {
    tooltip: {}, grid: { top: 40, bottom: 30, left: 50, right: 20 },
    xAxis: { type: "category", data: data.statuses.map(function (s) { return s.status; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.statuses.map(function (s) { return s.n; }) }]
  });
  function points(inflated) {
    return data.scatter.filter(function (p) { return p.inflated === inflated; }).map(function (p) {
      return { value: [Number(p.rate), Number(p.total)], id: p.id, project: p.project, declared: p.declared };
    });
  }
  chart("chart-scatter", {
    legend: { top: 30 },
    tooltip: { formatter: function (p) {
      var d = p.data, div = document.createElement("div");
      div.textContent = d.project + "：执行率 " + d.value[0] + "%，计算总分 " + d.value[1] + "，自评 " + (d.declared || "-");
      return div.innerHTML;
    } },
    grid: { top: 80, bottom: 40, left: 50, right: 20 },
    xAxis: { type: "value", name: "执行率(%)", nameLocation: "middle", nameGap: 25, min: 0,
      max: function (v) { return Math.min(data.rate_max, Math.max(100, Math.ceil(v.max / 10) * 10)); } },
    yAxis: { type: "value", name: "总分（计算）", min: 0, max: 100 },
    series: [
      { name: "其他", type: "scatter", symbolSize: 6, itemStyle: { color: "#90a4ae" }, data: points(false) },
      { name: "自评虚高", type: "scatter", symbolSize: 9, itemStyle: { color: "#d32f2f" }, data: points(true) }
    ]
  }, true);
  var top = data.findings.slice().reverse();
  chart("chart-findings", {
    tooltip: {}, grid: { top: 40, bottom: 30, left: 260, right: 30 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: top.map(function (f) { return f.rule + " " + f.title; }),
      axisLabel: { width: 240, overflow: "truncate" } },
    series: [{ type: "bar", data: top.map(function (f) { return f.n; }) }]
  });
  var scatter = document.getElementById("chart-scatter");
  if (scatter && window.echarts) {
    window.echarts.getInstanceByDom(scatter).on("click", function (p) {
      if (p.data && p.data.id) window.location.href = "/forms/" + p.data.id + "/";
    });
  }
})();
