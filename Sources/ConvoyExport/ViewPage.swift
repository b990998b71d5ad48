import ConvoyGazetteer
import Foundation

/// A self-contained HTML page that shows the tracks and observations on a Leaflet map, with a time
/// slider that moves each unit along its track and popups with status, vehicles and sources.
///
/// Leaflet is inlined from Debian's libjs-leaflet (`/usr/share/javascript/leaflet`) when it is
/// installed, so the page works offline; otherwise the page links Leaflet 1.9.4 from the unpkg CDN.
/// Background tiles come from OpenStreetMap when online; without them the tracks still draw.
public enum ViewPage {
    public static let leafletDirectory = "/usr/share/javascript/leaflet"
    public static let cdnScript = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"
    public static let cdnStylesheet = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"

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
    public static func html(
        for document: ExportDocument, landmarks: [Landmark] = [], title: String = "convoy", leafletDirectory directory: String = leafletDirectory
    ) throws(ExportError) -> String {
        let data = MemorySink()
        try Exporter.write(document, as: .geojson, to: data)
        let geojson = String(decoding: data.bytes, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        let script: String, style: String
        if let js = FileManager.default.contents(atPath: directory + "/leaflet.js"),
            let css = FileManager.default.contents(atPath: directory + "/leaflet.css")
        {
            script = "<script>\n" + String(decoding: js, as: UTF8.self).replacingOccurrences(of: "</script", with: "<\\/script") + "\n</script>"
            style = "<style>\n" + String(decoding: css, as: UTF8.self) + "\n</style>"
        } else {
            script = "<script src=\"\(cdnScript)\" crossorigin=\"\"></script>"
            style = "<link rel=\"stylesheet\" href=\"\(cdnStylesheet)\" crossorigin=\"\">"
        }
        return template
            .replacingOccurrences(of: "{{TITLE}}", with: escape(title))
            .replacingOccurrences(of: "{{LEAFLET_CSS}}", with: style)
            .replacingOccurrences(of: "{{LEAFLET_JS}}", with: script)
            .replacingOccurrences(of: "{{DATA}}", with: geojson)
            .replacingOccurrences(of: "{{LANDMARKS}}", with: landmarksJSON(landmarks))
    }

    static func landmarksJSON(_ landmarks: [Landmark]) -> String {
        var out = TextBuffer(sink: MemorySink())
        out.raw("[")
        for (index, l) in landmarks.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("[")
            out.string(l.name)
            out.raw(",\(l.latitude),\(l.longitude)]")
        }
        out.raw("]")
        return String(decoding: out.bytes, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static let template = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{TITLE}}</title>
        {{LEAFLET_CSS}}
        <style>
          html, body { height: 100%; margin: 0; font: 14px/1.35 system-ui, sans-serif; }
          #map { position: absolute; top: 0; bottom: 64px; left: 0; right: 0; background: #e8e4da; }
          #bar { position: absolute; bottom: 0; left: 0; right: 0; height: 64px; padding: 6px 14px; box-sizing: border-box; background: #fff; border-top: 1px solid #ccc; }
          #bar input { width: 100%; }
          #time { font-weight: 600; }
          #legend { position: absolute; top: 10px; right: 10px; z-index: 1000; background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
          .swatch { display: inline-block; width: 18px; height: 4px; margin-right: 6px; vertical-align: middle; }
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
        <script id="convoy-data" type="application/geo+json">{{DATA}}</script>
        <script id="convoy-landmarks" type="application/json">{{LANDMARKS}}</script>
        <script>
        (function () {
          var data = JSON.parse(document.getElementById('convoy-data').textContent);
          var map = L.map('map', { preferCanvas: false });
          L.tileLayer('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', { maxZoom: 18, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);
          var palette = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65', '#a04000'];
          var colours = {}, next = 0;
          function colour(convoy) { if (!(convoy in colours)) { colours[convoy] = palette[next++ % palette.length]; } return colours[convoy]; }
          function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
          function km(m) { return m == null ? '—' : (m / 1000).toFixed(1) + ' km'; }
          JSON.parse(document.getElementById('convoy-landmarks').textContent).forEach(function (l) {
            L.circleMarker([l[1], l[2]], { radius: 3, color: '#555', weight: 1, fillColor: '#555', fillOpacity: 1, className: 'convoy-place' })
              .bindTooltip(esc(l[0]), { permanent: true, direction: 'right', className: 'convoy-place-label', opacity: 0.8 }).addTo(map);
          });
          var tracks = [], t0 = Infinity, t1 = -Infinity;
          data.features.forEach(function (f) {
            var p = f.properties;
            if (p.kind === 'track' && f.geometry && f.geometry.type === 'LineString') {
              var latlngs = f.geometry.coordinates.map(function (c) { return [c[1], c[0]]; });
              var times = p.times.map(function (s) { return Date.parse(s); });
              L.polyline(latlngs, { color: colour(p.convoy), weight: 4, opacity: 0.8, className: 'convoy-track' })
                .bindPopup('<b>' + esc(p.convoy) + ' / ' + esc(p.unit) + '</b><br>' + esc(p.vehicles) + '<br>' + esc(p.start) + ' → ' + esc(p.end) + '<br>' + km(p.distance_m) + ' along the route')
                .addTo(map);
              var marker = L.circleMarker(latlngs[latlngs.length - 1], { radius: 8, color: '#000', weight: 2, fillColor: colour(p.convoy), fillOpacity: 1, className: 'convoy-unit' })
                .bindTooltip(p.convoy + ' / ' + p.unit).addTo(map);
              tracks.push({ p: p, latlngs: latlngs, times: times, marker: marker });
              t0 = Math.min(t0, times[0]); t1 = Math.max(t1, times[times.length - 1]);
            } else if (p.kind === 'stretch') {
              L.polyline(f.geometry.coordinates.map(function (c) { return [c[1], c[0]]; }), { color: colour(p.convoy), weight: 10, opacity: 0.25, dashArray: '4 8', className: 'convoy-stretch' })
                .bindPopup('uncertain: somewhere on this stretch<br>' + esc(p.location)).addTo(map);
            } else if (p.kind === 'observation') {
              var c = f.geometry.coordinates;
              L.circleMarker([c[1], c[0]], { radius: 5, color: colour(p.convoy), weight: 2, fillColor: '#fff', fillOpacity: 1, className: 'convoy-observation' })
                .bindPopup('<b>' + esc(p.time_text) + '</b> — ' + esc(p.status) + '<br>' + esc(p.location) +
                  (p.vehicles ? '<br>vehicles: ' + esc(p.vehicles) : '') + (p.people ? '<br>people: ' + esc(p.people) : '') +
                  '<br>± ' + km(p.uncertainty_m) + ', ' + km(p.cumulative_m) + ' from the start' +
                  '<br><span class="popup-quote">“' + esc(p.quote) + '”</span><br>' + esc(p.source) +
                  (p.anomalies.length ? '<br><b>anomalies:</b> ' + esc(p.anomalies.join('; ')) : ''))
                .addTo(map);
            }
          });
          if (data.bbox) { map.fitBounds([[data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]]], { padding: [30, 30] }); } else { map.setView([34.5, 38.5], 6); }
          var legend = document.getElementById('legend');
          legend.innerHTML = Object.keys(colours).map(function (k) { return '<div><span class="swatch" style="background:' + colours[k] + '"></span>' + esc(k) + '</div>'; }).join('');
          function positionAt(track, t) {
            var ts = track.times, ll = track.latlngs;
            if (t <= ts[0]) return null;
            if (t >= ts[ts.length - 1]) return ll[ll.length - 1];
            var lo = 0, hi = ts.length - 1;
            while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (ts[mid] <= t) lo = mid; else hi = mid; }
            var f = ts[hi] === ts[lo] ? 0 : (t - ts[lo]) / (ts[hi] - ts[lo]);
            return [ll[lo][0] + (ll[hi][0] - ll[lo][0]) * f, ll[lo][1] + (ll[hi][1] - ll[lo][1]) * f];
          }
          var slider = document.getElementById('slider');
          function update() {
            if (!isFinite(t0)) { document.getElementById('time').textContent = 'no tracks'; return; }
            var t = t0 + (t1 - t0) * slider.value / 1000;
            document.getElementById('time').textContent = new Date(t).toISOString().replace('.000Z', 'Z');
            var shown = 0;
            tracks.forEach(function (track) {
              var p = positionAt(track, t);
              if (p) { track.marker.setLatLng(p); track.marker.setStyle({ opacity: 1, fillOpacity: 1 }); shown++; }
              else { track.marker.setStyle({ opacity: 0, fillOpacity: 0 }); }
            });
            document.getElementById('where').textContent = '— ' + shown + ' of ' + tracks.length + ' units under way or arrived';
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
