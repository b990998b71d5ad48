import ConvoyGeodesy
import Foundation
import GRDB
import Synchronization

/// The store's places come in layers (README, "The gazetteer"), highest first:
///
/// 1. **curated** — `Gazetteer/places.geojson`, cited place by place;
/// 2. **user** — the user's own places, `STORE.user-places.geojson` (``Gazetteer/userPlacesPath``);
/// 3. **countries** — `Gazetteer/countries.geojson`, every country, the continents (GeoNames';
///    Antarctica is the country AQ) and the West Bank and the Gaza Strip, generated from cited sources;
/// 4. **GeoNames** — `Gazetteer/geonames-cities500.txt`, the region's GeoNames cities500 places
///    (CC BY 4.0), and any `places import geonames`.
///
/// A lower layer never shadows or duplicates a higher one, and the names of the higher layers are
/// theirs:
/// - a generated country whose code a curated country has is left out (a generated continent or
///   territory never is);
/// - a bundled GeoNames place is left out when a curated or user place cites it by GeoNames id,
///   or has one of its names (same ``NameKey``) and lies within its own radius (the same place),
///   or has its own name (elsewhere: GeoNames' "Al Qārah" in Saudi Arabia and the curated Qara);
/// - a bundled GeoNames place loses the alternate names that a curated, user or country place
///   has: GeoNames' alternates fold onto them ("Reqqa" of Ar Riqqah, Kuwait, has Raqqa's key;
///   "KER", an airport code of Kerman, has Qara's), and would make their names ambiguous.
/// GeoNames imports (`places import geonames`) are the user's choice and are taken whole. The
/// layer files are optional beside `places.geojson` (a `--gazetteer` folder of one's own may have
/// only that); each is checked whole before anything is written.
struct LayerFiles {
    static let curated = "places.geojson"
    static let countries = "countries.geojson"
    static let geonames = "geonames-cities500.txt"
    /// Version of the rules that combine the layers (what shadows what): a change rebuilds stores.
    static let rulesVersion = 2

    let curatedBytes: [UInt8]
    let countriesBytes: [UInt8]?
    let geonamesBytes: [UInt8]?
    let directory: URL
    /// Fingerprint of the files and the rules.
    let fingerprint: String

    /// Reads the bundled files in `directory` (regular files only; the optional ones may be absent).
    init(directory: URL) throws {
        self.directory = directory
        func read(_ name: String, optional: Bool) throws -> [UInt8]? {
            let file = directory.appendingPathComponent(name)
            if optional, !FileManager.default.fileExists(atPath: file.path) { return nil }
            return try GazetteerFile.readBytes(file, displayPath: file.relativePath)
        }
        curatedBytes = try read(Self.curated, optional: false)!
        countriesBytes = try read(Self.countries, optional: true)
        geonamesBytes = try read(Self.geonames, optional: true)
        var hasher = FNV1a64()
        hasher.combine(Array("layers \(Self.rulesVersion)".utf8))
        for (name, bytes) in [(Self.curated, curatedBytes), (Self.countries, countriesBytes), (Self.geonames, geonamesBytes)] {
            hasher.combine(Array(name.utf8))
            hasher.combine(bytes.map { Array("\($0.count):".utf8) + $0 } ?? Array("absent".utf8))
        }
        fingerprint = String(hasher.value, radix: 16)
    }

    func displayPath(_ name: String) -> String { directory.appendingPathComponent(name).relativePath }

    /// The three bundled layers, each file checked whole (every problem as `file:line:col`).
    func parse() throws -> BundledLayers {
        let curated = try GazetteerFile.parse(curatedBytes, displayPath: displayPath(Self.curated), reading: .curated)
        let countries = try countriesBytes.map { try GazetteerFile.parse($0, displayPath: displayPath(Self.countries), reading: .countries) } ?? []
        let geonames = try geonamesBytes.map { try Self.parseGeoNames($0, displayPath: displayPath(Self.geonames)) } ?? []
        return BundledLayers(curated: curated, countries: countries, geonames: geonames)
    }

