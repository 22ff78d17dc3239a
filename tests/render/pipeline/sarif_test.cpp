// SPDX-License-Identifier: Apache-2.0
// render_sarif: valid against a subset of the SARIF 2.1.0 schema (required properties, types,
// enumerations; sarif-2.1.0-subset.schema.json, checked with the small validator below), plus
// what a schema cannot say: ruleIndex points at the rule named by ruleId, levels follow
// severity, errors are "open" results, waivers are accepted external suppressions.
#include "pipeline_test_util.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace lisa {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using pipeline_test::count_status;
using pipeline_test::example_report;
using pipeline_test::render;

/// A JSON Schema validator for exactly the keywords the subset schema uses: type, required,
/// properties, items, enum, minimum, minItems and local $ref. Any other keyword is reported as
/// an error, so the schema cannot silently rely on something this does not check.
class SubsetValidator {
public:
    explicit SubsetValidator(Json root) : root_(std::move(root)) {}

    [[nodiscard]] std::vector<std::string> validate(const Json& doc) const {
        std::vector<std::string> errors;
        check(root_, doc, "$", errors, 0);
        return errors;
    }

private:
    static bool has_type(const Json& v, const std::string& type) {
        static const std::map<std::string, bool (Json::*)() const noexcept> kTypes = {
            {"object", &Json::is_object},
            {"array", &Json::is_array},
            {"string", &Json::is_string},
            {"boolean", &Json::is_boolean},
            {"null", &Json::is_null},
            {"number", &Json::is_number},
            {"integer", &Json::is_number_integer}};
        const auto it = kTypes.find(type);
        return it != kTypes.end() && (v.*(it->second))();
    }

    static bool any_of(const Json& list, const std::function<bool(const Json&)>& pred) {
        return std::any_of(list.begin(), list.end(), pred);
    }

    void check(const Json& schema, const Json& v, const std::string& path,
               std::vector<std::string>& errors, int depth) const {
        if (depth > 64) {
            errors.push_back(path + ": schema recursion too deep");
            return;
        }
        for (const auto& [key, arg] : schema.items()) {
            if (key == "$schema" || key == "title" || key == "description" ||
                key == "definitions") {
                continue;
            }
            if (key == "$ref") {
                const std::string ref = arg.get<std::string>();
                if (ref.rfind("#/", 0) != 0) {
                    errors.push_back(path + ": only local $ref supported: " + ref);
                } else {
                    check(root_.at(Json::json_pointer(ref.substr(1))), v, path, errors, depth + 1);
                }
            } else if (key == "type") {
                const bool ok =
                    arg.is_array()
                        ? any_of(arg,
                                 [&v](const Json& t) { return has_type(v, t.get<std::string>()); })
                        : has_type(v, arg.get<std::string>());
                if (!ok) {
                    errors.push_back(path + ": expected type " + arg.dump() + ", got " + v.dump());
                }
            } else if (key == "required") {
                for (const auto& name : arg) {
                    if (!v.is_object() || !v.contains(name.get<std::string>())) {
                        errors.push_back(path + ": missing required " + name.get<std::string>());
                    }
                }
            } else if (key == "properties") {
                for (const auto& [name, sub] : arg.items()) {
                    if (v.is_object() && v.contains(name)) {
                        check(sub, v.at(name), path + "." + name, errors, depth + 1);
                    }
                }
            } else if (key == "items") {
                for (std::size_t i = 0; v.is_array() && i < v.size(); ++i) {
                    check(arg, v.at(i), path + "[" + std::to_string(i) + "]", errors, depth + 1);
                }
            } else if (key == "enum") {
                if (!any_of(arg, [&v](const Json& e) { return e == v; })) {
                    errors.push_back(path + ": " + v.dump() + " not in " + arg.dump());
                }
            } else if (key == "minimum") {
                if (v.is_number() && v.get<double>() < arg.get<double>()) {
                    errors.push_back(path + ": " + v.dump() + " below minimum " + arg.dump());
                }
            } else if (key == "minItems") {
                if (v.is_array() && v.size() < arg.get<std::size_t>()) {
                    errors.push_back(path + ": fewer than " + arg.dump() + " items");
                }
            } else {
                errors.push_back(path + ": unsupported schema keyword " + key);
            }
        }
    }

    Json root_;
};

const SubsetValidator& validator() {
    static const SubsetValidator v(Json::parse(testing_support::read_file(
        pipeline_test::source_path("tests/render/pipeline/sarif-2.1.0-subset.schema.json"))));
    return v;
}

