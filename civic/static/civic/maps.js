/* Maps (Leaflet): a place's boundary, proposals as markers, the forum list narrowed
   to the visible area, funded and unfunded projects on the results page, and a
   location picker on idea and proposal forms. Every map is an addition: without
   JavaScript or tiles the page still has its list and its number fields. */
(function () {
  "use strict";
  // Colours come from the design tokens (tokens.css), read once from the page.
  function token(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  var COLOURS = {
    funded: token("--brand"), in_delivery: token("--brand"), delivered: token("--brand-dark"),
    not_funded: token("--map-not-funded"), shortlisted: token("--s2"), published: token("--accent"),
    polling_point: token("--brand-dark")
  };

  function data(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // Data reaches the page as text, never as HTML (a title is whatever a resident typed).
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    var meta = document.createElement("div");
    meta.className = "muted";
    meta.textContent = [props.cost, props.address, props.status_label].filter(Boolean).join(" · ");
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function addMarkers(map, collection, layer) {
    (collection.features || []).forEach(function (f) {
      var c = f.geometry.coordinates;
      var colour = COLOURS[f.properties.status] || COLOURS.published;
      L.circleMarker([c[1], c[0]], {
        radius: 9, color: token("--card"), weight: 2, fillColor: colour, fillOpacity: 0.95,
        className: "map-marker map-marker-" + f.properties.status
      }).bindPopup(popup(f.properties)).bindTooltip(text(f.properties.title)).addTo(layer);
    });
  }

  function setUp(box) {
    box.hidden = false;
    var el = box.querySelector(".map");
    var map = L.map(el, { scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 19, attribution: box.dataset.attribution
    }).addTo(map);
    var bounds = null;
    var boundary = data(box.dataset.boundary);
    if (boundary) {
      var shape = L.geoJSON(boundary, {
        style: { color: token("--brand"), weight: 2, fillOpacity: 0.06 }, interactive: false
      }).addTo(map);
      bounds = shape.getBounds();
    }
    var markers = L.featureGroup().addTo(map);
    function fit() {
      var area = box.dataset.area && box.dataset.area.split(",").map(Number);
      if (area && area.length === 4 && area.every(isFinite)) {
        map.fitBounds([[area[0], area[1]], [area[2], area[3]]]);
      } else if (markers.getLayers().length) {
        map.fitBounds(markers.getBounds().extend(bounds || markers.getBounds()), { padding: [24, 24], maxZoom: 16 });
      } else if (bounds) {
        map.fitBounds(bounds);
      } else {
        map.setView([54.5, -2.5], 5);
      }
    }
    var inline = data(box.dataset.markers);
    if (inline) addMarkers(map, inline, markers);
    if (box.dataset.markersUrl) {
      fetch(box.dataset.markersUrl, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (json) {
          addMarkers(map, json, markers);
          box.dataset.count = String(markers.getLayers().length);
          fit();
        });
    } else {
      box.dataset.count = String(markers.getLayers().length);
    }
    fit();
    if (box.dataset.areaForm) areaSearch(box, map);
    if (box.hasAttribute("data-picker")) picker(box, map);
    box.map = map;
  }

  // "Search this area": the forum list (and the markers) narrowed to what is visible.
  function areaSearch(box, map) {
    var form = document.getElementById(box.dataset.areaForm);
    var input = form && form.querySelector("input[name=area]");
    var button = box.querySelector(".map-search-area");
    if (!input || !button) return;
    // Offered once the resident moves the map themselves (not when it fits itself).
    function offer() { button.hidden = false; }
    map.on("dragend", offer);
    map.getContainer().addEventListener("keydown", offer);
    box.querySelectorAll(".leaflet-control-zoom a").forEach(function (a) {
      a.addEventListener("click", offer);
    });
    button.addEventListener("click", function () {
      var b = map.getBounds();
      input.value = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]
        .map(function (v) { return v.toFixed(5); }).join(",");
      form.submit();
    });
  }

  // The location picker: click the map (or drag the pin) to fill the two fields.
  function picker(box, map) {
    var form = box.closest("form");
    var lat = form.querySelector("input.map-latitude");
    var lng = form.querySelector("input.map-longitude");
    var pin = null;
    function place(latlng, pan) {
      if (!pin) {
        pin = L.marker(latlng, { draggable: true, keyboard: true, title: box.dataset.pinLabel, alt: box.dataset.pinLabel }).addTo(map);
        pin.on("dragend", function () { write(pin.getLatLng()); });
      } else {
        pin.setLatLng(latlng);
      }
      if (pan) map.panTo(latlng);
    }
    function write(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
    }
    function read() {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (isFinite(a) && isFinite(b)) place([a, b], true);
    }
    map.on("click", function (e) { place(e.latlng); write(e.latlng); });
    lat.addEventListener("change", read);
    lng.addEventListener("change", read);
    read();
    if (pin) map.setView(pin.getLatLng(), 16);
    var clear = box.querySelector(".map-clear");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        lat.value = ""; lng.value = "";
        if (pin) { map.removeLayer(pin); pin = null; }
      });
    }
  }

  L.Icon.Default.imagePath = document.querySelector("[data-map]").dataset.icons;
  document.querySelectorAll("[data-map]").forEach(setUp);
})();
