import ConvoyGeodesy
import Foundation

/// A stretch of one edge of a ``NetworkSpace``: the offsets `lo ... hi` (metres from its `from` vertex).
public struct EdgeInterval: Sendable, Hashable {
    public let edge: Int32
    public let lo: Double
    public let hi: Double

    public init(edge: Int32, lo: Double, hi: Double) {
        self.edge = edge
        self.lo = lo
        self.hi = hi
    }

    public var length: Double { hi - lo }
}

/// A set of positions of a space: disjoint intervals sorted by edge then offset. Every answer of the
/// route model (where a unit can be) and every region of a report (where it was seen) is one.
public struct SpaceSet: Sendable, Hashable {
    public let intervals: [EdgeInterval]

    public static let empty = SpaceSet(normalizing: [])

    /// Sorts, clamps nothing, and merges intervals of an edge that overlap or touch.
    public init(normalizing raw: [EdgeInterval]) {
        let sorted = raw.filter { $0.hi >= $0.lo }.sorted { ($0.edge, $0.lo) < ($1.edge, $1.lo) }
        var merged: [EdgeInterval] = []
        merged.reserveCapacity(sorted.count)
        for interval in sorted {
            if let last = merged.last, last.edge == interval.edge, interval.lo <= last.hi {
                merged[merged.count - 1] = EdgeInterval(edge: last.edge, lo: last.lo, hi: max(last.hi, interval.hi))
            } else {
                merged.append(interval)
            }
        }
        intervals = merged
    }

    /// Already sorted and disjoint (the caller guarantees it).
    init(sorted: [EdgeInterval]) {
        intervals = sorted
    }

    public var isEmpty: Bool { intervals.isEmpty }

    /// Total length of road (and off-network leg) in the set, metres.
    public var length: Double { intervals.reduce(0) { $0 + $1.length } }

    public func union(_ other: SpaceSet) -> SpaceSet { SpaceSet(normalizing: intervals + other.intervals) }

    /// The positions in both sets.
    public func intersection(_ other: SpaceSet) -> SpaceSet {
        var result: [EdgeInterval] = []
        var i = 0, j = 0
        let a = intervals, b = other.intervals
        while i < a.count, j < b.count {
            if a[i].edge != b[j].edge {
                if a[i].edge < b[j].edge { i += 1 } else { j += 1 }
                continue
            }
            let lo = max(a[i].lo, b[j].lo), hi = min(a[i].hi, b[j].hi)
            if lo <= hi { result.append(EdgeInterval(edge: a[i].edge, lo: lo, hi: hi)) }
            if a[i].hi < b[j].hi { i += 1 } else { j += 1 }
        }
        return SpaceSet(sorted: result)
    }

    /// The positions of this set not in `other` (the cut ends belong to neither's interior, so the
    /// result keeps them).
    public func subtracting(_ other: SpaceSet) -> SpaceSet {
        var result: [EdgeInterval] = []
        for interval in intervals {
            var pieces = [(interval.lo, interval.hi)]
            for o in other.intervals where o.edge == interval.edge {
                pieces = pieces.flatMap { lo, hi -> [(Double, Double)] in
                    guard o.hi > lo, o.lo < hi else { return [(lo, hi)] }
                    return [(lo, o.lo), (o.hi, hi)].filter { $0.1 > $0.0 }
                }
            }
            result += pieces.map { EdgeInterval(edge: interval.edge, lo: $0.0, hi: $0.1) }
        }
        return SpaceSet(normalizing: result)
    }

    /// True when `position` lies in the set, allowing `tolerance` metres.
    public func contains(_ position: SpacePosition, tolerance: Double = 0) -> Bool {
        intervals.contains { $0.edge == position.edge && position.offset >= $0.lo - tolerance && position.offset <= $0.hi + tolerance }
    }

