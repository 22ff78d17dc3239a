// SPDX-License-Identifier: Apache-2.0
// Pure text -> facts: the shapes issue 13 lists (each example is a test with its expected value)
// and further inputs of the same kinds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/probes/document_text.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;

std::map<std::string, TextFact> facts_of(const std::string& text, const std::string& where = "p. 1") {
    return text_facts({TextBlock{where, text}});
}

Value date(const char* iso) { return Value(*Date::parse(iso)); }
Value str(const char* s) { return Value(std::string(s)); }

TEST(SwedishDateTest, IsoAndWrittenDates) {
    EXPECT_EQ(parse_swedish_date("2018-06-25"), Date::parse("2018-06-25"));
    EXPECT_EQ(parse_swedish_date("25 juni 2018"), Date::parse("2018-06-25"));
    EXPECT_EQ(parse_swedish_date("den 3 mars 2014"), Date::parse("2014-03-03"));
    EXPECT_EQ(parse_swedish_date("31 OKTOBER 2022"), Date::parse("2022-10-31"));
    EXPECT_EQ(parse_swedish_date("1 dec 2020"), Date::parse("2020-12-01"));
    EXPECT_EQ(parse_swedish_date("29 februari 2024"), Date::parse("2024-02-29"));
    // Not dates.
    EXPECT_EQ(parse_swedish_date("29 februari 2023"), std::nullopt);
    EXPECT_EQ(parse_swedish_date("31 juni 2018"), std::nullopt);
    EXPECT_EQ(parse_swedish_date("2018-13-01"), std::nullopt);
    EXPECT_EQ(parse_swedish_date("juni 2018"), std::nullopt);
    EXPECT_EQ(parse_swedish_date(""), std::nullopt);
}

TEST(DecisionBodyTest, NormalisedInAnyCase) {
    EXPECT_EQ(normalise_body("Kommunfullmäktige"), "kommunfullmäktige");
    EXPECT_EQ(normalise_body("KOMMUNFULLMÄKTIGE"), "kommunfullmäktige");
    EXPECT_EQ(normalise_body("kommunstyrelsen"), "kommunstyrelsen");
    EXPECT_EQ(normalise_body("Kommunstyrelsens arbetsutskott"), "kommunstyrelsen");
    EXPECT_EQ(normalise_body("KF"), "kommunfullmäktige");
    EXPECT_EQ(normalise_body("Socialnämnden"), "nämnd:socialnämnden");
    EXPECT_EQ(normalise_body("Barn- och utbildningsnämnden"), "nämnd:barn- och utbildningsnämnden");
    EXPECT_EQ(normalise_body("Förvaltningsledningen"), "förvaltningsledning");
    EXPECT_EQ(normalise_body("Kommundirektören"), "kommundirektör");
    EXPECT_EQ(normalise_body("informationssäkerhetssamordnaren"), "");
    EXPECT_EQ(normalise_body("nämnden"), "");
}

