import ConvoyGazetteer
import ConvoyGeodesy

/// What a unit was doing, as reported.
public enum ConvoyStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case assembling, departed, moving, halted, stalled
    case turnedBack = "turned back"
    case arrived, split, merged
    /// The row's location is where the unit was stopped short (a cratered road, a closed
    /// crossing): it did not pass it. The row says nothing of where the unit was.
    case blocked

    /// Parses `turned back`, `turned-back`, `turned_back` and the other names, case-insensitively.
    public init?(parsing text: String) {
        let t = text.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
        guard let status = Self(rawValue: t) else { return nil }
        self = status
    }

    /// Statuses in which a unit is not travelling.
    public var isStationary: Bool {
        switch self {
        case .assembling, .halted, .stalled, .arrived: true
        default: false
        }
    }
}

/// How exact a reported number is.
public enum CountQualifier: String, Sendable, Hashable, Codable {
    /// "17 buses".
    case exact
    /// "~24" — "nearly two dozen", "about 250", "around 600"; taken as within ±10 %.
    case approximate
    /// ">=2000" — "at least 2000".
    case atLeast = "at least"
}

/// One term of a count: `17 buses`, `~250 militants`, `>=2000`.
public struct CountTerm: Sendable, Hashable, Codable {
    /// The number, or the lower end of a range ("200-999": 200).
    public let count: Int
    /// What is counted, lower-case as written ("buses", "ambulances"); nil for a bare number.
    public let kind: String?
    public let qualifier: CountQualifier
    /// The upper end of a range (`200-999 fighters`: "hundreds of fighters"), else nil.
    public let upTo: Int?

    public init(count: Int, kind: String?, qualifier: CountQualifier, upTo: Int? = nil) {
        self.count = count
        self.kind = kind
        self.qualifier = qualifier
        self.upTo = upTo
    }

    /// The range of values the term allows (±10 % for approximate, unbounded above for "at least").
    var range: ClosedRange<Double> {
        let v = Double(count)
        if let upTo { return v...Double(upTo) }
        switch qualifier {
        case .exact: return v...v
        case .approximate: return (v * 0.9)...(v * 1.1)
        case .atLeast: return v...Double.greatestFiniteMagnitude
        }
    }
}

/// A reported count with an optional breakdown: `17 buses + 11 ambulances`, `~600`, `>=2000 people`.
public struct Count: Sendable, Hashable, Codable, CustomStringConvertible {
    public let terms: [CountTerm]
    public let text: String

    public init(terms: [CountTerm], text: String) {
        self.terms = terms
        self.text = text
    }

    /// The sum of the terms. Saturates instead of trapping, for counts built in code; a count read
    /// from a log is at most ``Count/maximum`` in every term and in total.
    public var total: Int {
        terms.reduce(0) { sum, term in
            let (value, overflow) = sum.addingReportingOverflow(term.count)
            return overflow ? (term.count > 0 ? .max : .min) : value
        }
    }

    /// The largest number a log's count may give, per term and in total: 10,000,000. No convoy
    /// carries more vehicles or people; a larger number is a typo, and the bound keeps every sum of
    /// counts (a split's children, a model's totals) far from `Int`'s limits.
    public static let maximum = 10_000_000
    /// The qualifier of the total: "at least" if any term is, else approximate if any term is.
    public var qualifier: CountQualifier {
        if terms.contains(where: { $0.qualifier == .atLeast }) { return .atLeast }
        if terms.contains(where: { $0.qualifier == .approximate }) { return .approximate }
        return .exact
    }
    public var description: String { text }

    /// The count of one kind ("buses"), if the breakdown names it.
    public func count(of kind: String) -> CountTerm? { terms.first { $0.kind == kind } }

    /// Why a count could not be read.
    public enum ParseProblem: Error, Sendable, Hashable {
        /// Not `N [kind] (+ N [kind])*`.
        case unreadable
        /// A number (as written) beyond ``Count/maximum``.
        case tooLarge(String)
        /// The terms add up to more than ``Count/maximum``.
        case totalTooLarge
    }

    /// Parses `N [kind] (+ N [kind])*`; a number may start with `~` (approximate) or `>=` (at least).
    public static func parse(_ raw: String) -> Count? { try? parsing(raw).get() }

