// where-batch-bench: `UnitTrack.position(at:)` over a track and query times written by
// Benchmarks/peers/workloads.py, so that convoy and its Python peers answer the same queries.
//
//   where-batch-bench TRACK.csv QUERIES.f64 OUT.f64 [SAMPLE]
//
// TRACK.csv: `unix_seconds,lat,lon` after a header (one observation per line, status `moving`).
// QUERIES.f64: little-endian float64 unix times. OUT.f64: lat, lon of the first SAMPLE queries
// (default 20000) for the comparison with the peers. Prints one JSON line on stdout.
// The track's path is the GeodesicPath through every observation (a road-like polyline with as
// many vertices as observations); positions are geodesic (PROJ), as in `convoy where`.
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoute
import Foundation

struct NoPlaces: PlaceResolving {
    func routePlaces(for text: String) throws -> PlaceLookup { .notFound(suggestions: []) }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: where-batch-bench TRACK.csv QUERIES.f64 OUT.f64 [SAMPLE]\n".utf8))
    exit(2)
}
let sample = arguments.count > 4 ? Int(arguments[4])! : 20_000
let clock = ContinuousClock()
let readStart = clock.now
let text = try String(contentsOfFile: arguments[1], encoding: .utf8)
var rows: [RawRow] = []
let formatter = ISO8601DateFormatter()
for (n, line) in text.split(separator: "\n").dropFirst().enumerated() {
    let parts = line.split(separator: ",")
    let time = formatter.string(from: Date(timeIntervalSince1970: Double(parts[0])!))
    let fields: [String: String] = [
        "time": time, "convoy": "synthetic", "location": "\(parts[1]),\(parts[2])",
        "status": "moving", "source": "synthetic", "quote": "row \(n)",
    ]
    rows.append(RawRow(line: n + 2, fields: fields.mapValues { CSVField(text: $0, line: n + 2, column: 1) }))
}
let queryData = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
let times: [Double] = queryData.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
let readTime = clock.now - readStart

var log: UpdateLog?
let checkTime = try clock.measure {
    log = try UpdateLog.check(rows: rows, file: "track.csv", zone: TimeZone(secondsFromGMT: 0)!, places: NoPlaces())
}
var model: ConvoyModel?
let buildTime = clock.measure { model = ConvoyModel(log: log!, roads: NetworkSpace.Builder().build()) }
let track = model!.units[0]

var checksum = 0.0
var missing = 0
let queryTime = clock.measure {
    for t in times {
        if let p = track.position(at: t) { checksum += p.point.latitude + p.uncertainty * 1e-9 } else { missing += 1 }
    }
}
// The sample for the comparison (outside the timed loop).
var out: [Double] = []
out.reserveCapacity(2 * min(sample, times.count))
for t in times.prefix(sample) {
    let p = track.position(at: t)!
    out.append(p.point.latitude)
    out.append(p.point.longitude)
}
try out.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: arguments[3])) }

let result: [String: Any] = [
    "observations": rows.count, "path_vertices": track.space.points.count,
    "path_km": (track.journey.knotMeasures.last! / 1000).rounded(), "queries": times.count, "missing": missing,
    "read_s": seconds(readTime), "check_s": seconds(checkTime), "build_s": seconds(buildTime),
    "query_s": seconds(queryTime), "per_query_us": seconds(queryTime) / Double(times.count) * 1e6,
    "checksum": checksum,
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
