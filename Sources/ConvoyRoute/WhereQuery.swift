import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// A gazetteer place near an answer: "38 km ESE of As Sukhnah".
public struct NearPlace: Sendable, Hashable {
    public let id: String
    public let name: String
    public let distance: Double
    /// Azimuth from the place to the unit, degrees clockwise from north in [0, 360).
    public let bearing: Double
}

/// What happened over one day (`convoy where --on`).
public struct DayStretch: Sendable, Hashable {
    public let from: Double
    public let to: Double
    public let start: TrackPosition
    public let end: TrackPosition
    /// Metres travelled along the path between `from` and `to`.
    public let covered: Double
}

/// The answer for one unit at one time.
public struct UnitAnswer: Sendable {
    public let convoy: String
    public let unit: String
    public let parent: String?
    /// The position by the interpolation model; nil when no row of the unit gives a position.
    public let position: TrackPosition?
    /// The latest row at or before the time (status, counts): nil before the unit's first row.
    public let statusRow: Observation?
    public let status: ConvoyStatus?
    public let vehicles: Count?
    public let people: Count?
    /// The positioned observations that bracket the answer (`after` nil past the last).
    public let before: Observation?
    public let after: Observation?
    /// Seconds since the unit's last row, when the time is after it.
    public let sinceLast: Double?
    public let sources: [Citation]
    public let nearest: [NearPlace]
    public let day: DayStretch?
    /// The units it split into, when asked about a time after its split (not listed then).
    public let children: [String]
}

/// The answer for one convoy: its units then, or "no report yet".
public struct ConvoyAnswer: Sendable {
    public let convoy: String
    public let units: [UnitAnswer]
    /// When the convoy's first report begins, if the time is before it.
    public let firstReport: Double?
}

/// A query: an instant, or a whole day.
public enum WhereTime: Sendable, Hashable {
    case instant(Double)
    case day(from: Double, to: Double)
}

extension RouteModel {
    /// Whether the unit exists at `t`: from its first report (a child: from its split) until it splits or merges.
    public func exists(_ track: UnitTrack, at t: Double) -> Bool {
        let start = existenceStart(track)
        if t < start { return false }
        if let end = track.end, t >= end { return false }
        return true
    }

    func existenceStart(_ track: UnitTrack) -> Double {
        guard let parent = track.parent, let p = units.first(where: { $0.convoy == track.convoy && $0.unit == parent }) else { return track.start }
        return max(track.rowTimes[0], p.end ?? track.start)
    }

    /// Where each convoy's units were at `time`. `nearest` finds gazetteer places around a point.
    /// A position costs two binary searches (O(log n) in the number of observations).
    public func answer(_ time: WhereTime, convoy: String? = nil, nearest: (GeoPoint) -> [NearPlace] = { _ in [] }) -> [ConvoyAnswer] {
        let t: Double
        var dayRange: (Double, Double)?
        switch time {
        case .instant(let i): t = i
        case .day(let from, let to):
            t = (from + to) / 2
            dayRange = (from, to)
        }
        var result: [ConvoyAnswer] = []
        for name in convoys where convoy == nil || convoy == name {
            let tracks = units(convoy: name)
            var answers: [UnitAnswer] = []
            for track in tracks {
                let alive: Bool
                var queryTime = t
                if let (from, to) = dayRange {
                    let start = existenceStart(track), end = track.end ?? .infinity
                    alive = start < to && end > from
                    // Within the day, the unit's own part of it.
                    let lo = max(from, start), hi = min(to, end)
                    queryTime = (lo + hi) / 2
                } else {
                    alive = exists(track, at: t)
                }
                guard alive else { continue }
                answers.append(answer(track, at: queryTime, day: dayRange, nearest: nearest))
            }
            let first = tracks.filter { $0.parent == nil }.map(\.start).min()
            result.append(ConvoyAnswer(convoy: name, units: answers, firstReport: answers.isEmpty ? first.flatMap { t < $0 ? $0 : nil } : nil))
        }
        return result
    }

    func answer(_ track: UnitTrack, at t: Double, day: (Double, Double)?, nearest: (GeoPoint) -> [NearPlace]) -> UnitAnswer {
        var position = track.position(at: t)
        var stretch: DayStretch?
        if let (from, to) = day {
            let lo = max(from, existenceStart(track)), hi = min(to, track.end ?? .infinity)
            if let a = track.position(at: lo), let b = track.position(at: hi.nextDown) {
                let covered = abs(b.measure - a.measure)
                stretch = DayStretch(from: lo, to: hi, start: a, end: b, covered: covered)
                let middle = (a.measure + b.measure) / 2
                if let p = position {
                    position = TrackPosition(
                        point: track.path.position(at: middle), uncertainty: covered / 2 + max(a.uncertainty, b.uncertainty), measure: middle, phase: p.phase,
                        between: covered > 0 ? track.names(around: middle) ?? p.between : p.between, before: p.before, after: p.after, speed: p.speed)
                }
            }
        }
        let rowIndex = track.row(at: t)
        let row = rowIndex.map { track.rows[$0] }
        var sources: [Citation] = []
        func add(_ c: Citation?) { if let c, !sources.contains(c) { sources.append(c) } }
        let before = position.map { track.rows[track.knots[$0.before].row] }
        let after = position.flatMap { p in p.after.map { track.rows[track.knots[$0].row] } }
        add(before?.citation)
        add(after?.citation)
        add(row?.citation)
        let vehicles = rowIndex.flatMap { track.vehicles[$0] }
        let people = rowIndex.flatMap { track.people[$0] }
        add(vehicles.map { track.rows[$0.row].citation })
        add(people.map { track.rows[$0.row].citation })
        let lastTime = track.rowTimes.last!
        return UnitAnswer(
            convoy: track.convoy, unit: track.unit, parent: track.parent, position: position, statusRow: row, status: row?.status,
            vehicles: vehicles?.count, people: people?.count, before: before, after: after, sinceLast: t > lastTime ? t - lastTime : nil,
            sources: sources, nearest: position.map { nearest($0.point) } ?? [], day: stretch, children: track.children)
    }
}

extension Gazetteer {
    /// Kinds that are points a reader can place a convoy against ("38 km ESE of As Sukhnah");
    /// countries, regions, rivers and the like are left out.
    public static let landmarkKinds: Set<String> = [
        "city", "town", "village", "neighbourhood", "refugee camp", "border crossing", "peak", "pumping station", "air base", "road junction",
        "archaeological site",
    ]

    /// The `limit` nearest landmark places within `radius` metres, with the bearing from each place to `point`.
    public func landmarks(near point: GeoPoint, radius: Double = 150_000, limit: Int = 3) throws -> [NearPlace] {
        try places(near: point, radius: radius).filter { Self.landmarkKinds.contains($0.place.kind) }.prefix(limit).map { near in
            var bearing = Geodesic.inverse(from: near.place.location, to: point).initialAzimuth
            if bearing < 0 { bearing += 360 }
            return NearPlace(id: near.place.id, name: near.place.name, distance: near.distance, bearing: bearing)
        }
    }
}
