import ConvoyGeodesy
import Foundation

/// A JSON value, so output shapes are written out explicitly (absent facts are `null`, never left out).
public enum JSONValue: Sendable, Hashable, Encodable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d): try c.encode(d)
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func optional(_ d: Double?, _ places: Int) -> JSONValue { d.map { .number(rounded($0, places)) } ?? .null }
    static func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

/// The JSON shapes of `convoy replay`, `convoy where` and `convoy import` (documented in docs/route.md).
public enum RouteJSON {
    static func time(_ t: Double) -> JSONValue { .string(TimeText.utc(t)) }

    static func count(_ c: Count?) -> (total: JSONValue, detail: JSONValue) {
        guard let c else { return (.null, .null) }
        return (.int(c.total), .object([
            "text": .string(c.text), "qualifier": .string(c.qualifier.rawValue),
            "breakdown": .array(c.terms.map { .object(["count": .int($0.count), "up_to": $0.upTo.map { .int($0) } ?? .null, "kind": .optional($0.kind), "qualifier": .string($0.qualifier.rawValue)]) }),
        ]))
    }

    static func sources(_ list: [Citation]) -> JSONValue {
        .array(list.map { .object(["source": .string($0.source), "quote": .string($0.quote)]) })
    }

    static func point(_ p: GeoPoint) -> [String: JSONValue] { ["lat": .number(JSONValue.rounded(p.latitude, 6)), "lon": .number(JSONValue.rounded(p.longitude, 6))] }

    /// One row as cited in answers.
    static func observation(_ o: Observation) -> JSONValue {
        .object([
            "file": .string(o.file), "line": .int(o.line), "time": .string(o.time.text), "time_start": time(o.time.start), "time_end": time(o.time.end),
            "status": .string(o.status.rawValue), "location": .string(o.location.description), "source": .string(o.citation.source), "quote": .string(o.citation.quote),
        ])
    }

    static func near(_ n: NearPlace) -> JSONValue {
        .object(["place": .string(n.name), "id": .string(n.id), "distance_m": .number(JSONValue.rounded(n.distance, 0)), "bearing_deg": .number(JSONValue.rounded(n.bearing, 1))])
    }

    static func stretch(_ s: Stretch) -> JSONValue {
        func end(_ e: (point: GeoPoint, near: NearPlace?)) -> JSONValue {
            var o = point(e.point)
            o["description"] = .string(RouteText.place(e.point, e.near))
            o["near"] = e.near.map(near) ?? .null
            return .object(o)
        }
        return .object([
            "length_m": .number(JSONValue.rounded(s.length, 0)), "roads": .array(s.roads.map { .string($0) }),
            "from": s.ends.first.map(end) ?? .null, "to": s.ends.count > 1 ? end(s.ends[1]) : .null, "ends": .array(s.ends.map(end)),
            "description": .string(RouteText.stretch(s)),
            "geometry": .array(s.geometry.flatMap { $0 }.map { .array([.number(JSONValue.rounded($0.longitude, 6)), .number(JSONValue.rounded($0.latitude, 6))]) }),
            "parts": .array(s.geometry.map { .array($0.map { .array([.number(JSONValue.rounded($0.longitude, 6)), .number(JSONValue.rounded($0.latitude, 6))]) }) }),
        ])
    }

    /// `replay --json`: one object per row.
    public static func replay(_ states: [ReplayState]) -> JSONValue {
        .array(states.map { s in
            let vehicles = count(s.vehicles), people = count(s.people)
            let o = s.observation
            return .object([
                "convoy": .string(s.convoy), "unit": .string(s.unit), "parent": .optional(s.parent), "children": .array(s.children.map { .string($0) }),
                "file": .string(o.file), "line": .int(o.line),
                "time_text": .string(o.time.text), "time_start": time(o.time.start), "time_end": time(o.time.end),
                "window": s.window.map { .object(["start": time($0.start), "end": time($0.end)]) } ?? .null,
                "status": .string(o.status.rawValue), "location": .string(o.location.description), "places": .array(o.places.map { .string($0.id) }),
                "vehicles": vehicles.total, "vehicles_detail": vehicles.detail, "people": people.total, "people_detail": people.detail,
                "region_length_m": .optional(s.regionLength, 0), "off_network": .bool(s.offNetwork),
                "estimate": s.visit.map { v in .object(point(v.point).merging(["time": time(v.time)]) { a, _ in a }) } ?? .null,
                "travelled_m": .optional(s.travelled, 0), "leg_m": .optional(s.leg, 0), "speed_kmh": .optional(s.speed.map { $0 * 3.6 }, 1),
                "sources": sources(s.sources), "note": .optional(o.note), "notes": .array(s.notes.map { .string($0) }),
                "anomalies": .array(s.anomalies.map { .object(["kind": .string($0.kind.rawValue), "message": .string($0.message)]) }),
            ])
        })
    }

