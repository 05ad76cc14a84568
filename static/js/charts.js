// Radar charts for PEKA (Chart.js, vendored). Each <canvas class="radar-chart" data-chart="…"> carries
// its labels, scale top and series as JSON, so no inline script is needed (the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  var colours = ["#b0b7bb", "#0b7a53", "#c0392b", "#2c6fbb"];
  // Long domain names break over lines so that they fit around the chart.
  function wrap(text) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 16) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  document.querySelectorAll("canvas.radar-chart").forEach(function (canvas) {
    var spec = JSON.parse(canvas.dataset.chart);
    var many = spec.series.length > 1;
    new Chart(canvas, {
      type: "radar",
      data: {
        labels: spec.labels.map(wrap),
        datasets: spec.series.map(function (s, i) {
          var colour = many ? colours[i % colours.length] : colours[1];
          return { label: s.name, data: s.values, borderColor: colour, backgroundColor: colour + "33",
                   pointBackgroundColor: colour, borderWidth: 2 };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: true,
        layout: { padding: 4 },
        scales: { r: { min: 0, max: spec.top, ticks: { stepSize: 1 }, pointLabels: { font: { size: 10 } } } },
        plugins: { legend: { display: many } }
      }
    });
  });
});
