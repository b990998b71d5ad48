import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import Testing

@testable import ConvoyRoute

/// Seeded property tests of the update log (issue 17).
///
/// 1. Random logs built from the grammar of docs/route.md (times in every written form across the
///    supported years, every location expression over the gazetteer's names and LAT,LON, counts,
///    statuses, splits into child units), written as CSV or JSON Lines: a log that passes the check
///    also builds a route model, replays, and answers `where` at random times, without a trap and
///    with JSON that encodes.
/// 2. Hostile mutations of such logs (huge and odd numbers, control characters, odd Unicode,
///    invalid UTF-8, CR/LF/CRLF mixes, truncations, type changes in JSON): each one either checks
///    cleanly (and then replays and answers) or fails with located ``DataErrors`` — never a trap.
///
/// `CONVOY_PROPERTY_ITERATIONS` sets the number of cases of each test (default 30 logs and 150
/// mutations, a few seconds); `CONVOY_PROPERTY_SEED` the base seed; `CONVOY_PROPERTY_VERBOSE=1`
/// prints each case's seed before it runs, so a case that traps can be found and replayed.
struct PropertyTests {
    static let environment = ProcessInfo.processInfo.environment
    static let iterations = environment["CONVOY_PROPERTY_ITERATIONS"].flatMap(Int.init)
    static let baseSeed = environment["CONVOY_PROPERTY_SEED"].flatMap(UInt64.init) ?? 17
    static let verbose = environment["CONVOY_PROPERTY_VERBOSE"] == "1"

    /// What the generator draws from: the gazetteer's names and ids, the roads' ids.
    struct World {
        let gazetteer: Gazetteer
        let roads: RoadNetwork
        let names: [String]

        init() throws {
            gazetteer = try Support.gazetteer()
            roads = try Support.roads(gazetteer)
            var names: [String] = []
            for place in try gazetteer.places() {
                names.append(place.id)
                names += place.names.map(\.text).filter { !$0.contains(",") && !$0.lowercased().contains(" and ") && !$0.lowercased().contains(" of ") }
            }
            self.names = names
        }
    }

    // MARK: Generating logs

    struct Generator {
        var rng: SeededGenerator
        let world: World

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        mutating func pick<T>(_ list: [T]) -> T { list[int(0...(list.count - 1))] }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

        /// A local wall-clock moment: mostly around the reference case (2017), sometimes anywhere
        /// in the supported years, sometimes at their very edges.
        mutating func moment() -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
            let year: Int
            switch int(0...9) {
            case 0: year = pick([1900, 2100])
            case 1: year = int(1900...2100)
            default: year = 2017
            }
            let month = year == 2017 ? int(8...9) : int(1...12)
            let day = int(1...LogTimeParser.daysIn(month: month, year: year))
            return (year, month, day, int(0...23), int(0...59), int(0...59))
        }

        /// A time in one of the written forms. Local times avoid the small hours, where daylight
        /// saving gaps lie (a gap is an error, tested on its own).
        mutating func time() -> (text: String, sortKey: String) {
            let m = moment()
            let date = "\(m.year)-\(two(m.month))-\(two(m.day))"
            let hour = max(m.hour, 4)
            let text: String
            switch int(0...6) {
            case 0, 1: text = date
            case 2: text = "\(date)T\(two(hour)):\(two(m.minute))"
            case 3: text = "\(date) \(two(hour)):\(two(m.minute)):\(two(m.second)).\(int(0...999))"
            case 4: text = "\(date)T\(two(m.hour)):\(two(m.minute))Z"
            case 5:
                let offset = int(-14...14)
                // Stay inside the supported instants at the edges of the years.
                let safe = (m.year == 1900 && offset > 0 && m.month == 1 && m.day == 1) || (m.year == 2100 && offset < 0 && m.month == 12 && m.day == 31)
                text = safe ? "\(date)T12:00Z" : "\(date)T\(two(m.hour)):\(two(m.minute))\(offset < 0 ? "-" : "+")\(two(abs(offset))):\(pick(["00", "30"]))"
            default: text = "\(date)T\(two(hour)):00/\(date)"
            }
            return (text, date)
        }

        mutating func place() -> String { pick(world.names) }