    /// One unit of a `where` answer.
    public static func unit(_ u: UnitAnswer) -> JSONValue {
        let vehicles = count(u.vehicles?.count), people = count(u.people?.count)
        let p = u.position
        var day: JSONValue = .null
        if let d = u.day {
            day = .object([
                "from": time(d.from), "to": time(d.to), "covered_m": .number(JSONValue.rounded(d.covered, 0)),
                "start": .object(point(d.start)), "end": .object(point(d.end)),
            ])
        }
        var sourceList: [Citation] = []
        for c in u.evidence.map(\.citation) + [u.vehicles?.row.citation, u.people?.row.citation].compactMap({ $0 }) where !sourceList.contains(c) { sourceList.append(c) }
        return .object([
            "convoy": .string(u.convoy), "unit": .string(u.unit), "parent": .optional(u.parent), "children": .array(u.children.map { .string($0) }),
            "lat": .optional(p?.point.latitude, 6), "lon": .optional(p?.point.longitude, 6), "uncertainty_m": .optional(p?.uncertainty, 0),
            "phase": .optional(p?.phase.rawValue), "speed_kmh": .optional(p.map { $0.speed * 3.6 }, 1), "travelled_m": .optional(p?.travelled, 0),
            "feasible": p == nil ? .null : .object(["length_m": .number(JSONValue.rounded(u.setLength, 0)), "stretches": .array(u.stretches.map(stretch))]),
            "nearest": .array(u.nearest.map(near)),
            "status": .optional(u.statusRow?.status.rawValue), "status_row": u.statusRow.map(observation) ?? .null,
            "vehicles": vehicles.total, "vehicles_detail": vehicles.detail, "people": people.total, "people_detail": people.detail,
            "evidence": .array(u.evidence.map(observation)),
            "since_last_report_s": .optional(u.sinceLastReport, 0), "until_first_report_s": .optional(u.untilFirstReport, 0),
            "split_window": u.splitWindow.map { .object(["start": time($0.start), "end": time($0.end)]) } ?? .null,
            "sources": sources(sourceList), "day": day,
            "maximum_speed_kmh": .number(JSONValue.rounded(u.maximumSpeed * 3.6, 1)),
            "maximum_speed_from": u.maximumSpeedRow.map { .object(["file": .string($0.file), "line": .int($0.line), "unit": .string($0.unit)]) } ?? .null,
        ])
    }

    /// One `where` query: `at` (or `on` with `from`/`to`), `units`, and `absent` convoys with their first report.
    public static func answer(_ answers: [ConvoyAnswer], query: WhereTime, zone: TimeZone, maximumSpeed: Double) -> JSONValue {
        var object: [String: JSONValue] = ["zone": .string(zone.identifier), "maximum_speed_kmh": .number(JSONValue.rounded(maximumSpeed * 3.6, 1))]
        switch query {
        case .instant(let t):
            object["at"] = time(t)
            object["on"] = .null
        case .day(let from, let to):
            object["at"] = .null
            object["on"] = .object(["from": time(from), "to": time(to)])
        }
        object["units"] = .array(answers.flatMap { $0.units.map(unit) })
        object["absent"] = .array(answers.filter { $0.units.isEmpty || $0.firstReport != nil }.map { .object(["convoy": .string($0.convoy), "first_report": $0.firstReport.map(time) ?? .null]) })
        return .object(object)
    }
}
