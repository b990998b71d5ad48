import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One row as written, before checking: field name → text with its position. This is also what the
/// store keeps, so a stored log is re-read exactly as the file was.
public struct RawRow: Sendable, Hashable {
    public let line: Int
    public let fields: [String: CSVField]

    public init(line: Int, fields: [String: CSVField]) {
        self.line = line
        self.fields = fields
    }

    public func text(_ name: String) -> String { fields[name]?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
}

/// How names in the log meet the gazetteer; ``Gazetteer`` conforms. A protocol so that tests and
/// the benchmark can resolve without a store.
public protocol PlaceResolving {
    /// The place a log's name or place id stands for, best first, or suggestions when none.
    func routePlaces(for text: String) throws -> PlaceLookup
}

/// The answer of ``PlaceResolving``.
public enum PlaceLookup: Sendable {
    case found([RoutePlace])
    case notFound(suggestions: [String])
}

extension Gazetteer: PlaceResolving {
    public func routePlaces(for text: String) throws -> PlaceLookup {
        if let place = try place(id: text) { return .found([RoutePlace(place)]) }
        let matches = try resolve(text)
        if !matches.isEmpty { return .found(matches.map { RoutePlace($0.place) }) }
        return .notFound(suggestions: try suggestions(for: text).map { "\($0.place.name) [\($0.place.id)]" })
    }
}

/// A checked update log: observations in file order, plus notes that are not errors
/// (rows out of time order, ambiguous names).
public struct UpdateLog: Sendable {
    public let file: String
    public let observations: [Observation]
    public let notes: [DataError]
    /// The rows as written (what an import stores).
    public let rows: [RawRow]
    /// The log's zone for times without an offset.
    public let zone: TimeZone

    /// The columns of the CSV header; `time`, `convoy`, `location`, `status`, `source`, `quote` are required.
    public static let columns = ["time", "convoy", "unit", "parent", "location", "status", "vehicles", "people", "source", "quote", "note", "road", "max_speed_kmh"]
    public static let requiredColumns: Set<String> = ["time", "convoy", "location", "status", "source", "quote"]
    /// The unit of a row that names none.
    public static let defaultUnit = "main"
    /// The columns whose text may span lines (a quote, the analyst's note); a line break anywhere
    /// else is an error.
    public static let multilineColumns: Set<String> = ["quote", "note"]
    /// How deep splits may nest: a unit may be split from a unit split from … at most this many
    /// times. No convoy divides a hundred generations deep; the bound keeps the model's walk over
    /// parents short.
    public static let maximumSplitDepth = 100
    /// The largest `max_speed_kmh` a log may give: 300 km/h. No road convoy moves faster (the
    /// fastest road vehicles in service are far slower in a column of buses or trucks), and the road
    /// files' own `max_speed_kmh` has the same bound (docs/roads.md); a larger number is a typo.
    public static let maximumSpeedKmh = 300.0
    /// At most this many errors are listed.
    public static let errorLimit = 100

    /// `10,000,000`.
    static func grouped(_ n: Int) -> String {
        var digits = String(n.magnitude), out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }

    /// The largest log file read: 256 MiB (about a million rows). A bound, so that a device or a
    /// runaway pipe cannot fill the memory.
    public static let maximumFileSize = 256 << 20

    /// Reads a CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`) log from disk and checks it. The file
    /// may be a regular file or a pipe (`--updates <(…)`); devices and directories are refused.
    /// - Throws: ``FileAccessError`` when the file cannot be read, ``DataErrors`` listing every bad row.
    public static func load(path: String, displayPath: String? = nil, zone: TimeZone, places: some PlaceResolving, knownRoads: Set<String> = []) throws -> UpdateLog {
        let shown = displayPath ?? path
        let data = try read(path: path, shown: shown)
        let lower = path.lowercased()
        let rows: [RawRow]
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            rows = try jsonLinesRows(data, file: shown)
        } else {
            let text: String
            do { text = try UTF8Text.decode(data, file: shown, crEndsLines: true) } catch { throw DataErrors([error]) }
            rows = try csvRows(text, file: shown)
        }
        return try check(rows: rows, file: shown, zone: zone, places: places, knownRoads: knownRoads)
    }

