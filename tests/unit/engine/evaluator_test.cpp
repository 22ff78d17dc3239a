// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "lisa/engine/evaluator.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Date kAsOf = Date::from_ymd(2024, 6, 30);

/// Builds conditions against a catalog and a FactView holding the facts the test sets.
class EvaluatorTest : public ::testing::Test {
protected:
    Condition cmp(const std::string& fact, Op op, Value operand) {
        Condition c;
        c.kind = Condition::Kind::Compare;
        c.fact = fact;
        c.fact_id = catalog_.intern(fact);
        c.op = op;
        c.operand = std::move(operand);
        return c;
    }
    static Condition combine(Condition::Kind kind, std::vector<Condition> children) {
        Condition c;
        c.kind = kind;
        c.children = std::move(children);
        return c;
    }
    static Condition all(std::vector<Condition> c) { return combine(Condition::Kind::All, std::move(c)); }
    static Condition any(std::vector<Condition> c) { return combine(Condition::Kind::Any, std::move(c)); }
    static Condition none(std::vector<Condition> c) { return combine(Condition::Kind::None, std::move(c)); }

    static Rule rule(Condition expect) {
        Rule r;
        r.id = "TEST-001";
        r.area = "isms";
        r.expect = std::move(expect);
        return r;
    }

    // Facts are stored here so the view's pointers stay valid.
    void declare(const std::string& name, Value v) { set(name, std::move(v), Provenance::Declared); }
    void probe(const std::string& name, Value v) { set(name, std::move(v), Provenance::Probed); }
    void set(const std::string& name, Value v, Provenance p) {
        facts_.push_back({catalog_.intern(name), Fact{std::move(v), p, "test"}});
    }
    void missing(const std::string& name, std::string reason, bool not_applicable) {
        missing_.push_back({catalog_.intern(name), std::move(reason), not_applicable});
    }

    Verdict run(const Rule& r) {
        FactView view(catalog_.interned_count());
        for (const auto& [id, fact] : facts_) {
            view.set(id, &fact);
        }
        for (const auto& m : missing_) {
            view.set_missing(m.id, m.reason, m.not_applicable);
        }
        return evaluate(r, view, catalog_, kAsOf);
    }

    struct Missing {
        int id;
        std::string reason;
        bool not_applicable;
    };
    FactCatalog catalog_;
    std::deque<std::pair<int, Fact>> facts_;
    std::vector<Missing> missing_;
};

TEST_F(EvaluatorTest, PassesWhenTheExpectationHolds) {
    probe("tls.protocol.tls1_0", false);
    const Verdict v = run(rule(cmp("tls.protocol.tls1_0", Op::Equals, false)));
    EXPECT_EQ(v.status, Status::Pass);
    EXPECT_THAT(v.message, IsEmpty());
    ASSERT_EQ(v.evidence.size(), 1U);
    EXPECT_EQ(v.evidence[0].first, "tls.protocol.tls1_0");
    EXPECT_EQ(v.evidence[0].second.value, Value(false));
    EXPECT_EQ(v.evidence[0].second.provenance, Provenance::Probed);
}

TEST_F(EvaluatorTest, FailureNamesTheFactItsValueAndTheExpectation) {
    declare("system.classification.confidentiality", 1);
    const Verdict v = run(rule(cmp("system.classification.confidentiality", Op::Gte, 2)));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_EQ(v.message, "system.classification.confidentiality is 1, expected gte 2");
}

TEST_F(EvaluatorTest, WithinDaysFailureSaysHowManyDays) {
    declare("system.classification.date", Date::from_ymd(2022, 1, 1));
    const Verdict v = run(rule(cmp("system.classification.date", Op::WithinDays, 365)));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_EQ(v.message, "system.classification.date is 2022-01-01, expected within 365 days");
}

TEST_F(EvaluatorTest, LongValuesAreShortenedInMessages) {
    declare("system.owner", std::string(500, 'x'));
    const Verdict v = run(rule(cmp("system.owner", Op::Equals, "y")));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_LT(v.message.size(), 200U);
    EXPECT_THAT(v.message, HasSubstr("..."));
}