Json sarif_of(const ReportJson& report, const std::string& lang = "sv") {
    return Json::parse(render(render_sarif, report, lang));  // strict: throws on invalid UTF-8
}

void expect_valid(const Json& sarif) {
    const auto errors = validator().validate(sarif);
    EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
}

ReportJson example_with_error() {
    ReportJson report = example_report();
    auto& f = pipeline_test::finding(report, "AUTH-001", "aldreomsorg");
    f["status"] = "error";
    f["message"] = "tls probe failed: connection refused";
    report["run"]["complete"] = false;
    report["probes"].push_back({{"probe", "tls"},
                                {"subject", "aldreomsorg/extern"},
                                {"target", "aldreomsorg.example:443"},
                                {"error", "connection refused"}});
    return report;
}

const Json& result_for(const Json& sarif, const std::string& rule, const std::string& subject) {
    for (const auto& r : sarif["runs"][0]["results"]) {
        if (r["ruleId"] == rule && r["locations"][0]["logicalLocations"][0]["name"] == subject) {
            return r;
        }
    }
    throw std::runtime_error("no result " + rule + " " + subject);
}

TEST(SarifRender, ValidAgainstTheSubsetSchema) {
    expect_valid(sarif_of(example_report()));
    expect_valid(sarif_of(example_report(), "en"));
    expect_valid(sarif_of(example_with_error()));
}

TEST(SarifRender, TheValidatorRejectsBrokenSarif) {
    const Json good = sarif_of(example_with_error());
    ASSERT_TRUE(validator().validate(good).empty());
    const std::vector<std::pair<std::string, std::function<void(Json&)>>> breakages = {
        {"version", [](Json& s) { s["version"] = "2.0.0"; }},
        {"runs", [](Json& s) { s.erase("runs"); }},
        {"runs empty", [](Json& s) { s["runs"] = Json::array(); }},
        {"driver", [](Json& s) { s["runs"][0]["tool"].erase("driver"); }},
        {"driver.name", [](Json& s) { s["runs"][0]["tool"]["driver"].erase("name"); }},
        {"rule id", [](Json& s) { s["runs"][0]["tool"]["driver"]["rules"][3].erase("id"); }},
        {"rule text",
         [](Json& s) {
             s["runs"][0]["tool"]["driver"]["rules"][0]["help"] = {{"markdown", "x"}};
         }},
        {"message", [](Json& s) { s["runs"][0]["results"][0].erase("message"); }},
        {"message.text", [](Json& s) { s["runs"][0]["results"][1]["message"]["text"] = 5; }},
        {"level", [](Json& s) { s["runs"][0]["results"][0]["level"] = "fatal"; }},
        {"kind", [](Json& s) { s["runs"][0]["results"][0]["kind"] = "error"; }},
        {"ruleIndex", [](Json& s) { s["runs"][0]["results"][0]["ruleIndex"] = -2; }},
        {"logicalLocations",
         [](Json& s) {
             s["runs"][0]["results"][0]["locations"][0]["logicalLocations"] = Json::object();
         }},
        {"suppression",
         [](Json& s) {
             for (auto& r : s["runs"][0]["results"]) {
                 if (r.contains("suppressions"))
                     r["suppressions"][0]["kind"] = "internal";
             }
         }},
        {"executionSuccessful",
         [](Json& s) { s["runs"][0]["invocations"][0].erase("executionSuccessful"); }},
    };
    for (const auto& [what, breakage] : breakages) {
        Json broken = good;
        breakage(broken);
        EXPECT_FALSE(validator().validate(broken).empty()) << what;
    }
}

