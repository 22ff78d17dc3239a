// SPDX-License-Identifier: Apache-2.0
#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "lisa/rules/loader.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::diagnostics_as_text;
using testing_support::find_diagnostic;
using testing_support::has_diagnostic;

class RuleLoaderTest : public ::testing::Test {
protected:
    RuleSet load(std::string_view yaml, std::string origin = "inline.yaml") {
        return load_rules({SourceText{std::move(origin), std::string(yaml)}}, builtin_.catalog);
    }
    RuleSet load_files(const std::vector<SourceText>& files) {
        return load_rules(files, builtin_.catalog);
    }
    FactCatalog& catalog() { return builtin_.catalog; }

    testing_support::BuiltinCatalog builtin_;
};

// A rule with the given `expect:` line (line 7 of the text; the text starts with a newline).
std::string rule_with_expect(std::string_view for_each, std::string_view expect) {
    return "\n"
           "- id: R-001\n"                       // line 2
           "  title: A rule\n"                   // 3
           "  area: isms\n"                      // 4
           "  severity: high\n"                  // 5
           "  for_each: " + std::string(for_each) + "\n"  // 6
           "  expect: " + std::string(expect) + "\n"      // 7
           "  remediation: Fix it\n";            // 8
}

// --- areas -----------------------------------------------------------------------------------

TEST_F(RuleLoaderTest, ReadsTheAreasAPackDeclaresWithTheirTitles) {
    const RuleSet result = load_files(
        {SourceText{"areas.yaml", "schema_version: 1\nareas:\n"
                                  "  - { id: lis, title: { sv: Ledningssystem, en: Management system } }\n"
                                  "  - { id: katalog, title: { sv: Katalogtjänst, en: Directory } }\n"},
         SourceText{"r.yaml", rule_with_expect("organization", "{ fact: organization.population, gte: 1 }")}});
    ASSERT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
    ASSERT_EQ(result.areas.size(), 2U);
    EXPECT_EQ(result.areas[0].id, "katalog");  // sorted by id
    ASSERT_NE(result.find_area("katalog"), nullptr);
    EXPECT_EQ(result.find_area("katalog")->title.sv, "Katalogtjänst");
    EXPECT_EQ(result.find_area("lis")->title.en, "Management system");
    EXPECT_EQ(result.find_area("isms"), nullptr);  // named by the rule, not declared: loaded all the same
    EXPECT_EQ(result.rules.size(), 1U);
}

TEST_F(RuleLoaderTest, ReportsADuplicateAreaAndAnAreaWithoutTitle) {
    const RuleSet result = load_files(
        {SourceText{"a.yaml", "schema_version: 1\nareas:\n  - { id: lis, title: { sv: A, en: A } }\n"},
         SourceText{"b.yaml", "schema_version: 1\nareas:\n  - { id: lis, title: { sv: B, en: B } }\n"
                              "  - { id: tls }\n  - { id: x, title: { sv: X, en: X }, colour: red }\n"}});
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 3, 5, "duplicate area id 'lis' (first declared at a.yaml:3)"))
        << diagnostics_as_text(result.diagnostics);
    EXPECT_THAT(diagnostics_as_text(result.diagnostics), HasSubstr("b.yaml:4:5"));   // no title
    EXPECT_THAT(diagnostics_as_text(result.diagnostics), HasSubstr("unknown key 'colour'"));
}

// --- syntax, keys and types ------------------------------------------------------------------

TEST_F(RuleLoaderTest, ReportsYamlSyntaxErrorWithItsLocation) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  title: x: y
  area: isms
)yaml");
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
    const Diagnostic& diag = result.diagnostics.items().front();
    EXPECT_EQ(diag.location.file, "inline.yaml");
    EXPECT_EQ(diag.location.line, 3);
    EXPECT_EQ(diag.location.column, 11);
    EXPECT_THAT(diag.message, HasSubstr("yaml: illegal map value"));
    EXPECT_TRUE(result.rules.empty());
}

TEST_F(RuleLoaderTest, ReportsUnknownKeyWithDidYouMean) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  titel: Population stated
  area: isms
  severity: high
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: State it
)yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 3, 3,
                               "unknown key 'titel' in a rule (did you mean 'title'?)"));
    // ... and the missing title is reported at the rule.
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 2, 3, "rule ORG-001 has no 'title'"));
}

TEST_F(RuleLoaderTest, ReportsSeverityThatIsAList) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  title: t
  area: isms
  severity: [high]
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
)yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 5, 13, "'severity' must be a string, not a list"));
}

