import ConvoyGeodesy
import Foundation
import GRDB

/// Writes places with their names, FTS rows and R*Tree entries; used inside a write transaction.
struct PlaceWriter {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Deletes the place with this id, if any, with everything that indexes it.
    func delete(id: String) throws {
        guard let rowid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM place WHERE id = ?"), arguments: [id]) else { return }
        try db.cachedStatement(sql: "DELETE FROM name_fts WHERE rowid IN (SELECT rowid FROM place_name WHERE place_rowid = ?)").execute(arguments: [rowid])
        try db.cachedStatement(sql: "DELETE FROM place_rtree WHERE id = ?").execute(arguments: [rowid])
        try db.cachedStatement(sql: "DELETE FROM place WHERE rowid = ?").execute(arguments: [rowid])
    }

    /// Deletes the places matching `sqlWhere` (over `place` columns) with everything that indexes them.
    func delete(sqlWhere condition: String, _ arguments: StatementArguments = []) throws {
        // Cached: an import deletes by id once per row.
        try db.cachedStatement(sql: "DELETE FROM name_fts WHERE rowid IN (SELECT n.rowid FROM place_name n JOIN place ON place.rowid = n.place_rowid WHERE \(condition))").execute(arguments: arguments)
        try db.cachedStatement(sql: "DELETE FROM place_rtree WHERE id IN (SELECT rowid FROM place WHERE \(condition))").execute(arguments: arguments)
        try db.cachedStatement(sql: "DELETE FROM place WHERE \(condition)").execute(arguments: arguments)
    }