TEST(TextFactsTest, SentenceUnderTheTitle) {
    // The three sentences of issue 13.
    auto f = facts_of("Informationssäkerhetspolicy\nAntagen av kommunfullmäktige 31 oktober 2022\n");
    EXPECT_EQ(f.at("beslutad").value, date("2022-10-31"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("antagen").value, date("2022-10-31"));
    EXPECT_EQ(f.at("antagen_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("beslutad").evidence, "p. 1: \"Antagen av kommunfullmäktige 31 oktober 2022\"");

    f = facts_of("Fastställd av Kommunfullmäktige den 25 juni 2018, § 129");
    EXPECT_EQ(f.at("beslutad").value, date("2018-06-25"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("beslutad_av").evidence, "p. 1: \"Fastställd av Kommunfullmäktige den 25 juni 2018, § 129\"");

    f = facts_of("Antaget av Kommunstyrelsen den 15 mars 2010, § 51");
    EXPECT_EQ(f.at("beslutad").value, date("2010-03-15"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunstyrelsen"));
}

TEST(TextFactsTest, AWrappedSentenceNeverTakesTheSentenceBeforeIt) {
    // A PDF line break right after "Reviderad av": the revision's body and date are on the next
    // line, and the adoption before the full stop is not the revision's.
    auto f = facts_of("Antagen av kommunfullmäktige 31 oktober 2019, § 12. Reviderad av\n"
                      "kommunfullmäktige den 12 mars 2024, § 45.\n");
    EXPECT_EQ(f.at("beslutad").value, date("2024-03-12"));
    EXPECT_EQ(f.at("antagen").value, date("2019-10-31"));
    EXPECT_EQ(f.at("reviderad").value, date("2024-03-12"));
    // The same on one line, and with the break elsewhere.
    f = facts_of("Antagen av kommunfullmäktige 31 oktober 2019, § 12. Reviderad av kommunfullmäktige den 12 mars 2024, § 45.");
    EXPECT_EQ(f.at("beslutad").value, date("2024-03-12"));
    EXPECT_EQ(f.at("antagen").value, date("2019-10-31"));
    f = facts_of("Antagen av kommunfullmäktige 31 oktober 2019, § 12. Reviderad av kommunfullmäktige\nden 12 mars 2024, § 45.");
    EXPECT_EQ(f.at("beslutad").value, date("2024-03-12"));
    // Words before the verb in its own sentence still count.
    f = facts_of("Policyn är av kommunstyrelsen den 3 mars 2014 fastställd.");
    EXPECT_EQ(f.at("beslutad").value, date("2014-03-03"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunstyrelsen"));
}

// Validity and scope said in running text, as a policy's last paragraph says them, also when
// a PDF line breaks inside the sentence.
TEST(TextFactsTest, ValidityAndScopeInRunningTextAlsoWhenTheLineBreaks) {
    auto f = facts_of("Policyn är beslutad av kommunfullmäktige den 12 mars 2024, § 45. Den gäller tills vidare.\n"
                      "Policyn gäller för samtliga förvaltningar och bolag i kommunen.\n");
    EXPECT_EQ(f.at("giltig_tills_vidare").value, Value(true));
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "hsl"}));
    f = facts_of("Policyn är beslutad av kommunfullmäktige den 12 mars 2024. Den gäller\ntills vidare och revideras vid behov.\n"
                 "Riktlinjen gäller för socialnämndens\nverksamheter.\n");
    EXPECT_EQ(f.at("giltig_tills_vidare").value, Value(true));
    EXPECT_THAT(f.at("giltig_tills_vidare").evidence, HasSubstr("tills vidare och"));
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst"}));
    // A period, or people rather than units, names no scope; a labelled Omfattning wins.
    f = facts_of("Planen gäller för perioden 2024–2026.\nDen gäller för den som hanterar information.\n");
    EXPECT_EQ(f.count("omfattning"), 0U);
    EXPECT_EQ(f.count("giltig_tills_vidare"), 0U);
    f = facts_of("Policyn gäller för samtliga förvaltningar.\nOmfattning: Socialförvaltningen\n");
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst"}));
}

// A footer and the text that name different bodies for the same day disagree. The answer does
// not depend on where a format puts the footer (a DOCX reads it first, a PDF after the page's
// text), and the disagreement is named with both quotes, never settled silently.
TEST(TextFactsTest, TwoBodiesForOneDayAreAConflictWhateverTheOrder) {
    const TextBlock footer{"sidfot 1", "Beslutad av kommunstyrelsen 2024-03-12"};
    const TextBlock body{"stycke 3", "Policyn är beslutad av kommunfullmäktige den 12 mars 2024, § 45."};
    for (const auto& blocks : {std::vector<TextBlock>{footer, body}, std::vector<TextBlock>{body, footer}}) {
        const auto f = text_facts(blocks);
        EXPECT_EQ(f.at("beslutad").value, date("2024-03-12"));
        EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
        ASSERT_EQ(f.count("conflicts"), 1U);
        const std::string said = f.at("conflicts").value.to_display();
        EXPECT_THAT(said, HasSubstr("sidfot 1"));
        EXPECT_THAT(said, HasSubstr("says kommunstyrelsen"));
        EXPECT_THAT(said, HasSubstr("says kommunfullmäktige"));
    }
    // One body, said twice, is no conflict; nor is an older decision by another body.
    auto f = text_facts({TextBlock{"sidfot 1", "Beslutad av kommunfullmäktige 2024-03-12"}, body});
    EXPECT_EQ(f.count("conflicts"), 0U);
    f = text_facts({TextBlock{"stycke 1", "Antagen av kommunstyrelsen 2019-05-02."}, body});
    EXPECT_EQ(f.count("conflicts"), 0U);
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
}

TEST(TextFactsTest, ADiarienummerWrappedOntoTheNextLine) {
    // A two-column PDF or a narrow cell: "Dnr KS" ends one line, the number starts the next.
    auto f = facts_of("Beslutad av kommunfullmäktige 2024-03-12. Dnr KS\n2024/123\n");
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2024/123"));
    f = facts_of("Diarienummer:\nKS 2024/000123\n");
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2024/000123"));
    f = facts_of("Dnr\nSN 2025/118\n");
    EXPECT_EQ(f.at("diarienummer").value, str("SN 2025/118"));
}

TEST(TextFactsTest, SentencesOfTheSameKind) {
    auto f = facts_of("Godkänd av Barn- och utbildningsnämnden 2023-09-01.");
    EXPECT_EQ(f.at("beslutad_av").value, str("nämnd:barn- och utbildningsnämnden"));
    EXPECT_EQ(f.at("beslutad").value, date("2023-09-01"));
    f = facts_of("BESLUTAD AV KOMMUNSTYRELSEN 2021-02-03");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunstyrelsen"));
    // Wrapped over two lines, and a word hyphenated at the end of a line.
    f = facts_of("Fastställd av Kommunfullmäktige\nden 25 juni 2018, § 129");
    EXPECT_EQ(f.at("beslutad").value, date("2018-06-25"));
    EXPECT_THAT(f.at("beslutad").evidence, HasSubstr(" + p. 1: \"den 25 juni 2018, § 129\""));
    f = facts_of("Fastställd av kommun-\nfullmäktige den 3 mars 2014");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("beslutad").evidence, "p. 1: \"Fastställd av kommunfullmäktige den 3 mars 2014\"");
    // "Kommunfullmäktige har den … fastställt": the body before the verb.
    f = facts_of("Kommunfullmäktige har den 12 maj 2020 fastställt policyn.");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("beslutad").value, date("2020-05-12"));
}

TEST(TextFactsTest, LatestDecisionFirstAdoptionAndEditorialRevision) {
    auto f = facts_of("Antagen av kommunfullmäktige 31 oktober 2022\nReviderad av kommunstyrelsen 2024-04-02\n"
                      "Reviderad av informationssäkerhetssamordnaren 2025-01-15");
    EXPECT_EQ(f.at("antagen").value, date("2022-10-31"));
    EXPECT_EQ(f.at("antagen_av").value, str("kommunfullmäktige"));
    // The revision by the board is a decision; the official's is only a revision.
    EXPECT_EQ(f.at("beslutad").value, date("2024-04-02"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunstyrelsen"));
    EXPECT_EQ(f.at("reviderad").value, date("2025-01-15"));
    // Two events on one line (an HTML paragraph).
    f = facts_of("Antagen av Kommunstyrelsen den 15 mars 2010, § 51. Reviderad av Kommunfullmäktige den 3 mars 2014.");
    EXPECT_EQ(f.at("antagen").value, date("2010-03-15"));
    EXPECT_EQ(f.at("beslutad").value, date("2014-03-03"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
}

TEST(TextFactsTest, FrontPageLabelValueTable) {
    // Cells of a row separated by a tab (DOCX/ODT/HTML rows) or on the next line (PDF text).
    auto f = facts_of("Dokumenttyp\tPolicy\nDokumentägare\tKommundirektör\nBeslutad av\tKommunstyrelsen\n"
                      "Beslutsdatum\t2024-05-14\nReviderad\t2025-01-08\nVersion\t2.1\nGiltighetstid\tt.v.\n"
                      "Diarienummer\tKS 2024/123\nOmfattning\tSocialtjänsten, Skolan och Äldreomsorgen");
    EXPECT_EQ(f.at("dokumenttyp").value, str("policy"));
    EXPECT_EQ(f.at("dokumentagare").value, str("Kommundirektör"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunstyrelsen"));
    EXPECT_EQ(f.at("beslutad").value, date("2024-05-14"));
    EXPECT_EQ(f.at("reviderad").value, date("2025-01-08"));
    EXPECT_EQ(f.at("giltig_tills_vidare").value, Value(true));
    EXPECT_EQ(f.count("giltig_till"), 0U);
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2024/123"));
    // Units the inventory knows become its scope ids; the others stay as written.
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "Skolan"}));
    EXPECT_THAT(f.at("omfattning").evidence, HasSubstr("Socialtjänsten, Skolan och Äldreomsorgen"));

    f = facts_of("Beslutad av:\nKommunfullmäktige\nFastställd:\n25 juni 2018\nDnr:\nKS 2024/000123\n"
                 "Giltig till:\n2026-12-31");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("beslutad").value, date("2018-06-25"));
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2024/000123"));
    EXPECT_EQ(f.at("giltig_till").value, date("2026-12-31"));
    EXPECT_THAT(f.at("beslutad_av").evidence, HasSubstr("p. 1: \"Beslutad av:\" + p. 1: \"Kommunfullmäktige\""));

    f = facts_of("Gäller t.o.m. 31 december 2026\nGäller för: Miljö- och byggförvaltningen, Kultur- och fritidsförvaltningen");
    EXPECT_EQ(f.at("giltig_till").value, date("2026-12-31"));
    EXPECT_EQ(f.at("omfattning").value,
              Value(StringList{"Miljö- och byggförvaltningen", "Kultur- och fritidsförvaltningen"}));
    f = facts_of("Giltighetstid: tills vidare");
    EXPECT_EQ(f.at("giltig_tills_vidare").value, Value(true));
}

TEST(TextFactsTest, OmfattningIsMappedToTheInventorysScopeIds) {
    // Förvaltningar and verksamhetsområden as municipalities name them → socialtjanst / hsl.
    EXPECT_EQ(scope_ids("Socialförvaltningen"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("Individ- och familjeomsorgen"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("Äldreomsorg, särskilda boenden"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("Funktionshinder (LSS)"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("SOCIALNÄMNDEN"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("Kommunal hälso- och sjukvård"), (StringList{"hsl"}));
    EXPECT_EQ(scope_ids("den kommunala hälso-och sjukvården (HSL)"), (StringList{"hsl"}));
    EXPECT_EQ(scope_ids("HSL"), (StringList{"hsl"}));
    EXPECT_EQ(scope_ids("Vård- och omsorgsförvaltningen"), (StringList{"socialtjanst", "hsl"}));
    EXPECT_EQ(scope_ids("Samtliga förvaltningar"), (StringList{"socialtjanst", "hsl"}));
    EXPECT_EQ(scope_ids("hela kommunen"), (StringList{"socialtjanst", "hsl"}));
    EXPECT_EQ(scope_ids("Alla anställda i kommunen"), (StringList{"socialtjanst", "hsl"}));
    // Units of other kinds name neither.
    EXPECT_EQ(scope_ids("Barn- och utbildningsförvaltningen"), StringList{});
    EXPECT_EQ(scope_ids("Miljö- och byggförvaltningen"), StringList{});
    EXPECT_EQ(scope_ids("Klassrum"), StringList{});  // "lss" inside a word is not LSS

    auto f = facts_of("Omfattning: Socialförvaltningen och kommunal hälso- och sjukvård");
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "hsl"}));
    f = facts_of("Tillämpningsområde\tPolicyn gäller för samtliga förvaltningar och bolag");
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "hsl", "bolag"}));
    f = facts_of("Gäller för: Kommunal hälso- och sjukvård, Tekniska förvaltningen, Socialtjänsten");
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "hsl", "Tekniska förvaltningen"}));
}

