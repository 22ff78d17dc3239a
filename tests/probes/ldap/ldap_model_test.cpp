// SPDX-License-Identifier: Apache-2.0
// The pure half of the ldap probe: no server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/probes/ldap_probe.hpp"

namespace lisa {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

TEST(LdapFilterEscapeTest, EscapesTheFiveRfc4515Characters) {
    EXPECT_EQ(ldap_filter_escape("plain"), "plain");
    EXPECT_EQ(ldap_filter_escape("a*b(c)d\\e"), "a\\2ab\\28c\\29d\\5ce");
    EXPECT_EQ(ldap_filter_escape(std::string_view("x\0y", 3)), "x\\00y");
    EXPECT_EQ(ldap_filter_escape("cn=Svensson\\, Anna (IT)*"),
              "cn=Svensson\\5c, Anna \\28IT\\29\\2a");
    EXPECT_EQ(ldap_filter_escape("\xC3\xA5sa"), "\xC3\xA5sa");  // UTF-8 passes through
}

TEST(NormalizeDnTest, IgnoresCaseAndInsignificantSpaces) {
    EXPECT_EQ(normalize_dn("CN=Anna , OU=People,DC=Example,DC=org"),
              "cn=anna,ou=people,dc=example,dc=org");
    EXPECT_EQ(normalize_dn("cn = Anna,ou=people"), normalize_dn("CN=anna, ou=People"));
}

TEST(NormalizeDnTest, GivesHexAndCharacterEscapesTheSameKey) {
    // slapd returns the entry DN with \2C while the member value keeps "\,".
    EXPECT_EQ(normalize_dn("cn=Svensson\\2C Anna (IT)*,ou=people,dc=example,dc=org"),
              normalize_dn("cn=Svensson\\, Anna (IT)*,ou=people,dc=example,dc=org"));
    EXPECT_EQ(normalize_dn("cn=Back\\5Cslash\\2BPlus,dc=x"),
              normalize_dn("cn=Back\\\\slash\\+Plus,dc=x"));
    EXPECT_EQ(normalize_dn("cn=\\C3\\A5sa,dc=x"), normalize_dn("cn=\xC3\xA5sa,dc=x"));
    EXPECT_EQ(normalize_dn("cn=a+sn=b,dc=x"), "cn=a+sn=b,dc=x");
}

// RFC 4518 §2.6.1: leading and trailing spaces of a caseIgnoreMatch value are insignificant
// however they are written (escaped or not), and an inner run of spaces counts as one.
TEST(NormalizeDnTest, HandlesInsignificantSpacesAsRfc4518) {
    EXPECT_EQ(normalize_dn("cn=a\\ ,dc=x"), normalize_dn("cn=a,dc=x"));
    EXPECT_EQ(normalize_dn("cn=\\20a,dc=x"), normalize_dn("cn=a,dc=x"));
    EXPECT_EQ(normalize_dn("cn=Anna  Berg,dc=x"), normalize_dn("cn=anna berg,dc=x"));
    EXPECT_EQ(normalize_dn("cn=Anna \\20 Berg,dc=x"), normalize_dn("cn=Anna Berg,dc=x"));
    EXPECT_EQ(normalize_dn("cn=Anna\tBerg,dc=x"), normalize_dn("cn=Anna Berg,dc=x"));
    EXPECT_EQ(normalize_dn("cn=Anna\xC2\xA0" "Berg,dc=x"), normalize_dn("cn=Anna Berg,dc=x"))
        << "NO-BREAK SPACE is a space";
    EXPECT_NE(normalize_dn("cn=AnnaBerg,dc=x"), normalize_dn("cn=Anna Berg,dc=x"));
}

// Issue 11: DNs differing in the case of å/ä/ö are the same entry to LDAP.
TEST(NormalizeDnTest, FoldsTheCaseOfEveryLetterNotOnlyAToZ) {
    EXPECT_EQ(normalize_dn("CN=\xC3\x96" "berg\\, \xC3\x85sa,OU=\xC3\x84ldreomsorg"),
              normalize_dn("cn=\xC3\xB6" "berg\\, \xC3\xA5sa,ou=\xC3\xA4ldreomsorg"));
    EXPECT_EQ(normalize_dn("CN=\xC3\x96" "berg\\, \xC3\x85sa,OU=\xC3\x84ldreomsorg"),
              "cn=\xC3\xB6" "berg\\, \xC3\xA5sa,ou=\xC3\xA4ldreomsorg");
    // Hex-escaped UTF-8 (as some servers return it) folds the same way.
    EXPECT_EQ(normalize_dn("cn=\\C3\\96berg,dc=x"), normalize_dn("cn=\xC3\xB6" "BERG,dc=x"));
    // Other scripts and special foldings: German ß/SS, Greek, Cyrillic, Sami Ŋ.
    EXPECT_EQ(normalize_dn("cn=Stra\xC3\x9F" "e,dc=x"), normalize_dn("cn=STRASSE,dc=x"));
    EXPECT_EQ(normalize_dn("cn=\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91,dc=x"),
              normalize_dn("cn=\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1,dc=x"));
    EXPECT_EQ(normalize_dn("cn=\xD0\x90\xD0\xBD\xD0\xBD\xD0\xB0,dc=x"),
              normalize_dn("cn=\xD0\xB0\xD0\xBD\xD0\xBD\xD0\xB0,dc=x"));
    EXPECT_EQ(normalize_dn("cn=\xC5\x8A\xC3\xA1vnji,dc=x"), normalize_dn("cn=\xC5\x8B\xC3\x81VNJI,dc=x"));
    // NFKC: "å" precomposed (U+00E5) and decomposed (a + U+030A) are one letter.
    EXPECT_EQ(normalize_dn("cn=\xC3\xA5sa,dc=x"), normalize_dn("cn=A\xCC\x8Asa,dc=x"));
    // Different letters stay different.
    EXPECT_NE(normalize_dn("cn=\xC3\xB6" "berg,dc=x"), normalize_dn("cn=oberg,dc=x"));
    EXPECT_NE(normalize_dn("cn=\xC3\xA5sa,dc=x"), normalize_dn("cn=\xC3\xA4sa,dc=x"));
}

TEST(NormalizeDnTest, KeepsBytesThatAreNotUtf8ComparableAsTheyAre) {
    EXPECT_EQ(normalize_dn("cn=\\F6berg,dc=x"), normalize_dn("cn=\xF6" "berg,DC=X"));
    EXPECT_NE(normalize_dn("cn=\xF6" "berg,dc=x"), normalize_dn("cn=\xC3\xB6" "berg,dc=x"));
}

TEST(LdapPrepTest, ComparesAttributeValuesAsCaseIgnoreMatch) {
    EXPECT_EQ(ldap_prep("  \xC3\x85SA   \xC3\x96" "BERG "), "\xC3\xA5sa \xC3\xB6" "berg");
    EXPECT_TRUE(ldap_values_equal("SmartCard-Kr\xC3\xA4vs", "smartcard-kr\xC3\x84VS"));
    EXPECT_TRUE(ldap_values_equal("Delat  Konto", " delat konto"));
    EXPECT_FALSE(ldap_values_equal("delat", "delad"));
    EXPECT_EQ(ldap_prep("soft\xC2\xADhyphen"), "softhyphen") << "a default-ignorable is mapped to nothing";
}

// The Latin-1 letters are folded without ICU; the result must be ICU's NFKC_Casefold. The
// expectations are Unicode's: U+00C0–U+00DE (but ×) fold to the letter 0x20 above, the lower
// ones and × ÷ to themselves, ß to "ss"; a combining ring composes (NFKC) with its letter.
TEST(LdapPrepTest, FoldsLatin1LettersAsIcuDoes) {
    for (unsigned cp = 0xC0; cp <= 0xFF; ++cp) {
        const std::string letter{static_cast<char>(0xC3), static_cast<char>(0x80 + (cp - 0xC0))};
        std::string expected = letter;
        if (cp == 0xDF) {
            expected = "ss";
        } else if (cp <= 0xDE && cp != 0xD7) {
            expected[1] = static_cast<char>(expected[1] + 0x20);
        }
        EXPECT_EQ(ldap_prep("x" + letter + "Y"), "x" + expected + "y") << "U+" << std::hex << cp;
    }
    EXPECT_EQ(ldap_prep("A\xCC\x8Asa"), "\xC3\xA5sa") << "A + combining ring above is \u00e5";
    EXPECT_EQ(ldap_prep("\xC3\x85sa \xC2\xAD"), "\xC3\xA5sa") << "the soft hyphen goes to ICU";
    EXPECT_EQ(normalize_dn("CN=\xC3\x96" "berg\\, \xC3\x85sa,OU=Beh\xC3\xB6righeter,DC=X"),
              normalize_dn("cn=\xC3\xB6" "BERG\\2c \xC3\xA5SA, ou=BEH\xC3\x96RIGHETER,dc=x"));
}

TEST(FiletimeTest, ConvertsKnownInstants) {
    // 1970-01-01T00:00:00Z is 116444736000000000 ticks after 1601-01-01.
    EXPECT_EQ(filetime_to_unix_seconds(116444736000000000LL), 0);
    EXPECT_EQ(filetime_to_date(116444736000000000LL), Date::from_ymd(1970, 1, 1));
    // 2024-01-31T23:59:59Z = unix 1706745599.
    const std::int64_t ft = (1706745599LL + 11644473600LL) * 10000000LL + 9999999;
    EXPECT_EQ(filetime_to_date(ft), Date::from_ymd(2024, 1, 31));
    EXPECT_EQ(filetime_to_date(ft + 1), Date::from_ymd(2024, 2, 1));
    EXPECT_EQ(date_to_filetime(Date::from_ymd(2024, 2, 1)), ft + 1);
}

TEST(FiletimeTest, TreatsZeroAndMaxAsNever) {
    EXPECT_TRUE(filetime_is_never(0));
    EXPECT_TRUE(filetime_is_never(0x7FFFFFFFFFFFFFFFLL));
    EXPECT_FALSE(filetime_to_date(0).has_value());
    EXPECT_FALSE(filetime_to_date(0x7FFFFFFFFFFFFFFFLL).has_value());
    EXPECT_FALSE(filetime_to_date(-5).has_value());
}

TEST(GeneralizedTimeTest, ParsesUtcAndOffsets) {
    EXPECT_EQ(generalized_time_to_date("20240131120000Z"), Date::from_ymd(2024, 1, 31));
    EXPECT_EQ(generalized_time_to_date("20240131233000.5Z"), Date::from_ymd(2024, 1, 31));
    EXPECT_EQ(generalized_time_to_date("20240131233000-0100"), Date::from_ymd(2024, 2, 1));
    EXPECT_EQ(generalized_time_to_date("20240201003000+0200"), Date::from_ymd(2024, 1, 31));
    EXPECT_FALSE(generalized_time_to_date("2024013112").has_value());
    EXPECT_FALSE(generalized_time_to_date("20241331120000Z").has_value());
    EXPECT_FALSE(generalized_time_to_date("garbage").has_value());
}

TEST(AttributeRangeTest, ParsesAdRangeOptions) {
    const auto first = parse_attribute_range("member;range=0-1499");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->attribute, "member");
    EXPECT_EQ(first->low, 0U);
    EXPECT_EQ(first->high, 1499U);
    EXPECT_EQ(next_range_request(*first), "member;range=1500-*");

