// SPDX-License-Identifier: Apache-2.0
// The lisa binary end to end: exit codes (DESIGN §5), the JSON golden file, byte-stable output.
// Set LISA_UPDATE_GOLDEN=1 to rewrite tests/data/expected/*.json after an intended change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "process.hpp"

namespace fs = std::filesystem;
using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kSource = LISA_SOURCE_DIR;
constexpr const char* kDemoPassword = "demo-only-not-a-secret";
const std::string kExample = kSource + "/examples/exempelkommun/inventory.yaml";

struct CliRun {
    int status = -1;
    std::string output;  // stdout and stderr together
};

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

// With one environment variable changed for this run only.
CliRun run_with_env(const std::string& name, const std::string& value, std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    args.insert(args.begin(), name + "=" + value);
    args.insert(args.begin(), "env");
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

// stdout only, stderr discarded: for byte comparisons.
std::string lisa_stdout(const std::vector<std::string>& args, int* status = nullptr) {
    TempDir dir;
    std::vector<std::string> full = {"/bin/sh", "-c", "\"$0\" \"$@\" 2>/dev/null", LISA_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    std::string out;
    const int rc = run_command(full, &out);
    if (status != nullptr) {
        *status = rc;
    }
    return out;
}

// Every scan stores itself in the history: keep the tests' history in a temporary directory.
// The example's endpoints are real servers on 127.0.0.1 (examples/exempelkommun/servers): start
// them for the tests and stop them afterwards, whatever happened (ctest serialises the CLI tests
// on the resource lock "example-servers").
class ExampleEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        setenv("LISA_HISTORY", dir_.file("history.db").c_str(), 1);
        setenv("LISA_DEMO_STATE", dir_.file("servers").c_str(), 1);
        // The demo directory's read-only bind account (examples/exempelkommun/servers).
        setenv("LISA_DEMO_AD_PASSWORD", kDemoPassword, 1);
        std::string out;
        const int rc = run_command({kSource + "/examples/exempelkommun/servers/start"}, &out);
        ASSERT_EQ(rc, 0) << "cannot start the example's servers: " << out;
    }
    void TearDown() override { run_command({kSource + "/examples/exempelkommun/servers/stop"}); }

private:
    TempDir dir_;
};
const auto* const kExampleEnv = ::testing::AddGlobalTestEnvironment(new ExampleEnvironment);

const std::vector<std::string> kScanExample = {"scan", "--inventory", kExample, "--as-of", "2026-11-22"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

TEST(CliTest, ValidatesTheExample) {
    const CliRun r = lisa({"validate", "--inventory", kExample});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ok: "));
}

// The canonical JSON report of each example municipality, byte for byte: the record of every change
// to what an auditor receives (rerun with LISA_UPDATE_GOLDEN=1 and read the diff when one is meant).
class GoldenReportTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenReportTest, JsonReportMatchesTheGoldenFile) {
    const std::string example = GetParam();
    int status = 0;
    const std::string json =
        lisa_stdout({"scan", "--inventory", kSource + "/examples/" + example + "/inventory.yaml", "--as-of",
                     "2026-11-22", "--format", "json"},
                    &status);
    EXPECT_EQ(status, 0);
    const std::string golden_path = kSource + "/tests/data/expected/" + example + ".json";
    if (std::getenv("LISA_UPDATE_GOLDEN") != nullptr) {
        write_file(golden_path, json);
    }
    EXPECT_EQ(json, read_file(golden_path))
        << "the JSON report changed; if intended, rerun with LISA_UPDATE_GOLDEN=1";
}

INSTANTIATE_TEST_SUITE_P(Examples, GoldenReportTest, ::testing::Values("exempelkommun", "smakommun"));

TEST(CliTest, RelativeInventoryPathGivesTheSameReport) {
    // Regression: a relative inventory path once made CA files resolve twice (chain "invalid").
    std::string relative;
    const std::vector<std::string> args = {"/bin/sh", "-c",
                                           "cd \"$0\" && \"$1\" scan --inventory examples/exempelkommun/inventory.yaml "
                                           "--as-of 2026-11-22 --format json 2>/dev/null",
                                           kSource, LISA_BINARY};
    run_command(args, &relative);
    EXPECT_EQ(relative, lisa_stdout(with(kScanExample, {"--format", "json"})));
}

