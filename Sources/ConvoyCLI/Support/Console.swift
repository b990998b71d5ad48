import ConvoyExport
import ConvoyGazetteer
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where command output goes. The executable writes to the process's stdout and stderr with
/// write(2) (``DescriptorWriter``); tests swap in a capturing console with
/// `Console.$current.withValue(...)` and run commands in-process.
///
/// All of convoy's standard output passes through ``standardOutput`` — command results, exports to
/// `-o -`, and ArgumentParser's help and usage text (``ConvoyCLI/run(_:)`` prints those). A write
/// that fails (stdout closed, a full disk, /dev/full) is remembered by ``outputFailure``; the command
/// then ends with `convoy: write failed: REASON` on stderr and exit status 2 — except when the reader
/// of a pipe closed it (`convoy export | head`, ``readerClosedOutput``): that is the reader's choice,
/// not an error, and the command ends quietly with the status of its work (README.md, "Commands").
public struct Console: Sendable {
    public var standardOutput: @Sendable (String) -> Void
    public var standardError: @Sendable (String) -> Void
    /// True when stderr is a terminal (progress lines may then be redrawn in place).
    public var errorIsTerminal: Bool
    /// The system's reason ("No space left on device") once a write to standard output has failed.
    public var outputFailure: @Sendable () -> String?
    /// True when that failure was a broken pipe (EPIPE): the reader of standard output closed it.
    public var readerClosedOutput: @Sendable () -> Bool

    public init(
        standardOutput: @escaping @Sendable (String) -> Void, standardError: @escaping @Sendable (String) -> Void, errorIsTerminal: Bool = false,
        outputFailure: @escaping @Sendable () -> String? = { nil }, readerClosedOutput: @escaping @Sendable () -> Bool = { false }
    ) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.errorIsTerminal = errorIsTerminal
        self.outputFailure = outputFailure
        self.readerClosedOutput = readerClosedOutput
    }

    public static let process = Console(
        standardOutput: { DescriptorWriter.standardOutput.write($0) },
        standardError: { DescriptorWriter.standardError.write($0) },
        errorIsTerminal: isatty(2) == 1,
        outputFailure: { DescriptorWriter.standardOutput.failure.map { String(cString: strerror($0)) } },
        readerClosedOutput: { DescriptorWriter.standardOutput.failure == EPIPE })

    @TaskLocal public static var current: Console = .process

    /// Writes `bytes` (UTF-8) to standard output; throws once a write has failed, so that a long
    /// export to `-o -` stops at the first failed write.
    func writeOutput(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        standardOutput(String(decoding: bytes, as: UTF8.self))
        if let failure = outputFailure() { throw FileAccessError(path: Self.standardOutputName, reason: "write failed: \(failure)") }
    }

    /// The path of a ``FileAccessError`` about standard output.
    static let standardOutputName = "standard output"
}

/// Writes text to one of the process's file descriptors with write(2), retrying interrupted and
/// partial writes. The first failure's errno is kept and later writes are dropped (their output
/// would be incomplete anyway); nothing traps, whatever the descriptor is.
public final class DescriptorWriter: Sendable {
    public let descriptor: Int32
    private let firstFailure = Mutex<Int32?>(nil)

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public static let standardOutput = DescriptorWriter(descriptor: 1)
    public static let standardError = DescriptorWriter(descriptor: 2)

    /// The errno of the first failed write, if any.
    public var failure: Int32? { firstFailure.withLock { $0 } }

    /// Records a failure without writing (a descriptor found closed at start-up).
    public func recordFailure(_ code: Int32) {
        firstFailure.withLock { $0 = $0 ?? code }
    }

    public func write(_ text: String) {
        firstFailure.withLock { failure in
            guard failure == nil else { return }
            var text = text
            failure = text.withUTF8 { AtomicFileSink.writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
        }
    }

    /// Makes descriptors 0, 1 and 2 safe before anything else is opened: a closed one is reopened on
    /// /dev/null, so that no file convoy opens (the store, an export's temporary file) can become the
    /// process's stdout and receive its output. A closed stdout is recorded as a failure (EBADF), so
    /// the first output still reports "write failed: Bad file descriptor".
    ///
    /// SIGPIPE is ignored too, so that a write to a pipe whose reader has gone (`convoy … | head`)
    /// fails with EPIPE, which the command handles (a quiet end), instead of killing the process
    /// (status 141, which a script with `set -o pipefail` reads as a crash).
    public static func guardStandardDescriptors() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", O_RDWR)
            if null >= 0, null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
            if descriptor == 1 { standardOutput.recordFailure(EBADF) }
        }
    }
}

/// Writes a line to standard output.
func say(_ text: String = "") {
    Console.current.standardOutput(text + "\n")
}

/// Writes a line to standard error (progress, warnings, errors).
func warn(_ text: String) {
    Console.current.standardError(text + "\n")
}