TEST_F(RuleLoaderTest, ReportsScoredThatIsNotABoolean) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  title: t
  area: isms
  severity: high
  scored: maybe
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
)yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 6, 11, "'scored' must be true or false, not 'maybe'"));
}

TEST_F(RuleLoaderTest, ReportsUnknownSeverityWithItsLocation) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  title: t
  area: isms
  severity: urgent
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
)yaml");
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 5, 13, "unknown severity 'urgent'"));
    EXPECT_THAT(result.diagnostics.items().front().message,
                HasSubstr("expected info|low|medium|high|critical"));
}

TEST_F(RuleLoaderTest, SuggestsTheNearestSeverity) {
    const RuleSet typo = load(R"yaml(
- id: ORG-001
  title: t
  area: isms
  severity: critcal
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
)yaml");
    EXPECT_TRUE(has_diagnostic(typo.diagnostics, 5, 13, "(did you mean 'critical'?)"));
}

TEST_F(RuleLoaderTest, ReportsDuplicateIdsAcrossFilesNamingTheFirstLocation) {
    const std::string rule = R"yaml(
- id: DUP-001
  title: t
  area: isms
  severity: low
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
)yaml";
    const std::string other = "\n\n# padding so the duplicate sits lower\n" + rule;
    const RuleSet result = load_files({{"rules/a.yaml", rule}, {"rules/b.yaml", other}});
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
    const Diagnostic& diag = result.diagnostics.items().front();
    EXPECT_EQ(diag.location.file, "rules/b.yaml");
    EXPECT_EQ(diag.location.line, 5);
    EXPECT_EQ(diag.location.column, 3);
    EXPECT_THAT(diag.message, HasSubstr("duplicate rule id 'DUP-001'"));
    EXPECT_THAT(diag.message, HasSubstr("first defined at rules/a.yaml:2"));
    // The first definition is kept.
    ASSERT_EQ(result.rules.size(), 1U);
    EXPECT_EQ(result.rules.front().location.file, "rules/a.yaml");
}

TEST_F(RuleLoaderTest, ReportsUnknownFactWithDidYouMean) {
    const RuleSet result =
        load(rule_with_expect("organization", "{ fact: organization.populaton, gte: 1 }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 19,
                               "unknown fact 'organization.populaton': no probe or inventory "
                               "provides it (did you mean 'organization.population'?)"));
}

TEST_F(RuleLoaderTest, ReportsFactNotVisibleToTheSubjectKind) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: endpoint.url, equals: x }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 19, "fact 'endpoint.url' is not visible to"));
    EXPECT_THAT(result.diagnostics.items().front().message, HasSubstr("organization"));
}

TEST_F(RuleLoaderTest, AncestorFactsAreVisible) {
    // An endpoint sees its system's and the organisation's facts.
    const RuleSet result = load(rule_with_expect(
        "endpoint", "{ all: [ { fact: system.sensitive_personal_data, equals: true }, "
                    "{ fact: organization.population, gte: 1 }, { fact: endpoint.port, equals: 443 } ] }"));
    EXPECT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
}

TEST_F(RuleLoaderTest, ReportsUnknownOperatorWithDidYouMean) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: organization.population, equal: 3 }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 44,
                               "unknown key 'equal' in a condition (did you mean 'equals'?)"));
}

TEST_F(RuleLoaderTest, ReportsConditionWithoutOperator) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: organization.population }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 11, "has no operator"));
}

TEST_F(RuleLoaderTest, ReportsConditionWithTwoOperators) {
    const RuleSet result =
        load(rule_with_expect("organization", "{ fact: organization.population, gte: 1, lte: 5 }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 11, "more than one operator"));
}

TEST_F(RuleLoaderTest, ReportsStringOperandOnIntegerFact) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: organization.population, gte: \"abc\" }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 49,
                               "'gte' on integer fact 'organization.population' needs a number, not string"));
}

TEST_F(RuleLoaderTest, ReportsWithinDaysOnAStringFact) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: organization.name, within_days: 30 }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 51,
                               "'within_days' on string fact 'organization.name' needs a date fact"));
}

TEST_F(RuleLoaderTest, ReportsInOperandThatIsNotAList) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: organization.name, in: x }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 42, "'in' takes a list"));
}

TEST_F(RuleLoaderTest, ReportsInvalidRegex) {
    const RuleSet result = load(rule_with_expect("organization", "{ fact: organization.name, matches: \"a(b\" }"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 47, "invalid regular expression 'a(b'"));
}

