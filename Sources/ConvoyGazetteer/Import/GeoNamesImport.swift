import ConvoyGeodesy
import Foundation
import GRDB

/// The result of importing a GeoNames dump.
public struct GeoNamesImportSummary: Sendable, Hashable {
    /// Data lines read (comments and blank lines excluded).
    public var rows = 0
    /// Places written (new or replacing an earlier import of the same geonameid).
    public var places = 0
    /// Names written.
    public var names = 0
    /// Rows skipped because a curated, country or user place already cites that geonameid.
    public var skippedBundled = 0
}

/// Progress of a long import: rows and bytes so far, and the file's size (0 if unknown).
public struct ImportProgress: Sendable {
    public let rows: Int
    public let bytesRead: Int64
    public let totalBytes: Int64
}

extension Gazetteer {
    /// Imports a GeoNames dump in the 19-column tab-separated format of `allCountries.txt`, `SY.txt`
    /// or `cities15000.txt` (geonameid, name, asciiname, alternatenames, latitude, longitude, feature
    /// class, feature code, country code, cc2, admin1–4 codes, population, elevation, dem, timezone,
    /// modification date). The alternate names column becomes variant names.
    ///
    /// The file is streamed (memory bounded by one line) inside one write transaction: if any line is
    /// malformed, every problem found is reported as `file:line: message` and nothing is imported.
    /// Re-importing a geonameid replaces the earlier import; a geonameid the bundled gazetteer
    /// already cites is skipped, since the bundled record is curated (so is one a country or a
    /// user place cites). GeoNames data is CC BY 4.0.
    public func importGeoNames(
        path: String, displayPath: String? = nil, progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) throws -> GeoNamesImportSummary {
        let shown = displayPath ?? path
        let reader = try LineReader(path: path, displayPath: shown)
        do {
            return try importRows(from: reader, shown: shown, progress: progress)
        } catch {
            throw StoreFailure(error, path: self.path) ?? error
        }
    }

    private func importRows(
        from reader: LineReader, shown: String, progress: (@Sendable (ImportProgress) -> Void)?
    ) throws -> GeoNamesImportSummary {
        try database.write { db in
            var importer = GeoNamesRowImporter(db: db, file: shown)
            try importer.loadBundledIDs()
            do {
                while let outcome = try reader.nextLine({ try importer.consume($0, line: reader.lineNumber) }) {
                    if outcome, importer.summary.rows % 50_000 == 0 {
                        progress?(ImportProgress(rows: importer.summary.rows, bytesRead: reader.bytesRead, totalBytes: reader.size))
                    }
                    if importer.errors.count >= 50 { break }
                }
            } catch let tooLong as LineReader.LineTooLong {
                // The rest of such an input is not read: /dev/zero, say, never ends.
                importer.errors.append(DataError(
                    file: shown, line: tooLong.line, column: tooLong.column,
                    message: "line is longer than \(tooLong.limit) bytes (GeoNames lines are a few KB); is this a GeoNames dump? Nothing more was read"))
            }
            if importer.errors.isEmpty, importer.summary.rows == 0 {
                importer.errors.append(DataError(file: shown, message: "no GeoNames rows found (is the file empty?)"))
            }
            guard importer.errors.isEmpty else {
                // Throwing inside the transaction rolls it back: the store is left exactly as it was.
                throw DataErrors(importer.errors, truncated: importer.errors.count >= 50)
            }
            progress?(ImportProgress(rows: importer.summary.rows, bytesRead: reader.bytesRead, totalBytes: reader.size))
            return importer.summary
        }
    }
}

/// One line of a GeoNames dump, read: a comment or blank line, a place, or what is wrong with it.
enum GeoNamesLine {
    case skipped
    /// The place, and the key of each of its names (parallel to `names`), computed once here.
    case place(Place, keys: [String])
    case invalid(column: Int?, message: String)

