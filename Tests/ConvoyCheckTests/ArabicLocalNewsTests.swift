import Testing

@testable import ConvoyCheck

/// The rulebook's Arabic rules for local news (Gazetteer/rules/check-rules.txt): construct nouns,
/// name prefixes, heads after place nouns, kunyas after a cue, datelines, tribes, numbers, and the
/// nouns of hospitals, bakeries and crossings. Each case says what a reader takes the words to be.
@Suite struct ArabicLocalNewsTests {
    @Test func aFrequentWordAfterAConstructNounNamesThePlace() {
        // جابر is a given name and نصيب "a share": after معبر they are the crossings.
        #expect(RulebookTests.found("استقبل معبر جابر الحدودي الشاحنات.").flagged == ["جابر"], "the nisba الحدودي is no part of the name")
        #expect(RulebookTests.found("وأغلق معبر نصيب أمس.").flagged == ["نصيب"])
        // Not after a preposition: "عبر نصيب" may be "through a share" as well as "via Nasib".
        RulebookTests.expectNoPlace("وصلت الشاحنات عبر نصيب من الأرباح.", "a frequent word after a cue that is no construct noun")
        // Not an adjective that agrees with the noun, nor one of the most common words.
        RulebookTests.expectNoPlace("أقيم مخيم مؤقت للنازحين.", "a participle (م…)")
        RulebookTests.expectNoPlace("وصلوا إلى بلدة مجاورة.", "a feminine adjective")
        RulebookTests.expectNoPlace("بني مخيم كبير قرب الحدود.", "كبير is among the most common words")
        RulebookTests.expectNoPlace("نزحوا إلى قرى أخرى.", "أخرى")
    }

    @Test func anIndefiniteNisbaAfterAPlaceNounIsAnAdjective() {
        RulebookTests.expectNoPlace("أقيم مخيم عشوائي قرب الحدود.", "a makeshift camp")
        RulebookTests.expectNoPlace("أعلنت القيادة تطهير مناطق صحراوية غرب النهر.", "desert areas")
        RulebookTests.expectNoPlace("نزحوا إلى قرى زراعية.", "farming villages")
        // A name in ية is still a name: the Jousieh crossing.
        #expect(RulebookTests.found("طالب النواب بفتح معبر جوسية.").flagged == ["جوسية"])
    }

    @Test func aWordOpeningWithKafrIsAPlaceWhereverItStands() {
        // No cue: the subject of a verb, and the list after it.
        #expect(RulebookTests.found("شهدت كفرنبودة والهبيط قصفاً عنيفاً.").flagged == ["كفرنبودة", "الهبيط"])
        // A name the gazetteer has is a mention, not flagged.
        #expect(RulebookTests.found("شهدت كفرنبل قصفاً عنيفاً.").mentioned == ["كفرنبل"])
        // Too short after the prefix to be a name, or a frequent word: no place.
        RulebookTests.expectNoPlace("كفره رجال الدين.", "كفره, two letters after كفر")
    }

    @Test func aNameHeadAfterAPlaceNounTakesAFrequentWordWithTheArticle() {
        // السلامة is "safety": after معبر and باب it is the crossing's name.
        #expect(RulebookTests.found("أعلنت إدارة معبر باب السلامة إغلاقه.").flagged == ["باب السلامة"])
        // Without the place noun, باب and a frequent word are a door.
        RulebookTests.expectNoPlace("وصلوا إلى باب السلامة في الحياة.", "no place noun before باب")
        // After an outlet's or organisation's word, a head and its word are that body's name.
        RulebookTests.expectNoPlace("قالت شبكة عين الحسكة إن المسلحين انسحبوا.", "an outlet named like a place")
    }

    @Test func aKunyaAfterACueIsAPlaceButAPersonAfterFromOrTo() {
        #expect(RulebookTests.found("وتقدمت القوات نحو أبو دالي.").flagged == ["أبو دالي"])
        #expect(RulebookTests.found("تحدث مراسلنا إلى أبو دالي الحموي.").flagged.isEmpty, "إلى stands before people too")
    }

    @Test func anArabicDatelineNamesItsPlace() {
        // درعا is also a frequent word ("a shield"): at the head of a line before a dash, a dateline.
        #expect(RulebookTests.found("درعا - بدأت امتحانات الشهادة الثانوية صباح الأحد.").mentioned == ["درعا"])
        #expect(RulebookTests.found("بدأت الامتحانات.\nدرعا – أعلنت المديرية النتائج.").mentioned == ["درعا"])
        // Not mid-line.
        RulebookTests.expectNoPlace("حمل الجندي درعا - ثقيلا.", "a shield, mid-line")
    }