std::string nested_all(int levels) {
    std::string cond = "{ fact: organization.population, gte: 1 }";
    for (int i = 0; i < levels; ++i) {
        cond = "{ all: [ " + cond + " ] }";
    }
    return cond;
}

TEST_F(RuleLoaderTest, AcceptsNestingUpToTheLimit) {
    // kMaxConditionDepth combinators around the comparison: the comparison sits one deeper.
    const RuleSet result = load(rule_with_expect("organization", nested_all(kMaxConditionDepth - 1)));
    EXPECT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
}

TEST_F(RuleLoaderTest, ReportsNestingDeeperThanTheLimit) {
    const int levels = kMaxConditionDepth;  // comparison at depth kMaxConditionDepth + 1
    const RuleSet result = load(rule_with_expect("organization", nested_all(levels)));
    ASSERT_FALSE(result.ok());
    // The innermost map starts after "  expect: " (10 chars) and levels × "{ all: [ " (9 chars).
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 11 + 9 * levels,
                               "condition nested deeper than 16 levels"));
    EXPECT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
}

TEST_F(RuleLoaderTest, ReportsA200LevelConditionOnce) {
    // Issue 7's resource cap: a 200-level nested condition is one located error, not a deep walk.
    const RuleSet result = load(rule_with_expect("organization", nested_all(200)));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 11 + 9 * kMaxConditionDepth,
                               "condition nested deeper than 16 levels"));
    EXPECT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
}

TEST_F(RuleLoaderTest, StopsAtTheRuleCapAndSkipsTheRemainingFiles) {
    // A million rules cannot arrive in one file (4 MiB cap); across files the loader compiles at
    // most kMaxRules, says so once, and does not parse the files after the cap at all: the
    // fourth file here is not YAML, and no syntax error is reported for it. (Three files of 4,000
    // rules: one file may hold at most kMaxNodes YAML nodes, about 5,000 rules of this shape.)
    const std::string one = "- id: R-{N}\n  title: t\n  remediation: r\n  area: a\n  severity: low\n"
                            "  for_each: organization\n  expect: { fact: organization.population, gte: 1 }\n";
    std::vector<SourceText> files(3);
    for (std::size_t n = 0; n < kMaxRules + 2000; ++n) {
        std::string rule = one;
        rule.replace(rule.find("{N}"), 3, std::to_string(n));
        files[n / 4000].content += rule;
    }
    files[0].origin = "a.yaml";
    files[1].origin = "b.yaml";
    files[2].origin = "c.yaml";
    files.push_back({"d.yaml", "[ this is : not { yaml"});
    const RuleSet result = load_files(files);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.rules.size(), kMaxRules);
    ASSERT_EQ(result.diagnostics.items().size(), 2U) << diagnostics_as_text(result.diagnostics);
    EXPECT_EQ(result.diagnostics.items()[0].location.file, "c.yaml");
    EXPECT_THAT(result.diagnostics.items()[0].message, ::testing::HasSubstr("too many rules (limit 10000)"));
    EXPECT_EQ(result.diagnostics.items()[1].location.file, "d.yaml");
    EXPECT_THAT(result.diagnostics.items()[1].message, ::testing::HasSubstr("not read: the rule pack already holds"));
}

TEST_F(RuleLoaderTest, ReportsUnknownParameter) {
    const RuleSet result = load(R"yaml(
- id: ACC-001
  title: t
  area: isms
  severity: low
  params: { max: 3 }
  for_each: organization
  expect: { fact: organization.population, gte: $x }
  remediation: r
)yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 8, 49, "unknown parameter '$x'"));
}

TEST_F(RuleLoaderTest, ReportsParameterOfTheWrongTypeForItsFact) {
    const RuleSet result = load(R"yaml(
- id: ACC-001
  title: t
  area: isms
  severity: low
  params: { min: many }
  for_each: organization
  expect: { fact: organization.population, gte: $min }
  remediation: r
)yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 8, 49, "needs a number, not string"));
}

// A key given twice in one rule is refused (YAML 1.2 keys are unique), naming the first.
TEST_F(RuleLoaderTest, ReportsADuplicateKeyInARule) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  title: t
  area: isms
  severity: low
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
  severity: critical
)yaml");
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 9, 3, "duplicate key 'severity' (first at line 5:3)"));
}

