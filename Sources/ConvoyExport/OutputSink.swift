import ConvoyGazetteer
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an exporter's bytes go. Writers stream through a small buffer, so memory does not grow
/// with the size of the track.
public protocol OutputSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError)
    /// Makes the output final: for a file, renames the temporary file into place.
    func commit() throws(FileAccessError)
}

extension OutputSink {
    public func write(_ text: String) throws(FileAccessError) {
        try write(Array(text.utf8))
    }

    public func write(_ bytes: [UInt8]) throws(FileAccessError) {
        let result: Result<Void, FileAccessError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(FileAccessError) in try write(buffer) }
        }
        try result.get()
    }
}

/// Writes a file atomically: bytes go to a temporary file in the target's folder (with the target's
/// permissions when it exists), which is renamed over the target only by ``commit()``. An interrupted or failed export never leaves a half file:
/// the temporary file is removed when the writer is discarded uncommitted.
public final class AtomicFileSink: OutputSink {
    public let path: String
    private let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 16

    public init(path: String) throws(FileAccessError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw FileAccessError(path: path, reason: "is a directory")
        }
        let folder = url.deletingLastPathComponent().path
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard let file = fopen(temporaryPath, "wb") else {
            throw FileAccessError(path: path, reason: "cannot write in \(folder): \(String(cString: strerror(errno)))")
        }
        self.file = file
        // Replacing an existing file keeps its permissions (a report rewritten in place, an export
        // the user made read-only for others).
        var existing = stat()
        if stat(path, &existing) == 0 { fchmod(fileno(file), existing.st_mode & 0o7777) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        if let file {
            fclose(file)
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    private func flush() throws(FileAccessError) {
        guard let file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw FileAccessError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func commit() throws(FileAccessError) {
        guard let file else { return }
        try flush()
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        self.file = nil
        guard flushed, rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw FileAccessError(path: path, reason: "cannot finish writing: \(reason)")
        }
    }
}

/// Writes to standard output (`-o -`), buffered; commit flushes.
public final class StandardOutputSink: OutputSink {
    private var buffer: [UInt8] = []
    private let emit: (UnsafeRawBufferPointer) -> Void

    /// `emit` receives each filled buffer (file descriptor 1, the process's stdout, by default).
    public init(emit: @escaping (UnsafeRawBufferPointer) -> Void = StandardOutputSink.writeToDescriptor1) {
        self.emit = emit
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try commit() }
    }

    public func commit() throws(FileAccessError) {
        buffer.withUnsafeBytes { emit($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to file descriptor 1.
    public static func writeToDescriptor1(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}