    /// Reads one line (without its terminator) in the 19-column format, as a GeoNames place.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> GeoNamesLine {
        if bytes.isEmpty || bytes.first == UInt8(ascii: "#") { return .skipped }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // The column of the first byte that is not part of a valid UTF-8 sequence.
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            var column = 1
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: column += 1
                case .emptyInput, .error: break decoding
                }
            }
            return .invalid(column: column, message: "line is not valid UTF-8")
        }
        if let control = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            // A NUL would cut the name where SQLite stores it; other control characters are never in GeoNames.
            let before = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<control]), as: UTF8.self)
            return .invalid(column: before.unicodeScalars.count + 1, message: "control character 0x\(String(bytes[control], radix: 16, uppercase: true)) in a GeoNames row")
        }
        let columns = text.split(separator: "\t", omittingEmptySubsequences: false)
        guard columns.count == 19 else {
            return .invalid(column: nil, message: "expected 19 tab-separated columns (GeoNames format), found \(columns.count)")
        }
        guard let geonameID = Int(columns[0]), geonameID > 0 else {
            return .invalid(column: nil, message: "geonameid \"\(columns[0])\" is not a positive integer")
        }
        let name = String(columns[1])
        guard !name.isEmpty else { return .invalid(column: nil, message: "geonameid \(geonameID) has an empty name") }
        guard let lat = Double(columns[4]), let lon = Double(columns[5]) else {
            return .invalid(column: nil, message: "latitude \"\(columns[4])\" / longitude \"\(columns[5])\" are not numbers")
        }
        let location: GeoPoint
        do { location = try GeoPoint(latitude: lat, longitude: lon) } catch {
            return .invalid(column: nil, message: "\(error)")
        }
        let featureClass = String(columns[6]), featureCode = String(columns[7])
        guard featureClass.isEmpty || (featureClass.count == 1 && "AHLPRSTUV".contains(featureClass)) else {
            return .invalid(column: nil, message: "feature class \"\(featureClass)\" is not one of A H L P R S T U V")
        }
        let country = String(columns[8])
        guard country.isEmpty || country.range(of: "^[A-Z]{2}$", options: .regularExpression) != nil else {
            return .invalid(column: nil, message: "country code \"\(country)\" is not two capital letters")
        }
        let population = columns[14].isEmpty ? 0 : Int(columns[14])
        guard let population else { return .invalid(column: nil, message: "population \"\(columns[14])\" is not an integer") }
        let kind = GeoNamesRowImporter.kind(featureClass: featureClass, code: featureCode, population: population)
        var names = [PlaceName(text: name, lang: "und", script: GeoNamesRowImporter.script(of: name), kind: .preferred, source: "GeoNames \(geonameID)")]
        var keys = [NameKey.key(name)]
        var seen: Set<String> = [name]
        let ascii = String(columns[2])
        for alternate in [ascii] + columns[3].split(separator: ",").map(String.init) {
            let trimmed = alternate.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.contains("://"), seen.insert(trimmed).inserted else { continue }
            let key = NameKey.key(trimmed)
            guard !key.isEmpty else { continue }
            names.append(PlaceName(text: trimmed, lang: "und", script: GeoNamesRowImporter.script(of: trimmed), kind: .variant, source: "GeoNames \(geonameID)"))
            keys.append(key)
        }
        let code = featureClass + (featureCode.isEmpty ? "" : ".\(featureCode)")
        return .place(Place(
            id: Place.geoNamesIDPrefix + "\(geonameID)", name: name, kind: kind, country: country.isEmpty ? nil : country,
            admin1: columns[10].isEmpty ? nil : "\(country).\(columns[10])", admin2: columns[11].isEmpty ? nil : String(columns[11]),
            location: location, uncertaintyMeters: GeoNamesRowImporter.defaultUncertainty(kind: kind),
            coordinateSource: "GeoNames \(geonameID) (\(code)), CC BY 4.0; radius is convoy's default for a GeoNames \(kind)",
            sourceURL: "https://www.geonames.org/\(geonameID)", geonamesID: geonameID, names: names, origin: .geonames), keys: keys)
    }
}

/// Parses and writes one GeoNames row at a time.
struct GeoNamesRowImporter {
    let db: Database
    let file: String
    var summary = GeoNamesImportSummary()
    var errors: [DataError] = []
    private var bundledIDs: Set<Int> = []

    init(db: Database, file: String) {
        self.db = db
        self.file = file
    }

