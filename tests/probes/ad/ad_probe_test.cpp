// SPDX-License-Identifier: Apache-2.0
// The ldap probe against a real Active Directory domain controller (Samba AD DC on loopback,
// started and stopped by pid by samba_dc.cpp). Ages in the domain are set relative to the run's
// clock, so every --as-of here is derived from today.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>

#include "lisa/probes/ldap_probe.hpp"
#include "samba_dc.hpp"
#include "probe_targets.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace ad = lisa::ad_test;
namespace ts = lisa::testing_support;

Fact declared(Value v) { return Fact{std::move(v), Provenance::Declared, "test"}; }

const Value* fact(const Facts& facts, const std::string& name) {
    const auto it = facts.find(name);
    return it == facts.end() ? nullptr : &it->second.value;
}

std::int64_t int_of(const Facts& facts, const std::string& name) {
    const Value* v = fact(facts, name);
    if (v == nullptr || v->as_int() == nullptr) {
        ADD_FAILURE() << name << " missing or not an integer";
        return -1;
    }
    return *v->as_int();
}

/// The declared facts of the domain as a directory subject.
struct DirectoryDecl {
    std::string url = ad::kLdapsUrl;
    bool starttls = false;
    std::string ca_file;  ///< empty: the DC's test CA
    std::string bind_dn = ad::kReaderDn;
    bool password = true;  ///< password_file of the fixture
    bool kerberos = false;
    std::string keytab;
    std::string principal;
    std::string base_dn = ad::kBase;
};

class AdDomainTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        signal(SIGPIPE, SIG_IGN);
        try {
            dc_ = std::make_unique<ad::SambaDc>();
            setenv("KRB5_CONFIG", dc_->krb5_conf().c_str(), 1);
        } catch (const std::exception& e) {
            start_error_ = e.what();
        }
    }
    static void TearDownTestSuite() { dc_.reset(); }
    void SetUp() override {
        ASSERT_NE(dc_, nullptr) << "the Samba AD DC did not start: " << start_error_;
    }

    static std::vector<Subject> subjects(const DirectoryDecl& d,
                                         const std::vector<std::string>& groups) {
        Subject dir;
        dir.kind = SubjectKind::Directory;
        dir.id = "kommun-ad";
        dir.facts["directory.url"] = declared(d.url);
        dir.facts["directory.starttls"] = declared(d.starttls);
        dir.facts["directory.base_dn"] = declared(d.base_dn);
        dir.facts["directory.flavour"] = declared("active_directory");
        dir.facts["directory.stale_days"] = declared(90);
        dir.facts["directory.ca_file"] = declared(d.ca_file.empty() ? dc_->ca_file() : d.ca_file);
        if (!d.bind_dn.empty()) dir.facts["directory.bind_dn"] = declared(d.bind_dn);
        if (d.password) dir.facts["directory.password_file"] = declared(dc_->password_file());
        if (d.kerberos) dir.facts["directory.kerberos"] = declared(true);
        if (!d.keytab.empty()) dir.facts["directory.keytab"] = declared(d.keytab);
        if (!d.principal.empty()) dir.facts["directory.principal"] = declared(d.principal);
        std::vector<Subject> out{dir};
        for (std::size_t i = 0; i < groups.size(); ++i) {
            Subject g;
            g.kind = SubjectKind::AccessGroup;
            g.id = "group" + std::to_string(i);
            g.parent = 0;
            g.facts["access_group.dn"] = declared(groups[i]);
            g.facts["access_group.directory"] = declared("kommun-ad");
            g.facts["access_group.privileged"] = declared(false);
            out.push_back(std::move(g));
        }
        return out;
    }

    /// Runs the probe as of today + `days_ahead` (the domain's ages are relative to now).
    static ProbeOutput run(const std::vector<Subject>& subjects, int days_ahead = 0) {
        ProbeContext context;
        auto as_of = Date::parse(ts::today_iso(days_ahead));
        context.as_of = *as_of;
        context.timeout = std::chrono::seconds(15);
        auto probe = make_ldap_probe();
        const auto targets = testing_support::targets_of(subjects);
        const ProbeRequest request{subjects[0], 0, subjects, targets, context};
        auto result = probe->collect(request);
        if (!result) {
            ADD_FAILURE() << result.error().message;
            return {};
        }
        return std::move(result).value();
    }

    static DirectoryDecl kerberos_decl() {
        DirectoryDecl d;
        d.bind_dn.clear();
        d.password = false;
        d.kerberos = true;
        d.keytab = dc_->keytab();
        d.principal = ad::kReaderPrincipal;
        return d;
    }

    static std::unique_ptr<ad::SambaDc> dc_;
    static std::string start_error_;
};
std::unique_ptr<ad::SambaDc> AdDomainTest::dc_;
std::string AdDomainTest::start_error_;