TEST(SarifRender, RequiredFieldsAndReferences) {
    const ReportJson report = example_with_error();
    const Json sarif = sarif_of(report);
    EXPECT_EQ(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    EXPECT_EQ(sarif["version"], "2.1.0");
    ASSERT_EQ(sarif["runs"].size(), 1U);
    const Json& run = sarif["runs"][0];
    const Json& driver = run["tool"]["driver"];
    EXPECT_EQ(driver["name"], "lisa");
    EXPECT_EQ(driver["version"], "0.1.0");
    const Json& rules = driver["rules"];
    ASSERT_EQ(rules.size(), report["rules"].size());
    std::set<std::string> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        EXPECT_EQ(rules[i]["id"], report["rules"][i]["id"].get<std::string>());
        EXPECT_TRUE(ids.insert(rules[i]["id"].get<std::string>()).second) << "duplicate id";
        EXPECT_FALSE(rules[i]["shortDescription"]["text"].get<std::string>().empty());
        EXPECT_FALSE(rules[i]["help"]["text"].get<std::string>().empty());
    }

    const std::size_t expected = count_status(report, "fail") + count_status(report, "error") +
                                 count_status(report, "waived");
    ASSERT_EQ(run["results"].size(), expected);
    const std::set<std::string> levels = {"none", "note", "warning", "error"};
    for (const auto& r : run["results"]) {
        const std::string id = r["ruleId"].get<std::string>();
        ASSERT_TRUE(ids.count(id) == 1) << id;
        const auto index = r["ruleIndex"].get<std::size_t>();
        ASSERT_LT(index, rules.size());
        EXPECT_EQ(rules[index]["id"], id);
        EXPECT_EQ(levels.count(r["level"].get<std::string>()), 1U);
        EXPECT_FALSE(r["message"]["text"].get<std::string>().empty());
        ASSERT_EQ(r["locations"].size(), 1U);
        ASSERT_EQ(r["locations"][0]["logicalLocations"].size(), 1U);
        const Json& loc = r["locations"][0]["logicalLocations"][0];
        const std::string kind = r["properties"]["subject_kind"].get<std::string>();
        EXPECT_EQ(loc["kind"], kind);
        EXPECT_EQ(loc["fullyQualifiedName"], kind + ":" + loc["name"].get<std::string>());
    }
    // Every fail, error and waived finding has its result, and nothing else does.
    for (const auto& f : report["findings"]) {
        const std::string status = f["status"].get<std::string>();
        if (status == "fail" || status == "error" || status == "waived") {
            const Json& r =
                result_for(sarif, f["rule"].get<std::string>(), f["subject"].get<std::string>());
            EXPECT_EQ(r["properties"]["status"], status);
            EXPECT_EQ(r["message"]["text"], f["message"].get<std::string>());
            // The evidence without the account names (issue 16 item 8: SARIF goes to code-scanning
            // services outside the municipality; the names stay in its own reports).
            Json evidence = Json::parse(f["evidence"].dump());
            for (auto it = evidence.begin(); it != evidence.end();) {
                const std::string fact = it.key();
                it = fact.size() > 9 && fact.substr(fact.size() - 9) == ".accounts" ? evidence.erase(it) : std::next(it);
            }
            EXPECT_EQ(r["properties"]["evidence"], evidence);
            EXPECT_EQ(r.dump().find("htj0575"), std::string::npos) << "SARIF carries an account name";
            EXPECT_EQ(r["properties"]["owner"], Json::parse(f["owner"].dump()));
        }
    }
}

TEST(SarifRender, LevelFollowsSeverity) {
    ReportJson report = example_report();
    pipeline_test::finding(report, "AUTH-002", "aldreomsorg")["severity"] = "critical";
    pipeline_test::finding(report, "AUTH-002", "sabo")["severity"] = "low";
    pipeline_test::finding(report, "AUTH-002", "lss-utforare")["severity"] = "info";
    const Json sarif = sarif_of(report);
    EXPECT_EQ(result_for(sarif, "AUTH-002", "aldreomsorg")["level"], "error");
    EXPECT_EQ(result_for(sarif, "AUTH-001", "hemtjanst-mobil")["level"], "error");    // high
    EXPECT_EQ(result_for(sarif, "AUTH-002", "hemtjanst-mobil")["level"], "warning");  // medium
    EXPECT_EQ(result_for(sarif, "AUTH-002", "sabo")["level"], "note");
    EXPECT_EQ(result_for(sarif, "AUTH-002", "lss-utforare")["level"], "note");
    EXPECT_EQ(result_for(sarif, "AUTH-001", "hemtjanst-mobil")["kind"], "fail");
    for (const auto& rule : sarif["runs"][0]["tool"]["driver"]["rules"]) {
        const std::string severity = rule["properties"]["severity"].get<std::string>();
        const std::string want = severity == "critical" || severity == "high" ? "error"
                                 : severity == "medium"                       ? "warning"
                                                                              : "note";
        EXPECT_EQ(rule["defaultConfiguration"]["level"], want) << rule["id"];
    }
}

