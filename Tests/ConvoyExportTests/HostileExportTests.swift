import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import ConvoyExport

/// Exports of whatever a model may hold — huge radii, the first and last instants RFC 3339 can
/// write and beyond, formula-like text — never trap, and write only what readers read back.
struct HostileExportTests {
    // MARK: Times

    /// Every line of Fixtures/utc-times.txt (made by make-utc-times.py from Python's datetime, which
    /// counts in the proleptic Gregorian calendar): the same text, whole seconds and milliseconds.
    @Test func timesMatchPythonsProlepticGregorianCalendarForYears1To9999() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/utc-times", withExtension: "txt"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 2000)
        var before1583 = 0
        for line in lines {
            let fields = line.split(separator: " ")
            let seconds = try #require(Double(String(fields[0])))
            #expect(try UTCTime.string(seconds) == String(fields[1]), "\(seconds)")
            #expect(try UTCTime.string(seconds, milliseconds: true) == String(fields[2]), "\(seconds)")
            if fields[1] < "1583" { before1583 += 1 }
        }
        #expect(before1583 > 200)  // the Julian/Gregorian difference is really covered
    }

    @Test func year0AndTheEndOfYear9999AreWrittenAndNothingBeyond() throws {
        // Year 0 (1 BC) is a leap year of the proleptic calendar: 366 days before 0001-01-01.
        #expect(try UTCTime.string(UTCTime.range.lowerBound) == "0000-01-01T00:00:00Z")
        #expect(try UTCTime.string(-62_135_596_800 - 306 * 86_400) == "0000-03-01T00:00:00Z")
        #expect(try UTCTime.string(-62_135_596_800 - 307 * 86_400) == "0000-02-29T00:00:00Z")
        #expect(try UTCTime.string(UTCTime.range.upperBound - 0.001, milliseconds: true) == "9999-12-31T23:59:59.999Z")
        for outside in [UTCTime.range.lowerBound - 1, UTCTime.range.lowerBound - 0.001, UTCTime.range.upperBound, UTCTime.range.upperBound - 0.0004, 1e300, -1e300, .nan, .infinity, -.infinity] {
            #expect(throws: UTCTime.OutOfRange.self, "\(outside)") { try UTCTime.string(outside, milliseconds: true) }
        }
        // 9999-12-31T23:59-14:00 is in year 10000 in UTC: refused with the instant named, not written as 0000.
        let error = try #require(throws: UTCTime.OutOfRange.self) { try UTCTime.string(253_402_300_800 + 13 * 3600 + 59 * 60) }
        #expect(error.description.contains("+10000-01-01T13:59:00Z"))
        let early = try #require(throws: UTCTime.OutOfRange.self) { try UTCTime.string(UTCTime.range.lowerBound - 3600) }
        #expect(early.description.contains("-0001-12-31T23:00:00Z"))
    }

    // MARK: Numbers

    @Test func anyFiniteNumberIsWrittenSoThatItReadsBackAndOnlyNaNAndInfinityAreRefused() throws {
        var rng = SeededGenerator(seed: 17)
        var values: [Double] = [9e15, -9e15, 1e16, 1e19, 1.0000000000000002e19, 1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 123_456_789_012_345_680]
        for _ in 0..<500 { values.append(Double(bitPattern: rng.next()).isFinite ? Double(bitPattern: rng.next()) : 1) }
        for value in values where value.isFinite {
            for decimals in [0, 1, 3, 6] {
                let text = try NumberFormat.string(value, decimals: decimals)
                let decoded = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [NSNumber]
                let back = try #require(decoded?.first?.doubleValue, "\(text) is not JSON")
                let exactness = decimals == 0 ? 0.5 : pow(10, -Double(decimals)) / 2
                #expect(abs(back - value) <= max(exactness, abs(value) * 1e-15), "\(value) → \(text)")
            }
        }
        let error = try #require(throws: NumberFormat.NonFiniteNumber.self) { try NumberFormat.string(.nan, decimals: 1, context: "uncertainty_m of observation x") }
        #expect(error.description.contains("uncertainty_m of observation x"))
    }

    /// An observation whose numbers or times are the given extremes.
    static func document(uncertainty: Double, time: Double, segment: Double? = nil) throws -> ExportDocument {
        let a = try GeoPoint(latitude: 34.5, longitude: 38.3), b = try GeoPoint(latitude: 34.7, longitude: 36.7)
        let observation = ExportObservation(
            id: "log.csv:2", convoy: "c", unit: "u", time: time, timeStart: time, timeEnd: time, timeText: "t", status: "moving",
            location: "near Palmyra within 1e16 km", place: "Palmyra", point: a, uncertaintyMeters: uncertainty, stretch: [[a, b]],
            vehicles: nil, people: nil, source: "s", quote: "q", segmentMeters: segment, cumulativeMeters: segment, anomalies: [])
        let track = ExportTrack(convoy: "c", unit: "u", parent: nil, vehicles: nil, vertices: [TrackVertex(time: time, point: a), TrackVertex(time: time + 3600, point: b)])
        let leg = ExportLeg(convoy: "c", unit: "u", from: "a", to: "b", start: time, end: time + 3600, geodesicMeters: segment ?? 1, alongRouteMeters: segment ?? 1)
        return ExportDocument(tracks: [track], observations: [observation], legs: [leg])
    }

    /// Finding 3: `near … within 1e16 km` trapped on Int(uncertainty) in the KML and GPX writers.
    /// Every format writes such radii; NaN, infinity and times outside RFC 3339 are refused with the
    /// field named, and nothing is committed.
    @Test(arguments: ExportFormat.allCases)
    func extremeValuesAreWrittenOrRefusedButNeverTrap(format: ExportFormat) throws {
        for uncertainty in [1e19, 1e300, .greatestFiniteMagnitude] {
            let sink = MemorySink()
            try Exporter.write(try Self.document(uncertainty: uncertainty, time: 1.5e9, segment: uncertainty), as: format, to: sink)
            #expect(sink.committed)
            let text = String(decoding: sink.bytes, as: UTF8.self)
            let radius = "± \(try NumberFormat.string(uncertainty, decimals: 0)) m"
            if format == .kml || format == .gpx { #expect(text.contains(radius), "\(format)") }
        }
        // Only GeoJSON, GPX and KML write observations' radii; kepler writes times as unix seconds, any finite number.
        let writesUncertainty = [.geojson, .geojsonseq, .gpx, .kml].contains(format), writesRFC3339 = format != .kepler
        let cases: [(uncertainty: Double, time: Double, refused: Bool, named: String)] = [
            (.nan, 1.5e9, writesUncertainty, "uncertainty_m of observation log.csv:2"),
            (.infinity, 1.5e9, writesUncertainty, "uncertainty_m of observation log.csv:2"),
            (1, UTCTime.range.lowerBound - 1, writesRFC3339, "-0001-12-31T23:59:59Z"),
            (1, UTCTime.range.upperBound, writesRFC3339, "+10000-01-01T00:00:00Z"),
            (1, .nan, true, "nan"),
        ]
        for (uncertainty, time, refused, named) in cases {
            let sink = MemorySink()
            do {
                try Exporter.write(try Self.document(uncertainty: uncertainty, time: time), as: format, to: sink)
                #expect(!refused, "\(format) wrote uncertainty \(uncertainty) at \(time)")
            } catch {
                #expect(refused, "\(format): \(error)")
                #expect(String(describing: error).contains(named), "\(format): \(error)")
                #expect(!sink.committed)
            }
        }
    }

    // MARK: CSV

    /// Finding 10: cells a spreadsheet would run as a formula get a leading ' and are quoted (OWASP).
    @Test func formulaLeadingCellsAreNeutralisedAndOthersLeftAlone() throws {
        let writer = LegsCSVWriter(document: ExportDocument(tracks: [], observations: [], legs: []))
        func cell(_ text: String) -> String {
            var out = TextBuffer(sink: MemorySink())
            writer.field(text, &out)
            return String(decoding: out.bytes, as: UTF8.self)
        }
        #expect(cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(cell("+cmd|'/C calc'!A0") == "\"'+cmd|'/C calc'!A0\"")
        #expect(cell("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(cell("-2+3") == "\"'-2+3\"")
        #expect(cell("\tx") == "\"'\tx\"")
        #expect(cell("\r=1") == "\"'\r=1\"")
        #expect(cell("is-qalamoun-2017") == "is-qalamoun-2017")
        #expect(cell("at Palmyra") == "at Palmyra")
        #expect(cell("a;=1+1") == "\"a;=1+1\"")  // a semicolon-separated reading keeps it one cell
        #expect(cell("a,b") == "\"a,b\"")
        #expect(cell("") == "")
    }

    // MARK: Files

    static func folder() throws -> URL {
        let url = ScratchSpace.path("convoy-hostile")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, through sink: AtomicFileSink) throws {
        try sink.write(text)
        try sink.commit()
    }

    /// Finding 7: a FIFO, a device, a directory or a link to one is refused and left as it is; a
    /// symbolic link to a regular file is written through (the link stays); a dangling link is refused.
    @Test func onlyRegularFilesAreReplacedAndLinksAreWrittenThrough() throws {
        let folder = try Self.folder()
        let fifo = folder.appendingPathComponent("pipe.geojson").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let fifoError = try #require(throws: FileAccessError.self) { _ = try AtomicFileSink(path: fifo) }
        #expect(fifoError.description.contains("is a FIFO"))
        let linkToFIFO = folder.appendingPathComponent("to-pipe.geojson").path
        try FileManager.default.createSymbolicLink(atPath: linkToFIFO, withDestinationPath: "pipe.geojson")
        #expect(throws: FileAccessError.self) { _ = try AtomicFileSink(path: linkToFIFO) }
        // A character device of our own making (never a real one of /dev: a regression would replace it).
        let device = folder.appendingPathComponent("device.geojson").path
        if mknod(device, S_IFCHR | 0o644, dev_t(1 << 8 | 3)) == 0 {
            let deviceError = try #require(throws: FileAccessError.self) { _ = try AtomicFileSink(path: device) }
            #expect(deviceError.description.contains("is a character device"))
            var info = stat()
            #expect(lstat(device, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(lstat(linkToFIFO, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        // Through a link to a regular file in another folder.
        let elsewhere = try Self.folder()
        let real = elsewhere.appendingPathComponent("real.geojson").path
        try "old".write(toFile: real, atomically: false, encoding: .utf8)
        let link = folder.appendingPathComponent("latest.geojson").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        try Self.write("new", through: try AtomicFileSink(path: link))
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == ["real.geojson"])
        // A dangling link is refused, and nothing is created at its target.
        let dangling = folder.appendingPathComponent("dangling.geojson").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "missing.geojson")
        let danglingError = try #require(throws: FileAccessError.self) { _ = try AtomicFileSink(path: dangling) }
        #expect(danglingError.description.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("missing.geojson").path))
        #expect(throws: FileAccessError.self) { _ = try AtomicFileSink(path: folder.path) }
        // No temporary file is left by any of the refusals.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func aReplacedFileKeepsItsModeAndGroup() throws {
        let folder = try Self.folder()
        let path = folder.appendingPathComponent("track.geojson").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, 0o640) == 0)
        var before = stat()
        #expect(stat(path, &before) == 0)
        try Self.write("new", through: try AtomicFileSink(path: path))
        var after = stat()
        #expect(stat(path, &after) == 0)
        #expect(after.st_mode & 0o7777 == 0o640)
        #expect(after.st_uid == before.st_uid && after.st_gid == before.st_gid)
        #expect(after.st_ino != before.st_ino)  // replaced by rename, not rewritten in place
        if geteuid() != 0 {
            #expect(chmod(path, 0o444) == 0)
            let error = try #require(throws: FileAccessError.self) { _ = try AtomicFileSink(path: path) }
            #expect(error.description.contains("read-only"))
        }
    }

    /// Finding 17: temporaries of killed writers are removed on the next write to the folder; those
    /// of live processes, of other names, or held locked are kept.
    @Test func staleTemporariesOfDeadWritersAreRemovedOnTheNextWrite() throws {
        let folder = try Self.folder()
        let dead = try Self.deadPID()
        let names = [
            ".track.geojson.tmp-\(dead)-12345", ".other.kml.tmp-\(dead)-1",  // stale: removed
            ".track.geojson.tmp-1-99",  // PID 1 is alive: kept
            ".track.geojson.tmp-\(dead)-x", "track.geojson.tmp-\(dead)-1", ".tmp-\(dead)-1",  // not the pattern: kept
            ".locked.tmp-\(dead)-7",  // held locked by a live writer: kept
        ]
        for name in names { try String(repeating: "x", count: 1000).write(toFile: folder.appendingPathComponent(name).path, atomically: false, encoding: .utf8) }
        let locked = open(folder.appendingPathComponent(".locked.tmp-\(dead)-7").path, O_RDONLY)
        defer { close(locked) }
        #expect(flock(locked, LOCK_EX) == 0)
        let sink = try AtomicFileSink(path: folder.appendingPathComponent("track.geojson").path)
        #expect(sink.removedStaleFiles == [
            StaleTemporaryFiles.Removed(name: ".other.kml.tmp-\(dead)-1", bytes: 1000), StaleTemporaryFiles.Removed(name: ".track.geojson.tmp-\(dead)-12345", bytes: 1000),
        ])
        try Self.write("new", through: sink)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set(names.dropFirst(2)).union(["track.geojson"]))
    }

    /// The PID of a process that has exited (and been reaped).
    static func deadPID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        let pid = process.processIdentifier
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        return pid
    }
}
