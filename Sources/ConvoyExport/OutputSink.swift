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

/// Writes a file atomically: bytes go to a temporary file `.NAME.tmp-PID-RANDOM` beside the target,
/// which is renamed over the target only by ``commit()``. An interrupted or failed write never leaves
/// a half file: the temporary file is removed when the sink is discarded uncommitted, and one left by
/// a killed process is removed by the next sink that writes in the same folder
/// (``StaleTemporaryFiles``).
///
/// Only regular files are ever replaced (README, "Where output goes"):
/// - a new path is created (mode 0666 less the umask);
/// - an existing regular file is replaced keeping its mode, and its owner and group where the
///   system permits; one the user may not write (a read-only file) is refused;
/// - a symbolic link is written through: the regular file it leads to is replaced and the link
///   stays; a link to nothing, or to something that is not a regular file, is refused;
/// - a directory, FIFO, device or socket is refused, and left as it is.
/// A file with several hard links is replaced under the name written to only, as with any rename.
public final class AtomicFileSink: OutputSink {
    /// The path as given.
    public let path: String
    /// The file that is replaced: `path`, or the regular file a symbolic link at `path` leads to.
    public let target: String
    /// Stale temporary files of killed writers that were removed from the target's folder on opening.
    public let removedStaleFiles: [StaleTemporaryFiles.Removed]
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 16

    public init(path: String) throws(FileAccessError) {
        self.path = path
        let existing: stat?
        (target, existing) = try Self.resolveTarget(path)
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        removedStaleFiles = StaleTemporaryFiles.remove(in: folder)
        temporaryPath = folder + "/" + StaleTemporaryFiles.temporaryName(for: url.lastPathComponent)
        // O_EXCL: never open something already at the temporary's name (such as a planted link).
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw FileAccessError(path: path, reason: "cannot write in \(folder): \(String(cString: strerror(errno)))")
        }
        // Held until the sink closes: a live writer's temporary is never taken for a stale one.
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        if let existing {
            // Replacing a file keeps its owner and group where permitted (root, or a group the user
            // is in), then its permissions (chown may clear set-id bits, so chmod comes second).
            if fchown(descriptor, existing.st_uid, existing.st_gid) != 0 { _ = fchown(descriptor, uid_t.max, existing.st_gid) }
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// The regular file that writing to `path` replaces, with its status, or `path` itself and nil
    /// when nothing is there yet; throws for anything that must not be replaced.
    static func resolveTarget(_ path: String) throws(FileAccessError) -> (String, stat?) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return (path, nil) }
            throw FileAccessError(path: path, reason: String(cString: strerror(errno)))
        }
        var target = path
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                throw FileAccessError(path: path, reason: "is a symbolic link to \(link), which does not exist; not written (write to the file itself, or remove the link)")
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &info) == 0 else { throw FileAccessError(path: path, reason: String(cString: strerror(errno))) }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw FileAccessError(path: path, reason: "is a symbolic link to \(target), which \(kind(of: info.st_mode)), not a regular file; not replaced")
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileAccessError(path: path, reason: "\(kind(of: info.st_mode)), not a regular file; convoy replaces only regular files")
        }
        guard access(target, W_OK) == 0 || errno != EACCES else {
            throw FileAccessError(path: path, reason: "is read-only (mode \(String(info.st_mode & 0o777, radix: 8))); not replaced")
        }
        return (target, info)
    }

    /// "is a directory", "is a FIFO" … for a file type.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "is a directory"
        case S_IFIFO: "is a FIFO (named pipe)"
        case S_IFCHR: "is a character device"
        case S_IFBLK: "is a block device"
        case S_IFSOCK: "is a socket"
        case S_IFLNK: "is a symbolic link"
        default: "is not a regular file"
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    private func flush() throws(FileAccessError) {
        guard descriptor >= 0, !buffer.isEmpty else { return }
        let failure = buffer.withUnsafeBytes { Self.writeAll($0, to: descriptor) }
        if let failure { throw FileAccessError(path: path, reason: "write failed: \(String(cString: strerror(failure)))") }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to `descriptor` with write(2), retrying interrupted and partial writes;
    /// the errno of a failure, or nil.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(descriptor, next, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            next += n
            left -= n
        }
        return nil
    }

    public func commit() throws(FileAccessError) {
        guard descriptor >= 0 else { return }
        try flush()
        let synced = fsync(descriptor) == 0
        let syncError = errno
        close(descriptor)
        descriptor = -1
        guard synced, rename(temporaryPath, target) == 0 else {
            let reason = String(cString: strerror(synced ? errno : syncError))
            unlink(temporaryPath)
            throw FileAccessError(path: path, reason: "cannot finish writing: \(reason)")
        }
        // The rename itself is made durable with the folder.
        let folder = open(URL(fileURLWithPath: target).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }
}