    /// The set's intervals grouped into connected stretches: intervals that meet at a shared vertex
    /// (each reaching the end of its edge there) belong to one stretch.
    public func stretches(in space: NetworkSpace, tolerance: Double = 0.5) -> [SpaceSet] {
        guard !intervals.isEmpty else { return [] }
        var parent = Array(intervals.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        var atVertex: [Int32: Int] = [:]
        for (index, interval) in intervals.enumerated() {
            let edge = space.edges[Int(interval.edge)]
            var ends: [Int32] = []
            if interval.lo <= tolerance { ends.append(edge.from) }
            if interval.hi >= edge.length - tolerance { ends.append(edge.to) }
            for vertex in ends {
                if let other = atVertex[vertex] { parent[find(index)] = find(other) } else { atVertex[vertex] = index }
            }
        }
        var groups: [Int: [EdgeInterval]] = [:]
        var order: [Int] = []
        for index in intervals.indices {
            let root = find(index)
            if groups[root] == nil { order.append(root) }
            groups[root, default: []].append(intervals[index])
        }
        return order.map { SpaceSet(sorted: groups[$0]!) }
    }
}

/// A region of the Earth a report puts a unit in, before it is laid on the network.
public enum Region: Sendable, Hashable {
    /// Within `radius` metres of `center` (geodesic distance).
    case disc(center: GeoPoint, radius: Double)
    /// In direction `azimuth` ± `halfWidth` degrees from a point known to within `apexRadius`, at a
    /// geodesic distance between `nearest` and `farthest` (metres; `farthest` may be infinite).
    /// A point is inside when it could be so from some point of the apex's disc.
    case sector(apex: GeoPoint, apexRadius: Double, azimuth: Double, halfWidth: Double, nearest: Double, farthest: Double)
    /// Within a latitude/longitude box (west ≤ east; no box crosses the antimeridian).
    case box(south: Double, west: Double, north: Double, east: Double)

    public func contains(_ point: GeoPoint) -> Bool {
        switch self {
        case .disc(let center, let radius):
            return Geodesic.inverse(from: center, to: point).distance <= radius
        case .sector(let apex, let apexRadius, let azimuth, let halfWidth, let nearest, let farthest):
            let inverse = Geodesic.inverse(from: apex, to: point)
            let d = inverse.distance
            if d <= apexRadius { return true }
            guard d >= nearest - apexRadius, d <= farthest + apexRadius else { return false }
            // Seen from elsewhere in the apex's disc the bearing can differ by up to asin(r/d).
            let widening = asin(min(1, apexRadius / d)) * 180 / .pi
            return Region.angle(between: inverse.initialAzimuth, and: azimuth) <= halfWidth + widening
        case .box(let south, let west, let north, let east):
            return point.latitude >= south && point.latitude <= north && point.longitude >= west && point.longitude <= east
        }
    }

    /// The smallest angle between two azimuths, degrees in [0, 180].
    static func angle(between a: Double, and b: Double) -> Double {
        let d = abs((a - b).truncatingRemainder(dividingBy: 360))
        return d > 180 ? 360 - d : d
    }

    /// A latitude/longitude box that holds the region (generous; nil when it is most of the globe).
    var bounds: LatLonBox? {
        switch self {
        case .disc(let center, let radius):
            return LatLonBox(around: center, radius: radius)
        case .sector(let apex, let apexRadius, _, _, _, let farthest):
            return farthest.isFinite ? LatLonBox(around: apex, radius: farthest + apexRadius) : nil
        case .box(let south, let west, let north, let east):
            return LatLonBox(south: south, west: west, north: north, east: east)
        }
    }

    /// The sampling step that resolves the region's shape along an edge.
    var samplingStep: Double {
        switch self {
        case .disc(_, let radius): return max(10, min(500, radius / 8))
        case .sector(_, let apexRadius, _, let halfWidth, let nearest, _):
            // The wedge is narrowest at its near end.
            let width = max(apexRadius, max(nearest, 1_000) * sin(max(halfWidth, 1) * .pi / 180))
            return max(10, min(500, width / 8))
        case .box: return 500
        }
    }
}

/// A latitude/longitude box, used to skip edges far from a region.
struct LatLonBox: Sendable, Hashable {
    var south: Double, west: Double, north: Double, east: Double

    init(south: Double, west: Double, north: Double, east: Double) {
        self.south = south
        self.west = west
        self.north = north
        self.east = east
    }

    /// A box holding every point within `radius` metres of `center` (nil when that reaches a pole
    /// or spans most longitudes).
    init?(around center: GeoPoint, radius: Double) {
        let dLat = radius / 110_000 + 0.001
        let south = center.latitude - dLat, north = center.latitude + dLat
        guard south > -89, north < 89 else { return nil }
        let cosine = cos(max(abs(south), abs(north)) * .pi / 180)
        let dLon = radius / (111_000 * cosine) + 0.001
        guard dLon < 170 else { return nil }
        self.init(south: south, west: center.longitude - dLon, north: north, east: center.longitude + dLon)
    }

