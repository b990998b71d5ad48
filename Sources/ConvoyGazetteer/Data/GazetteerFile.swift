import ConvoyGeodesy
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the bundled gazetteer (`Gazetteer/places.geojson`), an RFC 7946 FeatureCollection with one
/// Point Feature per place, and checks every member: a bad file is reported value by value as
/// `file:line:col: message` and yields no places at all. The limits below are documented in
/// Gazetteer/README.md ("Validation").
public enum GazetteerFile {
    /// Largest file read (64 MiB): the whole file is parsed in memory, and the bundled one is ~0.2 MB.
    public static let maximumFileBytes = 64 << 20
    /// Longest name (`name`, a name's `text`, `admin1`, `admin2`), in Unicode scalars: the longest
    /// official place names (Bangkok's ceremonial name, 168 letters) fit.
    public static let maximumNameLength = 200
    /// Longest other text (`coordinate_source`, `note`, `source_url`, a name's `source` …), in Unicode scalars.
    public static let maximumTextLength = 4000
    /// Largest `uncertainty_m`: 20,000 km, about the longest geodesic on Earth (20,004 km); a
    /// larger radius would say nothing more and breaks arithmetic downstream.
    public static let maximumUncertaintyMeters = 20_000_000.0

    /// What a file is read as: which origin its places get, which ids it may use, and which ids
    /// outside it `part_of` may name.
    public struct Reading: Sendable {
        /// The layer the places belong to.
        public var origin: PlaceOrigin
        /// Ids of places outside the file that `part_of` may name (the user's places may sit in a
        /// bundled governorate).
        public var outsideIDs: Set<String>
        /// Whether `user-…` ids are accepted (the user's places file, an import).
        public var allowsUserIDs: Bool
        /// Whether only `user-…` ids are accepted (the user's places file itself). Such a file may
        /// also have no features (every place of it removed); any other file needs one.
        public var requiresUserIDs: Bool

        public init(origin: PlaceOrigin, outsideIDs: Set<String> = [], allowsUserIDs: Bool = false, requiresUserIDs: Bool = false) {
            self.origin = origin
            self.outsideIDs = outsideIDs
            self.allowsUserIDs = allowsUserIDs || requiresUserIDs
            self.requiresUserIDs = requiresUserIDs
        }

        /// The curated gazetteer, `places.geojson`.
        public static let curated = Reading(origin: .bundled)
        /// The bundled countries, `countries.geojson`.
        public static let countries = Reading(origin: .countries)
    }

    /// The id pattern of the user's places: `user-` and a lowercase ASCII slug.
    static let userIDPattern = #"^user-[a-z0-9]+(-[a-z0-9]+)*$"#
    /// The id pattern of bundled places: a country code, `-`, and a lowercase ASCII slug.
    static let bundledIDPattern = #"^[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*$"#

    /// Parses and validates the file at `url`. `displayPath` is how errors name the file.
    public static func load(_ url: URL, displayPath: String? = nil, reading: Reading = .curated) throws -> [Place] {
        let path = displayPath ?? url.path
        let bytes = try readBytes(url, displayPath: path)
        return try parse(bytes, displayPath: path, reading: reading)
    }

