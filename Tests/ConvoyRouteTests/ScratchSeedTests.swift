import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoute

@Suite struct ScratchSeed {
    @Test func printSeed() throws {
        let g = try Support.gazetteer()
        let log = try Support.seedLog(g)
        let roads = try Support.roads(g)
        let model = ConvoyModel(log: log, roads: NetworkSpace(roads: roads.graph))
        for u in model.units {
            print("UNIT \(u.convoy)/\(u.unit) parent=\(u.parent ?? "-") rows=\(u.rows.count) inherited=\(u.inherited.count) constraints=\(u.prism.constraints.count) conflicts=\(u.prism.conflicts.map { "\($0.rows) \(Int($0.neededSpeed*3.6))km/h" }) exists \(Date(timeIntervalSince1970: u.existsFrom)) – \(u.existsUntil.map { Date(timeIntervalSince1970: $0).description } ?? "-") strained=\(u.journey.strained)")
            for c in u.prism.constraints { let r = u.allRows[c.row]; print("   c line \(r.line) \(r.location) win \(Date(timeIntervalSince1970: c.start))–\(Date(timeIntervalSince1970: c.end)) set \(Int(c.region.length/1000)) km lat \(Int(c.lateral))") }
        }
        for day in 27...37 {
            let t = try Support.time(String(format: "2017-%02d-%02dT12:00", day > 31 ? 9 : 8, day > 31 ? day - 31 : day))
            for u in model.units where u.convoy == "is-qalamoun-2017" && u.exists(at: t) {
                guard let p = u.position(at: t) else { print("\(day) \(u.unit): no position"); continue }
                let near = try g.landmarks(near: p.point, radius: 200_000, limit: 1).first
                print("day \(day) \(u.unit): \(p.phase) est \(p.point) near \(near.map { "\(Int($0.distance/1000)) km from \($0.name)" } ?? "-") ±\(Int(p.uncertainty/1000)) km, set \(Int(u.feasibleSet(p.feasible).length/1000)) km in \(u.feasibleSet(p.feasible).stretches(in: u.space).count) stretches, speed \(Int(p.speed*3.6))")
            }
        }
    }
}
