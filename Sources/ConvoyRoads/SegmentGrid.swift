import ConvoyGeodesy
import Foundation

/// A uniform grid over the bounding boxes of every edge segment, in degrees: the spatial index
/// behind ``RoadGraph/locate(_:within:)``. Chosen over an R-tree because the segments of a road
/// file are short and evenly spread: one cell size fits them, a query reads a few cells, and the
/// grid is two flat arrays built in one pass (compressed rows: cell → segment ids).
///
/// A geodesic segment bulges poleward of the straight lon/lat line between its ends (by about
/// L²·tan φ / 8R, 1.4 km for a 100 km segment at 35° N), so each box is padded by that bound.
struct SegmentGrid: Sendable {
    let south: Double, west: Double
    /// Cell size in degrees (latitude and longitude alike).
    let cell: Double
    let rows: Int, columns: Int
    /// `cellStart[c]..<cellStart[c + 1]` indexes `cellSegments` for cell `c = row * columns + column`.
    let cellStart: [Int32]
    let cellSegments: [Int32]
    /// Segment id → (edge, segment index within the edge's geometry).
    let segmentEdge: [Int32]
    let segmentIndex: [Int32]
    /// Padded boxes, per segment: south, west, north, east.
    let boxes: [(Double, Double, Double, Double)]
    /// A lower bound on metres per degree of longitude anywhere in the grid (at its highest latitude).
    let metresPerDegreeLongitude: Double
    static let metresPerDegreeLatitude = 110_574.0

    init(edges: [RoadEdge]) {
        var boxes: [(Double, Double, Double, Double)] = []
        var segmentEdge: [Int32] = [], segmentIndex: [Int32] = []
        for (e, edge) in edges.enumerated() {
            let g = edge.geometry
            for i in 0..<g.segmentCount {
                let a = g.points[i], b = g.points[i + 1]
                let length = g.cumulative[i + 1] - g.cumulative[i]
                let latitude = min(85, max(abs(a.latitude), abs(b.latitude)))
                let bulge = length * length * (1 + tan(latitude * .pi / 180)) / (8 * 6_356_752) + 1
                let padLat = bulge / Self.metresPerDegreeLatitude
                let padLon = bulge / (111_320 * cos(latitude * .pi / 180))
                boxes.append((min(a.latitude, b.latitude) - padLat, min(a.longitude, b.longitude) - padLon, max(a.latitude, b.latitude) + padLat, max(a.longitude, b.longitude) + padLon))
                segmentEdge.append(Int32(e))
                segmentIndex.append(Int32(i))
            }
        }
        let south = boxes.map(\.0).min() ?? 0, west = boxes.map(\.1).min() ?? 0
        let north = boxes.map(\.2).max() ?? 0, east = boxes.map(\.3).max() ?? 0
        // About two segments per cell on average, within 0.005°–2°, and at most ~4 million cells.
        let area = max((north - south) * (east - west), 1e-9)
        var cell = min(2, max(0.005, (area / Double(max(boxes.count, 1)) * 2).squareRoot()))
        while ((north - south) / cell + 1) * ((east - west) / cell + 1) > 4_000_000 { cell *= 2 }
        let rows = max(1, Int(((north - south) / cell).rounded(.down)) + 1)
        let columns = max(1, Int(((east - west) / cell).rounded(.down)) + 1)
        func rowRange(_ b: (Double, Double, Double, Double)) -> ClosedRange<Int> {
            max(0, Int((b.0 - south) / cell))...min(rows - 1, Int((b.2 - south) / cell))
        }
        func columnRange(_ b: (Double, Double, Double, Double)) -> ClosedRange<Int> {
            max(0, Int((b.1 - west) / cell))...min(columns - 1, Int((b.3 - west) / cell))
        }
        var counts = [Int32](repeating: 0, count: rows * columns + 1)
        for b in boxes {
            for r in rowRange(b) { for c in columnRange(b) { counts[r * columns + c + 1] += 1 } }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var fill = counts
        var cellSegments = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for (s, b) in boxes.enumerated() {
            for r in rowRange(b) {
                for c in columnRange(b) {
                    cellSegments[Int(fill[r * columns + c])] = Int32(s)
                    fill[r * columns + c] += 1
                }
            }
        }
        let highest = min(89, max(abs(south), abs(north)))
        self.south = south
        self.west = west
        self.cell = cell
        self.rows = rows
        self.columns = columns
        self.cellStart = counts
        self.cellSegments = cellSegments
        self.segmentEdge = segmentEdge
        self.segmentIndex = segmentIndex
        self.boxes = boxes
        metresPerDegreeLongitude = 111_320 * cos(highest * .pi / 180)
    }

    /// A lower bound on the distance in metres from `p` to anything in box `b`.
    func lowerBound(_ p: GeoPoint, _ b: (Double, Double, Double, Double)) -> Double {
        let dLat = max(b.0 - p.latitude, 0, p.latitude - b.2)
        let dLon = max(b.1 - p.longitude, 0, p.longitude - b.3)
        return max(dLat * Self.metresPerDegreeLatitude, dLon * metresPerDegreeLongitude)
    }

    /// Visits segments in rings of cells around `p`, nearest rings first, until nothing unseen can be
    /// nearer than `best()` (or than `limit`). `visit` gets segment ids, each once.
    func search(near p: GeoPoint, limit: Double, best: () -> Double, visit: (Int) -> Void) {
        guard !boxes.isEmpty else { return }
        let r0 = min(rows - 1, max(0, Int(((p.latitude - south) / cell).rounded(.down))))
        let c0 = min(columns - 1, max(0, Int(((p.longitude - west) / cell).rounded(.down))))
        var seen = Set<Int32>()
        var k = 0
        while true {
            let rLow = r0 - k, rHigh = r0 + k, cLow = c0 - k, cHigh = c0 + k
            for r in max(0, rLow)...min(rows - 1, rHigh) {
                let ring = r == rLow || r == rHigh
                for c in max(0, cLow)...min(columns - 1, cHigh) where ring || c == cLow || c == cHigh {
                    let cellIndex = r * columns + c
                    for i in Int(cellStart[cellIndex])..<Int(cellStart[cellIndex + 1]) {
                        let s = cellSegments[i]
                        if seen.insert(s).inserted { visit(Int(s)) }
                    }
                }
            }
            // Unseen segments lie wholly outside the searched square: bound their distance by its sides.
            var bound = Double.infinity
            if rLow > 0 { bound = min(bound, (p.latitude - (south + Double(rLow) * cell)) * Self.metresPerDegreeLatitude) }
            if rHigh < rows - 1 { bound = min(bound, (south + Double(rHigh + 1) * cell - p.latitude) * Self.metresPerDegreeLatitude) }
            if cLow > 0 { bound = min(bound, (p.longitude - (west + Double(cLow) * cell)) * metresPerDegreeLongitude) }
            if cHigh < columns - 1 { bound = min(bound, (west + Double(cHigh + 1) * cell - p.longitude) * metresPerDegreeLongitude) }
            if bound == .infinity || bound > limit || bound >= best() { return }
            k += 1
        }
    }
}
