import ConvoyGazetteer
import Foundation
import Testing

@testable import ConvoyCheck

/// The rulebook (Gazetteer/rules/check-rules.txt, ``CheckRules``) and the recall rules it drives
/// (docs/check.md, "Unknown places" and "Rulebook"): each rule with its example, and a near miss
/// that it must leave alone.
@Suite struct RulebookTests {
    /// Texts flagged (unknown place or misspelling) and mentioned, in the bundled gazetteer.
    static func found(_ text: String) -> (flagged: [String], mentioned: [String]) {
        let result = Fixture.check(text: text)
        let flagged = result.diagnostics.filter { $0.code == .unknownPlace || $0.code == .misspelling }.map(\.text)
        return (flagged, result.mentions.map(\.text))
    }

    // MARK: - The rulebook as data

    @Test func theBundledRulebookIsReadWithEveryKind() throws {
        let rules = try CheckRules.bundledResult.get()
        for kind in CheckRules.Kind.allCases {
            #expect(!rules.words(kind).isEmpty, "\(kind.rawValue) is empty")
        }
        // Generated lists came in through @include (tens of thousands of English words).
        #expect(rules.words(.englishWords).count > 50_000)
        #expect(rules.words(.englishWords).contains("residents"))
        #expect(!rules.words(.englishWords).contains("homs"))
        #expect(rules.words(.firstNames).contains("mohammed"))
        #expect(!rules.words(.firstNames).contains("al"))
        #expect(rules.abbreviations["UAE"] == "United Arab Emirates")
        #expect(CheckRules.bundled == rules)
    }

    @Test func theFormatReadsSectionsCommasIncludesAndComments() throws {
        let text = """
            # a comment
            [locative-cues]
            in, near,   # the list goes on
            towards
            [outlets]
            Al-Mayadeen, Sky News
            [english-words]
            @include words.txt
            [abbreviations]
            US = United States
            """
        let rules = try CheckRules(text: text, file: "r.txt") { name in
            #expect(name == "words.txt")
            return "# generated\nresidents\nShells\n"
        }
        #expect(rules.words(.locativeCues) == ["in", "near", "towards"])
        #expect(rules.words(.outlets) == [NameKey.key("Al-Mayadeen"), NameKey.key("Sky News")])
        #expect(rules.names[.outlets] == ["Al-Mayadeen", "Sky News"])
        #expect(rules.words(.englishWords) == ["residents", "shells"])
        #expect(rules.abbreviations == ["US": "United States"])
    }

    @Test func aMalformedRulebookNamesFileLineAndColumn() {
        func error(_ text: String) -> String? {
            do { _ = try CheckRules(text: text, file: "r.txt"); return nil } catch { return "\(error)" }
        }
        #expect(error("[no-such-kind]\nx")?.hasPrefix("r.txt:1:1: unknown section [no-such-kind]") == true)
        #expect(error("in, near")?.hasPrefix("r.txt:1:1: an entry before the first [kind] line") == true)
        #expect(error("[titles]\n  mr,, dr")?.hasPrefix("r.txt:2:3: an empty entry") == true)
        #expect(error("[english-words]\n@include missing.txt")?.hasPrefix("r.txt:2:1: cannot read included file missing.txt") == true)
        #expect(error("[abbreviations]\nUS")?.hasPrefix("r.txt:2:1: an abbreviation is written ABBR = Name") == true)
    }

    @Test func theDigestFollowsEveryEntryAndTheCacheFingerprintHoldsIt() throws {
        let a = try CheckRules(text: "[titles]\nmr, dr")
        let b = try CheckRules(text: "[titles]\ndr, mr")
        let c = try CheckRules(text: "[titles]\nmr, dr, gen")
        let d = try CheckRules(text: "[first-names]\nmr, dr")
        #expect(a.digest == b.digest)
        #expect(a.digest != c.digest)
        #expect(a.digest != d.digest)
        #expect(NameIndex.rulesDigest.hasSuffix(CheckRules.bundled.digest))
    }

    // MARK: - Recall rules, each with its example

    @Test func aCapitalisedNameThatIsNoEnglishWordIsFlaggedWithoutACue() {
        let r = Self.found("Government troops shelled Qurbaniyeh on Monday. Residents fled.")
        #expect(r.flagged.contains("Qurbaniyeh"))
        #expect(!r.flagged.contains("Residents"), "an English word opening a sentence")
        #expect(!r.flagged.contains("Monday") && !r.flagged.contains("Government"))
    }

    @Test func listsAndDepartureCuesMakePlaces() {
        let left = Self.found("Buses left Tabqa for Ain Issa at dawn.")
        #expect(left.flagged + left.mentioned == ["Tabqa", "Ain Issa"] || left.mentioned + left.flagged == ["Tabqa", "Ain Issa"], "\(left)")
        let list = Self.found("Strikes hit Talbiseh and Rastan, Tabqa, Raqqa and Manbij.")
        let all = Set(list.flagged + list.mentioned)
        #expect(all.isSuperset(of: ["Talbiseh", "Rastan", "Tabqa", "Raqqa", "Manbij"]), "\(list)")
        // An English word joins a list only after a cue: "Iraq and Rebels" is no place.
        #expect(!Self.found("Fighting between Iraq and Rebels went on.").flagged.contains("Rebels"))
    }

    @Test func designatorsAndArticlesInLowerCase() {
        let r = Self.found("Fighting in the Kabani countryside and near al-Qaim, at the al-Hail oil field.")
        #expect(r.flagged.contains("Kabani"))
        #expect(r.flagged.contains { $0 == "al-Qaim" } || r.mentioned.contains("al-Qaim"))
        #expect(r.flagged.contains("al-Hail"), "an English word after an Arabic article is a name")
    }

    @Test func aNameEndsBeforeAnArticleHyphenedToTheNextWord() {
        // GeoNames records "Tal El" (a village in Israel); "Tell al" of "Tell al-Harra" is not it.
        let r = Self.found("Rebels withdrew from Tell al-Harra, a hill above the road.")
        #expect(!r.mentioned.contains("Tell al"), "\(r.mentioned)")
        #expect(r.flagged.contains("Tell al-Harra"), "\(r.flagged)")
    }

    @Test func anAppositionHeadedByATitleMakesAPerson() {
        let r = Self.found("Rudaw quoted Hoshyar Zebari, a former minister from Duhok, as saying so. Kawa Sindi, the governor of Nineveh, agreed.")
        #expect(!r.flagged.contains("Hoshyar Zebari") && !r.flagged.contains("Kawa Sindi"), "\(r.flagged)")
        // A place all the same when the title does not head an apposition of the name.
        #expect(Self.found("Airstrikes pounded Kafr Zubaydah, the governor of Hama said.").flagged == ["Kafr Zubaydah"], "an attribution, not an apposition")
        let place = Self.found("Shells fell on Gwer, the mayor said. Others hit Sinune, a town whose mayor fled.")
        #expect(place.flagged.contains("Gwer") && place.flagged.contains("Sinune"), "\(place.flagged)")
    }

