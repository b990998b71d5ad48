import ArgumentParser
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoute
import Foundation

/// Where `replay` and `where` read the update log from, and the zone of times without an offset.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read this update log (CSV, or JSON Lines: .jsonl) instead of the imported one.", valueName: "file"))
    var updates: String?

    /// Parsed `.unconditional`: the value after `--zone` is taken even when it starts with `-`, so
    /// `--zone -05:00` is a zone (as `--zone=-05:00` is), not a missing value.
    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp("Zone for times without an offset (IANA name or ±hh:mm).", discussion: "Default: Asia/Damascus (UTC+3 in summer 2017).", valueName: "zone"))
    var zone: String?

    // roads: route over this road file for this run only (docs/roads.md).
    @Option(name: .long, help: ArgumentHelp("Route over the roads in this GeoJSON file (this run only).", discussion: "Default: the roads imported with `convoy import roads`, else the bundled Gazetteer/roads.geojson.", valueName: "file"))
    var roads: String?

    @Option(name: .long, help: ArgumentHelp("The speed no convoy exceeds, km/h.", discussion: "Default: 100 km/h, what coaches' speed limiters allow (docs/route.md). A unit whose log rows give max_speed_kmh keeps that speed; this option sets it for the others.", valueName: "km/h"))
    var maxSpeed: Double?

    func timeZone() throws -> TimeZone {
        try Self.timeZone(named: zone)
    }

    static func timeZone(named zone: String?) throws -> TimeZone {
        let name = zone ?? LogTimeParser.defaultZoneIdentifier
        guard let tz = LogTimeParser.zone(named: name) else {
            var hint = "an IANA name such as Asia/Damascus, or an offset such as +03:00 or -05:00"
            if name.hasPrefix("--") { hint = "--zone needs a value: " + hint }
            throw CommandFailure.usage("unknown time zone \"\(ControlCharacters.escaped(name))\": \(hint)")
        }
        return tz
    }
}

/// The gazetteer, roads and update log a route command works on.
struct RouteContext {
    let gazetteer: Gazetteer
    let roads: RoadNetwork
    let model: ConvoyModel
    let zone: TimeZone

    /// Opens the store and the roads, and reads the log: `--updates FILE`, else the imported log,
    /// else the bundled seeds/updates.csv beside the gazetteer (with a note on stderr).
    static func open(store: StoreOptions, log options: LogOptions) throws -> RouteContext {
        let gazetteer = try store.open()
        let directory = try DataLocations.gazetteerDirectory(option: store.gazetteer)
        let roads = try loadRoads(directory, gazetteer, file: options.roads)
        let known = Set(roads.roads.map(\.id))
        var zone = try options.timeZone()
        let log: UpdateLog
        if let path = options.updates {
            log = try UpdateLog.load(path: path, zone: zone, places: gazetteer, knownRoads: known)
        } else if let stored = try RouteStore(gazetteer).load(places: gazetteer, knownRoads: known) {
            log = stored
            if options.zone == nil { zone = stored.zone }
        } else if let seeds = directory?.deletingLastPathComponent().appendingPathComponent("seeds/updates.csv"), FileManager.default.fileExists(atPath: seeds.path) {
            warn("convoy: no update log imported; using the bundled \(seeds.path) (import one with `convoy import updates FILE`)")
            log = try UpdateLog.load(path: seeds.path, displayPath: "seeds/updates.csv", zone: zone, places: gazetteer, knownRoads: known)
        } else {
            throw CommandFailure.usage("no update log: pass --updates FILE or run `convoy import updates FILE`")
        }
        var settings = ModelSettings()
        if let kmh = options.maxSpeed {
            guard kmh.isFinite, kmh > 0, kmh <= 1000 else { throw CommandFailure.usage("--max-speed must be a speed in km/h above 0 and at most 1000") }
            settings.maximumSpeed = kmh / 3.6
        }
        return RouteContext(gazetteer: gazetteer, roads: roads, model: ConvoyModel(log: log, roads: NetworkSpace(roads: roads.graph), settings: settings), zone: zone)
    }

