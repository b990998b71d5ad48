import ConvoyGeodesy

/// A track as map viewers will draw it: the unit's vertices with densified geodesic legs between
/// them, each point timed by constant speed along its leg. Computed on the fly, twice if needed
/// (coordinates, then times), so memory does not grow with the number of drawn points.
struct DrawnTrack {
    let track: ExportTrack
    let tolerance: Double
    /// Geodesic length along the track in metres (densified points lie on the same geodesics).
    let length: Double
    /// The extra points of the few legs that need them, by leg index: one geodesic inverse per leg is
    /// done here, once, so the writers' passes over the track do no geodesic work.
    private let inner: [Int: [GeoPoint]]

    init(track: ExportTrack, tolerance: Double) {
        self.track = track
        self.tolerance = tolerance
        var length = 0.0
        var inner: [Int: [GeoPoint]] = [:]
        for index in track.vertices.indices.dropFirst() {
            let a = track.vertices[index - 1].point, b = track.vertices[index].point
            let leg = Geodesic.inverse(from: a, to: b).distance
            length += leg
            let points = Densify.intermediatePoints(from: a, to: b, tolerance: tolerance, length: leg)
            if !points.isEmpty { inner[index] = points }
        }
        self.length = length
        self.inner = inner
    }

    /// Calls `body` with every drawn vertex, in order. Times are whole milliseconds and strictly
    /// increase (a vertex less than a millisecond after the one before is moved to 1 ms after it), so
    /// every format's time list is valid as written.
    func forEachVertex(_ body: (TrackVertex) throws -> Void) rethrows {
        guard let first = track.vertices.first else { return }
        var lastTime = -Double.infinity
        func emit(_ time: Double, _ point: GeoPoint) throws {
            let t = max((time * 1000).rounded() / 1000, lastTime + 0.001)
            lastTime = t
            try body(TrackVertex(time: t, point: point))
        }
        try emit(first.time, first.point)
        var previous = first
        for (leg, vertex) in track.vertices.enumerated().dropFirst() {
            if let points = inner[leg] {
                let count = Double(points.count + 1)
                for (index, point) in points.enumerated() {
                    try emit(previous.time + (vertex.time - previous.time) * Double(index + 1) / count, point)
                }
            }
            try emit(vertex.time, vertex.point)
            previous = vertex
        }
    }

    /// The box around every drawn point: [west, south, east, north].
    var bounds: (west: Double, south: Double, east: Double, north: Double)? {
        var box: (west: Double, south: Double, east: Double, north: Double)?
        forEachVertex { v in
            let p = v.point
            if let b = box {
                box = (min(b.west, p.longitude), min(b.south, p.latitude), max(b.east, p.longitude), max(b.north, p.latitude))
            } else {
                box = (p.longitude, p.latitude, p.longitude, p.latitude)
            }
        }
        return box
    }
}