    @Test func aDemonymBeforeALowerCaseWordIsNoPlaceEvenInAList() {
        #expect(Self.found("Shelling in Bustani killed five people.").flagged == ["Bustani"], "a nisba-shaped name after a cue is a place")
        let r = Self.found("In Sinjar, Yazidi residents said they had fled to Khanasor and Sinune.")
        #expect(!r.flagged.contains("Yazidi"), "\(r.flagged)")
        #expect(r.flagged.contains("Sinune"), "\(r.flagged)")
    }

    @Test func aGovernmentOrAnAssemblyIsAnOrganisation() {
        let r = Self.found("The Kurdistan Regional Government and the Kurdistan Parliament met in Erbil.")
        #expect(r.flagged.isEmpty, "\(r.flagged)")
    }

    @Test func peopleAndOrganisationsAreNoPlaces() {
        let r = Self.found("President Rouhani met Mohammed Hassan and Gen. Suhail; the Tiger Forces and the Syrian Democratic Forces advanced.")
        #expect(r.flagged.isEmpty, "\(r.flagged)")
    }

    @Test func anOutletIsAPlaceOnlyAfterACue() {
        #expect(Self.found("Al-Mayadeen reported heavy fighting.").flagged.isEmpty)
        // GeoNames records "Al Mayadeen" for Al Mayādīn: without its article, a mention.
        #expect(Self.found("Troops advanced towards Mayadeen.").mentioned == ["Mayadeen"])
    }

    @Test func aDatelineInCapitalsIsAPlace() {
        // (Tehran is in the GeoNames layer, with the world's capitals: a mention; an unknown name is flagged.)
        let tehran = Self.found("TEHRAN, Oct 3 (wire) - Officials met.")
        #expect(tehran.flagged + tehran.mentioned == ["TEHRAN"], "\(tehran)")
        #expect(Self.found("QURBANIYEH, Oct 3 (wire) - Officials met.").flagged == ["QURBANIYEH"])
        #expect(Self.found("NATO and the SDF met.").flagged.isEmpty, "acronyms elsewhere are not places")
    }

    @Test func anAbbreviationOfACountryIsAMention() {
        let r = Self.found("The UK said it would withdraw; the UAE agreed. They told uk nothing.")
        #expect(r.mentioned.contains("UK") && r.mentioned.contains("UAE"))
        #expect(!r.mentioned.contains("uk"))
        let us = Self.found("The US has provided aid; the US-led coalition struck. USA Today said the US Army and the US Open went on; they told us.")
        #expect(us.mentioned == ["US", "US"], "not inside an organisation's or an event's name: \(us)")
    }

    @Test func aLowerCaseFrontDesignatesAPlaceACapitalisedOneAGroup() {
        #expect(Self.found("Fighters repelled an advance on the Hawsh al-Dawahra front.").flagged == ["Hawsh al-Dawahra"])
        #expect(Self.found("Fighters of the Levant Front advanced.").flagged.isEmpty)
    }

    @Test func anAcronymWithAPossessiveIsNoPlace() {
        #expect(Self.found("Engineers warned of a flood; see the UN's assessment.").flagged.isEmpty)
    }

    @Test func theContextRejectsOutletsSurnamesHyphenTailsAndArabicOrganisations() {
        let outlet = Self.found("Syrian state news agency SANA said air defences intercepted missiles.")
        #expect(!outlet.mentioned.contains("SANA") && outlet.flagged.isEmpty, "\(outlet)")
        let spoken = Self.found("A commander told Al-Mayadeen that Al-Mayadeen's correspondent left; troops entered Mayadeen.")
        #expect(spoken.mentioned + spoken.flagged == ["Mayadeen"], "the town after a cue only: \(spoken)")
        let surname = Self.found("Turkish Prime Minister Binali Yildirim told reporters in Ankara that talks went on.")
        #expect(surname.mentioned == ["Ankara"], "\(surname)")
        #expect(Self.found("In Latakia province, clashes continued.").mentioned == ["Latakia"], "a given name that is a cue")
        let tail = Self.found("Trucks waited near Azaz and at the Bab al-Salama crossing.")
        #expect(tail.mentioned == ["Azaz"], "\(tail)")
        #expect(tail.flagged == ["Bab al-Salama"], "\(tail)")
        let channel = Self.found("ذكرت قناة الميادين أن آلاف المدنيين نزحوا من الميادين")
        #expect(channel.mentioned == ["الميادين"], "the town, not the channel: \(channel)")
        #expect(Self.found("وفي منبج، حذر مجلس منبج العسكري من أي هجوم").mentioned == ["منبج"])
        let tails = Self.found("Deir ez-Zor 24 reported clashes; Sham FM said so. In Raqqa 24 fighters died.")
        #expect(tails.mentioned == ["Raqqa"] && tails.flagged.isEmpty, "an outlet's tail, not a count: \(tails)")
    }

    @Test func outletsAndFirmsNamedAfterPlaces() {
        let list = Self.found("Aleppo 24 and Halab Today report shells on Marea. In Aleppo 24 and Hama 12 people died.")
        #expect(list.mentioned == ["Aleppo", "Hama"] && list.flagged == ["Marea"], "a list of outlets that speaks: \(list)")
        #expect(!Self.found("The Samarra Drug Industries plant reopened.").mentioned.contains("Samarra"))
        let arabic = Self.found("قال موقع الفرات بوست إن شركة نفط البصرة أوقفت الضخ في البصرة")
        #expect(arabic.mentioned == ["البصرة"], "the city after في only: \(arabic)")
        let forces = Self.found("حاصرت قوات النظام حلب وسيطرت قوات المعارضة إدلب")
        #expect(forces.mentioned == ["حلب", "إدلب"], "a definite word ends the construct: \(forces)")
    }

    @Test func aSentenceOpeningTheOpensNoName() {
        #expect(Self.found("The Sochi memorandum drew a line.").flagged == ["Sochi"])
        #expect(Self.found("The Free Syrian Army and The Islamic State fought.").flagged.isEmpty)
        #expect(Self.found("Who Talks to Whom in Idlib").flagged.isEmpty, "a common word after a cue")
    }

    @Test func aHeadlineInTitleCaseIsReadAsASentence() {
        // "As Islamic State" would make Rawa part of an organisation's name; "Retake" a part of Rawa's.
        #expect(Self.found("Iraqi Forces Retake Rawa As Islamic State Loses Last Town\n\nText.").mentioned == ["Rawa"])
        #expect(Self.found("Troops retake Rawa as Islamic State fighters flee.").mentioned == ["Rawa"])
        // A list line looks like a headline: its organisation words keep their capitals.
        #expect(Self.found("Partners: UNHCR, the Lebanese Red Cross, the Akkar Network for Development.").mentioned.isEmpty)
        #expect(Self.found("Live: Eastern Qalamoun Shelling Resumes\n\nText.").mentioned == ["Eastern Qalamoun"], "a word of place names keeps its capital")
        #expect(Self.found("Rebels Advance Toward Mare\n\nText.").flagged == ["Mare"], "a word after a cue keeps its capital")
    }

    @Test func aPossessiveIsItsStemsName() {
        // The whole word "Beirut's" folds to a key of its own; its stem is the name.
        let r = Self.found("In Beirut's port, Paris's envoy met Amman's mayor and Damascus's governor.")
        #expect(r.mentioned == ["Beirut", "Paris", "Amman", "Damascus"], "\(r)")
    }