        mutating func location() -> String {
            let km = pick(["0", "1", "2.5", "38", "\(int(0...20000))", "20000", "19999.999"])
            switch int(0...10) {
            case 0: return ""
            case 1: return "at \(place())"
            case 2: return place()
            case 3: return "near \(place())"
            case 4: return "near \(place()) within \(km) km"
            case 5: return "between \(place()) and \(place())"
            case 6: return "\(km) km \(pick(["N", "ESE", "south-west", "east", "NNW"])) of \(place())"
            case 7: return "\(pick(["north", "WSW", "se"])) of \(place())" + (chance(0.5) ? " within \(km) km" : "")
            case 8: return "toward \(place())"
            case 9:
                let lat = pick(["90", "-90", "0", "34.5", "\(Double(int(-90_000...90_000)) / 1000)"])
                let lon = pick(["180", "-180", "0", "38.2", "\(Double(int(-180_000...180_000)) / 1000)"])
                return "\(lat),\(lon)" + (chance(0.5) ? " within \(km) km" : "")
            default: return "at \(place())"
            }
        }

        mutating func count(kinds: [String]) -> String {
            // A count's total is at most Count.maximum: one term may reach it, three stay below a third.
            func number(_ g: inout Generator, largest: Int) -> String {
                let n = g.pick([0, 1, 6, 11, 17, 600, largest, g.int(0...largest)])
                return g.pick(["", "~", ">=", "≥"]) + "\(n)"
            }
            if chance(0.3) { return "" }
            if chance(0.5) { return number(&self, largest: Count.maximum) }
            let terms = int(1...3)
            return (0..<terms).map { i in "\(number(&self, largest: Count.maximum / 3)) \(kinds[i % kinds.count])" }.joined(separator: " + ")
        }

        mutating func quote() -> String {
            pick([
                "17 buses", "Nearly two dozen buses, \"and\" 11 ambulances", "two\nlines", "قافلة من الحافلات", "a ,comma, and a \"quote\"", "  spaced  ",
                "emoji 🚌 and e\u{301}", String(repeating: "long ", count: int(1...200)),
            ])
        }

        /// A log of one to three convoys; each may split into children (and those into theirs, up
        /// to three generations) whose first row is at or after the parent's first row.
        mutating func log() -> [[String: String]] {
            var rows: [[String: String]] = []
            for c in 0..<int(1...3) {
                let convoy = "convoy-\(c)"
                var mainRows: [(text: String, sortKey: String)] = []
                for _ in 0..<int(1...8) { mainRows.append(time()) }
                for t in mainRows { rows.append(row(convoy: convoy, unit: chance(0.5) ? "" : "main", parent: "", time: t.text)) }
                if chance(0.5) {
                    // The children start at the parent's latest row, so never before its first.
                    rows += split(convoy: convoy, unit: "main", at: mainRows.max { $0.sortKey < $1.sortKey }!.sortKey, generation: 1)
                }
            }
            return rows.shuffled(using: &rng)
        }

        /// The split row of `unit` at `date` and its children's rows.
        mutating func split(convoy: String, unit: String, at date: String, generation: Int) -> [[String: String]] {
            var rows = [row(convoy: convoy, unit: unit, parent: "", time: date, status: "split")]
            for child in ["east", "west"].prefix(int(1...2)) {
                let name = generation == 1 ? child : "\(unit)-\(child)"
                rows.append(row(convoy: convoy, unit: name, parent: unit, time: date))
                if generation < 3, chance(0.3) {
                    rows += split(convoy: convoy, unit: name, at: date, generation: generation + 1).map { r in
                        // The split row of a child names its parent too.
                        var r = r
                        if r["unit"] == name { r["parent"] = unit }
                        return r
                    }
                } else if chance(0.5) {
                    let later = date.prefix(4) == "2100" ? date : "\(Int(date.prefix(4))! + 1)-01-01"
                    rows.append(row(convoy: convoy, unit: name, parent: unit, time: later))
                }
            }
            return rows
        }

