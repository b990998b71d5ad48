import ArgumentParser
import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// `convoy places …`: look places up in the gazetteer and extend it.
struct PlacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "places",
        abstract: "Look up places in the gazetteer, in any spelling or script.",
        subcommands: [List.self, Show.self, Search.self, Near.self, Add.self, Import.self, Remove.self])
}

extension PlaceOrigin: ExpressibleByArgument {}

extension PlacesCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List places, optionally of one kind, country or layer.")

        @Option(help: ArgumentHelp("Only this kind (city, town, village, border crossing, peak, …).", valueName: "kind")) var kind: String?
        @Option(help: ArgumentHelp("Only this country (ISO code, e.g. SY).", valueName: "cc")) var country: String?
        @Option(help: ArgumentHelp("Only this layer: bundled (the curated places), countries, geonames, or user (your own).", valueName: "layer"))
        var origin: PlaceOrigin?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let gazetteer = try store.open()
            let places = try gazetteer.places(kind: kind, country: country, origin: origin)
            if output.json {
                try printJSON(places.map { PlaceJSON(place: $0, includeNames: false) })
                return
            }
            guard !places.isEmpty else {
                say("no places match")
                return
            }
            let idWidth = min(34, places.map(\.id.count).max() ?? 0)
            let nameWidth = min(30, places.map(\.name.count).max() ?? 0)
            for place in places {
                say("\(TextFormat.pad(place.id, idWidth))  \(TextFormat.pad(place.name, nameWidth))  \(TextFormat.pad(place.kind, 16))  \(place.country ?? "--")  \(TextFormat.coordinate(place.location))  \(TextFormat.radius(place.uncertaintyMeters))")
            }
            say(TextFormat.counted(places.count, "place"))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a place: all its names, its position, uncertainty and source.",
            discussion: "NAME is any spelling in any script, or a place id. A name that does not resolve exits 1 with suggestions.")

        @Argument(help: "Place name or id.") var name: String
        @Option(help: ArgumentHelp("Also give the position in this CRS (e.g. EPSG:32637, UTM 37N).", valueName: "crs")) var crs: String?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let gazetteer = try store.open()
            let argument = try PlaceArgument.resolve(name, in: gazetteer, allowCoordinates: false)
            guard let match = argument.match else { return }
            let place = match.place
            let projected = try crs.map { crs in
                try CoordinateTransformer(from: "EPSG:4326", to: crs).transform(x: place.location.longitude, y: place.location.latitude)
            }
            if output.json {
                try printJSON(ShowJSON(match: match, alternatives: argument.alternatives, crs: crs, projected: projected))
                return
            }
            say("\(place.name) — \(TextFormat.describe(place))  [\(place.id)]")
            if match.match != .exact {
                let how = match.match == .variant ? "a recorded \(match.name.kind.rawValue) name" : "another spelling of the \(match.name.kind.rawValue) name \"\(match.name.text)\""
                say("  matched    \"\(name)\" is \(how)" + (match.name.source.map { ", source: \($0)" } ?? ""))
            }
            say("  position   \(TextFormat.coordinate(place.location))  (lat, lon)  \(TextFormat.radius(place.uncertaintyMeters))")
            if let crs, let projected {
                say("  \(TextFormat.pad(crs, 9))  x \(String(format: "%.3f", projected.x))  y \(String(format: "%.3f", projected.y))")
            }
            say("  source     \(place.coordinateSource)")
            if let url = place.sourceURL { say("  url        \(url)") }
            if let id = place.geonamesID { say("  geonames   \(id) (CC BY 4.0)") }
            if let alpha3 = place.isoAlpha3 { say("  ISO 3166   \(place.country ?? "--") / \(alpha3)" + (place.isoNumeric.map { " / \($0)" } ?? "")) }
            say("  layer      \(TextFormat.layer(place.origin, userPlaces: gazetteer.userPlacesPath))")
            if let parent = place.partOf { say("  part of    \(parent)") }
            if let note = place.note { say("  note       \(note)") }
            say("  names (\(place.names.count))")
            let width = min(32, place.names.map(\.text.count).max() ?? 0)
            for n in place.names {
                say("    \(TextFormat.pad(n.kind.rawValue, 11)) \(TextFormat.pad(n.lang, 3)) \(n.script)  \(TextFormat.pad(n.text, width))  \(n.source ?? "")")
            }
            if !argument.alternatives.isEmpty {
                say("  \"\(name)\" also names:")
                for other in argument.alternatives {
                    say("    \(other.place.name) — \(TextFormat.describe(other.place)) [\(other.place.id)]")
                }
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search names: exact, prefix, substring, then similar (\"did you mean\").")

        @Argument(help: "Text to search for.") var text: String
        @Option(help: "Most hits to show.") var limit = 10
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let gazetteer = try store.open()
            let hits = try gazetteer.search(text, limit: limit)
            if output.json {
                try printJSON(SearchJSON(query: text, key: NameKey.key(text), hits: hits))
                return
            }
            guard !hits.isEmpty else {
                say("nothing like \"\(text)\" in the gazetteer")
                throw FindingsReported()
            }
            if hits[0].reason != "exact", hits[0].reason != "variant", hits[0].reason != "normalized" {
                say("no place is called \"\(text)\"; did you mean:")
            }
            for hit in hits {
                let via = hit.name.text == hit.place.name ? "" : " (\"\(hit.name.text)\")"
                say("  \(TextFormat.pad(hit.reason, 10)) \(hit.place.name)\(via) — \(TextFormat.describe(hit.place)) [\(hit.place.id)]")
            }
        }
    }

    struct Near: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Places within a radius of a point, by geodesic distance, with bearings.",
            discussion: "LAT LON in decimal degrees (or one LAT,LON argument). An R*Tree prefilters; distances are exact geodesics.")

        @Argument(help: "Latitude, or LAT,LON.") var latitude: String
        @Argument(help: "Longitude.") var longitude: String?
        @Option(help: ArgumentHelp("Radius in kilometres.", valueName: "km")) var radius = 50.0
        @Option(help: "Most places to show.") var limit: Int?
        @Flag(help: "Include countries, governorates, regions, rivers and other extended features (by their representative point).")
        var areas = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard radius > 0, radius.isFinite, radius <= 20_100 else { throw ValidationError("--radius must be between 0 and 20100 km") }
        }

        func run() throws {
            let text = longitude.map { "\(latitude),\($0)" } ?? latitude
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let lat = parts[0], let lon = parts[1] else {
                throw CommandFailure.usage("expected LAT LON in decimal degrees, got \"\(text)\"")
            }
            let point = try GeoPoint(latitude: lat, longitude: lon)
            let gazetteer = try store.open()
            let nearby = try gazetteer.places(near: point, radius: radius * 1000, limit: limit, includeAreas: areas)
            if output.json {
                try printJSON(NearJSON(lat: lat, lon: lon, radius_m: radius * 1000, places: nearby.map(NearJSON.Item.init)))
                return
            }
            guard !nearby.isEmpty else {
                say("no places within \(TextFormat.distance(radius * 1000)) of \(TextFormat.coordinate(point))")
                return
            }
            for item in nearby {
                say("\(TextFormat.pad(TextFormat.distance(item.distance), 9)) \(TextFormat.pad(TextFormat.compass(item.bearing), 3)) \(String(format: "%5.1f°", item.bearing))  \(item.place.name) — \(TextFormat.describe(item.place)) [\(item.place.id)]")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a place of your own: a name, where it is, how sure, and what says so.",
            discussion: """
                Your places are kept in STORE.user-places.geojson beside the store (README, "Your own places"), loaded \
                on top of the bundled data and kept across rebuilds; the next convoy check resolves every name and alias \
                by the usual name keys. Example: convoy places add "Ain Issa" --at 36.3855,38.8623 --radius 3 \
                --source "SOHR report, 14 Oct 2017" --kind town --country SY --alias "Ayn Issa" "عين عيسى"
                """)

        @Argument(help: "The place's name (in any script).") var name: String
        @Option(help: ArgumentHelp("Where it is, in decimal degrees.", valueName: "lat,lon")) var at: String
        @Option(help: ArgumentHelp("Radius in kilometres that surely holds the place.", valueName: "km")) var radius: Double
        @Option(help: ArgumentHelp("What the position rests on (required): a report, a map, an image.", valueName: "text")) var source: String
        @Option(help: ArgumentHelp("Kind: city, town, village, border crossing, … (default: place).", valueName: "kind")) var kind = "place"
        @Option(help: ArgumentHelp("Country, ISO 3166-1 alpha-2 (e.g. SY).", valueName: "cc")) var country: String?
        @Option(name: .customLong("alias"), parsing: .upToNextOption, help: ArgumentHelp("Other spellings (repeatable).", valueName: "name"))
        var aliases: [String] = []
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            guard let point = GeoPoint(parsing: Substring(at)) else {
                throw CommandFailure.usage("--at expects LAT,LON in decimal degrees (latitude -90…90, longitude -180…180), got \"\(ControlCharacters.escaped(at))\"")
            }
            let gazetteer = try store.open()
            let draft = UserPlaceDraft(name: name, location: point, uncertaintyMeters: radius * 1000, source: source, kind: kind, country: country, aliases: aliases)
            let place = try userPlacesChange { try gazetteer.addUserPlace(draft, write: writeUserPlaces) }
            if output.json {
                try printJSON(UserPlacesJSON(file: gazetteer.userPlacesPath, added: [place], replaced: [], removed: []))
                return
            }
            say("added \(place.name) — \(TextFormat.describe(place)) [\(place.id)] at \(TextFormat.coordinate(place.location)) \(TextFormat.radius(place.uncertaintyMeters))")
            say("  to \(gazetteer.userPlacesPath)")
            // A name another place has too makes the check ask which one a report means: say so now.
            for text in place.names.map(\.text) {
                let others = try gazetteer.resolve(text).filter { $0.place.id != place.id }
                guard !others.isEmpty else { continue }
                let list = others.prefix(3).map { "\($0.place.name) (\(TextFormat.describe($0.place))) [\($0.place.id)]" }.joined(separator: ", ")
                warn("convoy: note: '\(ControlCharacters.escaped(text))' also names \(list)\(others.count > 3 ? " and \(others.count - 3) more" : "")")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove one of your own places, by id or by any of its names.",
            discussion: "Only places you added (convoy places list --origin user) can be removed.")

        @Argument(help: "The place's id (user-…) or a name of it.") var place: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let gazetteer = try store.open()
            let removed = try userPlacesChange { try gazetteer.removeUserPlace(place, write: writeUserPlaces) }
            if output.json {
                try printJSON(UserPlacesJSON(file: gazetteer.userPlacesPath, added: [], replaced: [], removed: [removed]))
                return
            }
            say("removed \(removed.name) — \(TextFormat.describe(removed)) [\(removed.id)] from \(gazetteer.userPlacesPath)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add places to your own from a GeoJSON file, or to the store from a GeoNames dump.",
            subcommands: [GeoJSON.self, GeoNames.self], defaultSubcommand: GeoJSON.self)

        struct GeoJSON: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "geojson",
                abstract: "Add (or replace) places of your own from a GeoJSON file in the bundled places.geojson schema.",
                discussion: """
                    convoy places import FILE is this command. One transaction: every problem is reported as \
                    file:line:col: message and nothing changes. An id becomes user-ID (user-… ids are kept); a place \
                    with the id of one of yours replaces it.
                    """)

            @Argument(help: "GeoJSON FeatureCollection (Gazetteer/README.md schema).") var file: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var output: OutputOptions

            func run() throws {
                let gazetteer = try store.open()
                let summary = try userPlacesChange { try gazetteer.importUserPlaces(path: file, displayPath: file, write: writeUserPlaces) }
                if output.json {
                    try printJSON(UserPlacesJSON(file: gazetteer.userPlacesPath, added: summary.added, replaced: summary.replaced, removed: []))
                    return
                }
                say("imported \(TextFormat.counted(summary.added.count + summary.replaced.count, "place")) from \(file) (\(summary.added.count) new, \(summary.replaced.count) replaced) into \(gazetteer.userPlacesPath)")
            }
        }

        struct GeoNames: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "geonames",
                abstract: "Import a GeoNames dump (allCountries.txt, SY.txt, cities15000.txt: 19 tab-separated columns).",
                discussion: "One transaction: a malformed line is reported as file:line: message and nothing is imported. Data © GeoNames, CC BY 4.0.")

            @Argument(help: "GeoNames file.") var file: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var output: OutputOptions

            func run() throws {
                let gazetteer = try store.open()
                let start = Date()
                let summary = try gazetteer.importGeoNames(path: file, displayPath: file) { progress in
                    guard progress.totalBytes > 0 else { return warn("convoy: \(progress.rows) rows") }
                    warn(String(format: "convoy: %d rows, %.0f%%", progress.rows, Double(progress.bytesRead) / Double(progress.totalBytes) * 100))
                }
                let seconds = Date().timeIntervalSince(start)
                if output.json {
                    try printJSON(ImportJSON(file: file, rows: summary.rows, places: summary.places, names: summary.names, skipped_bundled: summary.skippedBundled, seconds: rounded(seconds, 3)))
                    return
                }
                say("imported \(summary.places) places with \(summary.names) names from \(file) (\(summary.rows) rows, \(summary.skippedBundled) already in the bundled gazetteer) in \(String(format: "%.2f", seconds)) s")
                say("GeoNames data: CC BY 4.0, https://www.geonames.org")
            }
        }
    }
}

