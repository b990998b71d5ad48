import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

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
    public static let columns = ["time", "convoy", "unit", "parent", "location", "status", "vehicles", "people", "source", "quote", "note", "road"]
    public static let requiredColumns: Set<String> = ["time", "convoy", "location", "status", "source", "quote"]
    /// The unit of a row that names none.
    public static let defaultUnit = "main"
    /// At most this many errors are listed.
    public static let errorLimit = 100

    /// Reads a CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`) log from disk and checks it.
    /// - Throws: ``FileAccessError`` when the file cannot be read, ``DataErrors`` listing every bad row.
    public static func load(path: String, displayPath: String? = nil, zone: TimeZone, places: some PlaceResolving, knownRoads: Set<String> = []) throws -> UpdateLog {
        let shown = displayPath ?? path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw FileAccessError(path: shown, reason: !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataErrors([DataError(file: shown, line: 1, message: "the file is not UTF-8 text")])
        }
        let lower = path.lowercased()
        let rows = (lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")) ? try jsonLinesRows(text, file: shown) : try csvRows(text, file: shown)
        return try check(rows: rows, file: shown, zone: zone, places: places, knownRoads: knownRoads)
    }

    /// Splits CSV text into rows keyed by the header's column names.
    public static func csvRows(_ text: String, file: String) throws(DataErrors) -> [RawRow] {
        let records: [CSVRecord]
        do { records = try CSVReader.records(text, file: file) } catch { throw DataErrors([error]) }
        guard let header = records.first else {
            throw DataErrors([DataError(file: file, line: 1, message: "the log is empty: expected a header row (\(columns.joined(separator: ",")))")])
        }
        var errors: [DataError] = []
        var names: [String] = []
        for field in header.fields {
            let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
            if !columns.contains(name) {
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
        if records.count == 1 { throw DataErrors([DataError(file: file, line: header.line + 1, message: "the log has a header but no rows")]) }
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
        var rows: [RawRow] = []
        var errors: [DataError] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                errors.append(DataError(file: file, line: lineNumber, column: 1, message: "not a JSON object"))
                continue
            }
            var fields: [String: CSVField] = [:]
            for (key, value) in object {
                guard columns.contains(key) else {
                    errors.append(DataError(file: file, line: lineNumber, column: 1, message: "unknown field \"\(key)\"; the fields are \(columns.joined(separator: ", "))"))
                    continue
                }
                let text: String
                switch value {
                case let s as String: text = s
                case let n as NSNumber: text = n.stringValue
                case is NSNull: text = ""
                default:
                    errors.append(DataError(file: file, line: lineNumber, column: 1, message: "field \"\(key)\" must be a string or a number"))
                    continue
                }
                fields[key] = CSVField(text: text, line: lineNumber, column: 1)
            }
            let missing = requiredColumns.subtracting(fields.keys).sorted()
            if !missing.isEmpty { errors.append(DataError(file: file, line: lineNumber, column: 1, message: "missing field\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")) }
            rows.append(RawRow(line: lineNumber, fields: fields))
        }
        if !errors.isEmpty { throw DataErrors(Array(errors.prefix(errorLimit)), truncated: errors.count > errorLimit) }
        if rows.isEmpty { throw DataErrors([DataError(file: file, line: 1, message: "the log is empty: no rows")]) }
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
        guard !rows.isEmpty else { throw DataErrors([DataError(file: file, line: 1, message: "the log has no rows")]) }

        for row in rows {
            var rowErrors: [DataError] = []
            func fail(_ name: String, _ message: String) {
                let field = row.fields[name]
                rowErrors.append(DataError(file: file, line: field?.line ?? row.line, column: field?.column, message: message))
            }
            var time: ObservationTime?
            do { time = try timeParser.parse(row.text("time")) } catch { fail("time", error.message) }
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
            var vehicles: Count?
            let vehiclesText = row.text("vehicles")
            if !vehiclesText.isEmpty {
                vehicles = Count.parse(vehiclesText)
                if vehicles == nil { fail("vehicles", "vehicles \"\(vehiclesText)\": expected a count such as \"17\" or \"17 buses + 11 ambulances\" (~N approximate, >=N at least)") }
            }
            var people: Count?
            let peopleText = row.text("people")
            if !peopleText.isEmpty {
                people = Count.parse(peopleText)
                if people == nil { fail("people", "people \"\(peopleText)\": expected a count such as \"639\" or \"308 militants + 331 civilians\"") }
            }
            let source = row.text("source"), quote = row.text("quote")
            if source.isEmpty { fail("source", "source is empty: every row cites a report (a file in seeds/ or a URL)") }
            if quote.isEmpty { fail("quote", "quote is empty: every row quotes the sentence it rests on") }
            let road = row.text("road")
            if !road.isEmpty, road != "none", !knownRoads.isEmpty, !knownRoads.contains(road) {
                fail("road", "unknown road \"\(road)\"; the roads are \(knownRoads.sorted().joined(separator: ", ")), or none")
            }
            var location: LocationExpression?
            var resolved: [RoutePlace] = []
            switch LocationExpression.parse(row.text("location")) {
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
                            notes.append(DataError(file: file, line: field?.line ?? row.line, column: field?.column, message: "\"\(name)\" also names \(others.joined(separator: ", ")); using \(best.id) (write a place id to choose)"))
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
                    note: row.text("note").isEmpty ? nil : row.text("note"), road: road.isEmpty ? nil : road))
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

    /// Checks across rows: duplicates, units' parents, split counts, time order (a note, not an error).
    static func checkWhole(_ observations: [Observation], rows: [RawRow], file: String) -> (errors: [DataError], notes: [DataError]) {
        var errors: [DataError] = []
        var notes: [DataError] = []
        // Duplicates: every column equal.
        var seen: [[String]: Int] = [:]
        for row in rows {
            let key = columns.map { row.text($0) }
            if let first = seen[key] {
                errors.append(DataError(file: file, line: row.line, message: "duplicate of the row at line \(first)"))
            } else {
                seen[key] = row.line
            }
        }
        // Time order within each unit: accepted and sorted, but noted.
        var latest: [String: Observation] = [:]
        for o in observations {
            let key = "\(o.convoy)/\(o.unit)"
            if let previous = latest[key], o.time.start < previous.time.start {
                notes.append(DataError(file: file, line: o.line, message: "out of time order: \(o.time.text) comes before line \(previous.line) (\(previous.time.text)) for \(key); sorted by time"))
            }
            if let previous = latest[key], previous.time.start > o.time.start { continue }
            latest[key] = o
        }
        // Parents and splits.
        let byUnit = Dictionary(grouping: observations) { "\($0.convoy)/\($0.unit)" }
        var children: [String: [Observation]] = [:]
        for (key, list) in byUnit {
            let parents = Set(list.compactMap(\.parent))
            if parents.count > 1 {
                let o = list.first { $0.parent != nil }!
                errors.append(DataError(file: file, line: o.line, message: "unit \(key) names several parents (\(parents.sorted().joined(separator: ", ")))"))
                continue
            }
            guard let parent = parents.first else { continue }
            let first = list.min { $0.time.start < $1.time.start }!
            let parentKey = "\(first.convoy)/\(parent)"
            guard let parentRows = byUnit[parentKey] else {
                errors.append(DataError(file: file, line: first.line, message: "unit \(key) splits from \"\(parent)\", which has no rows in convoy \(first.convoy)"))
                continue
            }
            guard parentRows.contains(where: { $0.time.start <= first.time.end }) else {
                errors.append(DataError(file: file, line: first.line, message: "unit \(key) splits from \(parent) at \(first.time.text), before \(parent)'s first report"))
                continue
            }
            children[parentKey, default: []].append(first)
        }
        for (parentKey, firsts) in children {
            let splitTime = firsts.map(\.time.start).min()!
            // The parent's count at the split: its latest count at or before the split.
            let parentCounts = byUnit[parentKey]!.filter { $0.time.start <= splitTime && $0.vehicles != nil }.sorted { $0.time.start < $1.time.start }
            guard let parentRow = parentCounts.last, let parentCount = parentRow.vehicles else { continue }
            let childCounts = firsts.compactMap(\.vehicles)
            guard childCounts.count == firsts.count else { continue }
            let sum = childCounts.reduce(0) { $0 + $1.total }
            var kinds: [String: Int] = [:]
            for c in childCounts { for t in c.terms { if let k = t.kind { kinds[k, default: 0] += t.count } } }
            let worst = firsts.max { $0.line < $1.line }!
            let childText = firsts.sorted { $0.line < $1.line }.map { "\($0.unit) \($0.vehicles!.text)" }.joined(separator: " + ")
            if parentCount.qualifier == .exact, childCounts.allSatisfy({ $0.qualifier == .exact }), sum > parentCount.total,
                parentCount.terms.allSatisfy({ $0.kind == nil }) || childCounts.allSatisfy({ $0.terms.allSatisfy { $0.kind == nil } })
            {
                errors.append(DataError(file: file, line: worst.line, message: "the split of \(parentKey) gives \(childText) = \(sum) vehicles, more than the \(parentCount.total) it had (line \(parentRow.line))"))
                continue
            }
            for (kind, n) in kinds.sorted(by: { $0.key < $1.key }) {
                if let p = parentCount.count(of: kind), p.qualifier == .exact, n > p.count {
                    errors.append(DataError(file: file, line: worst.line, message: "the split of \(parentKey) gives \(childText) = \(n) \(kind), more than the \(p.count) \(kind) it had (line \(parentRow.line))"))
                }
            }
        }
        return (errors, notes)
    }
}