        mutating func row(convoy: String, unit: String, parent: String, time: String, status: String? = nil) -> [String: String] {
            [
                "time": time, "convoy": convoy, "unit": unit, "parent": parent, "location": location(),
                "status": status ?? pick(ConvoyStatus.allCases.filter { $0 != .split && $0 != .merged }.map(\.rawValue) + ["turned-back", "HALTED"]),
                "vehicles": count(kinds: ["buses", "ambulances", "trucks"]), "people": count(kinds: ["militants", "civilians"]),
                "source": pick(["seeds/a.txt", "seeds/b.txt", "https://example.org/r"]), "quote": quote(),
                "note": chance(0.3) ? quote() : "", "road": chance(0.2) ? pick(world.roads.roads.map(\.id) + ["none"]) : "",
            ]
        }
    }

    static func csv(_ rows: [[String: String]]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || s.hasPrefix(" ") || s.hasSuffix(" ") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([UpdateLog.columns.joined(separator: ",")] + rows.map { r in UpdateLog.columns.map { field(r[$0] ?? "") }.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    static func jsonLines(_ rows: [[String: String]]) throws -> String {
        try rows.map { r in
            var object: [String: Any] = r.filter { !$0.value.isEmpty || UpdateLog.requiredColumns.contains($0.key) }
            if let v = r["vehicles"], let n = Int(v) { object["vehicles"] = n }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    // MARK: Using a log

    /// Builds the model, replays, and asks `where` at random times (and at the edges of the
    /// supported instants): none of it may trap, and every JSON answer must encode.
    static func exercise(_ log: UpdateLog, world: World, rng: inout SeededGenerator) throws {
        let model = ConvoyModel(log: log, roads: NetworkSpace(roads: world.roads.graph))
        _ = try JSONEncoder().encode(RouteJSON.replay(model.replay))
        _ = RouteText.replay(model.replay, zone: log.zone)
        let starts = log.observations.map(\.time.start)
        let lo = starts.min()!, hi = log.observations.map(\.time.end).max()!
        var times = [lo, hi, (lo + hi) / 2, LogTimeParser.supportedInstants.lowerBound, LogTimeParser.supportedInstants.upperBound, lo - 1, hi + 1]
        for _ in 0..<5 { times.append(Double.random(in: (lo - 86_400)...(hi + 86_400), using: &rng)) }
        for t in times {
            let answer = model.answer(.instant(t))
            _ = try JSONEncoder().encode(RouteJSON.answer(answer, query: .instant(t), zone: log.zone, maximumSpeed: model.settings.maximumSpeed))
            _ = RouteText.answer(answer, query: .instant(t), zone: log.zone, maximumSpeed: model.settings.maximumSpeed)
        }
        guard let day = try? LogTimeParser(zone: log.zone).parse(String(TimeText.utc(lo).prefix(10))) else { return }
        let answer = model.answer(.day(from: day.start, to: day.end))
        _ = try JSONEncoder().encode(RouteJSON.answer(answer, query: .day(from: day.start, to: day.end), zone: log.zone, maximumSpeed: model.settings.maximumSpeed))
    }

    /// Every problem of the log path is `file:line:col: message` with no raw control character.
    static func expectLocated(_ errors: DataErrors, _ context: String) {
        for e in errors.errors {
            #expect(e.line != nil && e.column != nil, "\(e) (\(context))")
            let raw = e.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) }
            #expect(!raw, "\(e.description.debugDescription) (\(context))")
        }
    }

    static let zones = [Support.damascus, TimeZone(identifier: "UTC")!, TimeZone(secondsFromGMT: -5 * 3600)!, TimeZone(identifier: "America/New_York")!, TimeZone(identifier: "Pacific/Kiritimati")!]

    @Test func generatedLogsThatCheckAlsoReplayAndAnswer() throws {
        let world = try World()
        let count = Self.iterations ?? 30
        var accepted = 0
        for i in 0..<count {
            let seed = Self.baseSeed &* 1_000_003 &+ UInt64(i)
            if Self.verbose { print("generated log, seed \(seed)") }
            var g = Generator(rng: SeededGenerator(seed: seed), world: world)
            let rows = g.log()
            let zone = g.pick(Self.zones)
            let json = g.chance(0.3)
            let raw = json ? try UpdateLog.jsonLinesRows(try Self.jsonLines(rows), file: "g.jsonl") : try UpdateLog.csvRows(Self.csv(rows), file: "g.csv")
            let log: UpdateLog
            do { log = try UpdateLog.check(rows: raw, file: "g", zone: zone, places: world.gazetteer, knownRoads: Set(world.roads.roads.map(\.id))) } catch let e as DataErrors {
                // Generated logs can still be wrong as a whole (a split whose exact children exceed
                // the parent); such errors are located like any other.
                Self.expectLocated(e, "seed \(seed)")
                if Self.verbose { print("  rejected: \(e.errors.prefix(3).map(\.description))") }
                continue
            }
            accepted += 1
            var rng = g.rng
            try Self.exercise(log, world: world, rng: &rng)
        }
        // The generator is meant to write valid logs: most of them must pass.
        #expect(accepted * 2 >= count, "\(accepted) of \(count) generated logs passed the check")
    }

    // MARK: Mutating logs

    static let hostileFields = [
        "1e308", "-1e308", "9223372036854775807", "99999999999999999999", "-0", "nan", "inf", "0x1p3", "1e-320", "10000001", "20000.001 km",
        "\u{0}", "a\u{0}b", "\u{1B}[2J", "\u{7F}", "\u{85}", "\u{9B}31m", "\u{202E}evil", "\u{2066}x\u{2069}", "\u{2028}", "\u{FEFF}main", "\u{200F}ملاحظة",
        "\u{301}", "e\u{301}\u{301}\u{301}", "\u{FFFD}", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a\rb", "a\r\nb", "\n", "\"", "\"\"", ",", ";", "near", "between and", "within km",
        "near Palmyra within 1e306 km", "1e305 km ESE of Palmyra", "near Palmyra within -1 km", "nan,nan", "91,181", "-0,-0", "0000-01-01",
        "9999-12-31T23:59-14:00", "2017-03-31T00:30", "2017-10-26T23:30", "2017-02-29", "2017-08-28T24:00", "2017-08-28T23:59:60", "1900-01-01T00:00+14:00",
        "2100-12-31T23:59:59.999-14:00", "2017-08-28T12:00+14:59", "2017-08-28/2017-08-27", "//", "a/b/c", String(repeating: "9", count: 5000),
        String(repeating: "x", count: 20_000), "~", ">=", "≥≥1", "+", "1 + + 2", "17 buses + 11", "\t17\t", "turned__back",
    ]

    enum Mutation: CaseIterable { case field, bytes, lineEnds, truncate, duplicateLine, dropLine, jsonType }

    /// A hostile variant of a valid log's bytes.
    static func mutate(_ rows: [[String: String]], json: Bool, g: inout Generator) throws -> Data {
        var rows = rows
        switch g.pick(Mutation.allCases) {
        case .field, .jsonType where !json:
            for _ in 0..<g.int(1...3) {
                let i = g.int(0...(rows.count - 1))
                rows[i][g.pick(UpdateLog.columns)] = g.pick(hostileFields)
            }
            return Data((json ? try jsonLines(rows) : csv(rows)).utf8)
        case .jsonType:
            var text = try jsonLines(rows)
            let replacement = g.pick(["1e308", "true", "false", "null", "17.9", "-3", "[17]", "{\"a\":[]}", "\"\\ud800\"", "\"\\u0000\"", "\"\\u001b[31m\"", "01", "1.", "\"\\x\""])
            if let range = text.range(of: #""[^"]*""#, options: .regularExpression, range: text.index(text.startIndex, offsetBy: min(text.count - 1, g.int(0...text.count)))..<text.endIndex) {
                text.replaceSubrange(range, with: replacement)
            }
            return Data(text.utf8)
        case .bytes:
            var data = [UInt8]((json ? try jsonLines(rows) : csv(rows)).utf8)
            for _ in 0..<g.int(1...4) {
                let byte = g.pick([0x00, 0x0D, 0x0A, 0x22, 0x2C, 0x7B, 0x7D, 0x5C, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF5, 0xFF, UInt8(g.int(0...255))] as [UInt8])
                data.insert(byte, at: g.int(0...data.count))
            }
            return Data(data)
        case .lineEnds:
            let text = json ? try jsonLines(rows) : csv(rows)
            var out = ""
            for c in text { out += c == "\n" ? g.pick(["\n", "\r\n", "\r", "\n\n", "\r\r\n"]) : String(c) }
            return Data(out.utf8)
        case .truncate:
            let data = Data((json ? try jsonLines(rows) : csv(rows)).utf8)
            return data.prefix(g.int(0...data.count))
        case .duplicateLine, .dropLine:
            var lines = (json ? try jsonLines(rows) : csv(rows)).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let i = g.int(0...(lines.count - 1))
            if g.chance(0.5) { lines.insert(lines[i], at: g.int(0...lines.count)) } else { lines.remove(at: i) }
            return Data(lines.joined(separator: "\n").utf8)
        }
    }

    @Test func hostileMutationsCheckCleanlyOrFailWithLocatedErrors() throws {
        let world = try World()
        let count = Self.iterations.map { $0 * 6 } ?? 150
        let folder = ScratchSpace.path("mutations")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var outcomes = (accepted: 0, rejected: 0)
        for i in 0..<count {
            let seed = Self.baseSeed &* 2_000_003 &+ UInt64(i)
            if Self.verbose { print("mutation, seed \(seed)") }
            var g = Generator(rng: SeededGenerator(seed: seed), world: world)
            let rows = g.log()
            let json = g.chance(0.4)
            let data = try Self.mutate(rows, json: json, g: &g)
            let url = folder.appendingPathComponent("m\(i).\(json ? "jsonl" : "csv")")
            try data.write(to: url)
            do {
                let log = try UpdateLog.load(path: url.path, displayPath: url.lastPathComponent, zone: g.pick(Self.zones), places: world.gazetteer, knownRoads: Set(world.roads.roads.map(\.id)))
                outcomes.accepted += 1
                var rng = g.rng
                try Self.exercise(log, world: world, rng: &rng)
            } catch let e as DataErrors {
                outcomes.rejected += 1
                #expect(!e.errors.isEmpty)
                Self.expectLocated(e, "seed \(seed)")
            }
            try? FileManager.default.removeItem(at: url)
        }
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect(outcomes.accepted > 0 && outcomes.rejected > 0, "\(outcomes)")
    }
}
