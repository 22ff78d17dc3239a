// SPDX-License-Identifier: Apache-2.0
// The label catalogue (lisa/report/labels.hpp, rules/labels/labels.yaml): every key in both
// languages, every fact the rule pack uses labelled in Swedish, the engine's structured results
// worded without fact ids or regular expressions, and a municipality's override file read with
// every problem located (issue 10 item 5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "lisa/report/could_not_check.hpp"
#include "lisa/report/labels.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/rules/condition.hpp"
#include "process.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Labels& L() { return Labels::builtin(); }

ResultDetail one(std::string fact, std::string op, std::string expected, std::string observed) {
    ResultDetail d;
    d.clauses.push_back({std::move(fact), std::move(op), std::move(expected), std::move(observed), false});
    return d;
}

TEST(LabelCatalogue, EveryKeyHasSwedishAndEnglishText) {
    ASSERT_FALSE(L().words().empty());
    for (const auto& [key, text] : L().words()) {
        EXPECT_FALSE(text.sv.empty()) << key << " has no Swedish text";
        EXPECT_FALSE(text.en.empty()) << key << " has no English text";
    }
    for (const auto& [fact, text] : L().facts()) {
        EXPECT_FALSE(text.sv.empty()) << "fact " << fact << " has no Swedish label";
        EXPECT_FALSE(text.en.empty()) << "fact " << fact << " has no English label";
    }
}

TEST(LabelCatalogue, TheInstalledFileIsTheCompiledInOne) {
    EXPECT_EQ(testing_support::read_file(std::string(LISA_SOURCE_DIR) + "/rules/labels/labels.yaml"),
              std::string(builtin_labels_yaml()));
}

TEST(LabelCatalogue, EveryFactTheRulePackUsesHasASwedishLabel) {
    namespace fs = std::filesystem;
    const std::regex fact_ref(R"(fact:\s*([A-Za-z0-9_.]+))");
    std::set<std::string> used;
    for (const auto& entry : fs::directory_iterator(std::string(LISA_SOURCE_DIR) + "/rules")) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        const std::string text = testing_support::read_file(entry.path().string());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), fact_ref); it != std::sregex_iterator(); ++it) {
            used.insert((*it)[1].str());
        }
    }
    ASSERT_GT(used.size(), 50U);  // the pack's rules were found
    for (const auto& fact : used) {
        const auto it = L().facts().find(fact);
        EXPECT_TRUE(it != L().facts().end() && !it->second.sv.empty())
            << "the rule pack uses " << fact << " without a Swedish label in rules/labels/labels.yaml";
    }
}

// The inventory's own ids reach the reader as values ("saknar socialtjanst") and as columns (a
// document's role); each has words, so no Swedish report shows an id. So does each probe kind.
TEST(LabelCatalogue, EveryInventoryIdAndProbeKindHasWords) {
    std::vector<std::string> ids = document_roles();
    ids.insert(ids.end(), isms_roles().begin(), isms_roles().end());
    ids.insert(ids.end(), scopes().begin(), scopes().end());
    for (const auto& id : ids) {
        EXPECT_EQ(L().words().count("value." + id), 1U) << id << " has no words in rules/labels/labels.yaml";
        EXPECT_THAT(L().value(id, "sv"), Not(HasSubstr("_"))) << id;
    }
    EXPECT_EQ(L().value("ledningens_genomgang", "sv"), "ledningens genomgång");
    EXPECT_EQ(L().result(one("organization.isms.scopes", "contains", "socialtjanst", "[hsl]"), "sv").find("socialtjanst"),
              std::string::npos);
    ProbeRegistry registry;
    register_builtin_probes(registry);
    for (const auto& probe : registry.probes()) {
        EXPECT_EQ(L().words().count("probe.kind." + probe->spec().kind), 1U) << probe->spec().kind;
    }
}

TEST(LabelCatalogue, EveryOperatorHasAWording) {
    for (const auto& op : operator_names()) {
        EXPECT_EQ(L().words().count("result.op." + op), 1U) << op;
    }
    for (const char* special : {"not_stated", "provenance", "other"}) {
        EXPECT_EQ(L().words().count(std::string("result.op.") + special), 1U) << special;
    }
}