    /// The places of a GeoNames-format file held in memory; every bad line is an error (the first 50).
    ///
    /// The lines are read in parallel, one run of whole lines per core, and merged in file order:
    /// keying the names (30,000 in the bundled layer) is most of the work of reading the layers for
    /// a store's first build (all layers read and combined in 0.31 s on one core, 0.23 s on two;
    /// writing them takes 0.32 s; release build).
    static func parseGeoNames(_ bytes: [UInt8], displayPath: String) throws(DataErrors) -> [(place: Place, keys: [String])] {
        let lineStarts: [Int] = (bytes.isEmpty ? [] : [0]) + bytes.indices.lazy.filter { bytes[$0] == UInt8(ascii: "\n") && $0 + 1 < bytes.count }.map { $0 + 1 }
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, lineStarts.count / 1000))
        let read = Mutex([[GeoNamesLine]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lines = (lineStarts.count * part / parts)..<(lineStarts.count * (part + 1) / parts)
            var out: [GeoNamesLine] = []
            out.reserveCapacity(lines.count)
            bytes.withUnsafeBufferPointer { all in
                for l in lines {
                    let start = lineStarts[l]
                    var end = start
                    while end < all.count, all[end] != UInt8(ascii: "\n") { end += 1 }
                    if end > start, all[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    out.append(GeoNamesLine.read(UnsafeBufferPointer(rebasing: all[start..<end])))
                }
            }
            read.withLock { $0[part] = out }
        }
        var places: [(place: Place, keys: [String])] = [], errors: [DataError] = []
        var seen: Set<Int> = []
        var line = 0
        merging: for result in read.withLock({ $0 }).joined() {
            line += 1
            switch result {
            case .skipped: break
            case .invalid(let column, let message): errors.append(DataError(file: displayPath, line: line, column: column, message: message))
            case .place(let place, let keys):
                if seen.insert(place.geonamesID ?? 0).inserted {
                    places.append((place, keys))
                } else {
                    errors.append(DataError(file: displayPath, line: line, column: 1, message: "geonameid \(place.geonamesID ?? 0) is listed twice"))
                }
            }
            if errors.count >= 50 { break merging }
        }
        if errors.isEmpty, places.isEmpty { errors.append(DataError(file: displayPath, message: "no GeoNames rows found (is the file empty?)")) }
        guard errors.isEmpty else { throw DataErrors(errors, truncated: errors.count >= 50) }
        return places
    }
}

/// The bundled layers as read from their files.
struct BundledLayers {
    var curated: [Place]
    var countries: [Place]
    /// The GeoNames places with the key of each name.
    var geonames: [(place: Place, keys: [String])]
}

/// What the store holds after combining the layers, and what was left out.
struct LayerPlan {
    var curated: [Place]
    var user: [Place]
    var countries: [Place]
    /// Bundled GeoNames places with the key of each name (parallel to `names`), computed once.
    var geonames: [(place: Place, keys: [String])]
    /// Generated countries left out because a curated country has their code.
    var countriesShadowed = 0
    /// Bundled GeoNames places left out: cited by GeoNames id; same name within the radius; own
    /// name a curated or user place's; and alternate names given up to higher layers.
    var geonamesShadowedByID = 0
    var geonamesShadowedByName = 0
    var geonamesNameTaken = 0
    var geonamesNamesGivenUp = 0

    /// Combines the layers by the rules of ``LayerFiles``.
    init(bundled: BundledLayers, user: [Place]) {
        curated = bundled.curated
        self.user = user
        let curatedCountries = Set(bundled.curated.filter { $0.kind == "country" }.compactMap(\.country))
        // Only the generated country gives way: its layer's continents and territories (the West
        // Bank, PS) are places of their own, whatever the curated countries are.
        countries = bundled.countries.filter { $0.kind != "country" || !curatedCountries.contains($0.country ?? "") }
        countriesShadowed = bundled.countries.count - countries.count
        let above = bundled.curated + user
        let citedIDs = Set(above.compactMap(\.geonamesID))
        var byKey: [String: [Int]] = [:]
        for (i, place) in above.enumerated() {
            for key in Set(place.names.map { NameKey.key($0.text) } + [NameKey.key(place.name)]) where !key.isEmpty {
                byKey[key, default: []].append(i)
            }
        }
        var countryKeys: Set<String> = []
        for place in countries {
            for name in place.names { countryKeys.insert(NameKey.key(name.text)) }
            countryKeys.insert(NameKey.key(place.name))
        }
        geonames = []
        geonames.reserveCapacity(bundled.geonames.count)
        for (place, keys) in bundled.geonames {
            if let id = place.geonamesID, citedIDs.contains(id) {
                geonamesShadowedByID += 1
                continue
            }
            let shadowed = keys.contains { key in
                (byKey[key] ?? []).contains { i in
                    Geodesic.inverse(from: place.location, to: above[i].location).distance <= above[i].uncertaintyMeters
                }
            }
            if shadowed {
                geonamesShadowedByName += 1
                continue
            }
            // The place's own name is its first (GeoNames' name column); the index adds it back if missing.
            let own = place.names.firstIndex { $0.text == place.name } ?? 0
            if byKey[keys[own]] != nil {
                geonamesNameTaken += 1
                continue
            }
            var kept = place, keptKeys: [String] = []
            kept.names = []
            for (i, name) in place.names.enumerated() where i == own || (byKey[keys[i]] == nil && !countryKeys.contains(keys[i])) {
                kept.names.append(name)
                keptKeys.append(keys[i])
            }
            geonamesNamesGivenUp += place.names.count - kept.names.count
            geonames.append((kept, keptKeys))
        }
    }