TEST_F(RuleLoaderTest, ReportsDuplicateKeysInsideConditionsAndTitles) {
    const RuleSet result = load(R"yaml(
- id: ORG-001
  title: { sv: t, en: t, sv: u }
  area: isms
  severity: low
  for_each: organization
  expect: { all: [ { fact: organization.population, gte: 1, gte: 0 } ] }
  remediation: r
)yaml");
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 3, 26, "duplicate key 'sv' (first at line 3:12)"));
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 61, "duplicate key 'gte' (first at line 7:53)"));
}

TEST_F(RuleLoaderTest, RefusesARuleFileThatIsNotUtf8) {
    const RuleSet result = load("\n- id: ORG-001\n  title: { sv: \"S\xe4kerhet\", en: t }\n");
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 3, 18, "invalid UTF-8 (byte 0xE4): save the file as UTF-8"));
    EXPECT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
}

TEST_F(RuleLoaderTest, RefusesAnOperandWrittenLikeADateThatIsNotYyyyMmDd) {
    const RuleSet result = load(rule_with_expect(
        "organization", "{ fact: organization.population, gte: 2024-1-5 }"));
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 7, 49,
                               "operand of 'gte' looks like a date but is not one in the form YYYY-MM-DD"));
}

// --- resource limits ----------------------------------------------------------------------

TEST_F(RuleLoaderTest, RejectsFileOverTheSizeLimit) {
    std::string big = "# " + std::string(kMaxInputFileBytes, 'x') + "\n";
    const RuleSet result = load(big, "big.yaml");
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics.items().size(), 1U);
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 1, 1, "over the limit of 4194304"));
}

TEST_F(RuleLoaderTest, RejectsNulBytesNamingTheirLine) {
    const std::string text = std::string("- id: X\n  title: a") + '\0' + "b\n";
    const RuleSet result = load(text);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 2, 1, "NUL byte"));
}

TEST_F(RuleLoaderTest, RejectsMoreThanOneDocument) {
    const RuleSet result = load("---\n- a\n---\n- b\n");
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(diagnostics_as_text(result.diagnostics), HasSubstr("more than one YAML document"));
}

// Billion laughs: 9 levels of 9 aliases, as conditions so every level is a valid `all`.
std::string condition_bomb(int levels, int width) {
    std::string text =
        "\n- id: BOMB-001\n  title: t\n  area: a\n  severity: low\n  for_each: organization\n"
        "  remediation: r\n  where: &c0 { fact: organization.population, gte: 1 }\n"
        "  expect:\n    all:\n";
    for (int level = 1; level <= levels; ++level) {
        text += "      - &c" + std::to_string(level) + " { all: [";
        for (int i = 0; i < width; ++i) {
            text += (i == 0 ? " *c" : ", *c") + std::to_string(level - 1);
        }
        text += " ] }\n";
    }
    return text;
}

// Passes, but slowly (≈15 s Debug, ≈30 s ASan, ~290 MB): the 81 aliases are under kMaxAliases, so
// the bomb is only stopped by the 2,000,000-node visit budget after compiling that many conditions.
// See RejectsAliasExpansionFarBeyondAnyRealRule; once the expansion is bounded at parse time this
// test takes milliseconds.
TEST_F(RuleLoaderTest, RejectsAliasBombWithALocatedMessage) {
    const RuleSet result = load(condition_bomb(9, 9), "bomb.yaml");
    ASSERT_FALSE(result.ok());
    const Diagnostic* diag = find_diagnostic(result.diagnostics, "alias");
    ASSERT_NE(diag, nullptr) << diagnostics_as_text(result.diagnostics);
    EXPECT_EQ(diag->location.file, "bomb.yaml");
    EXPECT_GE(diag->location.line, 2);
    EXPECT_LE(diag->location.line, 20);
    EXPECT_TRUE(result.rules.empty());
}

// Regression (fixed): 60 aliases expanding to ~270,000 comparisons pass both guards
// (kMaxAliases = 256 counts aliases, not their expansion; the 2,000,000-node budget is far above
// any real rule), so the rule is compiled into a 270k-node tree: seconds and hundreds of MB.
// An alias expansion this large is an absurd size (DESIGN §10) and must be refused at parse time.
TEST_F(RuleLoaderTest, RejectsAliasExpansionFarBeyondAnyRealRule) {
    const RuleSet result = load(condition_bomb(5, 12), "bomb.yaml");
    EXPECT_FALSE(result.ok()) << "a rule expanding to 12^5 comparisons through 60 aliases was accepted";
    EXPECT_NE(find_diagnostic(result.diagnostics, "alias"), nullptr)
        << diagnostics_as_text(result.diagnostics);
}

