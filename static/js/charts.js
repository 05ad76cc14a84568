// Charts (Chart.js, vendored). Each <canvas class="chart" data-chart="…"> carries its type, labels and
// series as JSON, so no inline script is needed (the CSP forbids it). Radar charts keep the class
// "radar-chart" and a scale top (PEKA).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  var colours = ["#0b7a53", "#c0392b", "#2c6fbb", "#d4a017", "#7a4fa0", "#b0b7bb"];
  var paired = ["#b0b7bb", "#0b7a53"];
  function wrap(text) {
    var lines = [], line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 16) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  document.querySelectorAll("canvas.radar-chart, canvas.chart").forEach(function (canvas) {
    var spec = JSON.parse(canvas.dataset.chart);
    var type = spec.type || "radar";
    var many = spec.series.length > 1;
    var palette = spec.colours || (type === "radar" && many ? paired : colours);
    var datasets = spec.series.map(function (s, i) {
      var colour = type === "radar" && !many ? colours[0] : palette[i % palette.length];
      var set = { label: s.name, data: s.values, borderColor: colour, backgroundColor: colour + (type === "bar" ? "cc" : "33"),
                  pointBackgroundColor: colour, borderWidth: 2, tension: 0.2 };
      if (type === "doughnut") { set.backgroundColor = spec.colours || colours; set.borderColor = "#fff"; }
      if (spec.stacked) { set.stack = "s"; }
      return set;
    });
    var aspect = spec.aspect || (type === "doughnut" ? 2 : type === "radar" ? 1 : 1.8);
    var options = { animation: false, maintainAspectRatio: true, aspectRatio: aspect, layout: { padding: 4 },
                    plugins: { legend: { display: many || type === "doughnut", position: type === "doughnut" ? "right" : "bottom" } } };
    if (spec.height) {  // a fixed height in px (a bar per sub-region), whatever the width
      canvas.parentNode.style.position = "relative";
      canvas.parentNode.style.height = spec.height + "px";
      options.maintainAspectRatio = false;
    }
    if (type === "radar") {
      options.scales = { r: { min: 0, max: spec.top, ticks: { stepSize: 1 }, pointLabels: { font: { size: 10 } } } };
    } else if (type === "line" || type === "bar") {
      options.scales = { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked, beginAtZero: true } };
      if (spec.horizontal) { options.indexAxis = "y"; }
    }
    new Chart(canvas, { type: type, data: { labels: type === "radar" ? spec.labels.map(wrap) : spec.labels,
                                           datasets: datasets }, options: options });
  });
});