    /// GeoNames ids that curated, country and user places cite: such rows are skipped.
    mutating func loadBundledIDs() throws {
        bundledIDs = Set(try Int.fetchAll(db, sql: "SELECT geonames_id FROM place WHERE origin <> 'geonames' AND geonames_id IS NOT NULL"))
    }

    /// Returns true when the line was a data row.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws -> Bool {
        let place: Place, keys: [String]
        switch GeoNamesLine.read(bytes) {
        case .skipped: return false
        case .invalid(let column, let message):
            summary.rows += 1
            fail(line, column: column, message)
            return true
        case .place(let read, let readKeys):
            summary.rows += 1
            (place, keys) = (read, readKeys)
        }
        guard errors.isEmpty else { return true }  // keep validating, stop writing
        if let id = place.geonamesID, bundledIDs.contains(id) {
            summary.skippedBundled += 1
            return true
        }
        let writer = PlaceWriter(db)
        // Re-importing replaces an earlier import, or the bundled cities500 layer's row (which the
        // next rebuild of the layer then leaves to the import).
        try writer.delete(id: place.id)
        try writer.insert(place, keys: keys)
        summary.places += 1
        summary.names += place.names.count
        return true
    }

    mutating func fail(_ line: Int, column: Int? = nil, _ message: String) {
        errors.append(DataError(file: file, line: line, column: column, message: message))
    }

    /// convoy's kind for a GeoNames feature class and code.
    static func kind(featureClass: String, code: String, population: Int) -> String {
        switch (featureClass, code) {
        case ("A", let c) where c.hasPrefix("PCL"): "country"
        case ("A", "ADM1"): "governorate"
        case ("A", "ADM2"): "district"
        case ("A", "ADM3"), ("A", "ADM4"): "subdistrict"
        case ("A", _): "region"
        case ("P", "PPLC"), ("P", "PPLA"): "city"
        case ("P", "PPLX"): "neighbourhood"
        case ("P", _): population >= 100_000 ? "city" : population >= 10_000 ? "town" : "village"
        case ("H", "STM"), ("H", "STMI"), ("H", "WAD"): "river"
        case ("T", "PK"), ("T", "PKS"), ("T", "HLL"), ("T", "MT"): "peak"
        case ("T", "MTS"), ("T", "HLLS"): "mountain range"
        case ("T", "DSRT"): "desert"
        case ("S", "PSTB"), ("S", "PSTC"), ("S", "PSTP"): "border crossing"
        case ("S", "PMPO"): "pumping station"
        case ("S", "AIRB"), ("S", "AIRF"), ("S", "AIRH"), ("S", "AIRP"): "air base"
        case ("S", "RUIN"), ("S", "ANS"), ("S", "HSTS"): "archaeological site"
        case ("S", "CMPRF"): "refugee camp"
        case ("R", "RDJCT"): "road junction"
        case ("L", "RGN"): "region"
        default: "area"
        }
    }

    /// GeoNames gives no uncertainty; these radii reflect how far such points typically sit from the
    /// feature they stand for (minute-precision sources, centroids of extended features).
    static func defaultUncertainty(kind: String) -> Double {
        switch kind {
        case "country": 500_000
        case "governorate": 100_000
        case "district", "region", "desert", "mountain range": 30_000
        case "subdistrict", "river": 10_000
        case "city": 5_000
        case "town": 3_000
        default: 2_000
        }
    }

    /// ISO 15924 code of the script a name is written in (by its first letter).
    static func script(of text: String) -> String {
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            switch scalar.value {
            case 0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return "Arab"
            case 0x0400...0x052F: return "Cyrl"
            case 0x0590...0x05FF: return "Hebr"
            case 0x0370...0x03FF: return "Grek"
            case 0x0530...0x058F: return "Armn"
            case 0x10A0...0x10FF: return "Geor"
            case 0x0900...0x097F: return "Deva"
            case 0x3040...0x30FF: return "Jpan"
            case 0x4E00...0x9FFF: return "Hani"
            case 0xAC00...0xD7AF: return "Hang"
            case 0x0E00...0x0E7F: return "Thai"
            case 0x0000...0x024F, 0x1E00...0x1EFF: return "Latn"
            default: return "Zyyy"
            }
        }
        return "Zyyy"
    }
}
