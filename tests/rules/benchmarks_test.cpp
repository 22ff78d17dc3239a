// SPDX-License-Identifier: Apache-2.0
// The shipped reference data: every national figure in rules/benchmarks/socialstyrelsen.yaml
// against tests/data/benchmarks/expected_national.tsv, a table written separately from the
// domain reference; and the ISO/IEC 27001:2022 Annex A catalogue against the rules' references.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "lisa/probes/register_builtin.hpp"
#include "lisa/report/benchmarks.hpp"
#include "lisa/rules/loader.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fmt(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// indicator|year|scope|answer → "percent n"
using FigureTable = std::map<std::string, std::string>;

FigureTable from_yaml(const lisa::Benchmarks& b) {
    FigureTable out;
    for (const auto& [id, ind] : b.indicators) {
        for (const auto& f : ind.national) {
            for (const auto& [answer, pct] : f.distribution) {
                const std::string key = id + "|" + std::to_string(f.year) + "|" +
                                        (f.scope.empty() ? "-" : f.scope) + "|" + answer;
                EXPECT_EQ(out.count(key), 0U) << "duplicate figure " << key;
                out[key] = fmt(pct) + " " + (f.n ? std::to_string(*f.n) : "-");
            }
        }
    }
    return out;
}

FigureTable from_tsv(const std::string& path) {
    FigureTable out;
    std::istringstream in(slurp(path));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) {
            cols.push_back(col);
        }
        EXPECT_EQ(cols.size(), 6U) << line;
        if (cols.size() != 6) {
            continue;
        }
        out[cols[0] + "|" + cols[1] + "|" + cols[2] + "|" + cols[3]] =
            fmt(std::stod(cols[4])) + " " + cols[5];
    }
    return out;
}

TEST(BenchmarkDataTest, EveryNationalFigureMatchesTheExpectedTable) {
    lisa::Diagnostics diags;
    const std::string path = std::string(LISA_RULES_DIR) + "/benchmarks/socialstyrelsen.yaml";
    const lisa::Benchmarks b = lisa::load_benchmarks({path, slurp(path)}, diags);
    ASSERT_TRUE(diags.empty()) << diags.items().front().to_string();
    const FigureTable yaml = from_yaml(b);
    const FigureTable expected =
        from_tsv(std::string(LISA_SOURCE_DIR) + "/tests/data/benchmarks/expected_national.tsv");
    ASSERT_GT(expected.size(), 200U);
    for (const auto& [key, value] : expected) {
        const auto it = yaml.find(key);
        if (it == yaml.end()) {
            ADD_FAILURE() << "missing from the benchmark file: " << key;
            continue;
        }
        EXPECT_EQ(it->second, value) << key << " (percent n)";
    }
    for (const auto& [key, value] : yaml) {
        EXPECT_EQ(expected.count(key), 1U) << "not in the expected table: " << key;
    }
}

// The survey figures file is held to the same input rules as the inventory and the rules: the
// shipped file with its first "ä" saved as Latin-1 is refused at that byte; a key given twice
// (here `caveat`) is refused where it is repeated.
TEST(BenchmarkDataTest, TheFiguresFileMustBeUtf8WithoutRepeatedKeys) {
    const std::string path = std::string(LISA_RULES_DIR) + "/benchmarks/socialstyrelsen.yaml";
    const std::string text = slurp(path);
    const std::size_t a_umlaut = text.find("\xC3\xA4");
    ASSERT_NE(a_umlaut, std::string::npos);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(a_umlaut), '\n'));
    std::string latin1 = text;
    latin1.replace(a_umlaut, 2, "\xE4");
    lisa::Diagnostics diags;
    (void)lisa::load_benchmarks({path, latin1}, diags);
    ASSERT_EQ(diags.items().size(), 1U);
    EXPECT_EQ(diags.items().front().location.line, line);
    EXPECT_THAT(diags.items().front().message, ::testing::HasSubstr("invalid UTF-8 (byte 0xE4)"));

    const std::size_t caveat = text.find("\ncaveat:");
    ASSERT_NE(caveat, std::string::npos);
    const std::size_t end_of_caveat = text.find("\n\n", caveat + 1);
    ASSERT_NE(end_of_caveat, std::string::npos);
    const std::string twice = text.substr(0, end_of_caveat + 1) +
                              text.substr(caveat + 1, end_of_caveat - caveat) + text.substr(end_of_caveat + 1);
    lisa::Diagnostics dup;
    (void)lisa::load_benchmarks({path, twice}, dup);
    ASSERT_FALSE(dup.empty());
    EXPECT_THAT(dup.items().front().message, ::testing::HasSubstr("duplicate key 'caveat' (first at line"));
}

