/* The app's map behaviour in the browser (geo/maps/*.py build the maps with folium and call this).

   A map is built once per data version; filter and option changes only send a new *state*, which
   NK.update(map, state) applies to the living map: which partners show, legend, view, outline of the
   selected places, background, presentation size, coverage colours and symbols. Every HTML string in a
   state or in the marker data was escaped in Python (geo.maps.kit.html_text); nothing here builds HTML
   from data. Only the parts of a state that changed since the last update are applied. */
(function () {
  "use strict";
  var NK = window.NK = window.NK || {};

  /* Register a map part (layer, control, legend box) under a name, for later updates. */
  NK.part = function (map, name, obj) {
    map.nk = map.nk || {parts: {}, last: {}};
    map.nk.parts[name] = obj;
    return obj;
  };
  function part(map, name) { return map.nk && map.nk.parts[name]; }

  /* ---------------------------------------------------------------- partner markers */
  /* One partner layer (cluster or plain group) holding marker data for many partners; markers are
     created when first shown. show: true = all at once, false = none until NK.update says which. */
  NK.partnerLayer = function (group, points, show) {
    group.nkPartnerLayer = true;
    NK.setPoints(group, points);
    if (show) { NK.showIds(group, null); }
    return group;
  };
  NK.setPoints = function (group, points) {
    group.clearLayers();
    group.nkPoints = {};
    group.nkMarkers = {};
    group.nkOrder = points.map(function (p) { group.nkPoints[p.id] = p; return p.id; });
  };
  function marker(group, id) {
    var m = group.nkMarkers[id], p = group.nkPoints[id];
    if (m) { return m; }
    m = L.marker([p.y, p.x], {keyboard: true, riseOnHover: true, zIndexOffset: p.z, nkId: p.id,
      icon: L.divIcon({html: p.i, className: "nk-icon", iconSize: [p.s, p.s], iconAnchor: [p.s / 2, p.s / 2]})});
    m.bindTooltip(p.t, {direction: "top", offset: [0, -p.s / 2]});
    m.bindPopup(p.p, {maxWidth: 320});
    group.nkMarkers[id] = m;
    return m;
  }
  /* Show exactly these partner ids (null = all of the layer's partners). */
  NK.showIds = function (group, ids) {
    var wanted = (ids === null ? group.nkOrder : ids).filter(function (id) { return id in group.nkPoints; });
    var markers = wanted.map(function (id) { return marker(group, id); });
    group.clearLayers();
    if (group.addLayers) { group.addLayers(markers); } else { markers.forEach(function (m) { group.addLayer(m); }); }
  };
  function partnerLayers(map) { return (map.nk && map.nk.partners) || []; }
  NK.partners = function (map, group) {
    map.nk = map.nk || {parts: {}, last: {}};
    (map.nk.partners = map.nk.partners || []).push(group);
  };

  /* ---------------------------------------------------------------- handlers per state key */
  var apply = {
    /* partner ids to show (Karte) */
    ids: function (map, ids) { partnerLayers(map).forEach(function (g) { NK.showIds(g, ids); }); },
    /* replace the partners of the map (Fallsuche hits): marker data, all shown */
    points: function (map, points) {
      partnerLayers(map).forEach(function (g) { NK.setPoints(g, points); NK.showIds(g, null); });
    },
    /* legend HTML (escaped in Python); an open/closed <details> stays as the user left it */
    legend: function (map, html) {
      var box = part(map, "legend");
      if (!box) { return; }
      var before = box.querySelector("details"), open = before ? before.open : true;
      box.innerHTML = html;
      var after = box.querySelector("details");
      if (after) { after.open = open; }
    },
    /* red outline of the selected places (keys of the Gemeinden layer) */
    outline: function (map, keys) {
      var old = part(map, "outline"), areas = part(map, "gemeinden");
      if (old) { map.removeLayer(old); }
      if (!areas || !keys || !keys.length) { return; }
      var wanted = {}, features = [];
      keys.forEach(function (k) { wanted[k] = true; });
      areas.eachLayer(function (l) { if (l.feature && wanted[l.feature.properties.key]) { features.push(l.feature); } });
      NK.part(map, "outline", L.geoJSON({type: "FeatureCollection", features: features},
        {interactive: false, style: function () { return {color: "#d50000", weight: 3, fill: false}; }}).addTo(map));
    },
    /* outline of the Gemeinden a what-if scenario changes (AGS of the choropleth layer) */
    changed: function (map, keys) {
      var old = part(map, "changed"), areas = part(map, "choropleth"), wanted = {}, features = [];
      if (old) { map.removeLayer(old); }
      if (!areas || !keys || !keys.length) { return; }
      keys.forEach(function (k) { wanted[k] = true; });
      areas.eachLayer(function (l) { if (l.feature && wanted[l.feature.properties.ags]) { features.push(l.feature); } });
      NK.part(map, "changed", L.geoJSON({type: "FeatureCollection", features: features}, {interactive: false,
        style: function () { return {color: "#e6007e", weight: 4, fill: false, className: "nk-geaendert"}; }}).addTo(map));
    },
    /* zoom to [[s, w], [n, e]] so that the area lies clear of every control (NK.fit); refitted when the
       map changes size (e.g. presentation mode) until the user moves the map himself */
    view: function (map, view, first) {
      map.nk.view = view;
      map.nk.moved = false;
      NK.fit(map, !first);
    },
    /* background: "none" (boundaries only, offline) or "osm" */
    tiles: function (map, tiles) {
      var base = part(map, "base");
      if (!base) { return; }
      Object.keys(base).forEach(function (k) { if (k !== tiles && map.hasLayer(base[k])) { map.removeLayer(base[k]); } });
      if (base[tiles] && !map.hasLayer(base[tiles])) { map.addLayer(base[tiles]); }
    },
    /* presentation mode: large legend and labels (karte.css .nk-gross) */
    large: function (map, large) { map.getContainer().classList.toggle("nk-gross", !!large); },
    /* coverage choropleth: {ags: [fill colour, tooltip HTML]}; Gemeinden without data stay empty */
    areas: function (map, areas) {
      var layer = part(map, "choropleth");
      layer.eachLayer(function (l) {
        var a = areas[l.feature.properties.ags];
        l.setStyle({fillColor: a ? a[0] : "#ffffff", fillOpacity: a ? 0.75 : 0});
        l.unbindTooltip();
        if (a) { l.bindTooltip(a[1], {sticky: true}); }
      });
    },
    /* the choropleth's name in the layer switch (it names the display mode) */
    areas_name: function (map, name) { rename(map, "choropleth", name); },
    /* status symbols at each Gemeinde: [[lat, lon, HTML]] (not interactive) */
    symbols: function (map, rows) {
      refill(map, "symbols", rows.map(function (r) {
        return L.marker([r[0], r[1]], {interactive: false, keyboard: false,
          icon: L.divIcon({html: r[2], className: "", iconSize: [14, 14], iconAnchor: [7, 7]})});
      }));
    },
    /* offers of the chosen key as small points: [[lat, lon, tooltip HTML]] */
    offers: function (map, rows) {
      refill(map, "offers", rows.map(function (r) {
        return L.circleMarker([r[0], r[1]], {radius: 5, color: "#000000", weight: 1.5, fill: true,
          fillColor: "#ffffff", fillOpacity: 1}).bindTooltip(r[2]);
      }));
    },
    offers_name: function (map, name) { rename(map, "offers", name); },
    /* Bedarfsmeldungen: [[lat, lon, icon HTML, tooltip HTML]] */
    needs: function (map, rows) {
      refill(map, "needs", rows.map(function (r) {
        return L.marker([r[0], r[1]], {icon: L.divIcon({html: r[2], className: "", iconSize: [20, 20],
          iconAnchor: [-2, 22]})}).bindTooltip(r[3], {sticky: true});
      }));
    }
  };
  var ORDER = ["tiles", "large", "areas", "areas_name", "symbols", "offers", "offers_name", "needs", "points", "ids",
               "legend", "outline", "changed", "view"];

  function refill(map, name, layers) {
    var group = part(map, name);
    group.clearLayers();
    layers.forEach(function (l) { group.addLayer(l); });
  }
  function rename(map, name, label) {
    var control = part(map, "control"), layer = part(map, name);
    if (!control || !layer) { return; }
    control.removeLayer(layer);
    control.addOverlay(layer, label);
  }

  /* ---------------------------------------------------------------- fitting the view */
  var CORNERS = ["topleft", "topright", "bottomleft", "bottomright"], MARGIN = 12;
  /* Width and height each map corner's controls take (legend, zoom buttons, layer switch, scale …). */
  function cornerSizes(map) {
    var box = map.getContainer().getBoundingClientRect(), out = {};
    CORNERS.forEach(function (c) {
      var w = 0, h = 0, top = c.indexOf("top") === 0, left = c.indexOf("left") > 0;
      map.getContainer().querySelectorAll(".leaflet-" + c.replace(/(top|bottom)/, "$1.leaflet-") +
                                          " > .leaflet-control").forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (!r.width || !r.height) { return; }
        w = Math.max(w, left ? r.right - box.left : box.right - r.left);
        h = Math.max(h, top ? r.bottom - box.top : box.bottom - r.top);
      });
      out[c] = [w, h];
    });
    return out;
  }
  /* The paddings that keep bounds clear of all controls, at the largest zoom: each corner's controls are
     avoided either beside (horizontal padding) or above/below (vertical padding); all 16 ways are tried. */
  NK.padding = function (map, bounds, margin) {
    var sizes = cornerSizes(map), best = null, m = margin === undefined ? MARGIN : margin;
    for (var mask = 0; mask < 16; mask++) {
      var pad = {left: 0, right: 0, top: 0, bottom: 0};
      CORNERS.forEach(function (c, i) {
        var s = sizes[c], side = (mask >> i) & 1;
        if (!s[0]) { return; }
        if (side) {
          var h = c.indexOf("left") > 0 ? "left" : "right";
          pad[h] = Math.max(pad[h], s[0]);
        } else {
          var v = c.indexOf("top") === 0 ? "top" : "bottom";
          pad[v] = Math.max(pad[v], s[1]);
        }
      });
      var tl = L.point(pad.left + m, pad.top + m), br = L.point(pad.right + m, pad.bottom + m);
      var zoom = map.getBoundsZoom(bounds, false, tl.add(br));
      var spare = Math.min(map.getSize().x - tl.x - br.x, map.getSize().y - tl.y - br.y);
      if (spare < 40) { continue; }  // too little room left: not a way to fit (Leaflet would zoom in fully)
      if (!best || zoom > best.zoom || (zoom === best.zoom && spare > best.spare)) {
        best = {zoom: zoom, spare: spare, tl: tl, br: br};
      }
    }
    return best;
  };
  /* Fit the map to its state's view (no-op without one or while the map has no size). */
  NK.fit = function (map, animate) {
    var view = map.nk && map.nk.view, size = map.getSize();
    if (!view || !size.x || !size.y) { return; }
    if (map._animatingZoom) {  // a running zoom animation would end at its own target, after this fit
      map.once("zoomend", function () { NK.fit(map, false); });
      return;
    }
    var bounds = L.latLngBounds(view.bounds), best = NK.padding(map, bounds, view.margin);
    if (!best) { best = {tl: L.point(0, 0), br: L.point(0, 0)}; }  // a tiny map: controls cover it anyway
    map.fitBounds(bounds, {paddingTopLeft: best.tl, paddingBottomRight: best.br, maxZoom: view.max_zoom || 18,
                           animate: !!animate});
  };
  function watch(map) {
    if (map.nk.watching) { return; }
    map.nk.watching = true;
    /* only the user's own moves (drag, wheel, buttons, keys) stop the refitting */
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (type) {
      map.getContainer().addEventListener(type, function () { map.nk.moved = true; }, {passive: true});
    });
    map.on("resize", function () { if (!map.nk.moved) { NK.fit(map, false); } });
    /* controls that change size (legend text, fonts arriving late) make room again */
    if (window.ResizeObserver) {
      var sizes = new ResizeObserver(function () { if (!map.nk.moved) { NK.fit(map, false); } });
      map.getContainer().querySelectorAll(".leaflet-control-container > div").forEach(function (c) { sizes.observe(c); });
    }
  }

  /* Apply a state; only keys whose value changed since the last update are touched. */
  NK.update = function (map, state) {
    map.nk = map.nk || {parts: {}, last: {}};
    var last = map.nk.last, first = !map.nk.updated;
    watch(map);
    ORDER.forEach(function (key) {
      if (!(key in state)) { return; }
      var text = JSON.stringify(state[key]);
      if (last[key] === text) { return; }
      last[key] = text;
      apply[key](map, state[key], first);
    });
    map.nk.updated = true;
  };
})();