TEST(TextFactsTest, OmfattningWrappedMidPhraseIsReadOn) {
    // A PDF text layer breaks the line wherever the page ends it.
    auto f = facts_of("Omfattning: Socialförvaltningen, Vård- och omsorgsförvaltningen och den\n"
                      "kommunala hälso- och sjukvården\nAnsvar\nKommunstyrelsen leder arbetet.");
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "hsl"}));
    EXPECT_THAT(f.at("omfattning").evidence, HasSubstr("+ p. 1: \"kommunala hälso- och sjukvården\""));
    f = facts_of("Gäller för: Tekniska förvaltningen och\nKultur- och fritidsförvaltningen\nsom ansvarar för drift.");
    // A capitalised continuation after "och" is read on; a new sentence after a full item is not.
    EXPECT_EQ(f.at("omfattning").value,
              Value(StringList{"Tekniska förvaltningen", "Kultur- och fritidsförvaltningen som ansvarar för drift"}));
    f = facts_of("Tillämpningsområde: Socialtjänsten.\nden gäller även inhyrd personal");
    EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst"}));
}

// Kinds found by the fresh-hand documents (tests/data/documents/fresh), each with more inputs.
TEST(TextFactsTest, MinutesInPresentTenseAndPassiveTakeTheMeetingsBodyAndDate) {
    for (const char* decision : {"Kommunfullmäktige antar informationssäkerhetspolicyn.",
                                 "Kommunfullmäktige fastställer policyn enligt bilaga.",
                                 "1. Kommunfullmäktige godkänner policyn.",
                                 "Fullmäktige beslutar att anta policyn.",
                                 "Policyn för informationssäkerhet revideras enligt bilaga 1.",
                                 "Policyn fastställs."}) {
        const auto f = facts_of(std::string("PROTOKOLL\nKommunfullmäktige\nSammanträdesdatum 2023-05-12\n"
                                            "§ 45 Informationssäkerhetspolicy\n") + decision);
        ASSERT_EQ(f.count("beslutad"), 1U) << decision;
        EXPECT_EQ(f.at("beslutad").value, date("2023-05-12")) << decision;
        EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige")) << decision;
    }
    // The committee's own name in its minutes: "Arbetsutskottet beslutar" is the meeting's body.
    auto f = facts_of("Kommunstyrelsens arbetsutskott\nDatum 2025-01-14\n§ 4 Ledningens genomgång\n"
                      "Arbetsutskottet beslutar att notera genomgången.");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunstyrelsen"));
    EXPECT_EQ(f.at("beslutad").value, date("2025-01-14"));
    // A proposal is not a decision.
    f = facts_of("Protokoll 2024-12-09\n§ 174\nFörslag till beslut: Kommunfullmäktige antar policyn.");
    EXPECT_EQ(f.count("beslutad_av"), 0U);
    // Outside minutes, a policy's own text about who adopts what is no decision of this document.
    f = facts_of("Informationssäkerhetspolicy\nAntagen av kommunfullmäktige 2023-05-12\n"
                 "Kommunstyrelsen fastställer riktlinjer 2024-01-01 och policyn revideras vid behov.");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("beslutad").value, date("2023-05-12"));
}

