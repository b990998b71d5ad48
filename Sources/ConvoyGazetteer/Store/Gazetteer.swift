import ConvoyGeodesy
import Foundation
import GRDB
import Logging

/// The gazetteer: places and names held in an SQLite store (GRDB), built from the bundled,
/// cited `Gazetteer/` data (curated places, countries, the region's GeoNames places: see
/// ``LayerFiles``) and the user's own places, and extended by GeoNames imports.
///
/// Opening a store runs pending migrations, then compares the fingerprints of the bundled files
/// and of the user's places file (and the ``NameKey`` version) with those recorded in the store,
/// and rebuilds the layers in one transaction when they differ. Imported GeoNames places are kept
/// across rebuilds; the user's places live in their own file and are loaded again from it.
public final class Gazetteer: Sendable {
    /// Path of the SQLite file.
    public let path: String
    /// The SQLite store. Sibling modules (route model) keep their own tables here and register their
    /// own GRDB migrations, with identifiers distinct from the gazetteer's.
    public let database: DatabaseQueue
    static let logger = Logger(label: "convoy.gazetteer")

    /// What happened to the bundled data when the store was opened.
    public enum BundledSync: Sendable, Equatable {
        case upToDate
        case rebuilt(places: Int)
        /// No bundled data directory was found; the store is used as it is.
        case notFound
    }

    /// The outcome of the sync done on open.
    public let bundledSync: BundledSync
    /// The folder of the bundled data the store was opened with, if one was found.
    public let bundledDirectory: URL?

    /// Opens (creating if needed) the store at `path` and brings its layers in line with the
    /// files in `bundledDirectory` (`places.geojson`, `countries.geojson`, `geonames-cities500.txt`)
    /// and the user's places file beside the store (``userPlacesPath``). Any number of processes may open a new store at
    /// once: creation, migration and the bundled rebuild are serialised by SQLite's write lock
    /// (waiting up to 10 s for it), and whoever comes second finds the work done.
    /// - Throws: ``DataErrors`` for a bad gazetteer file (the store is left as it was),
    ///   ``FileAccessError`` when the store's folder cannot be created, ``StoreFailure`` when the store
    ///   cannot be opened or written, ``GazetteerError`` when there is no data at all.
    public init(path: String, bundledDirectory: URL?) throws {
        self.path = path
        self.bundledDirectory = bundledDirectory
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileAccessError(path: directory.path, reason: "cannot create the store's directory: \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "convoy.gazetteer"
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            bundledSync = try Self.open(database, bundledDirectory: bundledDirectory, userPlaces: Self.userPlacesPath(forStore: path))
        } catch {
            throw StoreFailure(error, path: path) ?? error
        }
    }