TEST_F(EvaluatorTest, WhereFalseMakesTheRuleNotApplicable) {
    declare("system.personal_data", false);
    declare("system.classified", false);
    Rule r = rule(cmp("system.classified", Op::Equals, true));
    r.where = cmp("system.personal_data", Op::Equals, true);
    const Verdict v = run(r);
    EXPECT_EQ(v.status, Status::NotApplicable);
    EXPECT_THAT(v.message, HasSubstr("not applicable"));
    EXPECT_THAT(v.message, HasSubstr("system.personal_data is false"));
}

TEST_F(EvaluatorTest, WhereTrueJudgesTheExpectation) {
    declare("system.personal_data", true);
    declare("system.classified", false);
    Rule r = rule(cmp("system.classified", Op::Equals, true));
    r.where = cmp("system.personal_data", Op::Equals, true);
    EXPECT_EQ(run(r).status, Status::Fail);
}

TEST_F(EvaluatorTest, WhereOnAFailedProbeIsAnError) {
    missing("tls.protocol.tls1_0", "tls: connection refused", false);
    declare("system.classified", true);
    Rule r = rule(cmp("system.classified", Op::Equals, true));
    r.where = cmp("tls.protocol.tls1_0", Op::Equals, true);
    const Verdict v = run(r);
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_EQ(v.message, "tls: connection refused");
}

TEST_F(EvaluatorTest, MissingProbeFactWithAReasonIsAnErrorCarryingTheReason) {
    missing("tls.protocol.tls1_0", "tls: connection refused", false);
    const Verdict v = run(rule(cmp("tls.protocol.tls1_0", Op::Equals, false)));
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_EQ(v.message, "tls: connection refused");
    EXPECT_TRUE(v.evidence.empty());
}

TEST_F(EvaluatorTest, MissingFactOfAProbeThatDoesNotApplyIsNotApplicable) {
    missing("tls.protocol.tls1_0", "probe 'tls' does not apply to this endpoint", true);
    const Verdict v = run(rule(cmp("tls.protocol.tls1_0", Op::Equals, false)));
    EXPECT_EQ(v.status, Status::NotApplicable);
    EXPECT_THAT(v.message, HasSubstr("does not apply"));
}

TEST_F(EvaluatorTest, AnErrorReasonWinsOverANotApplicableOne) {
    missing("tls.protocol.tls1_0", "probe 'tls' does not apply to this endpoint", true);
    missing("http.hsts", "http: timeout", false);
    const Verdict v = run(rule(all({cmp("tls.protocol.tls1_0", Op::Equals, false),
                                    cmp("http.hsts", Op::Equals, true)})));
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_EQ(v.message, "http: timeout");
}

TEST_F(EvaluatorTest, MissingDeclaredFactFailsAsNotStated) {
    (void)catalog_.intern("system.owner");
    const Verdict v = run(rule(cmp("system.owner", Op::Equals, "Socialchef")));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_EQ(v.message, "system.owner is not stated");
}

TEST_F(EvaluatorTest, ExistsFalseOnAMissingDeclaredFactPasses) {
    const Verdict v = run(rule(cmp("directory.password_file", Op::Exists, false)));
    EXPECT_EQ(v.status, Status::Pass);
}

TEST_F(EvaluatorTest, ExistsTrueOnAMissingDeclaredFactFails) {
    const Verdict v = run(rule(cmp("system.owner", Op::Exists, true)));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_EQ(v.message, "system.owner is not stated");
}

TEST_F(EvaluatorTest, RequireDocumentRejectsADeclaredFact) {
    declare("document.beslutad", Date::from_ymd(2024, 1, 1));
    Rule r = rule(cmp("document.beslutad", Op::WithinDays, 365));
    r.require = Provenance::Document;
    const Verdict v = run(r);
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_THAT(v.message, HasSubstr("document.beslutad is only declared"));
    EXPECT_THAT(v.message, HasSubstr("requires document"));
}

TEST_F(EvaluatorTest, RequireDocumentAcceptsDocumentAndProbedFacts) {
    set("document.beslutad", Date::from_ymd(2024, 1, 1), Provenance::Document);
    set("document.exists", true, Provenance::Probed);
    Rule r = rule(all({cmp("document.beslutad", Op::WithinDays, 365),
                       cmp("document.exists", Op::Equals, true)}));
    r.require = Provenance::Document;
    EXPECT_EQ(run(r).status, Status::Pass);
}