TEST_F(RuleLoaderTest, RejectsMoreAliasesThanTheLimitAtTheFirstOneOver) {
    std::string text = "- &a [x]\n- [";
    for (int i = 0; i < 300; ++i) {
        text += i == 0 ? "*a" : ", *a";
    }
    text += "]\n";
    const RuleSet result = load(text);
    ASSERT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
    const Diagnostic& diag = result.diagnostics.items().front();
    EXPECT_THAT(diag.message, HasSubstr("too many YAML aliases (300, limit 256)"));
    EXPECT_EQ(diag.location.line, 2);
    // "- [" then 256 aliases of 4 characters ("*a, ") before the 257th.
    EXPECT_EQ(diag.location.column, 4 + 256 * 4);
}

// Regression (fixed): yaml-cpp's depth guard throws DeepRecursion with the message
// "bad file"; the loader passes it through as "yaml: bad file", which tells the user nothing
// about the actual problem (nesting deeper than yaml-cpp's 2000 levels).
TEST_F(RuleLoaderTest, NamesYamlNestingBeyondTheParserLimitAsNesting) {
    const RuleSet result = load("- id: X\n  title: " + std::string(3000, '[') +
                                std::string(3000, ']') + "\n");
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics.items().size(), 1U) << diagnostics_as_text(result.diagnostics);
    const Diagnostic& diag = result.diagnostics.items().front();
    EXPECT_EQ(diag.location.line, 2);
    EXPECT_THAT(diag.message, AllOf(Not(HasSubstr("bad file")),
                                    AnyOf(HasSubstr("nest"), HasSubstr("depth"), HasSubstr("deep"))));
}

// --- several problems, one run -------------------------------------------------------------

TEST_F(RuleLoaderTest, ReportsEveryBrokenRuleInOneRun) {
    const RuleSet result = load(R"yaml(
- id: BAD-001
  title: t
  area: isms
  severity: urgent
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
- id: GOOD-001
  title: t
  area: isms
  severity: low
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
- id: BAD-002
  title: t
  area: isms
  severity: low
  for_each: sytem
  expect: { fact: system.owner, equals: x }
  remediation: r
- id: BAD-003
  title: t
  area: isms
  severity: low
  for_each: system
  expect: { all: [ { fact: system.ownr, equals: x }, { fact: system.classified, equals: maybe } ] }
  remediation: r
)yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 5, 13, "unknown severity 'urgent'"));
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 20, 13,
                               "unknown subject kind 'sytem' (did you mean 'system'?)"));
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 28, 28, "unknown fact 'system.ownr'"));
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 28, 89,
                               "'equals' on bool fact 'system.classified' needs a bool, not string"));
    EXPECT_EQ(result.diagnostics.items().size(), 4U) << diagnostics_as_text(result.diagnostics);
    // The valid rule still compiles (the caller refuses to scan, but `lisa validate` lists it).
    ASSERT_EQ(result.rules.size(), 1U);
    EXPECT_EQ(result.rules.front().id, "GOOD-001");
}

TEST_F(RuleLoaderTest, ReportsProblemsInEveryFile) {
    const RuleSet result = load_files({{"a.yaml", "- id: A\n  titel: x\n"},
                                       {"b.yaml", "["},
                                       {"c.yaml", "just a scalar\n"}});
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 2, 3, "unknown key 'titel'"));
    EXPECT_NE(find_diagnostic(result.diagnostics, "end of sequence flow not found"), nullptr);
    EXPECT_TRUE(has_diagnostic(result.diagnostics, 1, 1, "a rule file must be a list of rules"));
    std::vector<std::string> files;
    for (const auto& d : result.diagnostics.items()) {
        files.push_back(d.location.file);
    }
    EXPECT_THAT(files, ::testing::IsSupersetOf({"a.yaml", "b.yaml", "c.yaml"}));
}

TEST_F(RuleLoaderTest, EmptyFileHoldsNoRules) {
    const RuleSet result = load("");
    EXPECT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
    EXPECT_TRUE(result.rules.empty());
}

// --- a valid rule --------------------------------------------------------------------------