// The issue's examples: "document.beslutad is … expected within 365 days" and "… is password,
// expected equals strong".
TEST(ResultWording, TheIssuesExamplesReadAsSwedish) {
    const ResultDetail age = one("document.beslutad", "within_days", "365", "2024-01-10");
    EXPECT_EQ(L().result(age, "sv"), "Dokumentets beslutsdatum är 2024-01-10, får ligga högst 365 dagar bakåt i tiden");
    EXPECT_EQ(L().result(age, "en"), "The document's decision date is 2024-01-10, should be at most 365 days old");
    const ResultDetail auth = one("system.authentication.external", "equals", "strong", "password");
    EXPECT_EQ(L().result(auth, "sv"), "Systemets inloggning utifrån är lösenord, ska vara stark");
    EXPECT_EQ(L().result(auth, "en"), "The system's login from outside is password, should be strong");
}

TEST(ResultWording, BooleansListsAndNumbersInSwedish) {
    EXPECT_EQ(L().result(one("tls.protocol.tls1_0", "equals", "false", "true"), "sv"),
              "Att den föråldrade krypteringen TLS 1.0 accepteras är ja, ska vara nej");
    EXPECT_EQ(L().result(one("document.roles_missing", "equals", "[]", "[policy, riktlinje]"), "sv"),
              "Dokumenttyper som saknas är policy, riktlinje, ska vara tomt");
    EXPECT_EQ(L().result(one("ad.domain.min_password_length", "gte", "12", "7"), "sv"),
              "Minsta lösenordslängd i domänen är 7, ska vara minst 12");
}

TEST(ResultWording, AnUnknownFactIsANeutralPhraseNeverTheId) {
    const std::string sv = L().result(one("kommun.egen_uppgift", "equals", "true", "false"), "sv");
    EXPECT_THAT(sv, Not(HasSubstr("kommun.egen_uppgift")));
    EXPECT_THAT(sv, HasSubstr("En kontrollerad uppgift"));
    EXPECT_THAT(L().result(one("kommun.egen_uppgift", "equals", "true", "false"), "en"),
                Not(HasSubstr("kommun.egen_uppgift")));
}

TEST(ResultWording, AMatchesClauseNeverShowsTheRegularExpression) {
    const std::string sv = L().result(one("document.diarienummer", "matches", "^[A-Z]{2,4} \\d{4}/\\d+$", "x"), "sv");
    EXPECT_THAT(sv, Not(HasSubstr("\\d")));
    EXPECT_THAT(sv, Not(HasSubstr("^[")));
    EXPECT_EQ(sv, "Dokumentets diarienummer har inte den form som krävs");
}

TEST(ResultWording, NotStatedProvenanceAnyOfWhereNoneAndAccounts) {
    EXPECT_EQ(L().result(one("document.diarienummer", "not_stated", "", ""), "sv"),
              "Uppgift saknas om dokumentets diarienummer");
    EXPECT_EQ(L().result(one("system.classified", "provenance", "document", "declared"), "sv"),
              "Uppgiften om att systemet är informationsklassat är bara uppgiven, regeln kräver att den är styrkt av "
              "dokument");
    ResultDetail any = one("endpoint.scheme", "equals", "https", "http");
    any.clauses.push_back({"tls.protocol.tls1_0", "equals", "false", "true", false});
    any.any_of = true;
    EXPECT_EQ(L().result(any, "sv"),
              "Inget av alternativen gäller: tjänstens protokoll är http, ska vara https; att den föråldrade "
              "krypteringen TLS 1.0 accepteras är ja, ska vara nej");
    ResultDetail where = one("system.personal_data", "equals", "true", "false");
    where.where = true;
    EXPECT_EQ(L().result(where, "sv"), "Gäller inte här: att systemet hanterar personuppgifter är nej, ska vara ja");
    ResultDetail none = one("tls.protocol.ssl3", "equals", "true", "true");
    none.clauses[0].negated = true;
    EXPECT_EQ(L().result(none, "sv"), "Att den föråldrade krypteringen SSL 3 accepteras är ja, vilket inte får förekomma");
    // The accounts behind a count are the finding's own (ReportFinding::accounts, capped), shown
    // once beside the result by each writer, never inside the result's words.
    const ResultDetail count = one("group.enabled_stale", "equals", "0", "2");
    EXPECT_EQ(L().result(count, "sv"), "Antal aktiva men oanvända konton är 2, ska vara 0");
}

