import ConvoyGeodesy
import ConvoyRoute

extension ExportDocument {
    /// The export of the route model: per unit its best-estimate journey as a timed track (it never
    /// moves faster than the maximum speed; a halt is time spent at one position; a child's track
    /// starts where its parent's is when it may first have split off), every row of the log where
    /// the journey meets it with the region it gives, the legs between those meetings, and the
    /// feasible set — every position the unit can have been at — sampled over time.
    public init(model: ConvoyModel, convoy: String? = nil, feasibleStep: Double = 6 * 3600, feasibleLimit: Int = 400) {
        let units = model.units(convoy: convoy)
        tracks = units.map(Self.track)
        var observations: [ExportObservation] = []
        var legs: [ExportLeg] = []
        var previous: [String: (time: Double, point: GeoPoint, travelled: Double, label: String)] = [:]
        // Per unit: each own row's index among its rows, and the journey's visit of each row.
        var rowIndex: [String: [Int: Int]] = [:]
        var visitOfRow: [String: [Int: SpacePosition]] = [:]
        for unit in units {
            let key = "\(unit.convoy)/\(unit.unit)"
            rowIndex[key] = Dictionary(unit.rows.enumerated().map { ($1.line, unit.inherited.count + $0) }, uniquingKeysWith: { a, _ in a })
            visitOfRow[key] = Dictionary(unit.journey.visits.filter { $0.constraint >= 0 }.map { (unit.prism.constraints[$0.constraint].row, $0.position) }, uniquingKeysWith: { a, _ in a })
        }
        for state in model.replay where convoy == nil || state.convoy == convoy {
            guard let unit = model.unit(convoy: state.convoy, unit: state.unit) else { continue }
            let o = state.observation
            let key = "\(state.convoy)/\(state.unit)"
            let index = rowIndex[key]?[o.line] ?? unit.inherited.count
            let footprint = unit.footprints[index]
            let time = state.visit?.time ?? o.time.middle
            guard let point = state.visit?.point ?? unit.journey.position(at: time).map({ unit.space.point(at: $0) }) else { continue }
            var uncertainty = 0.0
            var parts: [[GeoPoint]]?
            if let footprint, let visit = visitOfRow[key]?[index] {
                uncertainty = unit.farthest(from: visit, in: footprint.set) + footprint.lateral
                if footprint.set.length > 1 { parts = unit.polylines(of: footprint.set) }
            }
            let label = Self.label(o)
            let citation = state.sources.first ?? o.citation
            observations.append(
                ExportObservation(
                    id: o.origin, convoy: state.convoy, unit: state.unit, time: time, timeStart: o.time.start, timeEnd: o.time.end,
                    timeText: o.time.text, status: o.status.rawValue, location: o.location.description,
                    place: o.places.isEmpty ? nil : o.places.map(\.name).joined(separator: " – "), point: point,
                    uncertaintyMeters: uncertainty, stretch: parts,
                    vehicles: state.vehicles?.description, people: state.people?.description, source: citation.source, quote: citation.quote,
                    segmentMeters: state.leg, cumulativeMeters: state.travelled, anomalies: state.anomalies.map { "\($0.kind.rawValue): \($0.message)" }))
            if let visit = state.visit, let travelled = state.travelled {
                if let before = previous[key] {
                    legs.append(
                        ExportLeg(
                            convoy: state.convoy, unit: state.unit, from: before.label, to: label, start: before.time, end: visit.time,
                            geodesicMeters: Geodesic.inverse(from: before.point, to: visit.point).distance, alongRouteMeters: abs(travelled - before.travelled)))
                }
                previous[key] = (visit.time, visit.point, travelled, label)
            }
        }
        self.observations = observations
        self.legs = legs
        feasible = units.flatMap { Self.feasible(of: $0, step: feasibleStep, limit: feasibleLimit) }
    }

    static func label(_ o: Observation) -> String {
        let location = o.location.description
        return location.isEmpty ? "\(o.status.rawValue) (\(o.origin))" : location
    }

