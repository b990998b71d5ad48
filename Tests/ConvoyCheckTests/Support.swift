import ConvoyCheck
import ConvoyGazetteer
import ConvoyTestSupport
import Foundation
import Synchronization

/// The repository's bundled gazetteer in a fresh temporary store, and its name index (built once).
enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let gazetteer: Gazetteer = {
        let dir = ScratchSpace.path("convoy-check")
        return try! Gazetteer(path: dir.appendingPathComponent("store.sqlite").path, bundledDirectory: repository.appendingPathComponent("Gazetteer"))
    }()

    static let index: NameIndex = try! NameIndex(gazetteer: gazetteer)

    /// The curated layer alone (`places.geojson` in a folder of its own: the other layers are
    /// optional), for tests whose premise is a small gazetteer (a few hundred names per trigram).
    static let curatedGazetteer: Gazetteer = {
        let dir = ScratchSpace.path("convoy-check-curated")
        let data = dir.appendingPathComponent("Gazetteer")
        try! FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try! FileManager.default.copyItem(at: repository.appendingPathComponent("Gazetteer/places.geojson"), to: data.appendingPathComponent("places.geojson"))
        return try! Gazetteer(path: dir.appendingPathComponent("store.sqlite").path, bundledDirectory: data)
    }()

    static let curatedIndex: NameIndex = try! NameIndex(gazetteer: curatedGazetteer)
    /// The same gazetteer with every name's words tokenized up front (as for large inputs).
    static let largeInputIndex: NameIndex = try! NameIndex(gazetteer: gazetteer, forLargeInputs: true)

    /// A new checker (checkers keep per-report state: one per test).
    static func checker(blockSize: Int = 1 << 20) -> ReportChecker {
        ReportChecker(index: index, gazetteer: gazetteer, options: .init(blockSize: blockSize))
    }

    /// One checker for tests that check many short texts, one test at a time (the lock): a
    /// checker is reused from report to report as `convoy check` reuses it, and its first report
    /// loads the suggestions (0.3 s in a debug build).
    private static let sharedChecker = Mutex(ReportChecker(index: index, gazetteer: gazetteer))

    /// A short text checked by the shared checker.
    static func check(text: String, format: ReportFormat = .text) -> ReportResult {
        sharedChecker.withLock { $0.check(text: text, format: format) }
    }

    /// One checker per read size, for tests that check many small reports: a checker is reused
    /// from report to report as `convoy check` reuses it (its first report loads the suggestions).
    static func checkers(blockSizes: [Int]) -> [ReportChecker] {
        blockSizes.map(checker(blockSize:))
    }

    static func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
    }

    /// Checks a file through the streaming path.
    static func checkFile(_ path: String, blockSize: Int = 1 << 20, format: ReportFormat? = nil) throws -> ReportResult {
        var result = ReportResult()
        let source = try ReportSource.open(path: path)
        try checker(blockSize: blockSize).check(
            source, format: format ?? ReportFormat.guess(path: path),
            onMention: { result.mentions.append($0) }, onDiagnostic: { result.diagnostics.append($0) })
        return result
    }

    static func temporaryFile(_ bytes: [UInt8], suffix: String = ".txt") throws -> String {
        let url = ScratchSpace.path("convoy-check", suffix: suffix)
        try Data(bytes).write(to: url)
        return url.path
    }
}

extension ReportResult {
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    func mention(_ text: String) -> Mention? { mentions.first { $0.text == text } }
}