    /// Inserts a place with its names; `bundledLayer` marks rows written from the bundled files,
    /// which a rebuild replaces.
    /// `keys`, when given, are the names' keys (parallel to `place.names`), computed once by the caller.
    /// `indexText: false` leaves the names out of `name_fts`, for a caller that adds many places and
    /// then indexes their names in one statement (``indexNames(sqlWhere:)``).
    func insert(_ place: Place, bundledLayer: Bool = false, keys: [String]? = nil, indexText: Bool = true) throws {
        let bbox = place.bbox.map { "[\($0.west),\($0.south),\($0.east),\($0.north)]" }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO place (id, name, kind, country, countries, admin1, admin2, part_of, lat, lon, uncertainty_m,
                               coordinate_source, source_url, geonames_id, note, bbox, origin, bundled_layer, iso_alpha3, iso_numeric)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let values: [(any DatabaseValueConvertible)?] = [
            place.id, place.name, place.kind, place.country, place.countries.joined(separator: ","), place.admin1,
            place.admin2, place.partOf, place.location.latitude, place.location.longitude,
            place.uncertaintyMeters, place.coordinateSource, place.sourceURL, place.geonamesID, place.note, bbox,
            place.origin.rawValue, bundledLayer, place.isoAlpha3, place.isoNumeric,
        ]
        try statement.execute(arguments: StatementArguments(values))
        let rowid = db.lastInsertedRowID
        try db.cachedStatement(sql: "INSERT INTO place_rtree (id, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [rowid, place.location.latitude, place.location.latitude, place.location.longitude, place.location.longitude])
        let nameStatement = try db.cachedStatement(sql: """
            INSERT INTO place_name (place_rowid, text, lang, script, kind, source, key, skeleton) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let ftsStatement = try db.cachedStatement(sql: "INSERT INTO name_fts (rowid, text, key) VALUES (?, ?, ?)")
        for (i, name) in place.names.enumerated() {
            let key = keys?[i] ?? NameKey.key(name.text)
            guard !key.isEmpty else { continue }
            try nameStatement.execute(arguments: [rowid, name.text, name.lang, name.script, name.kind.rawValue, name.source, key, NameKey.skeleton(ofKey: key)])
            if indexText { try ftsStatement.execute(arguments: [db.lastInsertedRowID, name.text, key]) }
        }
    }

    /// Adds the names of the places matching `sqlWhere` (over `place` columns) to `name_fts`, in one
    /// statement: for places inserted with `indexText: false` (one FTS insert per name took 0.05 s
    /// of the 0.37 s that writing the bundled layers took, release build).
    func indexNames(sqlWhere condition: String) throws {
        try db.execute(sql: """
            INSERT INTO name_fts (rowid, text, key)
            SELECT n.rowid, n.text, n.key FROM place_name n JOIN place ON place.rowid = n.place_rowid WHERE \(condition)
            """)
    }

    /// Recomputes every stored key and skeleton (after a ``NameKey`` rule change).
    func rekeyAllNames() throws {
        let rows = try Row.fetchAll(db, sql: "SELECT rowid, text FROM place_name")
        let update = try db.cachedStatement(sql: "UPDATE place_name SET key = ?, skeleton = ? WHERE rowid = ?")
        let ftsDelete = try db.cachedStatement(sql: "DELETE FROM name_fts WHERE rowid = ?")
        let ftsInsert = try db.cachedStatement(sql: "INSERT INTO name_fts (rowid, text, key) VALUES (?, ?, ?)")
        for row in rows {
            let rowid: Int64 = row[0]
            let text: String = row[1]
            let key = NameKey.key(text)
            try update.execute(arguments: [key, NameKey.skeleton(ofKey: key), rowid])
            try ftsDelete.execute(arguments: [rowid])
            try ftsInsert.execute(arguments: [rowid, text, key])
        }
    }
}

/// Reads places (with all their names) back from the store.
struct PlaceReader {
    let db: Database

    init(_ db: Database) { self.db = db }

    static let columns = """
        p.rowid, p.id, p.name, p.kind, p.country, p.countries, p.admin1, p.admin2, p.part_of, p.lat, p.lon,
        p.uncertainty_m, p.coordinate_source, p.source_url, p.geonames_id, p.note, p.bbox, p.origin, p.iso_alpha3, p.iso_numeric
        """

    func places(sqlWhere condition: String, _ arguments: [any DatabaseValueConvertible] = [], orderBy: String = "p.name, p.id") throws -> [Place] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM place p WHERE \(condition) ORDER BY \(orderBy)", arguments: StatementArguments(arguments))
        return try places(from: rows)
    }

    /// Places for rowids, in the order given.
    func places(rowids: [Int64]) throws -> [Place] {
        guard !rowids.isEmpty else { return [] }
        let list = rowids.map(String.init).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM place p WHERE p.rowid IN (\(list))")
        let byRowid = Dictionary(uniqueKeysWithValues: try places(from: rows).enumerated().map { (rows[$0.offset][0] as Int64, $0.element) })
        return rowids.compactMap { byRowid[$0] }
    }

    /// Every place, ordered by name, with the stored key of each of its names (parallel to `names`).
    func everyPlaceWithNameKeys() throws -> [(place: Place, nameKeys: [String])] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM place p ORDER BY p.name, p.id")
        var keysByPlace: [Int64: [String]] = [:]
        let places = try places(from: rows, names: "SELECT place_rowid, text, lang, script, kind, source, key FROM place_name ORDER BY rowid") { row in
            keysByPlace[row[0], default: []].append(row[6])
        }
        return zip(rows, places).map { row, place in (place, keysByPlace[row[0]] ?? []) }
    }

    private func places(from rows: [Row]) throws -> [Place] {
        guard !rows.isEmpty else { return [] }
        let list = rows.map { String($0[0] as Int64) }.joined(separator: ",")
        return try places(from: rows, names: "SELECT place_rowid, text, lang, script, kind, source FROM place_name WHERE place_rowid IN (\(list)) ORDER BY rowid")
    }

    /// Places of `rows` with their names from the query `names` (place_rowid, text, lang, script,
    /// kind, source, …), each name row also handed to `eachName`.
    private func places(from rows: [Row], names: String, eachName: (Row) -> Void = { _ in }) throws -> [Place] {
        var namesByPlace: [Int64: [PlaceName]] = [:]
        let cursor = try Row.fetchCursor(db, sql: names)
        while let row = try cursor.next() {
            namesByPlace[row[0], default: []].append(
                PlaceName(text: row[1], lang: row[2], script: row[3], kind: NameKind(rawValue: row[4]) ?? .variant, source: row[5]))
            eachName(row)
        }
        return try rows.map { row in
            let bbox: BoundingBox? = (row[16] as String?).flatMap { text in
                let n = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap { Double($0) }
                return n.count == 4 ? BoundingBox(west: n[0], south: n[1], east: n[2], north: n[3]) : nil
            }
            let countries: String = row[5]
            return Place(
                id: row[1], name: row[2], kind: row[3], country: row[4],
                countries: countries.split(separator: ",").map(String.init), admin1: row[6], admin2: row[7],
                partOf: row[8], location: try GeoPoint(latitude: row[9], longitude: row[10]), uncertaintyMeters: row[11],
                coordinateSource: row[12], sourceURL: row[13], geonamesID: row[14], note: row[15], bbox: bbox,
                names: namesByPlace[row[0]] ?? [], origin: PlaceOrigin(rawValue: row[17]) ?? .bundled,
                isoAlpha3: row[18], isoNumeric: row[19])
        }
    }
}