    /// Parses a count, or says why it is not one (unreadable, or beyond ``Count/maximum``).
    public static func parsing(_ raw: String) -> Result<Count, ParseProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return .failure(.unreadable) }
        var terms: [CountTerm] = []
        for part in text.split(separator: "+") {
            var s = part.trimmingCharacters(in: .whitespaces)[...]
            var qualifier = CountQualifier.exact
            if s.hasPrefix("~") {
                qualifier = .approximate
                s = s.dropFirst()
            } else if s.hasPrefix(">=") {
                qualifier = .atLeast
                s = s.dropFirst(2)
            } else if s.hasPrefix("≥") {
                qualifier = .atLeast
                s = s.dropFirst()
            }
            s = s.drop { $0 == " " }
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return .failure(.unreadable) }
            guard let n = Int(digits), n <= maximum else { return .failure(.tooLarge(String(digits))) }
            s = s.dropFirst(digits.count)
            // A range, "200-999": what "hundreds of" says.
            var upTo: Int?
            if qualifier == .exact, s.first == "-" {
                let high = s.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard !high.isEmpty else { return .failure(.unreadable) }
                guard let m = Int(high), m <= maximum else { return .failure(.tooLarge(String(high))) }
                guard m > n else { return .failure(.unreadable) }
                upTo = m
                s = s.dropFirst(1 + high.count)
            }
            let kind = s.trimmingCharacters(in: .whitespaces).lowercased()
            terms.append(CountTerm(count: n, kind: kind.isEmpty ? nil : kind, qualifier: upTo == nil ? qualifier : .approximate, upTo: upTo))
        }
        guard !terms.isEmpty else { return .failure(.unreadable) }
        let count = Count(terms: terms, text: text)
        guard count.total <= maximum else { return .failure(.totalTooLarge) }
        return .success(count)
    }

    /// True when the two counts cannot both be right: a kind both name has disjoint ranges, or,
    /// when either gives only a bare number, the totals' ranges are disjoint.
    public func contradicts(_ other: Count) -> Bool {
        func disjoint(_ a: ClosedRange<Double>, _ b: ClosedRange<Double>) -> Bool { a.upperBound < b.lowerBound || b.upperBound < a.lowerBound }
        for term in terms {
            guard let kind = term.kind, let theirs = other.count(of: kind) else { continue }
            if disjoint(term.range, theirs.range) { return true }
        }
        // Totals are compared when both are bare numbers, or one is bare and the other a full
        // breakdown (two or more kinds); "~600" against "~250 militants" compares nothing.
        func bare(_ c: Count) -> Bool { c.terms.allSatisfy { $0.kind == nil } }
        if (bare(self) && bare(other)) || (bare(self) && other.terms.count > 1) || (bare(other) && terms.count > 1) {
            func totalRange(_ c: Count) -> ClosedRange<Double> {
                c.terms.reduce(0.0...0.0) { ($0.lowerBound + $1.range.lowerBound)...min(Double.greatestFiniteMagnitude, $0.upperBound + $1.range.upperBound) }
            }
            return disjoint(totalRange(self), totalRange(other))
        }
        return false
    }
}

/// The 16 compass points and their azimuths, plus spelled-out names ("east", "north-east").
enum Compass {
    static let points = ["n", "nne", "ne", "ene", "e", "ese", "se", "sse", "s", "ssw", "sw", "wsw", "w", "wnw", "nw", "nnw"]

    static func azimuth(_ word: String) -> Double? {
        var w = word.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: " ", with: "")
        for (long, short) in [("north", "n"), ("south", "s"), ("east", "e"), ("west", "w")] {
            w = w.replacingOccurrences(of: long, with: short)
        }
        guard let index = points.firstIndex(of: w) else { return nil }
        return Double(index) * 22.5
    }
}

/// Where a row places the unit, as written. Place names are resolved separately.
public enum LocationExpression: Sendable, Hashable, CustomStringConvertible {
    /// An empty location: the row reports status, counts and sources only.
    case unstated
    /// `at PLACE`, or a bare place name.
    case at(String)
    /// `near PLACE [within N km]`.
    case near(String, radius: Double?)
    /// `between PLACE and PLACE`.
    case between(String, String)
    /// `N km DIRECTION of PLACE` or `DIRECTION of PLACE [within N km]` (distance unknown).
    case offset(distance: Double?, azimuth: Double, direction: String, place: String, within: Double?)
    /// `toward PLACE`: somewhere on the way from the unit's previous position to PLACE.
    case toward(String)
    /// `in AREA` / `inside AREA`: somewhere within a governorate, district or region.
    case inside(String)
    /// `LAT,LON [within N km]`.
    case coordinate(GeoPoint, radius: Double?)

    /// The place names the expression refers to, in order.
    public var placeNames: [String] {
        switch self {
        case .unstated, .coordinate: []
        case .at(let p), .near(let p, _), .toward(let p), .inside(let p): [p]
        case .between(let a, let b): [a, b]
        case .offset(_, _, _, let p, _): [p]
        }
    }