    /// The file's bytes. Only a regular file (or a link to one) is read: the store fingerprints the
    /// file and then parses it, so it is read twice, which a FIFO or a device cannot give.
    package static func readBytes(_ url: URL, displayPath: String) throws(FileAccessError) -> [UInt8] {
        let file = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { throw FileAccessError(path: displayPath, reason: String(cString: strerror(errno))) }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { throw FileAccessError(path: displayPath, reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileAccessError(path: displayPath, reason: "is a directory")
        case S_IFIFO: throw FileAccessError(path: displayPath, reason: "is a FIFO (named pipe), not a regular file; a gazetteer must be a file")
        default: throw FileAccessError(path: displayPath, reason: "is a device or socket, not a regular file; a gazetteer must be a file")
        }
        guard info.st_size <= maximumFileBytes else {
            throw FileAccessError(path: displayPath, reason: "is \(info.st_size) bytes; a gazetteer file may be at most \(maximumFileBytes >> 20) MiB")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress! + count, $0.count - count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw FileAccessError(path: displayPath, reason: "cannot be read: \(String(cString: strerror(errno)))") }
            if n == 0 { break }  // shrank while being read
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Parses gazetteer GeoJSON from memory; `displayPath` names it in errors.
    public static func parse(_ bytes: [UInt8], displayPath path: String, reading: Reading = .curated) throws(DataErrors) -> [Place] {
        guard bytes.count <= maximumFileBytes else {
            throw DataErrors([DataError(file: path, message: "\(bytes.count) bytes; a gazetteer file may be at most \(maximumFileBytes >> 20) MiB")])
        }
        let root: LocatedJSON
        do { root = try LocatedJSON.parse(bytes) } catch {
            throw DataErrors([DataError(file: path, at: error.location, error.message)])
        }
        var reader = FeatureReader(path: path, reading: reading)
        let places = reader.places(in: root)
        guard reader.errors.isEmpty else {
            throw DataErrors(Array(reader.errors.prefix(50)), truncated: reader.errors.count > 50)
        }
        return places
    }
}

/// Walks the JSON tree, collecting every problem rather than stopping at the first.
private struct FeatureReader {
    let path: String
    let reading: GazetteerFile.Reading
    var errors: [DataError] = []

    init(path: String, reading: GazetteerFile.Reading) {
        self.path = path
        self.reading = reading
    }

    mutating func fail(_ value: LocatedJSON, _ message: String) {
        errors.append(DataError(file: path, at: value.location, message))
    }

    mutating func places(in root: LocatedJSON) -> [Place] {
        guard case .object = root else {
            fail(root, "expected a GeoJSON FeatureCollection object, found \(root.typeName)")
            return []
        }
        if root["type"].flatMap(string) != "FeatureCollection" {
            fail(root["type"] ?? root, "\"type\" must be \"FeatureCollection\"")
        }
        if let crs = root["crs"] { fail(crs, "RFC 7946 GeoJSON has no \"crs\" member (coordinates are WGS84)") }
        guard case .array(let features, _)? = root["features"] else {
            fail(root["features"] ?? root, "\"features\" must be an array of Features")
            return []
        }
        if features.isEmpty, !reading.requiresUserIDs, let list = root["features"] {
            // Loading it would silently empty the store of every bundled place.
            fail(list, "\"features\" is empty: a gazetteer needs at least one place")
        }
        var read: [(place: Place, feature: LocatedJSON)] = []
        var firstSeen: [String: SourceLocation] = [:]
        for feature in features {
            guard let place = self.place(feature) else { continue }
            if let earlier = firstSeen[place.id] {
                fail(feature["id"] ?? feature, "duplicate id \"\(place.id)\" (first at line \(earlier.line))")
                continue
            }
            firstSeen[place.id] = (feature["id"] ?? feature).location
            read.append((place, feature))
        }
        for (place, feature) in read {
            if let parent = place.partOf, firstSeen[parent] == nil, !reading.outsideIDs.contains(parent) {
                let whereTo = reading.outsideIDs.isEmpty ? "in this file" : "in this file or in the gazetteer"
                fail(feature["properties"]?["part_of"] ?? feature, "part_of \"\(parent)\" is not the id of a place \(whereTo)")
            }
        }
        failPartOfCycles(read)
        return read.map(\.place)
    }

    /// A place may not contain itself, directly or through others: each cycle of part_of is reported
    /// once, at the part_of of the cycle's first place in the file.
    mutating func failPartOfCycles(_ read: [(place: Place, feature: LocatedJSON)]) {
        let parent = Dictionary(read.compactMap { entry in entry.place.partOf.map { (entry.place.id, $0) } }, uniquingKeysWith: { a, _ in a })
        var settled: Set<String> = []  // ids whose chain upwards is known to end, or already reported
        for (place, feature) in read where !settled.contains(place.id) {
            var chain: [String] = []
            var onChain: Set<String> = []
            var current: String? = place.id
            while let id = current, !settled.contains(id), onChain.insert(id).inserted {
                chain.append(id)
                current = parent[id]
            }
            if let repeated = current, onChain.contains(repeated), let start = chain.firstIndex(of: repeated) {
                let cycle = chain[start...] + [repeated]
                let at = read.first { $0.place.id == repeated }?.feature ?? feature
                fail(at["properties"]?["part_of"] ?? at, "part_of makes a cycle: \(cycle.joined(separator: " → ")) (a place cannot contain itself)")
            }
            settled.formUnion(chain)
        }
    }

    static let knownProperties: Set<String> = [
        "name", "kind", "country", "countries", "admin1", "admin2", "part_of", "uncertainty_m",
        "coordinate_source", "source_url", "geonames_id", "note", "names", "iso_alpha3", "iso_numeric",
    ]

    mutating func place(_ feature: LocatedJSON) -> Place? {
        guard case .object(let members, _) = feature else {
            fail(feature, "expected a Feature object, found \(feature.typeName)")
            return nil
        }
        let errorsBefore = errors.count
        for (key, value) in members where !["type", "id", "geometry", "properties", "bbox"].contains(key) {
            fail(value, "unknown Feature member \"\(key)\"")
        }
        if feature["type"].flatMap(string) != "Feature" { fail(feature["type"] ?? feature, "\"type\" must be \"Feature\"") }
        let id = requiredString(feature, "id")
        if let id {
            let isUser = id.range(of: GazetteerFile.userIDPattern, options: .regularExpression) != nil
            let isBundled = id.range(of: GazetteerFile.bundledIDPattern, options: .regularExpression) != nil
            if reading.requiresUserIDs, !isUser {
                fail(feature["id"]!, "id \"\(id)\" must be 'user-' and a lowercase ASCII slug (e.g. user-sy-ain-issa): the user's places have ids of their own")
            } else if !isBundled, !(isUser && reading.allowsUserIDs) {
                fail(feature["id"]!, "id \"\(id)\" must be a country code, '-', and a lowercase ASCII slug (e.g. sy-abu-kamal)")
            }
        }
        let location = point(feature["geometry"], in: feature)
        let bbox = feature["bbox"].flatMap { boundingBox($0) }
        guard let properties = feature["properties"], case .object(let propertyMembers, _) = properties else {
            fail(feature["properties"] ?? feature, "\"properties\" must be an object")
            return nil
        }
        for (key, value) in propertyMembers where !Self.knownProperties.contains(key) {
            fail(value, "unknown property \"\(key)\"")
        }
        let name = requiredString(properties, "name")
        let kind = requiredString(properties, "kind")
        if let kind, !Place.knownKinds.contains(kind) {
            fail(properties["kind"]!, "unknown kind \"\(kind)\"; known kinds: \(Place.knownKinds.sorted().joined(separator: ", "))")
        }
        let country = optionalString(properties, "country")
        if let country, country.range(of: "^[A-Z]{2}$", options: .regularExpression) == nil {
            fail(properties["country"]!, "country must be an ISO 3166-1 alpha-2 code such as SY, found \"\(country)\"")
        }
        var countries: [String] = []
        if let list = properties["countries"] {
            if case .array(let items, _) = list {
                countries = items.compactMap { item in
                    guard let code = string(item), code.range(of: "^[A-Z]{2}$", options: .regularExpression) != nil else {
                        fail(item, "countries must hold ISO 3166-1 alpha-2 codes")
                        return nil
                    }
                    return code
                }
            } else {
                fail(list, "countries must be an array of country codes")
            }
        }
        let uncertainty = number(properties, "uncertainty_m")
        if let uncertainty, uncertainty < 0 { fail(properties["uncertainty_m"]!, "uncertainty_m must not be negative") }
        if let uncertainty, uncertainty > GazetteerFile.maximumUncertaintyMeters {
            fail(properties["uncertainty_m"]!, "uncertainty_m \(uncertainty) is larger than 20,000 km, which covers the whole Earth (at most \(Int(GazetteerFile.maximumUncertaintyMeters)) m)")
        }
        let coordinateSource = requiredString(properties, "coordinate_source")
        var geonamesID: Int?
        if let value = properties["geonames_id"], !isNull(value) {
            if case .number(let n, _) = value, n == n.rounded(), n > 0, n < 1e12 { geonamesID = Int(n) } else {
                fail(value, "geonames_id must be a positive integer")
            }
        }
        let names = self.names(properties["names"], in: properties)
        let isoAlpha3 = optionalString(properties, "iso_alpha3"), isoNumeric = optionalString(properties, "iso_numeric")
        if let isoAlpha3, isoAlpha3.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
            fail(properties["iso_alpha3"]!, "iso_alpha3 must be an ISO 3166-1 alpha-3 code such as SYR, found \"\(isoAlpha3)\"")
        }
        if let isoNumeric, isoNumeric.range(of: "^[0-9]{3}$", options: .regularExpression) == nil {
            fail(properties["iso_numeric"]!, "iso_numeric must be an ISO 3166-1 numeric code of three digits such as 760, found \"\(isoNumeric)\"")
        }
        guard errors.count == errorsBefore, let id, let name, let kind, let location, let uncertainty, let coordinateSource
        else { return nil }
        return Place(
            id: id, name: name, kind: kind, country: country, countries: countries,
            admin1: optionalString(properties, "admin1"), admin2: optionalString(properties, "admin2"),
            partOf: optionalString(properties, "part_of"), location: location, uncertaintyMeters: uncertainty,
            coordinateSource: coordinateSource, sourceURL: optionalString(properties, "source_url"),
            geonamesID: geonamesID, note: optionalString(properties, "note"), bbox: bbox, names: names,
            origin: reading.origin, isoAlpha3: isoAlpha3, isoNumeric: isoNumeric)
    }

    mutating func point(_ geometry: LocatedJSON?, in feature: LocatedJSON) -> GeoPoint? {
        guard let geometry, case .object = geometry else {
            fail(geometry ?? feature, "\"geometry\" must be a Point object")
            return nil
        }
        guard geometry["type"].flatMap(string) == "Point" else {
            fail(geometry["type"] ?? geometry, "geometry must be a Point (extended features take a representative point and a bbox)")
            return nil
        }
        guard case .array(let position, let at)? = geometry["coordinates"] else {
            fail(geometry["coordinates"] ?? geometry, "Point coordinates must be [longitude, latitude]")
            return nil
        }
        let numbers = position.compactMap { value -> Double? in if case .number(let n, _) = value { n } else { nil } }
        guard numbers.count == position.count, (2...3).contains(numbers.count) else {
            errors.append(DataError(file: path, at: at, "Point coordinates must be [longitude, latitude] (two or three numbers)"))
            return nil
        }
        do {
            return try GeoPoint(latitude: numbers[1], longitude: numbers[0])
        } catch {
            errors.append(DataError(file: path, at: at, "\(error) — GeoJSON positions are [longitude, latitude]"))
            return nil
        }
    }

    mutating func boundingBox(_ value: LocatedJSON) -> BoundingBox? {
        guard case .array(let items, _) = value, items.count == 4 else {
            fail(value, "bbox must be [west, south, east, north]")
            return nil
        }
        let n = items.compactMap { item -> Double? in if case .number(let x, _) = item { x } else { nil } }
        guard n.count == 4, (-180...180).contains(n[0]), (-180...180).contains(n[2]), (-90...90).contains(n[1]),
            (-90...90).contains(n[3]), n[1] <= n[3]
        else {
            fail(value, "bbox must be [west, south, east, north] in degrees with south ≤ north")
            return nil
        }
        return BoundingBox(west: n[0], south: n[1], east: n[2], north: n[3])
    }

    mutating func names(_ value: LocatedJSON?, in properties: LocatedJSON) -> [PlaceName] {
        guard let value, case .array(let items, _) = value, !items.isEmpty else {
            fail(value ?? properties, "names must be a non-empty array of {text, lang, script, kind, source}")
            return []
        }
        var result: [PlaceName] = []
        var seen: Set<String> = []
        for item in items {
            guard case .object(let members, _) = item else {
                fail(item, "each name must be an object")
                continue
            }
            for (key, v) in members where !["text", "lang", "script", "kind", "source"].contains(key) {
                fail(v, "unknown name member \"\(key)\"")
            }
            guard let text = requiredString(item, "text"), let lang = requiredString(item, "lang"),
                let script = requiredString(item, "script"), let kindText = requiredString(item, "kind")
            else { continue }
            guard let kind = NameKind(rawValue: kindText) else {
                fail(item["kind"]!, "name kind must be one of \(NameKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(kindText)\"")
                continue
            }
            if script.range(of: "^[A-Z][a-z]{3}$", options: .regularExpression) == nil {
                fail(item["script"]!, "script must be an ISO 15924 code such as Latn or Arab")
            }
            if NameKey.key(text).isEmpty { fail(item["text"]!, "name \"\(text)\" has no letters") }
            guard seen.insert(text).inserted else {
                fail(item["text"]!, "name \"\(text)\" is listed twice for this place")
                continue
            }
            result.append(PlaceName(text: text, lang: lang, script: script, kind: kind, source: optionalString(item, "source")))
        }
        if !result.isEmpty, !result.contains(where: { $0.kind == .preferred }) {
            fail(value, "a place needs at least one preferred name")
        }
        return result
    }

    // MARK: Scalars

    func string(_ value: LocatedJSON) -> String? {
        if case .string(let s, _) = value { s } else { nil }
    }

    func isNull(_ value: LocatedJSON) -> Bool {
        if case .null = value { true } else { false }
    }

    /// Members holding names, limited to ``GazetteerFile/maximumNameLength``; other text members are
    /// limited to ``GazetteerFile/maximumTextLength``.
    static let nameMembers: Set<String> = ["name", "text", "admin1", "admin2", "id", "part_of", "lang", "script", "kind", "country", "iso_alpha3", "iso_numeric"]

    mutating func requiredString(_ object: LocatedJSON, _ key: String) -> String? {
        guard let value = object[key] else {
            fail(object, "missing \"\(key)\"")
            return nil
        }
        guard let s = string(value) else {
            fail(value, "\"\(key)\" must be a non-empty string, found \(value.typeName)")
            return nil
        }
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(value, "\"\(key)\" must be a non-empty string, found \(s.isEmpty ? "an empty string" : "only spaces")")
            return nil
        }
        return checkedText(s, value, key)
    }

