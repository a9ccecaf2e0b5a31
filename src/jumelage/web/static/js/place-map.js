/* A map of one place and its partners (or of a network's members), drawn from the
   rows of the table beside it: each row carries data-lat, data-lon, data-name, data-href. */
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  if (!element || !window.L) { return; }
  var maps = window.JumelageMaps;
  var map = maps.baseMap(element, "50m");
  var svg = L.svg();
  var bounds = [];
  var hasCentre = element.hasAttribute("data-lat");
  var centre = hasCentre
    ? [parseFloat(element.getAttribute("data-lat")), parseFloat(element.getAttribute("data-lon"))]
    : null;
  var rows = document.querySelectorAll(element.getAttribute("data-rows"));
  var lines = 0;

  rows.forEach(function (row) {
    if (!row.hasAttribute("data-lat")) { return; }
    var point = [parseFloat(row.getAttribute("data-lat")), parseFloat(row.getAttribute("data-lon"))];
    var level = row.getAttribute("data-level") || "member";
    var ended = row.getAttribute("data-status") === "ended";
    var name = row.getAttribute("data-name");
    var path = point;
    if (centre) {
      path = maps.greatCircle(centre, point, 48);
      L.polyline(path, {
        renderer: svg, interactive: false,
        className: "partner-line level-" + level + (ended ? " ended" : "")
      }).addTo(map);
      lines += 1;
      point = path[path.length - 1];
    }
    L.circleMarker(point, { renderer: svg, radius: 5, className: "partner-marker level-" + level })
      .bindTooltip(maps.textLabel(name))
      .bindPopup(maps.popupLink(name, row.getAttribute("data-href")))
      .addTo(map);
    bounds.push(point);
  });

  if (centre) {
    L.circleMarker(centre, { renderer: svg, radius: 8, className: "home-marker" })
      .bindTooltip(maps.textLabel(element.getAttribute("data-name")))
      .addTo(map);
    bounds.push(centre);
  }
  if (bounds.length > 1) {
    map.fitBounds(L.latLngBounds(bounds).pad(0.15), { maxZoom: 6 });
  } else if (bounds.length === 1) {
    map.setView(bounds[0], 6);
  } else {
    map.setView([30, 10], 2);
  }
  element.setAttribute("data-lines-drawn", String(lines));
  element.setAttribute("data-markers-drawn", String(bounds.length - (centre ? 1 : 0)));
})();