TEST(LabelOverride, AFileReplacesTheKeysItGivesAndKeepsTheRest) {
    Diagnostics diagnostics;
    const Labels mine = Labels::overlay(L(),
                                        {"mina-ord.yaml",
                                         "schema_version: 1\n"
                                         "labels:\n  status.fail: { sv: \"brist\" }\n"
                                         "facts:\n  document.beslutad: { sv: \"beslutsdag\", en: \"decision day\" }\n"},
                                        diagnostics);
    EXPECT_TRUE(diagnostics.empty());
    EXPECT_EQ(mine.word("status.fail", "sv"), "brist");
    EXPECT_EQ(mine.word("status.fail", "en"), "fail");  // not given: the shipped English stays
    EXPECT_EQ(mine.word("status.pass", "sv"), "godkänd");
    EXPECT_EQ(mine.fact("document.beslutad", "sv"), "beslutsdag");
    EXPECT_EQ(L().fact("document.beslutad", "sv"), "dokumentets beslutsdatum");  // the shipped one untouched
}

// Survey caveats are worded from the catalogue: the directory's counts filled into the
// municipality's own words, and a caveat without counts from the finding's result, never the
// engine's English line.
TEST(LabelOverride, SurveyCaveatsAreWordedFromTheCatalogue) {
    IndicatorCaveat counted;
    counted.rule = "AUTH-006";
    counted.subject = "sabo/personal";
    counted.message = "group.enabled_without_strong_auth is 297, expected equals 0";
    counted.enabled = 300;
    counted.without_strong_auth = 297;
    EXPECT_THAT(caveat_message(counted, "sv"), HasSubstr("katalogen visar 297 av 300 aktiva konton"));
    EXPECT_THAT(caveat_message(counted, "en"), HasSubstr("the directory shows 297 of 300 enabled accounts"));
    Diagnostics diagnostics;
    const Labels mine = Labels::overlay(
        L(), {"ord.yaml", "schema_version: 1\nlabels:\n  caveat.declared_strong_counted: { sv: \"{missing} av {enabled} saknar kort\" }\n"},
        diagnostics);
    ASSERT_TRUE(diagnostics.empty());
    EXPECT_EQ(caveat_message(counted, mine, "sv"), "297 av 300 saknar kort");

    IndicatorCaveat other;
    other.rule = "KAT-013";
    other.subject = "sabo/personal";
    other.message = "group.enabled_without_strong_auth is 297, expected <= 0";
    other.result = one("group.enabled_without_strong_auth", "lte", "0", "297");
    const std::string sv = caveat_message(other, "sv");
    EXPECT_THAT(sv, HasSubstr("297"));
    EXPECT_THAT(sv, Not(HasSubstr("group.")));
    EXPECT_THAT(sv, Not(HasSubstr("expected")));
    other.result = {};
    EXPECT_EQ(caveat_message(other, "sv"), other.message);  // an older report: its own words
}

