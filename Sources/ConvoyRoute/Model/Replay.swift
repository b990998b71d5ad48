import ConvoyGeodesy
import Foundation

/// The state after one row of the log: what the row says, the region and window the model makes of
/// it, where the best-estimate journey meets it, the counts in force, and what does not add up.
public struct ReplayState: Sendable {
    public let convoy: String
    public let unit: String
    public let parent: String?
    public let observation: Observation
    /// The row's window as narrowed by its neighbours (the time it can really have held), when the
    /// row places the unit.
    public let window: (start: Double, end: Double)?
    /// Length of the row's region on the roads (and legs off them), metres; nil for a row without place.
    public let regionLength: Double?
    /// True when the region lies off the road network.
    public let offNetwork: Bool
    /// Where and when the journey visits the row's region.
    public let visit: (time: Double, point: GeoPoint)?
    /// Metres the journey has travelled by the visit (a child's including its parent's way).
    public let travelled: Double?
    /// Metres since the previous visit, and the journey's average speed over it (m/s).
    public let leg: Double?
    public let speed: Double?
    /// The counts in force after the row (its own, else the last before).
    public let vehicles: Count?
    public let people: Count?
    /// The row's source first, then those of the counts carried from earlier rows.
    public let sources: [Citation]
    public let anomalies: [Anomaly]
    /// Notes that are not anomalies (a block that cuts nothing).
    public let notes: [String]
    /// Units created by this split row.
    public let children: [String]
}

extension ConvoyModel {
    /// Every unit's rows in time order (then convoy and unit), each with its state.
    public var replay: [ReplayState] {
        var states: [ReplayState] = []
        for unit in units {
            let kids = units.filter { $0.convoy == unit.convoy && $0.parent == unit.unit }
            let anomalies = unit.anomalies(children: kids)
            let offset = unit.inherited.count
            var visitOf: [Int: (constraint: Int, time: Double, position: SpacePosition)] = [:]
            for v in unit.journey.visits where v.constraint >= 0 { visitOf[unit.prism.constraints[v.constraint].row] = v }
            var vehicles: (Count, Citation)?, people: (Count, Citation)?
            var previousVisit: (time: Double, travelled: Double)?
            for inherited in 0..<offset {
                if let v = visitOf[inherited] { previousVisit = (v.time, unit.journey.measure(at: v.time)) }
            }
            for (i, row) in unit.rows.enumerated() {
                let index = offset + i
                if let v = row.vehicles { vehicles = (v, row.citation) }
                if let p = row.people { people = (p, row.citation) }
                let constraint = unit.prism.constraints.firstIndex { $0.row == index }
                let visit = visitOf[index]
                var travelled: Double?, leg: Double?, speed: Double?
                if let visit {
                    let m = unit.journey.measure(at: visit.time)
                    travelled = m
                    if let previous = previousVisit {
                        leg = m - previous.travelled
                        speed = visit.time > previous.time ? (m - previous.travelled) / (visit.time - previous.time) : nil
                    }
                    previousVisit = (visit.time, m)
                }
                var sources = [row.citation]
                for c in [vehicles?.1, people?.1].compactMap({ $0 }) where !sources.contains(c) { sources.append(c) }
                let footprint = unit.footprints[index]
                states.append(ReplayState(
                    convoy: unit.convoy, unit: unit.unit, parent: unit.parent, observation: row,
                    window: constraint.map { (unit.prism.constraints[$0].start, unit.prism.constraints[$0].end) },
                    regionLength: footprint?.set.length, offNetwork: footprint?.offNetwork ?? false,
                    visit: visit.map { ($0.time, unit.space.point(at: $0.position)) }, travelled: travelled, leg: leg, speed: speed,
                    vehicles: vehicles?.0, people: people?.0, sources: sources, anomalies: anomalies[i],
                    notes: unit.rowNotes[index].map { [$0] } ?? [], children: row.status == .split ? kids.map(\.unit) : []))
            }
        }
        let rank = Dictionary(units.enumerated().map { ("\($1.convoy)/\($1.unit)", $0) }, uniquingKeysWith: { a, _ in a })
        return states.sorted {
            ($0.observation.time.start, $0.convoy, rank["\($0.convoy)/\($0.unit)"] ?? 0, $0.observation.line)
                < ($1.observation.time.start, $1.convoy, rank["\($1.convoy)/\($1.unit)"] ?? 0, $1.observation.line)
        }
    }
}