/// Writes the user's places file atomically (a temporary file beside it, renamed; only a regular
/// file is replaced): the export's atomic file sink.
func writeUserPlaces(_ path: String, _ bytes: [UInt8]) throws {
    let sink = try openFile(path)
    try sink.write(bytes)
    try sink.commit()
}

/// Runs a change to the user's places, mapping a change that cannot be made to exit status 1 (2
/// for malformed input) and a bad file (the imported one, or the user's places file edited by
/// hand) to its `file:line:col` errors, "nothing changed" and exit status 2.
func userPlacesChange<T>(_ change: () throws -> T) throws -> T {
    do {
        return try change()
    } catch let failure as UserPlacesError {
        throw failure.isBadInput ? CommandFailure.usage(failure.message) : CommandFailure.findings(failure.message)
    } catch let failure as DataErrors {
        warn(failure.description)
        warn("convoy: nothing changed")
        throw ExitCode(2)
    }
}

extension TextFormat {
    /// Which layer a place is in, for `places show`.
    static func layer(_ origin: PlaceOrigin, userPlaces: String) -> String {
        switch origin {
        case .bundled: "curated (Gazetteer/places.geojson)"
        case .countries: "countries (Gazetteer/countries.geojson)"
        case .geonames: "GeoNames (CC BY 4.0): the bundled cities500 layer or an import"
        case .user: "your own places (\(userPlaces))"
        }
    }
}

