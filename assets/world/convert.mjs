// One-off converter (not part of the app): Natural Earth 1:110m countries TopoJSON from the
// npm package `world-atlas` -> a small JSON of lon/lat polygon rings used by
// wargame/ui/flowmap.py.  Run from a temp dir where `npm install world-atlas topojson-client`
// was done:   node /path/to/assets/world/convert.mjs > countries-110m.rings.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/");
const topojson = require("topojson-client");
const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-110m.json"), "utf8"));
const version = JSON.parse(readFileSync(require.resolve("world-atlas/package.json"), "utf8")).version;
const fc = topojson.feature(topo, topo.objects.countries);
const round = (v) => Math.round(v * 10) / 10; // 0.1 degree is plenty at 1:110m
const countries = [];
for (const f of fc.features) {
  const g = f.geometry;
  if (!g) continue;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const rings = [];
  for (const poly of polys) {
    for (const ring of poly) {
      const out = [];
      let last = null;
      for (const [lon, lat] of ring) {
        const p = [round(lon), round(lat)];
        if (last && last[0] === p[0] && last[1] === p[1]) continue;
        out.push(p);
        last = p;
      }
      if (out.length >= 4) rings.push(out.flat());
    }
  }
  countries.push({ id: f.id ?? "", name: f.properties?.name ?? "", rings });
}
process.stdout.write(JSON.stringify({
  source: "Natural Earth 1:110m Admin 0 countries via npm world-atlas " + version,
  format: "rings are flat [lon0, lat0, lon1, lat1, ...] lists in degrees (WGS84)",
  countries,
}));