TEST_F(EvaluatorTest, RequireDoesNotApplyToExists) {
    declare("document.beslutad", Date::from_ymd(2024, 1, 1));
    Rule r = rule(cmp("document.beslutad", Op::Exists, true));
    r.require = Provenance::Probed;
    EXPECT_EQ(run(r).status, Status::Pass);
}

TEST_F(EvaluatorTest, RequireDoesNotApplyToWhere) {
    declare("system.personal_data", true);
    set("document.exists", true, Provenance::Document);
    Rule r = rule(cmp("document.exists", Op::Equals, true));
    r.where = cmp("system.personal_data", Op::Equals, true);
    r.require = Provenance::Document;
    EXPECT_EQ(run(r).status, Status::Pass);
}

// --- three-valued logic --------------------------------------------------------------------

class ThreeValuedTest : public EvaluatorTest {
protected:
    void SetUp() override {
        declare("t", true);
        declare("f", false);
        missing("u", "probe: unreachable", false);
    }
    Condition truth(const char* which) { return cmp(which, Op::Equals, true); }
};

TEST_F(ThreeValuedTest, AnyOfTrueAndUnknownPasses) {
    EXPECT_EQ(run(rule(any({truth("u"), truth("t")}))).status, Status::Pass);
}

TEST_F(ThreeValuedTest, AnyOfFalseAndUnknownIsAnError) {
    const Verdict v = run(rule(any({truth("f"), truth("u")})));
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_EQ(v.message, "probe: unreachable");
}

TEST_F(ThreeValuedTest, AnyOfFalsesFailsListingEveryAlternative) {
    declare("f2", false);
    const Verdict v = run(rule(any({truth("f"), truth("f2")})));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_THAT(v.message, HasSubstr("none of the alternatives holds"));
    EXPECT_THAT(v.message, HasSubstr("f is false, expected equals true"));
    EXPECT_THAT(v.message, HasSubstr("f2 is false, expected equals true"));
}

TEST_F(ThreeValuedTest, AllOfFalseAndUnknownFails) {
    EXPECT_EQ(run(rule(all({truth("u"), truth("f")}))).status, Status::Fail);
    EXPECT_EQ(run(rule(all({truth("f"), truth("u")}))).status, Status::Fail);
}

TEST_F(ThreeValuedTest, AllOfTrueAndUnknownIsAnError) {
    const Verdict v = run(rule(all({truth("t"), truth("u")})));
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_EQ(v.message, "probe: unreachable");
}

TEST_F(ThreeValuedTest, AllOfTruesPasses) {
    EXPECT_EQ(run(rule(all({truth("t"), truth("t")}))).status, Status::Pass);
}

TEST_F(ThreeValuedTest, NoneOfFalsesPasses) {
    EXPECT_EQ(run(rule(none({truth("f")}))).status, Status::Pass);
}

TEST_F(ThreeValuedTest, NoneWithATrueFailsNamingIt) {
    const Verdict v = run(rule(none({truth("f"), truth("t")})));
    EXPECT_EQ(v.status, Status::Fail);
    EXPECT_EQ(v.message, "t equals true holds, and must not");
}

TEST_F(ThreeValuedTest, NoneWithTrueAndUnknownFails) {
    EXPECT_EQ(run(rule(none({truth("u"), truth("t")}))).status, Status::Fail);
}

TEST_F(ThreeValuedTest, NoneOfFalseAndUnknownIsAnError) {
    EXPECT_EQ(run(rule(none({truth("f"), truth("u")}))).status, Status::Error);
}

TEST_F(ThreeValuedTest, NestedCombinators) {
    // all( any(U, T), none(F) ) = all(T, T) = pass
    EXPECT_EQ(run(rule(all({any({truth("u"), truth("t")}), none({truth("f")})}))).status,
              Status::Pass);
    // any( all(T, U), F ) = any(U, F) = error
    EXPECT_EQ(run(rule(any({all({truth("t"), truth("u")}), truth("f")}))).status, Status::Error);
}

TEST_F(ThreeValuedTest, EvidenceListsTheFactsReadSortedByName) {
    declare("a", true);
    const Verdict v = run(rule(all({truth("t"), truth("a"), truth("u")})));
    ASSERT_EQ(v.evidence.size(), 2U);  // "u" was not collected
    EXPECT_EQ(v.evidence[0].first, "a");
    EXPECT_EQ(v.evidence[1].first, "t");
}

