#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file line by line through a fixed buffer, so memory stays bounded whatever the input —
/// a 10 GB dump, or /dev/zero, which has no line end at all. Lines are handed out as raw bytes without
/// the line terminator (LF or CRLF); a line longer than ``maximumLineLength`` stops the reading with
/// ``LineTooLong`` (getline would grow its buffer without limit instead).
public final class LineReader {
    /// Longest line accepted, in bytes without its terminator: 64 KiB. GeoNames' alternate-name column
    /// holds at most 10,000 characters (its readme), and the longest line of cities15000.txt is
    /// 3,210 bytes; documented in README ("places import geonames").
    public static let defaultMaximumLineLength = 64 << 10

    /// A line longer than the limit; `column` is the first character (Unicode scalar) past it.
    public struct LineTooLong: Error, Sendable {
        public let line: Int
        public let column: Int
        public let limit: Int
    }

    public let maximumLineLength: Int
    private let descriptor: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// Bytes of `buffer` not yet handed out: `start..<end`.
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// Number of the line last returned, from 1.
    public private(set) var lineNumber = 0
    /// Bytes consumed so far, for progress reports.
    public private(set) var bytesRead: Int64 = 0
    /// Size of the file in bytes when it was opened (0 when unknown, e.g. a pipe).
    public let size: Int64

    /// Opens `path` for reading. Throws ``FileAccessError`` naming the system's reason. Pipes and
    /// devices are read too (`<(unzip -p …)`); a directory is refused.
    public init(path: String, displayPath: String? = nil, maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws(FileAccessError) {
        let shown = displayPath ?? path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileAccessError(path: shown, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw FileAccessError(path: shown, reason: reason)
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw FileAccessError(path: shown, reason: "is a directory")
        }
        self.descriptor = descriptor
        self.maximumLineLength = maximumLineLength
        // Room for a whole line of the maximum length plus its CR LF, and a read's worth more.
        buffer = .allocate(byteCount: maximumLineLength + 2 + (64 << 10), alignment: 16)
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0
    }

    deinit {
        buffer.deallocate()
        close(descriptor)
    }

    /// The next line's bytes, or nil at the end of the file (or on a read error, as getline did).
    /// Calls `body` with a buffer valid only during the call.
    public func nextLine<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        while true {
            // A complete line in the buffer?
            if end > start, let found = memchr(buffer.baseAddress! + start, 0x0A, end - start) {
                let newline = buffer.baseAddress!.distance(to: found) - start
                let lineStart = start
                start += newline + 1
                return try hand(from: lineStart, count: newline, consumed: newline + 1, body)
            }
            if end - start > maximumLineLength + 1 {  // + 1: a CR before the LF still to come
                throw LineTooLong(line: lineNumber + 1, column: scalarCount(start, maximumLineLength) + 1, limit: maximumLineLength)
            }
            if atEnd {
                guard end > start else { return nil }
                let lineStart = start, count = end - start
                start = end
                return try hand(from: lineStart, count: count, consumed: count, body)
            }
            fill()
        }
    }

    private func hand<T>(from lineStart: Int, count: Int, consumed: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        lineNumber += 1
        bytesRead += Int64(consumed)
        var length = count
        if length > 0, buffer[lineStart + length - 1] == 0x0D { length -= 1 }
        guard length <= maximumLineLength else {
            throw LineTooLong(line: lineNumber, column: scalarCount(lineStart, maximumLineLength) + 1, limit: maximumLineLength)
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<(lineStart + length)]).bindMemory(to: UInt8.self)
        return try body(bytes)
    }

    /// Unicode scalars in the `count` bytes from `from` (UTF-8 continuation bytes are not counted).
    private func scalarCount(_ from: Int, _ count: Int) -> Int {
        buffer[from..<(from + count)].reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
    }

    /// Moves the unread bytes to the front and reads more after them.
    private func fill() {
        if start > 0 {
            let pending = end - start
            if pending > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: pending) }
            start = 0
            end = pending
        }
        while true {
            let n = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                atEnd = true
            } else {
                end += n
            }
            return
        }
    }
}
