import ConvoyGeodesy

/// What an export holds, independent of the format: the units' tracks, the observations, and the
/// legs between observations. Built from a replayed route model (see ``ExportDocument/init(model:)``)
/// or directly (benchmarks, other producers).
public struct ExportDocument: Sendable {
    public var tracks: [ExportTrack]
    public var observations: [ExportObservation]
    public var legs: [ExportLeg]
    /// Where each unit can have been, sampled over time.
    public var feasible: [ExportFeasible]

    public init(tracks: [ExportTrack], observations: [ExportObservation], legs: [ExportLeg], feasible: [ExportFeasible] = []) {
        self.tracks = tracks
        self.observations = observations
        self.legs = legs
        self.feasible = feasible
    }
}

/// One vertex of a unit's track: where it was (on its road path) and when, in Unix seconds (UTC).
public struct TrackVertex: Sendable, Hashable {
    public let time: Double
    public let point: GeoPoint

    public init(time: Double, point: GeoPoint) {
        self.time = time
        self.point = point
    }
}

/// A unit's movement as a polyline with a time per vertex. Consecutive vertices are joined by
/// geodesics; writers densify them for drawing.
public struct ExportTrack: Sendable {
    public let convoy: String
    public let unit: String
    public let parent: String?
    /// Vehicles as last reported ("17 buses + 11 ambulances"), if known.
    public let vehicles: String?
    /// In time order (times never decrease).
    public let vertices: [TrackVertex]

    public init(convoy: String, unit: String, parent: String?, vehicles: String?, vertices: [TrackVertex]) {
        self.convoy = convoy
        self.unit = unit
        self.parent = parent
        self.vehicles = vehicles
        self.vertices = vertices
    }

    /// "is-qalamoun-2017/main": unique within an export.
    public var id: String { "\(convoy)/\(unit)" }
}

/// A reported observation, placed where the route model put it.
public struct ExportObservation: Sendable {
    /// Stable within the log: the log's file and row.
    public let id: String
    public let convoy: String
    public let unit: String
    /// Best time, Unix seconds UTC (the middle of a date-only or interval time).
    public let time: Double
    /// Start and end of the reported time (equal for an instant).
    public let timeStart: Double
    public let timeEnd: Double
    /// The time as the log wrote it.
    public let timeText: String
    public let status: String
    /// The location expression as written ("between Humayma and As Sukhnah").
    public let location: String
    /// Canonical name of the place it refers to, if one.
    public let place: String?
    public let point: GeoPoint
    public let uncertaintyMeters: Double
    /// The region of road the row gives (a "between A and B" stretch, the roads within a "near"
    /// disc, …), one polyline per piece; nil for a row without place or a point.
    public let stretch: [[GeoPoint]]?
    public let vehicles: String?
    public let people: String?
    /// Source (file in seeds/ or URL) and the quoted sentence.
    public let source: String
    public let quote: String
    /// Metres along the route from the unit's previous observation, and from its start.
    public let segmentMeters: Double?
    public let cumulativeMeters: Double?
    public let anomalies: [String]

    public init(
        id: String, convoy: String, unit: String, time: Double, timeStart: Double, timeEnd: Double, timeText: String,
        status: String, location: String, place: String?, point: GeoPoint, uncertaintyMeters: Double, stretch: [[GeoPoint]]?,
        vehicles: String?, people: String?, source: String, quote: String, segmentMeters: Double?, cumulativeMeters: Double?,
        anomalies: [String]
    ) {
        self.id = id
        self.convoy = convoy
        self.unit = unit
        self.time = time
        self.timeStart = timeStart
        self.timeEnd = timeEnd
        self.timeText = timeText
        self.status = status
        self.location = location
        self.place = place
        self.point = point
        self.uncertaintyMeters = uncertaintyMeters
        self.stretch = stretch
        self.vehicles = vehicles
        self.people = people
        self.source = source
        self.quote = quote
        self.segmentMeters = segmentMeters
        self.cumulativeMeters = cumulativeMeters
        self.anomalies = anomalies
    }
}

/// Movement between two consecutive observations of a unit.
public struct ExportLeg: Sendable {
    public let convoy: String
    public let unit: String
    public let from: String
    public let to: String
    public let start: Double
    public let end: Double
    /// Straight geodesic between the two positions.
    public let geodesicMeters: Double
    /// Along the road path the unit followed.
    public let alongRouteMeters: Double

    public init(convoy: String, unit: String, from: String, to: String, start: Double, end: Double, geodesicMeters: Double, alongRouteMeters: Double) {
        self.convoy = convoy
        self.unit = unit
        self.from = from
        self.to = to
        self.start = start
        self.end = end
        self.geodesicMeters = geodesicMeters
        self.alongRouteMeters = alongRouteMeters
    }

    /// Average speed in km/h along the route, nil when no time passed.
    public var speedKmh: Double? { end > start ? alongRouteMeters / (end - start) * 3.6 : nil }
}

/// Every position a unit can have at `time` (its feasible set), as polylines along the roads, with
/// the best estimate; the sample stands for `validFrom ..< validTo`.
public struct ExportFeasible: Sendable {
    public let convoy: String
    public let unit: String
    public let time: Double
    public let validFrom: Double
    public let validTo: Double
    public let parts: [[GeoPoint]]
    public let lengthMeters: Double
    public let uncertaintyMeters: Double
    public let estimate: GeoPoint

    public init(convoy: String, unit: String, time: Double, validFrom: Double, validTo: Double, parts: [[GeoPoint]], lengthMeters: Double, uncertaintyMeters: Double, estimate: GeoPoint) {
        self.convoy = convoy
        self.unit = unit
        self.time = time
        self.validFrom = validFrom
        self.validTo = validTo
        self.parts = parts
        self.lengthMeters = lengthMeters
        self.uncertaintyMeters = uncertaintyMeters
        self.estimate = estimate
    }

    public var id: String { "\(convoy)/\(unit)" }
}
