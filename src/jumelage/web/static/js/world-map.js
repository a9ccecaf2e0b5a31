/* The home page's world map: every link as a line, every place as a clustered marker.
   The data comes compact from /map/data.json (places as rows, links as index pairs). */
(function () {
  "use strict";
  var element = document.getElementById("world-map");
  if (!element || !window.L) { return; }
  var maps = window.JumelageMaps;
  var map = maps.baseMap(element, "110m").setView([30, 12], 2);
  var status = document.getElementById("world-map-status");
  var LEVEL_COLOURS = ["#1d4f91", "#2f7d4f", "#c26a12", "#7b3f98"];

  function drawLinks(data) {
    var renderer = L.canvas({ padding: 0.4 });
    var byLevel = [[], [], [], []];
    var places = data.places;
    data.links.forEach(function (link) {
      var a = places[link[0]], b = places[link[1]];
      var lonB = b[2];
      // Across the date line, draw the short way round.
      if (lonB - a[2] > 180) { lonB -= 360; } else if (a[2] - lonB > 180) { lonB += 360; }
      byLevel[link[2]].push([[a[1], a[2]], [b[1], lonB]]);
    });
    byLevel.forEach(function (segments, level) {
      if (segments.length === 0) { return; }
      L.polyline(segments, {
        renderer: renderer, interactive: false, smoothFactor: 0,
        color: LEVEL_COLOURS[level], weight: 0.5, opacity: level === 0 ? 0.07 : 0.3
      }).addTo(map);
    });
    return data.links.length;
  }

  function drawPlaces(data) {
    var icon = L.divIcon({ className: "place-dot", iconSize: [10, 10] });
    var label = element.getAttribute("data-label-links") || "links";
    var markers = data.places.map(function (p) {
      var marker = L.marker([p[1], p[2]], { icon: icon, title: p[4], alt: p[4], keyboard: true });
      marker.placeRow = p;
      return marker;
    });
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
      disableClusteringAtZoom: 9
    });
    cluster.on("click", function (event) {
      var p = event.layer.placeRow;
      L.popup().setLatLng(event.latlng)
        .setContent(maps.popupLink(p[4], "/m/" + p[0], p[5] + " · " + p[3] + " " + label))
        .openOn(map);
    });
    cluster.addLayers(markers);
    map.addLayer(cluster);
    return markers.length;
  }

  fetch(element.getAttribute("data-src"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var links = drawLinks(data);
      var places = drawPlaces(data);
      element.setAttribute("data-links-drawn", String(links));
      element.setAttribute("data-places-drawn", String(places));
      if (status) {
        var lang = document.documentElement.lang || "en";
        status.textContent = (element.getAttribute("data-label-status") || "{places} · {links}")
          .replace("{places}", places.toLocaleString(lang))
          .replace("{links}", links.toLocaleString(lang));
      }
    });
})();
