/* 托育设施地块地图 · The parcel map of facility_sizing, shared by the web page and fs.explore_map.
 *
 * Draws sized parcels with Leaflet (vendored with the package) coloured by one requirement, on a
 * plain background; tiles only when a tile URL is given. Every parcel is a keyboard stop (Enter
 * or Space shows its figures) up to KEYBOARD_STOPS parcels; beyond that the table beside the map
 * is the way in. Nothing is loaded from elsewhere.
 *
 *   FacilityMap.draw(element, {
 *     features,            // GeoJSON FeatureCollection in WGS84; properties: row, id, name, value, status
 *                          // ("ok" | "error" | "none"), figure (the value in words), error, basis
 *     words: {title, legend, error, none, parcel, noMap},  // the legend's and labels' words
 *     tiles: {url, attribution} | null,
 *     onSelect: function (row) {},                 // a parcel chosen on the map
 *   }) → {map, select(row), destroy()}
 */
(function (global) {
  "use strict";

  const PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
  const KEYBOARD_STOPS = 300;
  const STYLES = {
    error: { color: "#444444", weight: 1, dashArray: "2 4", fillColor: "#b0b0b0", fillOpacity: 0.7 },
    none: { color: "#666666", weight: 1.5, dashArray: "4 4", fillColor: "#ffffff", fillOpacity: 0.15 },
  };

  /* The colour classes of the values: at most five equal steps of a round width (1, 2, 2.5 or 5 × 10ⁿ),
     lowest first; the highest value falls in the last class. */
  function classes(values) {
    const finite = values.filter((v) => typeof v === "number" && isFinite(v));
    if (!finite.length) return [];
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    if (hi === lo) return [{ lo, hi, colour: PALETTE[2] }];
    let power = Math.pow(10, Math.floor(Math.log10((hi - lo) / PALETTE.length)));
    for (;;) {
      for (const unit of [1, 2, 2.5, 5]) {
        const step = unit * power;
        const start = Math.floor(lo / step) * step;
        const n = Math.max(1, Math.ceil((hi - start) / step - 1e-9));
        if (n <= PALETTE.length) {
          const shift = PALETTE.length - n;
          return Array.from({ length: n }, (_, i) => ({
            lo: start + i * step,
            hi: start + (i + 1) * step,
            colour: PALETTE[i + shift],
          }));
        }
      }
      power *= 10;
    }
  }

  function colourOf(value, bands) {
    for (const band of bands) if (value < band.hi || band === bands[bands.length - 1]) return band.colour;
    return PALETTE[0];
  }

  function number(v) {
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function describe(p, words) {
    const name = [p.id, p.name].filter((x) => x !== null && x !== undefined && x !== "").join(" ");
    const head = name || `${words.parcel} ${p.row}`;
    if (p.status === "error") return `${head}：${words.error}。${p.error || ""}`;
    if (p.status === "none") return `${head}：${words.none}。${p.basis || ""}`;
    return `${head}：${words.legend} ${p.figure}`;
  }

  function legendControl(bands, words, counts) {
    const control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      const box = L.DomUtil.create("div", "fs-map-legend");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", `${words.legend} 图例 legend`);
      const title = L.DomUtil.create("div", "fs-map-legend-title", box);
      title.textContent = words.legend;
      const swatch = (className, colour, text) => {
        const row = L.DomUtil.create("div", "fs-map-legend-row", box);
        const mark = L.DomUtil.create("span", `fs-map-swatch ${className}`, row);
        if (colour) mark.style.backgroundColor = colour;
        const label = L.DomUtil.create("span", "", row);
        label.textContent = text;
      };
      for (const b of bands) swatch("", b.colour, bands.length > 1 ? `${number(b.lo)} – ${number(b.hi)}` : number(b.lo));
      if (counts.none) swatch("fs-map-none", null, `${words.none}（${counts.none}）`);
      if (counts.error) swatch("fs-map-error", null, `${words.error}（${counts.error}）`);
      return box;
    };
    return control;
  }

  function focusable(layer, text, choose) {
    const el = layer.getElement && layer.getElement();
    if (!el) return;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", text);
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose();
      }
    });
  }

  function draw(element, options) {
    const words = options.words;
    const features = (options.features && options.features.features) || [];
    const map = L.map(element, { keyboard: true, zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix("Leaflet");
    if (options.tiles && options.tiles.url) {
      L.tileLayer(options.tiles.url, { attribution: options.tiles.attribution || "", maxZoom: 19 }).addTo(map);
    }
    const values = features.filter((f) => f.properties.status === "ok").map((f) => f.properties.value);
    const bands = classes(values);
    const counts = { error: 0, none: 0 };
    const byRow = new Map();
    let selected = null;
    const styleOf = (f) => {
      const p = f.properties;
      if (p.status !== "ok") return STYLES[p.status];
      return { color: "#555555", weight: 1, fillColor: colourOf(p.value, bands), fillOpacity: 0.85 };
    };
    const layer = L.geoJSON(options.features, {
      style: styleOf,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 6 }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        if (p.status !== "ok") counts[p.status] += 1;
        const text = describe(p, words);
        l.bindTooltip(text, { sticky: true });
        l.bindPopup(() => {
          const box = document.createElement("div");
          box.className = "fs-map-popup";
          box.textContent = text;
          return box;
        });
        l.on("click", () => options.onSelect && options.onSelect(p.row));
        byRow.set(p.row, { layer: l, text, feature: f });
      },
    }).addTo(map);
    legendControl(bands, words, counts).addTo(map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    else map.setView([30.27, 120.15], 10);
    let stops = 0;
    for (const [row, entry] of byRow) {
      if (stops++ >= KEYBOARD_STOPS) break;
      focusable(entry.layer, entry.text, () => api.select(row, true));
    }
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", `${words.title}：${features.length} ${words.parcel}`);

    function highlight(entry) {
      if (selected) selected.layer.setStyle({ weight: selected.feature.properties.status === "ok" ? 1 : 1.5 });
      selected = entry;
      entry.layer.setStyle({ weight: 4 });
      if (entry.layer.bringToFront) entry.layer.bringToFront();
    }

    const api = {
      map,
      bands,
      select(row, notify) {
        const entry = byRow.get(row);
        if (!entry) return false;
        highlight(entry);
        const b = entry.layer.getBounds ? entry.layer.getBounds() : L.latLngBounds([entry.layer.getLatLng()]);
        map.fitBounds(b, { maxZoom: Math.max(map.getZoom(), 15), padding: [40, 40] });
        entry.layer.openPopup();
        if (notify && options.onSelect) options.onSelect(row);
        return true;
      },
      destroy() {
        map.remove();
      },
    };
    return api;
  }

  global.FacilityMap = { draw, classes };
})(window);
