/* The family folder (cheepao/folders): the form in short steps, the house's pin on a map.
   Without JavaScript every step shows at once and the latitude/longitude fields stay
   typeable; nothing here is needed to save. */
(function () {
  "use strict";

  function steps(form) {
    if (form.dataset.stepsReady) return;
    form.dataset.stepsReady = "1";
    var parts = Array.prototype.slice.call(form.querySelectorAll("fieldset.step"));
    if (parts.length < 2) return;
    var save = form.querySelector("[data-save]");
    var current = 0;
    // After a refused save, open the first step with a marked field.
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].querySelector(".field-invalid")) { current = i; break; }
    }
    function show(n) {
      current = n;
      parts.forEach(function (p, i) { p.hidden = i !== n; });
      if (save) save.hidden = n !== parts.length - 1;
      var legend = parts[n].querySelector("legend");
      if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
    }
    form.querySelectorAll("[data-step-next]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { show(Math.min(current + 1, parts.length - 1)); });
    });
    form.querySelectorAll("[data-step-back]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { show(Math.max(current - 1, 0)); });
    });
    show(current);
  }

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function baseMap(canvas, data) {
    var map = L.map(canvas, { zoomControl: true, attributionControl: !!(data && data.tiles) });
    if (data && data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
    }
    if (data && data.district) {
      L.geoJSON(data.district, {
        style: { color: "#586069", weight: 2, fillColor: "#fffdf5", fillOpacity: data.tiles ? 0.1 : 1 }
      }).addTo(map);
    }
    return map;
  }

  function canvasOf(figure) {
    var canvas = figure.querySelector(".folder-mapcanvas");
    if (!canvas || canvas.cheepaoMap) return null;
    canvas.innerHTML = ""; // a page restored from htmx's history holds the old markup
    return canvas;
  }

  function pinMap(figure) {
    var data = readJson(figure.getAttribute("data-pin-map"));
    var canvas = canvasOf(figure);
    if (!data || !canvas) return;
    figure.hidden = false;
    var map = baseMap(canvas, data);
    canvas.cheepaoMap = map;
    L.circleMarker([data.lat, data.lng], {
      radius: 9, weight: 2, color: "#fff", fillOpacity: 1, className: "pin pin-" + data.kind
    }).addTo(map);
    map.setView([data.lat, data.lng], 16);
  }

  function pinEditor(figure) {
    var form = figure.closest("form");
    var data = readJson(figure.getAttribute("data-pin-editor"));
    var canvas = canvasOf(figure);
    if (!data || !canvas) return;
    var lat = form.querySelector("[name=lat]");
    var lng = form.querySelector("[name=lng]");
    var status = form.querySelector("[data-location-status]");
    figure.hidden = false;
    var map = baseMap(canvas, data);
    canvas.cheepaoMap = map;
    var marker = null;
    function place(la, lo, zoom) {
      lat.value = la.toFixed(6);
      lng.value = lo.toFixed(6);
      if (marker) marker.setLatLng([la, lo]);
      else marker = L.marker([la, lo], { draggable: true }).addTo(map);
      marker.off("dragend").on("dragend", function () {
        var p = marker.getLatLng();
        place(p.lat, p.lng);
      });
      if (zoom) map.setView([la, lo], zoom);
    }
    var start = parseFloat(lat.value), startLng = parseFloat(lng.value);
    if (!isNaN(start) && !isNaN(startLng)) place(start, startLng, 16);
    else if (data.district) map.fitBounds(L.geoJSON(data.district).getBounds());
    else map.fitBounds(data.bounds);
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
    [lat, lng].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lng.value);
        if (!isNaN(a) && !isNaN(b)) place(a, b, 16);
      });
    });
    var use = form.querySelector("[data-use-location]");
    if (use && navigator.geolocation) {
      use.hidden = false;
      use.addEventListener("click", function () {
        status.textContent = use.getAttribute("data-waiting") || "…";
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            place(pos.coords.latitude, pos.coords.longitude, 17);
            status.textContent = "±" + Math.round(pos.coords.accuracy) + " m";
          },
          function (err) { status.textContent = err.message; },
          { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
        );
      });
    }
  }

  var loading = false;
  function loadLeaflet(holder, then) {
    // A boosted (htmx) page may run this file before the Leaflet script it lists.
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = holder.getAttribute("data-leaflet-js");
    script.onload = script.onerror = function () { loading = false; then(); };
    document.head.appendChild(script);
  }

  function init() {
    document.querySelectorAll("form[data-steps]").forEach(steps);
    var maps = document.querySelectorAll("[data-pin-map], [data-pin-editor]");
    if (!maps.length) return;
    if (typeof L === "undefined") {
      loadLeaflet(maps[0], init);
      return;
    }
    document.querySelectorAll("[data-pin-map]").forEach(pinMap);
    document.querySelectorAll("[data-pin-editor]").forEach(pinEditor);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:afterSettle", init);
  document.addEventListener("htmx:historyRestore", init);
})();
