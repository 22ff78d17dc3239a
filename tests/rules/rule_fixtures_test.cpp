// SPDX-License-Identifier: Apache-2.0
// Runs each shipped rule over the fixtures in tests/rules/fixtures/*.yaml:
//
//   - rule: LIS-001
//     name: policy listed                 # optional
//     as_of: 2026-11-22                    # optional, default 2026-11-22
//     facts: { organization.isms.document_roles: [informationssakerhetspolicy] }
//     provenance: { document.beslutad: declared }   # optional; default: the provider's kind
//     errors: { tls: "connection refused" }          # optional: probe failed for the subject
//     not_applicable: [tls]                          # optional: probe does not apply
//     expect: pass                                   # pass|fail|error|not_applicable
//
// and checks that every rule of the pack has at least one passing and one failing fixture.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "lisa/engine/evaluator.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/rules/loader.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Pack {
    lisa::ProbeRegistry registry;
    lisa::FactCatalog catalog;
    lisa::RuleSet rules;
    std::map<std::string, std::string> diagnostics_text;

    Pack() {
        lisa::register_builtin_probes(registry);
        catalog = lisa::build_fact_catalog(registry);
        std::vector<lisa::SourceText> files;
        for (const auto& entry : fs::directory_iterator(LISA_RULES_DIR)) {
            if (entry.path().extension() == ".yaml") {
                files.push_back({entry.path().string(), slurp(entry.path())});
            }
        }
        rules = lisa::load_rules(files, catalog);
    }
};

Pack& pack() {
    static Pack p;
    return p;
}

lisa::Value typed(const YAML::Node& node, lisa::ValueType type) {
    using lisa::ValueType;
    if (node.IsSequence()) {
        lisa::StringList list;
        for (const auto& item : node) {
            list.push_back(item.Scalar());
        }
        return lisa::Value(list);
    }
    const std::string& text = node.Scalar();
    switch (type) {
        case ValueType::Bool: return lisa::Value(text == "true");
        case ValueType::Integer: return lisa::Value(static_cast<std::int64_t>(std::stoll(text)));
        case ValueType::Number: return lisa::Value(std::stod(text));
        case ValueType::Date: return lisa::Value(*lisa::Date::parse(text));
        case ValueType::List: return lisa::Value(lisa::StringList{text});
        default: return lisa::Value(text);
    }
}

struct Fixture {
    std::string file;
    int line = 0;
    YAML::Node node;
    std::string label() const {
        return fs::path(file).filename().string() + ":" + std::to_string(line) + " " +
               node["rule"].as<std::string>() +
               (node["name"] ? " (" + node["name"].as<std::string>() + ")" : "");
    }
};

std::vector<Fixture> all_fixtures() {
    std::vector<Fixture> out;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(LISA_FIXTURES_DIR)) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        const YAML::Node root = YAML::LoadFile(path.string());
        for (const auto& node : root) {
            out.push_back({path.string(), node.Mark().line + 1, node});
        }
    }
    return out;
}

std::string run_fixture(const Fixture& fx) {
    Pack& p = pack();
    const std::string id = fx.node["rule"].as<std::string>();
    std::vector<lisa::Rule> rules;
    const lisa::Rule* found = p.rules.find(id);
    if (found == nullptr) {
        return "no such rule";
    }
    rules.push_back(*found);
    const lisa::Date as_of =
        *lisa::Date::parse(fx.node["as_of"] ? fx.node["as_of"].as<std::string>() : "2026-11-22");
    lisa::Diagnostics diags;
    lisa::apply_params(rules, {}, {}, as_of, diags);
    if (fx.node["params"]) {
        for (const auto& kv : fx.node["params"]) {
            rules[0].params[kv.first.as<std::string>()] =
                lisa::Value(static_cast<std::int64_t>(kv.second.as<long long>()));
        }
        lisa::apply_params(rules, {}, {}, as_of, diags);
    }
    std::vector<lisa::Fact> storage;
    storage.reserve(64);
    lisa::FactView view(p.catalog.interned_count());
    if (fx.node["facts"]) {
        for (const auto& kv : fx.node["facts"]) {
            const std::string name = kv.first.as<std::string>();
            const auto info = p.catalog.lookup(name);
            if (!info) {
                return "fixture names unknown fact " + name;
            }
            lisa::Provenance prov = info->provider == "inventory" ? lisa::Provenance::Declared
                                    : info->provider == "document" ? lisa::Provenance::Document
                                                                   : lisa::Provenance::Probed;
            if (fx.node["provenance"] && fx.node["provenance"][name]) {
                prov = *lisa::provenance_from_string(fx.node["provenance"][name].as<std::string>());
            }
            storage.push_back(lisa::Fact{typed(kv.second, info->type), prov, "fixture"});
            const int fid = p.catalog.id_of(name);
            if (fid >= 0) {
                view.set(fid, &storage.back());
            }
        }
    }
    // Probe errors and inapplicable probes explain missing facts, as the scan does.
    for (std::size_t fid = 0; fid < p.catalog.interned_count(); ++fid) {
        if (view.get(static_cast<int>(fid)) != nullptr) {
            continue;
        }
        const auto info = p.catalog.lookup(p.catalog.name_of(static_cast<int>(fid)));
        if (!info) {
            continue;
        }
        if (fx.node["errors"] && fx.node["errors"][info->provider]) {
            view.set_missing(static_cast<int>(fid),
                             info->provider + ": " + fx.node["errors"][info->provider].as<std::string>(),
                             false);
        }
        if (fx.node["not_applicable"]) {
            for (const auto& kind : fx.node["not_applicable"]) {
                if (kind.as<std::string>() == info->provider) {
                    view.set_missing(static_cast<int>(fid), "probe does not apply", true);
                }
            }
        }
    }
    const auto verdict = lisa::evaluate(rules[0], view, p.catalog, as_of);
    return std::string(lisa::to_string(verdict.status)) + (verdict.message.empty() ? "" : ": " + verdict.message);
}