    @Test func tribesNumbersAndTheNounsOfSitesAreNoPlaces() {
        RulebookTests.expectNoPlace("اجتمع وجهاء من عشيرة العكيدات.", "a tribe")
        RulebookTests.expectNoPlace("ساعد أبناء قبيلة العبيد في إطفاء الحرائق.", "a tribe after أبناء")
        RulebookTests.expectNoPlace("يعيش نحو ستين ألف لاجئ في المخيمات.", "نحو is also \"about\"")
        RulebookTests.expectNoPlace("وقصفت المدفعية القرى.", "the artillery")
        RulebookTests.expectNoPlace("حاولوا العبور عبر معابر غير شرعية.", "crossings")
        RulebookTests.expectNoPlace("وصلت الشحنات عبر موانئ الخليج.", "ports")
        RulebookTests.expectNoPlace("تصل المياه إليهم بالصهاريج.", "tankers")
        let hospitals = RulebookTests.found("ونقل الجرحى إلى مشفى الدانا والمشافي قرب الحدود.")
        #expect(hospitals.mentioned == ["الدانا"] && hospitals.flagged.isEmpty, "\(hospitals)")
        #expect(RulebookTests.found("قال موظف في فرن المنصورة إن الطحين نفد.").flagged.isEmpty)
    }

    @Test func aVerbalNounAfterACueIsAnAction() {
        RulebookTests.expectNoPlace("وتمكنت وحدات الهندسة من تفكيك ألغام.", "تفكيك, dismantling")
        RulebookTests.expectNoPlace("وساعد الأهالي في إطفاء الحرائق.", "إطفاء, putting out")
        // A name of no such shape is still flagged.
        #expect(RulebookTests.found("وساعد الأهالي في الطيانة.").flagged == ["الطيانة"])
    }

    @Test func shapesMatchLetterForLetter() throws {
        let rules = try CheckRules(text: "[arabic-non-name-shapes]\nإ..ا., *يين\n[arabic-adjective-shapes]\nم...*ة, ع*ا*ة\n")
        #expect(rules.hasShape("إطفاء", of: .arabicNonNameShapes))
        #expect(rules.hasShape("إغلاق", of: .arabicNonNameShapes))
        #expect(!rules.hasShape("إدلب", of: .arabicNonNameShapes), "four letters")
        #expect(!rules.hasShape("إطفاءات", of: .arabicNonNameShapes), "longer")
        #expect(rules.hasShape("مجاورة", of: .arabicAdjectiveShapes))
        #expect(rules.hasShape("محاصرة", of: .arabicAdjectiveShapes))
        #expect(rules.hasShape("مدمرة", of: .arabicAdjectiveShapes), "* stands for no letter too")
        #expect(!rules.hasShape("مورة", of: .arabicAdjectiveShapes), "three letters needed between")
        #expect(!rules.hasShape("محردة", of: .arabicNonNameShapes), "another kind's shapes are not read")
        #expect(!rules.hasShape("", of: .arabicAdjectiveShapes))
        #expect(rules.hasShape("المدنيين", of: .arabicNonNameShapes) && rules.hasShape("يين", of: .arabicNonNameShapes), "a leading *")
        #expect(!rules.hasShape("المدنيون", of: .arabicNonNameShapes))
        #expect(rules.hasShape("عمارة", of: .arabicAdjectiveShapes) && rules.hasShape("عاة", of: .arabicAdjectiveShapes), "two *")
        #expect(rules.hasShape("عاااة", of: .arabicAdjectiveShapes) && !rules.hasShape("عااات", of: .arabicAdjectiveShapes), "a * given back letters")
    }

    @Test func fromIsACueAfterAWordOfCuttingOff() {
        #expect(RulebookTests.found("انقطعت الكهرباء عن الهيشة والمقيبلة.").flagged == ["الهيشة", "المقيبلة"])
        RulebookTests.expectNoPlace("قال نقلاً عن الوجهاء إن الوضع هادئ.", "عن after no word of cutting off")
        RulebookTests.expectNoPlace("أسفر القصف عن احتراق منازل.", "عن after a word of attack is no cue")
    }

    @Test func pluralNisbasArePeopleNotPlaces() {
        // "for the Syrians and for Lebanon": the first word of the list is no place.
        #expect(RulebookTests.found("قالوا إن الحدود تعني الكثير للسوريين وللبنان.").flagged.isEmpty)
        #expect(RulebookTests.found("قالوا إن الحدود تعني الكثير للسوريين وللبنان.").mentioned == ["لبنان"])
    }

