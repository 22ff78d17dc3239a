// SPDX-License-Identifier: Apache-2.0
// The text summary's "Konton:" line keeps how many accounts there are, however long their names
// (a new user's attack on issue 14: 20 long names cut the line before "och 381 till").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <regex>
#include <sstream>

#include "lisa/report/document.hpp"
#include "lisa/report/render.hpp"

namespace lisa {
namespace {

TEST(TextAccountsLine, LongNamesNeverHideHowManyAccountsThereAre) {
    nlohmann::json names = nlohmann::json::array();
    for (int i = 0; i < 20; ++i) names.push_back("adm" + std::to_string(1000 + i) + "-forvaltning-langt-namn");
    nlohmann::json report = nlohmann::json::parse(R"({
      "schema_version": 1,
      "tool": {"name": "lisa", "version": "0.1.0"},
      "run": {"as_of": "2026-01-31", "started": "2026-01-31T00:00:00Z", "finished": "2026-01-31T00:00:00Z",
              "rule_pack_sha256": "aa", "inventory_sha256": "bb", "systems": [], "complete": true},
      "organization": {"name": "Exempelkommun", "population": 12000},
      "score": {"overall": 0.0, "overall_without_waivers": 0.0, "coverage": 1.0, "rules_judged": 1,
                "findings_by_status": {"fail": 1}, "areas": []},
      "findings": [{"rule": "AD-009", "subject": "ad", "subject_kind": "directory", "status": "fail",
                    "severity": "high", "area": "katalog", "message": "401 accounts",
                    "accounts": {"names": [], "more": 381}}]
    })");
    report["findings"][0]["accounts"]["names"] = names;
    auto doc = report_from_json(report.dump());
    ASSERT_TRUE(doc) << doc.error().message;
    std::ostringstream out;
    render_text(doc.value(), RenderOptions{}, out);
    std::smatch m;
    const std::string text = out.str();
    ASSERT_TRUE(std::regex_search(text, m, std::regex("Konton: ([^\n]*) och ([0-9]+) till\n"))) << text;
    const std::string shown = m[1].str();
    const auto named = static_cast<int>(std::count(shown.begin(), shown.end(), ',')) + 1;
    EXPECT_EQ(named + std::stoi(m[2].str()), 401) << text;
    EXPECT_LT(m[0].length(), 230U);
}

}  // namespace
}  // namespace lisa