TEST(TextFactsTest, ValidityPeriodsAndStartDates) {
    auto f = facts_of("Giltighetstid\t2024-04-09 – 2026-12-31");
    EXPECT_EQ(f.at("giltig_till").value, date("2026-12-31"));
    f = facts_of("Giltighetstid: 1 januari 2024 till 31 december 2025");
    EXPECT_EQ(f.at("giltig_till").value, date("2025-12-31"));
    // When it came into force is not how long it stays.
    f = facts_of("Gäller från 1 mars 2024\nGiltig fr.o.m. 2024-03-01");
    EXPECT_EQ(f.count("giltig_till"), 0U);
    f = facts_of("Gäller från\t2025-03-01\nGäller till\t2028-02-28");
    EXPECT_EQ(f.at("giltig_till").value, date("2028-02-28"));
    // "gäller tills vidare" in running text, and "Gäller" as a label.
    for (const char* text : {"Dokumentet är antaget av KS 2022-10-03 och gäller tills vidare.", "Gäller\tTills vidare",
                             "Riktlinjen gäller t.v."}) {
        f = facts_of(text);
        ASSERT_EQ(f.count("giltig_tills_vidare"), 1U) << text;
    }
    EXPECT_EQ(facts_of("Informationen ska vara tillgänglig tills vidare.").count("giltig_tills_vidare"), 0U);
}

