import ConvoyGazetteer
import Foundation

/// A self-contained HTML page that shows the tracks and observations on a Leaflet map, with a time
/// slider and popups with status, vehicles and sources. At the slider's time the page shows, for each
/// unit, its feasible stretch (the export's `feasible` sample standing for that time), its best
/// estimate (the model's track, interpolated) and its track drawn up to that time; `<body>`'s
/// `data-time` and `data-state` (JSON) say what is drawn.
///
/// Leaflet is inlined from Debian's libjs-leaflet (`/usr/share/javascript/leaflet`) when it is
/// installed, so the page works offline; otherwise the page links Leaflet 1.9.4 from the unpkg CDN.
/// Background tiles come from OpenStreetMap when online; without them the tracks still draw.
public enum ViewPage {
    public static let leafletDirectory = "/usr/share/javascript/leaflet"
    public static let cdnScript = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"
    public static let cdnStylesheet = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"
    /// Subresource integrity of the CDN's files (Leaflet's download page): a changed file is not run.
    static let cdnScriptIntegrity = "sha256-20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo="
    static let cdnStylesheetIntegrity = "sha256-p4NxAoJBhIIN+hmNHrzRCf9tD/miZyoHS5obTRR9BMY="

    /// A named place drawn for orientation (the page works offline, without background tiles).
    public struct Landmark: Sendable {
        public let name: String
        public let latitude: Double
        public let longitude: Double

        public init(name: String, latitude: Double, longitude: Double) {
            self.name = name
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// The page's HTML. `leafletDirectory` overrides the folder searched for leaflet.js and leaflet.css.
    ///
    /// Every string from the log (ids, quotes, sources, places) reaches the page only as JSON data
    /// in a `<script type="application/json">` block, escaped so that no `<`, `>`, `&`, U+2028 or
    /// U+2029 appears in it (``scriptSafeJSON(_:)``: no `</script>` or `<!--` can end or bend the
    /// block), and is shown by the page's script through `textContent`, never parsed as HTML. The
    /// template is filled in one pass (``fill(_:_:)``), so a value that looks like a placeholder
    /// stays text. A Content-Security-Policy lets run only the page's own scripts and styles
    /// (a fresh random nonce per page) and no inline event handler, and load images only from
    /// OpenStreetMap's tiles.
    public static func html(
        for document: ExportDocument, landmarks: [Landmark] = [], title: String = "convoy", leafletDirectory directory: String = leafletDirectory
    ) throws(ExportError) -> String {
        let data = MemorySink()
        try Exporter.write(document, as: .geojson, to: data)
        let nonce = makeNonce()
        let leaflet = inlineLeaflet(directory: directory, nonce: nonce)
        let csp = "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; "
            + "img-src data: https://*.tile.openstreetmap.org; base-uri 'none'; form-action 'none'"
        return fill(template, [
            "CSP": escapeHTML(csp),
            "TITLE": escapeHTML(title),
            "NONCE": nonce,
            "LEAFLET_CSS": leaflet.style,
            "LEAFLET_JS": leaflet.script,
            "DATA": String(decoding: scriptSafeJSON(data.bytes), as: UTF8.self),
            "LANDMARKS": String(decoding: scriptSafeJSON(landmarksJSON(landmarks)), as: UTF8.self),
        ])
    }

    /// Leaflet's script and stylesheet elements: inlined from `directory` when it has both (and
    /// they cannot end their elements early), else from the CDN with their integrity hashes.
    static func inlineLeaflet(directory: String, nonce: String) -> (script: String, style: String) {
        if let js = FileManager.default.contents(atPath: directory + "/leaflet.js").map({ String(decoding: $0, as: UTF8.self) }),
            let css = FileManager.default.contents(atPath: directory + "/leaflet.css").map({ String(decoding: $0, as: UTF8.self) }),
            !containsCaseInsensitive(js, ["</script", "<!--"]), !containsCaseInsensitive(css, ["</style", "<!--"])
        {
            return ("<script nonce=\"\(nonce)\">\n\(js)\n</script>", "<style nonce=\"\(nonce)\">\n\(css)\n</style>")
        }
        return ("<script src=\"\(cdnScript)\" integrity=\"\(cdnScriptIntegrity)\" crossorigin=\"\" nonce=\"\(nonce)\"></script>",
                "<link rel=\"stylesheet\" href=\"\(cdnStylesheet)\" integrity=\"\(cdnStylesheetIntegrity)\" crossorigin=\"\" nonce=\"\(nonce)\">")
    }

    private static func containsCaseInsensitive(_ text: String, _ needles: [String]) -> Bool {
        let lower = text.lowercased()
        return needles.contains { lower.contains($0) }
    }

    /// 128 random bits in hex: the page's CSP nonce.
    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// The landmarks as JSON: `[[name, latitude, longitude], …]`.
    static func landmarksJSON(_ landmarks: [Landmark]) -> [UInt8] {
        var out = TextBuffer(sink: MemorySink())
        out.raw("[")
        for (index, l) in landmarks.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("[")
            out.string(l.name)
            out.raw(",\(l.latitude),\(l.longitude)]")
        }
        out.raw("]")
        return out.bytes
    }

