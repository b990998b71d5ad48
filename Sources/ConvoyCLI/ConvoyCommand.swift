import ArgumentParser
import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Logging

/// The `convoy` command: track convoys on a map from news reports.
public struct ConvoyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "convoy",
        abstract: "Track convoys on a map from news reports.",
        discussion: """
            Places come from a cited gazetteer held in an SQLite store, built on first use from the
            bundled Gazetteer/places.geojson. Every command takes --json for machine-readable output.
            Exit status: 0 success, 1 findings or failure, 2 usage or I/O error.
            """,
        subcommands: [PlacesCommand.self, DistanceCommand.self, RouteCommand.self, ImportCommand.self, ReplayCommand.self, WhereCommand.self, ExportCommand.self, ViewCommand.self, CheckCommand.self]
    )

    public init() {}
}

/// Runs convoy's commands in-process and returns the exit status; the executable is a thin wrapper.
public enum ConvoyCLI {
    /// The executable's entry point: makes the standard descriptors safe (see
    /// ``DescriptorWriter/guardStandardDescriptors()``), then runs the command.
    public static func main(_ arguments: [String]) -> Int32 {
        DescriptorWriter.guardStandardDescriptors()
        return run(arguments)
    }

    /// Runs a command line (without the program name). Everything it prints goes through
    /// `Console.current`, ArgumentParser's help and usage text included; when a write to standard
    /// output failed, the run ends with `convoy: write failed: REASON` and status 2, whatever else happened
    /// — unless the failure was a pipe closed by its reader (`convoy export | head`): then the run ends
    /// quietly, with status 0 (or what the command's work gave, 1 for check's findings).
    public static func run(_ arguments: [String]) -> Int32 {
        _ = loggingBootstrap
        return DataLocations.$resolvedStore.withValue(ResolvedStorePath()) {
            var importing = false
            var status: Int32
            do {
                var command = try ConvoyCommand.parseAsRoot(arguments)
                importing = command is ImportCommand || command is PlacesCommand.Import.GeoNames
                try command.run()
                status = 0
            } catch {
                if Console.current.outputFailure() == nil {
                    status = report(error, importing: importing)
                } else if Console.current.readerClosedOutput() {
                    // The reader closed the pipe: an export stopped at its first failed write has done
                    // what was asked of it; any other error (check's findings: 1) is reported as usual.
                    status = (error as? FileAccessError)?.path == Console.standardOutputName ? 0 : report(error, importing: importing)
                } else {
                    status = 2  // a failed write to stdout explains whatever followed it (an export stopped early)
                }
            }
            // `convoy … | head`: the reader wanted no more. Nothing to say, and not an error.
            if Console.current.readerClosedOutput() { return status }
            if let failure = Console.current.outputFailure() {
                warn("convoy: write failed: \(failure)")
                return 2
            }
            return status
        }
    }

    /// Library log messages go to stderr at warning level and above; `CONVOY_LOG=info|debug|trace` shows more.
    static let loggingBootstrap: Void = {
        let level = ProcessInfo.processInfo.environment["CONVOY_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    /// Prints an error the way a user should see it and maps it to the exit status. `importing`: the
    /// command was an import, which changes nothing when it fails (said after data errors).
    static func report(_ error: any Error, importing: Bool = false) -> Int32 {
        if let failure = StoreFailure(error, path: DataLocations.resolvedStore?.path) {
            warn("convoy: \(failure)")
            return 2
        }
        switch error {
        case is FindingsReported:
            return 1
        case let failure as CommandFailure:
            warn("convoy: \(failure.message)")
            return failure.status
        case let exit as ExitCode:
            return exit.rawValue
        case let failure as FileAccessError:
            warn("convoy: \(failure)")
            return 2
        case let failure as DataErrors:
            warn(failure.description)
            if importing { warn("convoy: nothing was imported") }
            return 1
        case let failure as GazetteerError:
            warn("convoy: \(failure)")
            return 2
        case let failure as ProjError:
            warn("convoy: \(failure)")
            return 1
        case let failure as CoordinateError:
            warn("convoy: \(failure)")
            return 2
        default:
            let code = ConvoyCommand.exitCode(for: error)
            let message = ConvoyCommand.fullMessage(for: error)
            if code == .success {
                say(message)
                return 0
            }
            if code == .validationFailure {
                warn(message)
                return 2
            }
            warn("convoy: \(message.isEmpty ? String(describing: error) : message)")
            return code.rawValue == 0 ? 1 : (code.rawValue == 64 ? 2 : 1)
        }
    }
}

/// Resolves a place argument: a place id, a name in any spelling or script, or `LAT,LON` when allowed.
struct PlaceArgument {
    /// The resolved place, or nil for raw coordinates.
    let match: NameMatch?
    let point: GeoPoint
    /// Other places the same name resolves to.
    let alternatives: [NameMatch]
    let text: String

    static func resolve(_ text: String, in store: Gazetteer, allowCoordinates: Bool) throws -> PlaceArgument {
        if allowCoordinates, let point = GeoPoint(parsing: Substring(text)) {
            return PlaceArgument(match: nil, point: point, alternatives: [], text: text)
        }
        if allowCoordinates, text.contains(","), text.split(separator: ",").count == 2,
            text.split(separator: ",").allSatisfy({ Double($0.trimmingCharacters(in: .whitespaces)) != nil })
        {
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            _ = try GeoPoint(latitude: parts[0], longitude: parts[1])  // throws the precise range error
        }
        if let place = try store.place(id: text) {
            let name = place.names.first { $0.text == place.name } ?? place.names[0]
            return PlaceArgument(match: NameMatch(place: place, name: name, match: .exact), point: place.location, alternatives: [], text: text)
        }
        let matches = try store.resolve(text)
        guard let best = matches.first else {
            let suggestions = try store.suggestions(for: text)
            var message = "no place called \"\(text)\" in the gazetteer"
            if suggestions.isEmpty {
                message += " (and nothing similar)"
            } else {
                message += "; did you mean:\n" + TextFormat.suggestionLines(suggestions).joined(separator: "\n")
            }
            throw CommandFailure.findings(message)
        }
        return PlaceArgument(match: best, point: best.place.location, alternatives: Array(matches.dropFirst()), text: text)
    }

    /// One stderr line when the name also fits other places.
    func warnIfAmbiguous() {
        guard let match, !alternatives.isEmpty else { return }
        let others = alternatives.map { "\($0.place.name) [\($0.place.id)]" }.joined(separator: ", ")
        warn("convoy: \"\(text)\" also names \(others); using \(match.place.name) [\(match.place.id)] — give an id to choose")
    }
}