TEST(CliTest, JsonReportIsByteIdenticalAcrossRuns) {
    const auto args = with(kScanExample, {"--format", "json"});
    const std::string first = lisa_stdout(args);
    const std::string second = lisa_stdout(args);
    EXPECT_EQ(first, second);
    EXPECT_THAT(first, HasSubstr("\"started\": \"2026-11-22T00:00:00Z\""));
}

TEST(CliTest, TextSummaryShowsScoreAreasAndFailingRules) {
    const CliRun r = lisa(with(kScanExample, {"--lang", "en"}));
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("Score "));
    EXPECT_THAT(r.output, HasSubstr("klassning"));
    EXPECT_THAT(r.output, HasSubstr("Failing rules"));
    EXPECT_THAT(r.output, HasSubstr("KLASS-001  lss-utforare"));
    EXPECT_THAT(r.output, HasSubstr("EXPIRED"));
    // Not a terminal: no progress output, no colour codes.
    EXPECT_THAT(r.output, Not(HasSubstr("\033[")));
}

TEST(CliTest, FailOnSeverityGatesWithExitOne) {
    EXPECT_EQ(lisa(with(kScanExample, {"--fail-on", "high"})).status, 1);
    // A Domain Admin logs on without a smart card: critical (KAT-014).
    EXPECT_EQ(lisa(with(kScanExample, {"--fail-on", "critical"})).status, 1);
    EXPECT_EQ(lisa(with(kScanExample, {"--fail-on", "critical", "--system", "ifo"})).status, 0);
}

TEST(CliTest, FailUnderGatesWithExitOne) {
    EXPECT_EQ(lisa(with(kScanExample, {"--fail-under", "99"})).status, 1);
    EXPECT_EQ(lisa(with(kScanExample, {"--fail-under", "10"})).status, 0);
}

TEST(CliTest, SystemSelectionKeepsOnlyThatSystem) {
    const std::string json = lisa_stdout(with(kScanExample, {"--format", "json", "--system", "hemtjanst-mobil"}));
    EXPECT_THAT(json, HasSubstr("\"subject\": \"hemtjanst-mobil\""));
    EXPECT_THAT(json, HasSubstr("\"subject\": \"hemtjanst-mobil/app\""));
    EXPECT_THAT(json, Not(HasSubstr("\"subject\": \"ifo\"")));
    EXPECT_THAT(json, Not(HasSubstr("\"subject\": \"organization\"")));
    // The waived K2 finding stays visible, and a waiver never makes the gate fail.
    EXPECT_THAT(json, HasSubstr("\"status\": \"waived\""));
}

TEST(CliTest, UnknownSystemIsAUsageError) {
    const CliRun r = lisa(with(kScanExample, {"--system", "nosuch"}));
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.output, HasSubstr("unknown system 'nosuch'"));
}

TEST(CliTest, BadOptionsAreUsageErrors) {
    EXPECT_EQ(lisa({"scan"}).status, 2);
    EXPECT_EQ(lisa(with(kScanExample, {"--format", "pdf"})).status, 2);
    EXPECT_EQ(lisa(with(kScanExample, {"--as-of", "2026-02-30"})).status, 2);
    EXPECT_EQ(lisa(with(kScanExample, {"--fail-on", "urgent"})).status, 2);
    EXPECT_EQ(lisa({"frobnicate"}).status, 2);
    EXPECT_EQ(lisa(with(kScanExample, {"--no-such-option"})).status, 2);
}

TEST(CliTest, InvalidInventoryExitsTwoWithEveryLocatedProblem) {
    TempDir dir;
    write_file(dir.file("inv.yaml"), R"(organization:
  name: X
  populaton: 12
systems:
  - id: a
    name: A
    verksamhetsomraden: ["Barn och unga"]
    roles: [utförare]
    personal_data: true
    sensitive_personal_data: maybe
)");
    const CliRun r = lisa({"scan", "--inventory", dir.file("inv.yaml")});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.output, HasSubstr("inv.yaml:3:3: unknown key 'populaton'"));
    EXPECT_THAT(r.output, HasSubstr("did you mean 'population'?"));
    EXPECT_THAT(r.output, HasSubstr("inv.yaml:10:30: 'sensitive_personal_data' must be true or false"));
    EXPECT_THAT(r.output, Not(HasSubstr("Score")));  // nothing probed, no report
}