    /// `--roads FILE`, else the imported roads, else the bundled ones (RoadSources.swift).
    static func loadRoads(_ directory: URL?, _ gazetteer: Gazetteer, file: String? = nil) throws -> RoadNetwork {
        try RoadSources.load(file: file, gazetteer: gazetteer, directory: directory)
    }

    func checkConvoy(_ convoy: String?) throws {
        guard let convoy, !model.convoys.contains(convoy) else { return }
        throw CommandFailure.findings(ControlCharacters.escaped("no convoy \"\(convoy)\" in \(model.log.file); the convoys are \(model.convoys.joined(separator: ", "))"))
    }
}

/// `convoy import updates FILE`: check every row, then store them all in one transaction, or none.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a convoy update log or a road file into the store.",
        discussion: "Every row is checked first; bad rows are listed as file:line:col: message and nothing is stored. A good log replaces the stored one in one transaction. Format: docs/route.md.")

    @Argument(help: "What to import: updates or roads.") var kind: String
    @Argument(help: "The update log (CSV, or JSON Lines with .jsonl), or the road file (GeoJSON).") var file: String
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Zone for times without an offset (IANA name or ±hh:mm).", discussion: "Default: Asia/Damascus.", valueName: "zone"))
    var zone: String?
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard kind == "updates" || kind == "roads" else { throw ValidationError("convoy import knows two kinds of data: `convoy import updates FILE` and `convoy import roads FILE` (got \"\(kind)\")") }
    }

    func run() throws {
        if kind == "roads" { return try ImportRoads.run(file: file, zone: zone, store: store, output: output) }  // ImportRoadsCommand.swift
        let tz = try LogOptions.timeZone(named: zone)
        let gazetteer = try store.open()
        let roads = try RouteContext.loadRoads(try DataLocations.gazetteerDirectory(option: store.gazetteer), gazetteer)
        let log = try UpdateLog.load(path: file, zone: tz, places: gazetteer, knownRoads: Set(roads.roads.map(\.id)))
        let routeStore = try RouteStore(gazetteer)
        try routeStore.replace(with: log)
        let units = Set(log.observations.map { "\($0.convoy)/\($0.unit)" })
        let convoys = Set(log.observations.map(\.convoy)).sorted()
        if output.json {
            try printJSON(JSONValue.object([
                "file": .string(file), "store": .string(gazetteer.path), "zone": .string(tz.identifier), "rows": .int(log.observations.count),
                "convoys": .array(convoys.map { .string($0) }), "units": .int(units.count),
                "notes": .array(log.notes.map { .string($0.description) }),
            ]))
            return
        }
        for note in log.notes { warn("\(note.description) (note)") }
        say("imported \(log.observations.count) rows (\(convoys.count) convoys, \(units.count) units) from \(ControlCharacters.escaped(file)) into \(ControlCharacters.escaped(gazetteer.path))")
    }
}

extension LogOptions {
    init(updates: String?, zone: String?) {
        self.init()
        self.updates = updates
        self.zone = zone
    }
}

/// `convoy replay`: the state after each observation, in time order.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay the update log: the state after each observation.",
        discussion: "Per convoy and unit: position or stretch of road, status, vehicles, distance along the route, speed, sources, and anomalies (reported, never fixed). Exit 0 unless --strict and anomalies were found.")

    @Option(name: .long, help: "Only this convoy.") var convoy: String?
    @Flag(name: .long, help: "Exit 1 when any anomaly is reported.") var strict = false
    @OptionGroup var log: LogOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let context = try RouteContext.open(store: store, log: log)
        try context.checkConvoy(convoy)
        let states = context.model.replay.filter { convoy == nil || $0.convoy == convoy }
        if output.json {
            try printJSON(RouteJSON.replay(states))
        } else {
            for line in RouteText.replay(states, zone: context.zone) { say(line) }
        }
        if strict, states.contains(where: { !$0.anomalies.isEmpty }) { throw FindingsReported() }
    }
}

