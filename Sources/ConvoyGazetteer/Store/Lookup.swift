import ConvoyGeodesy
import Foundation
import GRDB

/// How a name in a query met the gazetteer.
public enum MatchKind: String, Sendable, Codable, Comparable {
    /// The text is the place's canonical name.
    case exact
    /// The text is one of the place's recorded names, as written.
    case variant
    /// Only the normalised keys are equal (another spelling of a recorded name).
    case normalized

    var rank: Int {
        switch self {
        case .exact: 0
        case .variant: 1
        case .normalized: 2
        }
    }
    public static func < (a: MatchKind, b: MatchKind) -> Bool { a.rank < b.rank }
}

/// A place a name resolved to, with the recorded name it met and how.
public struct NameMatch: Sendable, Hashable {
    public let place: Place
    /// The recorded name whose key equals the query's.
    public let name: PlaceName
    public let match: MatchKind

    public init(place: Place, name: PlaceName, match: MatchKind) {
        self.place = place
        self.name = name
        self.match = match
    }
}

/// A gazetteer name that resembles a query that did not resolve.
public struct Suggestion: Sendable, Hashable {
    public let place: Place
    /// The recorded name that is closest.
    public let name: PlaceName
    /// Edit distance between the normalised keys.
    public let distance: Int
    /// True when the consonant skeletons are equal.
    public let sameSkeleton: Bool
}

/// A place close to a point, with the geodesic from the point to it.
public struct NearbyPlace: Sendable, Hashable {
    public let place: Place
    public let distance: Double
    /// Azimuth from the query point to the place, degrees clockwise from north in [0, 360).
    public let bearing: Double
}

/// One hit of a free-text search, ranked.
public struct SearchHit: Sendable, Hashable {
    public let place: Place
    public let name: PlaceName
    /// exact / variant / normalized for a resolved name; otherwise how it was found.
    public let reason: String
    public let distance: Int
}

extension Gazetteer {
    /// The places whose recorded names have the same normalised key as `text`, best first:
    /// by match (canonical name, recorded spelling, normalised), then the country the curated
    /// gazetteer covers most densely, name kind, then curated, country and user places before GeoNames ones.
    public func resolve(_ text: String) throws -> [NameMatch] {
        let key = NameKey.key(text)
        guard !key.isEmpty else { return [] }
        return try database.read { db in try Self.resolve(text: text, key: key, db) }
    }

    static func resolve(text: String, key: String, _ db: Database) throws -> [NameMatch] {
        let rows = try Row.fetchAll(db, sql: "SELECT place_rowid, text, lang, script, kind, source FROM place_name WHERE key = ?", arguments: [key])
        var best: [Int64: (PlaceName, MatchKind)] = [:]
        for row in rows {
            let name = PlaceName(text: row[1], lang: row[2], script: row[3], kind: NameKind(rawValue: row[4]) ?? .variant, source: row[5])
            let match: MatchKind = name.text == text ? .variant : .normalized
            if let current = best[row[0]], (current.1, current.0.kind) <= (match, name.kind) { continue }
            best[row[0]] = (name, match)
        }
        let rowids = Array(best.keys)
        let places = try PlaceReader(db).places(rowids: rowids)
        let matches = zip(rowids, places).map { rowid, place in
            let (name, kind) = best[rowid]!
            let match: MatchKind = (kind == .variant && place.name == text) ? .exact : kind
            return NameMatch(place: place, name: name, match: match)
        }
        guard matches.count > 1 else { return matches }
        let density = try countryDensity(db)
        return matches.sorted { a, b in
            func rank(_ m: NameMatch) -> (Int, Int, Int, Int, String) {
                (m.match == .normalized ? 1 : 0, -(density[m.place.country ?? ""] ?? 0), m.name.kind.rank,
                 m.place.origin.isCurated ? 0 : 1, m.place.id)
            }
            return rank(a) < rank(b)
        }
    }

