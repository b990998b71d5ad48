import ConvoyGazetteer
import ConvoyScan
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rewrites a report for `convoy check --fix --in-place` without losing anything about the file
/// (docs/check.md, "--in-place"):
///
/// - only a regular file the user may write is rewritten: a FIFO, device or directory is refused,
///   and so is a file without any write permission (`chmod a-w`), even for root;
/// - a symbolic link is followed: its regular target is rewritten and the link stays a link;
/// - the fixed text is written to a temporary file first (so a failed write leaves the report as it
///   was), then either renamed over the report — with the report's mode, owner and group (not its
///   extended attributes or ACLs) — or, when the report has other hard links, or an owner or group
///   the temporary file cannot be given, copied back into the report itself (same inode: every
///   link, owner, group, mode and attribute kept), after which the temporary file is removed;
/// - a report changed by someone else while it was checked is not overwritten.
public final class ReportRewrite {
    /// The path given, and the regular file written (the symlink's target, resolved).
    public let path: String
    public let target: String
    private let original: stat
    private let temporaryPath: String
    private var fd: Int32
    /// Whether the temporary file sits beside the report (else in the temporary directory, and
    /// the text can only be copied back).
    private let beside: Bool
    private var finished = false

    /// Opens `path` for rewriting; throws when it must not be rewritten (the reason says why).
    public init(path: String) throws(FileAccessError) {
        self.path = path
        guard let link = SystemFiles.status(path, followingLinks: false) else { throw FileAccessError(path: path, reason: SystemFiles.message()) }
        var target = path
        if link.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = SystemFiles.resolvedPath(path) else {
                throw FileAccessError(path: path, reason: "is a symbolic link whose target cannot be followed: \(SystemFiles.message())")
            }
            target = resolved
        }
        guard let info = SystemFiles.status(target) else { throw FileAccessError(path: path, reason: SystemFiles.message()) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FileAccessError(path: path, reason: "is \(Self.kind(info.st_mode)), not a regular file: --in-place rewrites regular files only")
        }
        guard info.st_mode & 0o222 != 0 else {
            throw FileAccessError(path: path, reason: "is read-only (no one may write it): not rewritten; make it writable (chmod u+w) to fix it in place")
        }
        guard SystemFiles.mayAccess(target, W_OK) else {
            throw FileAccessError(path: path, reason: "cannot be written (\(SystemFiles.message())): not rewritten")
        }
        self.target = target
        original = info
        // The temporary file: beside the report (so that it can be renamed over it), else in the
        // temporary directory (when the report's folder cannot be written).
        let folder = (target as NSString).deletingLastPathComponent, name = (target as NSString).lastPathComponent
        let unique = "\(getpid())-\(UInt64.random(in: 0...UInt64.max) >> 16)"
        var temporary = (folder.isEmpty ? "." : folder) + "/.\(name).convoy-fix-\(unique).tmp"
        var opened = SystemFiles.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o600)
        var beside = true
        if opened < 0 {
            beside = false
            temporary = NSTemporaryDirectory() + "/convoy-fix-\(unique)-\(name)"
            opened = SystemFiles.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o600)
        }
        guard opened >= 0 else {
            throw FileAccessError(path: path, reason: "cannot create a temporary file for the fixed text: \(SystemFiles.message())")
        }
        temporaryPath = temporary
        fd = opened
        self.beside = beside
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends fixed text to the temporary file.
    public func write(_ bytes: [UInt8]) throws(FileAccessError) {
        try Self.writeAll(fd, bytes, path: temporaryPath)
    }

    /// Forgets the fixed text: the report is left as it was.
    public func abandon() {
        finished = true
        if fd >= 0 { close(fd) }
        fd = -1
        SystemFiles.remove(temporaryPath)
    }

    /// Puts the fixed text in the report's place; returns how (for the message: "through the
    /// symbolic link …", "in place, keeping its 2 hard links").
    @discardableResult
    public func commit() throws(FileAccessError) -> String? {
        defer { if !finished { abandon() } }
        guard fsync(fd) == 0 else { throw FileAccessError(path: temporaryPath, reason: "cannot be saved: \(SystemFiles.message())") }
        // Changed while it was checked: someone else's edit is not overwritten.
        guard let now = SystemFiles.status(target), now.st_ino == original.st_ino, now.st_dev == original.st_dev, now.st_size == original.st_size,
            now.st_mtim.tv_sec == original.st_mtim.tv_sec, now.st_mtim.tv_nsec == original.st_mtim.tv_nsec
        else { throw FileAccessError(path: path, reason: "changed while it was being checked: not rewritten (check it again)") }
        let via = target == path ? "" : " through the symbolic link to \(target)"
        if beside, original.st_nlink == 1, takeOwnerAndMode() {
            guard SystemFiles.rename(temporaryPath, to: target) else {
                throw FileAccessError(path: path, reason: "cannot replace the file: \(SystemFiles.message())")
            }
            finished = true
            close(fd)
            fd = -1
            return via.isEmpty ? nil : String(via.dropFirst())
        }
        try copyBack()
        let links = original.st_nlink > 1 ? ", keeping its \(original.st_nlink) hard links" : ""
        return "in place\(links)\(via)"
    }

    /// Gives the temporary file the report's owner, group and mode; false when it cannot be given
    /// them (another user's file, a group the user is not in): the text is then copied back.
    private func takeOwnerAndMode() -> Bool {
        if original.st_uid != geteuid() || original.st_gid != getegid() {
            guard fchown(fd, original.st_uid, original.st_gid) == 0 else { return false }
        }
        return fchmod(fd, original.st_mode & 0o7777) == 0
    }

    /// Copies the temporary file's text into the report itself (the same inode), then removes the
    /// temporary file. On a failure the report may be partly written: the complete fixed text is
    /// then kept in the temporary file, and the message says where.
    private func copyBack() throws(FileAccessError) {
        let source = SystemFiles.open(temporaryPath, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw FileAccessError(path: temporaryPath, reason: "cannot be read back: \(SystemFiles.message())") }
        defer { close(source) }
        let destination = SystemFiles.open(target, O_WRONLY | O_CLOEXEC)
        guard destination >= 0 else { throw FileAccessError(path: path, reason: "cannot be opened for writing: \(SystemFiles.message())") }
        defer { close(destination) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        do throws(FileAccessError) {
            while true {
                let n = SystemFiles.read(source, into: &buffer, at: 0, count: buffer.count)
                if n < 0, errno == EINTR { continue }
                guard n >= 0 else { throw FileAccessError(path: temporaryPath, reason: "cannot be read back: \(SystemFiles.message())") }
                if n == 0 { break }
                try Self.writeAll(destination, Array(buffer[0..<n]), path: path)
                total += n
            }
            guard ftruncate(destination, off_t(total)) == 0, fsync(destination) == 0 else {
                throw FileAccessError(path: path, reason: "cannot be saved: \(SystemFiles.message())")
            }
        } catch {
            finished = true  // keep the temporary file: it holds the whole fixed text
            close(fd)
            fd = -1
            throw FileAccessError(path: path, reason: "\(error.reason); it may be partly rewritten — the complete fixed text is in \(temporaryPath)")
        }
        abandon()  // the text is in the report: the temporary file goes
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileAccessError) {
        var written = 0
        while written < bytes.count {
            let n = SystemFiles.write(fd, bytes, from: written)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw FileAccessError(path: path, reason: "write failed: \(SystemFiles.message())") }
            written += n
        }
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }
}