    @Test func aFrequentWordBeforeAndAndAMentionAfterACueIsThePairsFirstName() {
        // الدبس is "molasses" too; between it and Daquq it is the town (recorded by GeoNames as دبس:
        // flagged, with that name as the nearest).
        let dibis = Fixture.check(text: "انتشرت القوات على الطريق بين الدبس وداقوق.")
        #expect(dibis.diagnostics.contains { $0.text == "الدبس" && $0.suggestions.first?.name == "Dibis" }, "\(dibis.diagnostics)")
        RulebookTests.expectNoPlace("وقعت اشتباكات بين الجيش والفصائل.", "no mention after و")
    }

    @Test func aNameOnlyGeoNamesHasSpeltOtherwiseIsFlaggedWithTheRecordedSpelling() {
        // GeoNames records "Al Kasrah"; "al-Kasrah" is not matched as GeoNames' names are (as
        // recorded), and is flagged with the recorded name first: not passed in silence, and not
        // "did you mean Al-Qusayr".
        for text in ["Villages such as al-Kasrah and al-Busayrah were hit.", "Fighting east of al-Kasrah continued.",
                     "The people of al-Kasrah fled.", "The village known as al-Kasrah was hit."]
        {
            let d = Fixture.check(text: text).diagnostics.first { $0.text == "al-Kasrah" }
            #expect(d?.code == .misspelling && d?.suggestions.first?.name == "Al Kasrah", "\(text): \(String(describing: d))")
        }
        // A connector inside a capitalised name still joins it: no al-Walid of its own.
        #expect(!RulebookTests.found("Jaish ibn al-Walid fighters clashed.").flagged.contains("al-Walid"))
    }

    @Test func councilsAndMunicipalitiesAreOrganisations() {
        // "the Daraa Governorate Council", "the Aleppo City Council": a place noun between goes on.
        RulebookTests.expectNoPlace("وطالب أعضاء في مجلس محافظة درعا بتأمين الطحين.", "a governorate council")
        RulebookTests.expectNoPlace("وقال مجلس مدينة حلب إن الأعمال بدأت.", "a city council")
        RulebookTests.expectNoPlace("وقالت بلدية عرسال إن النازحين بحاجة إلى المياه.", "a municipality")
        // Without the organisation word, the place noun's name is the place.
        #expect(RulebookTests.found("وصلت القافلة إلى مدينة حلب.").mentioned == ["حلب"])
    }

    @Test func convoysRaidsAndLakes() {
        // The convoy and the raid are no places; Lake Assad is a name head and its word.
        #expect(RulebookTests.found("وفي ريف حمص الشمالي، دخلت القافلة إلى تلبيسة.").flagged.isEmpty)
        #expect(RulebookTests.found("واستهدفت غارة منزلاً في بلدة الغارية.").flagged.isEmpty)
        #expect(RulebookTests.found("وتشهد بحيرة الأسد انخفاضاً في منسوب المياه.").flagged == ["بحيرة الأسد"])
    }

    @Test func listsJoinedByCommas() {
        // Arabic commas, the last name with و; a name with a proclitic and the كفر prefix.
        #expect(RulebookTests.found("وشملت الغارات بلدات حاس، كفرنبل، الهبيط، وكفرسجنة.").flagged == ["حاس", "الهبيط", "كفرسجنة"])
        // The first names of a list that ends in a place, across commas.
        #expect(RulebookTests.found("وتوزعت المساعدات على الطيانة، ذيبان، الشحيل والبصيرة.").flagged == ["الطيانة", "الشحيل"])
        // A place after a comma ends no list unless the list goes on.
        #expect(RulebookTests.found("بعد ساعات من القصف المتواصل، دوما تحت الحصار.").flagged.isEmpty)
        // After a comma, a verb opens a new clause: no name.
        #expect(RulebookTests.found("وفي كفرنبل، افتتحت المدرسة أبوابها.").flagged.isEmpty)
        // Shells are a word of attack: "على" after them is a cue.
        #expect(RulebookTests.found("وسقطت قذائف على الراموسة.").flagged == ["الراموسة"])
    }

    @Test func thePeopleOfAPlaceAreACue() {
        #expect(RulebookTests.found("اختطف شاب من أبناء الحوايج.").flagged == ["الحوايج"])
        RulebookTests.expectNoPlace("قال إن أبناء الشعب صامدون.", "a frequent word after أبناء")
        #expect(RulebookTests.found("وعاد سكان الطيانة إلى منازلهم.").flagged == ["الطيانة"])
        #expect(RulebookTests.found("وطالب نازحو الهبيط بفتح الطريق.").flagged == ["الهبيط"])
        #expect(RulebookTests.found("وانتشرت الحواجز عند مدخل اللطامنة.").flagged == ["اللطامنة"])
        #expect(RulebookTests.found("وحلقت طائرات الاستطلاع في سماء الباغوز.").flagged == ["الباغوز"])
        RulebookTests.expectNoPlace("قال سكان محليون إن القصف توقف.", "residents, local")
    }