    const auto last = parse_attribute_range("member;Range=3000-*");
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->low, 3000U);
    EXPECT_FALSE(last->high.has_value());
    EXPECT_FALSE(next_range_request(*last).has_value());

    EXPECT_FALSE(parse_attribute_range("member").has_value());
    EXPECT_FALSE(parse_attribute_range("member;binary").has_value());
    EXPECT_FALSE(parse_attribute_range("member;range=5-2").has_value());
    EXPECT_FALSE(parse_attribute_range("member;range=x-*").has_value());
    EXPECT_TRUE(parse_attribute_range("member;x-opt;range=0-9").has_value());
}

std::vector<std::string_view> views(const std::vector<std::string>& values) {
    return {values.begin(), values.end()};
}

TEST(RangeCollectorTest, FollowsAdChunksToTheEnd) {
    // What AD sends for a 3,200-member group: 0-1499, 1500-2999, 3000-*.
    std::vector<std::string> chunk1(1500, "cn=a");
    std::vector<std::string> chunk2(1500, "cn=b");
    std::vector<std::string> chunk3(200, "cn=c");
    RangeCollector collector("member");
    collector.add("objectClass", {"group"});
    EXPECT_TRUE(collector.add("member;range=0-1499", views(chunk1)));
    EXPECT_EQ(collector.next_request(), "member;range=1500-*");
    EXPECT_TRUE(collector.add("member;range=1500-2999", views(chunk2)));
    EXPECT_EQ(collector.next_request(), "member;range=3000-*");
    EXPECT_TRUE(collector.add("member;range=3000-*", views(chunk3)));
    EXPECT_FALSE(collector.next_request().has_value());
    EXPECT_FALSE(collector.failed());
    EXPECT_EQ(collector.values().size(), 3200U);
}

