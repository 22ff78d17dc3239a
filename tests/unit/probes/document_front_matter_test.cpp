// SPDX-License-Identifier: Apache-2.0
// The document probe's pure half: front matter held to the same input rules as the inventory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "lisa/probes/document_probe.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const Date kAsOf = *Date::parse("2025-06-01");

struct Read {
    Facts facts;
    std::string error;
    [[nodiscard]] bool has(const std::string& name) const { return facts.count(name) != 0; }
};

Read read(const std::string& bytes) {
    Read r;
    r.facts = document_facts(bytes, "evidence/policy.md", kAsOf, &r.error);
    return r;
}

TEST(DocumentFrontMatterTest, ReadsWellFormedFrontMatter) {
    const Read r = read("---\nbeslutad: 2024-01-05\nbeslutad_av: Kommunfullmäktige\n"
                        "diarienummer: KS 2024/12\nomfattning: [socialtjanst]\n---\n# Policy\n");
    ASSERT_THAT(r.error, IsEmpty());
    EXPECT_EQ(r.facts.at("document.beslutad").value, Value(*Date::parse("2024-01-05")));
    EXPECT_EQ(r.facts.at("document.beslutad_av").value, Value(std::string("Kommunfullmäktige")));
    EXPECT_EQ(r.facts.at("document.age_days").value, Value(std::int64_t{513}));
}

// Issue 11: `beslutad: 2024-1-5` was "not stated"; it is an error at its location.
TEST(DocumentFrontMatterTest, ADateNotWrittenYyyyMmDdIsAnErrorWithItsFileLocation) {
    const Read r = read("---\ndiarienummer: KS 2024/12\nbeslutad: 2024-1-5\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:3:11: front matter 'beslutad' looks like a date "
                                   "but is not one in the form YYYY-MM-DD: '2024-1-5'"));
    EXPECT_FALSE(r.has("document.beslutad"));
    EXPECT_FALSE(r.has("document.diarienummer")) << "front matter with a problem is not half-used";
    EXPECT_TRUE(r.has("document.sha256")) << "the file itself was read";
}

TEST(DocumentFrontMatterTest, EveryMalformedDateOfAKnownOrOtherKeyIsReported) {
    const Read r = read("---\nbeslutad: 5.1.2024\ngiltig_till: 2026-02-30\nreviderad: 2025/1/5\n"
                        "text: \"2024-1-5\"\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:2:11: front matter 'beslutad' looks like a date"));
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:3:14: front matter 'giltig_till' looks like a date"));
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:4:12: front matter 'reviderad' looks like a date"));
    EXPECT_THAT(r.error, Not(HasSubstr("'text'"))) << "a quoted value is text";
}

TEST(DocumentFrontMatterTest, AKnownDateKeyHoldingTextIsAnError) {
    const Read r = read("---\nbeslutad: 2024-01-05\ngiltig_till: tillsvidare\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:3:14: front matter 'giltig_till' must be a date "
                                   "YYYY-MM-DD, not 'tillsvidare'"));
    EXPECT_FALSE(r.has("document.beslutad"));
}

// Issue 11: front matter took the last of two values silently.
TEST(DocumentFrontMatterTest, ADuplicateKeyIsAnErrorWithBothLocations) {
    const Read r = read("---\nbeslutad: 2020-01-01\ndiarienummer: KS 1\nbeslutad: 2025-05-01\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:4:1: duplicate key 'beslutad' (first at line 2:1)"));
    EXPECT_FALSE(r.has("document.beslutad"));
    EXPECT_FALSE(r.has("document.age_days"));
}

TEST(DocumentFrontMatterTest, ADuplicateKeyInsideANestedMapIsAnError) {
    const Read r = read("---\nbeslutad: 2024-01-05\ngranskning:\n  av: Revisor\n  av: Ingen\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:5:3: duplicate key 'av' (first at line 4:3)"));
}

TEST(DocumentFrontMatterTest, FrontMatterThatIsNotUtf8IsAnErrorWithTheHint) {
    const Read r = read("---\nbeslutad: 2024-01-05\nbeslutad_av: Kommunfullm\xe4ktige\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:3:25: invalid UTF-8 (byte 0xE4): save the file as UTF-8"));
    EXPECT_FALSE(r.has("document.beslutad_av"));
}

TEST(DocumentFrontMatterTest, AByteOrderMarkIsSkipped) {
    const Read r = read("\xef\xbb\xbf---\nbeslutad: 2024-01-05\n---\n");
    ASSERT_THAT(r.error, IsEmpty());
    EXPECT_TRUE(r.has("document.beslutad"));
}

TEST(DocumentFrontMatterTest, InvalidYamlIsAnErrorOnTheFileLine) {
    const Read r = read("---\nbeslutad: 2024-01-05\nomfattning: [a, b\n---\n");
    EXPECT_THAT(r.error, HasSubstr("evidence/policy.md:"));
    EXPECT_THAT(r.error, HasSubstr("yaml:"));
    EXPECT_FALSE(r.has("document.beslutad"));
}

}  // namespace
}  // namespace lisa