// ---- the fixture itself ------------------------------------------------------------------------

TEST(SambaDcFixtureTest, StartsFromTheCacheAndIsStoppedByPid) {
    int pid = -1;
    {
        ad::SambaDc dc;
        pid = dc.pid();
        ASSERT_GT(pid, 0);
        EXPECT_EQ(kill(pid, 0), 0);
        EXPECT_TRUE(ts::wait_for_port(636, std::chrono::milliseconds(500)));
    }
    EXPECT_NE(kill(pid, 0), 0) << "samba still running after the fixture was destroyed";
    EXPECT_FALSE(ts::wait_for_port(389, std::chrono::milliseconds(200)));
    EXPECT_FALSE(ts::wait_for_port(636, std::chrono::milliseconds(200)));
}

// ---- transport and binds -----------------------------------------------------------------------

TEST_F(AdDomainTest, ReadsANestedAccessGroupWithSwedishNamesOverLdaps) {
    const ProbeOutput out = run(subjects({}, {ad::kTreserva, ad::kProcapita}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("ldaps"));
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.chain_valid"), Value(true));
    ASSERT_EQ(out.related_errors.size(), 0U) << out.related_errors.begin()->second;
    const Facts& treserva = out.related.at(1);
    // karin.lof (smart card), goran.ang, adm-bo, and lisa.ostlund through APP-Treserva-läs.
    EXPECT_EQ(int_of(treserva, "group.members"), 4);
    EXPECT_EQ(int_of(treserva, "group.nested_groups"), 1);
    EXPECT_EQ(int_of(treserva, "group.enabled_smartcard_required"), 1);
    EXPECT_EQ(int_of(treserva, "group.enabled_without_strong_auth"), 3);
    // The escaped comma and the Swedish letters come back as the DC wrote them.
    const Facts& procapita = out.related.at(2);
    EXPECT_EQ(int_of(procapita, "group.members"), 2);
    const auto& dns = *fact(procapita, "group.enabled_smartcard_required.dns")->as_list();
    ASSERT_EQ(dns.size(), 1U);
    EXPECT_TRUE(ldap_values_equal(dns[0], "CN=Åberg\\, Per,OU=Individ- och familjeomsorg,"
                                          "OU=Socialförvaltningen,OU=Kommun,DC=kommun,DC=test"))
        << dns[0];
}

TEST_F(AdDomainTest, StartTlsBindReadsTheSameGroup) {
    DirectoryDecl d;
    d.url = ad::kLdapUrl;
    d.starttls = true;
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("starttls"));
    ASSERT_EQ(out.related_errors.size(), 0U) << out.related_errors.begin()->second;
    EXPECT_EQ(int_of(out.related.at(1), "group.members"), 4);
}

TEST_F(AdDomainTest, TheDcRefusingACleartextSimpleBindIsObserved) {
    DirectoryDecl d;
    d.url = ad::kLdapUrl;
    d.starttls = true;
    const ProbeOutput out = run(subjects(d, {}));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(false));
}

