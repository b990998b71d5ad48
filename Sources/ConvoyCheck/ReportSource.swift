import ConvoyGazetteer
import ConvoyScan

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
        guard let info = SystemFiles.status(path) else { throw FileAccessError(path: path, reason: SystemFiles.message()) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileAccessError(path: path, reason: "is a directory (give the report files, e.g. DIR/*.txt)") }
        let fd = SystemFiles.open(path, O_RDONLY)
        guard fd >= 0 else { throw FileAccessError(path: path, reason: SystemFiles.message()) }
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
            let r = SystemFiles.read(fd, into: &buffer, at: start + filled, count: count - filled)
            if r < 0 {
                if errno == EINTR { continue }
                buffer.removeLast(count - filled)
                throw FileAccessError(path: displayName, reason: "read failed: \(SystemFiles.message())")
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

extension ReportSource {
    /// Every byte left, read in blocks (SARIF and GitHub output keep a report's bytes to count
    /// UTF-16 columns; the check itself never needs them all at once).
    public func readAll() throws(FileAccessError) -> [UInt8] {
        var bytes: [UInt8] = []
        while try read(upTo: 1 << 20, appendingTo: &bytes) > 0 {}
        return bytes
    }

    /// The file-name patterns a directory argument is searched with by default: the extensions
    /// ``ReportFormat/guess(path:)`` reads as Markdown or HTML, and plain text's `.txt` and `.text`.
    public static let defaultReportPatterns = ["*.txt", "*.text", "*.md", "*.markdown", "*.mdown", "*.html", "*.htm", "*.xhtml"]

    /// What a directory holds for checking: report paths in sorted order, and what could not be read.
    public struct DirectoryListing: Sendable {
        /// Paths (the directory as given, then `/` and the path inside it), sorted by their bytes.
        public var paths: [String] = []
        /// Folders and files that could not be read, and symbolic links that loop, with the reason.
        public var problems: [FileAccessError] = []
    }

    /// The reports inside `directory`, recursively: regular files (or links to them) whose name —
    /// or, for a pattern with a `/`, whose path below `directory` — matches one of `patterns`
    /// (fnmatch(3) shell patterns: `*`, `?`, `[…]`). Symbolic links are followed; a link back into
    /// a folder being walked (a loop), one that loops by itself, a dangling link or an unreadable
    /// folder or file is a problem with its reason, and the walk goes on. Hidden entries (a name
    /// starting with `.`, such as `.git`) are skipped.
    public static func reports(in directory: String, matching patterns: [String]) -> DirectoryListing {
        var listing = DirectoryListing()
        guard let info = SystemFiles.status(directory) else {
            listing.problems.append(FileAccessError(path: directory, reason: SystemFiles.message()))
            return listing
        }
        var ancestors: [(dev_t, ino_t)] = []
        func walk(_ path: String, relative: String, _ folder: stat) {
            guard !ancestors.contains(where: { $0 == (folder.st_dev, folder.st_ino) }) else {
                listing.problems.append(FileAccessError(path: path, reason: "symbolic link loop: it leads back to a folder that contains it; not followed"))
                return
            }
            guard let entries = SystemFiles.folderEntries(path) else {
                listing.problems.append(FileAccessError(path: path, reason: "folder not read: \(SystemFiles.message())"))
                return
            }
            let names = entries.filter { !$0.hasPrefix(".") }
            ancestors.append((folder.st_dev, folder.st_ino))
            defer { ancestors.removeLast() }
            for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let child = path.hasSuffix("/") ? path + name : path + "/" + name
                let inside = relative.isEmpty ? name : relative + "/" + name
                guard let target = SystemFiles.status(child) else {
                    let reason = errno == ELOOP ? "symbolic link loop (too many levels of links); not followed"
                        : errno == ENOENT ? "dangling symbolic link (its target does not exist)" : SystemFiles.message()
                    listing.problems.append(FileAccessError(path: child, reason: reason))
                    continue
                }
                switch target.st_mode & S_IFMT {
                case S_IFDIR:
                    walk(child, relative: inside, target)
                case S_IFREG:
                    guard patterns.contains(where: { matches($0, name: name, relative: inside) }) else { continue }
                    if !SystemFiles.mayAccess(child, R_OK) {
                        listing.problems.append(FileAccessError(path: child, reason: "not readable: \(SystemFiles.message())"))
                    } else {
                        listing.paths.append(child)
                    }
                default:
                    continue  // FIFOs, sockets, devices: not reports, and reading one could block
                }
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            listing.paths.append(directory)
            return listing
        }
        walk(directory, relative: "", info)
        return listing
    }

    /// Whether a shell pattern matches a file: its name, or its path below the folder when the
    /// pattern has a `/`.
    static func matches(_ pattern: String, name: String, relative: String) -> Bool {
        SystemFiles.matches(pattern, pattern.contains("/") ? relative : name)
    }
}

