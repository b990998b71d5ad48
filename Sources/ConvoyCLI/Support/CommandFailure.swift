/// A failure a command reports itself, with the exit status it maps to.
/// Status 1: findings or failure (a name that does not resolve, bad data); 2: usage or I/O error.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let status: Int32

    static func findings(_ message: String) -> CommandFailure { CommandFailure(message: message, status: 1) }
    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, status: 2) }

    var description: String { message }
}

/// Thrown after a command has already printed its findings (exit 1 with nothing more to say).
struct FindingsReported: Error {}