    mutating func optionalString(_ object: LocatedJSON, _ key: String) -> String? {
        guard let value = object[key], !isNull(value) else { return nil }
        guard let s = string(value) else {
            fail(value, "\"\(key)\" must be a string or null, found \(value.typeName)")
            return nil
        }
        return checkedText(s, value, key)
    }

    /// `s`, or nil after reporting it when it is too long or holds control characters (SQLite would
    /// cut a name at a NUL; a terminal would run an escape sequence from a message that quotes it).
    mutating func checkedText(_ s: String, _ value: LocatedJSON, _ key: String) -> String? {
        if let problem = GazetteerFile.textProblem(s, isName: Self.nameMembers.contains(key)) {
            fail(value, "\"\(key)\" \(problem)")
            return nil
        }
        return s
    }

    mutating func number(_ object: LocatedJSON, _ key: String) -> Double? {
        guard let value = object[key] else {
            fail(object, "missing \"\(key)\"")
            return nil
        }
        guard case .number(let n, _) = value else {
            fail(value, "\"\(key)\" must be a number, found \(value.typeName)")
            return nil
        }
        return n
    }
}

extension GazetteerFile {
    /// What is wrong with a text value, or nil: a name (`isName`) may be at most
    /// ``maximumNameLength`` Unicode scalars and hold no control character; other text at most
    /// ``maximumTextLength`` and no control character but line feed and tab (Gazetteer/README.md,
    /// "Validation"). The message follows the member's name ("holds …", "is … long").
    public static func textProblem(_ s: String, isName: Bool) -> String? {
        let limit = isName ? maximumNameLength : maximumTextLength
        var length = 0
        for scalar in s.unicodeScalars {
            length += 1
            if scalar.properties.generalCategory == .control, isName || (scalar != "\n" && scalar != "\t") {
                return "holds the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(4)) at character \(length)"
            }
        }
        guard length <= limit else { return "is \(length) characters long; at most \(limit) are allowed" }
        return nil
    }
}

extension String {
    /// The string with zeros in front up to `width` characters ("A" → "000A").
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
