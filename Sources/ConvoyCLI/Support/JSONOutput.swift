import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// Encodes command results as pretty-printed JSON with sorted keys, so output is byte-stable.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .throw
    let data = try encoder.encode(value)
    say(String(decoding: data, as: UTF8.self))
}

/// Rounds to `places` decimals so JSON numbers stay readable and stable (1e-6° ≈ 0.1 m); a value
/// too large to scale is already whole at that precision and is kept as it is.
func rounded(_ value: Double, _ places: Int) -> Double {
    let scale = pow(10, Double(places))
    let scaled = value * scale
    return scaled.isFinite ? scaled.rounded() / scale : value
}

/// A name in JSON output.
struct NameJSON: Encodable {
    let text: String
    let lang: String
    let script: String
    let kind: String
    let source: String?

    init(_ name: PlaceName) {
        text = name.text
        lang = name.lang
        script = name.script
        kind = name.kind.rawValue
        source = name.source
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(lang, forKey: .lang)
        try c.encode(script, forKey: .script)
        try c.encode(kind, forKey: .kind)
        try c.encode(source, forKey: .source)  // explicit null when unknown
    }

    enum CodingKeys: String, CodingKey { case text, lang, script, kind, source }
}

/// A place in JSON output: `id`, `name`, `kind`, `country`, `lat`, `lon`, `uncertainty_m`,
/// `source`, `names` and the rest; absent facts are null, never left out.
struct PlaceJSON: Encodable {
    let place: Place
    let includeNames: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, kind, country, countries, admin1, admin2, part_of, lat, lon, uncertainty_m, source, source_url,
            geonames_id, note, bbox, origin, names
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(place.id, forKey: .id)
        try c.encode(place.name, forKey: .name)
        try c.encode(place.kind, forKey: .kind)
        try c.encode(place.country, forKey: .country)
        try c.encode(place.countries, forKey: .countries)
        try c.encode(place.admin1, forKey: .admin1)
        try c.encode(place.admin2, forKey: .admin2)
        try c.encode(place.partOf, forKey: .part_of)
        try c.encode(rounded(place.location.latitude, 6), forKey: .lat)
        try c.encode(rounded(place.location.longitude, 6), forKey: .lon)
        try c.encode(place.uncertaintyMeters, forKey: .uncertainty_m)
        try c.encode(place.coordinateSource, forKey: .source)
        try c.encode(place.sourceURL, forKey: .source_url)
        try c.encode(place.geonamesID, forKey: .geonames_id)
        try c.encode(place.note, forKey: .note)
        try c.encode(place.bbox.map { [$0.west, $0.south, $0.east, $0.north] }, forKey: .bbox)
        try c.encode(place.origin.rawValue, forKey: .origin)
        if includeNames { try c.encode(place.names.map(NameJSON.init), forKey: .names) }
    }
}

/// A suggestion in JSON output.
struct SuggestionJSON: Encodable {
    let id: String
    let name: String
    let matched_name: String
    let edit_distance: Int
    let same_skeleton: Bool

    init(_ s: Suggestion) {
        id = s.place.id
        name = s.place.name
        matched_name = s.name.text
        edit_distance = s.distance
        same_skeleton = s.sameSkeleton
    }
}