TEST_F(ThreeValuedTest, NoEvidenceWhenNotAsked) {
    FactView view(catalog_.interned_count());
    for (const auto& [id, fact] : facts_) {
        view.set(id, &fact);
    }
    const Verdict v = evaluate(rule(truth("t")), view, catalog_, kAsOf, /*with_evidence=*/false);
    EXPECT_EQ(v.status, Status::Pass);
    EXPECT_TRUE(v.evidence.empty());
}

// Regression (fixed): a fact that is present but holds no value (a probe put
// Value{} in its output) makes compare() Unknown without a reason; the evaluator then falls back
// to its initial `unknown_na_ = true` and returns not_applicable with an empty message, silently
// dropping the rule from the score. The header promises error unless the probe does not apply.
TEST_F(EvaluatorTest, PresentFactWithoutAValueIsAnErrorNotNotApplicable) {
    probe("tls.cert.days_left", Value());
    const Verdict v = run(rule(cmp("tls.cert.days_left", Op::Gte, 30)));
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_THAT(v.message, ::testing::Not(IsEmpty()));
}

TEST(StatusTest, Names) {
    EXPECT_EQ(to_string(Status::Pass), "pass");
    EXPECT_EQ(to_string(Status::Fail), "fail");
    EXPECT_EQ(to_string(Status::Error), "error");
    EXPECT_EQ(to_string(Status::NotApplicable), "not_applicable");
    EXPECT_EQ(to_string(Status::Waived), "waived");
}


// ---- the result as data (issue 10 item 5): fact, operator, expected, observed ----------------

TEST_F(EvaluatorTest, AFailureCarriesItsComparisonAsData) {
    declare("document.beslutad", Date::from_ymd(2022, 1, 1));
    const Verdict v = run(rule(cmp("document.beslutad", Op::WithinDays, 365)));
    ASSERT_EQ(v.status, Status::Fail);
    ASSERT_EQ(v.detail.clauses.size(), 1U);
    const ResultClause& c = v.detail.clauses[0];
    EXPECT_EQ(c.fact, "document.beslutad");
    EXPECT_EQ(c.op, "within_days");
    EXPECT_EQ(c.expected, "365");
    EXPECT_EQ(c.observed, "2022-01-01");
    EXPECT_FALSE(c.negated);
    EXPECT_FALSE(v.detail.any_of);
    EXPECT_FALSE(v.detail.where);
}

TEST_F(EvaluatorTest, EqualsFailureCarriesBothValues) {
    declare("system.authentication.external", "password");
    const Verdict v = run(rule(cmp("system.authentication.external", Op::Equals, "strong")));
    ASSERT_EQ(v.detail.clauses.size(), 1U);
    EXPECT_EQ(v.detail.clauses[0].op, "equals");
    EXPECT_EQ(v.detail.clauses[0].expected, "strong");
    EXPECT_EQ(v.detail.clauses[0].observed, "password");
}

TEST_F(EvaluatorTest, AnAbsentFactIsNotStatedAsData) {
    const Verdict v = run(rule(cmp("document.diarienummer", Op::Exists, true)));
    ASSERT_EQ(v.status, Status::Fail);
    ASSERT_EQ(v.detail.clauses.size(), 1U);
    EXPECT_EQ(v.detail.clauses[0].op, "not_stated");
    EXPECT_EQ(v.detail.clauses[0].fact, "document.diarienummer");
}

TEST_F(EvaluatorTest, WeakEvidenceIsAProvenanceClause) {
    declare("system.classified", true);
    Rule r = rule(cmp("system.classified", Op::Equals, true));
    r.require = Provenance::Document;
    const Verdict v = run(r);
    ASSERT_EQ(v.status, Status::Fail);
    ASSERT_EQ(v.detail.clauses.size(), 1U);
    EXPECT_EQ(v.detail.clauses[0].op, "provenance");
    EXPECT_EQ(v.detail.clauses[0].expected, "document");
    EXPECT_EQ(v.detail.clauses[0].observed, "declared");
}