    /// Migrates and syncs the store, starting a new one from this process's copy of an earlier
    /// fresh build when there is one (``FreshBuilds``).
    private static func open(_ database: DatabaseQueue, bundledDirectory: URL?, userPlaces: String) throws -> BundledSync {
        let isNew = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 }
        let files = try isNew ? bundledDirectory.map { try LayerFiles(directory: $0) } : nil
        let key = files.map(FreshBuilds.key)
        if let key, let template = FreshBuilds.shared.template(for: key) {
            try template.backup(to: database)
            try migrate(Schema.migrator, on: database)
            let sync = try syncLayers(database, from: bundledDirectory, userPlaces: userPlaces)
            guard sync == .upToDate else { return sync }
            return .rebuilt(places: try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM place") ?? 0 })
        }
        try migrate(Schema.migrator, on: database)
        let sync = try syncLayers(database, from: bundledDirectory, userPlaces: userPlaces)
        if let key, case .rebuilt = sync, try database.read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM place WHERE bundled_layer = 0") == 0 }) {
            FreshBuilds.shared.recordBuild(database, key: key)
        }
        return sync
    }

    /// Seconds a process waits for another one's write lock on the store before giving up.
    public static let busyTimeout: TimeInterval = 10

    /// Runs `migrator`'s pending migrations on `database`, safely when other processes do the same
    /// at the same moment (the first use of a new store by several commands at once).
    ///
    /// GRDB reads which migrations are applied, then runs each missing one in its own immediate
    /// transaction; two processes can both read "none applied", and the second one's `CREATE TABLE`
    /// then fails ("table place already exists") after the first commits. The failed migration's
    /// transaction is rolled back whole, so it is safe to read the applied migrations again: when
    /// another process applied some meanwhile, this retries (and finds nothing, or less, to do);
    /// when nothing changed, the error is a real one and is thrown. Sibling modules that keep tables
    /// in the store (the route log) migrate through this too. A store whose migrations are all applied
    /// is not written at all (GRDB's migrator would open a write transaction even then).
    public static func migrate(_ migrator: DatabaseMigrator, on database: DatabaseQueue) throws {
        // Reading sqlite_master first takes the read lock, so the table cannot appear between the
        // check and the SELECT (GRDB's appliedIdentifiers alone can fail that way under this race).
        func applied(_ db: Database) throws -> Set<String> {
            try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
        }
        // A current store is only read: a read-only one (`chmod a-w`, a folder convoy may not write)
        // then serves every command that reads, and only a command that writes is refused.
        if let done = try? database.read(applied), migrator.migrations.allSatisfy(done.contains) { return }
        var attempt = 0
        while true {
            let before = try? database.read(applied)
            do {
                try migrator.migrate(database)
                return
            } catch {
                attempt += 1
                let after = try? database.read(applied)
                // Nothing changed meanwhile: the error is this process's own, and real.
                if attempt >= 20 || (before != nil && after == before) { throw error }
                logger.debug("another process migrated the store meanwhile; retrying (\(error))")
            }
        }
    }

    /// ``migrate(_:on:)`` for a sibling module's own tables (the route log, imported roads), which a
    /// store convoy may not write can lack: a store built before the module's first use, then made
    /// read-only. When none of `migrator`'s migrations is applied and the store is read-only, the
    /// failure is returned rather than thrown: the module has nothing stored, which is the truth, and
    /// reads as such; its writes throw the failure (``StoreFailure``, "the store … is read-only").
    /// Any other failure, and a read-only store with only some of the migrations applied, throws.
    public static func migrateUnlessReadOnly(_ migrator: DatabaseMigrator, on database: DatabaseQueue) throws -> StoreFailure? {
        do {
            try migrate(migrator, on: database)
            return nil
        } catch {
            guard let failure = StoreFailure(error, path: database.path), failure.reason == .readOnly,
                let applied = try? database.read({ db in try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : [] }),
                applied.isDisjoint(with: migrator.migrations)
            else { throw error }
            return failure
        }
    }

    // MARK: - Reading

    /// The place with this id.
    public func place(id: String) throws -> Place? {
        try database.read { db in try PlaceReader(db).places(sqlWhere: "p.id = ?", [id]).first }
    }

    /// The canonical names of the places with these ids, in one query (ids not in the store are
    /// left out). Cheaper than ``place(id:)`` per id when only the names are needed.
    public func names(ofPlaceIDs ids: some Collection<String>) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try database.read { db in
            var names: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM place WHERE id IN (\(placeholders))", arguments: StatementArguments(Array(ids))) {
                names[row[0]] = row[1]
            }
            return names
        }
    }

    /// Places, optionally of one kind, country and/or layer, ordered by name.
    public func places(kind: String? = nil, country: String? = nil, origin: PlaceOrigin? = nil) throws -> [Place] {
        var conditions: [String] = ["1"]
        var arguments: [any DatabaseValueConvertible] = []
        if let origin { conditions.append("p.origin = ?"); arguments.append(origin.rawValue) }
        if let kind { conditions.append("p.kind = ?"); arguments.append(kind) }
        if let country { conditions.append("(p.country = ? OR instr(p.countries, ?) > 0)"); arguments.append(country.uppercased()); arguments.append(country.uppercased()) }
        return try database.read { db in
            try PlaceReader(db).places(sqlWhere: conditions.joined(separator: " AND "), arguments)
        }
    }

    /// How many places and names the store holds; `imported` counts GeoNames imports.
    public func counts() throws -> (places: Int, names: Int, imported: Int) {
        try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM place") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM place_name") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM place WHERE origin = 'geonames' AND bundled_layer = 0") ?? 0)
        }
    }

    /// How many places each layer holds.
    public func placeCounts() throws -> [PlaceOrigin: Int] {
        try database.read { db in
            var counts: [PlaceOrigin: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT origin, count(*) FROM place GROUP BY origin") {
                if let origin = PlaceOrigin(rawValue: row[0]) { counts[origin] = row[1] }
            }
            return counts
        }
    }

    /// Every place, ordered by name, with the stored key of each of its names (parallel to
    /// `place.names`): the input for building a name automaton, read in two queries.
    public func placesWithNameKeys() throws -> [(place: Place, nameKeys: [String])] {
        try database.read { db in try PlaceReader(db).everyPlaceWithNameKeys() }
    }

    /// Every name with its key and place id.
    public func allNames() throws -> [(placeID: String, name: PlaceName, key: String)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT p.id, n.text, n.lang, n.script, n.kind, n.source, n.key FROM place_name n JOIN place p ON p.rowid = n.place_rowid ORDER BY n.rowid").map { row in
                (row[0], PlaceName(text: row[1], lang: row[2], script: row[3], kind: NameKind(rawValue: row[4]) ?? .variant, source: row[5]), row[6])
            }
        }
    }
}

/// Problems with the gazetteer as a whole.
public enum GazetteerError: Error, Sendable, CustomStringConvertible {
    case noBundledData

    public var description: String {
        switch self {
        case .noBundledData:
            "the bundled gazetteer (Gazetteer/places.geojson) was not found and the store is empty; "
                + "pass --gazetteer DIR or set CONVOY_GAZETTEER to the folder that holds places.geojson"
        }
    }
}

/// 64-bit FNV-1a: a fast content fingerprint to notice changed data files (not a security hash).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
    }
}

