/* Streamlit component that keeps one folium map alive (views/parts/livemap.py, geo/maps/live.py).

   Arguments per run: doc = {id, header, html, script, js, css} – the map as folium rendered it, the same
   for a whole data version – and state, which NK.update (static/karte/nk-karte.js) applies. The map is
   built only when doc.id changes; every other run just updates it, in the same frame. The component's
   value is {last_clicked: {lat, lng}} after a click into the map, if the page asks for clicks. */
(function () {
  "use strict";
  var built = null, queue = Promise.resolve(), latest = null, height = 0, loaded = {};

  function send(type, data) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data || {}), "*");
  }

  /* Scripts download in parallel but run in order (async = false); stylesheets in parallel. */
  function load(url, css) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var el = document.createElement(css ? "link" : "script");
        if (css) { el.rel = "stylesheet"; el.href = url; } else { el.src = url; el.async = false; }
        el.onload = resolve;
        el.onerror = function () { reject(new Error("Kartenbaustein fehlt: " + url)); };
        document.head.appendChild(el);
      });
    }
    return loaded[url];
  }

  function build(doc, events) {
    return Promise.all(doc.js.map(function (u) { return load(u, false); })
      .concat(doc.css.map(function (u) { return load(u, true); }))).then(function () {
      if (window.map_div && window.map_div.remove) { window.map_div.remove(); }
      document.querySelectorAll("[data-nk-doc]").forEach(function (n) { n.remove(); });
      var tpl = document.createElement("template");
      tpl.innerHTML = doc.header;
      Array.prototype.slice.call(tpl.content.children).forEach(function (n) {
        if (n.tagName !== "SCRIPT") { n.setAttribute("data-nk-doc", ""); document.head.appendChild(n); }
      });
      document.getElementById("nk-karte").innerHTML = doc.html;
      var script = document.createElement("script");
      script.setAttribute("data-nk-doc", "");
      script.text = doc.script;
      document.body.appendChild(script);  // runs now: defines map_div
      if (events.indexOf("click") >= 0) {
        window.map_div.on("click", function (e) {
          send("streamlit:setComponentValue", {value: {last_clicked: {lat: e.latlng.lat, lng: e.latlng.lng}},
                                               dataType: "json"});
        });
      }
      new ResizeObserver(function () { window.map_div.invalidateSize(); }).observe(window.map_div.getContainer());
      built = doc.id;
    });
  }

  function step() {
    var args = latest;
    if (args.height !== height) {
      height = args.height;
      send("streamlit:setFrameHeight", {height: height});
    }
    var ready = built === args.doc.id ? Promise.resolve() : build(args.doc, args.events || []);
    return ready.then(function () {
      if (latest === args) { window.NK.update(window.map_div, args.state || {}); }
    });
  }

  window.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "streamlit:render") { return; }
    latest = event.data.args;
    queue = queue.then(step).catch(function (err) { console.error(err); });
  });
  send("streamlit:componentReady", {apiVersion: 1});
})();
