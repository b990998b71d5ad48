import ArgumentParser

// TEMPORARY scaffolding, replaced by the route-model work (issue 3). Must not be committed as is.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import convoy update logs.")
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Replay the update log.")
}

struct WhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "where", abstract: "Where was the convoy at a time.")
}