    /// Bundled places per country. When a name fits several places equally well, the one in the
    /// country the curated gazetteer covers most densely — the region it was made for — ranks first
    /// (Humayma in Homs before Humayma in Jordan); the others are still returned and shown.
    static func countryDensity(_ db: Database) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT country, count(*) FROM place WHERE origin = 'bundled' AND country IS NOT NULL GROUP BY country") {
            result[row[0]] = row[1]
        }
        return result
    }

    /// Names that resemble `text`, for "did you mean". Candidates come from the indexes — equal
    /// consonant skeleton, or shared trigrams of the key (FTS5) — and are ranked by edit distance of
    /// the keys; only those within about 40 % of the key's length are kept. Never used to accept a name.
    public func suggestions(for text: String, limit: Int = 5) throws -> [Suggestion] {
        let key = NameKey.key(text)
        guard !key.isEmpty else { return [] }
        return try database.read { db in try Self.suggestions(key: key, limit: limit, db) }
    }

    static func suggestions(key: String, limit: Int, _ db: Database) throws -> [Suggestion] {
        let skeleton = NameKey.skeleton(ofKey: key)
        var candidates: [Int64: Row] = [:]
        let select = "SELECT n.rowid, n.place_rowid, n.text, n.lang, n.script, n.kind, n.source, n.key, n.skeleton, p.id, p.origin FROM place_name n JOIN place p ON p.rowid = n.place_rowid"
        let perSource = SuggestionRule.candidatesPerSource
        if !skeleton.isEmpty {
            for row in try Row.fetchAll(db, sql: "\(select) WHERE n.skeleton = ? LIMIT \(perSource)", arguments: [skeleton]) { candidates[row[0]] = row }
        }
        let trigrams = Set(SuggestionRule.trigrams(of: key))
        if !trigrams.isEmpty {
            let query = trigrams.sorted().map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: " OR ")
            let sql = "\(select) JOIN (SELECT rowid FROM name_fts WHERE name_fts MATCH ? ORDER BY rank LIMIT \(perSource)) f ON f.rowid = n.rowid"
            for row in try Row.fetchAll(db, sql: sql, arguments: ["key : (\(query))"]) { candidates[row[0]] = row }
        }
        let keyLength = key.unicodeScalars.count
        var bestPerPlace: [Int64: (rank: SuggestionRule.Rank, row: Row)] = [:]
        for row in candidates.values {
            let curated = PlaceOrigin(rawValue: row[10] as String)?.isCurated ?? false
            let candidateKey: String = row[7]
            let distance = NameKey.editDistance(key, candidateKey)
            guard SuggestionRule.suggests(curated: curated, keyLength: keyLength, distance: distance) else { continue }
            let sameSkeleton = (row[8] as String) == skeleton
            guard SuggestionRule.accepts(distance: distance, keyLength, candidateKey.unicodeScalars.count, sameSkeleton: sameSkeleton) else { continue }
            let rank = SuggestionRule.Rank(distance: distance, sameSkeleton: sameSkeleton, curated: curated, text: row[2], placeID: row[9])
            let placeRowid: Int64 = row[1]
            if let current = bestPerPlace[placeRowid], !(rank < current.rank) { continue }
            bestPerPlace[placeRowid] = (rank, row)
        }
        let ranked = bestPerPlace.sorted { $0.value.rank < $1.value.rank }.prefix(limit)
        let places = try PlaceReader(db).places(rowids: ranked.map(\.key))
        return zip(ranked, places).map { entry, place in
            let row = entry.value.row
            return Suggestion(
                place: place,
                name: PlaceName(text: row[2], lang: row[3], script: row[4], kind: NameKind(rawValue: row[5]) ?? .variant, source: row[6]),
                distance: entry.value.rank.distance, sameSkeleton: entry.value.rank.sameSkeleton)
        }
    }

    /// Free-text search: names resolving exactly first, then names whose key starts with or contains
    /// the query's key (FTS5 trigram index), then fuzzy suggestions. One hit per place.
    public func search(_ text: String, limit: Int = 10) throws -> [SearchHit] {
        let key = NameKey.key(text)
        guard !key.isEmpty else { return [] }
        var hits: [SearchHit] = []
        var seen: Set<String> = []
        func add(_ place: Place, _ name: PlaceName, _ reason: String, _ distance: Int) {
            guard hits.count < limit, seen.insert(place.id).inserted else { return }
            hits.append(SearchHit(place: place, name: name, reason: reason, distance: distance))
        }
        try database.read { db in
            for m in try Self.resolve(text: text, key: key, db) { add(m.place, m.name, m.match.rawValue, 0) }
            if key.unicodeScalars.count >= 3 {
                let phrase = "\"\(key.replacingOccurrences(of: "\"", with: "\"\""))\""
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT n.place_rowid, n.text, n.lang, n.script, n.kind, n.source, n.key FROM place_name n
                        JOIN (SELECT rowid FROM name_fts WHERE name_fts MATCH ? LIMIT 2000) f ON f.rowid = n.rowid
                        """,
                    arguments: ["key : \(phrase)"])
                let ranked = rows.map { row -> (Row, Int, Bool) in
                    let candidate: String = row[6]
                    return (row, NameKey.editDistance(key, candidate), candidate.hasPrefix(key))
                }.sorted { a, b in
                    // prefix before substring, closer keys first, then preferred names before variants.
                    let kindA = (NameKind(rawValue: a.0[4]) ?? .variant).rank, kindB = (NameKind(rawValue: b.0[4]) ?? .variant).rank
                    return (a.2 ? 0 : 1, a.1, kindA, a.0[1] as String) < (b.2 ? 0 : 1, b.1, kindB, b.0[1] as String)
                }
                let places = try PlaceReader(db).places(rowids: ranked.map { $0.0[0] as Int64 })
                let byRowid = Dictionary(zip(ranked.map { $0.0[0] as Int64 }, places), uniquingKeysWith: { a, _ in a })
                for (row, distance, prefix) in ranked {
                    guard let place = byRowid[row[0]] else { continue }
                    let name = PlaceName(text: row[1], lang: row[2], script: row[3], kind: NameKind(rawValue: row[4]) ?? .variant, source: row[5])
                    add(place, name, prefix ? "prefix" : "contains", distance)
                }
            }
            for s in try Self.suggestions(key: key, limit: limit, db) { add(s.place, s.name, "similar", s.distance) }
        }
        return hits
    }

    /// Places within `radius` metres of `point` by geodesic distance, nearest first: an R*Tree box
    /// query prefilters, then each candidate's exact geodesic is computed with PROJ.
    /// With `includeAreas` false, extended features (``Place/isArea``) are left out.
    public func places(near point: GeoPoint, radius: Double, limit: Int? = nil, includeAreas: Bool = true) throws -> [NearbyPlace] {
        let box = Self.searchBox(around: point, radius: radius)
        let candidates: [Place] = try database.read { db in
            var rowids: [Int64] = []
            for lonRange in box.longitudeRanges {
                rowids += try Int64.fetchAll(
                    db, sql: "SELECT id FROM place_rtree WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?",
                    arguments: [box.south, box.north, lonRange.lowerBound, lonRange.upperBound])
            }
            return try PlaceReader(db).places(rowids: rowids)
        }
        var result: [NearbyPlace] = []
        for place in candidates where includeAreas || !place.isArea {
            let inverse = Geodesic.inverse(from: point, to: place.location)
            guard inverse.distance <= radius else { continue }
            var bearing = inverse.initialAzimuth
            if bearing < 0 { bearing += 360 }
            result.append(NearbyPlace(place: place, distance: inverse.distance, bearing: bearing))
        }
        result.sort { ($0.distance, $0.place.id) < ($1.distance, $1.place.id) }
        if let limit { return Array(result.prefix(limit)) }
        return result
    }

    /// A latitude/longitude box that surely contains every point within `radius` of `point`.
    static func searchBox(around point: GeoPoint, radius: Double) -> (south: Double, north: Double, longitudeRanges: [ClosedRange<Double>]) {
        // Metres per degree of latitude is at least 110,574 m on WGS84; widen by 1 % for safety.
        let dLat = radius / 110_574 * 1.01 + 1e-6
        let south = max(-90, point.latitude - dLat), north = min(90, point.latitude + dLat)
        let poleward = max(abs(south), abs(north))
        guard poleward < 89.9 else { return (south, north, [-180...180]) }
        // A degree of longitude spans at least 111,320·cos(φ) m at the box's most poleward latitude (ellipsoid ≥ sphere here).
        let dLon = radius / (111_320 * cos(poleward * .pi / 180)) * 1.01 + 1e-6
        guard dLon < 180 else { return (south, north, [-180...180]) }
        let west = point.longitude - dLon, east = point.longitude + dLon
        if west < -180 { return (south, north, [(west + 360)...180, -180...east]) }
        if east > 180 { return (south, north, [west...180, -180...(east - 360)]) }
        return (south, north, [west...east])
    }
}