TEST(RangeCollectorTest, PlainAttributeNeedsNoMoreRounds) {
    std::vector<std::string> members = {"cn=a", "cn=b"};
    RangeCollector collector("member");
    collector.add("Member", views(members));
    EXPECT_FALSE(collector.next_request().has_value());
    EXPECT_FALSE(collector.failed());
    EXPECT_THAT(collector.values(), ElementsAre("cn=a", "cn=b"));
}

TEST(RangeCollectorTest, RejectsAGapAndAnEmptyContinuation) {
    std::vector<std::string> some = {"cn=a"};
    RangeCollector gap("member");
    gap.add("member;range=0-1499", views(some));
    ASSERT_TRUE(gap.next_request().has_value());
    EXPECT_FALSE(gap.add("member;range=1600-*", views(some)));
    EXPECT_TRUE(gap.failed());

    RangeCollector empty("member");
    empty.add("member;range=0-1499", views(some));
    ASSERT_TRUE(empty.next_request().has_value());
    // The continuation response carried no member attribute at all.
    EXPECT_FALSE(empty.next_request().has_value());
    EXPECT_TRUE(empty.failed());
}

AccountPolicy policy_with_markers() {
    AccountPolicy policy;
    policy.strong_auth_attribute = "extensionattribute7";
    policy.strong_auth_value = "mfa";
    policy.shared_attribute = "employeetype";
    policy.shared_value = "shared";
    return policy;
}