    /// The UTF-8 text of a file read as a log is (a regular file or a pipe, at most
    /// ``maximumFileSize``; lines end at LF, CRLF or CR), for files of times and the like.
    /// - Throws: ``FileAccessError``, or ``DataErrors`` at the first byte that is not UTF-8.
    public static func readText(path: String, displayPath: String? = nil) throws -> String {
        let shown = displayPath ?? path
        let data = try read(path: path, shown: shown)
        do { return try UTF8Text.decode(data, file: shown, crEndsLines: true) } catch { throw DataErrors([error]) }
    }

    /// The bytes of a log file, at most ``maximumFileSize``.
    static func read(path: String, shown: String) throws(FileAccessError) -> Data {
        func failure(_ reason: String) -> FileAccessError { FileAccessError(path: shown, reason: reason) }
        func reason(_ code: Int32) -> String {
            switch code {
            case ENOENT: "no such file"
            case EACCES, EPERM: "permission denied"
            case ENOTDIR: "a folder on the way is not a folder"
            case EISDIR: "is a folder, not a file"
            default: String(cString: strerror(code))
            }
        }
        guard !path.isEmpty else { throw failure("no file named (an empty path)") }
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure(reason(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO: break
        case S_IFDIR: throw failure("is a folder, not a file")
        case S_IFCHR: throw failure("is not a regular file but a character device; an update log is a CSV or JSON Lines file")
        case S_IFBLK: throw failure("is not a regular file but a block device; an update log is a CSV or JSON Lines file")
        case S_IFSOCK: throw failure("is not a regular file but a socket; an update log is a CSV or JSON Lines file")
        default: throw failure("is not a regular file; an update log is a CSV or JSON Lines file")
        }
        if info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) > maximumFileSize {
            throw failure("is \(Int(info.st_size) >> 20) MiB, more than the \(maximumFileSize >> 20) MiB an update log may have")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(reason(errno)) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var data = Data()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { throw failure("cannot be read (\(error.localizedDescription))") }
            guard let chunk, !chunk.isEmpty else { break }
            data.append(chunk)
            if data.count > maximumFileSize { throw failure("holds more than the \(maximumFileSize >> 20) MiB an update log may have") }
        }
        return data
    }

