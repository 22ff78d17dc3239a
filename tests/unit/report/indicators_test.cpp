// SPDX-License-Identifier: Apache-2.0
// The staff-use scale (issue 12 item 1): the survey's five alternatives from a share, with the
// band lisa chose for "Ca hälften" (45–55 %, inclusive) tested at its edges.
#include <gtest/gtest.h>

#include "lisa/probes/document_probe.hpp"
#include "lisa/report/indicators.hpp"

namespace lisa {
namespace {

IndicatorDef five_step() {
    IndicatorDef def;
    def.answer_all = "Alla";
    def.answer_none = "Ingen";
    def.answer_some = "Delvis";
    def.answer_more_than_half = "Mer än hälften";
    def.answer_about_half = "Ca hälften";
    def.answer_fewer_than_half = "Färre än hälften";
    def.about_half = std::make_pair(45, 55);
    return def;
}

TEST(MeasuredAnswerTest, ExampleSharesFromTheAudit) {
    const IndicatorDef def = five_step();
    EXPECT_EQ(measured_answer(def, 70, 80), "Mer än hälften");     // MYN Äldreomsorg, 87.5 %
    EXPECT_EQ(measured_answer(def, 301, 696), "Färre än hälften");  // UTF hemtjänst, 43.2 %
    EXPECT_EQ(measured_answer(def, 0, 297), "Ingen");              // sabo, 0 of 297
}

TEST(MeasuredAnswerTest, BandEdgesAreInclusiveAndExact) {
    const IndicatorDef def = five_step();
    EXPECT_EQ(measured_answer(def, 0, 1000), "Ingen");
    EXPECT_EQ(measured_answer(def, 1, 1000), "Färre än hälften");  // one account is not "none"
    EXPECT_EQ(measured_answer(def, 449, 1000), "Färre än hälften");
    EXPECT_EQ(measured_answer(def, 45, 100), "Ca hälften");
    EXPECT_EQ(measured_answer(def, 1, 2), "Ca hälften");
    EXPECT_EQ(measured_answer(def, 55, 100), "Ca hälften");
    EXPECT_EQ(measured_answer(def, 551, 1000), "Mer än hälften");
    EXPECT_EQ(measured_answer(def, 999, 1000), "Mer än hälften");  // one missing is not "all"
    EXPECT_EQ(measured_answer(def, 1000, 1000), "Alla");
    // 9 of 20 = 45 % exactly; 11 of 20 = 55 % exactly; no floating point decides.
    EXPECT_EQ(measured_answer(def, 9, 20), "Ca hälften");
    EXPECT_EQ(measured_answer(def, 11, 20), "Ca hälften");
    EXPECT_EQ(measured_answer(def, 4, 9), "Färre än hälften");  // 44.4 %
    EXPECT_EQ(measured_answer(def, 5, 9), "Mer än hälften");    // 55.6 %
}

TEST(MeasuredAnswerTest, WithoutABandTheThreeValuedScaleApplies) {
    IndicatorDef def = five_step();
    def.about_half.reset();
    EXPECT_EQ(measured_answer(def, 5, 9), "Delvis");
    EXPECT_EQ(measured_answer(def, 9, 9), "Alla");
    EXPECT_EQ(measured_answer(def, 0, 9), "Ingen");
}

// survey-fix item 4: 2499 of 2500 printed "Mer än hälften (100.0 %)" and 1 of 2500 "Färre än hälften
// (0.0 %)". A share prints as 0 only for Ingen and as 100 only for Alla: one more decimal as needed.
TEST(ShareRoundingTest, NeverPrintsZeroOrHundredUnlessTheAnswerIsIngenOrAlla) {
    EXPECT_EQ(share_decimals(100.0 * 2499 / 2500), 2);
    EXPECT_DOUBLE_EQ(share_rounded(100.0 * 2499 / 2500), 99.96);
    EXPECT_EQ(share_decimals(100.0 * 1 / 2500), 2);
    EXPECT_DOUBLE_EQ(share_rounded(100.0 * 1 / 2500), 0.04);
    EXPECT_EQ(share_decimals(100.0 * 1 / 1000000), 4);
    EXPECT_EQ(share_decimals(87.5), 1);    // the example's shares keep one decimal
    EXPECT_EQ(share_decimals(43.2), 1);
    EXPECT_EQ(share_decimals(0.0), 1);     // Ingen: 0.0
    EXPECT_EQ(share_decimals(100.0), 1);   // Alla: 100.0
    const IndicatorDef def = five_step();
    std::vector<std::int64_t> totals;
    for (std::int64_t t = 1; t <= 400; ++t) {
        totals.push_back(t);
    }
    totals.insert(totals.end(), {2500, 9999, 100000});
    for (const std::int64_t total : totals) {
        for (std::int64_t have = 0; have <= total; have += (total > 400 ? std::max<std::int64_t>(1, total / 50) : 1)) {
            for (const std::int64_t h : {have, std::int64_t{1}, total - 1}) {
                if (h < 0 || h > total) {
                    continue;
                }
                const double share = 100.0 * static_cast<double>(h) / static_cast<double>(total);
                const double printed = share_rounded(share);
                const std::string answer = measured_answer(def, h, total);
                if (printed <= 0.0) {
                    EXPECT_EQ(answer, "Ingen") << h << " of " << total;
                }
                if (printed >= 100.0) {
                    EXPECT_EQ(answer, "Alla") << h << " of " << total;
                }
            }
        }
    }
}

// The one mapping from a decision body to the level 000 B2 T4 asks about.
TEST(DecisionLevelTest, MapsDecisionBodiesToTheSurveysLevels) {
    EXPECT_EQ(decision_level("Kommunstyrelsen"), "kommunstyrelsen");
    EXPECT_EQ(decision_level("Kommunstyrelsens arbetsutskott"), "kommunstyrelsen");
    EXPECT_EQ(decision_level("Socialnämnden"), "socialnamnden");
    EXPECT_EQ(decision_level("Vård- och omsorgsnämnden"), "socialnamnden");  // "eller motsvarande"
    EXPECT_EQ(decision_level("Äldrenämnden"), "socialnamnden");
    EXPECT_EQ(decision_level("Förvaltningsledningen, socialförvaltningen"), "forvaltningsledning");
    EXPECT_EQ(decision_level("Socialchef"), "forvaltningsledning");
    EXPECT_EQ(decision_level("Kommundirektören"), "annat");  // named as another instance in 000
    EXPECT_EQ(decision_level("Styrgrupp för förvaltningsobjekt"), "annat");
    EXPECT_EQ(decision_level("Kommunfullmäktige"), "annat");
    EXPECT_EQ(decision_level(""), "annat");
}

}  // namespace
}  // namespace lisa
