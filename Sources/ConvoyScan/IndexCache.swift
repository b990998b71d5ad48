import ConvoyGazetteer
import Foundation

extension NameIndex {
    /// Version of the cache file's layout and of the rules that build an index: bump it when
    /// either changes, so that older files are rebuilt rather than read.
    /// 2: trie nodes carry their key's bundled flag. 3: the word tables hash 8 bytes at a time.
    /// 4: string tables without a column of missing flags; the checksum mixes as ``byteHash(_:)``.
    /// 5: word tables' 32-byte slots hold short keys; trie edges carry their child's key.
    /// 6: places' id ranks. 7: name entries carry their place's id rank, country and curation.
    /// 8: every value read back is checked (the layout is 7's); the fingerprint holds the rules'.
    /// 9: word classes of 32 bits (a table the rulebook gives), words' shapes and classes apart.
    /// 10: names' folded forms without Arabic marks (``folded(_:)``).
    /// 11: and with Arabic's interchangeable letter forms as one (أ إ آ → ا, ة → ه, ى → ي).
    package static let archiveVersion = 11

    /// The index of a gazetteer, read from the cache file beside its store when that file was
    /// written for the store as it is now and for these word classes, else built and the cache
    /// file (re)written.
    ///
    /// Building the index of a GeoNames-sized gazetteer takes seconds (every name is read and
    /// keyed); reading it back takes a fraction of that. The file is named after the store
    /// (`<store>.names-index`, or `.names-index-large` for an index built `forLargeInputs`) and
    /// holds a fingerprint of the store file (size, modification time, SQLite's change counter),
    /// ``archiveVersion``, the ``NameKey`` version and the word classes' digest: any change to the
    /// store or to the rules that class words rebuilds it. It is written to a temporary file and
    /// renamed; a file that cannot be read, or written, only costs the build (the reason goes to `log`).
    /// - Parameter willBuild: called with the cache file's path before the index is built (for
    ///   progress messages: building takes seconds for a large gazetteer).
    package static func cached(
        gazetteer: Gazetteer, forLargeInputs: Bool, wordClasses: WordClassTable,
        willBuild: ((_ cachePath: String) -> Void)?, log: @escaping (CacheEvent) -> Void
    ) throws -> NameIndex {
        guard let fingerprint = storeFingerprint(gazetteer.path, forLargeInputs: forLargeInputs, rules: wordClasses.digest) else {
            return try NameIndex(gazetteer: gazetteer, forLargeInputs: forLargeInputs, wordClasses: wordClasses)
        }
        let file = CacheFile(path: gazetteer.path + (forLargeInputs ? ".names-index-large" : ".names-index"), fingerprint: fingerprint, log: log)
        if let index = file.read({ try NameIndex(reading: &$0, forLargeInputs: forLargeInputs, wordClasses: wordClasses) }) { return index }
        willBuild?(file.path)
        let index = try NameIndex(gazetteer: gazetteer, forLargeInputs: forLargeInputs, wordClasses: wordClasses)
        file.write { index.archive(into: &$0) }
        return index
    }

    /// What the cache file must have been written for — everything the index depends on: the
    /// store file's size, modification time and SQLite file change counter (and its WAL's, if any),
    /// the user's places file's size and modification time, the archive format's and ``NameKey``'s
    /// versions, the digest of the phrase rules' word lists, and the layout of the records stored
    /// raw. Nil when the store is not a file.
    package static func storeFingerprint(_ path: String, forLargeInputs: Bool, rules: String) -> String? {
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
    package var keysDigest: UInt64 {
        var sum = ArchiveChecksum()
        keyBytes.withUnsafeBytes { sum.add($0) }
        keyStarts.withUnsafeBytes { sum.add($0) }
        return sum.final
    }
}

/// A cache file beside the store: the fingerprint it was written for, the archive, a checksum.
/// Read when its fingerprint and checksum match; written to a temporary file and renamed. Any
/// failure is logged and costs only a rebuild.
package struct CacheFile {
    package let path: String
    package let fingerprint: String
    /// Where a problem with the file is said (it only costs a rebuild).
    package let log: (CacheEvent) -> Void

    package init(path: String, fingerprint: String, log: @escaping (CacheEvent) -> Void) {
        (self.path, self.fingerprint, self.log) = (path, fingerprint, log)
    }

    /// What `decode` makes of the file, or nil when there is no file, it was written for another
    /// fingerprint, or it cannot be read (logged).
    package func read<T>(_ decode: (inout IndexArchiveReader) throws -> T) -> T? {
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
                log(.stale("\(path) was written for other names or another version of convoy; rebuilding it"))
                return nil
            }
            guard ArchiveChecksum.of(body) == stored else { throw IndexArchiveReader.Malformed(description: "its checksum does not match its contents") }
            return try decode(&reader)
        } catch {
            log(.unreadable("\(path) cannot be read (\(error)); rebuilding it"))
            return nil
        }
    }

    /// Writes the file: a temporary file beside it, renamed over it when complete.
    package func write(_ encode: (inout IndexArchiveWriter) -> Void) {
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
            log(.unwritable("the index could not be cached at \(path): \(error)"))
        }
    }
}


/// What went wrong with a cache file, for the caller's log: each only costs a rebuild.
package enum CacheEvent: Sendable {
    /// Written for another store, other rules or another version (info).
    case stale(String)
    /// Damaged or unreadable (a warning).
    case unreadable(String)
    /// Could not be written (a notice).
    case unwritable(String)

    package var message: String {
        switch self {
        case .stale(let m), .unreadable(let m), .unwritable(let m): m
        }
    }
}
