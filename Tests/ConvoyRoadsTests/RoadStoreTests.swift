import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import GRDB
import Testing

@testable import ConvoyRoads

/// Imported roads in the store: read back exactly, replaced in one transaction, checked on read.
struct RoadStoreTests {
    @Test func roundTripAndAllOrNothing() throws {
        let gazetteer = try Support.gazetteer()
        let store = try RoadStore(gazetteer)
        #expect(try store.load() == nil)
        let roads = try Support.bundled().roads
        try store.replace(with: roads, file: "roads.geojson")
        #expect(try store.load() == roads)
        #expect(try store.info()?.features == roads.count)
        // An import that fails half way leaves the previous roads as they were.
        let other = [Support.road("x", [Support.point(34, 38), Support.point(35, 39)]), Support.road("y", [Support.point(34, 38), Support.point(33, 37)])]
        #expect(throws: RoadStoreError.self) { try store.replace(with: other, file: "other.geojson", failAfter: 1) }
        #expect(try store.load() == roads)
        #expect(try store.info()?.file == "roads.geojson")
        try store.replace(with: other, file: "other.geojson")
        #expect(try store.load() == other)
        try store.clear()
        #expect(try store.load() == nil)
    }

    /// A damaged row (an out-of-range coordinate written by other means) is refused, not trusted.
    @Test func damagedRowsAreRefused() throws {
        let gazetteer = try Support.gazetteer()
        let store = try RoadStore(gazetteer)
        try store.replace(with: [Support.road("x", [Support.point(34, 38), Support.point(35, 39)])], file: "f")
        var bad = RoadStore.encode([Support.point(34, 38), Support.point(35, 39)])
        bad.replaceSubrange(8..<16, with: withUnsafeBytes(of: (123.0).bitPattern.littleEndian) { Data($0) })  // latitude 123
        try gazetteer.database.write { try $0.execute(sql: "UPDATE road_feature SET coordinates = ?", arguments: [bad]) }
        #expect(throws: RoadStoreError.self) { try store.load() }
    }
}
