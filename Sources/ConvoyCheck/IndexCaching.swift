import ConvoyGazetteer
import ConvoyScan
import Foundation
import Logging

// The caches of the rulebook's indexes: the name index with the rulebook's word classes, and the
// suggestion index (the engine's ``CacheFile`` does the file work).

extension NameIndex {
    static let logger = Logger(label: "convoy.check")

    /// Where the engine's cache problems are logged.
    static func log(_ event: CacheEvent) {
        switch event {
        case .stale(let m): logger.info("\(m)")
        case .unreadable(let m): logger.warning("\(m)")
        case .unwritable(let m): logger.notice("\(m)")
        }
    }

    /// A digest of the phrase rules' word lists, whose classes the index stores with its words,
    /// with the whole rulebook's digest (``CheckRules/digest``): an edit of any rule rebuilds the cache.
    static var rulesDigest: String { WordClassTable.bundled.digest }

    /// The index of a gazetteer with the bundled rulebook's word classes: read from the cache file
    /// beside its store when that file was written for the store and the rules as they are now,
    /// else built and the file (re)written (see the engine's
    /// ``cached(gazetteer:forLargeInputs:wordClasses:willBuild:log:)``).
    /// - Parameter willBuild: called with the cache file's path before the index is built (for
    ///   progress messages: building takes seconds for a large gazetteer).
    public static func cached(
        gazetteer: Gazetteer, forLargeInputs: Bool = false, willBuild: ((_ cachePath: String) -> Void)? = nil
    ) throws -> NameIndex {
        try cached(gazetteer: gazetteer, forLargeInputs: forLargeInputs, wordClasses: .bundled, willBuild: willBuild, log: log)
    }

    /// ``cached(gazetteer:forLargeInputs:willBuild:)`` with the rules' digest given (tests change it
    /// as an edit of a word list would).
    static func cached(
        gazetteer: Gazetteer, forLargeInputs: Bool, rules: String, willBuild: ((_ cachePath: String) -> Void)?
    ) throws -> NameIndex {
        try cached(gazetteer: gazetteer, forLargeInputs: forLargeInputs, wordClasses: WordClassTable.bundled.withDigest(rules), willBuild: willBuild, log: log)
    }

    /// The index built from the store with the bundled rulebook's word classes.
    public convenience init(gazetteer: Gazetteer, forLargeInputs: Bool = false) throws {
        try self.init(gazetteer: gazetteer, forLargeInputs: forLargeInputs, wordClasses: .bundled)
    }

    /// The index of places with the bundled rulebook's word classes; `key` gives a name's key (by
    /// default computed with ``NameKey/key(_:)``).
    public convenience init(places: [Place], forLargeInputs: Bool = false, key: (Place, PlaceName) -> String = { NameKey.key($1.text) }) {
        self.init(places: places, forLargeInputs: forLargeInputs, wordClasses: .bundled, key: key)
    }

    static func storeFingerprint(_ path: String, forLargeInputs: Bool) -> String? {
        storeFingerprint(path, forLargeInputs: forLargeInputs, rules: rulesDigest)
    }

    /// Reads a cache file's body — its fingerprint (not compared) and tables, the file without its
    /// checksum — as ``cached(gazetteer:forLargeInputs:willBuild:)`` does once the checksum matched:
    /// for fuzzing the reader with any bytes a damaged or hostile file could hold.
    @_spi(Fuzzing) public static func readCacheBody(_ body: [UInt8], forLargeInputs: Bool) throws -> NameIndex {
        var reader = IndexArchiveReader(data: Data(body))
        _ = try reader.readString()
        return try NameIndex(reading: &reader, forLargeInputs: forLargeInputs, wordClasses: .bundled)
    }
}

extension SuggestionIndex {
    /// Version of the suggestion index's cache file layout and rules (2: as the name index's 4;
    /// 3: every value read back is checked).
    static let archiveVersion = 3

    /// The suggestion index of `index`, read from the cache file beside the gazetteer's store
    /// (`<store>.suggest-index`) when it was written for these keys, else built (a few seconds for
    /// 1.2 M names) and the file (re)written. The file is tied to the index's keys by a digest of
    /// them — what it is built from — not to the store: a change to the store that leaves the
    /// names as they were (a route log stored) keeps it.
    public static func cached(index: NameIndex, gazetteer: Gazetteer) -> SuggestionIndex {
        guard let info = SystemFiles.status(gazetteer.path), info.st_mode & S_IFMT == S_IFREG else { return SuggestionIndex(index: index) }
        let fingerprint = "convoy suggestion index \(archiveVersion); NameKey \(NameKey.version); keys \(index.keyCount) #\(String(index.keysDigest, radix: 16))"
        let file = CacheFile(path: gazetteer.path + ".suggest-index", fingerprint: fingerprint, log: NameIndex.log)
        if let cached = file.read({ try SuggestionIndex(index: index, reading: &$0) }) { return cached }
        let built = SuggestionIndex(index: index)
        file.write { built.archive(into: &$0) }
        return built
    }
}

extension SuggestionIndex {
    /// As ``NameIndex/readCacheBody(_:forLargeInputs:)``, for the suggestion index of `index`.
    @_spi(Fuzzing) public static func readCacheBody(_ body: [UInt8], index: NameIndex) throws -> SuggestionIndex {
        var reader = IndexArchiveReader(data: Data(body))
        _ = try reader.readString()
        return try SuggestionIndex(index: index, reading: &reader)
    }
}