    @Test func englishWordsBeforeAMentionModifyIt() {
        let r = Self.found("Shelling hit homes in East Aleppo and Old Mosul.")
        #expect(r.flagged.isEmpty && r.mentioned == ["Aleppo", "Mosul"], "\(r)")
    }

    @Test func aTitleThatOpensPlaceNamesIsAPlaceInAList() {
        #expect(Self.found("They reached Azaz, Tal Rifaat and Sheikh Maqsoud.").flagged.contains("Sheikh Maqsoud"))
        #expect(Self.found("Sheikh Hamad met President Erdogan.").flagged.isEmpty)
    }

    @Test func anArticleNameAfterACueIsAPlaceBeforeAVerbOfSaying() {
        #expect(Self.found("A tribal leader from al-Shuhayl told reporters.").flagged == ["al-Shuhayl"])
        #expect(Self.found("Al-Ikhbariya said the road was open.").flagged.isEmpty)
    }

    /// Today's rules read bytes and words around a name (appositions, title-case lines, Arabic name
    /// heads, possessives): at the text's very edges, in cut constructs, CR line ends, NUL bytes,
    /// invalid UTF-8 and a title-case line of 20,000 words they must neither trap nor read past the
    /// text, and still say what the words give.
    @Test func todaysRulesAtTheTextsEdges() {
        let texts = ["Kafr Zita, the", "Kafr Zita,", "Kafr Zita, a former minister of", "Kafr Zita, the governor of",
                     "Rebels Retake Rawa As Forces Flee", "\n\n\n", "Iraqi Forces Retake Rawa\r\nText.\r\n",
                     "Tell al-", "al-", "تل", "وتل", "تل ال", "Beirut's", "'s", "The", "The The The Sochi",
                     "Aleppo 24 and", "Aleppo 24 and Halab", "\u{0}Rawa\u{0} As\u{0}", "شركة نفط", "a friendly between"]
        for text in texts { _ = Self.found(text) }
        let headline = Array(repeating: "Forces Retake Rawa As", count: 5_000).joined(separator: " ")
        #expect(Self.found(headline).mentioned.count == 5_000, "every Rawa of a 20,000-word title-case line")
        #expect(Self.found("Beirut's").mentioned == ["Beirut"])
        #expect(Self.found("Rebels Retake Rawa As Forces Flee").mentioned == ["Rawa"], "a headline at the text's end, no line feed")
        #expect(Self.found("Iraqi Forces Retake Rawa\r\nText.\r\n").mentioned == ["Rawa"], "CR LF line ends")
        #expect(Self.found("Shelling hit Kafr Zita, the").mentioned == ["Kafr Zita"], "a cut apposition is none")
        // Invalid UTF-8 around a headline: read as separators, the name still found.
        var bytes = Array("Forces Retake Rawa As".utf8)
        bytes.insert(0xFF, at: 6)
        bytes.append(contentsOf: [0xC3, 0x0A])
        let file = try? Fixture.temporaryFile(bytes)
        let result = file.flatMap { try? Fixture.checkFile($0) }
        #expect(result?.mentions.map(\.text) == ["Rawa"], "\(String(describing: result?.mentions.map(\.text)))")
    }

    @Test func anArticleAfterAPossessiveOpensAName() {
        #expect(Self.found("Residents of Raqqa's al-Mishlab district were told to leave.").flagged == ["al-Mishlab"])
    }

    @Test func aPersonsAppositionDoesNotUndoALocativeCue() {
        let r = Self.found("In Hermel, a spokesman for the municipal union said the road was open.")
        #expect(r.mentioned == ["Hermel"], "\(r)")
    }

    @Test func moreTeamsByTheirFixture() {
        let r = Self.found("The friendly between Al-Ahed and Al-Wahda is postponed.")
        #expect(r.flagged.isEmpty && r.mentioned.isEmpty, "\(r)")
        #expect(Self.found("The army lost Tafas and Nawa.").mentioned == ["Tafas", "Nawa"], "lost says nothing of teams")
        #expect(Self.found("Contact was lost between Tafas and Nawa.").mentioned == ["Tafas", "Nawa"])
    }

    @Test func aFrequentArabicWordWithASuffixIsNoProcliticAndName() {
        // "فرقه" is "its teams" (فرق and a pronoun), not ف and رقه (a spelling of Raqqa); "ولبنان" is "and Lebanon".
        #expect(Self.found("أعلن المجلس أن فرقه أزالت الألغام").mentioned.isEmpty)
        #expect(Self.found("انتقلوا إلى أندية في العراق ولبنان").mentioned == ["العراق", "لبنان"])
    }

    @Test func anArabicNameHeadOpensATwoWordName() {
        // ملح ("salt") is a GeoNames village, but "تل ملح" is one name: flagged whole, and the list goes on from it.
        let r = Self.found("واستعادت الفصائل تل ملح والجبين")
        #expect(r.flagged == ["تل ملح", "الجبين"] && r.mentioned.isEmpty, "\(r)")
        #expect(Self.found("سقطت قذيفة على بيت المواطن").flagged.isEmpty, "a head before a frequent word is no name")
        #expect(Self.found("سيطرت القوات على تل الأحمر").flagged == ["تل الأحمر"], "a strong head before a definite frequent word")
        #expect(Self.found("سيطرت القوات على تلة استراتيجية").flagged.isEmpty, "not before an indefinite one")
        #expect(Self.found("تقدمت القوات نحو تل أبيض").mentioned == ["تل أبيض"], "a gazetteer name with its head")
        let proclitic = Self.found("استعادت القوات الجبين وتل ملح")
        #expect(proclitic.flagged.contains("تل ملح") && proclitic.mentioned.isEmpty, "a head behind a proclitic is no village: \(proclitic)")
    }

    @Test func anArabicVerbOfLeavingOrTakingIsACue() {
        #expect(Self.found("وقال سكان إن مسلحين غادروا خانصور وسنوني").flagged == ["خانصور", "سنوني"])
        #expect(Self.found("وأفاد ناشطون بقصف مدفعي على المنطقة").flagged.isEmpty, "قصف is a noun too")
    }

    @Test func aDualCueMakesPlacesOfTheNamesAfterIt() {
        let r = Self.found("سيطرت القوات على بلدتي كفرزيتا واللطامنة")
        #expect(r.flagged == ["كفرزيتا", "اللطامنة"], "\(r)")
    }

    @Test func foreignCapitalsAreMentionsInEitherScript() {
        let r = Self.found("Washington, London and Paris warned; Moscow said it would veto. وصل الوفد إلى موسكو ثم إلى بيروت")
        #expect(r.mentioned == ["Washington", "London", "Paris", "Moscow", "موسكو", "بيروت"], "\(r)")
        #expect(Self.found("نزح المدنيون نحو البادية").flagged.isEmpty, "البادية is a generic word")
    }

