/* The incident map: vendored Leaflet with no tile server at all. It draws the state and county outlines shipped with
   Amparo (static/vendor/us/), highlights the incident's state and county, and marks the point if one is recorded.
   Without JavaScript or Leaflet the text fallback inside the element stays. */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || typeof window.L === "undefined") { return; }
  var L = window.L;
  var base = el.getAttribute("data-outlines");
  var lat = parseFloat(el.getAttribute("data-lat"));
  var lon = parseFloat(el.getAttribute("data-lon"));
  var admin1 = (el.getAttribute("data-admin1") || "").toUpperCase();
  var admin2 = (el.getAttribute("data-admin2") || "").toLowerCase().replace(/ county$/, "");
  var hasPoint = !isNaN(lat) && !isNaN(lon);

  var fallback = el.querySelector(".map-fallback");
  var caption = fallback ? fallback.textContent : "";
  el.textContent = "";
  el.classList.add("map-live");
  var map = L.map(el, { attributionControl: true, zoomSnap: 0.25, preferCanvas: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("U.S. Census Bureau outlines (us-atlas)");
  map.setView(hasPoint ? [lat, lon] : [39.5, -98.35], hasPoint ? 10 : 4);

  var outline = { color: "#7b828c", weight: 0.8, fill: true, fillColor: "#f8f9fb", fillOpacity: 1 };
  var here = { color: "#0b5cad", weight: 2, fill: true, fillColor: "#dbe7f5", fillOpacity: 1 };
  var stateFips = "";

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
      }
    }).addTo(map);
    if (chosen && !hasPoint) { map.fitBounds(chosen.getBounds()); }
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
      }
    }).addTo(map);
    if (county && !hasPoint) { map.fitBounds(county.getBounds()); }
    if (marker) { marker.bringToFront(); }
    el.classList.add("counties-loaded");
  }).catch(function () { /* outlines missing: the point (if any) still shows */ });

  var marker = null;
  if (hasPoint) {
    marker = L.circleMarker([lat, lon], { radius: 8, color: "#ffffff", weight: 2, fillColor: "#a4161a", fillOpacity: 1 });
    marker.addTo(map).bindTooltip(caption);
  }
}());
