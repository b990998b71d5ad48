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
    @Flag(help: "Skip the timed build from the store: use the index cache file beside it (for quick comparisons).")
    var cachedOnly = false
    @Flag(help: "Label the result as a single run in a fresh process (with --runs 1 --cached-only).") var singleRun = false
    @Option(help: "Compare the in-memory suggestions with the store's on up to this many of the phrases the check reported (0: none).")
    var compareSuggestions = 0

    func run() throws {
        let store = try Gazetteer(path: db, bundledDirectory: URL(fileURLWithPath: gazetteer))
        // The index three ways, one at a time (so that the peak memory is one index's): read from the
        // cache file beside the store, or built and the file written when it is not current; built
        // from the store; read from the file. The scan runs on the index read back.
        let t0 = Date()
        let sizes = try NameIndex.cached(gazetteer: store, forLargeInputs: !smallInputs).tableSizes
        let cacheFirstSeconds = Date().timeIntervalSince(t0)
        var loadSeconds = Double.nan
        if !cachedOnly {
            let t1 = Date()
            let builtSizes = try NameIndex(gazetteer: store, forLargeInputs: !smallInputs).tableSizes
            loadSeconds = Date().timeIntervalSince(t1)
            precondition(builtSizes == sizes, "the index in the cache file differs from the one built")
        }
        let t2 = Date()
        let index = try NameIndex.cached(gazetteer: store, forLargeInputs: !smallInputs)
        let cacheReadSeconds = Date().timeIntervalSince(t2)
        precondition(index.tableSizes == sizes, "the index read back differs from the first one")
        var best = Double.infinity
        var mentions = 0, errors = 0, warnings = 0, notes = 0, bytes = 0
        var phrases: [String] = []
        for _ in 0..<runs {
            let checker = ReportChecker(index: index, gazetteer: store, options: .init(findUnknownPlaces: !mentionsOnly))
            let source = try ReportSource.open(path: text)
            var m = 0
            let start = Date()
            let summary = try checker.check(source, format: .text, onMention: { _ in m += 1 }, onDiagnostic: { d in
                if d.code == .misspelling || d.code == .unknownPlace, phrases.count < compareSuggestions { phrases.append(d.text) }
            })
            let seconds = Date().timeIntervalSince(start)
            best = min(best, seconds)
            mentions = m
            errors = summary.errors
            warnings = summary.warnings
            notes = summary.notes
            bytes = summary.bytes
        }
        var comparison: [String: Any] = [:]
        if compareSuggestions > 0 {
            comparison = try compare(Array(Set(phrases)).sorted(), index: index, store: store)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let result: [String: Any] = [
            "tool": (mentionsOnly ? "convoy (mentions only)" : "convoy check") + (singleRun ? ", single run" : ""),
            "places": index.placeCount, "names": index.nameCount, "keys": index.keyCount, "trie_nodes": index.nodeCount,
            "load_s": loadSeconds.isNaN ? "not timed" : (loadSeconds * 1000).rounded() / 1000 as Any, "cache_first_s": (cacheFirstSeconds * 1000).rounded() / 1000,
            "cache_read_s": (cacheReadSeconds * 1000).rounded() / 1000, "scan_s": (best * 1000).rounded() / 1000, "bytes": bytes,
            "mb_per_s": (Double(bytes) / 1e6 / best * 100).rounded() / 100, "mentions": mentions,
            "errors": errors, "warnings": warnings, "notes": notes,
            "peak_rss_mb": (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10,
        ]
        let data = try JSONSerialization.data(withJSONObject: result.merging(comparison) { a, _ in a }, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        fflush(nil)
        Glibc.exit(0)  // not timed, and kept out of profiles: tearing down a million-name index
    }

    /// The in-memory suggestion index against the store's query, on the same phrases: build time,
    /// time per phrase for each, and how often their answers agree.
    func compare(_ phrases: [String], index: NameIndex, store: Gazetteer) throws -> [String: Any] {
        let t0 = Date()
        let memory = SuggestionIndex(index: index)
        let build = Date().timeIntervalSince(t0)
        var fromMemory: [[NameSuggestion]] = [], fromStore: [[Suggestion]] = []
        let t1 = Date()
        for phrase in phrases { fromMemory.append(memory.suggestions(for: phrase)) }
        let t2 = Date()
        for phrase in phrases { fromStore.append(try store.suggestions(for: phrase, limit: 5)) }
        let t3 = Date()
        var same = 0, sameFirst = 0
        for (m, s) in zip(fromMemory, fromStore) {
            if m.map(\.placeID) == s.map(\.place.id) { same += 1 }
            if m.first?.placeID == s.first?.place.id { sameFirst += 1 }
        }
        let n = Double(max(1, phrases.count))
        return [
            "suggest_phrases": phrases.count, "suggest_index_build_s": (build * 1000).rounded() / 1000,
            "suggest_memory_ms": ((t2.timeIntervalSince(t1)) / n * 1e5).rounded() / 100,
            "suggest_store_ms": ((t3.timeIntervalSince(t2)) / n * 1e5).rounded() / 100,
            "suggest_same_lists": same, "suggest_same_first": sameFirst,
        ]
    }
}

extension NameIndex {
    var tableSizes: [Int] { [placeCount, nameCount, keyCount, tokenCount, nodeCount] }
}

CheckBench.main()