TEST_F(RuleLoaderTest, CompilesAValidRule) {
    const RuleSet result = load(R"yaml(
rules:
  - id: KLASS-002
    title: { sv: "Klassning är aktuell", en: "Classification is current" }
    description: Klassningen ska ses över.
    area: informationsklassning
    severity: critical
    indicator: SEC-KLASS
    references:
      - { kind: iso, ref: "ISO/IEC 27001:2022 A.5.12" }
      - { kind: survey, ref: "003 B3 T5" }
      - { kind: guidance, ref: "SKR: KLASSA, informationsklassning" }
      - { kind: baseline, ref: "klassningen högst ett år gammal" }
    for_each: system
    params: { max_age_days: 365, owner_pattern: "^[A-Z]" }
    where: { fact: system.personal_data, equals: true }
    expect:
      all:
        - { fact: system.classification.date, within_days: $max_age_days }
        - { fact: system.classification.date, lte: $as_of }
        - { fact: system.owner, matches: $owner_pattern }
        - { fact: system.scopes, contains: hsl }
        - { fact: system.classification.confidentiality, in: [2, 3] }
    remediation: { sv: "Klassa om", en: "Reclassify" }
  - id: ANOTHER-001
    title: t
    area: isms
    severity: info
    scored: false
    require: document
    for_each: document
    expect: { fact: document.beslutad, exists: true }
    remediation: r
schema_version: 1
)yaml");
    ASSERT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
    ASSERT_EQ(result.rules.size(), 2U);
    EXPECT_EQ(result.rules[0].id, "ANOTHER-001");  // sorted by id
    const Rule* rule = result.find("KLASS-002");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(result.find("NOPE"), nullptr);

    EXPECT_EQ(rule->title.sv, "Klassning är aktuell");
    EXPECT_EQ(rule->title.in("en"), "Classification is current");
    EXPECT_EQ(rule->remediation.en, "Reclassify");
    EXPECT_EQ(rule->area, "informationsklassning");
    EXPECT_EQ(rule->severity, Severity::Critical);
    EXPECT_EQ(rule->indicator, "SEC-KLASS");
    EXPECT_THAT(rule->references,
                ::testing::ElementsAre("ISO/IEC 27001:2022 A.5.12", "Socialstyrelsen 2023 bilaga 3 tabell 5",
                                       "SKR: KLASSA, informationsklassning",
                                       "lisa baseline: klassningen högst ett år gammal"));
    ASSERT_EQ(rule->typed_references.size(), 4U);
    EXPECT_EQ(rule->typed_references[1].kind, "survey");
    EXPECT_EQ(rule->typed_references[1].ref, "003 B3 T5");
    EXPECT_EQ(rule->for_each, SubjectKind::System);
    EXPECT_TRUE(rule->scored);
    EXPECT_FALSE(rule->require.has_value());
    EXPECT_EQ(rule->location.line, 3);
    EXPECT_EQ(rule->location.column, 5);
    EXPECT_EQ(rule->params.at("max_age_days"), Value(365));
    EXPECT_EQ(rule->params.at("owner_pattern"), Value("^[A-Z]"));

    ASSERT_TRUE(rule->where.has_value());
    EXPECT_EQ(rule->where->kind, Condition::Kind::Compare);
    EXPECT_EQ(rule->where->fact, "system.personal_data");
    EXPECT_EQ(rule->where->fact_id, catalog().id_of("system.personal_data"));
    EXPECT_GE(rule->where->fact_id, 0);
    EXPECT_EQ(rule->where->operand, Value(true));

    const Condition& expect = rule->expect;
    ASSERT_EQ(expect.kind, Condition::Kind::All);
    ASSERT_EQ(expect.children.size(), 5U);
    const Condition& within = expect.children[0];
    EXPECT_EQ(within.op, Op::WithinDays);
    EXPECT_EQ(within.param, "max_age_days");
    EXPECT_EQ(within.fact_id, catalog().id_of("system.classification.date"));
    EXPECT_EQ(within.location.line, 19);
    EXPECT_EQ(expect.children[1].param, "as_of");
    EXPECT_EQ(expect.children[2].param, "owner_pattern");
    EXPECT_EQ(expect.children[3].op, Op::Contains);
    EXPECT_EQ(expect.children[3].operand, Value("hsl"));
    EXPECT_EQ(expect.children[4].op, Op::In);
    EXPECT_EQ(expect.children[4].operand, Value(StringList{"2", "3"}));

    const Rule* other = result.find("ANOTHER-001");
    ASSERT_NE(other, nullptr);
    EXPECT_FALSE(other->scored);
    EXPECT_EQ(other->severity, Severity::Info);
    EXPECT_EQ(other->require, Provenance::Document);
    // A probe fact (document probe) resolves too.
    EXPECT_EQ(other->expect.fact_id, catalog().id_of("document.beslutad"));
    EXPECT_GE(other->expect.fact_id, 0);
}

