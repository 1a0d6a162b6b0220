/* The incident map: vendored Leaflet. With no tile server (the default) it draws the state and county outlines
   shipped with Amparo (static/vendor/us/) as the base map; with AMPARO_MAP_TILES (data-tiles, a {z}/{x}/{y} URL
   template of the network's own tile server) it draws those tiles and the outlines as lines only.
   The point, if recorded, is a marker above every outline, whether or not a state or county is known,
   and the map opens fitted to what is known: the point, else the county, else the state, else the country.
   Text from the record reaches the page as text nodes only (never as HTML: no innerHTML, no string tooltips).
   Without JavaScript or Leaflet the text fallback inside the element stays. */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || typeof window.L === "undefined") { return; }
  var L = window.L;
  var base = el.getAttribute("data-outlines");
  var tiles = el.getAttribute("data-tiles") || "";
  var nativeZoom = parseInt(el.getAttribute("data-tiles-max-zoom") || "", 10);  // a local file's deepest zoom
  var lat = parseFloat(el.getAttribute("data-lat"));
  var lon = parseFloat(el.getAttribute("data-lon"));
  var admin1 = (el.getAttribute("data-admin1") || "").toUpperCase();
  var admin2 = (el.getAttribute("data-admin2") || "").toLowerCase().replace(/ county$/, "");
  var hasPoint = !isNaN(lat) && !isNaN(lon);

  var fallback = el.querySelector(".map-fallback");
  var caption = fallback ? fallback.textContent.trim() : "";
  el.textContent = "";
  el.classList.add("map-live");
  var map = L.map(el, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("U.S. Census Bureau outlines (us-atlas)");
  map.setView(hasPoint ? [lat, lon] : [39.5, -98.35], hasPoint ? (tiles ? 15 : 7) : 4);

  if (tiles) {
    var layer = { maxZoom: 19, attribution: el.getAttribute("data-tiles-attribution") || "" };
    if (!isNaN(nativeZoom)) { layer.maxNativeZoom = nativeZoom; }  // deeper zooms enlarge that zoom's tiles
    L.tileLayer(tiles, layer).addTo(map);
  }
  var lines = !!tiles;  // over tiles the outlines are lines only, so the streets show through
  var outline = { color: "#7b828c", weight: 0.8, fill: !lines, fillColor: "#f8f9fb", fillOpacity: 1 };
  var here = { color: "#0b5cad", weight: 2, fill: !lines, fillColor: "#dbe7f5", fillOpacity: 1 };
  var stateFips = "";

  // the point is a marker in Leaflet's marker pane (z-index 600), above the overlay pane (400) where the outlines are
  // drawn, so neither a filled state nor a county ever hides it; its look is CSS (.incident-point), no HTML string
  if (hasPoint) {
    var tipNode = document.createElement("span");
    tipNode.textContent = caption;
    var icon = L.divIcon({ className: "incident-point", iconSize: [18, 18], iconAnchor: [9, 9], html: "" });
    L.marker([lat, lon], { icon: icon, keyboard: false, title: "" }).addTo(map).bindTooltip(tipNode);
    el.setAttribute("data-marker", "shown");
  }

  function fit(layer) {
    if (!hasPoint && layer) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
  }

  function fetchJson(name) {
    return fetch(base + name, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  }

  fetchJson("states.geojson").then(function (states) {
    var chosen = null;
    L.geoJSON(states, {
      style: function (f) {
        var match = admin1 && f.properties && f.properties.code === admin1;
        if (match) { stateFips = String(f.id); }
        return match ? here : outline;
      },
      onEachFeature: function (f, layer) {
        if (admin1 && f.properties && f.properties.code === admin1) { chosen = layer; }
      },
      interactive: false
    }).addTo(map);
    fit(chosen);
    el.classList.add("outlines-loaded");
    if (!stateFips) { return null; }
    return fetchJson("counties.geojson");
  }).then(function (counties) {
    if (!counties) { return; }
    var inState = counties.features.filter(function (f) { return String(f.id).indexOf(stateFips) === 0; });
    var county = null;
    L.geoJSON({ type: "FeatureCollection", features: inState }, {
      style: function (f) {
        var match = admin2 && f.properties && f.properties.name.toLowerCase() === admin2;
        return match ? here : { color: "#9aa1ab", weight: 0.5, fill: false };
      },
      onEachFeature: function (f, layer) {
        if (admin2 && f.properties && f.properties.name.toLowerCase() === admin2) { county = layer; }
      },
      interactive: false
    }).addTo(map);
    fit(county);
    el.classList.add("counties-loaded");
  }).catch(function () { /* outlines missing: the point (if any) still shows */ });
}());