TEST(TextFactsTest, MoreLabelsMunicipalitiesUse) {
    auto f = facts_of("Beslutsfattare\tKommundirektör\nBeslutsdatum\t3 mars 2025\nÄrendenummer\tKS 2025/77");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommundirektör"));
    EXPECT_EQ(f.at("beslutad").value, date("2025-03-03"));
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2025/77"));
    f = facts_of("Beslutande: Socialnämnden\nBeslutsdatum: 2025-01-29\nÄrendenr: 2025/12");
    EXPECT_EQ(f.at("beslutad_av").value, str("nämnd:socialnämnden"));
    EXPECT_EQ(f.at("diarienummer").value, str("2025/12"));
    EXPECT_EQ(scope_ids("Hemtjänst"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("särskilt boende"), (StringList{"socialtjanst"}));
    EXPECT_EQ(scope_ids("Hemsjukvård"), (StringList{"hsl"}));
}

TEST(TextFactsTest, ValidUntilFurtherNotice) {
    for (const char* text : {"Giltighetstid: t.v.", "Giltighetstid\tTills vidare", "Giltig till: tillsvidare",
                             "Gäller till och med: tills vidare", "GILTIGHETSTID T.V."}) {
        const auto f = facts_of(text);
        ASSERT_EQ(f.count("giltig_tills_vidare"), 1U) << text;
        EXPECT_EQ(f.at("giltig_tills_vidare").value, Value(true)) << text;
        EXPECT_EQ(f.count("giltig_till"), 0U) << text;
    }
}

TEST(ClassifyTitleTest, GoverningDocumentsByTheirTitles) {
    EXPECT_EQ(classify_title("Informationssäkerhetspolicy"), (StringList{"policy"}));
    EXPECT_EQ(classify_title("Policy för informationssäkerhet"), (StringList{"policy"}));
    EXPECT_EQ(classify_title("IT-policy"), (StringList{"policy"}));
    EXPECT_EQ(classify_title("Riktlinjer för behörighetshantering och loggning"), (StringList{"riktlinje"}));
    EXPECT_EQ(classify_title("Riktlinje för informationsklassning"), (StringList{"riktlinje", "informationsklassning"}));
    EXPECT_EQ(classify_title("Riskanalys hemtjänsten 2025"), (StringList{"riskanalys"}));
    EXPECT_EQ(classify_title("Uppföljning av riskanalys"), (StringList{"riskanalys"}));
    EXPECT_EQ(classify_title("Riskuppföljning HSL 2025"), (StringList{"riskanalys"}));
    EXPECT_EQ(classify_title("Risk- och sårbarhetsanalys 2023–2026"), (StringList{"riskanalys"}));
    EXPECT_EQ(classify_title("Klassning av information i verksamhetssystem"), (StringList{"informationsklassning"}));
    EXPECT_EQ(classify_title("Kontinuitetsplan för äldreomsorgen"), (StringList{"kontinuitetsplan"}));
    EXPECT_EQ(classify_title("Rutin för kontinuitetshantering"), (StringList{"kontinuitetsplan"}));
    EXPECT_EQ(classify_title("Ledningens genomgång av LIS 2025"), (StringList{"ledningens_genomgang"}));
    EXPECT_EQ(classify_title("LEDNINGENS GENOMGÅNG"), (StringList{"ledningens_genomgang"}));
    // File names: no å/ä/ö, words joined by '-', '_' or '%20'.
    EXPECT_EQ(classify_title("ledningens-genomgang-2025"), (StringList{"ledningens_genomgang"}));
    EXPECT_EQ(classify_title("Ledningens_genomgang_2025"), (StringList{"ledningens_genomgang"}));
    EXPECT_EQ(classify_title("risk%20och%20sarbarhetsanalys"), (StringList{"riskanalys"}));
    EXPECT_EQ(classify_title("informationssakerhetspolicy_v3"), (StringList{"policy"}));
    // Titles that name no role.
    EXPECT_EQ(classify_title("Delegationsordning"), StringList{});
    EXPECT_EQ(classify_title("Protokoll KS 2025-03-12"), StringList{});
    EXPECT_EQ(classify_title("Ledningens ansvar"), StringList{});
    EXPECT_EQ(classify_title(""), StringList{});
    // Every class classify_title gives is one of document_classes().
    for (const auto& c : document_classes()) EXPECT_FALSE(c.empty());
}

TEST(TextFactsTest, Diarienummer) {
    EXPECT_EQ(facts_of("Dnr KS 2024/123").at("diarienummer").value, str("KS 2024/123"));
    EXPECT_EQ(facts_of("Dnr: KS 2024/000123").at("diarienummer").value, str("KS 2024/000123"));
    EXPECT_EQ(facts_of("Diarienummer 2024/77").at("diarienummer").value, str("2024/77"));
    EXPECT_EQ(facts_of("Ärendet KS 2024/123 behandlades.").at("diarienummer").value, str("KS 2024/123"));
    EXPECT_EQ(facts_of("Dnr BUN 2025:42").at("diarienummer").value, str("BUN 2025:42"));
    // A bare year/number without a series of capitals is no diarienummer (a fraction, a page …).
    EXPECT_EQ(facts_of("Se sidan 2024/123 i bilagan.").count("diarienummer"), 0U);
    // The Dnr label wins over an earlier bare reference.
    EXPECT_EQ(facts_of("Se även KS 2019/1.\nDnr KS 2024/55").at("diarienummer").value, str("KS 2024/55"));
}

TEST(TextFactsTest, Protokollsutdrag) {
    const std::string text =
        "PROTOKOLLSUTDRAG\nKommunfullmäktige\nSammanträdesdatum 2022-10-31\n§ 87 Policy för informationssäkerhet\n"
        "Dnr KS 2022/456\nKommunstyrelsen har föreslagit en ny policy.\n"
        "Kommunfullmäktige beslutar att anta Policy för informationssäkerhet enligt bilaga.";
    const auto f = facts_of(text);
    EXPECT_EQ(f.at("beslutad").value, date("2022-10-31"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("antagen").value, date("2022-10-31"));
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2022/456"));
    EXPECT_EQ(f.at("dokumenttyp").value, str("protokoll"));
    EXPECT_THAT(f.at("beslutad").evidence, HasSubstr("beslutar att anta"));
    EXPECT_THAT(f.at("beslutad").evidence, HasSubstr("Sammanträdesdatum 2022-10-31"));
    // A nämnd's minutes.
    const auto n = facts_of("Socialnämnden\n2025-02-11\n§ 14 Riskuppföljning\nSocialnämnden beslutar att godkänna uppföljningen.");
    EXPECT_EQ(n.at("beslutad_av").value, str("nämnd:socialnämnden"));
    EXPECT_EQ(n.at("beslutad").value, date("2025-02-11"));
}

TEST(TextFactsTest, NothingStatedGivesNoFact) {
    const auto f = facts_of("Policyn ska vara beslutad av kommunfullmäktige.\nVi beslutar om åtgärder.");
    EXPECT_EQ(f.count("beslutad"), 0U);
    EXPECT_EQ(f.count("diarienummer"), 0U);
    EXPECT_TRUE(facts_of("").empty());
}

TEST(TextFactsTest, QuotesAreBoundedAndValidUtf8) {
    const std::string long_line = "Fastställd av kommunfullmäktige den 25 juni 2018 " + std::string(500, 'x') + "ÅÄÖ";
    const auto f = facts_of(long_line);
    const std::string& ev = f.at("beslutad").evidence;
    EXPECT_LT(ev.size(), 300U);
    EXPECT_THAT(ev, HasSubstr("…"));
}

// The kinds the blind documents (tests/data/documents/blind) showed, each in other phrasings.

TEST(TextFactsTest, KommundirektorsRevisionOfACouncilDocumentIsOnlyARevision) {
    for (const char* text : {"Antagen av kommunfullmäktige 2022-03-14, § 23\nReviderad 2025-01-20 av kommundirektören",
                             "Fastställd av KF den 14 mars 2022\nReviderad av kommundirektören den 20 januari 2025.",
                             "Antagen av kommunfullmäktige 2022-03-14. Uppdaterad 2025-01-20 av kommundirektör Anna Berg."}) {
        const auto f = facts_of(text);
        EXPECT_EQ(f.at("beslutad").value, date("2022-03-14")) << text;
        EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige")) << text;
        EXPECT_EQ(f.at("reviderad").value, date("2025-01-20")) << text;
    }
}

TEST(TextFactsTest, EditorialRevisionIsNeverADecision) {
    for (const char* text : {"1.0\t2019-04-08\tKommunfullmäktige § 56\tAntagen\n"
                             "2.1\t2025-03-03\tKommundirektören\tRedaktionell ändring av kontaktuppgifter",
                             "Antagen av kommunfullmäktige 2019-04-08\nRedaktionella ändringar 2025-03-03 av kommunstyrelsen",
                             "Fastställd av kommunfullmäktige den 8 april 2019\nRedaktionell revidering 3 mars 2025"}) {
        const auto f = facts_of(text);
        EXPECT_EQ(f.at("beslutad").value, date("2019-04-08")) << text;
        EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige")) << text;
        EXPECT_EQ(f.at("reviderad").value, date("2025-03-03")) << text;
    }
}

TEST(TextFactsTest, AProposalIsNeverADecision) {
    for (const char* line : {"Kommunstyrelsen föreslog 2024-09-10, § 150, att kommunfullmäktige antar policyn.",
                             "Kommunstyrelsen föreslår kommunfullmäktige den 10 september 2024 att anta policyn.",
                             "Förslag till beslut: Arbetsutskottet beslutar 2024-09-10 att fastställa riktlinjen."}) {
        const auto f = facts_of(std::string("Protokoll Kommunfullmäktige\nSammanträdesdatum 2024-10-03\n") + line +
                                "\nKommunfullmäktige beslutar att anta policyn.");
        EXPECT_EQ(f.at("beslutad").value, date("2024-10-03")) << line;
        EXPECT_EQ(f.at("antagen").value, date("2024-10-03")) << line;
        EXPECT_EQ(f.at("antagen_av").value, str("kommunfullmäktige")) << line;
    }
}

// A tjänsteskrivelse proposes: what "Kommunfullmäktige beslutar" under its "Förslag till beslut"
// heading is no decision, in any format. Outside minutes, such a heading opens a proposal that the
// next section heading closes.
TEST(TextFactsTest, AStaffReportsProposedDecisionIsNoDecision) {
    auto f = text_facts({TextBlock{"stycke 1", "TJÄNSTESKRIVELSE\nKommunledningsförvaltningen\n2025-01-15\nDnr KS 2025/12"},
                         TextBlock{"stycke 2", "Informationssäkerhetspolicy"},
                         TextBlock{"stycke 3", "Förslag till beslut"},
                         TextBlock{"stycke 4", "Kommunfullmäktige beslutar att anta informationssäkerhetspolicy enligt bilaga."},
                         TextBlock{"stycke 5", "Ärendet"},
                         TextBlock{"stycke 6", "Förvaltningen har tagit fram en ny policy."}});
    EXPECT_EQ(f.count("beslutad"), 0U);
    EXPECT_EQ(f.count("beslutad_av"), 0U);
    EXPECT_EQ(f.at("diarienummer").value, str("KS 2025/12"));
    // A policy with a proposal section: the decision after it counts, the proposal does not.
    f = text_facts({TextBlock{"stycke 1", "Informationssäkerhetspolicy"},
                    TextBlock{"stycke 2", "Förslag till beslut:"},
                    TextBlock{"stycke 3", "Beslutad av kommunstyrelsen 2023-03-01."},
                    TextBlock{"stycke 4", "Beslut"},
                    TextBlock{"stycke 5", "Antagen av kommunfullmäktige den 20 februari 2023, § 14."}});
    EXPECT_EQ(f.at("beslutad").value, date("2023-02-20"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
}

// A front page in four columns (label, value, label, value), as a DOCX/ODT table row gives it (tabs)
// and as a PDF gives it (spaces): each pair is read as in two columns.
TEST(TextFactsTest, AFourColumnFrontPageIsReadPairByPairInEveryFormat) {
    for (const char* sep : {"\t", " "}) {
        const std::string s = sep;
        const auto f = facts_of("Informationssäkerhetspolicy\n"
                                "Dokumenttyp" + s + "Policy" + s + "Dokumentägare" + s + "Kommundirektör\n"
                                "Beslutad av" + s + "Kommunfullmäktige" + s + "Beslutsdatum" + s + "2023-03-27\n"
                                "Reviderad" + s + "2024-11-25" + s + "Giltighetstid" + s + "t.v.\n"
                                "Dnr" + s + "KS 2024/123" + s + "Omfattning" + s + "Samtliga förvaltningar\n");
        SCOPED_TRACE(s == "\t" ? "tabs" : "spaces");
        EXPECT_EQ(f.at("dokumenttyp").value, str("policy"));
        EXPECT_EQ(f.at("dokumentagare").value, str("Kommundirektör"));
        EXPECT_EQ(f.at("beslutad").value, date("2023-03-27"));
        EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
        EXPECT_EQ(f.at("reviderad").value, date("2024-11-25"));
        EXPECT_EQ(f.at("giltig_tills_vidare").value, Value(true));
        EXPECT_EQ(f.at("diarienummer").value, str("KS 2024/123"));
        EXPECT_EQ(f.at("omfattning").value, Value(StringList{"socialtjanst", "hsl"}));
    }
    // Running text that starts with a label keeps its capitalised words: "Fastställd av
    // Kommunfullmäktige" is a body, not a label of its own.
    const auto f = facts_of("Fastställd av Kommunfullmäktige den 25 juni 2018, § 129 Dokumentägare Kommundirektör\n");
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("dokumentagare").value, str("Kommundirektör"));
}

// A version history table (DOCX/ODT): the latest row by a body that adopts is the decision, an
// official's editorial change only a revision.
TEST(TextFactsTest, AVersionHistoryTableGivesTheLatestDecision) {
    const auto f = facts_of("Informationssäkerhetspolicy\n"
                            "Antagen av kommunfullmäktige 31 oktober 2022, § 88\n"
                            "Revisionshistorik\n"
                            "Version\tDatum\tBeslutad av\tÄndring\n"
                            "1.0\t2022-10-31\tKommunfullmäktige\tNy policy\n"
                            "1.1\t2023-05-02\tInformationssäkerhetssamordnare\tRedaktionell ändring\n"
                            "2.0\t2025-02-24\tKommunfullmäktige\tRevidering efter ny lagstiftning\n"
                            "Syfte\n");
    EXPECT_EQ(f.at("beslutad").value, date("2025-02-24"));
    EXPECT_EQ(f.at("beslutad_av").value, str("kommunfullmäktige"));
    EXPECT_EQ(f.at("antagen").value, date("2022-10-31"));
    EXPECT_THAT(f.at("beslutad").evidence, HasSubstr("Revidering efter ny lagstiftning"));
}

TEST(TextFactsTest, RegistryNumberWithADot) {
    EXPECT_EQ(facts_of("Diarienummer: SN 2025.118").at("diarienummer").value, str("SN 2025.118"));
    EXPECT_EQ(facts_of("Dnr KS 2024.0301").at("diarienummer").value, str("KS 2024.0301"));
    EXPECT_EQ(facts_of("Beslutad av kommunstyrelsen. BUN 2023.42").at("diarienummer").value, str("BUN 2023.42"));
    // A date written with dots is no registry number.
    EXPECT_EQ(facts_of("Dnr 2024.05.12").count("diarienummer"), 0U);
}

TEST(TextFactsTest, ValidityInWholeYears) {
    EXPECT_EQ(facts_of("Giltighetstid: 2024–2026").at("giltig_till").value, date("2026-12-31"));
    EXPECT_EQ(facts_of("Giltighetstid 2024 - 2025").at("giltig_till").value, date("2025-12-31"));
    EXPECT_EQ(facts_of("Gäller till: 2027").at("giltig_till").value, date("2027-12-31"));
    // A law cited after the label is no period.
    EXPECT_EQ(facts_of("Gäller enligt lag (2018:218)").count("giltig_till"), 0U);
}

TEST(TextFactsTest, ValidityDateInADecisionSentenceIsNotTheDecisionsDate) {
    for (const char* line : {"Socialnämnden beslutar att fastställa riktlinjen. Riktlinjen gäller till och med 2026-06-30.",
                             "Socialnämnden beslutar att fastställa riktlinjen, som gäller t.o.m. 30 juni 2026.",
                             "Socialnämnden beslutar att fastställa riktlinjen och att den ska gälla till och med 2026-06-30."}) {
        const auto f = facts_of(std::string("PROTOKOLL Socialnämnden\nSammanträdesdatum: 2021-11-24\n§ 45 Riktlinje\n") + line);
        EXPECT_EQ(f.at("beslutad").value, date("2021-11-24")) << line;
        EXPECT_EQ(f.at("beslutad_av").value, str("nämnd:socialnämnden")) << line;
        EXPECT_EQ(f.at("antagen").value, date("2021-11-24")) << line;
        EXPECT_EQ(f.at("giltig_till").value, date("2026-06-30")) << line;
    }
    // Outside minutes too.
    const auto f = facts_of("Fastställd av kommunstyrelsen 2023-02-01 och gäller till och med 2025-12-31.");
    EXPECT_EQ(f.at("beslutad").value, date("2023-02-01"));
    EXPECT_EQ(f.at("giltig_till").value, date("2025-12-31"));
}

TEST(TextFactsTest, BareDatumBesideADecidingBody) {
    for (const char* text : {"Beslutsinstans\tBarn- och utbildningsnämnden\nDatum\t2024-01-29, § 7",
                             "Beslutande organ: Socialnämnden\nDatum: 29 januari 2024",
                             "Datum | 2024-01-29\nFastställd av | Barn- och utbildningsnämnden"}) {
        const auto f = facts_of(text);
        EXPECT_EQ(f.at("beslutad").value, date("2024-01-29")) << text;
    }
    // A bare Datum alone is no decision.
    EXPECT_EQ(facts_of("Riktlinje för loggning\nDatum: 2024-01-29").count("beslutad"), 0U);
}

TEST(TextFactsTest, HeaderRowOfLabelsIsNotAValue) {
    for (const char* text : {"Dokumenttyp\tBeslutad av\tDatum\tDnr\nRiktlinje\tKommunstyrelsen\t2023-05-12\tKS 2023/145",
                             "Dokumentslag\tFastställd av\tDiarienummer\nRiktlinje\tKommunstyrelsen 2023-05-12\tKS 2023/145",
                             "Typ av dokument\tBeslutsinstans\tBeslutsdatum\nRiktlinje\tKommunstyrelsen\t2023-05-12"}) {
        const auto f = facts_of(text);
        ASSERT_EQ(f.count("dokumenttyp"), 1U) << text;
        EXPECT_EQ(f.at("dokumenttyp").value, str("riktlinje")) << text;
    }
}

}  // namespace
}  // namespace lisa