    @Test func arabicSitesDashesAndAdjectives() {
        // Site nouns and "أهالي" are cues; "سوق" and "ملعب" are place nouns too ("سوق الباب", al-Bab's market).
        let sites = Self.found("انطلقت المباراة على ملعب الحمدانية، وعاد الباعة إلى شارع المتنبي، وتظاهر أهالي الشعفة.")
        #expect(sites.flagged == ["الحمدانية", "المتنبي", "الشعفة"], "\(sites)")
        #expect(Self.found("قتل مدنيان بقصف على سوق الباب.").mentioned == ["الباب"])
        // Mountains and valleys are strong name heads: a frequent word with the article after one.
        #expect(Self.found("نزح المدنيون من قرى في جبل الزاوية.").flagged == ["جبل الزاوية"])
        // The other end of a pair joined by a dash to a place.
        let road = Self.found("انفجرت عبوة على طريق الحسكة–الشدادي.")
        #expect(road.mentioned == ["الحسكة"] && road.flagged == ["الشدادي"], "\(road)")
        // Nisba endings make place names out of frequent words with the article, not without it.
        #expect(Self.found("توافد زوار من حمص والأعظمية والكاظمية.").flagged == ["الأعظمية", "الكاظمية"])
        Self.expectNoPlace("وصل الوفد إلى أمسية شعرية.")
        Self.expectNoPlace("لم يعد المستوردون قادرين على الوصول إلى ودائعهم.", "a noun and its owner's pronoun")
        // A two-word name behind a proclitic holds its second word's match.
        #expect(Self.found("قالت مصادر في النبك بريف دمشق إن الطريق مغلق.").mentioned == ["النبك", "ريف دمشق"])
        // Definite nisba adjectives after an organisation word with the article: still its name.
        #expect(Self.found("وزعت الهيئة الخيرية الأردنية الهاشمية مساعدات في الهاشمية.").mentioned == ["الهاشمية"], "the town after في, not the charity")
        #expect(Self.found("نزح السكان إلى الرها.").flagged == ["الرها"], "the article and a pronoun exclude each other")
        // "السورية" (the Syrian, f.) is an adjective, not Syria; a voweled و opens the word ("وُلد", was born).
        Self.expectNoPlace("وهبطت الليرة السورية إلى 900 للدولار.")
        #expect(Self.found("يهدي الهدف لحلب التي وُلد فيها.").mentioned == ["حلب"])
        #expect(Self.found("عاد اللاجئون إلى اللاذقية وسورية.").mentioned == ["اللاذقية", "سورية"], "recorded as written")
        // After a cue, a frequent word that a town is named is the town, unless it is among the most common.
        #expect(Self.found("وصلت العائلات القادمة من درعا.").mentioned == ["درعا"])
        Self.expectNoPlace("وقال السكان في المدينة إن الوضع هادئ.", "in the city")
    }

    @Test func arabicMarksAreNoPartOfASpelling() {
        // GeoNames records "الرُّكبان" (Rukban) with its marks; a report writes it without them.
        #expect(Self.found("بقي آلاف في مخيم الركبان قرب الحدود").mentioned == ["الركبان"])
        #expect(NameIndex.folded("الرُّكبان") == NameIndex.folded("الركبان"))
        #expect(NameIndex.folded("عمّان") == "عمان")
        // Arabic's interchangeable letter forms are its counterpart of case: the hamza seat of an
        // alef, a final ة or ى.
        #expect(NameIndex.folded("إسطنبول") == NameIndex.folded("اسطنبول") && NameIndex.folded("أعزاز") == NameIndex.folded("اعزاز"))
        #expect(NameIndex.folded("حماة") == NameIndex.folded("حماه") && NameIndex.folded("مصطفى") == NameIndex.folded("مصطفي"))
        #expect(NameIndex.folded("إسطنبول") != NameIndex.folded("استنبول"), "a spelling of its own stays one")
    }

    @Test func arabicProcliticsResolveToTheName() {
        let r = Self.found("قصفت الطائرات حمص وحماة وبحلب")
        #expect(r.mentioned.contains("حمص"))
        #expect(r.mentioned.contains("حماة"), "\(r.mentioned)")
        #expect(r.mentioned.contains("حلب"), "\(r.mentioned)")
    }

    @Test func anUnknownArabicNameAfterALocativePrepositionIsFlagged() {
        let r = Self.found("وصلت القافلة إلى الشعفة قادمة من حمص والبرغوثية")
        // (حمص is a mention; البرغوثية, a name no layer has, joins it with و.)
        #expect(r.flagged.contains("الشعفة"), "\(r.flagged)")
        #expect(r.flagged.contains("البرغوثية"), "a name joined by و to a place: \(r.flagged)")
        #expect(Self.found("وصلت القافلة في الصباح").flagged.isEmpty, "a common word after في")
    }

    // MARK: - Rules from dev batch 2 (issue 20)

    /// Expects a text to hold neither a mention nor a flagged phrase.
    static func expectNoPlace(_ text: String, _ why: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let r = found(text)
        #expect(r.flagged.isEmpty && r.mentioned.isEmpty, "\(why) \(r)", sourceLocation: sourceLocation)
    }

    @Test func demonymEndingsAreReadAsEndingAndWhatItReplaces() throws {
        let rules = try CheckRules(text: "[demonym-endings]\ni, wi, An = O, ene = us\n")
        #expect(rules.demonymEndings.map { "\($0.ending)=\($0.replaces)" } == ["ene=us", "wi=", "an=o", "i="], "longest first")
        #expect(throws: CheckRules.Malformed.self) { try CheckRules(text: "[demonym-endings]\nan = o1\n") }
        #expect(try CheckRules.bundledResult.get().demonymEndings.contains { $0.ending == "ene" && $0.replaces == "us" })
    }

    @Test func demonymsAndNisbasAreNoPlaces() {
        Self.expectNoPlace("A Tikriti lawyer and Damascene traders met Aleppan families; Persian is taught. Yazidis and Maslawis left.")
        Self.expectNoPlace("A commander, Abu Saif al-Raqqawi, and Bassam Halabi spoke.\nBy Karim Shami", "a name ending with a nisba is a person's")
        Self.expectNoPlace("Who rules the east?\nBy Sarkis Naoum\nFighters left.", "a byline")
        #expect(Self.found("Fighters left. By Qurqania the convoy stopped.").flagged == ["By Qurqania"], "not at a line's start")
        // The derived name must be recorded as the stem writes it: "Kaban" shares Kobane's key only.
        let places = Self.found("Trucks moved on the Kabani axis. Buses went through al-Shaddadi and al-Ankawi.")
        #expect(places.flagged == ["Kabani", "al-Shaddadi", "al-Ankawi"], "\(places)")
    }

    @Test func brigadeEventChamberAndReliefWordsMakeOrganisations() {
        Self.expectNoPlace("Fighters of Faylaq al-Sham and Kataib Hezbollah attacked; the Fifth Corps's 8th Brigade moved. Syria Relief and the Aleppo Chamber of Industry opened the Damascus International Fair.")
        Self.expectNoPlace("قالت قوات سوريا الديمقراطية إن الهجوم فشل. وأعلنت قيادة عمليات صلاح الدين أن الشبان انضموا إلى الميليشيات")
        let fair = Self.found("افتتح معرض دمشق الدولي وقالت غرفة صناعة حلب إن المصانع تعمل في حلب")
        #expect(fair.mentioned == ["حلب"], "the city after في, not the fair's or the chamber's: \(fair)")
        Self.expectNoPlace("Sunday's toll was high.", "a possessive has its stem's classes")
    }

