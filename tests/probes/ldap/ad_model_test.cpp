// SPDX-License-Identifier: Apache-2.0
// The pure Active Directory layer (ad_model.hpp) on entries in the shape AD returns them —
// including what Samba 4.17 cannot produce: the LAPS attributes (legacy and Windows LAPS), Key
// Admins (526) and Enterprise Key Admins (527), which exist from the 2016 domain level only.
#include "lisa/probes/ad_model.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lisa::ad {
namespace {

using ::testing::ElementsAre;

/// An entry's attributes from owned strings (EntryAttribute holds views).
struct Entry {
    std::vector<std::pair<std::string, std::vector<std::string>>> owned;
    std::vector<EntryAttribute> attrs() const {
        std::vector<EntryAttribute> out;
        for (const auto& [name, values] : owned) {
            EntryAttribute a{name, {}};
            for (const auto& v : values) a.values.emplace_back(v);
            out.push_back(std::move(a));
        }
        return out;
    }
};

std::string binary_sid(std::vector<std::uint32_t> subs, std::uint8_t authority = 5) {
    std::string b;
    b += static_cast<char>(1);
    b += static_cast<char>(subs.size());
    for (int i = 0; i < 5; ++i) b += '\0';
    b += static_cast<char>(authority);
    for (auto s : subs) {
        for (int i = 0; i < 4; ++i) b += static_cast<char>((s >> (8 * i)) & 0xFF);
    }
    return b;
}

TEST(AdSidTest, BinaryObjectSidToString) {
    EXPECT_EQ(sid_to_string(binary_sid({21, 3889440031u, 3692955939u, 364383984u, 512})),
              "S-1-5-21-3889440031-3692955939-364383984-512");
    EXPECT_EQ(sid_to_string(binary_sid({32, 544})), "S-1-5-32-544");
    EXPECT_EQ(sid_to_string("short"), std::nullopt);
    std::string bad = binary_sid({32, 544});
    bad.pop_back();  // length does not match the subauthority count
    EXPECT_EQ(sid_to_string(bad), std::nullopt);
}

TEST(AdSidTest, PrivilegedGroupsByRidOrBuiltinSidNeverByName) {
    const std::string domain = "S-1-5-21-1-2-3";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"512", "domain_admins"},        {"519", "enterprise_admins"},
        {"518", "schema_admins"},        {"520", "group_policy_creator_owners"},
        {"526", "key_admins"},           {"527", "enterprise_key_admins"},
    };
    for (const auto& [rid, id] : cases) {
        const auto* kind = privileged_kind_of_sid(domain + "-" + rid);
        ASSERT_NE(kind, nullptr) << rid;
        EXPECT_EQ(std::string(kind->id), id);
    }
    for (const auto& [sid, id] :
         std::vector<std::pair<std::string, std::string>>{{"S-1-5-32-544", "administrators"},
                                                          {"S-1-5-32-548", "account_operators"},
                                                          {"S-1-5-32-549", "server_operators"},
                                                          {"S-1-5-32-550", "print_operators"},
                                                          {"S-1-5-32-551", "backup_operators"}}) {
        ASSERT_NE(privileged_kind_of_sid(sid), nullptr) << sid;
        EXPECT_EQ(std::string(privileged_kind_of_sid(sid)->id), id);
    }
    EXPECT_EQ(privileged_kind_of_sid(domain + "-513"), nullptr);  // Domain Users
    EXPECT_EQ(privileged_kind_of_sid(domain + "-5120"), nullptr);
    EXPECT_EQ(privileged_kind_of_sid("S-1-5-32-545"), nullptr);    // Users
    EXPECT_EQ(privileged_kind_of_sid("S-1-5-21-1-2-3-1512"), nullptr);
    EXPECT_TRUE(is_protected_users_sid(domain + "-525"));
    EXPECT_FALSE(is_protected_users_sid("S-1-5-32-525"));
    const std::string filter = privileged_groups_filter(domain);
    EXPECT_THAT(filter, ::testing::HasSubstr("(objectSid=S-1-5-21-1-2-3-512)"));
    EXPECT_THAT(filter, ::testing::HasSubstr("(objectSid=S-1-5-32-551)"));
    EXPECT_THAT(filter, ::testing::HasSubstr("(sAMAccountName=DnsAdmins)"));
}

TEST(AdNamesTest, CappedAtTwentyWithTheCountOfTheRest) {
    StringList names;
    for (int i = 0; i < 25; ++i) names.push_back("u" + std::to_string(100 + i));
    const StringList capped = capped_names(names);
    ASSERT_EQ(capped.size(), 21U);
    EXPECT_EQ(capped.front(), "u100");
    EXPECT_EQ(capped.back(), "… +5 more");
    EXPECT_EQ(capped_names({"b", "a"}), (StringList{"a", "b"}));
}

