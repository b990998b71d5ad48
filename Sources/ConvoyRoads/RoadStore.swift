import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import GRDB

/// Imported roads, kept in the gazetteer's SQLite store in tables of their own.
///
/// - `road_import`: the one imported road file: its name, when, and how many features.
/// - `road_feature`: its roads in file order: id, name, source, the optional facts, waypoints as a
///   JSON array, and the line as a BLOB of little-endian (longitude, latitude) doubles.
///
/// The store holds one road set: importing again replaces it, in one transaction; what is read
/// back is checked again (ranges, counts) before it is trusted.
public struct RoadStore: Sendable {
    public let database: DatabaseQueue

    /// Opens the road tables in `gazetteer`'s store, creating them on first use.
    public init(_ gazetteer: Gazetteer) throws {
        database = gazetteer.database
        // Safe when other processes open the store at once; a read-only store without these tables
        // has nothing imported: it reads as such, and a write says the store is read-only.
        readOnlyWithoutTables = try Gazetteer.migrateUnlessReadOnly(Self.migrator, on: database)
    }

    /// Set when the store is read-only and has never had these tables (see ``Gazetteer/migrateUnlessReadOnly(_:on:)``).
    let readOnlyWithoutTables: StoreFailure?

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("roads v1: imported road network") { db in
            try db.execute(
                sql: """
                    CREATE TABLE road_import (
                        id INTEGER PRIMARY KEY,
                        file TEXT NOT NULL,
                        imported_at TEXT NOT NULL,
                        features INTEGER NOT NULL
                    );
                    CREATE TABLE road_feature (
                        rowid INTEGER PRIMARY KEY,
                        import_id INTEGER NOT NULL REFERENCES road_import(id) ON DELETE CASCADE,
                        id TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        source TEXT NOT NULL,
                        source_url TEXT,
                        note TEXT,
                        max_speed_kmh REAL,
                        schematic INTEGER NOT NULL,
                        waypoints TEXT,
                        coordinates BLOB NOT NULL
                    );
                    """)
        }
        return migrator
    }

    /// Replaces the stored roads with `roads`, all or none (one write transaction).
    /// `failAfter` is for tests: throw after inserting that many roads, to prove the rollback.
    public func replace(with roads: [RoadFeature], file: String, importedAt: Date = Date(), failAfter: Int? = nil) throws {
        if let readOnlyWithoutTables { throw readOnlyWithoutTables }
        try database.write { db in
            try db.execute(sql: "DELETE FROM road_feature")
            try db.execute(sql: "DELETE FROM road_import")
            try db.execute(sql: "INSERT INTO road_import (id, file, imported_at, features) VALUES (1, ?, ?, ?)", arguments: [file, ISO8601DateFormatter().string(from: importedAt), roads.count])
            let statement = try db.makeStatement(
                sql: "INSERT INTO road_feature (import_id, id, name, source, source_url, note, max_speed_kmh, schematic, waypoints, coordinates) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (n, road) in roads.enumerated() {
                if let failAfter, n == failAfter { throw RoadStoreError.injectedFailure }
                let waypoints = try road.waypoints.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
                try statement.execute(arguments: [road.id, road.name, road.source, road.sourceURL, road.note, road.maxSpeedKmh, road.schematic, waypoints, Self.encode(road.coordinates)])
            }
        }
    }

    /// Removes the imported roads (the bundled ones are used again).
    public func clear() throws {
        if let readOnlyWithoutTables { throw readOnlyWithoutTables }
        try database.write { db in
            try db.execute(sql: "DELETE FROM road_feature")
            try db.execute(sql: "DELETE FROM road_import")
        }
    }

    /// Facts about the imported roads, or nil when none were imported.
    public func info() throws -> (file: String, importedAt: String, features: Int)? {
        if readOnlyWithoutTables != nil { return nil }
        return try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT file, imported_at, features FROM road_import WHERE id = 1") else { return nil }
            return (row[0], row[1], row[2])
        }
    }

    /// The imported roads in file order; nil when none were imported.
    public func load() throws -> [RoadFeature]? {
        if readOnlyWithoutTables != nil { return nil }
        return try database.read { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM road_import WHERE id = 1") != nil else { return nil }
            var roads: [RoadFeature] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, name, source, source_url, note, max_speed_kmh, schematic, waypoints, coordinates FROM road_feature ORDER BY rowid") {
                let id: String = row[0]
                let blob: Data = row[8]
                guard let points = Self.decode(blob), points.count >= 2 else { throw RoadStoreError.corrupt(id) }
                var waypoints: [String?]?
                if let text: String = row[7] {
                    waypoints = try? JSONDecoder().decode([String?].self, from: Data(text.utf8))
                    guard waypoints?.count == points.count else { throw RoadStoreError.corrupt(id) }
                }
                let speed: Double? = row[5]
                if let speed, !(speed > 0 && speed <= 300) { throw RoadStoreError.corrupt(id) }
                roads.append(RoadFeature(id: id, name: row[1], source: row[2], sourceURL: row[3], note: row[4], maxSpeedKmh: speed, schematic: row[6], waypoints: waypoints, coordinates: points))
            }
            return roads
        }
    }

    static func encode(_ points: [GeoPoint]) -> Data {
        var data = Data(capacity: points.count * 16)
        for p in points {
            withUnsafeBytes(of: p.longitude.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: p.latitude.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The points of a coordinates BLOB, each checked to be a position; nil when it is not one.
    static func decode(_ data: Data) -> [GeoPoint]? {
        guard data.count % 16 == 0 else { return nil }
        var points: [GeoPoint] = []
        points.reserveCapacity(data.count / 16)
        let bytes = [UInt8](data)
        func double(at i: Int) -> Double {
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            return Double(bitPattern: bits)
        }
        for i in stride(from: 0, to: bytes.count, by: 16) {
            guard let p = try? GeoPoint(latitude: double(at: i + 8), longitude: double(at: i)) else { return nil }
            if let last = points.last, last == p { return nil }
            points.append(p)
        }
        return points
    }
}

/// Failures of the road store.
public enum RoadStoreError: Error, Sendable, CustomStringConvertible {
    /// Raised on purpose by tests in the middle of an import.
    case injectedFailure
    /// A stored road that does not read back as a road (the store was changed by other means).
    case corrupt(String)

    public var description: String {
        switch self {
        case .injectedFailure: "import interrupted (test)"
        case .corrupt(let id): "the stored road \"\(id)\" is damaged; import the roads again (`convoy import roads FILE`)"
        }
    }
}
