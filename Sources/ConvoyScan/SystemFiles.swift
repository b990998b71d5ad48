#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The POSIX file calls the rulebook's file handling needs (reading reports, `--fix --in-place`),
/// with the pointers kept here: paths go in as Strings, bytes as arrays, and what fails says so
/// by its result (nil, false or -1, `errno` set) so that the caller can give ``message(_:)``.
package enum SystemFiles {
    /// The system's message for an error number (strerror(3)): "No such file or directory".
    package static func message(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// stat(2) (or lstat(2), not following a last symbolic link); nil on failure.
    package static func status(_ path: String, followingLinks: Bool = true) -> stat? {
        var info = stat()
        return (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 ? info : nil
    }

    /// open(2); the descriptor, or -1.
    package static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) -> Int32 {
        flags & O_CREAT != 0 ? systemOpen(path, flags, mode) : systemOpen(path, flags)
    }

    /// access(2): whether the file may be used so (`R_OK`, `W_OK`).
    package static func mayAccess(_ path: String, _ mode: Int32) -> Bool { access(path, mode) == 0 }

    /// unlink(2); whether it succeeded.
    @discardableResult
    package static func remove(_ path: String) -> Bool { unlink(path) == 0 }

    /// rename(2); whether it succeeded.
    package static func rename(_ from: String, to: String) -> Bool { systemRename(from, to) == 0 }

    /// realpath(3): the path with every symbolic link resolved; nil on failure.
    package static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// read(2) of up to `count` bytes into `buffer` from index `offset` (which must leave room for
    /// them); how many were read, 0 at the end, -1 on failure.
    package static func read(_ fd: Int32, into buffer: inout [UInt8], at offset: Int, count: Int) -> Int {
        precondition(offset >= 0 && count >= 0 && offset + count <= buffer.count, "a read past the buffer's end")
        return buffer.withUnsafeMutableBytes { raw in systemRead(fd, raw.baseAddress.map { $0 + offset }, count) }
    }

    /// write(2) of the bytes of `bytes` from index `offset`; how many were written, -1 on failure.
    package static func write(_ fd: Int32, _ bytes: [UInt8], from offset: Int) -> Int {
        precondition(offset >= 0 && offset <= bytes.count, "a write from past the bytes' end")
        return bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset) }
    }

    /// The names in a folder (opendir(3), readdir(3)), "." and ".." included, in the folder's
    /// order; nil when it cannot be opened.
    package static func folderEntries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) })
        }
        return names
    }

    /// fnmatch(3) with no flags: whether a shell pattern matches a string.
    package static func matches(_ pattern: String, _ string: String) -> Bool { fnmatch(pattern, string, 0) == 0 }
}

// The system calls under names of their own (the enum's methods have theirs).
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