TEST(AdDomainPolicyTest, FromTheDomainObject) {
    const Entry e{{{"minPwdLength", {"14"}},
                   {"lockoutThreshold", {"10"}},
                   {"pwdProperties", {"1"}},
                   {"maxPwdAge", {"-36288000000000"}},
                   {"msDS-Behavior-Version", {"7"}}}};
    const DomainPolicy p = domain_policy_from_entry(e.attrs());
    EXPECT_EQ(p.min_password_length, 14);
    EXPECT_EQ(p.lockout_threshold, 10);
    EXPECT_EQ(p.complexity, true);
    EXPECT_EQ(p.max_password_age_days, 42);
    EXPECT_EQ(p.domain_level, 7);
    EXPECT_EQ(functional_level_name(7), "2016");
    EXPECT_EQ(functional_level_name(4), "2008 R2");
    // "Never expires" comes as INT64_MIN (or 0).
    EXPECT_EQ(interval_days("-9223372036854775808"), 0);
    EXPECT_EQ(interval_days("0"), 0);
    EXPECT_EQ(interval_days("abc"), std::nullopt);
    const Entry weak{{{"pwdProperties", {"0"}}}};
    EXPECT_EQ(domain_policy_from_entry(weak.attrs()).complexity, false);
}

TEST(AdPsoTest, FineGrainedPolicyAppliesToAGroupByItsDn) {
    const Entry e{{{"msDS-PasswordSettingsPrecedence", {"10"}},
                   {"msDS-MinimumPasswordLength", {"15"}},
                   {"msDS-LockoutThreshold", {"5"}},
                   {"msDS-MaximumPasswordAge", {"-0"}},
                   {"msDS-PasswordComplexityEnabled", {"TRUE"}},
                   {"msDS-PSOAppliesTo", {"CN=Domänadministratörer,CN=Users,DC=kommun,DC=test"}}}};
    const PasswordSettings p = pso_from_entry("CN=PSO,CN=Password Settings Container", e.attrs());
    EXPECT_EQ(p.min_length, 15);
    EXPECT_EQ(p.lockout_threshold, 5);
    EXPECT_EQ(p.complexity, true);
    EXPECT_EQ(p.max_age_days, 0);
    EXPECT_THAT(p.applies_to,
                ElementsAre(normalize_dn("cn=DOMÄNADMINISTRATÖRER,cn=users,dc=kommun,dc=test")));
}

TEST(AdComputersTest, LapsFromEitherSchemaAndUnconstrainedDelegationWithoutDcs) {
    const Entry legacy{{{"sAMAccountName", {"PC-1$"}},
                        {"userAccountControl", {"4096"}},
                        {"ms-Mcs-AdmPwdExpirationTime", {"133900000000000000"}}}};
    const Entry windows_laps{{{"sAMAccountName", {"PC-2$"}},
                              {"userAccountControl", {"4096"}},
                              {"msLAPS-PasswordExpirationTime", {"133900000000000000"}}}};
    const Entry none{{{"sAMAccountName", {"PC-3$"}}, {"userAccountControl", {"4096"}}}};
    const Entry delegating{{{"sAMAccountName", {"SRV-1$"}}, {"userAccountControl", {"528384"}}}};
    const Entry dc{{{"sAMAccountName", {"DC1$"}}, {"userAccountControl", {"532480"}}}};
    const Entry disabled{{{"sAMAccountName", {"OLD$"}}, {"userAccountControl", {"528386"}}}};
    // A service account (a user) trusted for unconstrained delegation: no computer.
    const Entry user{{{"sAMAccountName", {"svc-web"}},
                      {"objectClass", {"top", "person", "organizationalPerson", "user"}},
                      {"userAccountControl", {"590336"}}}};
    std::vector<ComputerFacts> computers;
    for (const Entry* e : {&legacy, &windows_laps, &none, &delegating, &dc, &disabled}) {
        computers.push_back(computer_from_entry("CN=x", e->attrs()));
        computers.back().computer = true;  // objectClass computer (not in these entries)
    }
    computers.push_back(computer_from_entry("CN=svc-web", user.attrs()));
    EXPECT_FALSE(computers.back().computer);
    EXPECT_TRUE(computers[0].laps);
    EXPECT_TRUE(computers[1].laps);
    EXPECT_FALSE(computers[2].laps);
    const ComputerEvaluation e = evaluate_computers(computers);
    EXPECT_EQ(e.total, 4);  // the DC and the disabled one are not counted
    EXPECT_EQ(e.laps, 2);
    EXPECT_EQ(e.unconstrained.count, 1);
    EXPECT_EQ(e.unconstrained.names, StringList{"SRV-1$"});
    EXPECT_EQ(e.unconstrained_accounts.names, (StringList{"SRV-1$", "svc-web"}));
}