    var placeCount: Int { curated.count + user.count + countries.count + geonames.count }

    /// Replaces the bundled layers and the user's places in the store (inside a write transaction).
    /// GeoNames imports stay; one that a curated, country or user place cites gives way to it, and
    /// a bundled GeoNames place that an import replaced is left to the import.
    func write(to db: Database, rekey: Bool) throws {
        let writer = PlaceWriter(db)
        try writer.delete(sqlWhere: "bundled_layer = 1 OR origin = 'user'")
        let cited = (curated + user + countries).compactMap(\.geonamesID)
        if !cited.isEmpty {
            try writer.delete(sqlWhere: "origin = 'geonames' AND geonames_id IN (\(cited.map(String.init).joined(separator: ",")))")
        }
        if rekey { try writer.rekeyAllNames() }
        let imported = Set(try String.fetchAll(db, sql: "SELECT id FROM place WHERE origin = 'geonames'"))
        for place in curated { try writer.insert(place, bundledLayer: true, indexText: false) }
        for place in countries { try writer.insert(place, bundledLayer: true, indexText: false) }
        for place in user { try writer.insert(place, indexText: false) }
        for (place, keys) in geonames where !imported.contains(place.id) {
            try writer.insert(place, bundledLayer: true, keys: keys, indexText: false)
        }
        try writer.indexNames(sqlWhere: "bundled_layer = 1 OR origin = 'user'")
    }
}

extension Gazetteer {
    /// The file that holds the user's own places of the store at `storePath`:
    /// `STORE.user-places.geojson`, beside it (README, "Your own places").
    public static func userPlacesPath(forStore storePath: String) -> String { storePath + ".user-places.geojson" }

    /// The user's places file of this store.
    public var userPlacesPath: String { Self.userPlacesPath(forStore: path) }

    /// The user's places file, read: its bytes (nil when there is none) and fingerprint.
    static func readUserPlaces(_ path: String) throws -> (bytes: [UInt8]?, fingerprint: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return (nil, "none") }
            throw FileAccessError(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = try GazetteerFile.readBytes(URL(fileURLWithPath: path), displayPath: path)
        return (bytes, userPlacesFingerprint(bytes))
    }

    /// The fingerprint recorded for the user's places file with these bytes.
    static func userPlacesFingerprint(_ bytes: [UInt8]) -> String {
        var hasher = FNV1a64()
        hasher.combine(bytes)
        return "\(bytes.count):" + String(hasher.value, radix: 16)
    }

    /// The user's places from the file's bytes, checked against the bundled ids `part_of` may name.
    static func parseUserPlaces(_ bytes: [UInt8]?, path: String, outsideIDs: Set<String>) throws -> [Place] {
        guard let bytes else { return [] }
        return try GazetteerFile.parse(bytes, displayPath: path, reading: .init(origin: .user, outsideIDs: outsideIDs, requiresUserIDs: true))
    }