// "Could not check" is worded from the catalogue: every cause has its count phrases, its advice
// and its example in both languages (a missing key would print as "cause.…"), and a
// municipality's override rewords the summary's lines and each check's row.
TEST(LabelOverride, CouldNotCheckCausesAreWordedFromTheCatalogue) {
    const Cause all[] = {Cause::Resolve, Cause::Connect, Cause::Timeout, Cause::Tls,      Cause::CaFile,     Cause::Secret,
                         Cause::Bind,    Cause::Paging,  Cause::File,    Cause::Document, Cause::NoDecision, Cause::GroupNotFound,
                         Cause::UnreadableMembers, Cause::Other};
    for (const Cause c : all) {
        for (const char* lang : {"sv", "en"}) {
            CauseGroup group;
            group.cause = c;
            group.example_target = "intranat.kommun.se:443";
            for (const std::string& text : {cause_text(c, 1, lang), cause_text(c, 2, lang), cause_advice(c, lang),
                                            cause_example(group, "sv")}) {
                EXPECT_THAT(text, Not(HasSubstr("cause."))) << static_cast<int>(c) << ' ' << lang;
                EXPECT_THAT(text, Not(HasSubstr("{target}"))) << static_cast<int>(c) << ' ' << lang;
            }
        }
    }
    CauseGroup scanned{Cause::Document, 1, {"policy.pdf"}, "scanned PDF without a text layer", "policy.pdf"};
    EXPECT_EQ(cause_example(scanned, "sv"), "policy.pdf är en inskannad PDF utan textlager");
    EXPECT_EQ(cause_example(scanned, "en"), "scanned PDF without a text layer");  // the probe's own words

    Diagnostics diagnostics;
    const Labels mine = Labels::overlay(L(),
                                        {"ord.yaml", "schema_version: 1\nlabels:\n"
                                                     "  cause.connect.many: { sv: \"servrar nås inte\" }\n"
                                                     "  cause.connect.one: { sv: \"servern nås inte\" }\n"
                                                     "  cause.connect.advice: { sv: \"ring IT-jouren\" }\n"
                                                     "  cause.connect.example: { sv: \"{target} är nere\" }\n"},
                                        diagnostics);
    ASSERT_TRUE(diagnostics.empty());
    EXPECT_EQ(cause_text(Cause::Connect, 3, "sv", mine), "3 servrar nås inte");
    EXPECT_EQ(cause_for_check("cannot connect to 10.0.0.1:443: Connection refused", "sv", mine),
              "servern nås inte – ring IT-jouren");
    CauseGroup down{Cause::Connect, 1, {"10.0.0.1:443"}, "cannot connect", "10.0.0.1:443"};
    EXPECT_EQ(cause_example(down, "sv", mine), "10.0.0.1:443 är nere");
    EXPECT_EQ(cause_text(Cause::Connect, 3, "en", mine), "3 addresses do not answer");  // en kept
}

TEST(LabelOverride, EveryProblemIsReportedWithItsLocationInOneRun) {
    Diagnostics diagnostics;
    const Labels mine = Labels::overlay(L(),
                                        {"fel.yaml",
                                         "schema_version: 1\n"
                                         "labels:\n"
                                         "  status.fail: brist\n"
                                         "  status.pass: { sv: [a], fr: \"x\" }\n"
                                         "färger: {}\n"},
                                        diagnostics);
    ASSERT_GE(diagnostics.items().size(), 4U);
    for (const auto& d : diagnostics.items()) {
        EXPECT_EQ(d.location.file, "fel.yaml");
        EXPECT_GT(d.location.line, 0) << d.to_string();
        EXPECT_GT(d.location.column, 0) << d.to_string();
    }
    EXPECT_EQ(mine.word("status.fail", "sv"), "underkänd");  // nothing of a bad file is used
}

// A misspelt key changed nothing and said nothing: every word key the shipped catalogue lacks is
// an error at its place, the rest of the file is not used, and fact labels stay open.
TEST(LabelOverride, AWordLisaDoesNotUseIsAnErrorAtItsKey) {
    Diagnostics diagnostics;
    const Labels mine = Labels::overlay(L(),
                                        {"ord.yaml",
                                         "schema_version: 1\n"
                                         "labels:\n"
                                         "  status.fail: { sv: \"brist\" }\n"
                                         "  status.fial: { sv: \"brist\" }\n"
                                         "  board.titel: { sv: \"Rapport\" }\n"
                                         "facts:\n"
                                         "  http.status: { sv: \"svarskod\" }\n"},
                                        diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 2U);
    EXPECT_EQ(diagnostics.items()[0].to_string(),
              "ord.yaml:4:3: 'status.fial' is not a word lisa uses, so it would change nothing: the keys are "
              "those of the shipped rules/labels/labels.yaml");
    EXPECT_THAT(diagnostics.items()[1].to_string(), HasSubstr("ord.yaml:5:3: 'board.titel' is not a word"));
    EXPECT_EQ(mine.word("status.fail", "sv"), "underkänd");  // nothing of a bad file is used
    Diagnostics fine;
    const Labels facts = Labels::overlay(L(), {"f.yaml", "facts:\n  http.status: { sv: \"svarskod\" }\n"}, fine);
    EXPECT_TRUE(fine.empty());
    EXPECT_EQ(facts.fact("http.status", "sv"), "svarskod");
}

