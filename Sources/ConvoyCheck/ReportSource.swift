import ConvoyGazetteer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A report's bytes, read in blocks so memory stays bounded whatever the size: a file, stdin, or
/// bytes already in memory.
public final class ReportSource {
    /// The name used in messages ("-" is shown as "<stdin>").
    public let displayName: String
    private let fd: Int32
    private let owned: Bool
    /// A regular file: the kernel is told the reading is sequential and asked for the blocks
    /// ahead, so that a file not in the page cache is read from disk while a block is checked.
    private let regularFile: Bool
    private var atEnd = false
    /// The bytes of an in-memory source (``bytes(_:displayName:)``), and how many have been read.
    private let memory: [UInt8]?
    private var memoryOffset = 0
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    private init(fd: Int32, displayName: String, owned: Bool, regularFile: Bool = false, memory: [UInt8]? = nil) {
        self.fd = fd
        self.memory = memory
        self.displayName = displayName
        self.owned = owned
        self.regularFile = regularFile
        #if os(Linux)
            if regularFile { _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL)) }
        #endif
    }

    /// How far ahead of the bytes read a regular file's pages are asked for, and up to where they have been.
    static let readAhead = 8 << 20
    private var advisedUpTo = 0

    deinit {
        if owned { close(fd) }
    }

    /// Opens a file for reading. Directories, missing and unreadable files throw with the reason.
    public static func open(path: String) throws(FileAccessError) -> ReportSource {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileAccessError(path: path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileAccessError(path: path, reason: "is a directory (give the report files, e.g. DIR/*.txt)") }
        let fd = systemOpen(path)
        guard fd >= 0 else { throw FileAccessError(path: path, reason: String(cString: strerror(errno))) }
        return ReportSource(fd: fd, displayName: path, owned: true, regularFile: (info.st_mode & S_IFMT) == S_IFREG)
    }

    /// Standard input.
    public static func standardInput() -> ReportSource {
        ReportSource(fd: 0, displayName: "<stdin>", owned: false)
    }

    /// Bytes held in memory (a report received some other way, tests, fuzzing): read in blocks
    /// as a file is, so the check behaves the same.
    public static func bytes(_ bytes: [UInt8], displayName: String) -> ReportSource {
        ReportSource(fd: -1, displayName: displayName, owned: false, memory: bytes)
    }

    /// Reads up to `count` more bytes onto the end of `buffer` (whose storage is reused from block
    /// to block); returns how many were read, 0 at the end. Throws when the read fails.
    func read(upTo count: Int, appendingTo buffer: inout [UInt8]) throws(FileAccessError) -> Int {
        if atEnd { return 0 }
        if let memory {
            let n = min(count, memory.count - memoryOffset)
            buffer.append(contentsOf: memory[memoryOffset..<(memoryOffset + n)])
            memoryOffset += n
            bytesRead += n
            if n == 0 { atEnd = true }
            return n
        }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var filled = 0
        while filled < count {
            let r = buffer.withUnsafeMutableBytes { raw in systemRead(fd, raw.baseAddress! + start + filled, count - filled) }
            if r < 0 {
                if errno == EINTR { continue }
                buffer.removeLast(count - filled)
                throw FileAccessError(path: displayName, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if r == 0 { atEnd = true; break }
            filled += r
        }
        buffer.removeLast(count - filled)
        bytesRead += filled
        #if os(Linux)
            if regularFile, filled > 0, bytesRead + Self.readAhead > advisedUpTo {
                // Only the part not asked for yet: each page of a range asked for is looked up.
                _ = posix_fadvise(fd, off_t(advisedUpTo), off_t(bytesRead + Self.readAhead - advisedUpTo), Int32(POSIX_FADV_WILLNEED))
                advisedUpTo = bytesRead + Self.readAhead
            }
        #endif
        return filled
    }
}

private func systemOpen(_ path: String) -> Int32 { open(path, O_RDONLY) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