    @Test func aFrequentArabicWordBeforeAndAndANameIsAPlace() {
        // دوما is also "always"; before و and another name it is Douma.
        #expect(Self.found("شنت طائرات غارات على دوما وحرستا").mentioned == ["دوما", "حرستا"])
        #expect(Self.found("قال إنه سيبقى دوما في المدينة").mentioned.isEmpty, "alone, the frequent word")
    }

    @Test func anOutletTailAfterAVerbOfSayingAndAHandleNameNoPlace() {
        let told = Self.found("An activist told Raqqa 24 that fighters left. In Raqqa 24 fighters died.")
        #expect(told.mentioned == ["Raqqa"] && told.flagged.isEmpty, "the outlet, then the city: \(told)")
        let handles = Self.found("@DeirEzzor24 reports clashes; @Raqqa posted a video from Raqqa.")
        #expect(handles.mentioned == ["Raqqa"] && handles.flagged.isEmpty, "\(handles)")
        // The sign's edges: a name opening the text, a lone "@" at its end, "@@" before a name.
        let edges = Self.found("Raqqa fell. Convoys left @@Raqqa for Homs @")
        #expect(edges.mentioned == ["Raqqa", "Homs"] && edges.flagged.isEmpty, "\(edges)")
        let source = Self.found("According to Al-Mayadeen and as reported by Al-Mayadeen, convoys reached Mayadeen.")
        #expect(source.mentioned + source.flagged == ["Mayadeen"], "the town after a cue only: \(source)")
        let eye = Self.found("Mosul Eye reported new arrests in Mosul.")
        #expect(eye.mentioned == ["Mosul"], "an outlet named after a place: \(eye)")
    }

    @Test func aRiverBankAndAHyphenedPairBeforeADesignatorArePlaces() {
        #expect(Self.found("Troops reached the west bank of the Tigris.").flagged == ["Tigris"])
        #expect(Self.found("They reopened the Jaber-Nasib crossing.").flagged == ["Jaber", "Nasib"])
    }

