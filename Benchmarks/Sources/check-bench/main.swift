// check-bench: times `convoy check`'s scan (ReportChecker) on a large text with a large gazetteer,
// in a release build. Run through Benchmarks/check/run.sh, which builds the data and runs the peer.
import ArgumentParser
import ConvoyCheck
import ConvoyGazetteer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct CheckBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-bench", abstract: "Benchmark the report checker.")

    @Option(help: "SQLite store holding the gazetteer (with a GeoNames import).") var db: String
    @Option(help: "Folder holding the bundled places.geojson.") var gazetteer: String
    @Option(help: "Text to check.") var text: String
    @Option(help: "Runs (the best is reported).") var runs = 3
    @Flag(help: "Build the index as for a small report (no up-front tokenizing of the names).") var smallInputs = false
    @Flag(help: "Mentions only: no unknown-place search (the flashtext-equivalent work).") var mentionsOnly = false

    func run() throws {
        let store = try Gazetteer(path: db, bundledDirectory: URL(fileURLWithPath: gazetteer))
        let t0 = Date()
        let index = try NameIndex(gazetteer: store, forLargeInputs: !smallInputs)
        let loadSeconds = Date().timeIntervalSince(t0)
        var best = Double.infinity
        var mentions = 0, errors = 0, warnings = 0, notes = 0, bytes = 0
        for _ in 0..<runs {
            let checker = ReportChecker(index: index, gazetteer: store, options: .init(findUnknownPlaces: !mentionsOnly))
            let source = try ReportSource.open(path: text)
            var m = 0
            let start = Date()
            let summary = try checker.check(source, format: .text, onMention: { _ in m += 1 }, onDiagnostic: { _ in })
            let seconds = Date().timeIntervalSince(start)
            best = min(best, seconds)
            mentions = m
            errors = summary.errors
            warnings = summary.warnings
            notes = summary.notes
            bytes = summary.bytes
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let result: [String: Any] = [
            "tool": mentionsOnly ? "convoy (mentions only)" : "convoy check",
            "places": index.placeCount, "names": index.nameCount, "keys": index.keyCount, "trie_nodes": index.nodeCount,
            "load_s": (loadSeconds * 1000).rounded() / 1000, "scan_s": (best * 1000).rounded() / 1000, "bytes": bytes,
            "mb_per_s": (Double(bytes) / 1e6 / best * 100).rounded() / 100, "mentions": mentions,
            "errors": errors, "warnings": warnings, "notes": notes,
            "peak_rss_mb": (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        fflush(nil)
        Glibc.exit(0)  // not timed, and kept out of profiles: tearing down a million-name index
    }
}

CheckBench.main()