TEST(CliTest, OutputIsWrittenAtomicallyAndOnlyThere) {
    TempDir dir;
    const std::string path = dir.file("report.json");
    const CliRun r = lisa(with(kScanExample, {"--format", "text", "--format", "json", "--output", path}));
    EXPECT_EQ(r.status, 0) << r.output;
    const std::string json = read_file(path);
    EXPECT_EQ(json.rfind("{", 0), 0U);
    EXPECT_THAT(r.output, HasSubstr("Poäng"));
    EXPECT_THAT(r.output, Not(HasSubstr("\"schema_version\"")));
    // No temporary file is left beside it.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) {
        ++files;
    }
    EXPECT_EQ(files, 1U);
}

TEST(CliTest, UnwritableOutputFailsWithoutAHalfReport) {
    const CliRun r = lisa(with(kScanExample, {"--format", "json", "--output", "/nonexistent-dir/r.json"}));
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.output, HasSubstr("cannot"));
}

TEST(CliTest, IncompleteScanExitsThreeUnlessAllowed) {
    TempDir dir;
    fs::create_directories(dir.file("evidence/policy.md"));  // a directory where a file belongs
    write_file(dir.file("inv.yaml"), R"(organization: { name: X, population: 5000 }
isms:
  documents:
    - { id: policy, role: informationssakerhetspolicy, path: evidence/policy.md }
)");
    const CliRun r = lisa({"scan", "--inventory", dir.file("inv.yaml"), "--as-of", "2026-11-22"});
    EXPECT_EQ(r.status, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr("is not a regular file"));
    EXPECT_EQ(lisa({"scan", "--inventory", dir.file("inv.yaml"), "--allow-incomplete"}).status, 0);
    // A failed gate outranks an incomplete scan.
    EXPECT_EQ(lisa({"scan", "--inventory", dir.file("inv.yaml"), "--fail-under", "101"}).status, 1);
}

TEST(CliTest, FindsTheShippedRulePackFromAnyDirectory) {
    TempDir dir;
    const CliRun r = lisa({"rules", "list"});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("LIS-001"));
    EXPECT_THAT(r.output, HasSubstr("KLASS-003"));
    std::string out;
    EXPECT_EQ(run_command({"/bin/sh", "-c", "cd \"$0\" && \"$1\" rules list", dir.path(), LISA_BINARY}, &out), 0)
        << out;
    EXPECT_THAT(out, HasSubstr("LIS-001"));
}

TEST(CliTest, RulesShowPrintsTheWholeRule) {
    const CliRun r = lisa({"rules", "show", "KLASS-003"});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ISO/IEC 27001:2022 A.8.5"));
    EXPECT_THAT(r.output, HasSubstr("system.authentication.external equals strong"));
    EXPECT_THAT(r.output, HasSubstr("en: Confidentiality 2 or higher"));
    EXPECT_EQ(lisa({"rules", "show", "NOPE-1"}).status, 2);
}

TEST(CliTest, ProbesListsInventoryAndProbeFacts) {
    const CliRun r = lisa({"probes"});
    EXPECT_EQ(r.status, 0);
    EXPECT_THAT(r.output, HasSubstr("system.classification.confidentiality"));
    EXPECT_THAT(r.output, HasSubstr("document.sha256"));
}