TEST(SarifRender, ErrorFindingIsAnOpenResultWithLevelNone) {
    const Json sarif = sarif_of(example_with_error());
    const Json& r = result_for(sarif, "AUTH-001", "aldreomsorg");
    EXPECT_EQ(r["kind"], "open");
    EXPECT_EQ(r["level"], "none");  // SARIF §3.27.10: level is "none" whenever kind is not "fail"
    EXPECT_EQ(r["properties"]["status"], "error");
    EXPECT_EQ(r["message"]["text"], "tls probe failed: connection refused");
    const Json& invocation = sarif["runs"][0]["invocations"][0];
    EXPECT_EQ(invocation["executionSuccessful"], false);
    ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1U);
    EXPECT_THAT(invocation["toolExecutionNotifications"][0]["message"]["text"].get<std::string>(),
                HasSubstr("connection refused"));
    EXPECT_EQ(invocation["startTimeUtc"], "2026-11-22T00:00:00Z");
    EXPECT_EQ(sarif_of(example_report())["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

// Issue 16 item 11: every result points at the inventory line that declares its subject
// (physicalLocation: the file relative to the repository root, %SRCROOT%, line and column), so
// code scanning shows the alert on that line. The example's report is the golden scan of
// examples/exempelkommun: each location is checked against the inventory file itself.
TEST(SarifRender, ResultsPointAtTheInventoryLineThatDeclaresTheSubject) {
    const Json sarif = sarif_of(example_report());
    const std::string inventory = testing_support::read_file(pipeline_test::source_path("examples/exempelkommun/inventory.yaml"));
    std::vector<std::string> lines;
    std::istringstream in(inventory);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    std::size_t located = 0;
    for (const Json& r : sarif["runs"][0]["results"]) {
        const Json& location = r["locations"][0];
        const std::string subject = location["logicalLocations"][0]["name"];
        ASSERT_TRUE(location.contains("physicalLocation")) << r["ruleId"] << " " << subject;
        const Json& physical = location["physicalLocation"];
        EXPECT_EQ(physical["artifactLocation"]["uri"], "examples/exempelkommun/inventory.yaml");
        EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        const int line = physical["region"]["startLine"];
        const int column = physical["region"]["startColumn"];
        ASSERT_GE(line, 1);
        ASSERT_LE(static_cast<std::size_t>(line), lines.size());
        ASSERT_GE(column, 1);
        const std::string own_id = subject.substr(subject.rfind('/') == std::string::npos ? 0 : subject.rfind('/') + 1);
        const std::string& text = lines[static_cast<std::size_t>(line - 1)];
        EXPECT_TRUE(text.find(own_id) != std::string::npos || text.find("name:") != std::string::npos)
            << r["ruleId"] << " on " << subject << ": line " << line << " is '" << text << "'";
        ++located;
    }
    EXPECT_GT(located, 10U);
}

TEST(SarifRender, PhysicalLocationIsAUriReferenceAndOnlyWhenKnown) {
    ReportJson report = example_report();
    pipeline_test::finding(report, "KLASS-003", "hemtjanst-mobil")["declared_at"] =
        ReportJson{{"file", "inventarier/vår kommun#1.yaml"}, {"line", 42}, {"column", 5}};
    pipeline_test::finding(report, "AUTH-001", "hemtjanst-mobil").erase("declared_at");
    const Json sarif = sarif_of(report);
    const Json& physical = result_for(sarif, "KLASS-003", "hemtjanst-mobil")["locations"][0]["physicalLocation"];
    EXPECT_EQ(physical["artifactLocation"]["uri"], "inventarier/v%C3%A5r%20kommun%231.yaml");
    EXPECT_EQ(physical["region"]["startLine"], 42);
    EXPECT_EQ(physical["region"]["startColumn"], 5);
    const Json& unknown = result_for(sarif, "AUTH-001", "hemtjanst-mobil")["locations"][0];
    EXPECT_FALSE(unknown.contains("physicalLocation"));
    EXPECT_EQ(unknown["logicalLocations"][0]["name"], "hemtjanst-mobil");
}

TEST(SarifRender, WaivedFindingIsAnAcceptedExternalSuppression) {
    const Json sarif = sarif_of(example_report());
    const Json& r = result_for(sarif, "KLASS-003", "hemtjanst-mobil");
    EXPECT_EQ(r["kind"], "fail");
    EXPECT_EQ(r["level"], "error");
    EXPECT_EQ(r["properties"]["status"], "waived");
    EXPECT_EQ(r["properties"]["unwaived_status"], "fail");
    ASSERT_EQ(r["suppressions"].size(), 1U);
    const Json& s = r["suppressions"][0];
    EXPECT_EQ(s["kind"], "external");
    EXPECT_EQ(s["status"], "accepted");
    EXPECT_EQ(
        s["justification"],
        "Mobilappen byts mot en lösning med e-legitimation; upphandling klar, införande pågår.");
    EXPECT_EQ(s["properties"]["decision_ref"], "VON 2026/118");
    EXPECT_EQ(s["properties"]["expires"], "2027-03-31");
    EXPECT_EQ(s["properties"]["decided_by"], "Vård- och omsorgsnämnden");
    // Only the waived result is suppressed.
    std::size_t suppressed = 0;
    for (const auto& res : sarif["runs"][0]["results"]) {
        suppressed += res.contains("suppressions") ? 1 : 0;
    }
    EXPECT_EQ(suppressed, 1U);
}

TEST(SarifRender, RuleDescriptorsInTheRequestedLanguage) {
    const ReportJson report = example_report();
    const Json sarif_sv = sarif_of(report);
    // By id, not by position: the pack grows (AD-001 sorts before AUTH-001).
    auto by_id = [](const auto& list, const char* id) -> const auto& {
        for (const auto& r : list) {
            if (r["id"] == id) return r;
        }
        ADD_FAILURE() << id << " missing";
        return list[0];
    };
    const Json& rule_sv = by_id(sarif_sv["runs"][0]["tool"]["driver"]["rules"], "AUTH-001");
    const Json& src = by_id(report["rules"], "AUTH-001");
    ASSERT_EQ(rule_sv["id"], "AUTH-001");
    EXPECT_EQ(rule_sv["name"], "AUTH-001");
    EXPECT_EQ(rule_sv["shortDescription"]["text"], src["title"]["sv"].get<std::string>());
    EXPECT_EQ(rule_sv["help"]["text"], src["remediation"]["sv"].get<std::string>());
    EXPECT_THAT(rule_sv["fullDescription"]["text"].get<std::string>(),
                HasSubstr("ISO/IEC 27001:2022 A.8.5"));
    EXPECT_EQ(rule_sv["properties"]["area"], "autentisering");
    EXPECT_EQ(rule_sv["properties"]["severity"], "high");
    EXPECT_EQ(rule_sv["properties"]["security-severity"], "8.0");
    EXPECT_EQ(rule_sv["properties"]["references"], Json::parse(src["references"].dump()));
    EXPECT_EQ(rule_sv["properties"]["tags"],
              Json::parse(R"(["security", "compliance", "autentisering", "SEC-AUTH-EXT"])"));

    const Json sarif_en = sarif_of(report, "en");
    const Json& rule_en = by_id(sarif_en["runs"][0]["tool"]["driver"]["rules"], "AUTH-001");
    EXPECT_EQ(rule_en["shortDescription"]["text"], src["title"]["en"].get<std::string>());
    EXPECT_EQ(rule_en["help"]["text"], src["remediation"]["en"].get<std::string>());
    EXPECT_EQ(sarif_en["runs"][0]["language"], "en-US");
}

TEST(SarifRender, RuleMissingFromTheCatalogueGetsADescriptor) {
    ReportJson report = example_report();
    auto& f = pipeline_test::finding(report, "AUTH-001", "hemtjanst-mobil");
    f["rule"] = "X-999";
    const Json sarif = sarif_of(report);
    const Json& rules = sarif["runs"][0]["tool"]["driver"]["rules"];
    ASSERT_EQ(rules.size(), report["rules"].size() + 1);
    EXPECT_EQ(rules.back()["id"], "X-999");
    const Json& r = result_for(sarif, "X-999", "hemtjanst-mobil");
    EXPECT_EQ(r["ruleIndex"], rules.size() - 1);
    expect_valid(sarif);
}

TEST(SarifRender, HostileTextIsValidJsonAndUtf8) {
    const ReportJson report = pipeline_test::hostile_report();
    Json sarif;
    ASSERT_NO_THROW(sarif = sarif_of(report));
    expect_valid(sarif);
    // Invalid bytes become U+FFFD; everything else survives exactly.
    const Json& r = result_for(sarif, "KLASS-003", "hemtjanst-mobil");
    EXPECT_THAT(r["properties"]["owner"].get<std::string>(), HasSubstr("<script>alert(\"x&y\")"));
    EXPECT_THAT(r["properties"]["owner"].get<std::string>(), HasSubstr("\xEF\xBF\xBD"));
}

TEST(SarifRender, OddDocumentsNeverThrowAndStayValid) {
    for (const auto& report : pipeline_test::odd_reports()) {
        SCOPED_TRACE(
            report.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace).substr(0, 200));
        Json sarif;
        ASSERT_NO_THROW(sarif = sarif_of(report));
        expect_valid(sarif);
        for (const auto& r : sarif["runs"][0]["results"]) {
            EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"].get<std::size_t>()]
                           ["id"],
                      r["ruleId"]);
        }
    }
}

TEST(SarifRender, Deterministic) {
    const ReportJson report = example_report();
    EXPECT_EQ(render(render_sarif, report), render(render_sarif, report));
}

}  // namespace
}  // namespace lisa
