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
        let rules = try CheckRules(text: "[arabic-verbal-noun-shapes]\nإ..ا.\n[arabic-adjective-shapes]\nم...*ة\n")
        #expect(rules.hasShape("إطفاء", of: .arabicVerbalNounShapes))
        #expect(rules.hasShape("إغلاق", of: .arabicVerbalNounShapes))
        #expect(!rules.hasShape("إدلب", of: .arabicVerbalNounShapes), "four letters")
        #expect(!rules.hasShape("إطفاءات", of: .arabicVerbalNounShapes), "longer")
        #expect(rules.hasShape("مجاورة", of: .arabicAdjectiveShapes))
        #expect(rules.hasShape("محاصرة", of: .arabicAdjectiveShapes))
        #expect(rules.hasShape("مدمرة", of: .arabicAdjectiveShapes), "* stands for no letter too")
        #expect(!rules.hasShape("مورة", of: .arabicAdjectiveShapes), "three letters needed between")
        #expect(!rules.hasShape("محردة", of: .arabicVerbalNounShapes), "another kind's shapes are not read")
        #expect(!rules.hasShape("", of: .arabicAdjectiveShapes))
    }

    @Test func thePeopleOfAPlaceAreACue() {
        #expect(RulebookTests.found("اختطف شاب من أبناء الحوايج.").flagged == ["الحوايج"])
        RulebookTests.expectNoPlace("قال إن أبناء الشعب صامدون.", "a frequent word after أبناء")
    }
}
