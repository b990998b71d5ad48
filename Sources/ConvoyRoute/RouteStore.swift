import ConvoyGazetteer
import Foundation
import GRDB

/// The imported update log, kept in the gazetteer's SQLite store in tables of its own.
///
/// - `route_log`: the one imported log: its file name, zone and import time.
/// - `route_row`: its rows as written (one column per log field, plus the line number), so a stored
///   log is re-checked and replayed exactly like the file. Migrations: `route v1: update log`,
///   `route v2: max_speed_kmh` (adds that column, empty on rows imported before).
///
/// The store holds one log: importing again replaces it, in one transaction.
public struct RouteStore: Sendable {
    public let database: DatabaseQueue

    /// Opens the route tables in `gazetteer`'s store, creating them on first use.
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
        migrator.registerMigration("route v1: update log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE route_log (
                        id INTEGER PRIMARY KEY,
                        file TEXT NOT NULL,
                        zone TEXT NOT NULL,
                        imported_at TEXT NOT NULL
                    );
                    CREATE TABLE route_row (
                        rowid INTEGER PRIMARY KEY,
                        log_id INTEGER NOT NULL REFERENCES route_log(id) ON DELETE CASCADE,
                        line INTEGER NOT NULL,
                        time TEXT NOT NULL, convoy TEXT NOT NULL, unit TEXT NOT NULL, parent TEXT NOT NULL,
                        location TEXT NOT NULL, status TEXT NOT NULL, vehicles TEXT NOT NULL, people TEXT NOT NULL,
                        source TEXT NOT NULL, quote TEXT NOT NULL, note TEXT NOT NULL, road TEXT NOT NULL
                    );
                    CREATE INDEX route_row_log ON route_row(log_id, line);
                    """)
        }
        // The `max_speed_kmh` column (issue 19). A store imported before it keeps its rows: they get
        // an empty value, which is what their logs said (the column did not exist).
        migrator.registerMigration("route v2: max_speed_kmh") { db in
            try db.execute(sql: "ALTER TABLE route_row ADD COLUMN max_speed_kmh TEXT NOT NULL DEFAULT ''")
        }
        return migrator
    }

    /// Replaces the stored log with `log`, all rows or none (one write transaction).
    /// `failAfter` is for tests: throw after inserting that many rows, to prove the rollback.
    public func replace(with log: UpdateLog, importedAt: Date = Date(), failAfter: Int? = nil) throws {
        if let readOnlyWithoutTables { throw readOnlyWithoutTables }
        try database.write { db in
            try db.execute(sql: "DELETE FROM route_row")
            try db.execute(sql: "DELETE FROM route_log")
            try db.execute(
                sql: "INSERT INTO route_log (id, file, zone, imported_at) VALUES (1, ?, ?, ?)",
                arguments: [log.file, log.zone.identifier, ISO8601DateFormatter().string(from: importedAt)])
            let statement = try db.makeStatement(
                sql: "INSERT INTO route_row (log_id, line, \(UpdateLog.columns.joined(separator: ", "))) VALUES (1, ?\(String(repeating: ", ?", count: UpdateLog.columns.count)))")
            for (n, row) in log.rows.enumerated() {
                if let failAfter, n == failAfter { throw RouteStoreError.injectedFailure }
                var arguments: [any DatabaseValueConvertible] = [row.line]
                for column in UpdateLog.columns { arguments.append(row.fields[column]?.text ?? "") }
                try statement.execute(arguments: StatementArguments(arguments))
            }
        }
    }

    /// Facts about the stored log, or nil when none was imported.
    public func info() throws -> (file: String, zone: String, importedAt: String, rows: Int)? {
        if readOnlyWithoutTables != nil { return nil }
        return try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT file, zone, imported_at FROM route_log WHERE id = 1") else { return nil }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM route_row") ?? 0
            return (row[0], row[1], row[2], count)
        }
    }

    /// The stored log, re-checked against the gazetteer as it is now; nil when none was imported.
    public func load(places: some PlaceResolving, knownRoads: Set<String> = []) throws -> UpdateLog? {
        if readOnlyWithoutTables != nil { return nil }
        let stored: (file: String, zone: String, rows: [RawRow])? = try database.read { db in
            guard let log = try Row.fetchOne(db, sql: "SELECT file, zone FROM route_log WHERE id = 1") else { return nil }
            var rows: [RawRow] = []
            for r in try Row.fetchAll(db, sql: "SELECT line, \(UpdateLog.columns.joined(separator: ", ")) FROM route_row WHERE log_id = 1 ORDER BY line") {
                let line: Int = r[0]
                var fields: [String: CSVField] = [:]
                for (i, column) in UpdateLog.columns.enumerated() {
                    let text: String = r[i + 1]
                    fields[column] = CSVField(text: text, line: line, column: 1)
                }
                rows.append(RawRow(line: line, fields: fields))
            }
            return (log[0], log[1], rows)
        }
        guard let stored else { return nil }
        let zone = TimeZone(identifier: stored.zone) ?? LogTimeParser.zone(named: stored.zone) ?? TimeZone(secondsFromGMT: 0)!
        return try UpdateLog.check(rows: stored.rows, file: stored.file, zone: zone, places: places, knownRoads: knownRoads)
    }
}

/// Failures of the route store.
public enum RouteStoreError: Error, Sendable, CustomStringConvertible {
    /// Raised on purpose by tests in the middle of an import.
    case injectedFailure

    public var description: String { "import interrupted (test)" }
}
