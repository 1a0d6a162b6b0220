/* The public map: state (and, zoomed in, county) outlines from vendored files, clustered incident points.
   Works with no tile server: the outlines are the base map. Built with DOM calls only (strict CSP, no innerHTML). */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || typeof L === "undefined") { return; }
  var d = box.dataset;
  box.textContent = "";
  box.classList.add("map-ready");
  var map = L.map(box, { minZoom: 2, maxZoom: 11, worldCopyJump: false, attributionControl: true });
  map.setView([39.5, -98.5], 4);
  if (d.tiles) {
    L.tileLayer(d.tiles, { maxZoom: 11, attribution: d.attribution || "" }).addTo(map);
  }
  map.attributionControl.addAttribution("U.S. Census Bureau (us-atlas)");

  function getJSON(url, done, failed) {
    var req = new XMLHttpRequest();
    req.open("GET", url);
    req.responseType = "json";
    req.onload = function () {
      if (req.status === 200 && req.response) { done(req.response); } else if (failed) { failed(); }
    };
    req.onerror = function () { if (failed) { failed(); } };
    req.send();
  }

  var outline = { color: "#4d535c", weight: 1, fillColor: "#eef1f5", fillOpacity: 1 };
  getJSON(d.states, function (geo) {
    var states = L.geoJSON(geo, { style: outline, interactive: false }).addTo(map);
    states.bringToBack();
    box.classList.add("states-loaded");
  });

  var counties = null;
  function showCounties() {
    if (map.getZoom() >= 6 && !counties) {
      counties = L.geoJSON(null, { style: { color: "#9aa2ad", weight: 0.5, fill: false }, interactive: false });
      getJSON(d.counties, function (geo) { counties.addData(geo); });
    }
    if (counties) {
      if (map.getZoom() >= 6) { counties.addTo(map); } else { counties.remove(); }
    }
  }
  map.on("zoomend", showCounties);

  function popup(p, labels, url) {
    var wrap = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = labels.incident_type[p[4]] || p[4];
    wrap.appendChild(title);
    var place = document.createElement("div");
    place.textContent = (labels.location_type[p[3]] || p[3]) + " · " + p[5];
    wrap.appendChild(place);
    if (p[7]) {
      var prot = document.createElement("div");
      prot.className = "popup-protected";
      prot.textContent = d.textProtected;
      wrap.appendChild(prot);
    }
    var link = document.createElement("a");
    link.href = url.replace("ID", encodeURIComponent(p[0])) + window.location.search;
    link.textContent = d.textOpen;
    wrap.appendChild(link);
    return wrap;
  }

  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, chunkedLoading: true });
  getJSON(d.points, function (data) {
    var markers = [];
    var regular = L.divIcon({ className: "pm pm-regular", iconSize: [14, 14] });
    var protectedIcon = L.divIcon({ className: "pm pm-protected", iconSize: [16, 16] });
    data.points.forEach(function (p) {
      var m = L.marker([p[1], p[2]], {
        icon: p[7] ? protectedIcon : regular,
        keyboard: true,
        title: (data.labels.incident_type[p[4]] || p[4]) + ", " + p[5]
      });
      m.bindPopup(function () { return popup(p, data.labels, data.url); });
      markers.push(m);
    });
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (markers.length) {  // open on the data, not the middle of the country (a phone sees every cluster)
      map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 9, animate: false });
    }
    box.classList.add("points-loaded");
    box.dataset.pointCount = String(markers.length);
  }, function () {
    var note = document.createElement("p");
    note.className = "map-error";
    note.textContent = d.textFailed;
    box.parentNode.insertBefore(note, box.nextSibling);
  });
})();
