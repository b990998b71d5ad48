import ConvoyGazetteer
import Foundation
import Logging

extension NameIndex {
    /// Version of the cache file's layout and of the rules that build an index: bump it when
    /// either changes, so that older files are rebuilt rather than read.
    /// 2: trie nodes carry their key's bundled flag. 3: the word tables hash 8 bytes at a time.
    /// 4: string tables without a column of missing flags; the checksum mixes as ``byteHash(_:)``.
    /// 5: word tables' 32-byte slots hold short keys; trie edges carry their child's key.
    /// 6: places' id ranks. 7: name entries carry their place's id rank, country and curation.
    /// 8: every value read back is checked (the layout is 7's); the fingerprint holds the rules'.
    static let archiveVersion = 8
    /// A digest of the phrase rules' word lists, whose classes the index stores with its words.
    /// With the whole rulebook's digest (``CheckRules/digest``): an edit of any rule rebuilds the cache.
    static let rulesDigest = WordClass.digest(of: WordClass.lists) + "-" + CheckRules.bundled.digest
    static let logger = Logger(label: "convoy.check")

    /// The index of a gazetteer, read from the cache file beside its store when that file was
    /// written for the store as it is now, else built and the cache file (re)written.
    ///
    /// Building the index of a GeoNames-sized gazetteer takes seconds (every name is read and
    /// keyed); reading it back takes a fraction of that. The file is named after the store
    /// (`<store>.names-index`, or `.names-index-large` for an index built `forLargeInputs`) and
    /// holds a fingerprint of the store file (size, modification time, SQLite's change counter),
    /// ``archiveVersion`` and the ``NameKey`` version: any change to the store rebuilds it. It is
    /// written to a temporary file and renamed; a file that cannot be read, or written, only
    /// costs the build (the reason is logged).
    /// - Parameter willBuild: called with the cache file's path before the index is built (for
    ///   progress messages: building takes seconds for a large gazetteer).
    public static func cached(
        gazetteer: Gazetteer, forLargeInputs: Bool = false, willBuild: ((_ cachePath: String) -> Void)? = nil
    ) throws -> NameIndex {
        try cached(gazetteer: gazetteer, forLargeInputs: forLargeInputs, rules: rulesDigest, willBuild: willBuild)
    }

    /// ``cached(gazetteer:forLargeInputs:willBuild:)`` with the rules' digest given (tests change it
    /// as an edit of a word list would).
    static func cached(
        gazetteer: Gazetteer, forLargeInputs: Bool, rules: String, willBuild: ((_ cachePath: String) -> Void)?
    ) throws -> NameIndex {
        guard let fingerprint = storeFingerprint(gazetteer.path, forLargeInputs: forLargeInputs, rules: rules) else {
            return try NameIndex(gazetteer: gazetteer, forLargeInputs: forLargeInputs)
        }
        let file = CacheFile(path: gazetteer.path + (forLargeInputs ? ".names-index-large" : ".names-index"), fingerprint: fingerprint)
        if let index = file.read({ try NameIndex(reading: &$0, forLargeInputs: forLargeInputs) }) { return index }
        willBuild?(file.path)
        let index = try NameIndex(gazetteer: gazetteer, forLargeInputs: forLargeInputs)
        file.write { index.archive(into: &$0) }
        return index
    }

    /// What the cache file must have been written for — everything the index depends on: the
    /// store file's size, modification time and SQLite file change counter (and its WAL's, if any),
    /// the user's places file's size and modification time, the archive format's and ``NameKey``'s
    /// versions, the digest of the phrase rules' word lists, and the layout of the records stored
    /// raw. Nil when the store is not a file.
    static func storeFingerprint(_ path: String, forLargeInputs: Bool, rules: String = rulesDigest) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var counter: UInt32 = 0
        if let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }
            if (try? handle.seek(toOffset: 24)) != nil, let bytes = try? handle.read(upToCount: 4), bytes.count == 4 {
                counter = bytes.reduce(0) { $0 << 8 | UInt32($1) }
            }
        }
        var wal = stat()
        let walPart = stat(path + "-wal", &wal) == 0 ? "\(wal.st_size)@\(wal.st_mtim.tv_sec).\(wal.st_mtim.tv_nsec)" : "none"
        // The user's places file too: opening the store loads a changed file into it (which changes
        // the store), and the fingerprint says so itself rather than rest on that.
        var user = stat()
        let userPart = stat(Gazetteer.userPlacesPath(forStore: path), &user) == 0 ? "\(user.st_size)@\(user.st_mtim.tv_sec).\(user.st_mtim.tv_nsec)" : "none"
        let layout = [MemoryLayout<KeyInfo>.stride, MemoryLayout<KeyEntry>.stride, MemoryLayout<Word>.stride, MemoryLayout<NameKind>.stride]
        return "convoy name index \(archiveVersion); NameKey \(NameKey.version); rules \(rules); large \(forLargeInputs); layout \(layout); "
            + "store \(info.st_size)@\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) #\(counter); wal \(walPart); user places \(userPart)"
    }

    /// A digest of the keys and their numbering: what an index derived from this one (the
    /// suggestion index) must have been built from.
    var keysDigest: UInt64 {
        var sum = ArchiveChecksum()
        keyBytes.withUnsafeBytes { sum.add($0) }
        keyStarts.withUnsafeBytes { sum.add($0) }
        return sum.final
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
        var info = stat()
        guard stat(gazetteer.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return SuggestionIndex(index: index) }
        let fingerprint = "convoy suggestion index \(archiveVersion); NameKey \(NameKey.version); keys \(index.keyCount) #\(String(index.keysDigest, radix: 16))"
        let file = CacheFile(path: gazetteer.path + ".suggest-index", fingerprint: fingerprint)
        if let cached = file.read({ try SuggestionIndex(index: index, reading: &$0) }) { return cached }
        let built = SuggestionIndex(index: index)
        file.write { built.archive(into: &$0) }
        return built
    }
}

