import ArgumentParser

// TEMPORARY scaffolding, replaced by the report-checking work (issue 5). Must not be committed as is.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check the place names in reports.")
}
