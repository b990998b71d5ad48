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
            "breakdown": .array(c.terms.map { .object(["count": .int($0.count), "kind": .optional($0.kind), "qualifier": .string($0.qualifier.rawValue)]) }),
        ]))
    }

    static func sources(_ list: [Citation]) -> JSONValue {
        .array(list.map { .object(["source": .string($0.source), "quote": .string($0.quote)]) })
    }

    /// One observation as cited in answers: `line`, `time` (as written), `status`, `location`, `source`, `quote`.
    static func observation(_ o: Observation?) -> JSONValue {
        guard let o else { return .null }
        return .object([
            "file": .string(o.file), "line": .int(o.line), "time": .string(o.time.text), "time_start": time(o.time.start), "time_end": time(o.time.end),
            "status": .string(o.status.rawValue), "location": .string(o.location.description), "source": .string(o.citation.source), "quote": .string(o.citation.quote),
        ])
    }

    /// `replay --json`: one object per state.
    public static func replay(_ states: [ReplayState]) -> JSONValue {
        .array(states.map { s in
            let vehicles = count(s.vehicles), people = count(s.people)
            let o = s.observation
            return .object([
                "convoy": .string(s.convoy), "unit": .string(s.unit), "parent": .optional(s.parent), "children": .array(s.children.map { .string($0) }),
                "file": .string(o.file), "line": .int(o.line),
                "time": time(s.time), "time_text": .string(o.time.text), "time_start": time(o.time.start), "time_end": time(o.time.end),
                "status": .string(s.status.rawValue), "location": .string(o.location.description), "places": .array(o.places.map { .string($0.id) }),
                "vehicles": vehicles.total, "vehicles_detail": vehicles.detail, "people": people.total, "people_detail": people.detail,
                "lat": .optional(s.position?.point.latitude, 6), "lon": .optional(s.position?.point.longitude, 6),
                "uncertainty_m": .optional(s.position?.uncertainty, 0),
                "between": s.position?.between.map { .array($0.map { .string($0) }) } ?? .null,
                "position": s.position == nil ? .null : .string(s.positionObserved ? "observed" : "interpolated"),
                "cumulative_m": .optional(s.cumulative, 0), "leg_m": .optional(s.leg, 0), "speed_kmh": .optional(s.speed.map { $0 * 3.6 }, 1),
                "sources": sources(s.sources), "note": .optional(o.note),
                "anomalies": .array(s.anomalies.map { .object(["kind": .string($0.kind.rawValue), "message": .string($0.message)]) }),
            ])
        })
    }

    /// One unit of a `where` answer.
    public static func unit(_ u: UnitAnswer) -> JSONValue {
        let vehicles = count(u.vehicles), people = count(u.people)
        let p = u.position
        var day: JSONValue = .null
        if let d = u.day {
            day = .object([
                "from": time(d.from), "to": time(d.to), "covered_m": .number(JSONValue.rounded(d.covered, 0)),
                "start": .object(["lat": .number(JSONValue.rounded(d.start.point.latitude, 6)), "lon": .number(JSONValue.rounded(d.start.point.longitude, 6)), "uncertainty_m": .number(JSONValue.rounded(d.start.uncertainty, 0))]),
                "end": .object(["lat": .number(JSONValue.rounded(d.end.point.latitude, 6)), "lon": .number(JSONValue.rounded(d.end.point.longitude, 6)), "uncertainty_m": .number(JSONValue.rounded(d.end.uncertainty, 0))]),
            ])
        }
        return .object([
            "convoy": .string(u.convoy), "unit": .string(u.unit), "parent": .optional(u.parent),
            "lat": .optional(p?.point.latitude, 6), "lon": .optional(p?.point.longitude, 6), "uncertainty_m": .optional(p?.uncertainty, 0),
            "between": p?.between.map { .array($0.map { .string($0) }) } ?? .null,
            "phase": .optional(p?.phase.rawValue), "speed_kmh": .optional(p?.speed.map { $0 * 3.6 }, 1),
            "nearest": .array(u.nearest.map { .object(["place": .string($0.name), "id": .string($0.id), "distance_m": .number(JSONValue.rounded($0.distance, 0)), "bearing_deg": .number(JSONValue.rounded($0.bearing, 1))]) }),
            "status": .optional(u.status?.rawValue), "vehicles": vehicles.total, "vehicles_detail": vehicles.detail, "people": people.total, "people_detail": people.detail,
            "observations": .object(["before": observation(u.before), "after": observation(u.after), "status": observation(u.statusRow)]),
            "since_last_report_s": .optional(u.sinceLast, 0), "sources": sources(u.sources), "day": day,
        ])
    }

    /// One `where` query: `at` (or `on` with `from`/`to`), `units`, and `absent` convoys with their first report.
    public static func answer(_ answers: [ConvoyAnswer], query: WhereTime, zone: TimeZone) -> JSONValue {
        var object: [String: JSONValue] = ["zone": .string(zone.identifier)]
        switch query {
        case .instant(let t):
            object["at"] = time(t)
            object["on"] = .null
        case .day(let from, let to):
            object["at"] = .null
            object["on"] = .object(["from": time(from), "to": time(to)])
        }
        object["units"] = .array(answers.flatMap { $0.units.map(unit) })
        object["absent"] = .array(answers.filter { $0.units.isEmpty }.map { .object(["convoy": .string($0.convoy), "first_report": $0.firstReport.map(time) ?? .null]) })
        return .object(object)
    }
}
