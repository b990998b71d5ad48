#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file line by line with `getline`, so memory stays bounded by the longest line whatever
/// the file's size. Lines are handed out as raw bytes without the line terminator (LF or CRLF).
public final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// Number of the line last returned, from 1.
    public private(set) var lineNumber = 0
    /// Bytes consumed so far, for progress reports.
    public private(set) var bytesRead: Int64 = 0
    /// Size of the file in bytes when it was opened (0 when unknown, e.g. a pipe).
    public let size: Int64

    /// Opens `path` for reading. Throws ``FileAccessError`` naming the system's reason.
    public init(path: String, displayPath: String? = nil) throws(FileAccessError) {
        let shown = displayPath ?? path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw FileAccessError(path: shown, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw FileAccessError(path: shown, reason: "is a directory") }
        guard let file = fopen(path, "rb") else {
            throw FileAccessError(path: shown, reason: String(cString: strerror(errno)))
        }
        self.file = file
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line's bytes, or nil at the end of the file. Calls `body` with a buffer valid only during the call.
    public func nextLine<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T? {
        let count = getline(&buffer, &capacity, file)
        guard count >= 0, let buffer else { return nil }
        lineNumber += 1
        bytesRead += Int64(count)
        var length = count
        if length > 0, buffer[length - 1] == 0x0A { length -= 1 }
        if length > 0, buffer[length - 1] == 0x0D { length -= 1 }
        return try buffer.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            try body(UnsafeBufferPointer(start: bytes, count: length))
        }
    }
}