TEST(BenchmarkDataTest, SpotChecksAgainstTheDomainReference) {
    lisa::Diagnostics diags;
    const std::string path = std::string(LISA_RULES_DIR) + "/benchmarks/socialstyrelsen.yaml";
    const lisa::Benchmarks b = lisa::load_benchmarks({path, slurp(path)}, diags);
    // 003 T15: SEC-AUTH-EXT 2023, n=290: Inga 1, Delvis 46, Alla 53.
    const lisa::Figure* ext = b.latest_national("SEC-AUTH-EXT", "");
    ASSERT_NE(ext, nullptr);
    EXPECT_EQ(ext->year, 2023);
    EXPECT_EQ(ext->n, 290);
    EXPECT_THAT(ext->distribution, ::testing::Contains(std::pair<std::string, double>{"Alla", 53}));
    // Size groups: 2023 grouping puts 45 210 in 20–50 000, 6 480 in <10 000; 2021 grouping 30–70 000.
    EXPECT_EQ(b.group_of(2023, 45210)->label, "20–50 000 invånare");
    EXPECT_EQ(b.group_of(2023, 6480)->label, "<10 000 invånare");
    EXPECT_EQ(b.group_of(2021, 45210)->label, "30–70 000");
    EXPECT_EQ(b.group_of(2023, 10000)->label, "10–20 000 invånare");  // boundary: upper group
    EXPECT_FALSE(b.caveat_sv.empty());
}

TEST(FrameworkTest, AnnexAHas93ControlsMappedExactlyToTheRulesReferences) {
    lisa::Diagnostics diags;
    const std::string path = std::string(LISA_RULES_DIR) + "/frameworks/iso27001-2022.yaml";
    const lisa::Framework fw = lisa::load_framework({path, slurp(path)}, diags);
    ASSERT_TRUE(diags.empty()) << diags.items().front().to_string();
    ASSERT_EQ(fw.controls.size(), 93U);

    lisa::ProbeRegistry registry;
    lisa::register_builtin_probes(registry);
    lisa::FactCatalog catalog = lisa::build_fact_catalog(registry);
    std::vector<lisa::SourceText> files;
    for (const auto& entry : fs::directory_iterator(LISA_RULES_DIR)) {
        if (entry.path().extension() == ".yaml") {
            files.push_back({entry.path().string(), slurp(entry.path().string())});
        }
    }
    const lisa::RuleSet pack = lisa::load_rules(files, catalog);
    ASSERT_TRUE(pack.ok());
    std::map<std::string, std::set<std::string>> cited;  // control → rules citing it
    const std::string prefix = "ISO/IEC 27001:2022 A.";
    for (const auto& rule : pack.rules) {
        for (const auto& ref : rule.references) {
            if (ref.rfind(prefix, 0) == 0) {
                cited["A." + ref.substr(prefix.size())].insert(rule.id);
            }
        }
    }
    std::set<std::string> ids;
    for (const auto& control : fw.controls) {
        ids.insert(control.id);
        const std::set<std::string> mapped(control.rules.begin(), control.rules.end());
        EXPECT_EQ(mapped, cited[control.id]) << control.id;
        if (mapped.empty()) {
            EXPECT_EQ(control.status, "not_assessed") << control.id;
        } else {
            EXPECT_NE(control.status, "not_assessed") << control.id;
        }
    }
    EXPECT_EQ(ids.size(), 93U);
    for (const auto& [control, rules] : cited) {
        EXPECT_EQ(ids.count(control), 1U) << "rules cite " << control << ", not an Annex A control";
    }
}

}  // namespace