    public var description: String {
        switch self {
        case .unstated: ""
        case .at(let p): "at \(p)"
        case .near(let p, let r): "near \(p)" + (r.map { " within \(LocationExpression.km($0)) km" } ?? "")
        case .between(let a, let b): "between \(a) and \(b)"
        case .offset(let d, _, let dir, let p, let w):
            (d.map { "\(LocationExpression.km($0)) km " } ?? "") + "\(dir) of \(p)" + (w.map { " within \(LocationExpression.km($0)) km" } ?? "")
        case .toward(let p): "toward \(p)"
        case .inside(let p): "in \(p)"
        case .coordinate(let g, let r): "\(g.latitude),\(g.longitude)" + (r.map { " within \(LocationExpression.km($0)) km" } ?? "")
        }
    }

    /// Kilometres as the log writes them: `38`, `2.5`. Never traps (a whole number too large for
    /// `Int` is written as a `Double`; a log's distances are at most ``maximumDistance``).
    static func km(_ metres: Double) -> String {
        let v = metres / 1000
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }

    /// The largest distance a log may give (`within N km`, `N km DIRECTION of`): 20,000 km, about
    /// half the Earth's circumference (the farthest two points are 20,004 km apart); no report's
    /// distance is larger, so a larger one is a typo.
    public static let maximumDistance = 20_000_000.0

    /// Default extent of `DIRECTION of PLACE` when the report gives no distance (documented in docs/route.md).
    public static let defaultDirectionExtent = 50_000.0
    /// Default radius of `near PLACE` without `within`.
    public static let defaultNearRadius = 10_000.0

    /// Parses the grammar documented in docs/route.md. Returns nil with a reason when it cannot.
    public static func parse(_ raw: String) -> Result<LocationExpression, LocationParseError> {
        do { return try parseThrowing(raw) } catch { return .failure(error) }
    }

    private static func parseThrowing(_ raw: String) throws(LocationParseError) -> Result<LocationExpression, LocationParseError> {
        var text = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard !text.isEmpty else { return .success(.unstated) }
        var within: Double?
        if let range = text.range(of: " within ", options: [.caseInsensitive, .backwards]) {
            let tail = text[range.upperBound...]
            guard let metres = try parseKilometres(String(tail)) else {
                return .failure(LocationParseError(message: "\"within \(tail)\": expected a distance like \"within 20 km\""))
            }
            within = metres
            text = String(text[..<range.lowerBound])
        }
        let lower = text.lowercased()
        func rest(after prefix: String) -> String { String(text.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) }
        if let point = GeoPoint(parsing: Substring(text)) { return .success(.coordinate(point, radius: within)) }
        let parts = text.split(separator: ",")
        if parts.count == 2, let lat = Double(parts[0].trimmingCharacters(in: .whitespaces)), let lon = Double(parts[1].trimmingCharacters(in: .whitespaces)) {
            do { _ = try GeoPoint(latitude: lat, longitude: lon) } catch { return .failure(LocationParseError(message: "coordinates \(text): \(error.description)")) }
        }
        if lower.hasPrefix("at ") { return noWithin(.at(rest(after: "at ")), within) }
        if lower.hasPrefix("near ") { return .success(.near(rest(after: "near "), radius: within)) }
        if lower.hasPrefix("inside ") { return noWithin(.inside(rest(after: "inside ")), within) }
        if lower.hasPrefix("in ") { return noWithin(.inside(rest(after: "in ")), within) }
        if lower.hasPrefix("towards ") { return noWithin(.toward(rest(after: "towards ")), within) }
        if lower.hasPrefix("toward ") { return noWithin(.toward(rest(after: "toward ")), within) }
        if lower.hasPrefix("between ") {
            let body = rest(after: "between ")
            guard let and = body.range(of: " and ", options: .caseInsensitive) else {
                return .failure(LocationParseError(message: "\"\(text)\": expected \"between PLACE and PLACE\""))
            }
            let a = body[..<and.lowerBound].trimmingCharacters(in: .whitespaces), b = body[and.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !a.isEmpty, !b.isEmpty else { return .failure(LocationParseError(message: "\"\(text)\": expected \"between PLACE and PLACE\"")) }
            return noWithin(.between(a, b), within)
        }
        if let of = lower.range(of: " of ") {
            let head = String(text[..<of.lowerBound]), place = String(text[of.upperBound...]).trimmingCharacters(in: .whitespaces)
            let words = head.split(separator: " ").map(String.init)
            var distance: Double?
            var directionWords = words
            if words.count >= 3, words[1].lowercased() == "km", let n = Double(words[0]) {
                distance = try checkedDistance(n, written: words[0])
                directionWords = Array(words.dropFirst(2))
            } else if words.count >= 2, words[0].lowercased().hasSuffix("km"), let n = Double(words[0].dropLast(2)) {
                distance = try checkedDistance(n, written: String(words[0].dropLast(2)))
                directionWords = Array(words.dropFirst())
            }
            let direction = directionWords.joined(separator: " ")
            if let azimuth = Compass.azimuth(direction), !place.isEmpty {
                return .success(.offset(distance: distance, azimuth: azimuth, direction: direction, place: place, within: within))
            }
            if distance != nil {
                return .failure(LocationParseError(message: "\"\(direction)\" is not a compass direction (north, ESE, south-west, …)"))
            }
        }
        if let first = lower.split(separator: " ").first, ["around", "from", "to"].contains(String(first)) {
            return .failure(LocationParseError(message: "\"\(text)\": a location is at / near / between … and … / N km DIRECTION of / toward PLACE, or LAT,LON"))
        }
        return noWithin(.at(text), within)
    }

    private static func noWithin(_ e: LocationExpression, _ within: Double?) -> Result<LocationExpression, LocationParseError> {
        if within != nil { return .failure(LocationParseError(message: "\"within\" only goes with near PLACE, DIRECTION of PLACE, or LAT,LON")) }
        return .success(e)
    }

    /// The metres of `N km`, or nil when `s` is not a distance.
    /// - Throws: when it is a distance beyond ``maximumDistance`` (or not a finite positive number).
    static func parseKilometres(_ s: String) throws(LocationParseError) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        guard t.hasSuffix("km") else { return nil }
        let number = t.dropLast(2).trimmingCharacters(in: .whitespaces)
        guard let v = Double(number) else { return nil }
        return try checkedDistance(v, written: number)
    }