extension NameIndex {
    /// Reads a cache file's body — its fingerprint (not compared) and tables, the file without its
    /// checksum — as ``cached(gazetteer:forLargeInputs:willBuild:)`` does once the checksum matched:
    /// for fuzzing the reader with any bytes a damaged or hostile file could hold.
    @_spi(Fuzzing) public static func readCacheBody(_ body: [UInt8], forLargeInputs: Bool) throws -> NameIndex {
        var reader = IndexArchiveReader(data: Data(body))
        _ = try reader.readString()
        return try NameIndex(reading: &reader, forLargeInputs: forLargeInputs)
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

/// A cache file beside the store: the fingerprint it was written for, the archive, a checksum.
/// Read when its fingerprint and checksum match; written to a temporary file and renamed. Any
/// failure is logged and costs only a rebuild.
struct CacheFile {
    let path: String
    let fingerprint: String

    /// What `decode` makes of the file, or nil when there is no file, it was written for another
    /// fingerprint, or it cannot be read (logged).
    func read<T>(_ decode: (inout IndexArchiveReader) throws -> T) -> T? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }  // no file yet
        do {
            guard info.st_mode & S_IFMT == S_IFREG else { throw IndexArchiveReader.Malformed(description: "it is not a regular file") }
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            guard data.count >= 16 else { throw IndexArchiveReader.Malformed(description: "only \(data.count) bytes") }
            let stored = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: data.count - 8, as: UInt64.self)) }
            let body = data.prefix(data.count - 8)
            var reader = IndexArchiveReader(data: body)
            guard try reader.readString() == fingerprint else {
                NameIndex.logger.info("\(path) was written for other names or another version of convoy; rebuilding it")
                return nil
            }
            guard ArchiveChecksum.of(body) == stored else { throw IndexArchiveReader.Malformed(description: "its checksum does not match its contents") }
            return try decode(&reader)
        } catch {
            NameIndex.logger.warning("\(path) cannot be read (\(error)); rebuilding it")
            return nil
        }
    }

    /// Writes the file: a temporary file beside it, renamed over it when complete.
    func write(_ encode: (inout IndexArchiveWriter) -> Void) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(URL(fileURLWithPath: path).lastPathComponent).\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw FileAccessError(path: temporary.path, reason: "cannot create the file")
            }
            var renamed = false
            defer { if !renamed { try? FileManager.default.removeItem(at: temporary) } }
            let handle = try FileHandle(forWritingTo: temporary)
            var writer = IndexArchiveWriter(handle: handle)
            writer.write(fingerprint)
            encode(&writer)
            let checksum = try writer.finish()
            try handle.write(contentsOf: withUnsafeBytes(of: checksum.littleEndian) { Array($0) })
            try handle.close()
            guard rename(temporary.path, path) == 0 else {
                throw FileAccessError(path: path, reason: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
            }
            renamed = true
        } catch {
            NameIndex.logger.notice("the index could not be cached at \(path): \(error)")
        }
    }
}

/// A fast 64-bit checksum of a cache file's contents, ``byteHash(_:)``'s mixing over a stream
/// (8 bytes at a time; not cryptographic): it tells a damaged file from a good one.
struct ArchiveChecksum {
    private var value = ByteHash.start(count: 0)
    private var tail: [UInt8] = []

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        if !tail.isEmpty {
            while tail.count < 8, i < bytes.count { tail.append(bytes[i]); i += 1 }
            guard tail.count == 8 else { return }
            value = ByteHash.mix(value, tail.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            tail.removeAll(keepingCapacity: true)
        }
        while i + 8 <= bytes.count {
            value = ByteHash.mix(value, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        tail.append(contentsOf: bytes[i...])
    }

    /// The checksum, with the bytes that did not fill a word and their count.
    var final: UInt64 {
        var last: UInt64 = UInt64(tail.count) << 56
        for (k, b) in tail.enumerated() { last |= UInt64(b) << UInt64(8 * k) }
        return ByteHash.finish(ByteHash.mix(value, last))
    }

    static func of(_ data: Data) -> UInt64 {
        var sum = ArchiveChecksum()
        data.withUnsafeBytes { sum.add($0) }
        return sum.final
    }
}
