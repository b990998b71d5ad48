import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where tests write their files: one folder per test process in the system's temporary folder,
/// removed when the process exits, so that a test run leaves nothing behind.
public enum ScratchSpace {
    /// The process's folder, created on first use.
    public static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchSpace.root) }
        return url
    }()

    /// A new, unused path in the folder: `prefix`, a unique part, then `suffix` (".sqlite", ".txt").
    public static func path(_ prefix: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
    }
}
