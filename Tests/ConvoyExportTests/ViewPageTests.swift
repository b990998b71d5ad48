import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyExport

/// The view page's escaping and template (issue 17, finding 6); Tests/clients/test_view_security.py
/// opens such a page in Chromium.
struct ViewPageTests {
    static let hostile = "</script><script>alert(1)</script> <!--<script> {{LANDMARKS}} {{DATA}} & \u{2028}\u{2029} <img src=x onerror=alert(2)>"

    static func document(quote: String, id: String) throws -> ExportDocument {
        let point = try GeoPoint(latitude: 34.56, longitude: 38.27)
        let observation = ExportObservation(
            id: "o1", convoy: id, unit: id, time: 0, timeStart: 0, timeEnd: 0, timeText: quote, status: "moving", location: quote,
            place: nil, point: point, uncertaintyMeters: 1000, stretch: nil, vehicles: quote, people: nil, source: quote, quote: quote,
            segmentMeters: nil, cumulativeMeters: 0, anomalies: [quote])
        let track = ExportTrack(convoy: id, unit: id, parent: nil, vehicles: quote,
                                vertices: [TrackVertex(time: 0, point: point), TrackVertex(time: 3600, point: try GeoPoint(latitude: 34.6, longitude: 38.5))])
        return ExportDocument(tracks: [track], observations: [observation], legs: [])
    }

    @Test func scriptSafeJSONLeavesNoMarkupAndTheSameData() throws {
        let json = Array(#"{"a":"</script><!-- & > \#u{2028}\#u{2029} é حمص"}"#.utf8)
        let safe = ViewPage.scriptSafeJSON(json)
        let text = String(decoding: safe, as: UTF8.self)
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!text.contains(bad)) }
        let before = try JSONSerialization.jsonObject(with: Data(json)) as? [String: String]
        let after = try JSONSerialization.jsonObject(with: Data(safe)) as? [String: String]
        #expect(before == after && before != nil)
    }

    @Test func theTemplateIsFilledInOnePass() {
        let filled = ViewPage.fill("<a>{{A}}</a><b>{{B}}</b>", ["A": "{{B}}", "B": "{{A}}"])
        #expect(filled == "<a>{{B}}</a><b>{{A}}</b>")
    }

    @Test func hostileTextStaysDataInThePage() throws {
        let html = try ViewPage.html(for: try Self.document(quote: Self.hostile, id: "c<svg/onload=alert(3)>"),
                                     landmarks: [ViewPage.Landmark(name: Self.hostile, latitude: 34.5, longitude: 38.3)],
                                     title: "convoy — </title><script>alert(4)</script>")
        // Leaflet's own source (inlined) has HTML in its comments: look at the rest of the page.
        let body = html.components(separatedBy: "</head>")[1]
        #expect(!body.contains("<img") && !body.contains("<svg") && !body.contains("<!--") && !body.contains("alert(1)</script>"))
        #expect(body.components(separatedBy: "</script>").count - 1 == 3)
        #expect(html.contains("<title>convoy — &lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;</title>"))
        // The placeholders in the data are still the data's, and the page's own were all filled.
        #expect(body.contains("{{LANDMARKS}} {{DATA}}"))
        #expect(!html.contains("{{NONCE}}") && !html.contains("{{CSP}}"))
        #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-"#))
    }

    @Test func eachPageHasItsOwnNonce() throws {
        let document = try Self.document(quote: "q", id: "c")
        func nonce(_ html: String) -> String? {
            html.range(of: #"nonce-[0-9a-f]{32}"#, options: .regularExpression).map { String(html[$0]) }
        }
        let a = nonce(try ViewPage.html(for: document)), b = nonce(try ViewPage.html(for: document))
        #expect(a != nil && b != nil && a != b)
    }

    @Test func withoutALocalLeafletThePageUsesTheCDNWithIntegrity() throws {
        let html = try ViewPage.html(for: try Self.document(quote: "q", id: "c"), leafletDirectory: "/nonexistent")
        #expect(html.contains(#"<script src="\#(ViewPage.cdnScript)" integrity="sha256-"#))
        #expect(html.contains(#"<link rel="stylesheet" href="\#(ViewPage.cdnStylesheet)" integrity="sha256-"#))
    }

    /// Issue 19: the slider's feasible stretches come from the data block's `feasible` samples; a
    /// hostile id in a sample stays escaped data, and the template handles samples without any inline
    /// handler (the Chromium test, Tests/clients/test_view_slider.py, checks what is drawn).
    @Test func feasibleSamplesReachTheSliderAsData() throws {
        var document = try Self.document(quote: "q", id: "c")
        let a = try GeoPoint(latitude: 34.5, longitude: 38.2), b = try GeoPoint(latitude: 34.6, longitude: 38.6)
        document.feasible = [
            ExportFeasible(convoy: "c", unit: Self.hostile, time: 0, validFrom: 0, validTo: 1800, parts: [[a, b]], lengthMeters: 40_000, uncertaintyMeters: 20_000, estimate: a),
            ExportFeasible(convoy: "c", unit: Self.hostile, time: 3600, validFrom: 1800, validTo: 3600, parts: [[a, b], [b, a]], lengthMeters: 80_000, uncertaintyMeters: 40_000, estimate: b),
        ]
        let html = try ViewPage.html(for: document)
        let body = html.components(separatedBy: "</head>")[1]
        let block = try #require(body.components(separatedBy: #"<script id="convoy-data" type="application/json">"#).last?.components(separatedBy: "</script>").first)
        let data = try #require(try JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any])
        let samples = (data["features"] as? [[String: Any]] ?? []).compactMap { $0["properties"] as? [String: Any] }.filter { $0["kind"] as? String == "feasible" }
        #expect(samples.count == 2)
        #expect(samples.allSatisfy { $0["unit"] as? String == Self.hostile })
        #expect(!body.contains("<img") && !body.contains("alert(1)</script>"))
        #expect(body.range(of: #"<[^>]+\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]) == nil)
        #expect(ViewPage.template.contains("feasible: function") && ViewPage.template.contains("data-state"))
    }
}