    /// Splits CSV text into rows keyed by the header's column names.
    public static func csvRows(_ text: String, file: String) throws(DataErrors) -> [RawRow] {
        let records: [CSVRecord]
        do { records = try CSVReader.records(text, file: file) } catch { throw DataErrors([error]) }
        guard let header = records.first else {
            throw DataErrors([DataError(file: file, line: 1, column: 1, message: "the log is empty: expected a header row (\(columns.joined(separator: ",")))")])
        }
        var errors: [DataError] = []
        var names: [String] = []
        for field in header.fields {
            let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
            if let bad = field.forbidden {
                errors.append(DataError(file: file, line: bad.line, column: bad.column, message: "the header contains \(ControlCharacters.name(bad.scalar)), a control or formatting character a log may not hold"))
            } else if !columns.contains(name) {
                errors.append(DataError(file: file, line: field.line, column: field.column, message: "unknown column \"\(field.text)\"; the columns are \(columns.joined(separator: ", "))"))
            } else if names.contains(name) {
                errors.append(DataError(file: file, line: field.line, column: field.column, message: "column \"\(name)\" appears twice"))
            }
            names.append(name)
        }
        let missing = requiredColumns.subtracting(names).sorted()
        if !missing.isEmpty {
            errors.append(DataError(file: file, line: header.line, column: 1, message: "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))"))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        if records.count == 1 { throw DataErrors([DataError(file: file, line: header.line + 1, column: 1, message: "the log has a header but no rows")]) }
        var rows: [RawRow] = []
        for record in records.dropFirst() {
            if record.fields.count != names.count {
                errors.append(DataError(file: file, line: record.line, column: 1, message: "\(record.fields.count) fields, but the header has \(names.count)"))
                continue
            }
            var fields: [String: CSVField] = [:]
            for (name, field) in zip(names, record.fields) { fields[name] = field }
            rows.append(RawRow(line: record.line, fields: fields))
        }
        if !errors.isEmpty { throw DataErrors(Array(errors.prefix(errorLimit)), truncated: errors.count > errorLimit) }
        return rows
    }

    /// Splits JSON Lines text (one object per line with the CSV's column names) into rows.
    public static func jsonLinesRows(_ text: String, file: String) throws(DataErrors) -> [RawRow] {
        try jsonLinesRows(Data(text.utf8), file: file)
    }

    /// Splits JSON Lines (UTF-8; LF or CRLF line ends; an optional byte-order mark) into rows. Each
    /// non-blank line is one object; a value is a string or null (empty), and `vehicles` and
    /// `people` may also be a whole number written with digits (`17`). Errors point at the key or
    /// value concerned.
    public static func jsonLinesRows(_ data: Data, file: String) throws(DataErrors) -> [RawRow] {
        do { _ = try UTF8Text.decode(data, file: file, crEndsLines: false) } catch { throw DataErrors([error]) }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var rows: [RawRow] = []
        var errors: [DataError] = []
        for (index, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            var scanner = JSONLine(bytes: line, line: lineNumber, file: file)
            let members: [JSONLine.Member], objectColumn: Int
            do { (members, objectColumn) = try scanner.members() } catch {
                errors.append(error)
                continue
            }
            var fields: [String: CSVField] = [:]
            var seen = Set<String>()
            for member in members {
                let key = member.key
                func fail(_ message: String, at column: Int? = nil) {
                    errors.append(DataError(file: file, line: lineNumber, column: column ?? member.valueColumn, message: message))
                }
                guard columns.contains(key) else {
                    fail("unknown field \"\(key)\"; the fields are \(columns.joined(separator: ", "))", at: member.keyColumn)
                    continue
                }
                guard seen.insert(key).inserted else {
                    fail("field \"\(key)\" appears twice in the object", at: member.keyColumn)
                    continue
                }
                let countField = key == "vehicles" || key == "people"
                switch member.value {
                case .string(let text, let forbidden, let lineBreak):
                    fields[key] = CSVField(text: text, line: lineNumber, column: member.valueColumn, forbidden: forbidden, lineBreak: lineBreak)
                case .null:
                    fields[key] = CSVField(text: "", line: lineNumber, column: member.valueColumn)
                case .number(let written) where countField:
                    guard written.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                        fail("\"\(key)\" is \(written), not a count: write a whole number such as 17, or a string such as \"17 buses + 11 ambulances\"")
                        continue
                    }
                    fields[key] = CSVField(text: written, line: lineNumber, column: member.valueColumn)
                case .number(let written) where key == "max_speed_kmh":
                    // Checked with the CSV's text rules: plain digits, at most one decimal point.
                    fields[key] = CSVField(text: written, line: lineNumber, column: member.valueColumn)
                default:
                    fail("\"\(key)\" must be a string\(countField ? " or a whole number" : key == "max_speed_kmh" ? " or a number" : ""), found \(member.value.found)")
                }
            }
            let missing = requiredColumns.subtracting(seen).sorted()
            if !missing.isEmpty {
                errors.append(DataError(file: file, line: lineNumber, column: objectColumn, message: "missing field\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))"))
            }
            rows.append(RawRow(line: lineNumber, fields: fields))
        }
        if !errors.isEmpty { throw DataErrors(Array(errors.prefix(errorLimit)), truncated: errors.count > errorLimit) }
        if rows.isEmpty { throw DataErrors([DataError(file: file, line: 1, column: 1, message: "the log is empty: no rows")]) }
        return rows
    }

