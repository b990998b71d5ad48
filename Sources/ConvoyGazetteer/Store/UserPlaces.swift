import ConvoyGeodesy
import Foundation
import GRDB

/// A place the user adds with `convoy places add`: what the analyst knows and where it comes from.
public struct UserPlaceDraft: Sendable, Hashable {
    public var name: String
    public var location: GeoPoint
    public var uncertaintyMeters: Double
    /// What the coordinate rests on (required): a report, a map, an image, a survey.
    public var source: String
    public var kind: String
    public var country: String?
    /// Other spellings, in any script.
    public var aliases: [String]

    public init(name: String, location: GeoPoint, uncertaintyMeters: Double, source: String, kind: String = "place",
                country: String? = nil, aliases: [String] = []) {
        self.name = name
        self.location = location
        self.uncertaintyMeters = uncertaintyMeters
        self.source = source
        self.kind = kind
        self.country = country
        self.aliases = aliases
    }
}

/// Writes the user's places file: the caller's atomic writer (convoy's CLI passes its atomic file
/// sink, which writes a temporary file beside the target and renames it, and replaces only a
/// regular file). It is called inside the store's write transaction, so two processes never
/// interleave their changes, and the store is updated only when it succeeded.
public typealias UserPlacesWriter = (_ path: String, _ bytes: [UInt8]) throws -> Void

/// What a `places import` did.
public struct UserPlacesImportSummary: Sendable, Hashable {
    /// Places new to the user's file, and places that replaced one of the same id.
    public var added: [Place] = []
    public var replaced: [Place] = []
}

/// A change to the user's places that cannot be made; the message says why (exit status 1).
public struct UserPlacesError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// True when the draft itself is malformed (a usage error: exit status 2), false when it is
    /// sound but cannot be applied (already added, nothing of that name: exit status 1).
    public let isBadInput: Bool

    public init(isBadInput: Bool = false, message: String) {
        self.message = message
        self.isBadInput = isBadInput
    }

    public var description: String { message }
}

extension Gazetteer {
    /// The user's own places, ordered by name.
    public func userPlaces() throws -> [Place] { try places(origin: .user) }

    /// Adds a place to the user's places file and to the store, in one transaction, and returns it
    /// with its id: `user-` + the country code, if given, + a slug of the name (`user-sy-ain-issa`),
    /// `-2`, `-3` … when another of the user's places elsewhere has that id already. Names are
    /// checked like the bundled gazetteer's (Gazetteer/README.md, "Validation").
    /// - Throws: ``UserPlacesError`` for a bad draft or a place already added; ``DataErrors`` for
    ///   a bad user places file; what `write` throws.
    public func addUserPlace(_ draft: UserPlaceDraft, write: UserPlacesWriter) throws -> Place {
        let place = try Self.checked(draft)
        return try changeUserPlaces(write) { current, _ in
            var place = place
            let base = place.id
            var n = 1
            while let existing = current.first(where: { $0.id == place.id }) {
                let apart = Geodesic.inverse(from: existing.location, to: place.location).distance
                if apart <= existing.uncertaintyMeters + place.uncertaintyMeters, Set(existing.names.map { NameKey.key($0.text) }).contains(NameKey.key(place.name)) {
                    throw UserPlacesError(message: "\(place.name) is one of your places already, as \(existing.id) (\(String(format: "%.1f", apart / 1000)) km away); remove it first (convoy places remove \(existing.id)) to change it")
                }
                n += 1
                place.id = "\(base)-\(n)"
            }
            return (current + [place], place)
        }
    }