TEST(AccountFromEntryTest, ReadsFlagsLogonAndMarkers) {
    const std::int64_t ft = date_to_filetime(Date::from_ymd(2024, 5, 1)) + 36000000000LL;
    const std::string ft_text = std::to_string(ft);
    const std::vector<EntryAttribute> attrs = {
        {"userAccountControl", {"262658"}},  // 0x40202: smartcard + disabled + normal
        {"LASTLOGONTIMESTAMP", {ft_text}},
        {"extensionAttribute7", {"MFA"}},
        {"employeeType", {"staff", "Shared"}},
    };
    const AccountFacts a = account_from_entry("cn=x,dc=y", attrs, policy_with_markers());
    EXPECT_EQ(a.dn, "cn=x,dc=y");
    EXPECT_EQ(a.user_account_control, 0x40202U);
    EXPECT_TRUE(a.disabled());
    EXPECT_TRUE(a.smartcard_required());
    EXPECT_EQ(a.last_logon, Date::from_ymd(2024, 5, 1));
    EXPECT_TRUE(a.strong_auth_attribute);
    EXPECT_TRUE(a.shared);
}

// The marker values compare as caseIgnoreMatch does: Swedish letters in either case, spaces.
TEST(AccountFromEntryTest, MarkerValuesCompareWithUnicodeCaseFolding) {
    AccountPolicy policy;
    policy.strong_auth_attribute = "employeetype";
    policy.strong_auth_value = "Stark autentisering kr\xC3\xA4vs";
    policy.shared_attribute = "description";
    policy.shared_value = "Delat konto \xC3\xB6ppet";
    const AccountFacts a = account_from_entry(
        "cn=x", {{"employeeType", {"STARK AUTENTISERING KR\xC3\x84VS"}},
                 {"description", {" delat  konto \xC3\x96PPET "}}},
        policy);
    EXPECT_TRUE(a.strong_auth_attribute);
    EXPECT_TRUE(a.shared);
    const AccountFacts b = account_from_entry(
        "cn=x", {{"employeeType", {"stark autentisering kravs"}}}, policy);
    EXPECT_FALSE(b.strong_auth_attribute) << "a is not \xC3\xA4";
}