TEST_F(RuleLoaderTest, ReadsADateOperandForADateFact) {
    const RuleSet result = load(rule_with_expect("system", "{ fact: system.classification.date, gte: \"2023-01-01\" }"));
    ASSERT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
    EXPECT_EQ(result.rules.front().expect.operand, Value(Date::from_ymd(2023, 1, 1)));
}

TEST_F(RuleLoaderTest, FamilyFactsResolve) {
    const RuleSet result = load(rule_with_expect("document", "{ fact: document.front_matter.godkand_av, exists: true }"));
    ASSERT_TRUE(result.ok()) << diagnostics_as_text(result.diagnostics);
    EXPECT_EQ(result.rules.front().expect.fact_id, catalog().id_of("document.front_matter.godkand_av"));
}

// --- apply_params --------------------------------------------------------------------------

class ApplyParamsTest : public RuleLoaderTest {
protected:
    void SetUp() override {
        set_ = load(R"yaml(
- id: ACC-002
  title: t
  area: behorigheter
  severity: medium
  params: { stale_days: 90, pattern: "^adm" }
  for_each: system
  where: { fact: system.classification.date, lte: $as_of }
  expect:
    all:
      - { fact: system.classification.date, within_days: $stale_days }
      - { fact: system.owner, matches: $pattern }
  remediation: r
)yaml");
        ASSERT_TRUE(set_.ok()) << diagnostics_as_text(set_.diagnostics);
    }

    const Rule& rule() const { return set_.rules.front(); }

    RuleSet set_;
    const Date as_of_ = Date::from_ymd(2024, 6, 30);
};

TEST_F(ApplyParamsTest, SubstitutesDefaultsAndAsOf) {
    Diagnostics diags;
    apply_params(set_.rules, {}, {}, as_of_, diags);
    EXPECT_TRUE(diags.empty()) << diagnostics_as_text(diags);
    EXPECT_EQ(rule().where->operand, Value(as_of_));
    EXPECT_EQ(rule().expect.children[0].operand, Value(90));
    EXPECT_EQ(rule().expect.children[1].operand, Value("^adm"));
    ASSERT_NE(rule().expect.children[1].regex, nullptr);
    EXPECT_TRUE(std::regex_search("adm-kalle", *rule().expect.children[1].regex));
}

TEST_F(ApplyParamsTest, OverridesReplaceDefaults) {
    Diagnostics diags;
    apply_params(set_.rules, {{"ACC-002", {{"stale_days", Value(30)}, {"pattern", Value("^x")}}}},
                 {}, as_of_, diags);
    EXPECT_TRUE(diags.empty()) << diagnostics_as_text(diags);
    EXPECT_EQ(rule().params.at("stale_days"), Value(30));
    EXPECT_EQ(rule().expect.children[0].operand, Value(30));
    EXPECT_TRUE(std::regex_search("xyz", *rule().expect.children[1].regex));
}

TEST_F(ApplyParamsTest, IntegerParameterAcceptsANumber) {
    Diagnostics diags;
    apply_params(set_.rules, {{"ACC-002", {{"stale_days", Value(45.5)}}}}, {}, as_of_, diags);
    EXPECT_TRUE(diags.empty()) << diagnostics_as_text(diags);
    EXPECT_EQ(rule().expect.children[0].operand, Value(45.5));
}

TEST_F(ApplyParamsTest, ReportsUnknownRuleAtItsLocation) {
    Diagnostics diags;
    apply_params(set_.rules, {{"ACC-999", {{"stale_days", Value(30)}}}},
                 {{"ACC-999", {{"", SourceLocation{"inventory.yaml", 40, 3}},
                               {"stale_days", SourceLocation{"inventory.yaml", 41, 5}}}}},
                 as_of_, diags);
    EXPECT_TRUE(has_diagnostic(diags, 40, 3, "parameters for unknown rule 'ACC-999'"));
    EXPECT_EQ(diags.items().front().location.file, "inventory.yaml");
}