TEST_F(AdDomainTest, AnonymousSearchAnsweredWithOperationsErrorIsRefusedReadNotAnError) {
    const ProbeOutput out = run(subjects({}, {}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_read"), Value(false));
    EXPECT_EQ(fact(out.facts, "ldap.error"), nullptr);
}

TEST_F(AdDomainTest, ASimpleBindConfiguredWithoutTlsSaysWhichBindToConfigure) {
    // adfix item 1: lisa refuses before connecting — the password is never offered to the DC.
    DirectoryDecl d;
    d.url = ad::kLdapUrl;  // no starttls: the password would travel in cleartext
    const auto subs = subjects(d, {ad::kTreserva});
    ProbeContext context;
    context.timeout = std::chrono::seconds(15);
    const auto targets = testing_support::targets_of(subs);
    const ProbeRequest request{subs[0], 0, subs, targets, context};
    auto refused = make_ldap_probe()->collect(request);
    ASSERT_FALSE(refused);
    const std::string& why = refused.error().message;
    EXPECT_THAT(why, HasSubstr("unencrypted"));
    EXPECT_THAT(why, HasSubstr("ldaps://"));
    EXPECT_THAT(why, HasSubstr("starttls"));
    EXPECT_THAT(why, HasSubstr("Kerberos"));
    EXPECT_THAT(why, Not(HasSubstr(ad::kReaderPassword)));
    // What the DC does with a cleartext simple bind is still observed, with a decoy only.
    d.bind_dn.clear();
    d.password = false;
    const ProbeOutput out = run(subjects(d, {}));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(false));
}

TEST_F(AdDomainTest, LdapsToANameTheCertificateDoesNotCarrySaysSo) {
    DirectoryDecl d;
    d.url = "ldaps://127.0.0.1";
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.hostname_match"), Value(false));
    ASSERT_EQ(out.related_errors.count(1), 1U);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("the certificate names another host"));
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("localhost"));
    // Issue 15: which certificate, as the DC sent it (key type, CN, SANs).
    EXPECT_THAT(out.related_errors.at(1), HasSubstr(" certificate CN="));
    EXPECT_THAT(out.related_errors.at(1), Not(HasSubstr("Can't contact")));
    // adfix item 2: never bound, so KAT-003/004 are not judged from the configuration.
    EXPECT_EQ(fact(out.facts, "ldap.transport"), nullptr);
    EXPECT_EQ(fact(out.facts, "ldap.cleartext_bind_accepted"), nullptr);
    // The directory's access group names its directory (one cause in the report's summary).
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("directory '"));
    // The DC accepts the anonymous bind (a fact whoever answered) and refuses the search; over a
    // session whose certificate failed verification a refusal could come from anyone in
    // between, so KAT-002 is not passed on it.
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(fact(out.facts, "ldap.anonymous_read"), nullptr);
    EXPECT_THAT(out.error, HasSubstr("its refusal of anonymous access could have come from anyone"));
}

TEST_F(AdDomainTest, AVerifiedSessionJudgesAnonymousAccess) {
    const ProbeOutput out = run(subjects({}, {}));
    // Samba AD accepts the anonymous bind and refuses the search, as Windows does; its rootDSE
    // says AD, so KAT-001 does not apply and KAT-002 judges the read.
    EXPECT_EQ(*fact(out.facts, "ldap.rootdse_active_directory"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_read"), Value(false));
    EXPECT_THAT(out.error, Not(HasSubstr("anonymous")));
}

TEST_F(AdDomainTest, LdapsWithAnUntrustedCaSaysSo) {
    DirectoryDecl d;
    d.ca_file = dc_->other_ca_file();
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.chain_valid"), Value(false));
    ASSERT_EQ(out.related_errors.count(1), 1U);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("not trusted by directory.ca_file"));
    EXPECT_THAT(out.related_errors.at(1), Not(HasSubstr("Can't contact")));
}

TEST_F(AdDomainTest, KerberosBindWithAKeytabInItsOwnMemoryCache) {
    // Were the keytab's ticket stored in the default cache, it would land here.
    ts::TempDir tmp;
    const std::string default_cache = tmp.file("krb5cc");
    setenv("KRB5CCNAME", ("FILE:" + default_cache).c_str(), 1);
    const ProbeOutput out = run(subjects(kerberos_decl(), {ad::kTreserva}));
    EXPECT_EQ(out.error, "");
    ASSERT_EQ(out.related_errors.size(), 0U) << out.related_errors.begin()->second;
    EXPECT_EQ(int_of(out.related.at(1), "group.members"), 4);
    EXPECT_FALSE(std::filesystem::exists(default_cache));
}

TEST_F(AdDomainTest, KerberosBindOverPlainLdapAndStartTls) {
    for (const bool starttls : {false, true}) {
        SCOPED_TRACE(starttls);
        DirectoryDecl d = kerberos_decl();
        d.url = ad::kLdapUrl;
        d.starttls = starttls;
        const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
        ASSERT_EQ(out.related_errors.size(), 0U) << out.related_errors.begin()->second;
        EXPECT_EQ(int_of(out.related.at(1), "group.members"), 4);
        // Over plain ldap:// the Kerberos bind seals the session (Samba negotiates SASL
        // confidentiality): encrypted as TLS would be, so KAT-004 passes.
        EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value(starttls ? "starttls" : "sasl"));
    }
}