    func intersects(_ other: LatLonBox) -> Bool {
        guard south <= other.north, other.south <= north else { return false }
        // Longitudes may run past ±180 on either box: compare modulo 360.
        for shift in [-360.0, 0, 360] where west + shift <= other.east && other.west <= east + shift { return true }
        return false
    }
}

extension NetworkSpace {
    /// A box around each edge (its vertices, widened for the geodesic's bulge).
    func edgeBox(_ index: Int) -> LatLonBox {
        let edge = edges[index]
        let first = Int(edge.firstSegment)
        var lats = [points[Int(edge.to)].latitude], lons = [points[Int(edge.to)].longitude]
        for s in first..<first + Int(edge.segmentCount) {
            lats.append(segmentOrigin[s].latitude)
            lons.append(segmentOrigin[s].longitude)
        }
        // A geodesic between two vertices strays from their box by about L²/8R; allow twice that.
        var longest = 0.0
        for s in first..<first + Int(edge.segmentCount) {
            let next: Double = s + 1 < first + Int(edge.segmentCount) ? segmentOffset[s + 1] : edge.length
            longest = max(longest, next - segmentOffset[s])
        }
        let earthRadius = 6_371_000.0
        let margin: Double = (longest * longest / (4 * earthRadius) + 100) / 110_000
        let highest: Double = lats.map { abs($0) }.max()! + margin
        let cosine: Double = max(0.01, cos(min(89, highest) * .pi / 180))
        var west = lons.min()!, east = lons.max()!
        if east - west > 180 {
            // The edge crosses the antimeridian: express its box with east past 180.
            let shifted = lons.map { $0 < 0 ? $0 + 360 : $0 }
            west = shifted.min()!
            east = shifted.max()!
        }
        return LatLonBox(south: lats.min()! - margin, west: west - margin / cosine, north: lats.max()! + margin, east: east + margin / cosine)
    }

    /// The positions of the space inside `region`: each edge near it is sampled every
    /// ``Region/samplingStep`` metres (a disc is solved exactly from the nearest point of each
    /// segment), and each boundary found is refined by bisection to a metre, then widened by that
    /// metre so the set never falls short of the region.
    public func positions(in region: Region, accepting: (Edge) -> Bool = { _ in true }) -> SpaceSet {
        let bounds = region.bounds
        var found: [EdgeInterval] = []
        for index in edges.indices where accepting(edges[index]) {
            if let bounds, !edgeBox(index).intersects(bounds) { continue }
            found += intervals(ofEdge: Int32(index), in: region)
        }
        return SpaceSet(normalizing: found)
    }

    private func intervals(ofEdge index: Int32, in region: Region) -> [EdgeInterval] {
        let edge = edges[Int(index)]
        let first = Int(edge.firstSegment)
        var result: [EdgeInterval] = []
        for s in first..<first + Int(edge.segmentCount) {
            let start = segmentOffset[s]
            let end = s + 1 < first + Int(edge.segmentCount) ? segmentOffset[s + 1] : edge.length
            let length = end - start
            func at(_ d: Double) -> GeoPoint { point(at: SpacePosition(edge: index, offset: start + min(max(d, 0), length))) }
            func inside(_ d: Double) -> Bool { region.contains(at(d)) }
            func refine(_ outside: Double, _ inside: Double) -> Double {
                var out = outside, inn = inside
                while abs(out - inn) > 1 {
                    let mid = (out + inn) / 2
                    if region.contains(at(mid)) { inn = mid } else { out = mid }
                }
                return inn
            }
            if case .disc(let center, let radius) = region {
                // Distance to a point along a geodesic has one minimum: one interval at most.
                let line = GeodesicLine(from: segmentOrigin[s], to: at(length))
                let foot = line.nearestPoint(to: center)
                guard foot.distanceOff <= radius else { continue }
                let lo = inside(0) ? 0 : refine(0, foot.distanceAlong)
                let hi = inside(length) ? length : refine(length, foot.distanceAlong)
                result.append(EdgeInterval(edge: index, lo: max(0, start + lo - 1), hi: min(edge.length, start + hi + 1)))
                continue
            }
            let step = region.samplingStep
            let count = max(1, Int((length / step).rounded(.up)))
            var runStart: Double?
            var previous = 0.0
            var previousInside = false
            for k in 0...count {
                let d = length * Double(k) / Double(count)
                let isInside = inside(d)
                if isInside, !previousInside { runStart = k == 0 ? 0 : refine(previous, d) }
                if !isInside, previousInside, let from = runStart {
                    result.append(EdgeInterval(edge: index, lo: max(0, start + from - 1), hi: min(edge.length, start + refine(d, previous) + 1)))
                    runStart = nil
                }
                previous = d
                previousInside = isInside
            }
            if previousInside, let from = runStart {
                result.append(EdgeInterval(edge: index, lo: max(0, start + from - 1), hi: min(edge.length, start + length)))
            }
        }
        return result
    }
}
