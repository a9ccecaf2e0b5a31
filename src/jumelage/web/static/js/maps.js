/* Shared map helpers: a Leaflet map over Natural Earth country outlines.
   No tile server: the outlines are TopoJSON files served by this site. */
(function () {
  "use strict";

  var outlines = {};

  function countries(scale) {
    if (!outlines[scale]) {
      outlines[scale] = fetch("/static/vendor/world-atlas/countries-" + scale + ".json")
        .then(function (response) { return response.json(); })
        .then(function (topo) { return unwrap(topojson.feature(topo, topo.objects.countries)); });
    }
    return outlines[scale];
  }

  /* Natural Earth cuts shapes at the date line; Leaflet would draw such a ring's
     closing edge across the whole map. Rings are made continuous, and Antarctica
     (ISO 3166 numeric 010), which holds no municipality, is left out. */
  function unwrapRing(ring) {
    var previous = null;
    return ring.map(function (point) {
      var lon = point[0];
      if (previous !== null) {
        while (lon - previous > 180) { lon -= 360; }
        while (previous - lon > 180) { lon += 360; }
      }
      previous = lon;
      return [lon, point[1]];
    });
  }

  function unwrap(collection) {
    collection.features = collection.features.filter(function (feature) {
      return feature.id !== "010" && feature.geometry;
    });
    collection.features.forEach(function (feature) {
      var g = feature.geometry;
      if (g.type === "Polygon") {
        g.coordinates = g.coordinates.map(unwrapRing);
      } else if (g.type === "MultiPolygon") {
        g.coordinates = g.coordinates.map(function (polygon) { return polygon.map(unwrapRing); });
      }
    });
    return collection;
  }

  function baseMap(element, scale, options) {
    var fallback = element.querySelector(".map-fallback");
    if (fallback) { fallback.remove(); }
    var map = L.map(element, Object.assign({
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: 11,
      zoomSnap: 0.5,
      attributionControl: true
    }, options || {}));
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth");
    var renderer = L.canvas({ padding: 0.5 });
    countries(scale || "110m").then(function (shapes) {
      L.geoJSON(shapes, {
        renderer: renderer,
        interactive: false,
        style: { color: "#8c97a3", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
      element.setAttribute("data-outlines", "ready");
    });
    return map;
  }

  /* Points along the great circle from a to b ([lat, lon]), longitudes unwrapped
     so that a line across the date line stays short. */
  function greatCircle(a, b, steps) {
    var rad = Math.PI / 180;
    var lat1 = a[0] * rad, lon1 = a[1] * rad, lat2 = b[0] * rad, lon2 = b[1] * rad;
    var d = 2 * Math.asin(Math.sqrt(Math.pow(Math.sin((lat2 - lat1) / 2), 2) +
      Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin((lon2 - lon1) / 2), 2)));
    if (d < 1e-6) { return [a, b]; }
    var points = [];
    var previous = null;
    for (var i = 0; i <= steps; i++) {
      var f = i / steps;
      var A = Math.sin((1 - f) * d) / Math.sin(d), B = Math.sin(f * d) / Math.sin(d);
      var x = A * Math.cos(lat1) * Math.cos(lon1) + B * Math.cos(lat2) * Math.cos(lon2);
      var y = A * Math.cos(lat1) * Math.sin(lon1) + B * Math.cos(lat2) * Math.sin(lon2);
      var z = A * Math.sin(lat1) + B * Math.sin(lat2);
      var lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / rad;
      var lon = Math.atan2(y, x) / rad;
      if (previous !== null) {
        while (lon - previous > 180) { lon -= 360; }
        while (previous - lon > 180) { lon += 360; }
      }
      previous = lon;
      points.push([lat, lon]);
    }
    return points;
  }

  /* A link element for a popup, built from text: names are never parsed as HTML. */
  function popupLink(name, href, detail) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = href;
    link.textContent = name;
    box.appendChild(link);
    if (detail) {
      var small = document.createElement("div");
      small.className = "popup-detail";
      small.textContent = detail;
      box.appendChild(small);
    }
    return box;
  }

  /* Tooltip content from text: Leaflet would parse a string as HTML, so a place
     named "<img onerror=...>" must reach it as a text node inside an element. */
  function textLabel(text) {
    var span = document.createElement("span");
    span.textContent = text || "";
    return span;
  }

  window.JumelageMaps = {
    baseMap: baseMap, greatCircle: greatCircle, popupLink: popupLink, textLabel: textLabel
  };
})();