TEST_F(AdDomainTest, KerberosBindWithTheCallersCredentialCache) {
    ts::TempDir tmp;
    const std::string cache = "FILE:" + tmp.file("krb5cc");
    std::string output;
    ASSERT_EQ(ts::run_command({"env", "KRB5_CONFIG=" + dc_->krb5_conf(), "KRB5CCNAME=" + cache,
                               "kinit", "-k", "-t", dc_->keytab(), ad::kReaderPrincipal},
                              &output),
              0)
        << output;
    setenv("KRB5CCNAME", cache.c_str(), 1);
    DirectoryDecl d = kerberos_decl();
    d.keytab.clear();
    d.principal.clear();
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    ASSERT_EQ(out.related_errors.size(), 0U) << out.related_errors.begin()->second;
    EXPECT_EQ(int_of(out.related.at(1), "group.members"), 4);
}

TEST_F(AdDomainTest, KerberosWithoutATicketSaysToRunKinit) {
    ts::TempDir tmp;
    setenv("KRB5CCNAME", ("FILE:" + tmp.file("none")).c_str(), 1);
    DirectoryDecl d = kerberos_decl();
    d.keytab.clear();
    d.principal.clear();
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    ASSERT_EQ(out.related_errors.count(1), 1U);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("kinit"));
}

TEST_F(AdDomainTest, KerberosPrincipalNotInTheKeytabIsNamed) {
    DirectoryDecl d = kerberos_decl();
    d.principal = "nobody@KOMMUN.TEST";
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    ASSERT_EQ(out.related_errors.count(1), 1U);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("nobody@KOMMUN.TEST"));
}

