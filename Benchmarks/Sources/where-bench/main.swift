// where-bench: cost of a `where` position query over a long synthetic track.
//
//   cd Benchmarks && swift build -c release --scratch-path ../.build-bench-where
//   ../.build-bench-where/release/where-bench [--observations 100000] [--queries 1000000]
//
// The track is a synthetic unit moving across Syria and Iraq: one observation every 10 minutes
// (`LAT,LON` positions, so no gazetteer is needed), with a halt every 50th row. Queries are uniformly
// random instants over the track's span (fixed seed). What is timed is `UnitTrack.position(at:)`:
// two binary searches and one PROJ geodesic position — the per-query work of `convoy where`
// without the nearest-place lookup.
import ArgumentParser
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoute
import Foundation

struct NoPlaces: PlaceResolving {
    func routePlaces(for text: String) throws -> PlaceLookup { .notFound(suggestions: []) }
}

/// A small deterministic generator (SplitMix64), so runs are comparable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@main
struct WhereBench: ParsableCommand {
    @Option var observations = 100_000
    @Option var queries = 1_000_000

    func run() throws {
        var rng = SplitMix64(state: 42)
        let start = 1_503_878_400.0  // 2017-08-28T00:00Z
        var rows: [RawRow] = []
        rows.reserveCapacity(observations)
        var lat = 34.15, lon = 36.74
        let formatter = ISO8601DateFormatter()
        for i in 0..<observations {
            lat = min(36.5, max(32.5, lat + Double.random(in: -0.01...0.01, using: &rng)))
            lon = min(42.0, max(36.0, lon + Double.random(in: -0.004...0.012, using: &rng)))
            let time = formatter.string(from: Date(timeIntervalSince1970: start + Double(i) * 600))
            let fields: [String: String] = [
                "time": time, "convoy": "synthetic", "location": String(format: "%.5f,%.5f", lat, lon),
                "status": i % 50 == 0 ? "halted" : "moving", "source": "synthetic", "quote": "row \(i)",
            ]
            rows.append(RawRow(line: i + 2, fields: fields.mapValues { CSVField(text: $0, line: i + 2, column: 1) }))
        }
        let clock = ContinuousClock()
        var log: UpdateLog?
        let checkTime = try clock.measure {
            log = try UpdateLog.check(rows: rows, file: "synthetic.csv", zone: TimeZone(secondsFromGMT: 0)!, places: NoPlaces())
        }
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        func residentBytes() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8), let pages = Int(text.split(separator: " ")[1]) else { return 0 }
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
        // The space-time model (docs/route.md): the rows are positions off any road, so the unit's
        // space is the chain of geodesic legs between them.
        let before = residentBytes()
        var model: ConvoyModel?
        let buildTime = clock.measure { model = ConvoyModel(log: log!, roads: NetworkSpace.Builder().build()) }
        let after = residentBytes()
        let unit = model!.units[0]
        let first = unit.prism.firstStart, span = unit.prism.lastEnd - first
        var times: [Double] = []
        times.reserveCapacity(queries)
        for _ in 0..<queries { times.append(first + Double.random(in: 0...span, using: &rng)) }
        var checksum = 0.0
        let queryTime = clock.measure {
            for t in times {
                if let p = unit.position(at: t) { checksum += p.point.latitude + p.uncertainty * 1e-9 + { if case .chain(let lo, let hi) = p.feasible { return hi - lo } else { return 0 } }() }
            }
        }
        let perQuery = seconds(queryTime) / Double(queries)
        print("observations      \(observations) (journey \(String(format: "%.0f", unit.journey.knotMeasures.last! / 1000)) km, chain space: \(unit.space.chain != nil))")
        print("check log         \(String(format: "%.2f", seconds(checkTime))) s")
        print("build model       \(String(format: "%.2f", seconds(buildTime))) s, \(String(format: "%.0f", Double(after - before) / Double(observations))) bytes/row resident")
        print("queries           \(queries) in \(String(format: "%.3f", seconds(queryTime))) s")
        print("per query         \(String(format: "%.3f", perQuery * 1e6)) µs  (\(String(format: "%.0f", 1 / perQuery)) queries/s; feasible set + estimate + uncertainty)")
        print("checksum          \(String(format: "%.6f", checksum))")
    }
}