/// The temporary files ``AtomicFileSink`` writes, `.NAME.tmp-PID-RANDOM`, and the removal of those
/// left behind by a writer that was killed (kill -9, a crash, a power cut) before it could clean up.
///
/// Before writing in a folder, a sink removes every file there whose name has that pattern and that
/// is a regular file owned by the user, whose PID is not a running process on this machine, and that
/// no process holds locked (a live sink holds a lock on its temporary file for as long as it is open,
/// so a PID reused by another process, or a writer in another PID namespace, is never taken for dead).
public enum StaleTemporaryFiles {
    /// A removed file: its name in the folder and its size in bytes.
    public struct Removed: Sendable, Hashable {
        public let name: String
        public let bytes: Int64
    }

    /// `.NAME.tmp-PID-RANDOM` for the file NAME, for this process.
    static func temporaryName(for name: String) -> String {
        ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The PID in a temporary file's name, or nil when the name is not of the pattern.
    static func writerPID(ofName name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards), marker.lowerBound > name.index(after: name.startIndex)
        else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil
        else { return nil }
        return pid
    }

    /// Removes the stale temporary files in `folder` (see the type's documentation); returns them.
    /// Errors are ignored: cleaning up is a courtesy, never a reason for a write to fail.
    @discardableResult
    public static func remove(in folder: String) -> [Removed] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [Removed] = []
        for name in names {
            guard let pid = writerPID(ofName: name), pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }  // that process is running (or not ours to see)
            let path = folder + "/" + name
            let file = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard file >= 0 else { continue }
            defer { close(file) }
            var info = stat()
            guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
                flock(file, LOCK_EX | LOCK_NB) == 0
            else { continue }
            if unlink(path) == 0 { removed.append(Removed(name: name, bytes: Int64(info.st_size))) }
        }
        return removed.sorted { $0.name < $1.name }
    }
}

/// Writes to standard output (`-o -`), buffered; commit flushes.
public final class StandardOutputSink: OutputSink {
    private var buffer: [UInt8] = []
    private let emit: (UnsafeRawBufferPointer) throws(FileAccessError) -> Void

    /// `emit` receives each filled buffer and throws when it cannot be written (file descriptor 1,
    /// the process's stdout, by default).
    public init(emit: @escaping (UnsafeRawBufferPointer) throws(FileAccessError) -> Void = StandardOutputSink.writeToDescriptor1) {
        self.emit = emit
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try commit() }
    }

    public func commit() throws(FileAccessError) {
        let result: Result<Void, FileAccessError> = buffer.withUnsafeBytes { bytes in
            Result { () throws(FileAccessError) in try emit(bytes) }
        }
        buffer.removeAll(keepingCapacity: true)
        try result.get()
    }

    /// Writes all of `bytes` to file descriptor 1.
    public static func writeToDescriptor1(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        if let failure = AtomicFileSink.writeAll(bytes, to: 1) {
            throw FileAccessError(path: "standard output", reason: "write failed: \(String(cString: strerror(failure)))")
        }
    }
}
