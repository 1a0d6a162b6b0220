/* The call form's place finder: a town box (offline look-up at /intake/places/) and a map to tap for the spot.
   Both fill the form's Latitude and Longitude fields; without JavaScript the fields are typed as before and the
   finder stays hidden. Names from the look-up reach the page as option values and text nodes only. */
(function () {
  "use strict";
  var box = document.getElementById("place-picker");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!box || !lat || !lon || typeof window.L === "undefined" || !window.fetch) { return; }
  var L = window.L;
  box.hidden = false;
  var town = document.getElementById("picker-town");
  var list = document.getElementById("picker-towns");
  var note = document.getElementById("picker-note");
  var tiles = box.getAttribute("data-tiles") || "";
  var found = {};
  // with street tiles a town opens on its streets; over the bare outlines it opens wide enough to show the coast and
  // state lines around it, so a tap still lands near the right place
  var townZoom = tiles ? 13 : 8;

  var map = L.map("picker-map", { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.setView([39.5, -98.35], 3);
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  } else {
    fetch(box.getAttribute("data-outlines") + "states.geojson", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) {
          L.geoJSON(data, { style: { color: "#7b828c", weight: 0.8, fillColor: "#f8f9fb", fillOpacity: 1 },
                            interactive: false }).addTo(map);
        }
      })
      .catch(function () { /* the map still takes taps without outlines */ });
  }
  var icon = L.divIcon({ className: "incident-point", iconSize: [18, 18], iconAnchor: [9, 9], html: "" });
  var marker = null;

  function put(latitude, longitude, zoom) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    if (marker) { marker.setLatLng([latitude, longitude]); }
    else { marker = L.marker([latitude, longitude], { icon: icon, keyboard: false }).addTo(map); }
    if (zoom) { map.setView([latitude, longitude], zoom); }
    box.setAttribute("data-picked", "yes");
  }

  map.on("click", function (event) {
    put(event.latlng.lat, event.latlng.lng, 0);
  });

  var timer = null;
  town.addEventListener("input", function () {
    var value = town.value.trim();
    if (found[value]) {
      put(found[value].lat, found[value].lon, townZoom);
      return;
    }
    window.clearTimeout(timer);
    if (value.length < 2) { return; }
    timer = window.setTimeout(function () {
      fetch(box.getAttribute("data-places") + "?q=" + encodeURIComponent(value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { places: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.places.forEach(function (place) {
            found[place.label] = place;
            var option = document.createElement("option");
            option.value = place.label;
            list.appendChild(option);
          });
        })
        .catch(function () { /* offline: the fields can still be typed */ });
    }, 200);
  });
  town.addEventListener("change", function () {
    var place = found[town.value.trim()];
    if (place) { put(place.lat, place.lon, townZoom); }
  });
  town.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }  // Enter here picks a town, it does not save the call
  });
})();
