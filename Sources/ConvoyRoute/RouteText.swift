import ConvoyGeodesy
import Foundation

/// Terminal output of `convoy replay` and `convoy where`.
public enum RouteText {
    static func distance(_ metres: Double) -> String {
        guard metres.isFinite else { return "∞" }
        if metres >= 100_000 { return String(format: "%.0f km", metres / 1000) }
        if metres >= 10_000 { return String(format: "%.0f km", metres / 1000) }
        if metres >= 1000 { return String(format: "%.1f km", metres / 1000) }
        return String(format: "%.0f m", metres)
    }

    static func compass(_ azimuth: Double) -> String {
        guard azimuth.isFinite else { return "?" }
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

    static func coordinates(_ p: GeoPoint) -> String { String(format: "%.5f, %.5f", p.latitude, p.longitude) }

    /// "38 km ESE of As Sukhnah", "at Palmyra (400 m)", or the coordinates when no landmark is near.
    static func place(_ point: GeoPoint, _ near: NearPlace?) -> String {
        guard let near else { return coordinates(point) }
        if near.distance < 1000 { return "at \(near.name)" }
        return "\(distance(near.distance)) \(compass(near.bearing)) of \(near.name)"
    }

    static func stretch(_ s: Stretch) -> String {
        let roads = s.roads.prefix(2).joined(separator: ", ") + (s.roads.count > 2 ? " and \(s.roads.count - 2) more" : "")
        switch s.ends.count {
        case 0, 1: return "at \(s.ends.first.map { place($0.point, $0.near) } ?? "?") on \(roads)"
        case 2: return "on \(roads), from \(place(s.ends[0].point, s.ends[0].near)) to \(place(s.ends[1].point, s.ends[1].near)) (\(distance(s.length)))"
        default:
            let ends = s.ends.prefix(4).map { place($0.point, $0.near) }.joined(separator: "; ")
            return "on \(roads) (\(distance(s.length))), branching; its ends: \(ends)" + (s.ends.count > 4 ? "; … (\(s.ends.count) ends)" : "")
        }
    }

    /// "2017-08-30 12:00 +03:00 – 2017-09-01 00:00 +03:00", or one instant.
    static func window(_ start: Double, _ end: Double, zone: TimeZone) -> String {
        start == end ? TimeText.local(start, zone: zone) : "\(TimeText.local(start, zone: zone)) – \(TimeText.local(end, zone: zone))"
    }

    static func row(_ o: Observation) -> String {
        "\(o.time.text) \(o.status.rawValue)\(o.location == .unstated ? "" : " \(o.location)") [\(o.file):\(o.line)]"
    }

    /// The replay timeline, grouped by convoy, one block per row.
    public static func replay(_ states: [ReplayState], zone: TimeZone) -> [String] {
        var lines: [String] = []
        let convoys = Array(Set(states.map(\.convoy))).sorted()
        for convoy in convoys {
            if !lines.isEmpty { lines.append("") }
            let mine = states.filter { $0.convoy == convoy }
            let anomalies = mine.reduce(0) { $0 + $1.anomalies.count }
            lines.append("\(convoy): \(mine.count) rows, units \(Array(Set(mine.map(\.unit))).sorted().joined(separator: ", ")), \(anomalies) anomal\(anomalies == 1 ? "y" : "ies")")
            for s in mine {
                let o = s.observation
                var head = "  \(window(o.time.start, o.time.end, zone: zone))  \(s.unit)"
                if let parent = s.parent { head += " (from \(parent))" }
                head += "  \(o.status.rawValue)"
                if o.location != .unstated { head += " \(o.location)" }
                if let v = s.vehicles { head += " — \(v.text)" }
                if let p = s.people { head += "; people \(p.text)" }
                lines.append(head)
                if o.status == .blocked {
                    lines.append("      a block the unit did not pass: it may reach the stretch, not leave it on the far side")
                } else if let length = s.regionLength, let w = s.window {
                    var region = "      region    \(length < 1 ? "a point" : distance(length) + " of road")\(s.offNetwork ? " (off the road network: along geodesics)" : "")"
                    if w.start != o.time.start || w.end != o.time.end { region += "; the other reports narrow its time to \(window(w.start, w.end, zone: zone))" }
                    lines.append(region)
                }
                if let v = s.visit {
                    var estimate = "      estimate  \(coordinates(v.point)) at \(TimeText.local(v.time, zone: zone))"
                    if let t = s.travelled { estimate += ", \(distance(t)) along the way" }
                    if let speed = s.speed { estimate += String(format: ", %.0f km/h on average since the previous report", speed * 3.6) }
                    lines.append(estimate)
                }
                if !s.children.isEmpty { lines.append("      split into \(s.children.joined(separator: ", "))") }
                lines.append("      time as reported: \(o.time.text)  [\(o.file):\(o.line)]")
                for c in s.sources { lines.append("      source \(quote(c))") }
                for n in s.notes { lines.append("      note: \(n)") }
                for a in s.anomalies { lines.append("      ! \(a.kind.rawValue): \(a.message)") }
            }
        }
        return lines
    }

    static func phase(_ p: UnitPosition, _ u: UnitAnswer) -> String {
        switch p.phase {
        case .beforeFirstReport: return "before the first report" + (u.untilFirstReport.map { " (\(TimeText.duration($0)) before it): the set grows back in time at the maximum speed" } ?? "")
        case .afterLastReport: return "no report for \(TimeText.duration(u.sinceLastReport ?? 0)): the set grows with the time at the maximum speed"
        case .duringReport: return "inside a report's time"
        case .betweenReports: return "between reports"
        }
    }

    /// One `where` answer.
    public static func answer(_ answers: [ConvoyAnswer], query: WhereTime, zone: TimeZone, maximumSpeed: Double) -> [String] {
        var lines: [String] = []
        switch query {
        case .instant(let t): lines.append("At \(TimeText.local(t, zone: zone)) (\(TimeText.utc(t)))")
        case .day(let from, let to): lines.append("On \(TimeText.local(from, zone: zone)) – \(TimeText.local(to, zone: zone))")
        }
        for convoy in answers {
            if convoy.units.isEmpty || convoy.firstReport != nil {
                lines.append("\(convoy.convoy): no report yet" + (convoy.firstReport.map { " (first report \(TimeText.local($0, zone: zone)))" } ?? ""))
            }
            for u in convoy.units {
                var head = "\(u.convoy) / \(u.unit)"
                if let parent = u.parent { head += " (split from \(parent))" }
                head += " — " + (u.statusRow.map { "\($0.status.rawValue) (reported \($0.time.text))" } ?? "no status yet")
                if let v = u.vehicles { head += ", \(v.count.text)" }
                if let p = u.people { head += "; people \(p.count.text)" }
                lines.append(head)
                if let split = u.splitWindow {
                    lines.append("  note      the split is reported for \(window(split.start, split.end, zone: zone)): before it happened this unit was part of \(u.parent ?? "its parent")")
                }
                guard let p = u.position else {
                    lines.append("  position  unknown: no row places this unit")
                    continue
                }
                lines.append("  estimate  \(coordinates(p.point)) — \(u.nearest.first.map { place(p.point, $0) } ?? "no landmark within 150 km")")
                lines.append("  can be    on \(distance(u.setLength)) of road\(u.stretches.count > 1 ? " in \(u.stretches.count) stretches" : ""), up to \(distance(p.uncertainty)) from the estimate (at most \(String(format: "%g", u.maximumSpeed * 3.6)) km/h\(u.maximumSpeedRow.map { ", the log's, line \($0.line)" } ?? ""))")
                for s in u.stretches.prefix(4) { lines.append("            \(stretch(s))") }
                if u.stretches.count > 4 {
                    let rest = u.stretches.dropFirst(4)
                    lines.append("            … and \(rest.count) more stretches (\(distance(rest.reduce(0) { $0 + $1.length })))")
                }
                lines.append("  phase     \(phase(p, u))")
                if let d = u.day {
                    lines.append("  that day  the estimate moves \(distance(d.covered)), \(coordinates(d.start)) → \(coordinates(d.end))")
                }
                for (i, e) in u.evidence.enumerated() { lines.append("  \(i == 0 ? "reports " : "        ")  \(row(e))") }
                var sources: [Citation] = []
                for c in u.evidence.map(\.citation) + [u.vehicles?.row.citation, u.people?.row.citation].compactMap({ $0 }) where !sources.contains(c) { sources.append(c) }
                for c in sources { lines.append("  source    \(quote(c))") }
            }
        }
        return lines
    }
}