TEST(RulePackTest, LoadsWithoutProblems) {
    std::string text;
    for (const auto& d : pack().rules.diagnostics.items()) {
        text += d.to_string() + "\n";
    }
    ASSERT_TRUE(pack().rules.ok()) << text;
    EXPECT_GT(pack().rules.rules.size(), 10U);
}

TEST(RulePackTest, EveryFixturePassesItsExpectation) {
    const auto fixtures = all_fixtures();
    ASSERT_FALSE(fixtures.empty());
    for (const auto& fx : fixtures) {
        const std::string expected = fx.node["expect"].as<std::string>();
        const std::string got = run_fixture(fx);
        EXPECT_EQ(got.substr(0, got.find(':')), expected) << fx.label() << " -> " << got;
        if (fx.node["message"]) {
            EXPECT_THAT(got, ::testing::HasSubstr(fx.node["message"].as<std::string>())) << fx.label();
        }
    }
}

TEST(RulePackTest, EveryRuleHasAPassingAndAFailingFixture) {
    std::map<std::string, std::set<std::string>> seen;
    for (const auto& fx : all_fixtures()) {
        seen[fx.node["rule"].as<std::string>()].insert(fx.node["expect"].as<std::string>());
    }
    for (const auto& rule : pack().rules.rules) {
        EXPECT_TRUE(seen[rule.id].count("pass")) << rule.id << " has no passing fixture";
        EXPECT_TRUE(seen[rule.id].count("fail")) << rule.id << " has no failing fixture";
    }
}

TEST(RulePackTest, EveryRuleHasBothLanguagesAndReferences) {
    for (const auto& rule : pack().rules.rules) {
        EXPECT_FALSE(rule.title.sv.empty()) << rule.id;
        EXPECT_FALSE(rule.title.en.empty()) << rule.id;
        EXPECT_FALSE(rule.remediation.sv.empty()) << rule.id;
        EXPECT_FALSE(rule.remediation.en.empty()) << rule.id;
        EXPECT_FALSE(rule.references.empty()) << rule.id;
    }
}

TEST(RulePackTest, TitlesAndRemediationsNameNoFact) {
    // Titles and remediations reach the board report and the action plan in ordinary words: a fact
    // name ("ad.privileged.stale.accounts", "directory.stale_days") is a technical id there. The
    // accounts a remediation speaks of are the ones the report names beside the finding.
    const auto& catalog = pack().catalog;
    for (const auto& rule : pack().rules.rules) {
        for (const std::string* text : {&rule.title.sv, &rule.title.en, &rule.remediation.sv, &rule.remediation.en}) {
            for (std::size_t id = 0; id < catalog.interned_count(); ++id) {
                const std::string& fact = catalog.name_of(static_cast<int>(id));
                EXPECT_EQ(text->find(fact), std::string::npos) << rule.id << " names the fact " << fact << ": " << *text;
            }
        }
    }
}

// The Swedish words of the board report and the action plan carry no raw id: nothing like
// "(role: ledningens_genomgang)", "stale_days" or "tls.cert.verify_error" — an identifier with '_'
// is a name from lisa's inventory or facts, and the Swedish text says the thing's Swedish name and
// where in the inventory instead. A setting of another product that the reader types as it is
// (nginx's 'ssl_protocols', OpenLDAP's 'disallow bind_anon') stands in single quotes.
std::vector<std::string> identifiers_outside_quotes(const std::string& text) {
    std::vector<std::string> out;
    bool quoted = false;
    std::string word;
    auto flush = [&] {
        // An upper-case name is a standard's or a product's constant (PASSWD_NOTREQD,
        // TLS_FALLBACK_SCSV) that the reader looks up as it is; lisa's own ids are lower case.
        const bool lower = std::any_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        if (!quoted && lower && word.find('_') != std::string::npos) out.push_back(word);
        word.clear();
    };
    for (const char c : text) {
        const bool part = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
        if (part) {
            word += c;
            continue;
        }
        flush();
        if (c == '\'') quoted = !quoted;
    }
    flush();
    return out;
}

