// geodesic-bench: `Geodesic.inverse` over point pairs written by Benchmarks/peers/workloads.py.
//
//   geodesic-bench PAIRS.f64 OUT.f64
//
// PAIRS.f64: little-endian float64, four arrays of N one after another: lat1, lon1, lat2, lon2.
// OUT.f64: the N distances (metres), then the N initial and N final azimuths (degrees).
// What is timed: making the GeoPoints (range-checked) and solving the inverse problem with
// PROJ's geod_inverse, one pair at a time — what a caller of convoy's library does.
// Prints one JSON line on stdout.
import ConvoyGeodesy
import Foundation

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: geodesic-bench PAIRS.f64 OUT.f64\n".utf8))
    exit(2)
}
let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let values: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
let n = values.count / 4
var distance = [Double](repeating: 0, count: n)
var azimuth1 = [Double](repeating: 0, count: n)
var azimuth2 = [Double](repeating: 0, count: n)
let clock = ContinuousClock()
let elapsed = try clock.measure {
    for i in 0..<n {
        let a = try GeoPoint(latitude: values[i], longitude: values[n + i])
        let b = try GeoPoint(latitude: values[2 * n + i], longitude: values[3 * n + i])
        let g = Geodesic.inverse(from: a, to: b)
        distance[i] = g.distance
        azimuth1[i] = g.initialAzimuth
        azimuth2[i] = g.finalAzimuth
    }
}
try (distance + azimuth1 + azimuth2).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: arguments[2])) }
let result: [String: Any] = [
    "pairs": n, "seconds": seconds(elapsed), "per_pair_us": seconds(elapsed) / Double(n) * 1e6,
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