TEST_F(AdDomainTest, ConcurrentDirectoriesWithKeytabsDoNotShareACache) {
    std::vector<std::thread> threads;
    std::vector<std::int64_t> members(4, -1);
    for (std::size_t i = 0; i < members.size(); ++i) {
        threads.emplace_back([&, i] {
            const ProbeOutput out = run(subjects(kerberos_decl(), {ad::kTreserva}));
            if (out.related.count(1) != 0) {
                members[i] = int_of(out.related.at(1), "group.members");
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto m : members) EXPECT_EQ(m, 4);
}

// ---- privileged access, found by SID, judged per member ---------------------------------------

StringList list_of(const Facts& facts, const std::string& name) {
    const Value* v = fact(facts, name);
    if (v == nullptr || v->as_list() == nullptr) {
        return {};
    }
    return *v->as_list();
}

TEST_F(AdDomainTest, PrivilegedGroupsAreFoundBySidUnderTheirSwedishNames) {
    const ProbeOutput out = run(subjects({}, {}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ad.detected"), Value(true));
    const StringList groups = list_of(out.facts, "ad.privileged.groups");
    EXPECT_THAT(groups, ::testing::Contains(std::string("Domain Admins: ") + ad::kDomainAdmins));
    EXPECT_THAT(groups, ::testing::Contains(
                            "Backup Operators: CN=Backup Operators,CN=Builtin,DC=kommun,DC=test"));
    EXPECT_EQ(*fact(out.facts, "ad.protected_users.exists"), Value(true));
}

/// Each per-member check names one account that fails it and leaves out one that passes it.
TEST_F(AdDomainTest, EveryPrivilegedMemberCheckNamesTheFailingAccountsOnly) {
    const ProbeOutput out = run(subjects({}, {}));
    ASSERT_EQ(out.error, "");
    const Facts& f = out.facts;
    // Domänadministratörer: Administrator, adm-anna, adm-bo, adm-ny, adm-gammal (disabled),
    // adm-primar by his primary group, asa.oberg through IT-drift-admins; Backup Operators:
    // svc-backup.
    EXPECT_EQ(int_of(f, "ad.privileged.enabled"), 7);
    // The contact in Schema Admins is no account and no unreadable member.
    EXPECT_EQ(int_of(f, "ad.privileged.unreadable_members"), 0);
    // Authenticated Users (a foreign security principal) in Print Operators, Domain Guests nested
    // in Server Operators: everyone of them is privileged (AD-019).
    EXPECT_EQ(list_of(f, "ad.privileged.broad_members.accounts"),
              (StringList{"Print Operators: Authenticated Users (S-1-5-11)", "Server Operators: Domain Guests"}));
    struct Check {
        const char* fact;
        std::vector<std::string> failing;
        std::vector<std::string> passing;
    };
    const std::vector<Check> checks = {
        {"ad.privileged.without_smartcard", {"adm-bo", "svc-backup", "Administrator"}, {"adm-anna", "asa.oberg"}},
        {"ad.privileged.not_in_protected_users", {"adm-bo", "asa.oberg"}, {"adm-anna"}},
        {"ad.privileged.delegable", {"adm-bo", "svc-backup"}, {"adm-anna", "asa.oberg"}},
        {"ad.privileged.preauth_not_required", {"adm-bo"}, {"adm-anna", "svc-backup"}},
        {"ad.privileged.with_spn", {"adm-bo", "svc-backup"}, {"adm-anna"}},
        {"ad.privileged.password_never_expires", {"adm-bo", "svc-backup"}, {"adm-anna"}},
        {"ad.privileged.password_old", {"adm-bo", "svc-backup", "asa.oberg"}, {"adm-anna", "adm-ny"}},
        {"ad.privileged.stale", {"asa.oberg"}, {"adm-ny", "adm-anna", "adm-bo"}},
    };
    for (const auto& c : checks) {
        SCOPED_TRACE(c.fact);
        const StringList names = list_of(f, std::string(c.fact) + ".accounts");
        for (const auto& n : c.failing) EXPECT_THAT(names, ::testing::Contains(n));
        for (const auto& n : c.passing) EXPECT_THAT(names, Not(::testing::Contains(n)));
        EXPECT_EQ(int_of(f, c.fact), static_cast<std::int64_t>(names.size()));
    }
    // adminCount left on fd-admin, who is in no privileged group any more; krbtgt is not named.
    EXPECT_EQ(list_of(f, "ad.admincount_orphans.accounts"), StringList{"fd-admin"});
}

/// Domain Admins' `member` does not list an account whose primary group it is.
TEST_F(AdDomainTest, ADomainAdminByPrimaryGroupIdIsJudgedLikeTheOthers) {
    const ProbeOutput out = run(subjects({}, {}));
    ASSERT_EQ(out.error, "");
    EXPECT_THAT(list_of(out.facts, "ad.privileged.enabled.accounts"), ::testing::Contains("adm-primar"));
    EXPECT_THAT(list_of(out.facts, "ad.privileged.not_in_protected_users.accounts"),
                ::testing::Contains("adm-primar"));
    EXPECT_THAT(list_of(out.facts, "ad.admincount_orphans.accounts"), Not(::testing::Contains("adm-primar")));
}

/// A base below the domain root still sees the privileged members elsewhere in the domain
/// (Administrator in CN=Users): they are read by their DNs, not missed or called orphans.
TEST_F(AdDomainTest, ABaseBelowTheDomainRootStillJudgesEveryPrivilegedMember) {
    DirectoryDecl d;
    d.base_dn = "OU=Kommun,DC=kommun,DC=test";
    const ProbeOutput out = run(subjects(d, {ad::kTreserva}));
    ASSERT_EQ(out.error, "");
    EXPECT_EQ(int_of(out.facts, "ad.privileged.enabled"), 7);
    EXPECT_EQ(int_of(out.facts, "ad.privileged.unreadable_members"), 0);
    EXPECT_THAT(list_of(out.facts, "ad.privileged.without_smartcard.accounts"), ::testing::Contains("Administrator"));
    EXPECT_EQ(list_of(out.facts, "ad.admincount_orphans.accounts"), StringList{"fd-admin"});
    EXPECT_EQ(int_of(out.related.at(1), "group.members"), 4);
}

/// An audit date before krbtgt's password was set: its age then is not in today's directory.
TEST_F(AdDomainTest, AnAuditDateBeforeKrbtgtsPasswordWasSetIsNotJudged) {
    const ProbeOutput out = run(subjects({}, {ad::kTreserva}), -1000);  // set 900 days ago
    EXPECT_EQ(fact(out.facts, "ad.krbtgt.password_age_days"), nullptr);
    EXPECT_THAT(out.error, HasSubstr("krbtgt's password was set after the audit date"));
    // Membership does not depend on it: the access group's privileged facts stand.
    EXPECT_EQ(out.related_errors.count(1), 0U);
    EXPECT_EQ(int_of(out.related.at(1), "group.privileged_members"), 1);
}

TEST_F(AdDomainTest, DomainLevelFacts) {
    const ProbeOutput out = run(subjects({}, {}));
    ASSERT_EQ(out.error, "");
    const Facts& f = out.facts;
    EXPECT_EQ(int_of(f, "ad.domain.min_password_length"), 7);
    EXPECT_EQ(int_of(f, "ad.domain.lockout_threshold"), 0);
    EXPECT_EQ(*fact(f, "ad.domain.password_complexity"), Value(true));
    EXPECT_EQ(int_of(f, "ad.domain.max_password_age_days"), 42);
    EXPECT_EQ(int_of(f, "ad.domain.functional_level"), 4);
    EXPECT_EQ(*fact(f, "ad.domain.functional_level_name"), Value("2008 R2"));
    EXPECT_EQ(int_of(f, "ad.forest.functional_level"), 4);
    EXPECT_EQ(int_of(f, "ad.krbtgt.password_age_days"), 900);  // set 900 days ago at load
    EXPECT_EQ(int_of(f, "ad.computers.total"), 3);  // DC1 is a DC: not counted
    EXPECT_EQ(int_of(f, "ad.computers.laps"), 0);   // Samba's schema has no LAPS attributes
    EXPECT_EQ(list_of(f, "ad.computers.unconstrained_delegation.accounts"), StringList{"SRV-APP01$"});
    // AD-013 counts the service account (a user) trusted for unconstrained delegation too.
    EXPECT_EQ(list_of(f, "ad.unconstrained_delegation.accounts"), (StringList{"SRV-APP01$", "svc-deleg"}));
    // The PSO on Domänadministratörer is not readable by a least-privilege account (as in AD).
    EXPECT_EQ(int_of(f, "ad.pso.visible"), 0);
    EXPECT_EQ(*fact(f, "ad.pso.privileged"), Value(false));
}

TEST_F(AdDomainTest, AccessGroupNamesItsDomainAdminWithoutSmartCard) {
    const ProbeOutput out = run(subjects({}, {ad::kTreserva, ad::kProcapita}));
    ASSERT_EQ(out.related_errors.size(), 0U) << out.related_errors.begin()->second;
    const Facts& treserva = out.related.at(1);
    EXPECT_EQ(int_of(treserva, "group.members"), 4);
    EXPECT_EQ(int_of(treserva, "group.privileged_members"), 1);
    EXPECT_EQ(list_of(treserva, "group.privileged_without_smartcard.accounts"), StringList{"adm-bo"});
    EXPECT_EQ(int_of(out.related.at(2), "group.privileged_members"), 0);
}

// ---- a member the scan account cannot read ------------------------------------------------

/// The domain with a Domain Admin (adm-dold, also in APP-Procapita-handläggare) in an OU the scan
/// account may not list (kommun_dc.py variant "hidden").
class AdHiddenMemberTest : public AdDomainTest {
protected:
    static void SetUpTestSuite() {
        signal(SIGPIPE, SIG_IGN);
        try {
            dc_ = std::make_unique<ad::SambaDc>("hidden");
            setenv("KRB5_CONFIG", dc_->krb5_conf().c_str(), 1);
        } catch (const std::exception& e) {
            start_error_ = e.what();
        }
    }
};

TEST_F(AdHiddenMemberTest, PrivilegedChecksAreNotJudgedWithoutHimAndTheOthersStillAre) {
    const ProbeOutput out = run(subjects({}, {}));
    // Schema Admins is not returned at all; Domain Admins is nested in Administrators, so he is
    // a member of both.
    EXPECT_THAT(out.error, HasSubstr("2 privileged group(s) or member(s) of Schema Admins, "));
    EXPECT_THAT(out.error, HasSubstr("Domain Admins"));
    EXPECT_THAT(out.error, HasSubstr("Administrators"));
    EXPECT_THAT(out.error, HasSubstr("could not be read by the scan account"));
    EXPECT_THAT(out.error, Not(HasSubstr("dold")));  // the error reaches SARIF and JUnit
    EXPECT_EQ(int_of(out.facts, "ad.privileged.unreadable_members"), 2);  // AD-018 fails
    const StringList unreadable = list_of(out.facts, "ad.privileged.unreadable_members.accounts");
    EXPECT_THAT(unreadable, ::testing::Contains(::testing::AllOf(HasSubstr("Schema Admins (S-1-5-21-"), HasSubstr("-518)"))));
    EXPECT_THAT(unreadable, ::testing::Contains(HasSubstr("cn=adm-dold")));
    for (const char* judged : {"ad.privileged.without_smartcard", "ad.privileged.stale", "ad.privileged.enabled",
                               "ad.admincount_orphans"}) {
        EXPECT_EQ(fact(out.facts, judged), nullptr) << judged << " would judge Domain Admins without him";
    }
    // What does not depend on the members is still judged.
    EXPECT_EQ(int_of(out.facts, "ad.krbtgt.password_age_days"), 900);
    EXPECT_EQ(*fact(out.facts, "ad.protected_users.exists"), Value(true));
}

TEST_F(AdHiddenMemberTest, AnAccessGroupWithAnUnreadableMemberIsNotJudgedWithoutHim) {
    const ProbeOutput out = run(subjects({}, {ad::kProcapita, ad::kTreserva}));
    ASSERT_EQ(out.related_errors.count(1), 1U);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("1 member(s) of access group"));
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("could not be read by the scan account"));
    const Facts& procapita = out.related.at(1);
    EXPECT_EQ(int_of(procapita, "group.unresolved_members"), 1);
    EXPECT_EQ(fact(procapita, "group.enabled_without_smartcard"), nullptr);
    EXPECT_EQ(fact(procapita, "group.members"), nullptr);
    // Treserva has no such member: judged as before, except which of its members are
    // domain-privileged (AD-017), unknown while a privileged member cannot be read.
    EXPECT_THAT(out.related_errors.at(2), HasSubstr("which members are domain-privileged is unknown"));
    EXPECT_EQ(int_of(out.related.at(2), "group.members"), 4);
    EXPECT_EQ(fact(out.related.at(2), "group.privileged_members"), nullptr);
}

TEST_F(AdHiddenMemberTest, DiscoverSaysWhatTheScanAccountCannotRead) {
    const auto subs = subjects({}, {});
    ProbeContext context;
    context.as_of = *Date::parse(ts::today_iso(0));
    context.timeout = std::chrono::seconds(15);
    auto found = discover_directory_groups(subs[0], testing_support::directory_target_of(subs[0]), {"APP-*"}, context);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found.value().missing_privileged, std::vector<std::string>{"Schema Admins"});
    for (const auto& g : found.value().privileged) {
        if (g.kind == "Domain Admins") {
            EXPECT_EQ(g.unreadable, 1);
        }
    }
    for (const auto& g : found.value().matched) {
        if (g.dn == ad::kProcapita) {
            EXPECT_EQ(g.unreadable, 1);
        }
    }
}

}  // namespace
}  // namespace lisa
