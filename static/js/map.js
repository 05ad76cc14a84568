// The dashboard's map, plain SVG (no tiles, no library): the boundaries come from the site's own
// static file (static/map/wilayah.json, scripts/boundaries_convert.py), the figures from the page
// (data-map on the figure, monitoring/maps.py). Each sub-region the table lists is a link that
// drills down as the table's does; the others are drawn grey. Colour classes are fixed thresholds
// (monitoring/maps.py BINS), stated in the legend.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-map]");
  if (!box) { return; }
  var spec = JSON.parse(box.dataset.map);
  var svgNS = "http://www.w3.org/2000/svg";
  var palette = ["#1a9850", "#a6d96a", "#fee08b", "#fc8d59", "#d73027"];
  var noData = "#d9dee1";
  var select = box.querySelector("select[data-map-figure]");
  var svg = box.querySelector("svg");
  var legend = box.querySelector("[data-map-legend]");

  function colourClass(figure, value) {
    if (value === null || value === undefined) { return null; }
    var cuts = figure.cuts, n = 0, i;
    if (figure.higher_worse) {
      if (value === 0) { return 0; }
      for (i = 1; i < cuts.length; i++) { if (value >= cuts[i]) { n++; } }
      return 1 + n;
    }
    for (i = 0; i < cuts.length; i++) { if (value >= cuts[i]) { n++; } }
    return 4 - n;
  }

  function pathOf(polygons, box4) {
    var d = "";
    polygons.forEach(function (rings) {
      rings.forEach(function (ring) {
        var x = ring[0], y = -ring[1];
        d += "M" + x + " " + y;
        box4[0] = Math.min(box4[0], x); box4[1] = Math.min(box4[1], y);
        box4[2] = Math.max(box4[2], x); box4[3] = Math.max(box4[3], y);
        var rel = [];
        for (var i = 2; i < ring.length; i += 2) {
          x += ring[i]; y -= ring[i + 1];
          rel.push(ring[i] + " " + (-ring[i + 1]));
          if (x < box4[0]) { box4[0] = x; } if (y < box4[1]) { box4[1] = y; }
          if (x > box4[2]) { box4[2] = x; } if (y > box4[3]) { box4[3] = y; }
        }
        d += "l" + rel.join(" ") + "z";
      });
    });
    return d;
  }

  function wanted(code) {
    if (spec.level === 0) { return code.indexOf(".") < 0; }
    return code.indexOf(spec.region + ".") === 0 && code.split(".").length === 2;
  }

  function figureOf(key) {
    for (var i = 0; i < spec.figures.length; i++) { if (spec.figures[i].key === key) { return spec.figures[i]; } }
    return spec.figures[0];
  }

  function paint() {
    var figure = figureOf(select.value);
    svg.querySelectorAll("path[data-region]").forEach(function (path) {
      var row = spec.children[path.dataset.region];
      var value = row ? row[figure.key] : null;
      var cls = colourClass(figure, value);
      path.setAttribute("fill", cls === null ? noData : palette[cls]);
      path.dataset.class = cls === null ? "none" : String(cls);
      var title = path.querySelector("title");
      title.textContent = path.dataset.name + (row ? ": " + (value === null ? spec.no_data : value.toLocaleString("id-ID") + " %") +
        " · " + row.groups + " " + spec.groups_word : "");
    });
    legend.textContent = "";
    figure.legend.concat([spec.no_data]).forEach(function (label, i) {
      var item = document.createElement("li");
      var swatch = document.createElementNS(svgNS, "svg");
      swatch.setAttribute("width", "14"); swatch.setAttribute("height", "14"); swatch.setAttribute("aria-hidden", "true");
      var rect = document.createElementNS(svgNS, "rect");
      rect.setAttribute("width", "14"); rect.setAttribute("height", "14");
      rect.setAttribute("fill", i < palette.length ? palette[i] : noData);
      swatch.appendChild(rect);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + label));
      legend.appendChild(item);
    });
  }

  function draw(data) {
    var box4 = [Infinity, Infinity, -Infinity, -Infinity];
    var codes = Object.keys(data.regions).filter(wanted).sort();
    codes.forEach(function (code) {
      var region = data.regions[code];
      var path = document.createElementNS(svgNS, "path");
      path.setAttribute("d", pathOf(region.p, box4));
      path.setAttribute("vector-effect", "non-scaling-stroke");
      path.dataset.region = code;
      path.dataset.name = region.n;
      path.appendChild(document.createElementNS(svgNS, "title"));
      var parent = svg;
      if (spec.children[code]) {
        var link = document.createElementNS(svgNS, "a");
        link.setAttribute("href", "?wilayah=" + encodeURIComponent(code) + "&periode=" + encodeURIComponent(spec.period)
          + (spec.angka ? "&angka=" + encodeURIComponent(spec.angka) : ""));
        link.setAttribute("aria-label", region.n);
        svg.appendChild(link);
        parent = link;
      }
      parent.appendChild(path);
    });
    var pad = Math.max(box4[2] - box4[0], box4[3] - box4[1]) * 0.02;
    svg.setAttribute("viewBox", [box4[0] - pad, box4[1] - pad, box4[2] - box4[0] + 2 * pad, box4[3] - box4[1] + 2 * pad].join(" "));
    box.dataset.drawn = String(codes.length);
    paint();
  }

  select.addEventListener("change", paint);
  fetch(box.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(draw)
    .catch(function () { box.dataset.drawn = "error"; });
});