    /// Adds or replaces the places of a GeoJSON file in the bundled schema (Gazetteer/README.md),
    /// in one transaction: every problem of the file is reported as `file:line:col` and nothing
    /// changes. An id becomes `user-` + the file's id (unless it starts with `user-`); a place of
    /// the same id replaces the earlier one. `part_of` may name a place of the file or of the
    /// curated or country layers.
    public func importUserPlaces(path: String, displayPath: String? = nil, write: UserPlacesWriter) throws -> UserPlacesImportSummary {
        let shown = displayPath ?? path
        let bytes = try GazetteerFile.readBytes(URL(fileURLWithPath: path), displayPath: shown)
        let outside = try database.read { Set(try String.fetchAll($0, sql: "SELECT id FROM place WHERE origin IN ('bundled', 'countries', 'user')")) }
        var read = try GazetteerFile.parse(bytes, displayPath: shown, reading: .init(origin: .user, outsideIDs: outside, allowsUserIDs: true))
        let inFile = Set(read.map(\.id))
        func userID(_ id: String) -> String { id.hasPrefix("user-") ? id : "user-" + id }
        for i in read.indices {
            read[i].id = userID(read[i].id)
            if let parent = read[i].partOf, inFile.contains(parent) { read[i].partOf = userID(parent) }
        }
        let renamed = read.map(\.id)
        if let twice = Dictionary(grouping: renamed, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw DataErrors([DataError(file: shown, message: "two places become \(twice): an id and the same id with 'user-' in front")])
        }
        return try changeUserPlaces(write) { current, _ in
            var summary = UserPlacesImportSummary()
            let byID = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0) })
            for place in read { if byID[place.id] == nil { summary.added.append(place) } else { summary.replaced.append(place) } }
            let replacedIDs = Set(renamed)
            return (current.filter { !replacedIDs.contains($0.id) } + read, summary)
        }
    }

    /// Removes one of the user's places, by id or by any of its names (any spelling with the same
    /// key), and returns it. Curated, country and GeoNames places cannot be removed.
    public func removeUserPlace(_ idOrName: String, write: UserPlacesWriter) throws -> Place {
        try changeUserPlaces(write) { current, db in
            let key = NameKey.key(idOrName)
            let matches = current.filter { $0.id == idOrName }.nilIfEmpty
                ?? current.filter { place in !key.isEmpty && (place.names.map(\.text) + [place.name]).contains { NameKey.key($0) == key } }
            guard let place = matches.first, matches.count == 1 else {
                if matches.count > 1 {
                    throw UserPlacesError(message: "\"\(ControlCharacters.escaped(idOrName))\" names \(matches.count) of your places: \(matches.map(\.id).joined(separator: ", ")); give the id")
                }
                let others = try Self.resolve(text: idOrName, key: key, db).map { "\($0.place.name) [\($0.place.id)] is a \($0.place.origin == .geonames ? "GeoNames" : $0.place.origin == .countries ? "country" : "curated") place" }
                throw UserPlacesError(message: "no place of yours is called \"\(ControlCharacters.escaped(idOrName))\"" + (others.isEmpty ? "" : " (\(others.joined(separator: "; ")), not yours to remove)"))
            }
            if let child = current.first(where: { $0.partOf == place.id }) {
                throw UserPlacesError(message: "\(child.name) [\(child.id)] is part of \(place.id); remove it first")
            }
            return (current.filter { $0.id != place.id }, place)
        }
    }

    /// Reads the user's places file inside a write transaction, lets `change` compute the new list,
    /// writes the file with `write`, and rebuilds the layers that depend on it (the user's places
    /// and the GeoNames places they may shadow) in the same transaction.
    private func changeUserPlaces<T>(_ write: UserPlacesWriter, _ change: ([Place], Database) throws -> ([Place], T)) throws -> T {
        let path = userPlacesPath
        do {
            return try database.write { db in
                let user = try Self.readUserPlaces(path)
                let outside = Set(try String.fetchAll(db, sql: "SELECT id FROM place WHERE origin IN ('bundled', 'countries')"))
                let current = try Self.parseUserPlaces(user.bytes, path: path, outsideIDs: outside)
                let (places, result) = try change(current, db)
                let bytes = try Self.userPlacesFile(places)
                let files = try bundledDirectory.map { try LayerFiles(directory: $0) }
                let plan = try files.map { try Self.layerPlan(files: $0, userBytes: bytes, userPath: path) }
                try write(path, bytes)
                let fingerprint = Self.userPlacesFingerprint(bytes)
                if let plan, let files {
                    try plan.write(to: db, rekey: false)
                    try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('bundled_fingerprint', ?)", arguments: [files.fingerprint])
                } else {
                    let writer = PlaceWriter(db)
                    try writer.delete(sqlWhere: "origin = 'user'")
                    for place in places { try writer.insert(place) }
                }
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('user_fingerprint', ?)", arguments: [fingerprint])
                return result
            }
        } catch {
            throw StoreFailure(error, path: self.path) ?? error
        }
    }

    /// The draft as a place, or the first thing wrong with it.
    static func checked(_ draft: UserPlaceDraft) throws(UserPlacesError) -> Place {
        func checkedName(_ text: String, _ what: String) throws(UserPlacesError) -> String {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw UserPlacesError(isBadInput: true, message: "\(what) is empty") }
            if let problem = GazetteerFile.textProblem(trimmed, isName: true) { throw UserPlacesError(isBadInput: true, message: "\(what) \"\(ControlCharacters.escaped(trimmed))\" \(problem)") }
            guard !NameKey.key(trimmed).isEmpty else { throw UserPlacesError(isBadInput: true, message: "\(what) \"\(trimmed)\" has no letters") }
            return trimmed
        }
        let name = try checkedName(draft.name, "the name")
        var names = [PlaceName(text: name, lang: "und", script: GeoNamesRowImporter.script(of: name), kind: .preferred, source: nil)]
        var seen: Set<String> = [name.lowercased()]
        for alias in draft.aliases {
            let text = try checkedName(alias, "an alias")
            guard seen.insert(text.lowercased()).inserted else { throw UserPlacesError(isBadInput: true, message: "the alias \"\(text)\" is given twice (or is the name)") }
            names.append(PlaceName(text: text, lang: "und", script: GeoNamesRowImporter.script(of: text), kind: .variant, source: nil))
        }
        let source = draft.source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !source.isEmpty else { throw UserPlacesError(isBadInput: true, message: "a source is required: what the coordinate rests on (a report, a map, an image)") }
        if let problem = GazetteerFile.textProblem(source, isName: false) { throw UserPlacesError(isBadInput: true, message: "the source \(problem)") }
        for i in names.indices { names[i].source = source }
        guard Place.knownKinds.contains(draft.kind) else {
            throw UserPlacesError(isBadInput: true, message: "unknown kind \"\(ControlCharacters.escaped(draft.kind))\"; known kinds: \(Place.knownKinds.sorted().joined(separator: ", "))")
        }
        let country = draft.country?.uppercased()
        if let country, country.range(of: "^[A-Z]{2}$", options: .regularExpression) == nil {
            throw UserPlacesError(isBadInput: true, message: "the country must be an ISO 3166-1 alpha-2 code such as SY, found \"\(ControlCharacters.escaped(draft.country ?? ""))\"")
        }
        guard draft.uncertaintyMeters.isFinite, draft.uncertaintyMeters > 0, draft.uncertaintyMeters <= GazetteerFile.maximumUncertaintyMeters else {
            throw UserPlacesError(isBadInput: true, message: "the radius must be more than 0 and at most 20,000 km (the whole Earth)")
        }
        // Stored to 6 decimals (0.1 m), as the bundled files are; rounding a valid position keeps it
        // in range, and should it not, the draft is refused rather than trusted.
        let latitude = (draft.location.latitude * 1e6).rounded() / 1e6, longitude = (draft.location.longitude * 1e6).rounded() / 1e6
        let location: GeoPoint
        do { location = try GeoPoint(latitude: latitude, longitude: longitude) } catch {
            throw UserPlacesError(isBadInput: true, message: "the position \(latitude),\(longitude) is out of range")
        }
        let slug = Self.slug(name)
        let id = "user-" + (country.map { $0.lowercased() + "-" } ?? "") + (slug.isEmpty ? "place" : slug)
        return Place(
            id: id, name: name, kind: draft.kind, country: country, location: location,
            uncertaintyMeters: draft.uncertaintyMeters, coordinateSource: source, names: names, origin: .user)
    }

    /// A lowercase ASCII slug of a name: diacritics dropped, other letters and marks removed,
    /// runs of anything else one hyphen ("Ayn al-‘Arab" → "ayn-al-arab").
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var slug = ""
        var gap = false
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if gap, !slug.isEmpty { slug += "-" }
                slug.unicodeScalars.append(scalar)
                gap = false
            } else if ["'", "’", "‘", "`", "ʿ", "ʾ", "ʻ"].contains(Character(scalar)) {
                continue  // an apostrophe or ayn sign inside a word
            } else {
                gap = true
            }
        }
        return String(slug.prefix(60))
    }

    /// The user's places file: a GeoJSON FeatureCollection in the bundled schema, sorted by id,
    /// 2-space indent, keys sorted.
    /// (JSONEncoder fails only on a non-finite number, which a checked place cannot hold; if it
    /// ever did, the change fails with the encoder's message and nothing is written.)
    static func userPlacesFile(_ places: [Place]) throws -> [UInt8] {
        let collection = UserPlacesCollection(features: places.sorted { $0.id < $1.id }.map(UserPlacesCollection.Feature.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(collection)) + [UInt8(ascii: "\n")]
    }
}

