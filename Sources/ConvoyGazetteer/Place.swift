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

/// Where a place record came from — its layer. Layers, highest first (README, "The gazetteer"):
/// the curated places (`Gazetteer/places.geojson`), the user's own places (a file beside the
/// store), the bundled countries (`Gazetteer/countries.geojson`), and GeoNames (the bundled
/// cities500 layer `Gazetteer/geonames-cities500.txt` and GeoNames imports).
public enum PlaceOrigin: String, Sendable, Codable, CaseIterable {
    /// The curated, cited gazetteer, `Gazetteer/places.geojson`.
    case bundled
    /// Every country of the world, the continents, and the West Bank and the Gaza Strip, generated
    /// from cited sources (`Gazetteer/countries.geojson`).
    case countries
    /// GeoNames: the bundled cities500 layer of the region, or a `places import geonames`.
    case geonames
    /// The user's own places (`convoy places add` / `places import`), kept beside the store.
    case user

    /// Whether the place's names are matched by their keys like the curated gazetteer's: true for
    /// curated and user places. GeoNames' alternate names ("The", "August", "Army") and country
    /// names, short and folded onto common words by the keys ("Gen" has the key of Ghana), are
    /// held to stricter rules by `convoy check` (docs/check.md, "Names only GeoNames records"):
    /// a one-word name is taken only as recorded.
    public var isCurated: Bool { self == .bundled || self == .user }
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
    /// What a GeoNames place's id starts with ("gn-" and its GeoNames id).
    public static let geoNamesIDPrefix = "gn-"
    /// Stable identifier ("sy-abu-kamal"; "gn-174448" for GeoNames places; "user-sy-ain-issa" for the user's own).
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
    /// ISO 3166-1 alpha-3 and numeric codes (countries only).
    public var isoAlpha3: String?
    public var isoNumeric: String?

    public init(
        id: String, name: String, kind: String, country: String?, countries: [String] = [], admin1: String? = nil,
        admin2: String? = nil, partOf: String? = nil, location: GeoPoint, uncertaintyMeters: Double,
        coordinateSource: String, sourceURL: String? = nil, geonamesID: Int? = nil, note: String? = nil,
        bbox: BoundingBox? = nil, names: [PlaceName], origin: PlaceOrigin, isoAlpha3: String? = nil, isoNumeric: String? = nil
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
        self.isoAlpha3 = isoAlpha3
        self.isoNumeric = isoNumeric
    }

    /// Kinds that stand for an extent (a country, a river) rather than a spot: a distance to their
    /// representative point means little, so "near" and "nearest" answers leave them out by default.
    public static let areaKinds: Set<String> = [
        "continent", "country", "territory", "governorate", "district", "subdistrict", "region", "mountain range",
        "desert", "river", "border", "area",
    ]

    /// True for countries, governorates, regions, rivers and other extended features.
    public var isArea: Bool { Self.areaKinds.contains(kind) }

    /// The kinds places may have; a typo in `kind` is an error, not a new kind. "place" is a
    /// place of a kind not given (the default of `convoy places add`). "continent" (no country:
    /// `country` is null) and "territory" (a part of a country that news names as a place of its
    /// own, such as the West Bank) are the generated countries layer's besides "country".
    public static let knownKinds: Set<String> = [
        "continent", "country", "territory", "governorate", "district", "subdistrict", "region", "mountain range",
        "city", "town", "village", "neighbourhood", "refugee camp", "border crossing", "border", "peak", "pumping station",
        "air base", "desert", "river", "road junction", "archaeological site", "area", "place",
    ]
}