TEST(RulePackTest, SwedishTitlesAndRemediationsHaveNoIdentifier) {
    EXPECT_EQ(identifiers_outside_quotes("för in den i inventariet (role: ledningens_genomgang)."),
              std::vector<std::string>{"ledningens_genomgang"});
    EXPECT_EQ(identifiers_outside_quotes("Se tls.cert.verify_error för orsaken"),
              std::vector<std::string>{"tls.cert.verify_error"});
    EXPECT_TRUE(identifiers_outside_quotes("t.ex. 'ssl_protocols TLSv1.2' i nginx").empty());
    EXPECT_TRUE(identifiers_outside_quotes("flaggan PASSWD_NOTREQD (userAccountControl 0x20)").empty());
    for (const auto& rule : pack().rules.rules) {
        for (const std::string* text : {&rule.title.sv, &rule.remediation.sv}) {
            EXPECT_EQ(identifiers_outside_quotes(*text), std::vector<std::string>{}) << rule.id << ": " << *text;
        }
    }
}

// Every Swedish text in the rule files (a rule's title and remediation, a survey indicator's
// question and criteria: any `sv` or `*_sv` key), not only what the loader keeps.
void swedish_texts(const YAML::Node& node, const std::string& key, std::vector<std::string>& out) {
    if (node.IsScalar() && (key == "sv" || (key.size() > 3 && key.compare(key.size() - 3, 3, "_sv") == 0))) {
        out.push_back(node.Scalar());
    } else if (node.IsMap()) {
        for (const auto& kv : node) swedish_texts(kv.second, kv.first.Scalar(), out);
    } else if (node.IsSequence()) {
        for (const auto& item : node) swedish_texts(item, key, out);
    }
}

TEST(RulePackTest, NoSwedishTextInTheRuleFilesHasAnIdentifier) {
    std::size_t texts = 0;
    for (const auto& entry : fs::directory_iterator(LISA_RULES_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        std::vector<std::string> sv;
        swedish_texts(YAML::LoadFile(entry.path().string()), "", sv);
        texts += sv.size();
        for (const auto& text : sv) {
            EXPECT_EQ(identifiers_outside_quotes(text), std::vector<std::string>{}) << entry.path().filename() << ": " << text;
        }
    }
    EXPECT_GT(texts, 100U);  // the walk found the pack's Swedish texts
}

TEST(RulePackTest, EveryAreaARuleNamesIsDeclaredWithBothTitles) {
    // Reports print the pack's area titles (rules/areas.yaml); an undeclared area would reach the
    // board report as a raw id.
    const auto& set = pack().rules;
    for (const auto& rule : set.rules) {
        const lisa::AreaDef* area = set.find_area(rule.area);
        ASSERT_NE(area, nullptr) << rule.id << " names area '" << rule.area << "', not declared in rules/areas.yaml";
        EXPECT_FALSE(area->title.sv.empty()) << rule.area;
        EXPECT_FALSE(area->title.en.empty()) << rule.area;
    }
}

}  // namespace

namespace {

// Every compare in a condition tree.
void compares(const lisa::Condition& c, std::vector<const lisa::Condition*>& out) {
    if (c.kind == lisa::Condition::Kind::Compare) {
        out.push_back(&c);
    }
    for (const auto& child : c.children) {
        compares(child, out);
    }
}

// survey-fix item 1: anything dated after --as-of does not exist yet. A rule that reads the date of
// an event (a decision, a classification) as evidence that it happened must bound it by the audit
// date — `lte: "$as_of"`, `lte: "$reference_year_end"` or `within_days` (which refuses future dates) —
// so a classification dated 2026-12-01 or a policy adopted 2026-06-01 does not pass at 2026-01-15.
// Validity limits (giltig_till) lie in the future by nature and are not events.
TEST(RulePackTest, EveryEventDateIsBoundedByTheAuditDate) {
    const std::set<std::string> validity_limits = {"document.giltig_till"};
    for (const auto& rule : pack().rules.rules) {
        std::vector<const lisa::Condition*> all;
        compares(rule.expect, all);
        std::set<std::string> read;
        std::set<std::string> bounded;
        for (const auto* c : all) {
            const auto info = pack().catalog.lookup(c->fact);
            if (!info || info->type != lisa::ValueType::Date || validity_limits.count(c->fact) > 0) {
                continue;
            }
            read.insert(c->fact);
            if (c->op == lisa::Op::WithinDays ||
                (c->op == lisa::Op::Lte && (c->param == "as_of" || c->param == "reference_year_end"))) {
                bounded.insert(c->fact);
            }
        }
        for (const auto& fact : read) {
            EXPECT_TRUE(bounded.count(fact) > 0) << rule.id << " reads " << fact << " without bounding it by the audit date";
        }
    }
    // The classification rule reads the date beside the derived "classified" flag.
    const lisa::Rule* klass = pack().rules.find("KLASS-001");
    ASSERT_NE(klass, nullptr);
    std::vector<const lisa::Condition*> all;
    compares(klass->expect, all);
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const lisa::Condition* c) {
        return c->fact == "system.classification.date" && c->op == lisa::Op::Lte;
    }));
}

}  // namespace
