import ConvoyGeodesy
import ConvoyRoute

extension ExportDocument {
    /// The export of a replayed route model: a track per unit along its road path, timed exactly as
    /// `convoy where` answers (constant speed along the path between positions; a halted or stalled
    /// unit stays put — its move to the next position is drawn in the last second before that report,
    /// since the reports do not say when it left), every observation, and the legs between them.
    public init(model: RouteModel, convoy: String? = nil) {
        let units = model.units(convoy: convoy)
        tracks = units.map(Self.track)
        var observations: [ExportObservation] = []
        var legs: [ExportLeg] = []
        var previous: [String: (state: ReplayState, label: String)] = [:]
        for state in model.states where convoy == nil || state.convoy == convoy {
            guard let unit = units.first(where: { $0.convoy == state.convoy && $0.unit == state.unit }) else { continue }
            let o = state.observation
            let point = state.position?.point ?? unit.knots.first?.point
            guard let point else { continue }
            let label = Self.label(o)
            let citation = state.sources.first ?? o.citation
            observations.append(
                ExportObservation(
                    id: o.origin, convoy: state.convoy, unit: state.unit, time: state.time, timeStart: o.time.start, timeEnd: o.time.end,
                    timeText: o.time.text, status: state.status.rawValue, location: o.location.description,
                    place: o.places.isEmpty ? nil : o.places.map(\.name).joined(separator: " – "), point: point,
                    uncertaintyMeters: state.position?.uncertainty ?? 0, stretch: Self.stretch(of: o, on: unit),
                    vehicles: state.vehicles?.description, people: state.people?.description, source: citation.source, quote: citation.quote,
                    segmentMeters: state.leg, cumulativeMeters: state.cumulative, anomalies: state.anomalies.map { "\($0.kind.rawValue): \($0.message)" }))
            let key = "\(state.convoy)/\(state.unit)"
            if state.positionObserved, let position = state.position {
                if let (before, beforeLabel) = previous[key], let from = before.position {
                    legs.append(
                        ExportLeg(
                            convoy: state.convoy, unit: state.unit, from: beforeLabel, to: label, start: before.time, end: state.time,
                            geodesicMeters: Geodesic.inverse(from: from.point, to: position.point).distance,
                            alongRouteMeters: abs(position.measure - from.measure)))
                }
                previous[key] = (state, label)
            }
        }
        self.observations = observations
        self.legs = legs
    }

    static func label(_ o: Observation) -> String {
        let location = o.location.description
        return location.isEmpty ? "\(o.status.rawValue) (\(o.origin))" : location
    }

    /// A unit's track vertices: its knots, with the road path's vertices between them timed by
    /// the model's interpolation. Times strictly increase (a knot at the same instant as the one
    /// before is nudged by a millisecond).
    static func track(_ unit: UnitTrack) -> ExportTrack {
        var vertices: [TrackVertex] = []
        func add(_ time: Double, _ point: GeoPoint) {
            if let last = vertices.last {
                if last.point == point, time <= last.time { return }
                vertices.append(TrackVertex(time: max(time, last.time + 0.001), point: point))
            } else {
                vertices.append(TrackVertex(time: time, point: point))
            }
        }
        let path = unit.path
        for (index, knot) in unit.knots.enumerated() {
            guard index > 0 else {
                add(knot.time, knot.point)
                continue
            }
            let a = unit.knots[index - 1]
            if knot.measure == a.measure {
                add(knot.time, knot.point)
                continue
            }
            var departure = a.time
            if a.stationary {
                departure = max(a.time, knot.time - 1)
                add(departure, a.point)
            }
            let between = zip(path.vertices, path.cumulative).filter { _, m in
                a.measure < knot.measure ? (m > a.measure && m < knot.measure) : (m < a.measure && m > knot.measure)
            }
            let ordered = a.measure < knot.measure ? Array(between) : between.reversed()
            for (vertex, measure) in ordered {
                let f = (measure - a.measure) / (knot.measure - a.measure)
                add(departure + f * (knot.time - departure), vertex.point)
            }
            add(knot.time, knot.point)
        }
        let vehicles = unit.vehicles.last.flatMap { $0?.count.description }
        return ExportTrack(convoy: unit.convoy, unit: unit.unit, parent: unit.parent, vehicles: vehicles, vertices: vertices)
    }

    /// For "between A and B": the stretch of the unit's road path from A to B.
    static func stretch(of o: Observation, on unit: UnitTrack) -> [GeoPoint]? {
        guard case .between = o.location, o.places.count == 2 else { return nil }
        let path = unit.path
        let a = path.locate(o.places[0].point), b = path.locate(o.places[1].point)
        // Only when both places lie on the road the unit followed; else the straight geodesic.
        guard a.offset < 1_000, b.offset < 1_000, a.measure != b.measure else {
            return [o.places[0].point, o.places[1].point]
        }
        let low = min(a.measure, b.measure), high = max(a.measure, b.measure)
        var points = [path.position(at: low)]
        points += zip(path.vertices, path.cumulative).filter { $0.1 > low && $0.1 < high }.map(\.0.point)
        points.append(path.position(at: high))
        return a.measure <= b.measure ? points : points.reversed()
    }
}
