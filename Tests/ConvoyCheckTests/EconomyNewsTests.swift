import Testing

@testable import ConvoyCheck

/// The rulebook's rules for business and economy news (Gazetteer/rules/check-rules.txt):
/// directorates and chambers named for their place, companies' names with "for", fields, mills and
/// the words of fuel and flour. Each case says what a reader takes the words to be.
@Suite struct EconomyNewsTests {
    @Test func aPlaceAfterFiClosesTheNameOfAnOrganisationNamedForIt() {
        // The directorate and the chamber are named for the city: it is no place where something happens.
        RulebookTests.expectNoPlace("أعلنت مديرية التجارة الداخلية في حماة تخفيض المخصصات.", "the Hama directorate of internal trade")
        RulebookTests.expectNoPlace("وقالت مديرية التربية في درعا إن الامتحانات تبدأ.", "the Daraa education directorate")
        #expect(RulebookTests.found("قالت غرفة التجارة والصناعة والزراعة في طرابلس والشمال إن الحركة تراجعت.").mentioned.isEmpty,
                "definite words joined by و between")
        #expect(RulebookTests.found("وقالت المديرية العامة للجمارك في حلب إن الشاحنات عبرت.").mentioned.isEmpty, "the organisation word with the article, a word in لل")
        // Forces and groups are where they are: Aleppo is a place here.
        #expect(RulebookTests.found("قصفت قوات النظام في حلب مواقع المعارضة.").mentioned == ["حلب"])
        // A word between that is no definite word breaks the name: the directorate works in Hama.
        #expect(RulebookTests.found("تعمل مديرية التربية منذ سنوات في حماة.").mentioned == ["حماة"])
        // Only the organisation that speaks: its building, members and rooms are where they are.
        #expect(RulebookTests.found("استهدف صاروخ مبنى المجلس المحلي في درعا.").mentioned == ["درعا"])
        #expect(RulebookTests.found("وقتل عنصران من مديرية الأمن في درعا.").mentioned == ["درعا"])
        #expect(RulebookTests.found("وصل الوفد إلى غرفة العمليات في حميميم.").mentioned.contains("حميميم"))
        // And an unknown name after such a في is the organisation's too.
        #expect(RulebookTests.found("وقالت مديرية الزراعة في الطيانة إن المحصول تراجع.").flagged.isEmpty)
        #expect(RulebookTests.found("وقال مزارعون في الطيانة إن المحصول تراجع.").flagged == ["الطيانة"])
    }

    @Test func anOrganisationsNameGoesOnThroughAnAdministrativeNounOnly() {
        RulebookTests.expectNoPlace("وقال مجلس محافظة درعا إن الطريق مقطوع.", "the Daraa Governorate Council")
        // A port is a work: its name is the place's, even after حركة (a movement, but also traffic).
        #expect(RulebookTests.found("تراجعت حركة مرفأ طرابلس بنسبة الثلث.").mentioned == ["طرابلس"])
    }

    @Test func aDefiniteOrganisationWordAfterACueIsNoPlace() {
        RulebookTests.expectNoPlace("وعدت الوزارة بقروض عبر المصرف الصناعي.", "the Industrial Bank")
    }

    @Test func fieldsAndMillsAreNamedByTheWordAfterThem() {
        #expect(RulebookTests.found("تخرج الشاحنات من حقل التنك يومياً.").flagged == ["التنك"])
        #expect(RulebookTests.found("وصلت شحنة قمح إلى مطاحن قمحانة.").flagged == ["قمحانة"], "مطاحن itself is no name")
        // The nouns of fuel, flour and fields are no names after a cue.
        RulebookTests.expectNoPlace("يشتري الأهالي المازوت من الحراقات بأسعار مرتفعة.")
        RulebookTests.expectNoPlace("طالبوا بحصة من عائدات النفط.")
        RulebookTests.expectNoPlace("خفضت المخصصات من الطحين وطالبوا بتشغيل الشباب في الحقول.")
    }

    @Test func aStrongHeadInAListTakesAFrequentWordAfterIt() {
        // محسن is a given name and a frequent word; after جبل in a list of places it ends the name.
        #expect(RulebookTests.found("خفضت المصانع في باب التبانة وجبل محسن ساعات العمل.").flagged == ["باب التبانة", "جبل محسن"])
        // Not outside a list: "جبل محسن" alone after a verb may be a mountain or a man.
        #expect(!RulebookTests.found("قال جبل محسن إن الوضع صعب.").flagged.contains("جبل محسن"))
    }

    @Test func forLinksANameToTheOrganisationBeforeIt() {
        RulebookTests.expectNoPlace("The General Company for Ports of Iraq says 40 ships wait.")
        #expect(RulebookTests.found("The convoy left Tabqa for Raqqa.").mentioned == ["Tabqa", "Raqqa"], "after a departure, for leads to the destination")
        #expect(RulebookTests.found("Aid for Syria arrived.").mentioned == ["Syria"], "no organisation word before it")
        #expect(RulebookTests.found("The Norwegian Refugee Council Director for Iraq said aid was blocked.").mentioned == ["Iraq"],
                "a title, not the organisation word, before for")
        #expect(RulebookTests.found("Red Crescent Convoys for Aleppo left Damascus.").mentioned == ["Aleppo", "Damascus"])
    }

    @Test func theZoneOfANameIsAPlace() {
        #expect(RulebookTests.found("Workshops restarted in the industrial zone of Sheikh Najjar.").flagged == ["Sheikh Najjar"])
    }
}

/// "on" after a word of attack (`contingent-cues`, `attack-words`) and an article name after a cue
/// and "the" (UnknownPlaces): war-news shapes found with dev batch 11.
@Suite struct AttackAndArticleCueTests {
    @Test func aCharityNamedForACountryIsAnOrganisation() {
        #expect(RulebookTests.found("Qatar Charity said convoys would follow.").mentioned.isEmpty)
        #expect(RulebookTests.found("A Qatar charity said convoys would follow.").mentioned == ["Qatar"], "in lower case, a charity in Qatar")
    }

    @Test func onAfterAWordOfAttackIsACue() {
        #expect(RulebookTests.found("The Russian air force carried out six strikes on al-Ankawi.").flagged == ["al-Ankawi"])
        #expect(RulebookTests.found("Barrel bombs fell on Kafr Zita and Latamneh.").flagged == ["Latamneh"], "and in a list after it")
        // Not without one, nor on a faith's name or a day.
        RulebookTests.expectNoPlace("They agreed on Geneva talks.")
        RulebookTests.expectNoPlace("Attacks on Christians rose.", "a faith's followers (`demonyms`)")
        RulebookTests.expectNoPlace("The offensive began on Monday.")
        // People and groups are attacked too; a capitalised word of attack counts.
        RulebookTests.expectNoPlace("The attack on Ahmad Jarba failed.", "a given name first")
        RulebookTests.expectNoPlace("The attack on Amnesty staff was condemned.", "English words only")
        #expect(RulebookTests.found("Airstrikes on al-Ankawi killed four.").flagged == ["al-Ankawi"])
    }

    @Test func anArticleNameAfterACueAndTheIsAPlace() {
        #expect(RulebookTests.found("Factories near the al-Zaqqum Free Zone hired workers.").flagged == ["al-Zaqqum Free Zone"])
        #expect(RulebookTests.found("Garment factories in the al-Hassan Industrial Estate hired workers.").flagged == ["al-Hassan Industrial Estate"])
    }
}