/// `convoy where`: each unit's best position at an instant or over a day.
struct WhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where", abstract: "Where was the convoy at a time, or on a day?",
        discussion: "Each report is a space-time constraint; the answer is every stretch of road the unit can be on, consistent with all of them at the maximum speed, and a best estimate inside it. Model: docs/route.md.")

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("An instant (ISO 8601); repeat for several.", valueName: "time")) var at: [String] = []
    @Option(name: .long, help: ArgumentHelp("A whole day YYYY-MM-DD in the zone.", valueName: "date")) var on: String?
    @Option(name: .long, help: ArgumentHelp("A file of instants, one per line.", valueName: "file")) var times: String?
    @Option(name: .long, help: "Only this convoy.") var convoy: String?
    @OptionGroup var log: LogOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        let given = (at.isEmpty ? 0 : 1) + (on == nil ? 0 : 1) + (times == nil ? 0 : 1)
        if given == 0 { throw ValidationError("give --at TIME, --on DATE or --times FILE") }
        if on != nil, given > 1 { throw ValidationError("--on asks about a whole day; do not combine it with --at or --times") }
    }

    func run() throws {
        let zone = try log.timeZone()
        let parser = LogTimeParser(zone: zone)
        var queries: [WhereTime] = []
        func instant(_ text: String, _ origin: String) throws -> WhereTime {
            let t: ObservationTime
            var notes: [String] = []
            do { t = try parser.parse(text, notes: &notes) } catch { throw CommandFailure.usage("\(ControlCharacters.escaped(origin)): \(error.message)") }
            // A local time the clocks showed twice is no instant: say so rather than pick one.
            if let note = notes.first { throw CommandFailure.usage("\(ControlCharacters.escaped(origin)): \(ControlCharacters.escaped(note))") }
            guard t.precision == .instant else {
                throw CommandFailure.usage("\(ControlCharacters.escaped(origin)): \"\(ControlCharacters.escaped(text))\" is not an instant; use --on DATE for a whole day")
            }
            return .instant(t.start)
        }
        for text in at { queries.append(try instant(text, "--at")) }
        if let times {
            let text = try UpdateLog.readText(path: times)
            for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                let s = line.trimmingCharacters(in: .whitespaces)
                if s.isEmpty || s.hasPrefix("#") { continue }
                let column = line.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count + 1
                queries.append(try instant(s, "\(times):\(n + 1):\(column)"))
            }
            if queries.isEmpty { throw CommandFailure.usage("\(times): no times in the file") }
        }
        if let on {
            let t: ObservationTime
            do { t = try parser.parse(on) } catch { throw CommandFailure.usage("--on: \(error.message)") }
            guard t.precision == .day else { throw CommandFailure.usage("--on: \"\(ControlCharacters.escaped(on))\" is not a date (YYYY-MM-DD); use --at for an instant") }
            queries.append(.day(from: t.start, to: t.end))
        }
        let context = try RouteContext.open(store: store, log: log)
        try context.checkConvoy(convoy)
        let outputZone = log.zone == nil ? context.zone : zone
        let nearest: (GeoPoint) -> [NearPlace] = { point in (try? context.gazetteer.landmarks(near: point)) ?? [] }
        if queries.count > 1 { warn("convoy: answering \(queries.count) queries") }
        let answers = queries.map { ($0, context.model.answer($0, convoy: convoy, nearest: nearest)) }
        if output.json {
            let objects = answers.map { RouteJSON.answer($1, query: $0, zone: outputZone, maximumSpeed: context.model.settings.maximumSpeed) }
            try printJSON(objects.count == 1 ? objects[0] : JSONValue.object(["queries": .array(objects)]))
            return
        }
        for (i, (query, answer)) in answers.enumerated() {
            if i > 0 { say() }
            for line in RouteText.answer(answer, query: query, zone: outputZone, maximumSpeed: context.model.settings.maximumSpeed) { say(line) }
        }
    }
}