    @Test func aCheckpointIsNamedAfterItsNoun() {
        #expect(RulebookTests.found("وقتل ثلاثة في هجوم على حاجز الحميدي.").flagged == ["الحميدي"])
        RulebookTests.expectNoPlace("أقيم حاجز أمني على الطريق.", "a security checkpoint")
    }
}

/// Relief news in Arabic (dev batch 12): camps, depots, stations and orchards name the place after
/// them; datelines of unknown towns; heads after a cue and in lists; a feminine noun with a pronoun.
@Suite struct ArabicReliefNewsTests {
    @Test func worksAndCampsNameThePlaceAfterThem() {
        #expect(RulebookTests.found("وصلت قافلة إلى مستودعات سرمدا للنازحين في مخيمات أطمة وكللي.").flagged == ["سرمدا", "أطمة", "كللي"])
        #expect(RulebookTests.found("انقطعت المياه عن محطة علوك.").flagged == ["علوك"])
        #expect(RulebookTests.found("ما زالت بساتين الحلابسة والنعيمية ملغومة.").flagged == ["الحلابسة", "النعيمية"])
        RulebookTests.expectNoPlace("أصلحت الورش محطة الضخ على النهر.", "what a station does")
    }

    @Test func anUnknownDatelineIsFlagged() {
        #expect(RulebookTests.found("سرمدا - وصلت قافلة من 30 شاحنة.").flagged == ["سرمدا"])
        #expect(RulebookTests.found("دمشق - قالت الحكومة إن الطريق مفتوح.").flagged.isEmpty, "a name the gazetteer has is a mention")
        // Not a frequent word, nor a word that does not open its line.
        RulebookTests.expectNoPlace("الحكومة - كما قالت - لم تعلق.")
        #expect(RulebookTests.found("وقال مسؤول سرمدا - وهو اسم مستعار - إن القافلة وصلت.").flagged.isEmpty)
        // A block cut inside a line longer than a block does not open a line there.
        let long = String(repeating: "x", count: 4090)  // the block is cut at the space after them
        let cut = Fixture.checker(blockSize: 4096).check(text: long + " سرمدا - وصلت قافلة.\n")
        #expect(!cut.diagnostics.contains { $0.code == .unknownPlace }, "\(cut.diagnostics.map(\.text))")
        let fed = Fixture.checker(blockSize: 4096).check(text: long + "\nسرمدا - وصلت قافلة.\n")
        #expect(fed.diagnostics.filter { $0.code == .unknownPlace }.map(\.text) == ["سرمدا"])
        // A byline or a label before a dash is no town: "وكالات - ", "عاجل - ", "مراسلنا - ".
        for byline in ["وكالات", "عاجل", "متابعات", "مراسلنا", "رويترز"] {
            #expect(RulebookTests.found("\(byline) - قتل عشرة أشخاص في حلب.").flagged.isEmpty, "\(byline)")
        }
        // A line's last word, or the text's, has no dash after it (once a trap: a range past the words).
        #expect(RulebookTests.found("سرمدا").flagged.isEmpty)
        #expect(RulebookTests.found("وصلت القافلة\nسرمدا").flagged.isEmpty)
    }

    @Test func aHeadTakesAFrequentWordOnlyAfterAStrongHeadInAList() {
        #expect(RulebookTests.found("تصل الصهاريج إلى مخيمات سجو وباب السلامة مرة كل ثلاثة أيام.").flagged == ["سجو"],
                "باب is no strong head: باب السلامة is not flagged (a limitation)")
        // After another head, in a list or after a cue, the frequent word is what it says.
        #expect(RulebookTests.found("وصلت المساعدات إلى حلب وباب المدرسة.").flagged.isEmpty, "the school's door")
        RulebookTests.expectNoPlace("اختبأوا في وادي عميق.", "a deep valley")
        RulebookTests.expectNoPlace("سقطت قذيفة قرب دير قديم.", "an old monastery")
        RulebookTests.expectNoPlace("سقطت قذيفة قرب بيت كبير.")
    }

    @Test func aFeminineNounWithAPronounIsNoPlace() {
        RulebookTests.expectNoPlace("وقال مدرس عاد إلى قريته إن المدارس بلا سقوف.", "قريته, his village")
        RulebookTests.expectNoPlace("وتنام العائلات في العراء منذ أيام.", "in the open")
    }

    @Test func aLocalCouncilNamedForItsTownIsAnOrganisation() {
        #expect(RulebookTests.found("قال المجلس المحلي في اعزاز إن المياه مقطوعة.").mentioned.isEmpty)
        #expect(RulebookTests.found("ونقلت المصادر عن سوريا على طول أن القافلة وصلت.").mentioned.isEmpty, "Syria Direct")
    }
}