    /// `km` in metres, when it is a distance the log accepts: finite, not negative, at most ``maximumDistance``.
    static func checkedDistance(_ value: Double, written: String) throws(LocationParseError) -> Double {
        guard value.isFinite, value >= 0 else { throw LocationParseError(message: "\"\(written) km\": a distance is a positive number of kilometres") }
        guard value * 1000 <= maximumDistance else {
            throw LocationParseError(message: "\"\(written) km\" is more than \(km(maximumDistance)) km (half the Earth's circumference), the largest distance the log accepts")
        }
        return value * 1000
    }
}

/// Why a location expression could not be read.
public struct LocationParseError: Error, Sendable, Hashable {
    public let message: String
}

/// What a row rests on: a report (a file in `seeds/` or a URL) and the words quoted from it.
public struct Citation: Sendable, Hashable, Codable {
    public let source: String
    public let quote: String

    public init(source: String, quote: String) {
        self.source = source
        self.quote = quote
    }
}

/// A gazetteer place as the route model uses it.
public struct RoutePlace: Sendable, Hashable {
    public let id: String
    public let name: String
    public let point: GeoPoint
    /// The place's own radius (metres) that contains its true location.
    public let uncertainty: Double
    /// Other places the same name also resolves to (ids), when it was ambiguous.
    public let alternatives: [String]

    public init(id: String, name: String, point: GeoPoint, uncertainty: Double, alternatives: [String] = []) {
        self.id = id
        self.name = name
        self.point = point
        self.uncertainty = uncertainty
        self.alternatives = alternatives
    }

    public init(_ place: Place, alternatives: [String] = []) {
        self.init(id: place.id, name: place.name, point: place.location, uncertainty: place.uncertaintyMeters, alternatives: alternatives)
    }
}

/// One row of the update log, checked and with its places resolved.
public struct Observation: Sendable, Hashable {
    /// File (as shown to the user) and 1-based line the row starts on.
    public let file: String
    public let line: Int
    public let time: ObservationTime
    public let convoy: String
    public let unit: String
    /// The unit this one split from (set on a child unit's rows).
    public let parent: String?
    public let location: LocationExpression
    /// The resolved places of `location`, in the order named.
    public let places: [RoutePlace]
    public let status: ConvoyStatus
    public let vehicles: Count?
    public let people: Count?
    public let citation: Citation
    public let note: String?
    /// A road id from roads.geojson to travel on to reach this row's position; `none` forbids roads.
    public let road: String?
    /// The `max_speed_kmh` column: the fastest this unit (and the units split from it that set none
    /// of their own) can move, km/h; nil when the row sets none. One value per unit (docs/route.md).
    public let maxSpeedKmh: Double?

    public init(
        file: String, line: Int, time: ObservationTime, convoy: String, unit: String, parent: String?, location: LocationExpression,
        places: [RoutePlace], status: ConvoyStatus, vehicles: Count?, people: Count?, citation: Citation, note: String?, road: String?,
        maxSpeedKmh: Double? = nil
    ) {
        self.file = file
        self.line = line
        self.time = time
        self.convoy = convoy
        self.unit = unit
        self.parent = parent
        self.location = location
        self.places = places
        self.status = status
        self.vehicles = vehicles
        self.people = people
        self.citation = citation
        self.note = note
        self.road = road
        self.maxSpeedKmh = maxSpeedKmh
    }

    /// `file:line`, for messages.
    public var origin: String { "\(file):\(line)" }
}
