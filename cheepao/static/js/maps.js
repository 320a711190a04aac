/* Household maps: pins over the district's boundary, drawn with the vendored Leaflet.

   An element `[data-map="ID"]` (kept `hidden` until drawn) names the json_script element ID
   holding {points: [{lat, lon, type, type_label, label, url?}], district: GeoJSON Feature
   or null, boundary_attribution, tiles: {url, attribution} or null}. Its `.hh-mapcanvas`
   becomes the map. Without JavaScript the element stays hidden and the page shows the
   coordinates and links (folder) or the list (register) instead.

   No tile server is asked unless one is configured (CHEEPAO_MAP_TILES): the district
   polygon is the background, so the maps work offline.

   The maps of progress (maps app) add `areas: {url, mode, values, colours, no_data,
   name_key}`: the boundaries are fetched from `url` (only the areas the map shows). In
   "choropleth" mode each area is painted by its class (`values[code].cls`, null: no data,
   grey and dashed), names its figure on hover and opens its own map (`values[code].url`)
   when clicked; in "outline" mode the area (a subdistrict) is the background of its pins.

   Boosted navigation (hx-boost) swaps only the body, so Leaflet may be missing when this
   file arrives with a map page: it then loads Leaflet itself from the element's
   data-leaflet-js / data-leaflet-css. */