    /// Brings the store in line with the bundled files in `directory` and the user's places file:
    /// rebuilds the bundled layers and the user's places in one transaction when either file, the
    /// layer rules or the ``NameKey`` version changed (README, "The store").
    static func syncLayers(_ database: DatabaseQueue, from directory: URL?, userPlaces userPath: String) throws -> BundledSync {
        let user = try readUserPlaces(userPath)
        guard let directory else {
            let count = try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM place") ?? 0 }
            if count == 0 { throw GazetteerError.noBundledData }
            let stored = try database.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'user_fingerprint'") }
            if stored != user.fingerprint {
                // Without the bundled files only the user's layer can be brought up to date.
                let ids = try database.read { Set(try String.fetchAll($0, sql: "SELECT id FROM place WHERE origin <> 'user'")) }
                let places = try parseUserPlaces(user.bytes, path: userPath, outsideIDs: ids)
                try database.write { db in
                    let writer = PlaceWriter(db)
                    try writer.delete(sqlWhere: "origin = 'user'")
                    for place in places { try writer.insert(place) }
                    try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('user_fingerprint', ?)", arguments: [user.fingerprint])
                }
            }
            return .notFound
        }
        let files = try LayerFiles(directory: directory)
        func readStored(_ db: Database) throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM meta").map { ($0[0] as String, $0[1] as String) })
        }
        func isCurrent(_ stored: [String: String]) -> Bool {
            stored["bundled_fingerprint"] == files.fingerprint && stored["name_key_version"] == String(NameKey.version)
                && stored["user_fingerprint"] == user.fingerprint
        }
        if isCurrent(try database.read(readStored)) { return .upToDate }
        // Parse and check everything before the write transaction: a bad file changes nothing.
        let started = ContinuousClock.now
        let plan = try layerPlan(files: files, userBytes: user.bytes, userPath: userPath)
        let parsed = ContinuousClock.now
        let rebuilt = try database.write { db -> Bool in
            // Another process may have rebuilt it while this one parsed: then there is nothing to do.
            let stored = try readStored(db)
            if isCurrent(stored) { return false }
            try plan.write(to: db, rekey: stored["name_key_version"] != String(NameKey.version))
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('bundled_fingerprint', ?), ('name_key_version', ?), ('user_fingerprint', ?)",
                arguments: [files.fingerprint, String(NameKey.version), user.fingerprint])
            return true
        }
        guard rebuilt else { return .upToDate }
        logger.info("""
            rebuilt the gazetteer: \(plan.curated.count) curated places, \(plan.user.count) of the user's, \(plan.countries.count) countries, continents and territories \
            (\(plan.countriesShadowed) given way to curated ones), \(plan.geonames.count) GeoNames places \
            (left out: \(plan.geonamesShadowedByID) cited by id, \(plan.geonamesShadowedByName) the same name and place as one above them, \
            \(plan.geonamesNameTaken) whose name a curated or user place has; \(plan.geonamesNamesGivenUp) alternate names given up); \
            files read and combined in \(parsed - started), written in \(ContinuousClock.now - parsed)
            """)
        return .rebuilt(places: plan.placeCount)
    }

    /// Reads and combines every layer; throws for any bad file before anything is written.
    static func layerPlan(files: LayerFiles, userBytes: [UInt8]?, userPath: String) throws -> LayerPlan {
        let bundled = try files.parse()
        let outside = Set(bundled.curated.map(\.id) + bundled.countries.map(\.id))
        let user = try parseUserPlaces(userBytes, path: userPath, outsideIDs: outside)
        return LayerPlan(bundled: bundled, user: user)
    }
}

/// New stores built in one process from the same bundled files start as copies of the first:
/// building the layers (~9,000 places, ~55,000 names, their keys, FTS and R*Tree rows) takes about a
/// second, copying a built store with SQLite's backup API a few hundredths. Only a process that
/// builds several new stores (a test run, a library user's scratch stores) gains: the copy is
/// made at its second fresh build, so a `convoy` command, which opens one store, never pays for it.
/// A template holds only what a fresh build writes — the gazetteer's schema and its layers from
/// the bundled files, no user places, no imports, no other module's tables — and is used only
/// for a store file that has no tables yet.
final class FreshBuilds: Sendable {
    static let shared = FreshBuilds()

    private struct State {
        var built: Set<String> = []
        var templates: [String: DatabaseQueue] = [:]
    }
    private let state = Mutex(State())

    /// What a fresh build depends on: the bundled files and rules, the NameKey version, the schema.
    static func key(_ files: LayerFiles) -> String {
        "\(files.fingerprint) NameKey \(NameKey.version) schema \(Schema.migrator.migrations.joined(separator: "|"))"
    }

    func template(for key: String) -> DatabaseQueue? { state.withLock { $0.templates[key] } }

    /// Records a fresh build of `database` (no user places, no imports), keeping a copy from the second on.
    func recordBuild(_ database: DatabaseQueue, key: String) {
        let keep = state.withLock { state -> Bool in
            state.templates[key] == nil && !state.built.insert(key).inserted
        }
        guard keep else { return }
        do {
            let copy = try DatabaseQueue()
            try database.backup(to: copy)
            state.withLock { $0.templates[key] = $0.templates[key] ?? copy }
        } catch {
            Gazetteer.logger.debug("no copy of the fresh store kept (\(error))")
        }
    }
}
