import ConvoyGeodesy

/// What sort of name a spelling is for its place.
public enum NameKind: String, Sendable, Codable, CaseIterable, Comparable, BitwiseCopyable {
    /// The usual form in its language (one per language at most, by convention).
    case preferred
    /// Another accepted spelling or transliteration.
    case variant
    /// A short form ("Deir ez-Zor" for the governorate's long name).
    case short
    /// A former name.
    case historical
    /// A misspelling seen in a report, kept so that the report still resolves.
    case misspelling

    /// Order used to rank matches: an exact preferred name beats a misspelling.
    /// (A switch, not a search of `allCases`: the checker compares kinds for every mention.)
    var rank: Int {
        switch self {
        case .preferred: 0
        case .variant: 1
        case .short: 2
        case .historical: 3
        case .misspelling: 4
        }
    }
    public static func < (a: NameKind, b: NameKind) -> Bool { a.rank < b.rank }
}

/// One name of a place, with its language (BCP 47), script (ISO 15924) and where it was seen.
public struct PlaceName: Sendable, Hashable, Codable {
    public var text: String
    public var lang: String
    public var script: String
    public var kind: NameKind
    public var source: String?

    public init(text: String, lang: String, script: String, kind: NameKind, source: String? = nil) {
        self.text = text
        self.lang = lang
        self.script = script
        self.kind = kind
        self.source = source
    }
}

/// Where a place record came from: the bundled, cited `Gazetteer/` data or a GeoNames import.
public enum PlaceOrigin: String, Sendable, Codable {
    case bundled
    case geonames
}

/// A box in degrees: [west, south, east, north], as GeoJSON's `bbox`.
public struct BoundingBox: Sendable, Hashable, Codable {
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double

    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }
}

/// A named place: its position with an honest uncertainty radius, what that position rests on,
/// and every name it is known by.
public struct Place: Sendable, Hashable, Identifiable {
    /// Stable identifier ("sy-abu-kamal"; "gn-174448" for GeoNames imports).
    public var id: String
    /// Canonical English name.
    public var name: String
    /// city, town, village, border crossing, peak, pumping station, governorate, river, …
    public var kind: String
    /// ISO 3166-1 alpha-2 code of the (main) country.
    public var country: String?
    /// Every country a multi-country feature (river, border, desert) touches.
    public var countries: [String]
    public var admin1: String?
    public var admin2: String?
    /// Id of the containing gazetteer place, if recorded.
    public var partOf: String?
    /// The place itself, or a representative point of an extended feature.
    public var location: GeoPoint
    /// Radius in metres that contains the true location (or covers the feature).
    public var uncertaintyMeters: Double
    /// What the coordinate rests on, with sources.
    public var coordinateSource: String
    public var sourceURL: String?
    public var geonamesID: Int?
    public var note: String?
    /// Extent of an extended feature.
    public var bbox: BoundingBox?
    public var names: [PlaceName]
    public var origin: PlaceOrigin

    public init(
        id: String, name: String, kind: String, country: String?, countries: [String] = [], admin1: String? = nil,
        admin2: String? = nil, partOf: String? = nil, location: GeoPoint, uncertaintyMeters: Double,
        coordinateSource: String, sourceURL: String? = nil, geonamesID: Int? = nil, note: String? = nil,
        bbox: BoundingBox? = nil, names: [PlaceName], origin: PlaceOrigin
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.country = country
        self.countries = countries
        self.admin1 = admin1
        self.admin2 = admin2
        self.partOf = partOf
        self.location = location
        self.uncertaintyMeters = uncertaintyMeters
        self.coordinateSource = coordinateSource
        self.sourceURL = sourceURL
        self.geonamesID = geonamesID
        self.note = note
        self.bbox = bbox
        self.names = names
        self.origin = origin
    }

    /// Kinds that stand for an extent (a country, a river) rather than a spot: a distance to their
    /// representative point means little, so "near" and "nearest" answers leave them out by default.
    public static let areaKinds: Set<String> = [
        "country", "governorate", "district", "subdistrict", "region", "mountain range", "desert", "river", "border", "area",
    ]

    /// True for countries, governorates, regions, rivers and other extended features.
    public var isArea: Bool { Self.areaKinds.contains(kind) }

    /// The kinds the bundled data may use; a typo in `kind` is an error, not a new kind.
    public static let knownKinds: Set<String> = [
        "country", "governorate", "district", "subdistrict", "region", "mountain range", "city", "town",
        "village", "neighbourhood", "refugee camp", "border crossing", "border", "peak", "pumping station",
        "air base", "desert", "river", "road junction", "archaeological site", "area",
    ]
}
