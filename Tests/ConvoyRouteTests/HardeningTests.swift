import ConvoyGazetteer
import ConvoyTestSupport
import Foundation
import Testing

@testable import ConvoyRoute

/// Issue 17's findings about the update log: each hostile input gets `file:line:col: message`,
/// never a trap, and nothing it says is echoed raw to a terminal.
struct HardeningTests {
    static let header = "time,convoy,unit,parent,location,status,vehicles,people,source,quote"

    /// The errors of a CSV log (header added), or a recorded issue when it was accepted.
    func errors(_ rows: [String], places: some PlaceResolving, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [DataError] {
        do {
            _ = try Support.log(rows, places: places)
        } catch let e as DataErrors {
            return e.errors
        }
        Issue.record("the log was accepted", sourceLocation: sourceLocation)
        return []
    }

    /// The errors of JSON Lines text, from reading or from checking.
    func jsonErrors(_ text: String, places: some PlaceResolving, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [DataError] {
        do {
            let rows = try UpdateLog.jsonLinesRows(text, file: "t.jsonl")
            _ = try UpdateLog.check(rows: rows, file: "t.jsonl", zone: Support.damascus, places: places)
        } catch let e as DataErrors {
            return e.errors
        }
        Issue.record("the log was accepted", sourceLocation: sourceLocation)
        return []
    }

    /// The 1-based column (in Unicode scalars) where `needle` first occurs in `row`.
    func column(of needle: String, in row: String) -> Int {
        let range = row.range(of: needle)!
        return row.unicodeScalars[..<range.lowerBound].count + 1
    }

    // MARK: Finding 1: distances

    @Test func distancesBeyondHalfTheEarthAreRejectedWhereTheyAreWritten() throws {
        let g = try Support.gazetteer()
        for location in ["near Palmyra within 1e306 km", "1e305 km ESE of Palmyra", "20001 km N of Palmyra", "east of Palmyra within 25000 km", "\"34.5,38.2 within 1e300 km\""] {
            let e = try errors(["2017-08-28,c,,,\(location),departed,,,s,q"], places: g)
            #expect(e.count == 1, "\(location)")
            #expect(e.first?.line == 2 && e.first?.column == 16, "\(location): \(e)")
            #expect(e.first?.message.contains("20000 km") == true, "\(location): \(e)")
        }
        // The bound itself is accepted, and every accepted distance prints without a trap.
        let log = try Support.log(["2017-08-28,c,,,near Palmyra within 20000 km,departed,,,s,q", "2017-08-29,c,,,19999.5 km ESE of Palmyra,moving,,,s,q"], places: g)
        #expect(log.observations.map(\.location.description) == ["near Palmyra within 20000 km", "19999.5 km ESE of Palmyra"])
        _ = try Support.model(log, g).replay.map { RouteJSON.replay([$0]) }
    }

    @Test func formattingADistanceNeverTraps() {
        #expect(LocationExpression.km(38_000) == "38")
        #expect(LocationExpression.km(2_500) == "2.5")
        #expect(LocationExpression.km(1e308) == "1e+305")
        #expect(LocationExpression.km(.infinity) == "inf")
        #expect(LocationExpression.offset(distance: 1e308, azimuth: 0, direction: "N", place: "P", within: .nan).description == "1e+305 km N of P within nan km")
    }

    // MARK: Finding 2: counts

    @Test func hugeCountsAreRejectedAndSplitSumsCannotOverflow() throws {
        let g = try Support.gazetteer()
        let rows = [
            "2017-08-28,c,,,at Palmyra,departed,9223372036854775807 buses + 1 ambulances,,s,q",
            "2017-08-29,c,,,at Palmyra,halted,,9223372036854775807 militants + 1,s,q",
            "2017-08-30,c,,,at Palmyra,halted,10000001,,s,q",
            "2017-08-31,c,,,at Palmyra,halted,99999999999999999999999,,s,q",
        ]
        let e = try errors(rows, places: g)
        #expect(e.map(\.line) == [2, 3, 4, 5])
        let expected: [Int?] = [column(of: ",9", in: rows[0]) + 1, column(of: ",9", in: rows[1]) + 1, column(of: ",1", in: rows[2]) + 1, column(of: ",9", in: rows[3]) + 1]
        #expect(e.map { $0.column } == expected, "\(e)")
        #expect(e.allSatisfy { $0.message.contains("10,000,000") }, "\(e)")
        // Two children of a split, each at the bound: the check adds them without overflow.
        let split = try errors([
            "2017-08-28,c,main,,at Palmyra,halted,10 buses,,s,q",
            "2017-08-29,c,a,main,at Palmyra,moving,9223372036854775807,,s,q",
            "2017-08-29,c,b,main,at Palmyra,moving,9223372036854775807,,s,q",
        ], places: g)
        #expect(split.map(\.line) == [3, 4])
        let big = try errors([
            "2017-08-28,c,main,,at Palmyra,halted,10 buses,,s,q",
            "2017-08-29,c,a,main,at Palmyra,moving,10000000,,s,q",
            "2017-08-29,c,b,main,at Palmyra,moving,10000000,,s,q",
        ], places: g)
        #expect(big.map(\.message) == ["the split of c/main gives a 10000000 + b 10000000 = 20000000 vehicles, more than the 10 it had (line 2)"])
        // A Count built in code with huge terms still totals without a trap (saturating).
        let huge = Count(terms: [CountTerm(count: .max, kind: "buses", qualifier: .exact), CountTerm(count: 1, kind: nil, qualifier: .exact)], text: "x")
        #expect(huge.total == .max)
    }

    // MARK: Finding 4: dates

    @Test(arguments: ["0000-01-01", "0000-01-01T00:00+01:00", "9999-12-31T23:59-14:00", "1500-03-01T12:00Z", "1899-12-31", "2101-01-01T00:00Z", "2017-08-28/2101-01-01"])
    func timesOutsideTheSupportedYearsAreRejected(text: String) {
        do {
            _ = try LogTimeParser(zone: Support.damascus).parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.message.contains("1900") && error.message.contains("2100"), "\(error.message)")
        }
    }

    @Test func localTimesInADaylightSavingGapAreRejected() throws {
        // Damascus moved its clocks from 00:00 to 01:00 on 31 March 2017 (tzdata; `date` agrees below).
        let p = LogTimeParser(zone: Support.damascus)
        do {
            let t = try p.parse("2017-03-31T00:30")
            Issue.record("2017-03-31T00:30 was accepted as \(TimeText.utc(t.start))")
        } catch {
            #expect(error.message.contains("does not exist"), "\(error.message)")
            #expect(error.message.contains("+02:00") && error.message.contains("+03:00"), "\(error.message)")
        }
        #expect(try reference("2017-03-31 00:30") == nil)
        // The day itself exists: it starts when the clocks jump, and is 23 hours long.
        let day = try p.parse("2017-03-31")
        #expect(day.start == (try reference("2017-03-31 01:00")))
        #expect(day.end - day.start == 23 * 3600)
        // With an offset the instant is unambiguous.
        #expect(try p.parse("2017-03-31T00:30+02:00").start == (try reference("2017-03-31 01:30")))
    }

    @Test func aLocalTimeShownTwiceIsTheSpanBetweenWithANote() throws {
        // Damascus set its clocks back from 24:00 (+03:00) to 23:00 (+02:00) on 26 October 2017.
        var notes: [String] = []
        let t = try LogTimeParser(zone: Support.damascus).parse("2017-10-26T23:30", notes: &notes)
        #expect(TimeText.utc(t.start) == "2017-10-26T20:30:00Z")
        #expect(TimeText.utc(t.end) == "2017-10-26T21:30:00Z")
        #expect(t.precision == .interval)
        #expect(notes.count == 1 && notes[0].contains("happened twice") && notes[0].contains("+03:00") && notes[0].contains("+02:00"), "\(notes)")
        // Both instants show 23:30 on a Damascus clock, by date(1).
        for instant in [t.start, t.end] { #expect(try localClock(instant) == "2017-10-26 23:30") }
        // The check keeps the row and passes the note on.
        let log = try Support.log(["2017-10-26T23:30,c,,,at Palmyra,departed,,,s,q"], places: try Support.gazetteer())
        #expect(log.notes.contains { $0.line == 2 && $0.column == 1 && $0.message.contains("happened twice") })
    }

    /// Damascus wall-clock time of an instant, by date(1).
    func localClock(_ t: Double) throws -> String {
        try Support.date(["TZ=Asia/Damascus", "-d", "@\(Int(t))", "+%Y-%m-%d %H:%M"]) ?? ""
    }

    /// Printing is proleptic Gregorian across the supported instants, as GNU date(1) prints them,
    /// and printing then parsing gives the same instant back.
    @Test func printedTimesAreProlepticGregorianAndRoundTrip() throws {
        let range = LogTimeParser.supportedInstants
        #expect(TimeText.utc(range.lowerBound) == "1899-12-31T10:00:00Z")
        #expect(TimeText.utc(range.upperBound) == "2101-01-01T14:00:00Z")
        #expect(try LogTimeParser(zone: Support.damascus).parse("1900-01-01T00:00+14:00").start == range.lowerBound)
        var rng = SeededGenerator(seed: 4)
        var instants = [range.lowerBound, range.upperBound, 0, -1, 951_782_400 /* 2000-02-29 */, 4_107_542_400 /* 2100-03-01 */]
        for _ in 0..<40 { instants.append(Double(Int.random(in: Int(range.lowerBound)...Int(range.upperBound), using: &rng))) }
        let printed = try Support.date(["TZ=UTC", "-f", "-", "+%Y-%m-%dT%H:%M:%SZ"], input: instants.map { "@\(Int($0))\n" }.joined())?.split(separator: "\n").map(String.init)
        #expect(printed == instants.map { TimeText.utc($0) })
        let utc = LogTimeParser(zone: TimeZone(identifier: "UTC")!)
        for t in instants.dropFirst(2) { #expect(try utc.parse(TimeText.utc(t)).start == t, "\(t)") }
        // Far outside the range, printing still gives text, never a trap.
        for t in [-1e14, 1e14, 1e300, .nan, -.infinity] {
            _ = TimeText.utc(t)
            _ = TimeText.local(t, zone: Support.damascus)
            _ = TimeText.duration(t)
        }
    }

    /// The instant of a local Damascus time by date(1) (the C library's tzdata), nil when date refuses it.
    func reference(_ local: String) throws -> Double? {
        try Support.date(["TZ=Asia/Damascus", "-d", local, "+%s"]).flatMap(Double.init)
    }

    // MARK: Finding 11: control characters

    @Test func controlCharactersInAnyFieldAreRejectedWhereTheyAre() throws {
        let g = try Support.gazetteer()
        let rows = [
            "2017-08-28,c\u{0}x,,,at Palmyra,departed,,,s,q",
            "2017-08-29,c,,,at Pal\u{1B}[31mmyra,departed,,,s,q",
            "2017-08-30,c,ma\u{202E}in,,at Palmyra,halted,,,s,q",
            "2017-08-31,c,,,at Palmyra,halted,,,s,\"a quote \u{85} here\"",
            "2017-09-01,c,,,at Palmyra,halted,,,s\u{7F},q",
            "2017-09-02,c,,,\"at\nPalmyra\",halted,,,s,q",
        ]
        let e = try errors(rows, places: g)
        try #require(e.count == 6, "\(e)")
        #expect(e.map(\.line) == [2, 3, 4, 5, 6, 7], "\(e)")
        let expected: [Int?] = zip(rows, ["\u{0}", "\u{1B}", "\u{202E}", "\u{85}", "\u{7F}", "\n"]).map { (row: String, needle: String) -> Int? in column(of: needle, in: row) }
        #expect(e.map { $0.column } == expected, "\(e)")
        for error in e {
            let raw = error.description.unicodeScalars.filter { (scalar: Unicode.Scalar) in scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{202E}" }
            #expect(raw.isEmpty, "\(error)")
        }
        // The header is text too.
        let header = Self.header + ",x\u{1B}]0;title\u{7}"
        do {
            _ = try UpdateLog.csvRows(header + "\n2017-08-28,c,,,at Palmyra,departed,,,s,q,\n", file: "test.csv")
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.description) == ["test.csv:1:\(column(of: "\u{1B}", in: header)): the header contains U+001B (ESC), a control or formatting character a log may not hold"])
        }
        // A message that quotes the log's text shows the characters it may hold (tab) as escapes.
        let tab = try errors(["2017-08-28,c,,,at Palmyra,fly\ting,,,s,q"], places: g)
        #expect(tab.first?.description.hasPrefix(#"test.csv:2:27: unknown status "fly\ting"; one of"#) == true, "\(tab)")
        // A line break inside a quote is text, not a control.
        _ = try Support.log(["2017-08-28,c,,,at Palmyra,departed,,,s,\"two\nlines\""], places: g)
    }

    @Test func dataErrorsShowControlCharactersAsEscapes() {
        let e = DataError(file: "a\u{1B}.csv", line: 1, column: 2, message: "\"x\u{1B}]0;owned\u{7}\" and \u{9B}31m\ttab\nnew line \u{202E}")
        #expect(e.description == "a\\u{1B}.csv:1:2: \"x\\u{1B}]0;owned\\u{7}\" and \\u{9B}31m\\ttab\\nnew line \\u{202E}")
        #expect(FileAccessError(path: "a\u{1B}[2J.csv", reason: "no such file").description == "a\\u{1B}[2J.csv: no such file")
        do {
            _ = try UpdateLog.load(path: "/nonexistent/\u{1B}]0;x\u{7}.csv", zone: Support.damascus, places: FixedPlaces(places: [:]))
        } catch let e as FileAccessError {
            #expect(e.description == "/nonexistent/\\u{1B}]0;x\\u{7}.csv: no such file")
        } catch {
            Issue.record("\(error)")
        }
    }

    // MARK: Finding 14: JSON Lines

    @Test func jsonLinesValuesHaveTypesAndTheirColumn() throws {
        let g = try Support.gazetteer()
        func line(_ vehicles: String) -> String {
            #"{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","vehicles":\#(vehicles),"source":"s","quote":"q"}"#
        }
        for bad in ["1e308", "true", "17.9", "-3", "[17]", "{}"] {
            let e = try jsonErrors(line(bad), places: g)
            #expect(e.count == 1 && e.first?.line == 1 && e.first?.column == column(of: "\"vehicles\":", in: line(bad)) + 11, "\(bad): \(e)")
            #expect(e.first?.message.contains("vehicles") == true, "\(bad): \(e)")
        }
        let text = #"{"time":2017,"convoy":"c","location":"at Qara","status":"departed","source":"s","quote":"q","colour":"red","quote":"r"}"#
        let e = try jsonErrors(text, places: g)
        let expected: [Int?] = [9, column(of: "\"colour\"", in: text), column(of: "\"quote\":\"r", in: text)]
        #expect(e.map { $0.column } == expected, "\(e)")
        // Controls in JSON strings, escaped or raw, are located where they are written.
        let escaped = #"{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","source":"s\u001b[2J","quote":"q\#u{7F}"}"#
        let controls = try jsonErrors(escaped, places: g)
        let expectedColumns: [Int?] = [column(of: #"\u001b"#, in: escaped), column(of: "\u{7F}", in: escaped)]
        #expect(controls.map { $0.column } == expectedColumns, "\(controls)")
        #expect(controls.first?.message.contains("U+001B (ESC)") == true)
        // Numbers written as whole numbers are counts.
        let rows = try UpdateLog.jsonLinesRows(line("17"), file: "t.jsonl")
        #expect(rows[0].text("vehicles") == "17")
    }

    @Test func jsonLinesAcceptCRLFAndLocateLoneSurrogates() throws {
        let g = try Support.gazetteer()
        let a = #"{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","source":"s","quote":"q"}"#
        let b = #"{"time":"2017-08-29","convoy":"c","location":"at Qara","status":"halted","source":"s","quote":"q"}"#
        let rows = try UpdateLog.jsonLinesRows(a + "\r\n" + b + "\r\n", file: "t.jsonl")
        #expect(rows.map(\.line) == [1, 2])
        #expect(try UpdateLog.check(rows: rows, file: "t.jsonl", zone: Support.damascus, places: g).observations.count == 2)
        let lone = #"{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","source":"s","quote":"q\ud800"}"#
        let e = try jsonErrors(lone, places: g)
        #expect(e.count == 1 && e.first?.column == column(of: #"\ud800"#, in: lone), "\(e)")
        #expect(e.first?.message.contains("surrogate") == true, "\(e)")
    }

    // MARK: Finding 15: parents

    @Test func parentCyclesAndChildrenBeforeTheirParentAreErrors() throws {
        let g = try Support.gazetteer()
        let two = try errors(["2017-08-28,c,a,b,at Palmyra,moving,,,s,q", "2017-08-29,c,b,a,at Palmyra,moving,,,s,q"], places: g)
        #expect(two.count == 1 && two.first?.message.contains("cycle") == true, "\(two)")
        let three = try errors(["2017-08-28,c,a,c,at Palmyra,moving,,,s,q", "2017-08-29,c,b,a,at Palmyra,moving,,,s,q", "2017-08-29,c,c,b,at Qara,moving,,,s,q"], places: g)
        #expect(three.count == 1 && three.first?.message.contains("a → c → b → a") == true, "\(three)")
        let early = try errors(["2017-08-28,c,main,,at Palmyra,moving,,,s,q", "2017-08-27,c,west,main,at Qara,moving,,,s,q"], places: g)
        #expect(early.count == 1 && early.first?.line == 3 && early.first?.message.contains("before main's first report") == true, "\(early)")
    }

    /// Finding 15: two reports put one unit at Qara and at Abu Kamal (over 400 km of road apart) at
    /// the same minute; that was accepted with no anomaly. It is one now, said as the same instant
    /// (an infinite speed), on the later row; the same places an hour apart are an impossible speed.
    @Test func twoPlacesFarApartAtTheSameInstantAreAnAnomaly() throws {
        let g = try Support.gazetteer()
        let log = try Support.log(["2017-08-28T10:00,c,,,at Qara,halted,,,s,q", "2017-08-28T10:00,c,,,at Abu Kamal,halted,,,s2,q"], places: g)
        let replay = try Support.model(log, g).replay
        let anomalies = replay.flatMap(\.anomalies)
        let anomaly = try #require(anomalies.first { $0.kind == .positionsDisagree }, "\(anomalies)")
        #expect(anomalies.filter { $0.kind == .positionsDisagree || $0.kind == .impossibleSpeed }.count == 1, "\(anomalies)")
        #expect(anomaly.message.contains("lines 2 and 3") && anomaly.message.contains("at the same instant"), "\(anomaly.message)")
        #expect(anomaly.message.contains("an infinite speed"), "\(anomaly.message)")
        #expect(replay.last?.anomalies.contains { $0.kind == .positionsDisagree } == true)
        // The same distance km by km, from the message, is GeodSolve's at least (roads are longer).
        let words = anomaly.message.split(separator: " ")
        let km = try #require(words.firstIndex(of: "km").flatMap { Double(words[$0 - 1]) })
        let qara = try #require(try g.resolve("Qara").first?.place.location), abuKamal = try #require(try g.resolve("Abu Kamal").first?.place.location)
        let geodesic = try Support.geodSolveDistance(qara, abuKamal)
        #expect(km * 1000 >= geodesic - 500, "\(anomaly.message)")
        let apart = try Support.log(["2017-08-28T10:00,c,,,at Qara,halted,,,s,q", "2017-08-28T11:00,c,,,at Abu Kamal,halted,,,s2,q"], places: g)
        let later = try Support.model(apart, g).replay.flatMap(\.anomalies)
        #expect(later.contains { $0.kind == .impossibleSpeed } && !later.contains { $0.kind == .positionsDisagree }, "\(later)")
    }

    /// A chain of splits 20,000 deep overflowed the stack of the model (seen from the CLI, signal
    /// 11); splits nest at most 100 deep, checked without recursion.
    @Test func splitsNestAtMostAHundredDeep() throws {
        let g = try Support.gazetteer()
        func chain(_ n: Int) -> [String] {
            ["2017-08-28,c,u0,,at Palmyra,moving,,,s,q"] + (1...n).map { "2017-08-28,c,u\($0),u\($0 - 1),at Palmyra,moving,,,s,q" }
        }
        let e = try errors(chain(UpdateLog.maximumSplitDepth + 2), places: g)
        #expect(e.map(\.description) == ["test.csv:\(UpdateLog.maximumSplitDepth + 3):\(column(of: ",u100", in: chain(101)[101]) + 1): unit c/u101 is 101 splits away from its convoy's first unit; splits nest at most 100 deep"], "\(e)")
        let log = try Support.log(chain(UpdateLog.maximumSplitDepth), places: g)
        #expect(try Support.model(log, g).units.count == UpdateLog.maximumSplitDepth + 1)
    }

    // MARK: Finding 18: messages

    @Test func invalidUTF8IsLocatedAtItsFirstBadByte() throws {
        let url = ScratchSpace.path("bad", suffix: ".csv")
        try Data("time,convoy,location,status,source,quote\n2017-08-28,c,at Qa\u{E9}".utf8 + [0xFF] + Data("ra,departed,s,q\n".utf8)).write(to: url)
        do {
            _ = try UpdateLog.load(path: url.path, displayPath: "bad.csv", zone: Support.damascus, places: FixedPlaces(places: [:]))
            Issue.record("accepted")
        } catch let e as DataErrors {
            #expect(e.errors.count == 1 && e.errors[0].description.hasPrefix("bad.csv:2:20: not UTF-8"), "\(e)")
        }
    }

    @Test func aSemicolonSeparatedFileIsNamedSo() throws {
        do {
            _ = try UpdateLog.csvRows("time;convoy;location;status;source;quote\n2017-08-28;c;\"at Qara\";departed;s;q\n", file: "s.csv")
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.description) == ["s.csv:1:5: wrong separator: this file uses ';' between fields; an update log is comma-separated (RFC 4180)"])
        }
    }

    @Test func aFieldStartingWithACombiningMarkIsItsOwnField() throws {
        let records = try CSVReader.records("a,b,c\n1,\u{301}x,\"\u{301}q\"\n", file: "f.csv")
        #expect(records.count == 2)
        #expect(records[1].fields.map(\.text) == ["1", "\u{301}x", "\u{301}q"])
        // Columns count Unicode scalars: "é" written as e + U+0301 is two columns.
        let e = try CSVReader.records("a,b\ne\u{301}\u{301},z\n", file: "f.csv")
        #expect(e[1].fields.map(\.column) == [1, 5])
    }
}
