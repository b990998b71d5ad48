import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// Formatting helpers for terminal output.
enum TextFormat {
    /// "385.6 km", "820 m".
    static func distance(_ metres: Double) -> String {
        metres >= 10_000 ? String(format: "%.1f km", metres / 1000)
            : metres >= 1000 ? String(format: "%.2f km", metres / 1000) : String(format: "%.0f m", metres)
    }

    /// "± 2 km" style radius.
    static func radius(_ metres: Double) -> String {
        "± " + (metres >= 1000 ? String(format: "%g km", (metres / 100).rounded() / 10) : String(format: "%.0f m", metres))
    }

    /// 16-point compass name of an azimuth in degrees.
    static func compass(_ azimuth: Double) -> String {
        let points = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
        guard azimuth.isFinite else { return "?" }  // never trap on Int(NaN)
        var a = azimuth.truncatingRemainder(dividingBy: 360)
        if a < 0 { a += 360 }
        return points[Int((a / 22.5).rounded()) % 16]
    }

    static func coordinate(_ p: GeoPoint) -> String {
        String(format: "%.6f, %.6f", p.latitude, p.longitude)
    }

    /// "city in Deir ez-Zor Governorate, SY".
    static func describe(_ place: Place) -> String {
        var text = place.kind
        if let admin = place.admin1 { text += " in \(admin)" }
        if let country = place.country { text += place.admin1 == nil ? " in \(country)" : ", \(country)" }
        return text
    }

    /// "1 file", "3 files": a count with its noun (regular plurals only).
    static func counted(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// Pads `text` to `width` display columns (counting characters).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// "did you mean" lines for suggestions.
    static func suggestionLines(_ suggestions: [Suggestion]) -> [String] {
        suggestions.map { s in
            let via = s.name.text == s.place.name ? "" : " (as \"\(s.name.text)\")"
            return "  \(s.place.name)\(via) — \(describe(s.place)) [\(s.place.id)]"
        }
    }
}