// Issue 16 item 8: the name a report shows — sAMAccountName over uid over the first RDN's value.
TEST(AccountFromEntryTest, AccountNameIsSamAccountNameThenUidThenTheFirstRdnValue) {
    const AccountPolicy policy = policy_with_markers();
    EXPECT_EQ(account_from_entry("cn=Anna Berg,dc=y", {{"uid", {"anna"}}, {"sAMAccountName", {"aberg"}}}, policy)
                  .account_name(),
              "aberg");
    EXPECT_EQ(account_from_entry("cn=Anna Berg,dc=y", {{"sAMAccountName", {"aberg"}}, {"uid", {"anna"}}}, policy)
                  .account_name(),
              "aberg");
    EXPECT_EQ(account_from_entry("cn=Anna Berg,dc=y", {{"uid", {"anna"}}}, policy).account_name(), "anna");
    EXPECT_EQ(account_from_entry("uid=bo.ek,ou=people,dc=y", {}, policy).account_name(), "bo.ek");
    EXPECT_EQ(account_from_entry("cn=Berg\\, Anna+uid=x,dc=y", {}, policy).account_name(), "Berg, Anna");
    EXPECT_EQ(account_from_entry("no-rdn", {}, policy).account_name(), "no-rdn");
}

TEST(AccountFromEntryTest, MissingAttributesMeanNeverLoggedOnAndEnabled) {
    const AccountFacts a = account_from_entry("cn=x", {}, policy_with_markers());
    EXPECT_EQ(a.user_account_control, 0U);
    EXPECT_FALSE(a.disabled());
    EXPECT_FALSE(a.last_logon.has_value());
    EXPECT_FALSE(a.shared);
    EXPECT_FALSE(a.strong_auth_attribute);
    const AccountFacts never =
        account_from_entry("cn=x", {{"lastLogonTimestamp", {"0"}}}, policy_with_markers());
    EXPECT_FALSE(never.last_logon.has_value());
}

TEST(AccountFromEntryTest, OpenLdapUsesAuthTimestampAndPermanentLock) {
    AccountPolicy policy;
    policy.flavour = DirectoryFlavour::OpenLdap;
    const AccountFacts a = account_from_entry(
        "cn=x",
        {{"authTimestamp", {"20250101101010Z"}}, {"pwdAccountLockedTime", {"000001010000Z"}}},
        policy);
    EXPECT_EQ(a.last_logon, Date::from_ymd(2025, 1, 1));
    EXPECT_TRUE(a.disabled());
    const AccountFacts temporary =
        account_from_entry("cn=x", {{"pwdAccountLockedTime", {"20250101101010Z"}}}, policy);
    EXPECT_FALSE(temporary.disabled());
}