/// `places add | import | remove --json`: `file` (the user's places file), `added`, `replaced`,
/// `removed` (places, each as in `places show` without `matched`).
struct UserPlacesJSON: Encodable {
    let file: String
    let added: [Place]
    let replaced: [Place]
    let removed: [Place]

    enum CodingKeys: String, CodingKey { case file, added, replaced, removed }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(added.map { PlaceJSON(place: $0, includeNames: true) }, forKey: .added)
        try c.encode(replaced.map { PlaceJSON(place: $0, includeNames: true) }, forKey: .replaced)
        try c.encode(removed.map { PlaceJSON(place: $0, includeNames: true) }, forKey: .removed)
    }
}

/// `places show --json`: the place (see ``PlaceJSON``) plus `matched` {text, kind, match} and
/// `other_matches` (places the same name also resolves to: id, name, kind, country).
struct ShowJSON: Encodable {
    let match: NameMatch
    let alternatives: [NameMatch]
    let crs: String?
    let projected: (x: Double, y: Double)?

    struct Brief: Encodable {
        let id: String, name: String, kind: String, country: String?
    }

    func encode(to encoder: any Encoder) throws {
        try PlaceJSON(place: match.place, includeNames: true).encode(to: encoder)
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(["text": match.name.text, "kind": match.name.kind.rawValue, "match": match.match.rawValue], forKey: DynamicKey("matched"))
        try c.encode(alternatives.map { Brief(id: $0.place.id, name: $0.place.name, kind: $0.place.kind, country: $0.place.country) }, forKey: DynamicKey("other_matches"))
        if let crs, let projected {
            try c.encode(["crs": crs, "x": String(projected.x), "y": String(projected.y)], forKey: DynamicKey("projected"))
        }
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `places search --json`: `query`, `key` (the normalised form searched) and `hits`, each with `id`,
/// `name`, `matched_name`, `reason` (exact | variant | normalized | prefix | contains | similar), `edit_distance`.
struct SearchJSON: Encodable {
    struct Hit: Encodable {
        let id: String, name: String, kind: String, country: String?, matched_name: String, reason: String, edit_distance: Int
    }
    let query: String
    let key: String
    let hits: [Hit]

    init(query: String, key: String, hits: [SearchHit]) {
        self.query = query
        self.key = key
        self.hits = hits.map { Hit(id: $0.place.id, name: $0.place.name, kind: $0.place.kind, country: $0.place.country, matched_name: $0.name.text, reason: $0.reason, edit_distance: $0.distance) }
    }
}

/// `places near --json`: the query point, `radius_m`, and `places` nearest first, each with `id`,
/// `name`, `kind`, `lat`, `lon`, `distance_m`, `bearing_deg` (from the query point to the place).
struct NearJSON: Encodable {
    struct Item: Encodable {
        let id: String, name: String, kind: String, lat: Double, lon: Double, distance_m: Double, bearing_deg: Double

        init(_ n: NearbyPlace) {
            id = n.place.id
            name = n.place.name
            kind = n.place.kind
            lat = n.place.location.latitude
            lon = n.place.location.longitude
            distance_m = rounded(n.distance, 3)
            bearing_deg = rounded(n.bearing, 3)
        }
    }
    let lat: Double
    let lon: Double
    let radius_m: Double
    let places: [Item]
}

/// `places import geonames --json`.
struct ImportJSON: Encodable {
    let file: String
    let rows: Int
    let places: Int
    let names: Int
    let skipped_bundled: Int
    let seconds: Double
}
