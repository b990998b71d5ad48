/// A position on the WGS84 ellipsoid in decimal degrees.
///
/// Latitude comes first here, as in speech ("34.45 N, 40.92 E"); GeoJSON writers must swap
/// to `[lon, lat]`. The initialiser rejects values that cannot be a position so that no NaN or
/// out-of-range coordinate travels further into the program.
public struct GeoPoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public let latitude: Double
    public let longitude: Double

    /// Creates a point, checking that latitude is in [-90, 90] and longitude in [-180, 180].
    public init(latitude: Double, longitude: Double) throws(CoordinateError) {
        guard latitude.isFinite, longitude.isFinite else {
            throw .notFinite(latitude: latitude, longitude: longitude)
        }
        guard (-90.0...90.0).contains(latitude) else { throw .latitudeOutOfRange(latitude) }
        guard (-180.0...180.0).contains(longitude) else { throw .longitudeOutOfRange(longitude) }
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Creates a point from values PROJ returned; they are valid by construction.
    package init(uncheckedLatitude latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Parses `"LAT,LON"` (decimal degrees, optional spaces), the form the CLI accepts.
    public init?(parsing text: Substring) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let lat = Double(parts[0].trimmingSpaces), let lon = Double(parts[1].trimmingSpaces),
            let point = try? GeoPoint(latitude: lat, longitude: lon)
        else { return nil }
        self = point
    }

    public var description: String { "\(latitude),\(longitude)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let lat = try container.decode(Double.self, forKey: .latitude)
        let lon = try container.decode(Double.self, forKey: .longitude)
        do { try self.init(latitude: lat, longitude: lon) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .latitude, in: container, debugDescription: error.description)
        }
    }
}

/// Why a pair of numbers is not a position.
public enum CoordinateError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFinite(latitude: Double, longitude: Double)
    case latitudeOutOfRange(Double)
    case longitudeOutOfRange(Double)

    public var description: String {
        switch self {
        case .notFinite(let lat, let lon): "coordinate is not a finite number (lat \(lat), lon \(lon))"
        case .latitudeOutOfRange(let lat): "latitude \(lat) is outside [-90, 90]"
        case .longitudeOutOfRange(let lon): "longitude \(lon) is outside [-180, 180]"
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}