/// A small model: g1 ⊃ {a, b, g2}; g2 ⊃ {b, c, g3, ghost}; g3 ⊃ {d, g1} (cycle); mfa ⊃ {c}.
class GroupModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto account = [&](const std::string& name, std::uint32_t uac, std::optional<Date> logon) {
            AccountFacts a;
            a.dn = "cn=" + name + ",dc=x";
            a.user_account_control = uac;
            a.last_logon = logon;
            model_.accounts[normalize_dn(a.dn)] = a;
        };
        const Date recent = Date{as_of_.days - 10};
        account("a", 0x200, recent);
        account("b", 0x200 | kUacSmartcardRequired | kUacDontExpirePassword, recent);
        account("c", 0x200 | kUacPasswordNotRequired, std::nullopt);
        account("d", 0x200 | kUacAccountDisable, recent);
        model_.accounts[normalize_dn("cn=a,dc=x")].shared = true;
        model_.groups["cn=g1,dc=x"] = {"cn=a,dc=x", "cn=b,dc=x", "cn=g2,dc=x"};
        model_.groups["cn=g2,dc=x"] = {"cn=b,dc=x", "cn=c,dc=x", "cn=g3,dc=x", "cn=ghost,dc=x"};
        model_.groups["cn=g3,dc=x"] = {"cn=d,dc=x", "cn=g1,dc=x"};
        model_.groups["cn=mfa,dc=x"] = {"cn=c,dc=x"};
        policy_.as_of = as_of_;
        policy_.stale_days = 90;
    }

    Date as_of_ = Date::from_ymd(2025, 3, 1);
    DirectoryModel model_;
    GroupPolicy policy_;
};

TEST_F(GroupModelTest, ExpandsNestedGroupsOnceAndDetectsTheCycle) {
    const GroupExpansion e = expand_group(model_, "cn=g1,dc=x");
    EXPECT_TRUE(e.exists);
    EXPECT_TRUE(e.cycle);
    EXPECT_EQ(e.nested_groups, 2U);
    EXPECT_EQ(e.unresolved, 1U);
    std::vector<std::string> dns;
    for (const auto* a : e.accounts) {
        dns.push_back(a->dn);
    }
    EXPECT_THAT(dns, UnorderedElementsAre("cn=a,dc=x", "cn=b,dc=x", "cn=c,dc=x", "cn=d,dc=x"));

    EXPECT_FALSE(expand_group(model_, "cn=mfa,dc=x").cycle);
    EXPECT_FALSE(expand_group(model_, "cn=nope,dc=x").exists);
}

TEST_F(GroupModelTest, CountsAndListsEveryVerdict) {
    const auto strong = members_of_any(model_, {"cn=mfa,dc=x"});
    const GroupEvaluation e = evaluate_group(model_, "cn=g1,dc=x", strong, policy_);
    EXPECT_EQ(e.members, 4);
    EXPECT_EQ(e.enabled, 3);
    EXPECT_EQ(e.disabled, 1);
    EXPECT_EQ(e.enabled_without_strong_auth, 1);  // a: b has a smartcard, c is in mfa
    EXPECT_THAT(e.enabled_without_strong_auth_dns, ElementsAre("cn=a,dc=x"));
    EXPECT_EQ(e.enabled_smartcard_required, 1);
    EXPECT_EQ(e.enabled_without_smartcard, 2);
    EXPECT_THAT(e.enabled_without_smartcard_dns, ElementsAre("cn=a,dc=x", "cn=c,dc=x"));
    EXPECT_EQ(e.enabled_stale, 1);  // c never logged on
    EXPECT_EQ(e.enabled_password_never_expires, 1);
    EXPECT_EQ(e.enabled_password_not_required, 1);
    EXPECT_EQ(e.enabled_shared, 1);
    EXPECT_THAT(e.disabled_dns, ElementsAre("cn=d,dc=x"));

    const Facts facts = group_facts(e, policy_, "ldap test");
    EXPECT_EQ(facts.at("group.members").value, Value(4));
    EXPECT_EQ(facts.at("group.enabled_without_strong_auth.dns").value,
              Value(StringList{"cn=a,dc=x"}));
    EXPECT_DOUBLE_EQ(*facts.at("group.strong_auth_share").value.as_double(), 2.0 / 3.0);
    EXPECT_EQ(facts.at("group.nesting_cycle").value, Value(true));
    EXPECT_EQ(facts.at("group.members").provenance, Provenance::Probed);
    EXPECT_EQ(facts.at("group.members").source, "ldap test");
}