    /// The team rules read bytes around a name: scores, dashes and commas at the text's edges, cut
    /// en dashes, three-digit "scores" and an apposition's article ending the text.
    @Test func theTeamRulesAtTheTextsEdges() {
        let texts = ["Al-Karamah 2-", "-1 Al-Karamah", "1-0 Al-Karamah", "Al-Karamah 1-0", "Al-Karamah 1\u{2013}", "\u{2013}0 Al-Karamah",
                     "\u{80}1-0 Al-Karamah", "Al-Karamah,", "Al-Karamah, the", "Al-Karamah, a", "Al-Karamah ,, the club.", "v Al-Karamah",
                     "Al-Karamah v", "Al-Karamah coach", "and Al-Karamah", "Homs and Al-Karamah", "123-4 Al-Karamah", "Al-Karamah 1-234 km"]
        for text in texts {
            let r = Self.found(text)
            // No trap, and only names the text holds: Homs, Al-Karamah.
            #expect((r.flagged + r.mentioned).allSatisfy { ["Homs", "Al-Karamah"].contains($0) }, "\(text.debugDescription): \(r)")
        }
        #expect(Self.found("Al-Karamah 1-0").mentioned.isEmpty && Self.found("1-0 Al-Karamah").mentioned.isEmpty, "a score at either edge")
        #expect(Self.found("Al-Karamah 1-234 km").mentioned == ["Al-Karamah"] && Self.found("123-4 Al-Karamah").mentioned == ["Al-Karamah"],
                "three digits are no score")
        #expect(Self.found("Shelling hit Al-Karamah, the").mentioned == ["Al-Karamah"], "an article at the end heads nothing")
        #expect(Self.found("Shelling hit Al-Karamah ,, the club.").mentioned == ["Al-Karamah"], "two commas are no apposition")
    }

    /// The club rules of dev batch 6 walk words and bytes on both sides of a name (score-sheet lines,
    /// pairs, team suffixes, Arabic verbs and links): cut at the text's edges, between NUL bytes,
    /// with replacement characters and on a 20,000-word line. A debug build bounds-checks the
    /// buffers they index, so a read out of range traps here.
    @Test func theClubRulesAtTheTextsEdges() {
        let texts = ["1", "Nejmeh 1", "1 Al-Karamah", "Al-Karamah 1 Al-Ahed", "3 Al-Karamah 1", "Al-Karamah 1 Al-Ahed 3 4", "Al-Ahed 3 Al-Karamah 1",
                     "Spor", "Aspor", "Al-Karamaspor", "Al-Karamah'spor", "Al-Karamah and", "and Al-Karamah drew", "SC and Al-Karamah",
                     "Al-Karamah fans", "Al-Karamah plays", "Al-Karamah plays host", "تعادل", "تعادل جبلة", "مع جبلة", "جبلة مع",
                     "وتعادل جبلة مع", "فاز على جبلة", "\u{0}Al-Karamah 1 Nejmeh 2\u{0}", "\u{FFFD}Al-Karamah\u{FFFD} 1 \u{FFFD}",
                     "Al-Karamah 1\r\nNejmeh 2", String(repeating: "Al-Karamah 1 ", count: 20_000)]
        for text in texts {
            let r = Self.found(text)
            // No trap, and only phrases the text holds.
            #expect((r.flagged + r.mentioned).allSatisfy { text.contains($0) }, "\(text.prefix(60).debugDescription): \(r)")
        }
        #expect(Self.found("Al-Karamah 1 Al-Ahed 3").mentioned.isEmpty, "a score sheet's line at both edges")
        #expect(Self.found("Al-Karamah 1 Al-Ahed 3 4").mentioned == ["Al-Karamah"], "a number after the last: no score sheet")
        #expect(Self.found("Al-Karamah and").mentioned == ["Al-Karamah"] && Self.found("SC and Al-Karamah").mentioned.isEmpty)
        #expect(Self.found("وتعادل جبلة مع").mentioned.isEmpty && Self.found("تعادل جبلة").mentioned == ["جبلة"], "a verb needs its link")
    }

    @Test func aTeamAfterAFixtureOrBeforeATeamAppositionIsNoPlace() {
        // Al-Karamah is a GeoNames place (in Jordan); Al-Jaish, Al-Wahda, Nejmeh are no places at all.
        let match = Self.found("Al-Taliya, the Hama football club, trained for a match against Al-Karamah of Homs; the derby with Al-Wahda ended 1-1.")
        #expect(match.mentioned == ["Hama", "Homs"] && match.flagged.isEmpty, "\(match)")
        Self.expectNoPlace("Al-Jaish, a team, won; a midfielder of Al-Wahda scored, and Al-Ahed beat Nejmeh 1-0.")
        let scores = Self.found("Full time: Jordan 2-0 Syria. Syria drew 2–2 with Iran, and Al-Hussein of Irbid 2-1 lost.")
        // A country's name for its team is a place name all the same (as "Damascus said"); the club is not.
        #expect(scores.mentioned == ["Jordan", "Syria", "Syria", "Iran", "Irbid"] && scores.flagged.isEmpty, "\(scores)")
        #expect(Self.found("Al-Karamah 2-1 Al-Ittihad.").mentioned.isEmpty, "GeoNames towns beside a score are clubs")
        #expect(Self.found("Erbil SC against Al-Karamah, and Zakho FC.").mentioned.isEmpty)
        Self.expectNoPlace("Home games of Erbil SC against Al-Quwa Al-Jawiya and Al-Zawraa moved.", "a list of teams")
        Self.expectNoPlace("Al-Wathba lost 1-0 to Al-Karamah; Al-Karamah coach Nizar Said left. Live: Al-Jazeera v Al-Wehdat.")
        Self.expectNoPlace("The winner came from Omar al-Jablawi, who scored through Hussam al-Shami.", "a given name and a nisba after a cue")
        #expect(Self.found("Shelling hit Al-Karamah and Homs.").mentioned == ["Al-Karamah", "Homs"], "a list of places")
        // Not a team: an apposition headed by another word, a list after the team word, a cue before,
        // a range of kilometres after a name.
        #expect(Self.found("Shelling hit Al-Karamah, the town near the border.").mentioned == ["Al-Karamah"])
        #expect(Self.found("Fighters fled Mhardeh, the club and the school were hit.").mentioned == ["Mhardeh"])
        #expect(Self.found("Troops moved against Palmyra, a key town.").mentioned == ["Palmyra"])
        #expect(Self.found("Buses came with Homs, Hama and Aleppo fighters.").mentioned == ["Homs", "Hama", "Aleppo"])
        #expect(Self.found("They camped near Palmyra 10-15 km from the road.").mentioned == ["Palmyra"])
    }

    // MARK: - Rules from dev batch 6 (issue 20): clubs

    @Test func scoreSheetLinesNameTeams() {
        Self.expectNoPlace("Nejmeh 1 Al-Ahed 3: the champions won.", "both sides of a score sheet's line")
        Self.expectNoPlace("Full time: Al-Zawraa 0 Al-Quwa Al-Jawiya 1.", "a team of several words")
        Self.expectNoPlace("Al-Karamah 2 Al-Wahda 1", "at the text's edges")
        // A curated place or a country for its team is a place name all the same; a number without a
        // second name and number is no score sheet.
        #expect(Self.found("Homs 1 Hama 2, and the convoy stopped at Al-Karamah 3 km away.").mentioned == ["Homs", "Hama", "Al-Karamah"])
        #expect(Self.found("Shelling hit Al-Karamah 3 times.").mentioned == ["Al-Karamah"])
        #expect(Self.found("Route 5 Al-Karamah").mentioned == ["Al-Karamah"], "one number before, none after")
    }

    @Test func teamSuffixesPairsAndTeamWordsNameTeams() {
        let turkish = Self.found("Trabzonspor and Gaziantepspor were the big clubs; fans came from Gaziantep.")
        #expect(turkish.mentioned == ["Gaziantep"] && turkish.flagged.isEmpty, "\(turkish)")
        // A pair whose second name is a team's; a list after a name ending in a team word.
        #expect(Self.found("Later, Al-Karamah and Al-Horriya drew 0-0.").mentioned.isEmpty)
        #expect(Self.found("Later, Al-Karamah and Al-Horriya were shelled.").mentioned == ["Al-Karamah"])
        let kurdish = Self.found("Erbil SC, Duhok SC and Zakho are named after towns; shells hit Duhok and Zakho.")
        #expect(kurdish.mentioned == ["Duhok", "Zakho"] && kurdish.flagged.isEmpty, "\(kurdish)")
        // Fans and supporters are a team's; "play" is a result verb; shabab and naft open a club's name.
        let fans = Self.found("Al-Karamah fans travelled from Ramtha, and a bus of Al-Wehdat supporters left Irbid.")
        #expect(fans.mentioned == ["Ramtha", "Irbid"] && fans.flagged.isEmpty, "\(fans)")
        #expect(Self.found("Al-Karamah play again at home.").mentioned.isEmpty)
        Self.expectNoPlace("Naft Maysan and Shabab Al-Ordon lost.")
        // Not a team: a short word with the ending, a place before other words.
        #expect(Self.found("Fighters took Al-Karamah and Ramtha.").mentioned == ["Al-Karamah", "Ramtha"])
    }

    @Test func aTeamIsATeamThroughoutTheReport() {
        // One sense per report: a name a team rule reads as a team's, before or after, is the team's
        // wherever no cue introduces it.
        Self.expectNoPlace("Al-Jaish were due to kick off at six. A match against Al-Jaish is rare.", "the team named later")
        Self.expectNoPlace("A match against Al-Wehdat was moved; the Al-Wehdat end was full.", "an unknown name, named earlier")
        let cue = Self.found("Al-Karamah beat Al-Horriya 2-1. Later, shells fell in Al-Karamah.")
        #expect(cue.mentioned == ["Al-Karamah"] && cue.flagged.isEmpty, "after a cue, the place: \(cue)")
        // As written: the club "Al-Ramtha" leaves the town "Ramtha"; a list after a place keeps it.
        let town = Self.found("Al-Ramtha beat Al-Hussein 2-1, and Ramtha residents celebrated.")
        #expect(town.mentioned == ["Ramtha"], "\(town)")
        let named = Self.found("Duhok SC and Zakho are named for Duhok and Zakho; the directors of Zakho met.")
        #expect(named.mentioned == ["Duhok", "Zakho"] && named.flagged.isEmpty, "\(named)")
        // Reports are apart: the next report's Al-Karamah is a place again.
        #expect(Self.found("Fighters took Al-Karamah.").mentioned == ["Al-Karamah"])
        // Before a noun of `resident-nouns` the name is the place's all the same; not before another noun.
        #expect(Self.found("Al-Wahda beat Al-Karamah 3-1. Al-Karamah residents fled the shelling.").mentioned == ["Al-Karamah"])
        #expect(Self.found("Al-Wahda beat Al-Karamah 3-1. Al-Karamah fans celebrated.").mentioned.isEmpty)
    }

    @Test func aPersonsSurnameIsThePersonsThroughoutTheReport() {
        // Named with a given name or a title, then alone: the person (one sense per report).
        Self.expectNoPlace("Rami Khoury, who runs the burns unit, left. Khoury added that beds were short.")
        Self.expectNoPlace("Dr Haddad met donors; the donors thanked Haddad.", "after a title")
        // Not a surname of this report, or after a cue: a place still.
        #expect(Self.found("Rami Khoury left. Shells hit Talbiseh.").mentioned == ["Talbiseh"])
        let cue = Self.found("Rami Khoury left. Families fled to Khoury.")
        #expect(cue.flagged == ["Khoury"], "after a cue: \(cue)")
        #expect(Self.found("Rami Khoury left. Khoury villagers fled.").flagged == ["Khoury"], "before resident-nouns")
        // A name no layer has, right before a verb of saying, is a speaker; not after "the", not in a list.
        Self.expectNoPlace("Sabbagh told reporters that classes would resume.")
        // A possessive before a person's possession (`person-possessions`), then the surname alone.
        Self.expectNoPlace("Mikati's list won; Mikati thanked voters.", "a list, and the surname after it")
        #expect(Self.found("Mikati's list won, and Kabani's merchants voted.").flagged == ["Kabani"], "a place's merchants")
        #expect(Self.found("Troops withdrew from Syria, the Kremlin said.").flagged == ["Kremlin"])
        #expect(Self.found("Residents who fled to Qabasin and Bza'a said the centre was damaged.").flagged == ["Bza'a"])
        // Nor a name a place head or a name head opens: no person is called so.
        #expect(Self.found("Residents said Kafr Nabudah reported heavy shelling.").flagged == ["Kafr Nabudah"])
        #expect(Self.found("Wadi Khaled said it was calm.").flagged == ["Wadi Khaled"])
        #expect(Self.found("Umm Batna reported a fire.").flagged == ["Umm Batna"])
        Self.expectNoPlace("Nabudah told reporters that the road was open.", "the same name without its head is a speaker")
    }

    @Test func companiesAcronymsAndNameHeads() {
        // `organisation-of-heads`: a company's shares, branches and customers.
        Self.expectNoPlace("Shares of Zain fell, and a branch of Fransabank closed.")
        #expect(Self.found("The outskirts of Talbiseh were shelled.").mentioned == ["Talbiseh"], "an of-cue head is no company's")
        // Acronyms in the plural, and agencies whose acronyms are written as words.
        Self.expectNoPlace("ATMs and NGOs reopened, Unesco and Unicef said.")
        // Rites and books; English words that only GeoNames has, matched by key alone ("Neweh Ya‘ar").
        Self.expectNoPlace("Pilgrims performed the Hajj and Umrah and read the Quran; the New Year festival of Nowruz began.")
        // Every country's demonym (demonyms.txt): an origin, not a place.
        Self.expectNoPlace("Italian engineers and Japanese doctors arrived; Brazilian fans sang.")
        // `name-heads`: a name after a capitalised head is that name's second word, flagged whole.
        let ain = Self.found("Shelling hit Ain Dara and Daraa.")
        #expect(ain.mentioned == ["Daraa"] && ain.flagged == ["Ain Dara"], "\(ain)")
        #expect(Self.found("Shelling hit Tal Abyad.").mentioned == ["Tal Abyad"], "a name the gazetteer has whole")
        // A GeoNames-only name written without its accents, marks or article is a mention, not a
        // misspelling; not an English word, nor a letter more.
        let plain = Self.found("Fires burned fields near Qamishli and Amuda; Main roads closed; troops left Bechaar.")
        #expect(plain.mentioned == ["Qamishli", "Amuda"] && plain.flagged == ["Bechaar"], "\(plain)")
        let khan = Self.found("Schools in Yarmouk and Khan Eshieh reopened.")
        #expect(khan.mentioned == ["Yarmouk"] && khan.flagged == ["Khan Eshieh"], "the head alone is no mention: \(khan)")
    }

    @Test func arabicResultVerbsNameTeams() {
        let r = Self.found("وتعادل جبلة مع حطين في اللاذقية، وفاز زاخو على القوة الجوية في دهوك.")
        #expect(r.mentioned == ["اللاذقية", "دهوك"] && r.flagged.isEmpty, "\(r)")
        // No verb before the link: a place.
        #expect(Self.found("ووصلت القوات إلى جبلة مع عائلاتهم.").mentioned == ["جبلة"])
        #expect(Self.found("نزح السكان مع عائلاتهم إلى زاخو.").mentioned == ["زاخو"])
        #expect(Self.found("وخسرت القوات السيطرة على زاخو.").mentioned == ["زاخو"], "lost control of a place")
    }

    // MARK: - Review of the club rules: places they passed in silence

    @Test func aSportsWordWithAnotherSenseLeavesThePlace() {
        // "play", "drew" and "fans" in their other senses (`not-sports-objects`).
        #expect(Self.found("Rastan plays a key role in the supply lines.").mentioned == ["Rastan"])
        #expect(Self.found("Zakho plays host to thousands of families.").mentioned == ["Zakho"])
        #expect(Self.found("Talbiseh and Rastan drew fire from artillery.").mentioned == ["Talbiseh", "Rastan"])
        #expect(Self.found("The shelling of Talbiseh fans fears of an offensive.").mentioned == ["Talbiseh"])
        #expect(Self.found("Ramtha supporters of the Brotherhood marched.").mentioned == ["Ramtha"])
        // A team word in a list must be a club's abbreviation: "Duhok SC and Zakho", not "Team".
        #expect(Self.found("The Red Crescent Emergency Team and Zakho municipality distributed tents.").mentioned == ["Zakho"])
        // A line that goes on is a tally, not a score sheet.
        #expect(Self.found("Deaths by town: Rastan 3 Talbiseh 5 Mhardeh 2").mentioned == ["Rastan", "Talbiseh", "Mhardeh"])
        #expect(Self.found("On August 12 Rastan 3 civilians were killed.").mentioned == ["Rastan"], "a count after the number")
        #expect(Self.found("Shelling hit Route 5 Talbiseh 2 times.").mentioned == ["Talbiseh"])
        Self.expectNoPlace("Nejmeh 1 Al-Ahed 3", "a score sheet's line still")
    }

    @Test func aResultVerbNeedsAResultAfterIt() {
        // `sports-verb-objects`: "drew builders" is no result, so the name before it stays a place.
        #expect(Self.found("The fair in Karrada drew builders from Turkey.").flagged == ["Karrada"])
        #expect(Self.found("The fair in Karrada drew Turkish builders.").flagged == ["Karrada"], "a demonym after the verb")
        #expect(Self.found("In Homs, Al-Karamah drew with Al-Wahda.").mentioned == ["Homs"])
        #expect(Self.found("In Homs, Al-Karamah beat Al-Wahda 2-1.").flagged.isEmpty)
        // A name after a locative cue or "of" is where the verb's subject is, whatever follows the verb.
        #expect(Self.found("Police in Mosul beat his brother, witnesses said.").mentioned == ["Mosul"])
        #expect(Self.found("Residents of Rastan drew in water from the river.").mentioned == ["Rastan"])
        #expect(Self.found("Children in Hasakah play in the rubble.").mentioned == ["Hasakah"])
    }

    @Test func organisationWordsOfGeneralNews() {
        // An Arabic organisation word behind a proclitic ("لتلفزيون لبنان", to Lebanon's television)
        // and the plural of a festival; a place after a cue still counts.
        #expect(Self.found("وقال مديرها لتلفزيون لبنان إن الحجوزات تضاعفت").mentioned.isEmpty)
        // Not a form that is a phrase of its own (`arabic-organisation-idioms`): "led by Turkey".
        #expect(Self.found("بدأت عملية عسكرية بقيادة تركيا شمال سوريا").mentioned == ["تركيا", "سوريا"])
        #expect(Self.found("وقال التحالف بقيادة السعودية إنه اعترض صاروخا").mentioned == ["السعودية"])
        #expect(Self.found("افتتحت مهرجانات بعلبك الدولية موسمها في بعلبك").mentioned == ["بعلبك"])
        // A stock exchange, French names, an airline, an aid group with no organisation word.
        Self.expectNoPlace("Shares fell on the Beirut Stock Exchange after Banque du Liban told lenders to raise capital.")
        #expect(Self.found("Cham Wings and Syrian Air now fly from Damascus.").flagged.isEmpty)
        // In lower case, "exchange" and "wings" are everyday words (`capitalised-organisation-words`).
        #expect(Self.found("Money changers in Sarmada exchange dollars at a new rate.").flagged == ["Sarmada"])
        Self.expectNoPlace("Mobile clinics of Médecins Sans Frontières saw 1,200 patients.")
        // Plural days, as the singular ones.
        Self.expectNoPlace("Branches would open on Saturdays and Sundays.")
        // A GeoNames name written with the hamza seat its record leaves out.
        #expect(Self.found("ستسير رحلات إلى بيروت وإسطنبول").mentioned == ["بيروت", "إسطنبول"])
    }

    @Test func aNameEndingInACapitalisedDesignatorIsASite() {
        // An organisation word (Tahrir) or a given name (Rashid, Riad) inside does not make it a group or a person.
        let r = Self.found("Crowds marched from Tahrir Square along Rashid Street to Riad al-Solh Square and the Police Station.")
        #expect(r.flagged == ["Tahrir Square", "Rashid Street", "Riad al-Solh Square"], "\(r)")
        // A place head opens a place's name, English words ("rum") or a given name (Khaled) after it.
        #expect(Self.found("Tourists visited Wadi Rum, and refugees crossed at Wadi Khaled.").flagged == ["Wadi Rum", "Wadi Khaled"])
        #expect(Self.found("Ships crossed the Black Sea and the Red Sea.").flagged == ["Black Sea", "Red Sea"])
        #expect(Self.found("Residents of Omar Mukhtar Street fled, and officials at Hamra Police Station said so.").flagged == ["Omar Mukhtar Street", "Hamra Police Station"])
        // A designator that is an organisation word too still names a group.
        Self.expectNoPlace("Fighters of the Nusra Front withdrew.")
        // "تجمع الركبان" is the Rukban camp (تجمع is no organisation word).
        #expect(Self.found("وصلت المساعدات إلى تجمع الركبان").mentioned == ["الركبان"])
    }

    @Test func aPlaceHeadOrADesignatorDoesNotMakeAGroupOrAPersonAPlace() {
        // A place head does not excuse an organisation word: a brigade's, a council's, a college's name.
        Self.expectNoPlace("The Jabal al-Zawiya Brigade attacked the checkpoint.")
        Self.expectNoPlace("Fighters of the Jabal Shammar Tribal Council met on Monday.")
        Self.expectNoPlace("Lake Forest College hosted a conference.")
        // A given name and a designator-shaped surname by a speech verb is a person.
        Self.expectNoPlace("\"We will return,\" said Kenneth Church.")
        Self.expectNoPlace("Stephen Castle reported on the talks.")
        #expect(Self.found("Shops closed on Rashid Street on Monday.").flagged == ["Rashid Street"])
    }

    @Test func aPlaceNounOrAnAdjectiveAfterAnArabicPlaceNounIsNoName() {
        // "ريف المدينة" is the city's countryside, not Medina; "مدينة جديدة" a new city, not Jdeideh.
        #expect(Self.found("قصفت القوات ريف المدينة الشرقي").mentioned.isEmpty)
        #expect(Self.found("أنشأت الحكومة بلدة جديدة للنازحين").mentioned.isEmpty)
        #expect(Self.found("وصل إلى مدينة درعا").mentioned == ["درعا"])
    }

    @Test func aFrequentWordAfterAnArabicPlaceNounIsThePlace() {
        // درعا is also "a shield", الباب "the door", دوما "always"; after مدينة or بلدة they are the towns.
        #expect(Self.found("وصل إلى مدينة الطبقة ومدينة الباب ثم بلدة دوما ومدينة درعا").mentioned == ["الطبقة", "الباب", "دوما", "درعا"])
        #expect(Self.found("فتح الباب في الصباح").mentioned.isEmpty, "the door, the morning")
    }

    @Test func aTitleInsideANameMakesItAPersons() {
        Self.expectNoPlace("Maronite Patriarch Bechara al-Rai visited the villages.")
        #expect(Self.found("Maronite Patriarch Bechara al-Rai visited Zahle and Hadath al-Jebbeh.").flagged == ["Hadath al-Jebbeh"])
        #expect(Self.found("Fighting reached Sheikh Maqsoud.").flagged == ["Sheikh Maqsoud"])
    }

    /// The dash test between two words, on the bounds a block can give it: words of one segment
    /// that share bytes (end past start), bounds at and past the block's end, and every dash.
    @Test func theDashBetweenTwoWordsOnHostileBounds() {
        let text = Array("a-b a\u{2013}b a--b a b".utf8)
        /// The test on the text's bytes (a span cannot be an argument of `#expect`).
        func joinedByDash(_ end: Int32, _ start: Int32) -> Bool { ReportChecker.joinedByDash(text.span, end, start) }
        #expect(joinedByDash(1, 2))  // "-"
        #expect(joinedByDash(5, 8))  // "–", E2 80 93
        #expect(!joinedByDash(11, 13))  // "--"
        #expect(!joinedByDash(15, 16))  // " "
        #expect(!joinedByDash(2, 2))  // nothing between
        #expect(!joinedByDash(3, 1))  // words sharing bytes: no trap
        #expect(!joinedByDash(Int32(text.count), Int32(text.count) + 4))  // past the end: no trap
        for end in Int32(0)...Int32(text.count) {
            for start in Int32(0)...Int32(text.count) {
                let between = end <= start ? Array(text[Int(end)..<Int(start)]) : []
                let dash = between == [0x2D] || [[0xE2, 0x80, 0x90], [0xE2, 0x80, 0x91], [0xE2, 0x80, 0x93], [0xE2, 0x80, 0x94]].contains(between)
                #expect(joinedByDash(end, start) == dash)
            }
        }
    }

    @Test func aCountryBehindAProcliticIsNoFrequentWord() {
        // The frequency list has "وتركيا" (and Turkey) as often as تركيا; make_word_lists.py leaves
        // countries out behind proclitics too, not villages' homographs ("بصدد", regarding).
        #expect(Self.found("وصل الوفد إلى دمشق وتركيا ثم روسيا وإيران").mentioned == ["دمشق", "تركيا", "روسيا", "إيران"])
        #expect(Self.found("وصلت القافلة بأمان ونحن بصدد دراسة الأمر").mentioned.isEmpty)
    }

    @Test func anArabicResultVerbReachesOnlyItsOwnLink() {
        // Another link, a cue or a verb with و between the verb and the link: a place.
        #expect(Self.found("تغلب السكان على الحصار المفروض على الرستن.").mentioned == ["الرستن"])
        #expect(Self.found("هزمت القوات المسلحين في هجوم على تلبيسة.").mentioned == ["تلبيسة"])
        #expect(Self.found("هزم الجيش التنظيم وسيطر على الرستن.").mentioned == ["الرستن"])
        // Right after the verb, a link must follow: a town that wins a prize is a place.
        #expect(Self.found("فازت جبلة بالمرتبة الأولى في المسابقة.").mentioned == ["جبلة"])
        Self.expectNoPlace("وتعادل جبلة مع حطين.", "a result still")
    }
}