    /// Checks every row (times, places, statuses, counts, citations), then the log as a whole
    /// (duplicates, splits). Collects every problem before throwing, so one run lists them all.
    public static func check(rows: [RawRow], file: String, zone: TimeZone, places: some PlaceResolving, knownRoads: Set<String> = []) throws -> UpdateLog {
        var errors: [DataError] = []
        var notes: [DataError] = []
        var observations: [Observation] = []
        var cache: [String: PlaceLookup] = [:]
        let timeParser = LogTimeParser(zone: zone)
        guard !rows.isEmpty else { throw DataErrors([DataError(file: file, line: 1, column: 1, message: "the log has no rows")]) }

        for row in rows {
            var rowErrors: [DataError] = []
            // Control characters first: a field holding one is reported once, where the character
            // stands, and not read further (its other messages would quote it).
            var flawed = Set<String>()
            for name in columns {
                guard let field = row.fields[name] else { continue }
                if let bad = field.forbidden {
                    flawed.insert(name)
                    rowErrors.append(DataError(
                        file: file, line: bad.line, column: bad.column,
                        message: "the \(name) field contains \(ControlCharacters.name(bad.scalar)), a control or formatting character a log may not hold"))
                } else if let lineBreak = field.lineBreak, !multilineColumns.contains(name), row.text(name).unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                    flawed.insert(name)
                    rowErrors.append(DataError(
                        file: file, line: lineBreak.line, column: lineBreak.column,
                        message: "a line break in the \(name) field; only \(multilineColumns.sorted().joined(separator: " and ")) may span lines"))
                }
            }
            func fail(_ name: String, _ message: String) {
                guard !flawed.contains(name) else { return }
                let field = row.fields[name]
                rowErrors.append(DataError(file: file, line: field?.line ?? row.line, column: field?.column ?? 1, message: message))
            }
            var time: ObservationTime?
            var timeNotes: [String] = []
            do { time = try timeParser.parse(row.text("time"), notes: &timeNotes) } catch { fail("time", error.message) }
            for note in timeNotes {
                let field = row.fields["time"]
                notes.append(DataError(file: file, line: field?.line ?? row.line, column: field?.column ?? 1, message: note))
            }
            let convoy = row.text("convoy")
            if convoy.isEmpty { fail("convoy", "convoy id is empty") } else if convoy.contains(where: \.isWhitespace) { fail("convoy", "convoy id \"\(convoy)\" contains a space") }
            let unitText = row.text("unit")
            let unit = unitText.isEmpty ? defaultUnit : unitText
            let parentText = row.text("parent")
            let parent = parentText.isEmpty ? nil : parentText
            if parent == unit { fail("parent", "unit \"\(unit)\" cannot be its own parent") }
            var status: ConvoyStatus?
            let statusText = row.text("status")
            if let s = ConvoyStatus(parsing: statusText) { status = s } else {
                fail("status", statusText.isEmpty ? "status is empty" : "unknown status \"\(statusText)\"; one of \(ConvoyStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            func count(_ name: String, example: String) -> Count? {
                let text = row.text(name)
                guard !text.isEmpty else { return nil }
                switch Count.parsing(text) {
                case .success(let c): return c
                case .failure(.unreadable): fail(name, "\(name) \"\(text)\": expected a count such as \(example)")
                case .failure(.tooLarge(let n)): fail(name, "\(name) \"\(text)\": \(n) is more than \(grouped(Count.maximum)), the largest count a log accepts")
                case .failure(.totalTooLarge): fail(name, "\(name) \"\(text)\": the numbers add up to more than \(grouped(Count.maximum)), the largest count a log accepts")
                }
                return nil
            }
            let vehicles = count("vehicles", example: "\"17\" or \"17 buses + 11 ambulances\" (~N approximate, >=N at least)")
            let people = count("people", example: "\"639\" or \"308 militants + 331 civilians\"")
            let source = row.text("source"), quote = row.text("quote")
            if source.isEmpty { fail("source", "source is empty: every row cites a report (a file in seeds/ or a URL)") }
            if quote.isEmpty { fail("quote", "quote is empty: every row quotes the sentence it rests on") }
            let road = row.text("road")
            if !road.isEmpty, road != "none", !knownRoads.isEmpty, !knownRoads.contains(road) {
                fail("road", "unknown road \"\(road)\"; \(Self.roadChoices(for: road, in: knownRoads)), or none")
            }
            var maxSpeed: Double?
            let speedText = row.text("max_speed_kmh")
            if !speedText.isEmpty {
                switch Self.parseSpeed(speedText) {
                case .some(let v) where v > 0 && v <= maximumSpeedKmh: maxSpeed = v
                case .some: fail("max_speed_kmh", "max_speed_kmh \"\(speedText)\" is out of range: a speed in km/h above 0 and at most \(Int(maximumSpeedKmh))")
                case .none: fail("max_speed_kmh", "max_speed_kmh \"\(speedText)\": expected a number of km/h such as 60 or 42.5")
                }
            }
            var location: LocationExpression?
            var resolved: [RoutePlace] = []
            switch flawed.contains("location") ? .success(.unstated) : LocationExpression.parse(row.text("location")) {
            case .failure(let e): fail("location", e.message)
            case .success(let expression):
                location = expression
                for name in expression.placeNames {
                    let lookup: PlaceLookup
                    if let cached = cache[name] { lookup = cached } else {
                        lookup = try places.routePlaces(for: name)
                        cache[name] = lookup
                    }
                    switch lookup {
                    case .found(let matches):
                        let best = matches[0]
                        let others = matches.dropFirst().map(\.id)
                        if !others.isEmpty {
                            let field = row.fields["location"]
                            notes.append(DataError(file: file, line: field?.line ?? row.line, column: field?.column ?? 1, message: "\"\(name)\" also names \(others.joined(separator: ", ")); using \(best.id) (write a place id to choose)"))
                        }
                        resolved.append(RoutePlace(id: best.id, name: best.name, point: best.point, uncertainty: best.uncertainty, alternatives: others))
                    case .notFound(let suggestions):
                        fail("location", "no place called \"\(name)\" in the gazetteer" + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"))
                    }
                }
            }
            if !rowErrors.isEmpty {
                errors += rowErrors
                continue
            }
            observations.append(
                Observation(
                    file: file, line: row.line, time: time!, convoy: convoy, unit: unit, parent: parent, location: location!, places: resolved,
                    status: status!, vehicles: vehicles, people: people, citation: Citation(source: source, quote: quote),
                    note: row.text("note").isEmpty ? nil : row.text("note"), road: road.isEmpty ? nil : road, maxSpeedKmh: maxSpeed))
        }
        if errors.isEmpty {
            let whole = checkWhole(observations, rows: rows, file: file)
            errors += whole.errors
            notes += whole.notes
        }
        if !errors.isEmpty {
            errors.sort { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
            throw DataErrors(Array(errors.prefix(errorLimit)), truncated: errors.count > errorLimit)
        }
        return UpdateLog(file: file, observations: observations, notes: notes, rows: rows, zone: zone)
    }

    /// Checks across rows: duplicates, units' parents (no cycles, no child before its parent), split
    /// counts, time order (a note, not an error).
    static func checkWhole(_ observations: [Observation], rows: [RawRow], file: String) -> (errors: [DataError], notes: [DataError]) {
        var errors: [DataError] = []
        var notes: [DataError] = []
        let rowAt = Dictionary(rows.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        /// An error or note at a row's field (its first column when the field is absent).
        func at(_ line: Int, _ field: String, _ message: String) -> DataError {
            let f = rowAt[line]?.fields[field]
            return DataError(file: file, line: f?.line ?? line, column: f?.column ?? 1, message: message)
        }
        // Duplicates: every column equal.
        var seen: [[String]: Int] = [:]
        for row in rows {
            let key = columns.map { row.text($0) }
            if let first = seen[key] {
                errors.append(DataError(file: file, line: row.line, column: 1, message: "duplicate of the row at line \(first)"))
            } else {
                seen[key] = row.line
            }
        }
        // One maximum speed per unit: rows may repeat it, not change it (the prism of a unit has one
        // speed; a second value is a contradiction in the log, not something to choose between).
        var speedOf: [String: Observation] = [:]
        for o in observations.sorted(by: { $0.line < $1.line }) {
            guard let v = o.maxSpeedKmh else { continue }
            let key = "\(o.convoy)/\(o.unit)"
            if let first = speedOf[key], let w = first.maxSpeedKmh {
                if w != v {
                    errors.append(at(o.line, "max_speed_kmh", "max_speed_kmh \(rowAt[o.line]?.text("max_speed_kmh") ?? "") for \(key), but line \(first.line) gives \(rowAt[first.line]?.text("max_speed_kmh") ?? ""): a unit has one maximum speed (repeat the same value or leave it empty)"))
                }
            } else {
                speedOf[key] = o
            }
        }
        // Time order within each unit: accepted and sorted, but noted.
        var latest: [String: Observation] = [:]
        for o in observations {
            let key = "\(o.convoy)/\(o.unit)"
            if let previous = latest[key], o.time.start < previous.time.start {
                notes.append(at(o.line, "time", "out of time order: \(o.time.text) comes before line \(previous.line) (\(previous.time.text)) for \(key); sorted by time"))
            }
            if let previous = latest[key], previous.time.start > o.time.start { continue }
            latest[key] = o
        }
        // Parents and splits.
        let byUnit = Dictionary(grouping: observations) { "\($0.convoy)/\($0.unit)" }
        var parentOf: [String: String] = [:]
        for (key, list) in byUnit.sorted(by: { $0.key < $1.key }) {
            let parents = Set(list.compactMap(\.parent))
            if parents.count > 1 {
                let o = list.filter { $0.parent != nil }.min { $0.line < $1.line }!
                errors.append(at(o.line, "parent", "unit \(key) names several parents (\(parents.sorted().joined(separator: ", ")))"))
                continue
            }
            if let parent = parents.first { parentOf[key] = "\(list[0].convoy)/\(parent)" }
        }
        // Cycles of parents (a → b → a): no unit can descend from itself. Walked without recursion,
        // each unit once, so a long chain of splits costs linear time.
        var inCycle = Set<String>()
        var done = Set<String>()
        for start in parentOf.keys.sorted() where !done.contains(start) {
            var path: [String] = []
            var onPath: [String: Int] = [:]
            var key: String? = start
            while let k = key, !done.contains(k) {
                if let index = onPath[k] {
                    var cycle = Array(path[index...])
                    let firstLine = { (unit: String) in byUnit[unit]!.map(\.line).min()! }
                    let origin = cycle.indices.min { firstLine(cycle[$0]) < firstLine(cycle[$1]) }!
                    cycle = Array(cycle[origin...] + cycle[..<origin])
                    inCycle.formUnion(cycle)
                    let names = (cycle + [cycle[0]]).map { String($0.split(separator: "/", maxSplits: 1).last ?? "") }
                    let line = firstLine(cycle[0])
                    errors.append(at(line, "parent", "units split from one another in a cycle (\(names.joined(separator: " → "))) in convoy \(byUnit[cycle[0]]![0].convoy): no unit can descend from itself"))
                    break
                }
                onPath[k] = path.count
                path.append(k)
                key = parentOf[k].flatMap { byUnit[$0] != nil ? $0 : nil }
            }
            done.formUnion(path)
        }
        // Generations: a unit split from a unit split from … at most maximumSplitDepth deep.
        var depth: [String: Int] = [:]
        for start in parentOf.keys.sorted() where !inCycle.contains(start) && depth[start] == nil {
            var chain: [String] = []
            var key = start
            while depth[key] == nil, !inCycle.contains(key), let parent = parentOf[key], byUnit[parent] != nil {
                chain.append(key)
                key = parent
            }
            var d = depth[key] ?? 0
            for k in chain.reversed() {
                d += 1
                depth[k] = d
            }
        }
        for (key, d) in depth.sorted(by: { $0.key < $1.key }) where d == maximumSplitDepth + 1 {
            let first = byUnit[key]!.min { $0.line < $1.line }!
            errors.append(at(first.line, "parent", "unit \(key) is \(d) splits away from its convoy's first unit; splits nest at most \(maximumSplitDepth) deep"))
        }
        var children: [String: [Observation]] = [:]
        for (key, parentKey) in parentOf.sorted(by: { $0.key < $1.key }) where !inCycle.contains(key) {
            let list = byUnit[key]!
            let parent = String(parentKey.split(separator: "/", maxSplits: 1).last ?? "")
            let first = list.min { ($0.time.start, $0.line) < ($1.time.start, $1.line) }!
            guard let parentRows = byUnit[parentKey] else {
                errors.append(at(first.line, "parent", "unit \(key) splits from \"\(parent)\", which has no rows in convoy \(first.convoy)"))
                continue
            }
            // The child's first row must reach the parent's first report: it precedes it when its
            // span ends before the parent's starts (a span's end is exclusive, an instant's is not).
            let parentFirst = parentRows.min { ($0.time.start, $0.line) < ($1.time.start, $1.line) }!
            let end = first.time.end, instant = first.time.end == first.time.start
            if end < parentFirst.time.start || (!instant && end == parentFirst.time.start) {
                errors.append(at(first.line, "time", "unit \(key) splits from \(parent) at \(first.time.text), before \(parent)'s first report (line \(parentFirst.line), \(parentFirst.time.text))"))
                continue
            }
            children[parentKey, default: []].append(first)
        }
        for (parentKey, firsts) in children.sorted(by: { $0.key < $1.key }) {
            let splitTime = firsts.map(\.time.start).min()!
            // The parent's count at the split: its latest count at or before the split.
            let parentCounts = byUnit[parentKey]!.filter { $0.time.start <= splitTime && $0.vehicles != nil }.sorted { $0.time.start < $1.time.start }
            guard let parentRow = parentCounts.last, let parentCount = parentRow.vehicles else { continue }
            let childCounts = firsts.compactMap(\.vehicles)
            guard childCounts.count == firsts.count else { continue }
            // Counts are at most Count.maximum each; the sums saturate all the same.
            let sum = childCounts.reduce(0) { saturatingSum($0, $1.total) }
            var kinds: [String: Int] = [:]
            for c in childCounts { for t in c.terms { if let k = t.kind { kinds[k] = saturatingSum(kinds[k] ?? 0, t.count) } } }
            let worst = firsts.max { $0.line < $1.line }!
            let childText = firsts.sorted { $0.line < $1.line }.map { "\($0.unit) \($0.vehicles!.text)" }.joined(separator: " + ")
            if parentCount.qualifier == .exact, childCounts.allSatisfy({ $0.qualifier == .exact }), sum > parentCount.total,
                parentCount.terms.allSatisfy({ $0.kind == nil }) || childCounts.allSatisfy({ $0.terms.allSatisfy { $0.kind == nil } })
            {
                errors.append(at(worst.line, "vehicles", "the split of \(parentKey) gives \(childText) = \(sum) vehicles, more than the \(parentCount.total) it had (line \(parentRow.line))"))
                continue
            }
            for (kind, n) in kinds.sorted(by: { $0.key < $1.key }) {
                if let p = parentCount.count(of: kind), p.qualifier == .exact, n > p.count {
                    errors.append(at(worst.line, "vehicles", "the split of \(parentKey) gives \(childText) = \(n) \(kind), more than the \(p.count) \(kind) it had (line \(parentRow.line))"))
                }
            }
        }
        return (errors, notes)
    }

    /// `a + b`, or the nearest bound of `Int` when that overflows.
    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : value
    }
}

extension UpdateLog {
    /// A speed written as plain decimal digits (`60`, `42.5`); nil for anything else (signs,
    /// exponents, `inf`, `nan`, thousands separators, units).
    static func parseSpeed(_ text: String) -> Double? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 6,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 1 || !parts[1].isEmpty
        else { return nil }
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// The road ids to offer for an unknown one: all of them when there are few, else the eight
    /// sharing the longest start with it (a user's road file may hold thousands).
    static func roadChoices(for road: String, in known: Set<String>) -> String {
        let limit = 8
        if known.count <= limit { return "the roads are " + known.sorted().joined(separator: ", ") }
        func shared(_ id: String) -> Int { zip(id.lowercased(), road.lowercased()).prefix { $0 == $1 }.count }
        let closest = known.sorted { (shared($0), $1) > (shared($1), $0) }.prefix(limit)
        return "closest of the \(known.count) roads: " + closest.joined(separator: ", ")
    }
}
