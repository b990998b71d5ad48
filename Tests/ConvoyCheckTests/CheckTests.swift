import ConvoyCheck
@testable import ConvoyGazetteer
import ConvoyTestSupport
import Foundation
import Testing

@Suite("name keys on words")
struct WordKeyTests {
    /// The byte path must give exactly what the String path gives, on every word of every name.
    @Test func asciiFoldEqualsStringFoldOnEveryGazetteerWord() throws {
        var checked = 0
        for entry in try Fixture.gazetteer.allNames() {
            let words = NameKey.words(entry.name.text)
            #expect(NameKey.tokens(ofWords: words).joined(separator: " ") == entry.key, "\(entry.name.text)")
            for word in words where word.allSatisfy(\.isASCII) {
                var out: [UInt8] = []
                let bytes = Array(word.utf8)
                let isAbu = bytes.withUnsafeBufferPointer { NameKey.foldASCIIWord($0, into: &out) }
                #expect(String(decoding: out, as: UTF8.self) == NameKey.standaloneToken(ofWord: word), "\(word)")
                let article = bytes.withUnsafeBufferPointer { NameKey.isArticleASCII($0) }
                #expect(article == (NameKey.role(ofWord: word) == .article), "\(word)")
                if !article { #expect(isAbu == (NameKey.role(ofWord: word) == .abu), "\(word)") }
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    /// The word-level rules 4–5, which `NameKey.key` runs, on real spellings with hand-written keys
    /// (the rules one by one are in ConvoyGazetteerTests' NameKeyTests).
    @Test func wordRulesGiveTheKeysOfRealSpellings() {
        let expected: [(String, [String])] = [
            ("Abu Kamal", ["bukamal"]), ("Abul Kamal", ["bukamal"]), ("Albu Kamal", ["bukamal"]), ("Al-Bukamal", ["bukamal"]),
            ("Boukamal", ["bukamal"]), ("Deir ez-Zor", ["dir", "zur"]), ("Deir Ezzor", ["dir", "zur"]),
            ("As Sukhnah", ["suhn"]), ("Al", ["al"]), ("دير الزور", ["دير", "زور"]), ("أبو كمال", ["بوكمال"]),
        ]
        for (name, tokens) in expected {
            #expect(NameKey.tokens(ofWords: NameKey.words(name)) == tokens, "\(name)")
        }
    }

    /// Tricky words for the rules: fused articles, Abu forms, doubled letters, ta marbuta, digits.
    @Test func asciiFoldEqualsStringFoldOnTrickyWords() {
        let words = ["ezzor", "assukhnah", "ashsham", "abul", "albukamal", "abukamal", "aboulfeda", "bou", "abo", "qaarrah",
                     "raqqah", "soukhne", "the", "t2", "2000", "ooo", "kheeh", "djebel", "ckh", "ayyy", "a", "ah", "eh", "uu",
                     "ethth", "ussn", "illlama", "annnab", "aththar", "phq", "dhow", "ghouta", "ieei", "awaw", "es", "an"]
        for word in words {
            var out: [UInt8] = []
            _ = Array(word.utf8).withUnsafeBufferPointer { NameKey.foldASCIIWord($0, into: &out) }
            #expect(String(decoding: out, as: UTF8.self) == NameKey.standaloneToken(ofWord: word), "\(word)")
        }
    }

    /// The names of `places` that, checked as a text on their own, are not found whole naming their place.
    static func namesNotFound(_ places: [Place]) -> [String] {
        let checker = Fixture.checker()
        var missed: [String] = []
        for place in places {
            for name in place.names {
                let result = checker.check(text: name.text)
                // The mention's span leaves out apostrophe-like marks at the edges ("`Irsal" is found as "Irsal").
                let marks = CharacterSet(charactersIn: "'`‘’ʿʾ")
                let whole = result.mentions.first { $0.text == name.text.trimmingCharacters(in: marks) }
                if whole == nil || !(whole!.candidates.contains(place.id)) { missed.append("\(place.id): \(name.text) → \(result.mentions.map(\.text))") }
            }
        }
        return missed
    }

    /// Each name of a curated place or a country, checked as a text on its own, is found whole and
    /// names its place — but for a name with a bracketed qualifier, which prose does not write
    /// (Sint Maarten's French name in CLDR, "Saint-Martin (partie néerlandaise)", kept as it has no
    /// other).
    @Test func everyGazetteerNameIsFoundInText() throws {
        var places = try Fixture.gazetteer.places().filter { $0.origin != .geonames }
        #expect(places.count > 300)
        for i in places.indices { places[i].names.removeAll { $0.text.contains("(") } }
        let missed = Self.namesNotFound(places)
        #expect(missed.isEmpty, "\(missed)")
    }

    /// The bundled GeoNames layer's names are held to the stricter rules of names only GeoNames
    /// records (docs/check.md): GeoNames' alternate names include common words, and one-word names
    /// must be written as recorded. Still, nearly every name is found on its own.
    @Test func nearlyEveryGeoNamesLayerNameIsFoundInText() throws {
        let places = try Fixture.gazetteer.places(origin: .geonames)
        #expect(places.count > 5000)
        let names = places.reduce(0) { $0 + $1.names.count }
        let missed = Self.namesNotFound(places)
        print("GeoNames layer: \(missed.count) of \(names) names not found alone: \(missed.prefix(20))")
        #expect(missed.count * 100 < names * 3, "\(missed.count) of \(names)")
    }
}

@Suite("seed reports")
struct SeedTests {
    static let seeds = ["000_b4b6a0969d4a6d17.txt", "001_99f560d7776ab433.txt", "002_c37a38b21d37ac1f.txt", "003_2086dc163dd0dedf.txt", "004_191a687874c0e33f.txt"]

    @Test(arguments: seeds) func mentionsAndDiagnosticsAreExactlyTheExpectedOnes(seed: String) throws {
        let result = try Fixture.checkFile(Fixture.repository.appendingPathComponent("seeds/\(seed)").path)
        let mentions = result.mentions.map { "\($0.position.line):\($0.position.column) \($0.text) -> \($0.placeID)" }
        #expect(mentions == SeedExpectations.mentions[seed])
        let findings = result.diagnostics.filter { $0.severity != .note || $0.code == .disambiguated }.map {
            "\($0.position.line):\($0.position.column) \($0.severity.rawValue) \($0.code.rawValue) '\($0.text)' [\($0.suggestions.map(\.matchedName).joined(separator: ","))]"
        }
        #expect(findings == SeedExpectations.findings[seed])
        #expect(result.diagnostics.filter { $0.severity == .note && $0.code == .variant }.count == SeedExpectations.notes[seed])
        // Every note is about a mention whose text is not the canonical name.
        for note in result.diagnostics where note.code == .variant {
            let mention = try #require(result.mentions.first { $0.position.offset == note.position.offset })
            #expect(mention.match != .exact)
        }
    }

    /// The up-front tokenizing of the gazetteer's words (for large inputs) is only a cache: the
    /// seed reports, and a text of every recorded name after a cue, check exactly the same with it.
    @Test func anIndexBuiltForLargeInputsFindsTheSame() throws {
        var texts = try Self.seeds.map { try String(contentsOf: Fixture.repository.appendingPathComponent("seeds/\($0)"), encoding: .utf8) }
        texts.append(try Fixture.gazetteer.allNames().map { "They moved near \($0.name.text) on Monday." }.joined(separator: "\n"))
        for text in texts {
            let plain = ReportChecker(index: Fixture.index, gazetteer: Fixture.gazetteer).check(text: text)
            let prepared = ReportChecker(index: Fixture.largeInputIndex, gazetteer: Fixture.gazetteer).check(text: text)
            #expect(!plain.mentions.isEmpty)
            #expect(prepared.mentions == plain.mentions)
            #expect(prepared.diagnostics == plain.diagnostics)
        }
    }

    /// A report's summary counts what was handed over, its places are the mentions' distinct ids,
    /// and summaries added up give the union of the reports' places.
    @Test func summariesCountAndAddUp() throws {
        let checker = Fixture.checker()
        var total = ReportChecker.Summary()
        var allPlaces = Set<String>()
        for seed in Self.seeds {
            var mentions: [Mention] = []
            var severities: [Severity] = []
            let summary = try checker.check(try ReportSource.open(path: Fixture.repository.appendingPathComponent("seeds/\(seed)").path), format: .text,
                                            onMention: { mentions.append($0) }, onDiagnostic: { severities.append($0.severity) })
            let places = Set(mentions.map(\.placeID))
            #expect(summary.mentions == mentions.count)
            #expect(summary.places == places)
            #expect(summary.placeCount == places.count)
            #expect((summary.notes, summary.warnings, summary.errors) == (severities.count { $0 == .note }, severities.count { $0 == .warning }, severities.count { $0 == .error }))
            total.add(summary)
            allPlaces.formUnion(places)
        }
        #expect(total.places == allPlaces)
        #expect(total.placeCount == allPlaces.count)
        #expect(allPlaces.count > 10)
    }

    @Test func seed004HasYormoukAndAfatAsItsOnlyErrors() throws {
        let result = try Fixture.checkFile(Fixture.repository.appendingPathComponent("seeds/004_191a687874c0e33f.txt").path)
        #expect(result.errors.map(\.text) == ["Afat", "Yormouk"])
        let yormouk = try #require(result.errors.last)
        #expect(yormouk.code == .recordedMisspelling)
        #expect(yormouk.suggestions.first?.matchedName == "Yarmouk")
        #expect(yormouk.suggestions.first?.placeID == "sy-yarmouk-camp")
        #expect(result.errors.first?.code == .unknownPlace)
        // Humayma is settled by the report's Syrian places, and said so.
        let humayma = try #require(result.mention("Humayma"))
        #expect(humayma.placeID == "sy-humayma")
        #expect(humayma.resolution == .context)
        #expect(humayma.candidates == ["sy-humayma", "jo-humayma"])
        // Organisations that contain a place name are not mentions.
        #expect(result.mentions.allSatisfy { $0.text != "Yarmouk" })
    }

    @Test func theLongestNameWins() {
        let result = Fixture.checker().check(text: "Strikes in the Deir ez-Zor Governorate and in the Golan Heights; Rural Quneitra Province.")
        #expect(result.mentions.map(\.text) == ["Deir ez-Zor Governorate", "Golan Heights", "Rural Quneitra"])
        #expect(result.mentions.map(\.placeID) == ["sy-deir-ez-zor-governorate", "sy-golan-heights", "sy-quneitra-governorate"])
    }

    /// The continents and the two Palestinian territories of the countries layer are places, in
    /// English, Arabic and French: no unknown-place error, and "West Bank" no longer passes unseen.
    @Test func continentsAndPalestinianTerritoriesAreFound() {
        let result = Fixture.checker().check(text: """
            Refugees reached Europe through Turkey; aid came from Asia and Africa. In the West Bank and the Gaza Strip, families waited.
            وصلوا إلى أوروبا عبر تركيا، وجاءت المساعدات من آسيا وأفريقيا. وفي الضفة الغربية وقطاع غزة انتظرت العائلات.
            En Cisjordanie et dans la bande de Gaza, les familles attendaient. Flights from North America, South America and Oceania.
            """)
        #expect(result.mentions.map(\.placeID) == [
            "xx-europe", "tr-turkiye", "xx-asia", "xx-africa", "ps-west-bank", "ps-gaza-strip",
            "xx-europe", "tr-turkiye", "xx-asia", "xx-africa", "ps-west-bank", "ps-gaza-strip",
            "ps-west-bank", "ps-gaza-strip", "xx-north-america", "xx-south-america", "xx-oceania",
        ])
        #expect(result.mentions.allSatisfy { $0.resolution == .unique })
        #expect(result.errors.isEmpty && result.warnings.isEmpty)
    }
}

@Suite("planted errors")
struct PlantedTests {
    @Test func misspellingsUnknownPlacesAndHomonymsAreCaught() throws {
        let result = try Fixture.checkFile(Fixture.fixture("planted.txt").path)
        let errors = Dictionary(uniqueKeysWithValues: result.errors.map { ($0.text, $0) })
        #expect(errors["Palmrya"]?.code == .misspelling)
        #expect(errors["Palmrya"]?.suggestions.first?.placeID == "sy-palmyra")
        #expect(errors["Sukhnna"] == nil)  // "Sukhnna" folds to the key of Sukhnah: a normalised variant, not an error
        #expect(result.mention("Sukhnna")?.placeID == "sy-as-sukhnah")
        #expect(result.mention("Sukhnna")?.match == .normalized)
        // Kafr Zita and Al-Bab are in the bundled GeoNames layer (cities500 Kafr Zaytā, Al Bāb);
        // Ithriyah is in no bundled layer.
        #expect(result.mention("Kafr Zita")?.placeID == "gn-168620")
        #expect(result.mention("Al-Bab")?.placeID == "gn-174018")
        #expect(errors["Ithriyah"]?.code == .unknownPlace)
        #expect(errors["Yabrould"]?.code == .misspelling)
        #expect(errors["Yabrould"]?.suggestions.first?.placeID == "sy-yabroud")
        #expect(Set(errors.keys) == ["Palmrya", "Ithriyah", "Yabrould"])
        // "Dier" folds like "Deir" (ie → i): a normalised spelling, resolved with a note.
        #expect(result.mention("Dier ez-Zor")?.placeID == "sy-deir-ez-zor")
        // Hmeimim is the air base, never Humayma.
        let hmeimim = try #require(result.mention("Hmeimim"))
        #expect(hmeimim.placeID == "sy-hmeimim-air-base")
        #expect(hmeimim.candidates == ["sy-hmeimim-air-base"])
        #expect(!result.mentions.contains { $0.placeID.contains("humay") })
        // Normalised spellings resolve with a note.
        #expect(result.mention("Deir Ezzour")?.placeID == "sy-deir-ez-zor")
        #expect(result.mention("Deir Ezzour")?.match == .normalized)
        // No error for organisations containing place names, and no Iraq mention inside ISIL's name.
        #expect(!result.mentions.contains { $0.placeID == "iq-iraq" })
        #expect(result.mentions.filter { $0.placeID == "sy-yarmouk-camp" }.map(\.text) == ["Yarmouk Camp"])
    }

    @Test func aNameTheReportDoesNotSettleIsAnAmbiguityWarning() throws {
        let result = try Fixture.checkFile(Fixture.fixture("ambiguous.txt").path)
        let warning = try #require(result.warnings.first)
        #expect(result.warnings.count == 1)
        #expect(warning.code == .ambiguous)
        #expect(Set(warning.suggestions.map(\.placeID)) == ["sy-humayma", "jo-humayma"])
        #expect(result.mention("Humayma")?.resolution == .ranked)
    }

    @Test func jordanianContextChoosesTheJordanianHumayma() {
        let result = Fixture.checker().check(text: "From Jordan the team drove south. In Jordan they reached Humayma.")
        #expect(result.mention("Humayma")?.placeID == "jo-humayma")
        #expect(result.mention("Humayma")?.resolution == .context)
    }
}

@Suite("scripts, boundaries, formats, bad input")
struct TextTests {
    @Test func arabicNamesAndArabicWordBoundaries() throws {
        let result = try Fixture.checkFile(Fixture.fixture("arabic.txt").path)
        #expect(result.mentions.map(\.placeID) == ["sy-abu-kamal", "lb-jurd-arsal", "sy-as-sukhnah", "sy-homs-governorate", "sy-aleppo"])
        #expect(!result.mentions.contains { $0.text == "حمص" })  // حمصي is a word of its own
        #expect(result.errors.isEmpty)
    }

    @Test func accentedWordsAreWholeWords() {
        // Homsi, Palmyréen and Damascène contain gazetteer names but are other words: no match inside them.
        let result = Fixture.checker().check(text: "Aarsâl and Deïr ez Zor, but not Palmyréen, Homsi or Damascène; Syria’s border.")
        #expect(result.mentions.map(\.text) == ["Aarsâl", "Deïr ez Zor", "Syria"])
        #expect(result.mentions.map(\.match) == [.variant, .variant, .exact])
        // An accent that the rules fold away gives the same key: "Arsalé" is Arsal, normalised.
        #expect(Fixture.checker().check(text: "Arsalé").mentions.map(\.match) == [.normalized])
    }

    @Test func htmlMarkupIsIgnoredAndOffsetsPointIntoTheFile() throws {
        let path = Fixture.fixture("report.html").path
        let result = try Fixture.checkFile(path)
        #expect(result.mentions.map(\.placeID) == ["sy-deir-ez-zor", "xx-shebaa-farms", "lb-arsal"])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for m in result.mentions {
            #expect(String(decoding: bytes[m.position.offset..<(m.position.offset + m.position.length)], as: UTF8.self) == m.text)
        }
        #expect(result.mention("Deir ez-Zor")?.position.line == 6)
    }

    @Test func markdownLinkTargetsCodeAndURLsAreIgnored() throws {
        let result = try Fixture.checkFile(Fixture.fixture("report.md").path)
        #expect(result.mentions.map(\.placeID) == ["sy-abu-kamal", "sy-qara", "sy-damascus"])
    }

    /// Bare URLs are blanked in plain text too, in any case, wherever they stand; "http" inside a
    /// word starts none.
    @Test func bareURLsInPlainTextAreIgnored() {
        let text = "Seen at http://example.org/Homs and HTTPS://example.org/Idlib, www.Raqqa.example/Aleppo; Palmyra.\n"
            + "(https://x.org/Arsal) <WWW.example.org/Qara> http:// Deir ez-Zor, ahttp://x/Damascus and www.\nHama"
        let result = Fixture.checker().check(text: text)
        #expect(result.mentions.map(\.text) == ["Palmyra", "Deir ez-Zor", "Damascus", "Hama"])
    }

    @Test func invalidUTF8IsReportedWithItsOffsetAndScanningGoesOn() throws {
        var bytes = Array("Convoy near Homs ".utf8)
        let bad = bytes.count
        bytes += [0xFF, 0xC3]
        bytes += Array(" then Palmyra.\n".utf8)
        let result = try Fixture.checkFile(try Fixture.temporaryFile(bytes))
        #expect(result.mentions.map(\.text) == ["Homs", "Palmyra"])
        #expect(result.errors.map(\.code) == [.invalidUTF8, .invalidUTF8])
        #expect(result.errors.first?.position.offset == bad)
        #expect(result.errors.first?.message.contains("byte offset \(bad)") == true)
    }

    /// Past ten invalid sequences a count is given, placed at the first one (line 2 here).
    @Test func manyInvalidSequencesAreCountedAtTheFirst() throws {
        var bytes = Array("Convoy near Homs.\nThen ".utf8)
        for _ in 0..<12 { bytes += [0xFF] + Array(" x ".utf8) }
        let result = try Fixture.checkFile(try Fixture.temporaryFile(bytes))
        let invalid = result.errors.filter { $0.code == .invalidUTF8 }
        #expect(invalid.count == 11)
        let count = try #require(invalid.last)
        #expect(count.message.hasPrefix("12 invalid UTF-8 sequences"))
        #expect(count.position.line == 2 && count.position.column == 6)
        #expect(count.position == invalid.first?.position)
    }

    @Test func emptyBinaryAndDirectoryInputs() throws {
        let empty = try Fixture.checkFile(try Fixture.temporaryFile([]))
        #expect(empty.diagnostics.map(\.code) == [.emptyFile])
        #expect(throws: FileAccessError.self) { try Fixture.checkFile(try Fixture.temporaryFile([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1])) }
        #expect(throws: FileAccessError.self) { try Fixture.checkFile(ScratchSpace.root.path) }
        #expect(throws: FileAccessError.self) { try Fixture.checkFile("/nonexistent/report.txt") }
    }

    /// Reading in small blocks gives the same mentions and positions as one block.
    @Test func streamingInBlocksEqualsReadingWhole() throws {
        let seed = try String(contentsOf: Fixture.repository.appendingPathComponent("seeds/004_191a687874c0e33f.txt"), encoding: .utf8)
        let path = try Fixture.temporaryFile(Array(String(repeating: seed + "\n", count: 6).utf8))
        let whole = try Fixture.checkFile(path)
        let blocks = try Fixture.checkFile(path, blockSize: 4096)
        #expect(whole.mentions.count == 6 * 45)
        #expect(blocks.mentions == whole.mentions)
        #expect(blocks.diagnostics == whole.diagnostics)
    }

    /// A text in memory is read in blocks like a file (one block of 2 GiB or more would overflow
    /// the scan's 32-bit word offsets), and an empty one or one with NUL bytes is still checked.
    @Test func textInMemoryIsReadInBlocksLikeAFile() throws {
        let seed = try String(contentsOf: Fixture.repository.appendingPathComponent("seeds/004_191a687874c0e33f.txt"), encoding: .utf8)
        let text = String(repeating: seed + "\n", count: 6)
        let file = try Fixture.checkFile(try Fixture.temporaryFile(Array(text.utf8)), blockSize: 4096)
        let memory = Fixture.checker(blockSize: 4096).check(text: text)
        #expect(memory.mentions.count == 6 * 45)
        #expect(memory.mentions == file.mentions)
        #expect(memory.diagnostics == file.diagnostics)
        #expect(memory.bytes == text.utf8.count)
        #expect(Fixture.check(text: "").diagnostics.isEmpty)
        #expect(Fixture.check(text: "\u{0}Convoy near Homs.").mentions.map(\.text) == ["Homs"])
    }

    @Test func aVeryLongLineIsReadInPieces() throws {
        let line = String(repeating: "The convoy passed Palmyra and Homs. ", count: 3000)
        let result = try Fixture.checkFile(try Fixture.temporaryFile(Array(line.utf8)), blockSize: 10_000)
        #expect(result.mentions.count == 6000)
        #expect(result.diagnostics.contains { $0.code == .longLine })
        #expect(result.mentions.last?.position.line == 1)
    }

    @Test func fixVariantsReplacesResolvedNamesWithCanonicalOnes() throws {
        let path = try Fixture.temporaryFile(Array("From Boukamal to Deir Ezzor Province, then to Palmrya and Humayma.\n".utf8))
        var fixed: [UInt8] = []
        let checker = ReportChecker(index: Fixture.index, gazetteer: Fixture.gazetteer, options: { var o = ReportChecker.Options(); o.fixVariants = true; return o }())
        try checker.check(try ReportSource.open(path: path), format: .text, fix: { fixed += $0 }, onMention: { _ in }, onDiagnostic: { _ in })
        #expect(String(decoding: fixed, as: UTF8.self) == "From Abu Kamal to Deir ez-Zor Governorate, then to Palmyra and Humayma.\n")
    }
}