TEST(LabelOverride, NotYamlIsOneLocatedError) {
    Diagnostics diagnostics;
    (void)Labels::overlay(L(), {"trasig.yaml", "labels: { a: [\n"}, diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1U);
    EXPECT_THAT(diagnostics.items()[0].to_string(), HasSubstr("trasig.yaml:"));
}

// The new user's examples: "Dokumentets omfattning är inte angivet" (omfattning is an en-word) and
// "beslutsdatum är bara intygad" (an ett-word). Every phrase is worded round the fact, so it reads
// right whatever the fact's noun: an en-word, an ett-word, a plural or an "att"-clause.
TEST(ResultWording, NotStatedAndProvenanceAgreeWithAnyNoun) {
    EXPECT_EQ(L().result(one("document.omfattning", "not_stated", "", ""), "sv"),
              "Uppgift saknas om dokumentets omfattning");
    EXPECT_EQ(L().result(one("document.beslutad", "provenance", "document", "attested"), "sv"),
              "Uppgiften om dokumentets beslutsdatum är bara intygad, regeln kräver att den är styrkt av dokument");
    EXPECT_EQ(L().result(one("document.beslutad", "provenance", "probed", "declared"), "sv"),
              "Uppgiften om dokumentets beslutsdatum är bara uppgiven, regeln kräver att den är kontrollerad");
    for (const auto& [fact, text] : L().facts()) {
        EXPECT_EQ(L().result(one(fact, "not_stated", "", ""), "sv").substr(0, 18), "Uppgift saknas om ") << fact;
    }
}

// The mechanism behind both: a Swedish predicate after "{fact} är" must agree with the fact's
// gender, which the catalogue does not know. So in every result phrase "{fact} är" is followed by
// the value ({observed}), never by an adjective or participle ("angivet", "gammalt", "intygad").
TEST(ResultWording, NoSwedishPhraseHasAnAdjectiveThatMustAgreeWithTheFact) {
    for (const auto& [key, text] : L().words()) {
        if (key.rfind("result.", 0) != 0) continue;
        for (std::size_t at = text.sv.find("{fact} är"); at != std::string::npos; at = text.sv.find("{fact} är", at + 1)) {
            // "uppgiften om {fact} är …": the subject is "uppgiften" (an en-word), not the fact.
            const bool about = at >= 13 && text.sv.compare(at - 13, 13, "uppgiften om ") == 0;
            EXPECT_TRUE(about || text.sv.compare(at, 21, "{fact} är {observed}") == 0) << key << ": " << text.sv;
        }
        for (const char* agreeing : {"angivet", "angiven", "gammalt", "gammal ", "ifyllt", "ifylld"}) {
            EXPECT_THAT(text.sv, Not(HasSubstr(agreeing))) << key;
        }
    }
}

// Item 3: a decision dated after the audit date is not "too old" but in the future.
TEST(ResultWording, ADateAfterTheAuditDateIsSaidToBeInTheFuture) {
    const ResultDetail future = one("document.beslutad", "within_days", "1095", "2031-09-15");
    EXPECT_EQ(L().result(future, "sv", "2026-11-30"),
              "Dokumentets beslutsdatum är 2031-09-15, som ligger i framtiden (granskningsdagen är 2026-11-30)");
    EXPECT_EQ(L().result(future, "en", "2026-11-30"),
              "The document's decision date is 2031-09-15, which is in the future (the audit date is 2026-11-30)");
    // The day itself and the past are worded by age; without an audit date, too.
    EXPECT_EQ(L().result(one("document.beslutad", "within_days", "1095", "2020-01-01"), "sv", "2026-11-30"),
              "Dokumentets beslutsdatum är 2020-01-01, får ligga högst 1095 dagar bakåt i tiden");
    EXPECT_THAT(L().result(one("document.beslutad", "within_days", "1", "2026-11-30"), "sv", "2026-11-30"),
                Not(HasSubstr("framtiden")));
    EXPECT_THAT(L().result(future, "sv"), Not(HasSubstr("framtiden")));
    // Inside an `any` block, too.
    ResultDetail any = future;
    any.clauses.push_back({"document.diarienummer", "not_stated", "", "", false});
    any.any_of = true;
    EXPECT_THAT(L().result(any, "sv", "2026-11-30"), HasSubstr("2031-09-15, som ligger i framtiden"));
}