    /// JSON text made safe inside a `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 written as
    /// `\\u` escapes. They occur in JSON only inside strings, where the escape means the same
    /// character, so the data is unchanged — and no `</script`, `<!--` or `-->` can appear.
    static func scriptSafeJSON(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 16)
        var i = 0
        func escape(_ code: String) { out.append(contentsOf: Array("\\u".utf8) + Array(code.utf8)) }
        while i < json.count {
            let b = json[i]
            switch b {
            case UInt8(ascii: "<"): escape("003c")
            case UInt8(ascii: ">"): escape("003e")
            case UInt8(ascii: "&"): escape("0026")
            case 0xE2 where i + 2 < json.count && json[i + 1] == 0x80 && (json[i + 2] == 0xA8 || json[i + 2] == 0xA9):
                escape(json[i + 2] == 0xA8 ? "2028" : "2029")
                i += 2
            default: out.append(b)
            }
            i += 1
        }
        return out
    }

    /// Text for HTML text or a quoted attribute value.
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The template with each `{{NAME}}` replaced by `values[NAME]`, in one pass: a value is never
    /// read again, so a value holding "{{DATA}}" stays those characters. Every placeholder of the
    /// template must have a value.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[name] else { preconditionFailure("the view page's template has no value for {{\(name)}}") }
            out += value
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// The page. Its script reads the data blocks, draws each feature by its kind (`draw`), and
    /// at the time slider's time (`update`) draws each track up to then, moves each unit's marker to
    /// its estimate and shows its feasible sample; every text is put in with `textContent`.
    static let template = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="{{CSP}}">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{TITLE}}</title>
        {{LEAFLET_CSS}}
        <style nonce="{{NONCE}}">
          html, body { height: 100%; margin: 0; font: 14px/1.35 system-ui, sans-serif; }
          #map { position: absolute; top: 0; bottom: 64px; left: 0; right: 0; background: #e8e4da; }
          #bar { position: absolute; bottom: 0; left: 0; right: 0; height: 64px; padding: 6px 14px; box-sizing: border-box; background: #fff; border-top: 1px solid #ccc; }
          #bar input { width: 100%; }
          #time { font-weight: 600; }
          #legend { position: absolute; top: 10px; right: 10px; z-index: 1000; background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
          .swatch { display: inline-block; width: 18px; height: 4px; margin-right: 6px; vertical-align: middle; }
          .popup-title { font-weight: 600; }
          .popup-quote { font-style: italic; color: #333; }
          .convoy-place-label { background: transparent; border: none; box-shadow: none; font-size: 11px; color: #333; padding: 0 2px; }
          .convoy-place-label::before { display: none; }
        </style>
        {{LEAFLET_JS}}
        </head>
        <body>
        <div id="map"></div>
        <div id="legend"></div>
        <div id="bar"><div><span id="time"></span> <span id="where"></span></div><input id="slider" type="range" min="0" max="1000" value="1000" aria-label="time"></div>
        <script id="convoy-data" type="application/json">{{DATA}}</script>
        <script id="convoy-landmarks" type="application/json">{{LANDMARKS}}</script>
        <script nonce="{{NONCE}}">
        (function () {
          'use strict';
          function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }
          var data = readJSON('convoy-data'), landmarks = readJSON('convoy-landmarks');

          // Page elements from text: the data is only ever set as textContent, never parsed as HTML.
          function textElement(tag, text, className) {
            var e = document.createElement(tag);
            if (className) { e.className = className; }
            e.textContent = text == null ? '' : String(text);
            return e;
          }
          // A popup or tooltip body: one line per entry ([text, className] or text); empty entries are skipped.
          function lines(entries) {
            var box = document.createElement('div');
            entries.forEach(function (entry) {
              if (entry == null || entry === '') { return; }
              var parts = Array.isArray(entry) ? entry : [entry];
              box.appendChild(textElement('div', parts[0], parts[1]));
            });
            return box;
          }
          function km(m) { return m == null ? '—' : (m / 1000).toFixed(1) + ' km'; }
          function lineLatLngs(coordinates) { return coordinates.map(function (c) { return [c[1], c[0]]; }); }

          var map = L.map('map', { preferCanvas: false });
          L.tileLayer('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', { maxZoom: 18, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);

          // One colour per convoy, in order of appearance (a Map: ids are data, not property names).
          var palette = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65', '#a04000'];
          var colours = new Map();
          function colour(convoy) {
            if (!colours.has(convoy)) { colours.set(convoy, palette[colours.size % palette.length]); }
            return colours.get(convoy);
          }

          landmarks.forEach(function (l) {
            L.circleMarker([l[1], l[2]], { radius: 3, color: '#555', weight: 1, fillColor: '#555', fillOpacity: 1, className: 'convoy-place' })
              .bindTooltip(textElement('span', l[0]), { permanent: true, direction: 'right', className: 'convoy-place-label', opacity: 0.8 }).addTo(map);
          });

          // The units the slider moves: per track, its vertices, their times and its marker.
          var tracks = [], t0 = Infinity, t1 = -Infinity;
          var units = new Map();  // JSON [convoy, unit] → its feasible samples and their layer
          var draw = {
            track: function (f, p) {
              if (!f.geometry || f.geometry.type !== 'LineString') { return; }
              var latlngs = lineLatLngs(f.geometry.coordinates);
              var times = p.times.map(function (s) { return Date.parse(s); });
              var name = p.convoy + ' / ' + p.unit;
              var line = L.polyline(latlngs, { color: colour(p.convoy), weight: 4, opacity: 0.8, className: 'convoy-track' })
                .bindPopup(lines([[name, 'popup-title'], p.vehicles, p.start + ' → ' + p.end, km(p.distance_m) + ' along the route']))
                .addTo(map);
              var marker = L.circleMarker(latlngs[latlngs.length - 1], { radius: 8, color: '#000', weight: 2, fillColor: colour(p.convoy), fillOpacity: 1, className: 'convoy-unit' })
                .bindTooltip(textElement('span', name)).addTo(map);
              tracks.push({ properties: p, latlngs: latlngs, times: times, marker: marker, line: line });
              t0 = Math.min(t0, times[0]); t1 = Math.max(t1, times[times.length - 1]);
            },
            // A sample of a unit's feasible set (the roads it can be on at p.time, standing for
            // valid_from – valid_to): kept per unit; the slider shows the sample of its time.
            feasible: function (f, p) {
              if (!f.geometry) { return; }
              var parts = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.type === 'MultiLineString' ? f.geometry.coordinates : [];
              var key = JSON.stringify([p.convoy, p.unit]);
              if (!units.has(key)) {
                units.set(key, {
                  convoy: p.convoy, unit: p.unit, samples: [],
                  layer: L.polyline([], { color: colour(p.convoy), weight: 12, opacity: 0.35, className: 'convoy-feasible' })
                    .bindTooltip(textElement('span', p.convoy + ' / ' + p.unit + ' — can be anywhere on this')).addTo(map)
                });
              }
              var from = Date.parse(p.valid_from), to = Date.parse(p.valid_to);
              units.get(key).samples.push({ time: Date.parse(p.time), from: from, to: to, parts: parts.map(lineLatLngs), length_m: p.length_m, uncertainty_m: p.uncertainty_m });
              t0 = Math.min(t0, from); t1 = Math.max(t1, to);
            },
            stretch: function (f, p) {
              L.polyline(lineLatLngs(f.geometry.coordinates), { color: colour(p.convoy), weight: 10, opacity: 0.25, dashArray: '4 8', className: 'convoy-stretch' })
                .bindPopup(lines(['uncertain: somewhere on this stretch', p.location])).addTo(map);
            },
            observation: function (f, p) {
              var c = f.geometry.coordinates;
              L.circleMarker([c[1], c[0]], { radius: 5, color: colour(p.convoy), weight: 2, fillColor: '#fff', fillOpacity: 1, className: 'convoy-observation' })
                .bindPopup(lines([
                  [p.time_text + ' — ' + p.status, 'popup-title'],
                  p.location,
                  p.vehicles ? 'vehicles: ' + p.vehicles : null,
                  p.people ? 'people: ' + p.people : null,
                  '± ' + km(p.uncertainty_m) + ', ' + km(p.cumulative_m) + ' from the start',
                  ['“' + p.quote + '”', 'popup-quote'],
                  p.source,
                  p.anomalies.length ? 'anomalies: ' + p.anomalies.join('; ') : null
                ])).addTo(map);
            }
          };
          data.features.forEach(function (f) {
            var p = f.properties;
            if (p && Object.prototype.hasOwnProperty.call(draw, p.kind)) { draw[p.kind](f, p); }
          });
          if (data.bbox) { map.fitBounds([[data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]]], { padding: [30, 30] }); } else { map.setView([34.5, 38.5], 6); }

          var legend = document.getElementById('legend');
          colours.forEach(function (c, convoy) {
            var row = document.createElement('div'), swatch = textElement('span', '', 'swatch');
            swatch.style.background = c;
            row.appendChild(swatch);
            row.appendChild(document.createTextNode(convoy));
            legend.appendChild(row);
          });

          units.forEach(function (u) { u.samples.sort(function (a, b) { return a.time - b.time; }); });
          // Where a unit is at time t (ms): interpolated between the vertices around t; null before
          // its start. Also how many vertices lie at or before t (the track is drawn up to there).
          function positionAt(track, t) {
            var ts = track.times, ll = track.latlngs;
            if (t < ts[0]) { return null; }
            if (t >= ts[ts.length - 1]) { return { point: ll[ll.length - 1], before: ll.length }; }
            var lo = 0, hi = ts.length - 1;
            while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (ts[mid] <= t) { lo = mid; } else { hi = mid; } }
            var f = ts[hi] === ts[lo] ? 0 : (t - ts[lo]) / (ts[hi] - ts[lo]);
            return { point: [ll[lo][0] + (ll[hi][0] - ll[lo][0]) * f, ll[lo][1] + (ll[hi][1] - ll[lo][1]) * f], before: lo + 1 };
          }
          // The feasible-set sample that stands for time t: valid_from <= t < valid_to (the last
          // sample also at its valid_to); null outside the samples (the unit does not exist then).
          function sampleAt(u, t) {
            var list = u.samples;
            for (var lo = 0, hi = list.length; lo < hi;) {
              var mid = (lo + hi) >> 1;
              if (list[mid].to <= t) { lo = mid + 1; } else { hi = mid; }
            }
            if (lo < list.length && list[lo].from <= t) { return list[lo]; }
            var last = list[list.length - 1];
            return last && last.to === t ? last : null;
          }
          function iso(t) { return new Date(t).toISOString().replace('.000Z', 'Z'); }
          var slider = document.getElementById('slider');
          function update() {
            if (!isFinite(t0)) { document.getElementById('time').textContent = 'no tracks'; return; }
            var t = t0 + (t1 - t0) * slider.value / 1000;
            document.getElementById('time').textContent = iso(t);
            var shown = 0, state = [];
            tracks.forEach(function (track) {
              var p = positionAt(track, t), drawn = p ? track.latlngs.slice(0, p.before) : [];
              if (p && (drawn.length === 0 || drawn[drawn.length - 1][0] !== p.point[0] || drawn[drawn.length - 1][1] !== p.point[1])) { drawn.push(p.point); }
              track.line.setLatLngs(drawn);
              if (p) { track.marker.setLatLng(p.point); track.marker.setStyle({ opacity: 1, fillOpacity: 1 }); shown++; }
              else { track.marker.setStyle({ opacity: 0, fillOpacity: 0 }); }
              state.push({ kind: 'track', convoy: track.properties.convoy, unit: track.properties.unit, points: p ? drawn.length : 0, estimate: p ? p.point : null });
            });
            units.forEach(function (u) {
              var sample = sampleAt(u, t);
              u.layer.setLatLngs(sample ? sample.parts : []);
              state.push({
                kind: 'feasible', convoy: u.convoy, unit: u.unit, sample: sample ? iso(sample.time) : null,
                points: sample ? sample.parts.reduce(function (n, part) { return n + part.length; }, 0) : 0,
                length_m: sample ? sample.length_m : null
              });
            });
            document.getElementById('where').textContent = '— ' + shown + ' of ' + tracks.length + ' units under way or arrived; shaded: where each can be';
            // What is drawn, for tests and tools: set as an attribute value, never parsed as HTML.
            document.body.setAttribute('data-time', iso(t));
            document.body.setAttribute('data-time-ms', String(t));
            document.body.setAttribute('data-state', JSON.stringify(state));
          }
          slider.addEventListener('input', update);
          update();
          document.body.setAttribute('data-tracks', String(tracks.length));
        })();
        </script>
        </body>
        </html>

        """#
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// Collects output in memory (for the view page's embedded data and for tests).
public final class MemorySink: OutputSink {
    public private(set) var bytes: [UInt8] = []
    public private(set) var committed = false

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        self.bytes.append(contentsOf: bytes)
    }

    public func commit() throws(FileAccessError) {
        committed = true
    }
}