TEST_F(EvaluatorTest, AnyOfKeepsEveryFailedAlternative) {
    declare("endpoint.scheme", "http");
    declare("tls.protocol.tls1_0", true);
    const Verdict v = run(rule(any({cmp("endpoint.scheme", Op::Equals, "https"),
                                    cmp("tls.protocol.tls1_0", Op::Equals, false)})));
    ASSERT_EQ(v.status, Status::Fail);
    EXPECT_TRUE(v.detail.any_of);
    ASSERT_EQ(v.detail.clauses.size(), 2U);
    EXPECT_EQ(v.detail.clauses[0].fact, "endpoint.scheme");
    EXPECT_EQ(v.detail.clauses[1].fact, "tls.protocol.tls1_0");
}

TEST_F(EvaluatorTest, AnAlternativeThatHoldsLeavesNoClause) {
    declare("endpoint.scheme", "http");
    declare("tls.protocol.tls1_0", false);
    const Verdict v = run(rule(all({any({cmp("endpoint.scheme", Op::Equals, "https"),
                                         cmp("tls.protocol.tls1_0", Op::Equals, false)}),
                                    cmp("tls.protocol.tls1_0", Op::Equals, true)})));
    ASSERT_EQ(v.status, Status::Fail);
    ASSERT_EQ(v.detail.clauses.size(), 1U);  // only the failing comparison, not the any's first try
    EXPECT_EQ(v.detail.clauses[0].fact, "tls.protocol.tls1_0");
    EXPECT_FALSE(v.detail.any_of);
}

TEST_F(EvaluatorTest, NoneThatHoldsIsANegatedClause) {
    probe("tls.protocol.tls1_0", true);
    const Verdict v = run(rule(none({cmp("tls.protocol.tls1_0", Op::Equals, true)})));
    ASSERT_EQ(v.status, Status::Fail);
    ASSERT_EQ(v.detail.clauses.size(), 1U);
    EXPECT_TRUE(v.detail.clauses[0].negated);
    EXPECT_EQ(v.detail.clauses[0].observed, "true");
}

TEST_F(EvaluatorTest, WhereFalseIsMarkedAsWhere) {
    declare("system.personal_data", false);
    Rule r = rule(cmp("system.classified", Op::Equals, true));
    r.where = cmp("system.personal_data", Op::Equals, true);
    const Verdict v = run(r);
    ASSERT_EQ(v.status, Status::NotApplicable);
    EXPECT_TRUE(v.detail.where);
    ASSERT_EQ(v.detail.clauses.size(), 1U);
    EXPECT_EQ(v.detail.clauses[0].fact, "system.personal_data");
}

TEST_F(EvaluatorTest, PassAndErrorCarryNoClauses) {
    probe("tls.protocol.tls1_0", false);
    EXPECT_TRUE(run(rule(cmp("tls.protocol.tls1_0", Op::Equals, false))).detail.clauses.empty());
    missing("tls.protocol.tls1_1", "tls: connection refused", false);
    const Verdict v = run(rule(cmp("tls.protocol.tls1_1", Op::Equals, false)));
    EXPECT_EQ(v.status, Status::Error);
    EXPECT_TRUE(v.detail.clauses.empty());
}

// A probe's own disagreements (document.conflicts) are evidence beside any of its facts a rule reads,
// once however many of them it reads, so a verdict on one of two disagreeing values never hides the
// other; a probe without a conflicts fact, or a subject without disagreements, adds nothing.
TEST_F(EvaluatorTest, AProbesConflictsAreEvidenceBesideItsFactsOnce) {
    const Rule r = rule(all({cmp("document.beslutad", Op::Exists, Value(true)),
                             cmp("document.diarienummer", Op::Exists, Value(true))}));
    set("document.beslutad", Value(*Date::parse("2021-02-10")), Provenance::Document);
    set("document.diarienummer", Value(std::string("KS 2021/1")), Provenance::Document);
    const Verdict without = run(r);
    EXPECT_EQ(without.evidence.size(), 2U);
    set("document.conflicts", Value(StringList{"beslutad: p. 1: \"x\" says 2021-02-10, metadata subject: \"y\" says 2021-03-01"}),
        Provenance::Document);
    const Verdict v = run(r);
    ASSERT_EQ(v.evidence.size(), 3U);
    EXPECT_EQ(v.evidence[1].first, "document.conflicts");
    EXPECT_EQ(v.evidence[0].first, "document.beslutad");
    EXPECT_EQ(v.evidence[2].first, "document.diarienummer");
}
}  // namespace
}  // namespace lisa
