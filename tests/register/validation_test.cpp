// SPDX-License-Identifier: Apache-2.0
// Validation that catches what silently changes results (issue 16 item 3), with the real binary:
// unknown document roles, ISMS role keys and guideline topics; waivers naming no rule or subject;
// a verksamhetsområde outside Socialstyrelsen's list (the list printed); 'kommunkod' pointed at
// municipality_code; the ASCII spelling of å/ä/ö values accepted with a warning and judged exactly
// as the Swedish one. Every problem in one run, file:line:col, exit 2. No servers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "process.hpp"

using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

struct CliRun {
    int status = -1;
    std::string output;
};

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    args.insert(args.begin(), {"timeout", "-s", "KILL", "120"});
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

const char* kBroken = R"(organization:
  name: Exempelkommun
  kommunkod: "0999"
  population: 12000
isms:
  roles:
    informationssakerhetssamordnar: "Anna Lind"
  documents:
    - { id: policy, role: informationssakerhetspolcy, path: p.md }
    - { id: riktlinje, role: riktlinje, path: r.md, topics: [loggning, logging] }
systems:
  - id: skolplattform
    name: Skolplattform
    verksamhetsomraden: [Skola]
    roles: [utförare]
    personal_data: true
    sensitive_personal_data: false
waivers:
  - { rule: AUTH-01, subject: skolplattform, reason: "x", decided_by: KS, decision_ref: "KS 1", expires: 2099-01-01 }
  - { rule: AUTH-001, subject: skolplatform, reason: "x", decided_by: KS, decision_ref: "KS 2", expires: 2099-01-01 }
)";

TEST(ValidationTest, EveryKindOfSilentMistakeIsAnErrorWithItsLocationInOneRun) {
    TempDir dir;
    write_file(dir.file("inventory.yaml"), kBroken);
    const CliRun r = lisa({"validate", "--inventory", dir.file("inventory.yaml")});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:3:3: 'kommunkod' is written 'municipality_code' in the inventory"));
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:7:5: unknown ISMS role 'informationssakerhetssamordnar' (did you mean "
                                    "'informationssakerhetssamordnare'?)"));
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:9:27: unknown document role 'informationssakerhetspolcy' (did you mean "
                                    "'informationssakerhetspolicy'?)"));
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:10:72: unknown guideline topic 'logging' (did you mean 'loggning'?)"));
    // The verksamhetsområde message prints Socialstyrelsen's list.
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:14:26: unknown verksamhetsområde 'Skola' (expected Barn och unga; "
                                    "Ekonomiskt bistånd; Familjerätt;"));
    EXPECT_THAT(r.output, HasSubstr("Äldreomsorg, dagverksamheter; Kommunal hälso- och sjukvård)"));
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:19:13: waiver for rule 'AUTH-01' names no rule of the pack (did you "
                                    "mean 'AUTH-001'?)"));
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:20:32: waiver for subject 'skolplatform' names nothing in the "
                                    "inventory (did you mean 'skolplattform'?)"));
    EXPECT_THAT(r.output, HasSubstr("7 problems found"));
}

// The ASCII spelling is accepted with a warning and judged as the Swedish one: the same findings.
TEST(ValidationTest, AsciiSpellingsWarnAndGiveTheSameScanAsTheSwedish) {
    TempDir dir;
    const std::string example = std::string(LISA_SOURCE_DIR) + "/examples/smakommun";
    ASSERT_EQ(run_command({"cp", "-r", example, dir.file("sv")}), 0);
    ASSERT_EQ(run_command({"cp", "-r", example, dir.file("ascii")}), 0);
    std::string inv = read_file(dir.file("ascii/inventory.yaml"));
    std::size_t replaced = 0;
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"myndighetsutövning", "myndighetsutovning"}, {"utförare]", "utforare]"},
             {"behörighetsadministration", "behorighetsadministration"}, {"\"Äldreomsorg\"", "\"Aldreomsorg\""}}) {
        for (auto at = inv.find(from); at != std::string::npos; at = inv.find(from, at + to.size())) {
            inv.replace(at, from.size(), to);
            ++replaced;
        }
    }
    ASSERT_GE(replaced, 6u);
    write_file(dir.file("ascii/inventory.yaml"), inv);
    const CliRun v = lisa({"validate", "--inventory", dir.file("ascii/inventory.yaml")});
    EXPECT_EQ(v.status, 0) << v.output;
    EXPECT_THAT(v.output, HasSubstr("warning: 'utforare' read as 'utförare': write it the Swedish way"));
    EXPECT_THAT(v.output, HasSubstr("warning: 'behorighetsadministration' read as 'behörighetsadministration'"));
    const CliRun sv = lisa({"validate", "--inventory", dir.file("sv/inventory.yaml")});
    EXPECT_EQ(sv.status, 0) << sv.output;
    EXPECT_THAT(sv.output, Not(HasSubstr("warning")));

    const auto findings = [&](const std::string& which) {
        const CliRun scan = lisa({"scan", "--inventory", dir.file(which + "/inventory.yaml"), "--as-of", "2026-11-22",
                                  "--no-history", "--format", "json", "--output", dir.file(which + ".json")});
        EXPECT_TRUE(scan.status == 0 || scan.status == 1) << scan.output;
        auto report = nlohmann::json::parse(read_file(dir.file(which + ".json")));
        nlohmann::json out = nlohmann::json::array();
        for (const auto& f : report["findings"]) out.push_back({f["rule"], f["subject"], f["status"]});
        return out;
    };
    const auto swedish = findings("sv");
    EXPECT_GT(swedish.size(), 20u);
    EXPECT_EQ(findings("ascii"), swedish);
}

}  // namespace