// Issue example: a document fact's source in the probe's words, shown in a Swedish report.
TEST(EvidenceSource, DocumentSourcesAreWordedInTheReportsLanguage) {
    const std::string source = "policy.pdf p. 1: \"Fastställd av kommunstyrelsen 2021-02-10\" (disagrees: metadata subject: "
                               "\"subject: Beslutad av kommunstyrelsen 2021-02-10\" says 2021-02-10)";
    EXPECT_EQ(L().evidence_source("document.beslutad", source, "sv"),
              "policy.pdf s. 1: \"Fastställd av kommunstyrelsen 2021-02-10\" (motsägs av: metadata subject: "
              "\"subject: Beslutad av kommunstyrelsen 2021-02-10\" som anger 2021-02-10)");
    EXPECT_EQ(L().evidence_source("document.beslutad", source, "en"), source);
    // Every location the readers write, both ways.
    EXPECT_EQ(L().evidence_source("document.diarienummer", "p.docx stycke 12: \"Dnr KS 2024/1\"", "en"),
              "p.docx paragraph 12: \"Dnr KS 2024/1\"");
    EXPECT_EQ(L().evidence_source("document.beslutad", "a.docx sidhuvud 2: \"x\"", "en"), "a.docx header 2: \"x\"");
    EXPECT_EQ(L().evidence_source("document.beslutad", "a.docx sidfot 1: \"x\"", "en"), "a.docx footer 1: \"x\"");
    EXPECT_EQ(L().evidence_source("document.beslutad", "a.odt sidhuvud/sidfot 1: \"x\"", "en"), "a.odt header/footer 1: \"x\"");
    EXPECT_EQ(L().evidence_source("document.beslutad", "a.pdf p. 12: \"x\"", "sv"), "a.pdf s. 12: \"x\"");
    // A sidecar's statement.
    EXPECT_EQ(L().evidence_source("document.beslutad", "a.pdf.lisa.yaml:2:1 (attested by Anna Berg for sha256 0123456789abcdef…)",
                                  "sv"),
              "a.pdf.lisa.yaml:2:1 (intygat av Anna Berg för sha256 0123456789abcdef…)");
    // The document's own words are never changed, even where they look like a location.
    EXPECT_EQ(L().evidence_source("document.omfattning", "a.pdf p. 2: \"se p. 3 (disagrees: says)\"", "sv"),
              "a.pdf s. 2: \"se p. 3 (disagrees: says)\"");
    // Only document facts: another probe's source is its own.
    EXPECT_EQ(L().evidence_source("tls.protocol.tls1_0", "p. 1 says", "sv"), "p. 1 says");
}

TEST(EvidenceSource, ConflictsNameTheFactAndBothSidesInSwedish) {
    EXPECT_EQ(L().conflict("beslutad: p. 1: \"Antagen 2021-02-10\" says 2021-02-10, metadata subject: \"x\" says 2021-03-01", "sv"),
              "dokumentets beslutsdatum: s. 1: \"Antagen 2021-02-10\" anger 2021-02-10, metadata subject: \"x\" anger 2021-03-01");
    EXPECT_EQ(L().conflict("beslutad: front matter says 2024-01-01, p. 2: \"x\" says 2023-01-01", "sv"),
              "dokumentets beslutsdatum: YAML-huvudet anger 2024-01-01, s. 2: \"x\" anger 2023-01-01");
}

}  // namespace
}  // namespace lisa