TEST(AdPrivilegedTest, KeyAdminsMembersAreJudgedLikeDomainAdmins) {
    // A 2016-level domain's Key Admins (526), which Samba cannot create: one member, no smart card,
    // never logged on and created 200 days before the audit date; a second created yesterday.
    const Date as_of = *Date::parse("2026-06-01");
    AccountPolicy policy;
    DirectoryModel model;
    auto account = [&](const std::string& dn, const std::string& sam, std::uint32_t uac,
                       int created_days_ago) {
        AccountFacts a;
        a.dn = dn;
        a.name = sam;
        a.user_account_control = uac;
        a.when_created = Date{as_of.days - created_days_ago};
        a.pwd_last_set = Date{as_of.days - created_days_ago};
        model.accounts.emplace(normalize_dn(dn), a);
    };
    account("CN=Old,DC=x", "old", 0x200, 200);
    account("CN=New,DC=x", "new", 0x200 | kUacSmartcardRequired | kUacNotDelegated, 1);
    model.groups[normalize_dn("CN=Key Admins,CN=Users,DC=x")] = {normalize_dn("CN=Old,DC=x"),
                                                                normalize_dn("CN=New,DC=x")};
    PrivilegedPolicy p;
    p.as_of = as_of;
    p.stale_days = 90;
    p.password_max_age_days = 180;
    const PrivilegedEvaluation e = evaluate_privileged(
        model, {{"Key Admins: CN=Key Admins,CN=Users,DC=x", normalize_dn("CN=Key Admins,CN=Users,DC=x")}},
        "", p);
    EXPECT_EQ(e.enabled, 2);
    EXPECT_EQ(e.without_smartcard.names, StringList{"old"});
    EXPECT_EQ(e.stale.names, StringList{"old"});          // the new account is not stale
    EXPECT_EQ(e.password_old.names, StringList{"old"});
    EXPECT_EQ(e.delegable.names, StringList{"old"});
    EXPECT_EQ(e.not_protected.count, 2);                  // no Protected Users group at all
}

TEST(AdPrivilegedTest, AdminCountOrphansSkipKrbtgtAndProtectedMembers) {
    std::vector<AccountFacts> accounts(3);
    accounts[0].dn = "CN=krbtgt,CN=Users,DC=x";
    accounts[0].name = "krbtgt";
    accounts[1].dn = "CN=Öberg\\, Åsa,OU=Adm,DC=x";
    accounts[1].name = "asa.oberg";
    accounts[2].dn = "CN=Före Detta,OU=Adm,DC=x";
    accounts[2].name = "fd-admin";
    for (auto& a : accounts) a.admin_count = true;
    const NamedCount orphans =
        admin_count_orphans(accounts, {normalize_dn("cn=öberg\\2C åsa,ou=adm,dc=x")});
    EXPECT_EQ(orphans.count, 1);
    EXPECT_EQ(orphans.names, StringList{"fd-admin"});
}

TEST(AdAccountTest, AdAttributesOfAnAccountEntry) {
    const Entry e{{{"sAMAccountName", {"adm-bo"}},
                   {"userAccountControl", {"4260352"}},
                   {"pwdLastSet", {"0"}},
                   {"whenCreated", {"20221022115548.0Z"}},
                   {"adminCount", {"1"}},
                   {"servicePrincipalName", {"HTTP/bo-test.kommun.test"}},
                   {"objectClass", {"top", "person", "organizationalPerson", "user"}}}};
    const AccountFacts a = account_from_entry("CN=Bo Ek (adm),DC=x", e.attrs(), AccountPolicy{});
    EXPECT_EQ(a.name, "adm-bo");
    EXPECT_EQ(a.pwd_last_set, std::nullopt);  // 0: must change at next logon
    EXPECT_EQ(a.when_created, Date::parse("2022-10-22"));
    EXPECT_TRUE(a.admin_count);
    EXPECT_TRUE(a.has_spn);
    EXPECT_FALSE(a.computer);
    EXPECT_EQ(a.user_account_control & kUacDontRequirePreauth, kUacDontRequirePreauth);
}

}  // namespace
}  // namespace lisa::ad