TEST(CliTest, ReportAnswersTheSurveyBesideNationalFigures) {
    const std::string json = lisa_stdout(with(kScanExample, {"--format", "json"}));
    EXPECT_THAT(json, HasSubstr("\"id\": \"SEC-AUTH-EXT\""));
    EXPECT_THAT(json, HasSubstr("\"source\": \"003 T15\""));
    const CliRun r = lisa(kScanExample);
    EXPECT_THAT(r.output, HasSubstr("Socialstyrelsens enkät"));
    EXPECT_THAT(r.output, HasSubstr("riket (2023, n=290, 003 T15): Inga 1 % · [Delvis 46 %] · Alla 53 %"));
    EXPECT_THAT(r.output, HasSubstr("20–50 000 invånare (2023"));
    EXPECT_THAT(r.output, HasSubstr("ISO/IEC 27001:2022 Annex A: "));
    // Staff use of strong authentication needs directory evidence: never a guess.
    EXPECT_THAT(r.output, HasSubstr("Barn och unga: ej belagt"));
}

TEST(CliTest, SmallMunicipalityGetsItsOwnSizeGroupAndAnswers) {
    const std::string small = kSource + "/examples/smakommun/inventory.yaml";
    const CliRun r = lisa({"scan", "--inventory", small, "--as-of", "2026-11-22", "--lang", "en"});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("<10 000 invånare (2023"));
    EXPECT_THAT(r.output, Not(HasSubstr("20–50 000 invånare (2023")));
    const CliRun s = lisa({"survey", "--inventory", small, "--as-of", "2026-11-22"});
    const CliRun big = lisa({"survey", "--inventory", kExample, "--as-of", "2026-11-22"});
    EXPECT_EQ(s.status, 0) << s.output;
    EXPECT_NE(s.output, big.output);
    EXPECT_THAT(s.output, HasSubstr("SEC-LIS"));
    EXPECT_THAT(big.output, HasSubstr("Svarsalternativ: Inga / Delvis / Alla"));
}

TEST(CliTest, SeveralFormatsGoIntoTheOutputDirectory) {
    TempDir dir;
    const CliRun r = lisa(with(kScanExample, {"--no-history", "--format", "text", "--format", "json", "--format",
                                              "html", "--format", "junit", "--format", "sarif", "--format", "csv",
                                              "--format", "actionplan-csv", "--output-dir", dir.file("out")}));
    EXPECT_EQ(r.status, 0) << r.output;
    for (const char* f : {"report.txt", "report.json", "report.html", "report.junit.xml", "report.sarif",
                          "findings.csv", "actionplan.csv"}) {
        EXPECT_TRUE(fs::exists(dir.file("out") + "/" + f)) << f;
    }
    EXPECT_THAT(r.output, HasSubstr("Poäng"));  // the summary still reaches the terminal
    EXPECT_EQ(lisa(with(kScanExample, {"--format", "json", "--format", "html"})).status, 2);  // needs a directory
}

TEST(CliTest, HistoryStoresEveryScanAndDiffComparesTheLastTwo) {
    TempDir dir;
    const std::string db = dir.file("h.db");
    ASSERT_EQ(lisa({"scan", "--inventory", kExample, "--as-of", "2026-05-01", "--history", db}).status, 0);
    ASSERT_EQ(lisa({"scan", "--inventory", kExample, "--as-of", "2026-11-22", "--history", db}).status, 0);
    const CliRun h = lisa({"history", "--history", db});
    EXPECT_EQ(h.status, 0) << h.output;
    EXPECT_THAT(h.output, HasSubstr("2026-05-01"));
    EXPECT_THAT(h.output, HasSubstr("2 runs"));
    const CliRun d = lisa({"diff", "--history", db, "--lang", "en"});
    EXPECT_EQ(d.status, 0) << d.output;
    // Between the two audits the continuity test of hsl-journal aged past twelve months, a
    // certificate came within 30 days of expiry and 25 carers' accounts went stale (no logon
    // for 90 days); the demo certificates (issued 2026-11-22) were
    // not yet valid as of 2026-05-01, so their chains went from fail to pass.
    EXPECT_THAT(d.output, HasSubstr("Regressed (3)"));
    EXPECT_THAT(d.output, HasSubstr("KAT-010  hemtjanst-mobil/personal  [medium] pass → fail"));  // went stale
    EXPECT_THAT(d.output, HasSubstr("KLASS-006  hsl-journal/kontinuitetstest  [medium] pass → fail"));
    EXPECT_THAT(d.output, HasSubstr("TLS-009  aldreomsorg/extern  [medium] pass → fail"));
    EXPECT_THAT(d.output, HasSubstr("Fixed (5)"));
    EXPECT_THAT(d.output, HasSubstr("klassning       91.1 → 84.0 (-7.1)"));
    // The same comparison from run ids and from saved JSON reports.
    EXPECT_EQ(lisa({"diff", "1", "2", "--history", db, "--lang", "en"}).output, d.output);
    const std::string older = dir.file("old.json");
    const std::string newer = dir.file("new.json");
    lisa({"report", "1", "--history", db, "--format", "json", "--output", older});
    lisa({"report", "2", "--history", db, "--format", "json", "--output", newer});
    EXPECT_EQ(lisa({"diff", older, newer, "--lang", "en"}).output, d.output);
    const CliRun j = lisa({"diff", older, newer, "--format", "json"});
    EXPECT_THAT(j.output, HasSubstr("\"regressed\""));
}