namespace {

lisa::RuleSet shipped_pack(lisa::FactCatalog& catalog) {
    std::vector<lisa::SourceText> files;
    for (const auto& entry : fs::directory_iterator(LISA_RULES_DIR)) {
        if (entry.path().extension() == ".yaml") {
            files.push_back({entry.path().string(), slurp(entry.path().string())});
        }
    }
    return lisa::load_rules(files, catalog);
}

}  // namespace

// Issue 12 item 5: a rule cites a survey table only for what that table asks, and is linked to
// the indicator that table's figures belong to; every rule says where its requirement comes from.
TEST(RuleReferencesTest, EverySurveyReferenceIsAFigureSourceOfTheRulesIndicator) {
    const std::string path = std::string(LISA_RULES_DIR) + "/benchmarks/socialstyrelsen.yaml";
    lisa::Diagnostics diags;
    const lisa::Benchmarks b = lisa::load_benchmarks({path, slurp(path)}, diags);
    ASSERT_TRUE(diags.empty());
    // source id ("003 T15") → indicators whose figures or question cite it
    std::map<std::string, std::set<std::string>> cited_by;
    auto add = [&](const std::string& sources, const std::string& indicator) {
        std::istringstream in(sources);
        std::string part;
        while (std::getline(in, part, ';')) {
            const auto first = part.find_first_not_of(' ');
            const auto last = part.find_last_not_of(' ');
            if (first != std::string::npos) {
                cited_by[part.substr(first, last - first + 1)].insert(indicator);
            }
        }
    };
    for (const auto& [id, ind] : b.indicators) {
        add(ind.question_source, id);
        for (const auto& f : ind.national) {
            add(f.source, id);
        }
        for (const auto& f : ind.size_groups) {
            add(f.source, id);
        }
    }
    lisa::ProbeRegistry registry;
    lisa::register_builtin_probes(registry);
    lisa::FactCatalog catalog = lisa::build_fact_catalog(registry);
    const lisa::RuleSet pack = shipped_pack(catalog);
    ASSERT_TRUE(pack.ok());
    int survey_refs = 0;
    for (const auto& rule : pack.rules) {
        EXPECT_FALSE(rule.typed_references.empty()) << rule.id;
        EXPECT_EQ(rule.references.size(), rule.typed_references.size()) << rule.id;
        for (const auto& ref : rule.typed_references) {
            if (ref.kind != "survey") {
                continue;
            }
            ++survey_refs;
            const auto it = cited_by.find(ref.ref);
            ASSERT_NE(it, cited_by.end()) << rule.id << " cites " << ref.ref
                                          << ", which no figure in socialstyrelsen.yaml comes from";
            EXPECT_EQ(it->second.count(rule.indicator), 1U)
                << rule.id << " cites " << ref.ref << " but is linked to indicator '" << rule.indicator
                << "', not to the indicator that table belongs to";
        }
    }
    EXPECT_GT(survey_refs, 10);
    // The rules that decide a survey answer cite that survey; the ones that do not, do not.
    for (const auto& def : pack.indicators) {
        for (const auto& id : def.rules) {
            const lisa::Rule* rule = pack.find(id);
            ASSERT_NE(rule, nullptr);
            const bool cites_survey = std::any_of(rule->typed_references.begin(), rule->typed_references.end(),
                                                  [](const lisa::Reference& r) { return r.kind == "survey"; });
            EXPECT_TRUE(cites_survey) << def.id << " rests on " << id << ", which cites no survey table";
        }
    }
    for (const char* baseline : {"LIS-002", "LIS-007", "LIS-008", "LIS-012", "KLASS-002", "KLASS-003", "KAT-013"}) {
        const lisa::Rule* rule = pack.find(baseline);
        ASSERT_NE(rule, nullptr) << baseline;
        for (const auto& ref : rule->typed_references) {
            EXPECT_NE(ref.kind, "survey") << baseline << " is lisa's own requirement, not the survey's";
        }
    }
}