(function () {
  "use strict";
  if (window.cheepaoMaps) {
    window.cheepaoMaps.drawAll();
    return;
  }

  var live = []; // maps drawn, removed once their element has left the page
  var loading = false;

  function forget() {
    live = live.filter(function (map) {
      if (map.getContainer().isConnected) return true;
      try { map.remove(); } catch (e) { /* already gone */ }
      return false;
    });
  }

  function loadLeaflet(holder) {
    if (loading) return;
    loading = true;
    var pending = 0;
    function done() {
      pending -= 1;
      if (pending === 0) { loading = false; drawAll(); }
    }
    var css = holder.dataset.leafletCss;
    if (css && !document.querySelector('link[href="' + css + '"]')) {
      pending += 1;
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = css;
      link.onload = link.onerror = done;
      document.head.appendChild(link);
    }
    pending += 1;
    var script = document.createElement("script");
    script.src = holder.dataset.leafletJs;
    script.onload = script.onerror = done;
    document.head.appendChild(script);
  }

  function pinIcon(point) {
    var span = document.createElement("span");
    span.className = "hh-pin-shape";
    return L.divIcon({
      className: "hh-pin hh-pin-" + (point.type || "none"),
      html: span,
      iconSize: [24, 30],
      iconAnchor: [12, 28],
      popupAnchor: [0, -26]
    });
  }

  function popup(point) {
    // Built from text nodes: a house number typed in the field is never read as HTML.
    var box = document.createElement("div");
    var title = document.createElement(point.url ? "a" : "strong");
    if (point.url) title.href = point.url;
    title.textContent = point.label;
    var kind = document.createElement("div");
    kind.textContent = point.type_label;
    box.appendChild(title);
    box.appendChild(kind);
    return box;
  }

  function draw(holder) {
    var canvas = holder.querySelector(".hh-mapcanvas");
    var source = document.getElementById(holder.dataset.map);
    if (!canvas || !source || canvas.cheepaoMap) return;
    var data = JSON.parse(source.textContent);
    // A page restored from htmx's history holds a copy of the last map's markup.
    canvas.innerHTML = "";
    holder.hidden = false;
    if (!canvas.clientHeight) canvas.style.height = "300px"; // households.css missing

    var map = L.map(canvas, {
      minZoom: 5,
      maxZoom: 18,
      scrollWheelZoom: false, // the page scrolls past the map; the buttons zoom
      dragging: !L.Browser.mobile // one finger scrolls the page; two fingers move the map
    });
    canvas.cheepaoMap = map;
    live.push(map);

    if (data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
    }
    if (data.areas) {
      drawAreas(map, holder, data);
      return;
    }
    var area = L.latLngBounds([]);
    if (data.district) {
      var boundary = L.geoJSON(data.district, {
        interactive: false,
        style: { color: "#586069", weight: 2, fillColor: "#fffdf5", fillOpacity: data.tiles ? 0.1 : 1 }
      }).addTo(map);
      area.extend(boundary.getBounds());
      if (data.boundary_attribution) map.attributionControl.addAttribution(data.boundary_attribution);
    }
    var pins = L.latLngBounds(data.points.map(function (point) { return [point.lat, point.lon]; }));
    // The view first: Leaflet draws layers (and makes their elements) once the map has one.
    // Several pins: close enough to tell the houses apart. One pin: where it lies in its
    // district, or its street when there are tiles to show one.
    if (data.points.length > 1 || (data.tiles && pins.isValid()) || !area.isValid()) {
      map.fitBounds(pins.pad(0.15), { maxZoom: 16 });
    } else {
      map.fitBounds(area.extend(pins), { padding: [8, 8] });
    }
    addPins(map, data.points);
  }

  function addPins(map, points) {
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { icon: pinIcon(point), riseOnHover: true });
      marker.bindPopup(popup(point)).addTo(map);
      marker.getElement().setAttribute("aria-label", point.label + ", " + point.type_label);
    });
  }

  function areaStyle(areas, tiles, feature) {
    if (areas.mode !== "choropleth") {
      return { color: "#586069", weight: 2, fillColor: "#fffdf5", fillOpacity: tiles ? 0.1 : 1 };
    }
    var found = areas.values[feature.properties.code];
    var cls = found ? found.cls : null;
    if (cls === null || cls === undefined) {
      return { color: "#586069", weight: 1, fillColor: areas.no_data, fillOpacity: 0.9, dashArray: "4 3" };
    }
    return { color: "#586069", weight: 1, fillColor: areas.colours[cls], fillOpacity: 0.9 };
  }

  function drawAreas(map, holder, data) {
    var areas = data.areas;
    var choropleth = areas.mode === "choropleth";
    map.setView([13.0, 101.0], 5); // Thailand, until the areas arrive
    if (data.boundary_attribution) map.attributionControl.addAttribution(data.boundary_attribution);
    fetch(areas.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("areas " + response.status);
        return response.json();
      })
      .then(function (collection) {
        if (!map.getContainer().isConnected) return;
        var layer = L.geoJSON(collection, {
          interactive: choropleth,
          style: function (feature) { return areaStyle(areas, data.tiles, feature); }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (data.points.length) {
          bounds.extend(L.latLngBounds(data.points.map(function (p) { return [p.lat, p.lon]; })));
        }
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        layer.eachLayer(function (shape) {
          var code = shape.feature.properties.code;
          var found = areas.values[code];
          var text = found ? found.text : shape.feature.properties[areas.name_key];
          var element = shape.getElement && shape.getElement();
          if (element) {
            element.setAttribute("data-code", code);
            element.setAttribute("aria-label", text);
          }
          if (!choropleth) return;
          shape.bindTooltip(text, { sticky: true });
          if (found && found.url) {
            shape.on("click", function () { window.location.assign(found.url); });
          }
        });
        addPins(map, data.points);
        holder.dataset.drawn = "true";
      })
      .catch(function () {
        holder.dataset.drawn = "failed"; // the table under the map still holds every figure
      });
  }

  function drawAll() {
    forget();
    var holders = document.querySelectorAll("[data-map]");
    if (!holders.length) return;
    if (!window.L) {
      loadLeaflet(holders[0]);
      return;
    }
    holders.forEach(draw);
  }

  window.cheepaoMaps = { drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // New content from htmx: another page of the register, a boosted page, a restored page.
  document.addEventListener("htmx:afterSettle", drawAll);
  document.addEventListener("htmx:historyRestore", drawAll);
})();