TEST(CliTest, HistoryNeedsTwoRunsToDiff) {
    TempDir dir;
    const CliRun d = lisa({"diff", "--history", dir.file("empty.db")});
    EXPECT_EQ(d.status, 2);
    EXPECT_THAT(d.output, HasSubstr("fewer than two runs"));
}

TEST(CliTest, ReportReRendersASavedReport) {
    TempDir dir;
    const std::string json = dir.file("r.json");
    ASSERT_EQ(lisa(with(kScanExample, {"--no-history", "--format", "json", "--output", json})).status, 0);
    const CliRun r = lisa({"report", json, "--format", "html", "--output", dir.file("r.html")});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(read_file(dir.file("r.html")), HasSubstr("Exempelkommun"));
    const CliRun bad = lisa({"report", dir.file("nope.json"), "--format", "html"});
    EXPECT_EQ(bad.status, 2);
    write_file(dir.file("notareport.json"), "{\"a\": 1}");
    EXPECT_EQ(lisa({"report", dir.file("notareport.json")}).status, 2);
}

TEST(CliTest, SignedReportVerifiesOnlyWhenUntouched) {
    TempDir dir;
    for (const std::string algorithm : {"ed25519", "ec"}) {
        const std::string key = dir.file(algorithm + ".pem");
        const std::string pub = dir.file(algorithm + ".pub.pem");
        std::vector<std::string> gen = {"openssl", "genpkey", "-algorithm", algorithm == "ec" ? "EC" : "ED25519",
                                        "-out", key};
        if (algorithm == "ec") {
            gen.insert(gen.end(), {"-pkeyopt", "ec_paramgen_curve:P-256"});
        }
        ASSERT_EQ(run_command(gen), 0);
        ASSERT_EQ(run_command({"openssl", "pkey", "-in", key, "-pubout", "-out", pub}), 0);
        const std::string json = dir.file(algorithm + ".json");
        const CliRun s = lisa(with(kScanExample, {"--no-history", "--format", "json", "--output", json, "--sign", key}));
        ASSERT_EQ(s.status, 0) << s.output;
        ASSERT_TRUE(fs::exists(json + ".sig"));
        EXPECT_EQ(lisa({"verify", json, "--public-key", pub}).status, 0) << algorithm;
        // One byte changed: not verified.
        std::string content = read_file(json);
        content[content.find("Exempelkommun")] = 'F';
        write_file(json, content);
        const CliRun v = lisa({"verify", json, "--signature", json + ".sig", "--public-key", pub});
        EXPECT_EQ(v.status, 1) << algorithm;
        EXPECT_THAT(v.output, HasSubstr("NOT VERIFIED"));
        // The private key never reaches any output.
        EXPECT_THAT(s.output, Not(HasSubstr("PRIVATE KEY")));
    }
    // Signing needs a JSON file to sign.
    EXPECT_EQ(lisa(with(kScanExample, {"--sign", dir.file("ed25519.pem")})).status, 2);
}

