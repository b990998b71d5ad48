/// An error reported by PROJ, carrying PROJ's own message(s) so the user sees what PROJ said.
public struct ProjError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What convoy was doing ("creating the transformation EPSG:4326 → EPSG:99999").
    public let operation: String
    /// PROJ's error number (0 when PROJ gave none).
    public let code: Int32
    /// PROJ's messages: the log lines it emitted, else `proj_context_errno_string`.
    public let messages: [String]

    public var description: String {
        let detail = messages.isEmpty ? "no message from PROJ" : messages.joined(separator: "; ")
        return "PROJ error while \(operation): \(detail)"
    }
}
