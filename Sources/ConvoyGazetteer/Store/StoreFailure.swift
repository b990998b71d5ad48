import GRDB

/// The SQLite store could not be read or written, said in words a user can act on ("the store
/// PATH is read-only") rather than as SQLite's result code. The CLI exits 2 (an I/O error) for it.
public struct StoreFailure: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case readOnly, full, busy, damaged, cannotOpen, permission, io, other
    }

    /// The store's file, when known.
    public let path: String?
    public let reason: Reason
    /// SQLite's own message, kept for the details.
    public let detail: String

    public init(path: String?, reason: Reason, detail: String) {
        self.path = path
        self.reason = reason
        self.detail = detail
    }

    /// The failure an SQLite error stands for; nil when `error` is not an SQLite error.
    public init?(_ error: any Error, path: String?) {
        if let failure = error as? StoreFailure {
            self.init(path: failure.path ?? path, reason: failure.reason, detail: failure.detail)
            return
        }
        guard let error = error as? DatabaseError else { return nil }
        let reason: Reason =
            switch error.resultCode {
            case .SQLITE_READONLY: .readOnly
            case .SQLITE_FULL: .full
            case .SQLITE_BUSY, .SQLITE_LOCKED: .busy
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: .damaged
            case .SQLITE_CANTOPEN: .cannotOpen
            case .SQLITE_PERM, .SQLITE_AUTH: .permission
            case .SQLITE_IOERR: .io
            default: .other
            }
        self.init(path: path, reason: reason, detail: error.message ?? "\(error.resultCode)")
    }

    public var description: String {
        let store = path.map { "the store \($0)" } ?? "the store"
        return switch reason {
        case .readOnly: "\(store) is read-only: nothing was written (give a writable file with --db or $CONVOY_DB)"
        case .full: "no space left on the device for \(store): nothing was written"
        case .busy: "\(store) is busy: another convoy process kept it locked for more than 10 s; try again"
        case .damaged: "\(store) is damaged or is not an SQLite database (\(detail)); move it away and convoy builds a new one (imported data is then lost)"
        case .cannotOpen: "cannot open \(store) (\(detail))"
        case .permission: "\(store): permission denied (\(detail))"
        case .io: "I/O error on \(store) (\(detail))"
        case .other: "\(store): \(detail)"
        }
    }
}