// Issue 17: the central profile is what may leave the municipality. Every name-bearing field of the
// full report of the same scan (owners, subject names, messages, evidence values and sources, waiver
// reasons and decision makers, evidence file paths, probe targets) is collected and must not occur in
// the profile; the full report is checked to carry them, so the test fails if selection breaks.
TEST(CliTest, CentralProfileCarriesNoDnAccountNameOrEvidenceText) {
    TempDir dir;
    const std::string key = dir.file("ed25519.pem");
    const std::string pub = dir.file("ed25519.pub.pem");
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "ED25519", "-out", key}), 0);
    ASSERT_EQ(run_command({"openssl", "pkey", "-in", key, "-pubout", "-out", pub}), 0);
    const CliRun s = lisa(with(kScanExample, {"--no-history", "--format", "json", "--format", "central",
                                              "--output-dir", dir.file("out"), "--sign", key}));
    ASSERT_EQ(s.status, 0) << s.output;
    const std::string full_text = read_file(dir.file("out/report.json"));
    const std::string profile_text = read_file(dir.file("out/profile.central.json"));
    const auto full = nlohmann::json::parse(full_text);
    const auto profile = nlohmann::json::parse(profile_text);

    // Signed like any report: the profile's own bytes verify, a changed byte does not.
    EXPECT_EQ(lisa({"verify", dir.file("out/profile.central.json"), "--public-key", pub}).status, 0);
    EXPECT_EQ(lisa({"verify", dir.file("out/report.json"), "--public-key", pub}).status, 0);

    std::set<std::string> personal;
    const std::function<void(const nlohmann::json&)> collect = [&](const nlohmann::json& j) {
        if (j.is_string() && j.get<std::string>().size() >= 6) {
            personal.insert(j.get<std::string>());
        } else if (j.is_array() || j.is_object()) {
            for (const auto& v : j) collect(v);
        }
    };
    for (const auto& f : full["findings"]) {
        collect(f["message"]);
        collect(f["subject_name"]);
        collect(f["owner"]);
        for (const auto& [fact, e] : f["evidence"].items()) {
            collect(e["source"]);
            if (e["value"].is_string() && e["value"].get<std::string>().find_first_of("=/@ ") != std::string::npos) {
                collect(e["value"]);  // DNs, paths, addresses, sentences; not enum words like "strong"
            }
        }
    }
    for (const auto& w : full["waivers"]) {
        collect(w["reason"]);
        collect(w["decided_by"]);
    }
    for (const auto& e : full["evidence_files"]) collect(e["path"]);
    for (const auto& p : full["probes"]) collect(p["target"]);
    // Subject names equal to subject ids are ids, which the profile keeps on purpose.
    for (const auto& f : full["findings"]) personal.erase(f["subject"].get<std::string>());
    personal.erase(full["organization"]["name"].get<std::string>());  // the organisation is named on purpose
    ASSERT_GT(personal.size(), 50U) << "the full report should carry names and evidence text";
    EXPECT_THAT(full_text, HasSubstr("Vård- och omsorgsnämnden"));
    for (const auto& text : personal) {
        EXPECT_EQ(profile_text.find(text), std::string::npos) << "the central profile carries: " << text;
    }
    for (const char* marker : {"CN=", "DC=", "OU=", "svc-lisa", "@exempelkommun", "\"evidence\"", "\"message\"",
                               "\"owner\"", "\"subject_name\"", "\"waivers\"", "\"probes\""}) {
        EXPECT_THAT(profile_text, Not(HasSubstr(marker))) << marker;
    }
    // What it does carry: the organisation, the run, scores, every indicator answer, every result.
    EXPECT_EQ(profile["profile"], "lisa-central");
    EXPECT_EQ(profile["organization"]["municipality_code"], "9999");
    EXPECT_EQ(profile["run"], full["run"]);
    EXPECT_EQ(profile["score"]["overall"], full["score"]["overall"]);
    ASSERT_EQ(profile["indicators"].size(), full["indicators"].size());
    for (std::size_t i = 0; i < full["indicators"].size(); ++i) {
        EXPECT_EQ(profile["indicators"][i]["answer"], full["indicators"][i]["answer"]);
        EXPECT_EQ(profile["indicators"][i]["by_provenance"], full["indicators"][i]["evidence"]["by_provenance"]);
    }
    ASSERT_EQ(profile["results"].size(), full["findings"].size());
    EXPECT_EQ(profile["results"][0]["status"], full["findings"][0]["status"]);
    // 'lisa report' derives the same profile from a saved full report.
    int status = 0;
    EXPECT_EQ(lisa_stdout({"report", dir.file("out/report.json"), "--format", "central"}, &status), profile_text);
    EXPECT_EQ(status, 0);
}