    /// A unit's journey as timed vertices: every corner of the journey and every road vertex between,
    /// timed by the journey's own motion. A unit that never moves still gets two vertices (a halt).
    static func track(_ unit: UnitModel) -> ExportTrack {
        let journey = unit.journey
        var vertices: [TrackVertex] = []
        func add(_ time: Double, _ point: GeoPoint) {
            if let last = vertices.last, last.time == time, last.point == point { return }
            vertices.append(TrackVertex(time: time, point: point))
        }
        func point(_ measure: Double) -> GeoPoint? { journey.position(atMeasure: measure).map { unit.space.point(at: $0) } }
        let times = journey.knotTimes, measures = journey.knotMeasures
        let start = unit.parent == nil ? -Double.infinity : unit.existsFrom
        for k in times.indices where times[k] >= start {
            if k > 0, times[k - 1] >= start, measures[k] != measures[k - 1] {
                // The road's vertices between two corners, timed in proportion to the distance.
                let lo = measures[k - 1], hi = measures[k]
                for (p, piece) in journey.pieces.enumerated() {
                    let m0 = journey.pieceMeasures[p]
                    var inner: [(Double, GeoPoint)] = []
                    if m0 > min(lo, hi), m0 < max(lo, hi), let q = point(m0) { inner.append((m0, q)) }
                    let edgeLo = min(piece.from, piece.to), edgeHi = max(piece.from, piece.to)
                    // The edge's own vertices along the piece, at their distance along the journey.
                    let positions = unit.space.interiorVertexOffsets(of: piece.edge, from: edgeLo, to: edgeHi).map { (m0 + abs($0.offset - piece.from), $0.point) }
                    inner += positions.filter { $0.0 > min(lo, hi) && $0.0 < max(lo, hi) }
                    for (m, q) in inner.sorted(by: { lo < hi ? $0.0 < $1.0 : $0.0 > $1.0 }) {
                        add(times[k - 1] + (m - lo) / (hi - lo) * (times[k] - times[k - 1]), q)
                    }
                }
            }
            if let q = point(measures[k]) { add(times[k], q) }
        }
        if vertices.count == 1 {
            // One report: the unit is shown standing there until its last row's time.
            let end = max(vertices[0].time + 1, unit.rows.map(\.time.end).max() ?? 0)
            vertices.append(TrackVertex(time: end, point: vertices[0].point))
        }
        let vehicles = unit.rows.last { $0.vehicles != nil }?.vehicles?.description
        return ExportTrack(convoy: unit.convoy, unit: unit.unit, parent: unit.parent, vehicles: vehicles, vertices: vertices)
    }

    /// The feasible set sampled every `step` seconds over the unit's existence (from a step before its
    /// first report to a step after its last, at most `limit` samples), and at every report's window
    /// ends; each sample holds until halfway to the next.
    static func feasible(of unit: UnitModel, step: Double, limit: Int) -> [ExportFeasible] {
        let constraints = unit.prism.constraints
        guard !constraints.isEmpty else { return [] }
        let first = max(unit.existsFrom, (constraints.map(\.start).min() ?? 0) - step)
        let last = min(unit.existsUntil ?? .infinity, (constraints.map(\.end).max() ?? 0) + step)
        guard last >= first else { return [] }
        var times = Set(constraints.flatMap { [$0.start, $0.end] }.filter { $0 >= first && $0 <= last })
        let count = min(limit, Int(((last - first) / step).rounded(.up)) + 1)
        for k in 0..<count { times.insert(first + (last - first) * Double(k) / Double(max(1, count - 1))) }
        let sorted = times.sorted()
        return sorted.enumerated().compactMap { i, t in
            guard let p = unit.position(at: t) else { return nil }
            let set = unit.feasibleSet(p.feasible)
            let from = i == 0 ? t : (sorted[i - 1] + t) / 2, to = i == sorted.count - 1 ? t : (t + sorted[i + 1]) / 2
            return ExportFeasible(
                convoy: unit.convoy, unit: unit.unit, time: t, validFrom: from, validTo: to, parts: unit.polylines(of: set),
                lengthMeters: set.length, uncertaintyMeters: p.uncertainty, estimate: p.point)
        }
    }
}
