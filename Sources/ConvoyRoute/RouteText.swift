import Foundation

/// Terminal output of `convoy replay` and `convoy where`.
public enum RouteText {
    static func distance(_ metres: Double) -> String {
        metres >= 10_000 ? String(format: "%.0f km", metres / 1000) : metres >= 1000 ? String(format: "%.1f km", metres / 1000) : String(format: "%.0f m", metres)
    }

    static func compass(_ azimuth: Double) -> String {
        let points = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
        var a = azimuth.truncatingRemainder(dividingBy: 360)
        if a < 0 { a += 360 }
        return points[Int((a / 22.5).rounded()) % 16]
    }

    /// `source: "quote"`, the quote on one line (its line breaks and tabs as spaces) and cut at `limit` characters.
    static func quote(_ c: Citation, limit: Int = 110) -> String {
        let flat = c.quote.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
        let q = flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
        return "\(c.source): \"\(q)\""
    }

    static func point(_ p: TrackPosition) -> String {
        String(format: "%.5f, %.5f", p.point.latitude, p.point.longitude) + " ± " + distance(p.uncertainty)
    }

    /// The replay timeline, grouped by convoy, one block per state.
    public static func replay(_ states: [ReplayState], zone: TimeZone) -> [String] {
        var lines: [String] = []
        let convoys = Array(Set(states.map(\.convoy))).sorted()
        for convoy in convoys {
            if !lines.isEmpty { lines.append("") }
            let mine = states.filter { $0.convoy == convoy }
            let anomalies = mine.reduce(0) { $0 + $1.anomalies.count }
            lines.append("\(convoy): \(mine.count) observations, units \(Array(Set(mine.map(\.unit))).sorted().joined(separator: ", ")), \(anomalies) anomal\(anomalies == 1 ? "y" : "ies")")
            for s in mine {
                let o = s.observation
                var head = "  \(TimeText.local(s.time, zone: zone))  \(s.unit)"
                if let parent = s.parent { head += " (from \(parent))" }
                head += "  \(s.status.rawValue)"
                if !o.location.description.isEmpty { head += " \(o.location)" }
                if let v = s.vehicles { head += " — \(v.text)" }
                if let p = s.people { head += "; people \(p.text)" }
                lines.append(head)
                if let p = s.position {
                    var where_ = "      \(s.positionObserved ? "at" : "about") \(point(p))"
                    if let b = p.between { where_ += " between \(b[0]) and \(b[1])" }
                    lines.append(where_)
                }
                var progress: [String] = []
                if let c = s.cumulative { progress.append("\(distance(c)) along the route") }
                if let l = s.leg, l > 0 { progress.append("+\(distance(l))") }
                if let v = s.speed { progress.append(String(format: "%.0f km/h since the previous position", v * 3.6)) }
                if !progress.isEmpty { lines.append("      " + progress.joined(separator: ", ")) }
                if !s.children.isEmpty { lines.append("      split into \(s.children.joined(separator: ", "))") }
                lines.append("      time as reported: \(o.time.text)  [\(o.file):\(o.line)]")
                for c in s.sources { lines.append("      source \(quote(c))") }
                for a in s.anomalies { lines.append("      ! \(a.kind.rawValue): \(a.message)") }
            }
        }
        return lines
    }

    /// One `where` answer.
    public static func answer(_ answers: [ConvoyAnswer], query: WhereTime, zone: TimeZone) -> [String] {
        var lines: [String] = []
        switch query {
        case .instant(let t): lines.append("At \(TimeText.local(t, zone: zone)) (\(TimeText.utc(t)))")
        case .day(let from, let to): lines.append("On \(TimeText.local(from, zone: zone)) – \(TimeText.local(to, zone: zone))")
        }
        for convoy in answers {
            if convoy.units.isEmpty {
                lines.append("\(convoy.convoy): no report yet" + (convoy.firstReport.map { " (first report \(TimeText.local($0, zone: zone)))" } ?? ""))
                continue
            }
            for u in convoy.units {
                var head = "\(u.convoy) / \(u.unit)"
                if let parent = u.parent { head += " (split from \(parent))" }
                head += " — " + (u.status?.rawValue ?? "no status yet")
                if let v = u.vehicles { head += ", \(v.text)" }
                if let p = u.people { head += "; people \(p.text)" }
                lines.append(head)
                if let p = u.position {
                    let model: String
                    switch p.phase {
                    case .observed: model = "as reported"
                    case .interpolated: model = p.speed == 0 ? "staying put between reports" : String(format: "interpolated at %.0f km/h along the route", (p.speed ?? 0) * 3.6)
                    case .beforeFirstPosition: model = "its first reported position"
                    case .afterLastPosition: model = "last known position"
                    }
                    lines.append("  position  \(point(p)) (\(model))")
                    if let b = p.between { lines.append("  between   \(b[0]) and \(b[1])") }
                } else {
                    lines.append("  position  unknown: no row places this unit")
                }
                if !u.nearest.isEmpty {
                    lines.append("  near      " + u.nearest.map { $0.distance < 1000 ? "at \($0.name) (\(distance($0.distance)))" : "\(distance($0.distance)) \(compass($0.bearing)) of \($0.name)" }.joined(separator: "; "))
                }
                if let d = u.day {
                    lines.append("  that day  \(distance(d.covered)) covered, \(String(format: "%.4f, %.4f", d.start.point.latitude, d.start.point.longitude)) → \(String(format: "%.4f, %.4f", d.end.point.latitude, d.end.point.longitude))")
                }
                if let since = u.sinceLast { lines.append("  last report \(TimeText.duration(since)) before this time") }
                if let b = u.before { lines.append("  previous  \(b.time.text) \(b.status.rawValue) \(b.location) [\(b.file):\(b.line)]") }
                if let a = u.after { lines.append("  next      \(a.time.text) \(a.status.rawValue) \(a.location) [\(a.file):\(a.line)]") }
                for c in u.sources { lines.append("  source    \(quote(c))") }
            }
        }
        return lines
    }
}