TEST(CliTest, CiGateExampleBlocksAFailingSystem) {
    TempDir dir;
    const std::string gate = kSource + "/examples/ci/gate-deployment.sh";
    std::string out;
    const std::string env = std::string("LISA=") + LISA_BINARY + " LISA_OUT=" + dir.file("out");
    // hemtjanst-mobil logs in with passwords from the internet: high severity, blocked.
    EXPECT_EQ(run_command({"/bin/sh", "-c", env + " \"$0\" hemtjanst-mobil \"$1\"", gate, kExample}, &out), 1) << out;
    EXPECT_THAT(out, HasSubstr("deployment blocked"));
    EXPECT_TRUE(fs::exists(dir.file("out/report.junit.xml")));
    EXPECT_TRUE(fs::exists(dir.file("out/report.sarif")));
}

TEST(CliTest, BindPasswordAppearsInNoOutputReportOrHistoryRow) {
    // Every format, the terminal (stdout and stderr), the history database and the signature
    // are searched for the directory's bind password, from a scan that really bound with it.
    TempDir dir;
    const std::string db = dir.file("h.db");
    const CliRun r = lisa(with(kScanExample, {"--history", db, "--format", "text", "--format", "json", "--format",
                                              "html", "--format", "junit", "--format", "sarif", "--format", "csv",
                                              "--format", "actionplan-csv", "--output-dir", dir.file("out"),
                                              "--lang", "en"}));
    ASSERT_EQ(r.status, 0) << r.output;
    // The bind really happened: staff use of strong authentication was answered from it.
    EXPECT_THAT(read_file(dir.file("out/report.json")), HasSubstr("\"probe\": \"ldap\""));
    EXPECT_THAT(r.output, HasSubstr("Äldreomsorg, särskilda boenden: Ingen"));
    EXPECT_THAT(r.output, Not(HasSubstr(kDemoPassword)));
    for (const auto& entry : fs::directory_iterator(dir.file("out"))) {
        EXPECT_THAT(read_file(entry.path().string()), Not(HasSubstr(kDemoPassword))) << entry.path();
    }
    EXPECT_THAT(read_file(db), Not(HasSubstr(kDemoPassword)));
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"history", "--history", db}, {"report", "1", "--history", db, "--format", "json"},
             {"survey", "--inventory", kExample, "--as-of", "2026-11-22", "--no-history"},
             {"probe", "ldap", "ldap://127.0.0.1:13389", "--base", "DC=exempelkommun,DC=se", "--bind-dn",
              "CN=svc-lisa,OU=Service,DC=exempelkommun,DC=se", "--password-env", "LISA_DEMO_AD_PASSWORD"}}) {
        const CliRun other = lisa(args);
        EXPECT_THAT(other.output, Not(HasSubstr(kDemoPassword))) << args[0];
    }
    // A wrong password is refused without echoing it either.
    const CliRun wrong = run_with_env("LISA_DEMO_AD_PASSWORD", "wrong-Secret-123",
                                      with(kScanExample, {"--no-history", "--format", "json"}));
    EXPECT_EQ(wrong.status, 3);
    EXPECT_THAT(wrong.output, HasSubstr("nvalid credentials"));
    EXPECT_THAT(wrong.output, Not(HasSubstr("wrong-Secret-123")));
}

TEST(CliTest, ProbeDocumentPrintsFactsAsJson) {
    const CliRun r = lisa({"probe", "document", kSource + "/examples/exempelkommun/evidence/informationssakerhetspolicy.md",
                        "--as-of", "2026-11-22"});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("\"document.beslutad\""));
    EXPECT_THAT(r.output, HasSubstr("\"value\": \"2024-06-17\""));
    EXPECT_THAT(r.output, HasSubstr("\"provenance\": \"document\""));
}

}  // namespace