/// The user's places file as written (Gazetteer/README.md's schema).
private struct UserPlacesCollection: Encodable {
    var type = "FeatureCollection"
    var name = "convoy user places"
    var attribution = "The user's own places, added with convoy places add / import; each cites its source."
    var features: [Feature]

    struct Feature: Encodable {
        var type = "Feature"
        var id: String
        var bbox: [Double]?
        var geometry: Geometry
        var properties: Properties

        init(_ place: Place) {
            id = place.id
            bbox = place.bbox.map { [$0.west, $0.south, $0.east, $0.north] }
            geometry = Geometry(coordinates: [place.location.longitude, place.location.latitude])
            properties = Properties(
                name: place.name, kind: place.kind, country: place.country, countries: place.countries.isEmpty ? nil : place.countries,
                admin1: place.admin1, admin2: place.admin2, part_of: place.partOf, uncertainty_m: place.uncertaintyMeters,
                coordinate_source: place.coordinateSource, source_url: place.sourceURL, geonames_id: place.geonamesID, note: place.note,
                names: place.names.map { Name(text: $0.text, lang: $0.lang, script: $0.script, kind: $0.kind.rawValue, source: $0.source) })
        }
    }

    struct Geometry: Encodable {
        var type = "Point"
        var coordinates: [Double]
    }

    struct Properties: Encodable {
        var name: String
        var kind: String
        var country: String?
        var countries: [String]?
        var admin1: String?
        var admin2: String?
        var part_of: String?
        var uncertainty_m: Double
        var coordinate_source: String
        var source_url: String?
        var geonames_id: Int?
        var note: String?
        var names: [Name]
    }

    struct Name: Encodable {
        var text: String
        var lang: String
        var script: String
        var kind: String
        var source: String?
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