TEST_F(GroupModelTest, LeavesOutStrongAuthFactsWhenTheMfaGroupIsUnknown) {
    policy_.strong_auth_known = false;
    const GroupEvaluation e = evaluate_group(model_, "cn=g1,dc=x", {}, policy_);
    const Facts facts = group_facts(e, policy_, "ldap test");
    EXPECT_EQ(facts.count("group.enabled_without_strong_auth"), 0U);
    EXPECT_EQ(facts.count("group.strong_auth_share"), 0U);
    EXPECT_EQ(facts.count("group.members"), 1U);
}

TEST_F(GroupModelTest, MissingGroupHasOnlyTheExistsFact) {
    const GroupEvaluation e = evaluate_group(model_, "cn=nope,dc=x", {}, policy_);
    const Facts facts = group_facts(e, policy_, "ldap test");
    ASSERT_EQ(facts.size(), 1U);
    EXPECT_EQ(facts.at("group.exists").value, Value(false));
}

TEST(StaleTest, CountsDaysAtAsOf) {
    const Date as_of = Date::from_ymd(2025, 3, 15);
    AccountFacts a;
    a.last_logon = Date{as_of.days - 90};
    EXPECT_FALSE(is_stale(a, as_of, 90));
    a.last_logon = Date{as_of.days - 91};
    EXPECT_TRUE(is_stale(a, as_of, 90));
    a.last_logon = std::nullopt;
    EXPECT_TRUE(is_stale(a, as_of, 90));  // never logged on, creation unknown (OpenLDAP)
    // Never logged on, judged against whenCreated: a new account is not stale (issue 14 item 3).
    a.when_created = Date{as_of.days - 2};
    EXPECT_FALSE(is_stale(a, as_of, 90));
    a.when_created = Date{as_of.days - 90};
    EXPECT_FALSE(is_stale(a, as_of, 90));
    a.when_created = Date{as_of.days - 91};
    EXPECT_TRUE(is_stale(a, as_of, 90));
}

TEST(CappedDnListTest, SortsAndMarksTruncation) {
    EXPECT_THAT(capped_dn_list({"cn=b", "cn=a"}, 5), ElementsAre("cn=a", "cn=b"));
    EXPECT_THAT(capped_dn_list({"cn=d", "cn=c", "cn=b", "cn=a"}, 2),
                ElementsAre("cn=a", "cn=b", "...truncated 2 more"));
}

TEST(LdapProbeSpecTest, PublishesDirectoryAndGroupFacts) {
    const ProbeSpec& spec = make_ldap_probe()->spec();
    EXPECT_EQ(spec.kind, "ldap");
    std::vector<std::string> names;
    for (const auto& f : spec.facts) {
        names.push_back(f.name);
    }
    for (const char* expected :
         {"ldap.reachable", "ldap.anonymous_bind", "ldap.anonymous_read",
          "ldap.cleartext_bind_accepted", "ldap.transport", "ldap.tls.cert.chain_valid",
          "group.members", "group.enabled_stale", "group.strong_auth_share",
          "group.enabled_shared.dns"}) {
        EXPECT_THAT(names, ::testing::Contains(expected));
    }
}

}  // namespace
}  // namespace lisa
