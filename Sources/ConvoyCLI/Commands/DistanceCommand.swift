import ArgumentParser
import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// `convoy distance A B`: the geodesic between two places or coordinates on WGS84.
struct DistanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "Geodesic distance and azimuths between two places (WGS84, PROJ).",
        discussion: "A and B are place names in any spelling or script, place ids, or LAT,LON in decimal degrees.")

    @Argument(help: "From: a place name, id, or LAT,LON.") var from: String
    @Argument(help: "To: a place name, id, or LAT,LON.") var to: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let gazetteer = try store.open()
        let a = try PlaceArgument.resolve(from, in: gazetteer, allowCoordinates: true)
        let b = try PlaceArgument.resolve(to, in: gazetteer, allowCoordinates: true)
        a.warnIfAmbiguous()
        b.warnIfAmbiguous()
        let result = Geodesic.inverse(from: a.point, to: b.point)
        let uncertainty = (a.match?.place.uncertaintyMeters ?? 0) + (b.match?.place.uncertaintyMeters ?? 0)
        if output.json {
            try printJSON(DistanceJSON(a: a, b: b, result: result, uncertainty: uncertainty))
            return
        }
        func label(_ p: PlaceArgument) -> String {
            p.match.map { "\($0.place.name) [\($0.place.id)]" } ?? TextFormat.coordinate(p.point)
        }
        say("\(label(a)) → \(label(b))")
        say("  distance   \(String(format: "%.3f", result.distance)) m  (\(TextFormat.distance(result.distance)))" + (uncertainty > 0 ? "  \(TextFormat.radius(uncertainty)) from the places' uncertainty" : ""))
        say("  azimuth    \(String(format: "%.6f", normalized(result.initialAzimuth)))° (\(TextFormat.compass(result.initialAzimuth))) at the start, \(String(format: "%.6f", normalized(result.finalAzimuth)))° (\(TextFormat.compass(result.finalAzimuth))) on arrival")
        say("  on WGS84, by PROJ's geodesic (Karney), not a sphere")
    }
}

/// Azimuth in [0, 360).
func normalized(_ azimuth: Double) -> Double {
    var a = azimuth.truncatingRemainder(dividingBy: 360)
    if a < 0 { a += 360 }
    return a
}

/// `distance --json`: `distance_m`, `azimuth1_deg`, `azimuth2_deg` (degrees from north in [0, 360)),
/// `distance_uncertainty_m` (sum of the places' radii), and `from` / `to` each with `id` (null for raw
/// coordinates), `name`, `input`, `lat`, `lon`, `uncertainty_m`.
struct DistanceJSON: Encodable {
    struct End: Encodable {
        let id: String?
        let name: String?
        let input: String
        let lat: Double
        let lon: Double
        let uncertainty_m: Double

        init(_ p: PlaceArgument) {
            id = p.match?.place.id
            name = p.match?.place.name
            input = p.text
            lat = p.point.latitude
            lon = p.point.longitude
            uncertainty_m = p.match?.place.uncertaintyMeters ?? 0
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(input, forKey: .input)
            try c.encode(lat, forKey: .lat)
            try c.encode(lon, forKey: .lon)
            try c.encode(uncertainty_m, forKey: .uncertainty_m)
        }

        enum CodingKeys: String, CodingKey { case id, name, input, lat, lon, uncertainty_m }
    }

    let from: End
    let to: End
    let distance_m: Double
    let azimuth1_deg: Double
    let azimuth2_deg: Double
    let distance_uncertainty_m: Double
    let ellipsoid = "WGS84"

    init(a: PlaceArgument, b: PlaceArgument, result: GeodesicInverse, uncertainty: Double) {
        from = End(a)
        to = End(b)
        distance_m = rounded(result.distance, 6)
        azimuth1_deg = rounded(normalized(result.initialAzimuth), 9)
        azimuth2_deg = rounded(normalized(result.finalAzimuth), 9)
        distance_uncertainty_m = uncertainty
    }
}