TEST_F(ApplyParamsTest, ReportsUnknownParameterAtItsLocation) {
    Diagnostics diags;
    apply_params(set_.rules, {{"ACC-002", {{"stael_days", Value(30)}}}},
                 {{"ACC-002", {{"", SourceLocation{"inventory.yaml", 40, 3}},
                               {"stael_days", SourceLocation{"inventory.yaml", 41, 5}}}}},
                 as_of_, diags);
    EXPECT_TRUE(has_diagnostic(diags, 41, 5, "rule ACC-002 has no parameter 'stael_days'"));
    // The default stays.
    EXPECT_EQ(rule().expect.children[0].operand, Value(90));
}

TEST_F(ApplyParamsTest, ReportsParameterOfTheWrongType) {
    Diagnostics diags;
    apply_params(set_.rules, {{"ACC-002", {{"stale_days", Value("ninety")}}}},
                 {{"ACC-002", {{"stale_days", SourceLocation{"inventory.yaml", 41, 5}}}}}, as_of_,
                 diags);
    EXPECT_TRUE(has_diagnostic(diags, 41, 5, "parameter 'stale_days' of rule ACC-002 must be of type"));
    EXPECT_THAT(diagnostics_as_text(diags), HasSubstr("integer"));
    EXPECT_EQ(rule().expect.children[0].operand, Value(90));
}

TEST_F(ApplyParamsTest, ReportsAnOverriddenPatternThatIsNotARegex) {
    Diagnostics diags;
    apply_params(set_.rules, {{"ACC-002", {{"pattern", Value("a(b")}}}}, {}, as_of_, diags);
    ASSERT_EQ(diags.items().size(), 1U) << diagnostics_as_text(diags);
    EXPECT_THAT(diags.items().front().message,
                HasSubstr("parameter 'pattern' is not a valid regular expression"));
    EXPECT_EQ(diags.items().front().location.line, rule().location.line);
}

}  // namespace
}  // namespace lisa

namespace lisa {
namespace {

// Issue 12 item 5: references are typed; every problem is reported with its location, in one run.
TEST_F(RuleLoaderTest, RejectsUntypedOrUnknownReferences) {
    const RuleSet result = load(R"yaml(
rules:
  - id: REF-001
    title: t
    area: isms
    severity: low
    references:
      - "Socialstyrelsen 2023 tabell 15"
      - { kind: rumour, ref: "x" }
      - { kind: guidance, ref: "Någon blogg" }
      - { kind: iso, ref: "A.8.5" }
      - { kind: survey }
    for_each: organization
    expect: { fact: organization.name, exists: true }
    remediation: r
)yaml");
    EXPECT_FALSE(result.ok());
    const std::string text = diagnostics_as_text(result.diagnostics);
    EXPECT_THAT(text, HasSubstr("inline.yaml:8:9: a reference must be a map"));
    EXPECT_THAT(text, HasSubstr("inline.yaml:9:17: unknown reference kind 'rumour'"));
    EXPECT_THAT(text, HasSubstr("inline.yaml:10:32: guidance 'Någon blogg' is not in the domain catalogue's list"));
    EXPECT_THAT(text, HasSubstr("inline.yaml:11:27: an iso reference names an ISO/IEC 27001:2022"));
    EXPECT_THAT(text, HasSubstr("inline.yaml:12:9: a reference has no 'ref'"));
}

// The survey's five-step scale and the indicator's period are validated like everything else.
TEST_F(RuleLoaderTest, RejectsBadIndicatorScalesAndPeriods) {
    const RuleSet result = load(R"yaml(
rules:
  - id: USE-001
    title: t
    area: katalog
    severity: low
    references: [{ kind: baseline, ref: "x" }]
    for_each: access_group
    expect: { fact: group.enabled_without_strong_auth, lte: 0 }
    remediation: r
indicators:
  - id: SEC-X
    title: t
    period: last_year
    within_scope: skola
    unit: system
    rules: [USE-001]
    contradictions: [NOPE-001]
    measure: { total: group.enabled, missing: group.enabled_without_strong_auth, about_half: [60, 70] }
    answers: { all: "Alla", none: "Ingen", some: "Delvis" }
)yaml");
    EXPECT_FALSE(result.ok());
    const std::string text = diagnostics_as_text(result.diagnostics);
    EXPECT_THAT(text, HasSubstr("unknown period 'last_year' (expected state|previous_year)"));
    EXPECT_THAT(text, HasSubstr("unknown scope 'skola'"));
    EXPECT_THAT(text, HasSubstr("'about_half' must contain 50 %"));
    EXPECT_THAT(text, HasSubstr("unknown key 'some'"));
    EXPECT_THAT(text, HasSubstr("'answers' has no 'more_than_half'"));
}

}  // namespace
}  // namespace lisa
