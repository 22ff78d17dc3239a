// SPDX-License-Identifier: Apache-2.0
// The ldap probe against real slapd instances on 127.0.0.1 (started and stopped here).
#include "lisa/probes/ldap_probe.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <chrono>
#include <cstdlib>
#include <map>
#include <functional>
#include <memory>
#include <thread>

#include "slapd_fixture.hpp"
#include "probe_targets.hpp"

namespace lisa {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
namespace lt = lisa::ldap_test;
namespace ts = lisa::testing_support;

constexpr const char* kPasswordEnv = "LISA_TEST_LDAP_PASSWORD";
constexpr int kStaleDays = 90;

Fact declared(Value v) { return Fact{std::move(v), Provenance::Declared, "test"}; }

/// The declared facts of a directory subject, as the inventory loader makes them.
struct DirectoryDecl {
    std::string url;
    bool starttls = false;
    std::string ca_file;
    std::string flavour;  ///< "": not declared (the probe assumes AD, and checks it only if declared)
    std::string bind_dn = lt::kServiceDn;
    std::string password_env = kPasswordEnv;
    std::string password_file;
    StringList mfa_groups;
};

std::vector<Subject> make_subjects(const DirectoryDecl& d, const std::vector<std::string>& groups) {
    Subject dir;
    dir.kind = SubjectKind::Directory;
    dir.id = "ad";
    dir.facts["directory.url"] = declared(d.url);
    dir.facts["directory.starttls"] = declared(d.starttls);
    dir.facts["directory.base_dn"] = declared(lt::kBase);
    if (!d.flavour.empty()) dir.facts["directory.flavour"] = declared(d.flavour);
    dir.facts["directory.mfa_groups"] = declared(d.mfa_groups);
    dir.facts["directory.stale_days"] = declared(kStaleDays);
    dir.facts["directory.shared_marker"] = declared("employeeType=shared");
    dir.facts["directory.strong_auth_attribute"] = declared("businessCategory=mfa-enrolled");
    if (!d.ca_file.empty()) dir.facts["directory.ca_file"] = declared(d.ca_file);
    if (!d.bind_dn.empty()) dir.facts["directory.bind_dn"] = declared(d.bind_dn);
    if (!d.password_env.empty()) dir.facts["directory.password_env"] = declared(d.password_env);
    if (!d.password_file.empty()) dir.facts["directory.password_file"] = declared(d.password_file);
    std::vector<Subject> subjects{dir};
    for (std::size_t i = 0; i < groups.size(); ++i) {
        Subject g;
        g.kind = SubjectKind::AccessGroup;
        g.id = "group" + std::to_string(i);
        g.parent = 0;
        g.facts["access_group.dn"] = declared(groups[i]);
        g.facts["access_group.directory"] = declared("ad");
        g.facts["access_group.privileged"] = declared(false);
        subjects.push_back(std::move(g));
    }
    // A group of another directory: the probe must leave it alone.
    Subject other;
    other.kind = SubjectKind::AccessGroup;
    other.id = "elsewhere";
    other.facts["access_group.dn"] = declared(groups.empty() ? "cn=x" : groups.front());
    other.facts["access_group.directory"] = declared("other-directory");
    subjects.push_back(std::move(other));
    return subjects;
}

ProbeOutput run_probe(const std::vector<Subject>& subjects, LdapProbeOptions options = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    ProbeContext context;
    context.as_of = lt::generated_directory().as_of;
    context.timeout = timeout;
    // These tests compare every DN the probe found with the generated directory's: the `.dns`
    // lists are uncapped here unless a test sets its own cap (the default, kDnListCap, is
    // checked by LdapHostile's large-group test).
    if (options.dn_list_cap == kDnListCap) {
        options.dn_list_cap = 1'000'000;
    }
    auto probe = make_ldap_probe(options);
    const auto targets = testing_support::targets_of(subjects);
    const ProbeRequest request{subjects[0], 0, subjects, targets, context};
    EXPECT_TRUE(probe->applies_to(request));
    auto result = probe->collect(request);
    if (!result) {
        ADD_FAILURE() << result.error().message;
        return {};
    }
    return std::move(result).value();
}

/// The probe's Error for subjects it refuses before connecting ("" when it did not refuse).
std::string refusal(const std::vector<Subject>& subjects) {
    ProbeContext context;
    context.as_of = lt::generated_directory().as_of;
    context.timeout = std::chrono::seconds(5);
    auto probe = make_ldap_probe();
    const auto targets = testing_support::targets_of(subjects);
    const ProbeRequest request{subjects[0], 0, subjects, targets, context};
    auto result = probe->collect(request);
    return result ? std::string() : result.error().message;
}

using ldap_test::fact;
using ldap_test::int_of;

std::vector<std::string> normalized(std::vector<std::string> dns) {
    for (auto& dn : dns) {
        dn = normalize_dn(dn);
    }
    std::sort(dns.begin(), dns.end());
    return dns;
}

/// Every fact value and error text, for "the password never shows" checks.
std::string everything_printed(const ProbeOutput& out) {
    std::string all = out.error;
    auto add = [&](const Facts& facts) {
        for (const auto& [name, f] : facts) {
            all += name + "=" + f.value.to_display() + " " + f.source + "\n";
        }
    };
    add(out.facts);
    for (const auto& [i, facts] : out.related) add(facts);
    for (const auto& [i, e] : out.related_errors) all += e + "\n";
    return all;
}

/// The account names the report shows for `dns` (the generator names account i "user<i>" in
/// both sAMAccountName and uid): sorted as text, at most 20, then "… +N more".
StringList expected_account_names(const std::vector<std::string>& dns) {
    std::map<std::string, std::string> by_dn;
    const auto& users = lt::generated_directory().users;
    for (std::size_t i = 0; i < users.size(); ++i) {
        by_dn[normalize_dn(users[i].dn)] = "user" + std::to_string(i);
    }
    StringList names;
    for (const auto& dn : dns) {
        names.push_back(by_dn.at(normalize_dn(dn)));
    }
    std::sort(names.begin(), names.end());
    if (names.size() > 20) {
        const std::size_t more = names.size() - 20;
        names.resize(20);
        names.push_back("… +" + std::to_string(more) + " more");
    }
    return names;
}

void expect_group_counts(const ProbeOutput& out, int index, const std::string& dn) {
    SCOPED_TRACE(dn);
    const auto& dir = lt::generated_directory();
    const lt::ExpectedCounts want = lt::expected_counts(dir, dn, kStaleDays);
    ASSERT_EQ(out.related_errors.count(index), 0U) << out.related_errors.at(index);
    ASSERT_EQ(out.related.count(index), 1U);
    const Facts& f = out.related.at(index);
    EXPECT_EQ(*fact(f, "group.exists"), Value(true));
    ldap_test::expect_group_counts(f, want);
    const double share = want.enabled == 0
                             ? 1.0
                             : static_cast<double>(want.enabled - want.without_strong) /
                                   static_cast<double>(want.enabled);
    EXPECT_DOUBLE_EQ(*fact(f, "group.strong_auth_share")->as_double(), share);
    if (want.without_strong > 0 && want.without_strong <= 1000) {
        EXPECT_EQ(normalized(*fact(f, "group.enabled_without_strong_auth.dns")->as_list()),
                  normalized(want.without_strong_dns));
    }
    if (want.stale > 0 && want.stale <= 1000) {
        EXPECT_EQ(normalized(*fact(f, "group.enabled_stale.dns")->as_list()),
                  normalized(want.stale_dns));
        // Issue 16 item 8: the names behind the count, capped at 20 with the number of the rest.
        ASSERT_NE(fact(f, "group.enabled_stale.accounts"), nullptr);
        EXPECT_EQ(*fact(f, "group.enabled_stale.accounts")->as_list(), expected_account_names(want.stale_dns));
    }
    if (want.without_strong > 0 && want.without_strong <= 1000) {
        ASSERT_NE(fact(f, "group.enabled_without_strong_auth.accounts"), nullptr);
        EXPECT_EQ(*fact(f, "group.enabled_without_strong_auth.accounts")->as_list(),
                  expected_account_names(want.without_strong_dns));
    }
    if (want.stale == 0) {
        EXPECT_EQ(fact(f, "group.enabled_stale.accounts"), nullptr);
    }
    if (want.without_strong == 0) {
        EXPECT_EQ(fact(f, "group.enabled_without_strong_auth.dns"), nullptr);
    }
}

// ---- an open directory: anonymous read, cleartext binds, ldaps and StartTLS --------------------

class OpenDirectoryTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        signal(SIGPIPE, SIG_IGN);
        setenv(kPasswordEnv, lt::kServicePassword, 1);
        server_ = std::make_unique<lt::Slapd>(lt::SlapdOptions{}, lt::generated_directory().ldif);
    }
    static void TearDownTestSuite() { server_.reset(); }

    /// ldap:// with StartTLS: the service account's password only ever travels encrypted.
    static DirectoryDecl plain() {
        DirectoryDecl d;
        d.url = server_->url();
        d.starttls = true;
        d.ca_file = lt::certificates().ca_file;
        d.mfa_groups = {lt::generated_directory().mfa};
        return d;
    }
    /// ldap:// without TLS and without a bind: nothing secret to send.
    static DirectoryDecl anonymous_cleartext() {
        DirectoryDecl d = plain();
        d.starttls = false;
        d.ca_file.clear();
        d.bind_dn.clear();
        d.password_env.clear();
        return d;
    }
    static std::vector<std::string> all_groups() {
        const auto& d = lt::generated_directory();
        return {d.big,    d.nested_a, d.nested_b, d.nested_c, d.empty,
                d.admins, d.dangling, d.special,  d.mfa};
    }

    static std::unique_ptr<lt::Slapd> server_;
};
std::unique_ptr<lt::Slapd> OpenDirectoryTest::server_;

TEST_F(OpenDirectoryTest, ReportsAnonymousAccessAndCleartextBinds) {
    const ProbeOutput out = run_probe(make_subjects(anonymous_cleartext(), {}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.reachable"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("none"));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_read"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(true));
    EXPECT_EQ(fact(out.facts, "ldap.error"), nullptr);
    EXPECT_EQ(fact(out.facts, "ldap.tls.cert.chain_valid"), nullptr);  // no TLS configured
    EXPECT_EQ(out.facts.at("ldap.reachable").source, "ldap " + server_->url());
    EXPECT_EQ(out.facts.at("ldap.reachable").provenance, Provenance::Probed);
}

TEST_F(OpenDirectoryTest, CountsEveryGroupWithOnePagedSearchOfAllAccounts) {
    const auto groups = all_groups();
    LdapProbeOptions options;
    options.direct_lookup_limit = 0;  // always the paged search of every account
    const ProbeOutput out = run_probe(make_subjects(plain(), groups), options);
    EXPECT_EQ(out.error, "");
    for (std::size_t i = 0; i < groups.size(); ++i) {
        expect_group_counts(out, static_cast<int>(i + 1), groups[i]);
    }
    // The other directory's group was not touched.
    const int other = static_cast<int>(groups.size() + 1);
    EXPECT_EQ(out.related.count(other), 0U);
    EXPECT_EQ(out.related_errors.count(other), 0U);
}

TEST_F(OpenDirectoryTest, CountsEveryGroupWithEscapedOrFilterBatches) {
    const auto groups = all_groups();
    LdapProbeOptions options;
    options.direct_lookup_limit = 100000;  // always OR-filter lookups of the members
    options.scan_lookup_limit = 100000;
    options.lookup_batch = 7;
    const ProbeOutput out = run_probe(make_subjects(plain(), groups), options);
    EXPECT_EQ(out.error, "");
    for (std::size_t i = 0; i < groups.size(); ++i) {
        expect_group_counts(out, static_cast<int>(i + 1), groups[i]);
    }
}

TEST_F(OpenDirectoryTest, OpenLdapFlavourFindsTheSameMembers) {
    const auto groups = all_groups();
    DirectoryDecl d = plain();
    d.flavour = "openldap";
    for (const std::size_t limit : {std::size_t{0}, std::size_t{100000}}) {
        LdapProbeOptions options;
        options.direct_lookup_limit = limit;
        options.scan_lookup_limit = limit;
        const ProbeOutput out = run_probe(make_subjects(d, groups), options);
        EXPECT_EQ(out.error, "");
        for (std::size_t i = 0; i < groups.size(); ++i) {
            expect_group_counts(out, static_cast<int>(i + 1), groups[i]);
        }
    }
}

TEST_F(OpenDirectoryTest, OnePagedReadOfEveryGroupFindsWhatBaseReadsPerGroupFind) {
    // bulk_group_threshold: above it, the groups' members come from one paged search of every
    // group (at 0 for the roots too; at 2, with nested-b and the mfa group as roots, from the
    // second level on), else from one base read per group. The same facts and errors either way,
    // for both flavours; a root the paged read does not return (missing) is still read alone.
    const auto& dir = lt::generated_directory();
    auto every = all_groups();
    every.push_back(dir.missing);
    const std::vector<std::pair<std::vector<std::string>, std::size_t>> cases = {{every, 0},
                                                                                 {{dir.nested_b}, 2}};
    for (const char* flavour : {"", "openldap"}) {  // "": not declared (AD attribute names)
        for (const auto& [groups, threshold] : cases) {
            SCOPED_TRACE(std::string(flavour) + " threshold " + std::to_string(threshold));
            DirectoryDecl d = plain();
            d.flavour = flavour;
            LdapProbeOptions bulk;
            bulk.bulk_group_threshold = threshold;
            LdapProbeOptions per_group;
            per_group.bulk_group_threshold = std::numeric_limits<std::size_t>::max();
            const ProbeOutput a = run_probe(make_subjects(d, groups), bulk);
            const ProbeOutput b = run_probe(make_subjects(d, groups), per_group);
            EXPECT_EQ(a.error, "");
            EXPECT_EQ(everything_printed(a), everything_printed(b));
            for (std::size_t i = 0; i < groups.size(); ++i) {
                if (groups[i] != dir.missing) {
                    expect_group_counts(a, static_cast<int>(i + 1), groups[i]);
                }
            }
        }
    }
}

TEST_F(OpenDirectoryTest, ReportsNestingCycleUnresolvedMembersAndTheBigGroup) {
    const auto& dir = lt::generated_directory();
    const ProbeOutput out =
        run_probe(make_subjects(plain(), {dir.nested_a, dir.dangling, dir.big}));
    const Facts& nested = out.related.at(1);
    EXPECT_EQ(*fact(nested, "group.nesting_cycle"), Value(true));
    EXPECT_EQ(int_of(nested, "group.nested_groups"), 3);  // b, c, empty
    const Facts& dangling = out.related.at(2);
    EXPECT_EQ(int_of(dangling, "group.unresolved_members"), 1);
    EXPECT_EQ(*fact(dangling, "group.nesting_cycle"), Value(false));
    EXPECT_EQ(int_of(out.related.at(3), "group.members"), 1600);
}

TEST_F(OpenDirectoryTest, CapsDnListsWithATruncationMarker) {
    const auto& dir = lt::generated_directory();
    LdapProbeOptions options;
    options.dn_list_cap = 5;
    const ProbeOutput out = run_probe(make_subjects(plain(), {dir.big}), options);
    const auto want = lt::expected_counts(dir, dir.big, kStaleDays);
    const StringList& stale = *fact(out.related.at(1), "group.enabled_stale.dns")->as_list();
    ASSERT_EQ(stale.size(), 6U);
    EXPECT_EQ(stale.back(), "...truncated " + std::to_string(want.stale - 5) + " more");
    EXPECT_TRUE(std::is_sorted(stale.begin(), stale.end() - 1));
}

TEST_F(OpenDirectoryTest, MissingGroupDoesNotExist) {
    const auto& dir = lt::generated_directory();
    const ProbeOutput out = run_probe(make_subjects(plain(), {dir.missing}));
    ASSERT_EQ(out.related.count(1), 1U);
    EXPECT_EQ(*fact(out.related.at(1), "group.exists"), Value(false));
    EXPECT_EQ(fact(out.related.at(1), "group.members"), nullptr);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("not found"));
}

// A user's DN given as an access group (a typo in the inventory): not a group without members,
// which would pass every member check, but not found as a group, an error.
TEST_F(OpenDirectoryTest, AnAccountGivenAsAnAccessGroupIsNotAGroup) {
    const ProbeOutput out =
        run_probe(make_subjects(plain(), {"cn=u1600,ou=people," + std::string(lt::kBase)}));
    ASSERT_EQ(out.related.count(1), 1U);
    EXPECT_EQ(*fact(out.related.at(1), "group.exists"), Value(false));
    EXPECT_EQ(fact(out.related.at(1), "group.members"), nullptr);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("not found in directory as a group"));
}

TEST_F(OpenDirectoryTest, MissingMfaGroupLeavesStrongAuthUncollected) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d = plain();
    d.mfa_groups = {"cn=no-such-mfa,ou=groups," + std::string(lt::kBase)};
    const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
    EXPECT_THAT(out.error, HasSubstr("no-such-mfa"));
    EXPECT_EQ(fact(out.related.at(1), "group.enabled_without_strong_auth"), nullptr);
    EXPECT_EQ(int_of(out.related.at(1), "group.members"), 20);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("strong-authentication"));
}

TEST_F(OpenDirectoryTest, LdapsWithTheRightCa) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d = plain();
    d.url = server_->ldaps_url();
    d.ca_file = lt::certificates().ca_file;
    const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("ldaps"));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(false));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.chain_valid"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.hostname_match"), Value(true));
    EXPECT_NE(fact(out.facts, "ldap.tls.negotiated.protocol"), nullptr);
    expect_group_counts(out, 1, dir.admins);
}

TEST_F(OpenDirectoryTest, StartTlsWithTheRightCa) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d = plain();
    d.starttls = true;
    d.ca_file = lt::certificates().ca_file;
    const ProbeOutput out = run_probe(make_subjects(d, {dir.special}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("starttls"));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.chain_valid"), Value(true));
    expect_group_counts(out, 1, dir.special);
}

TEST_F(OpenDirectoryTest, UntrustedCertificateBlocksTheBindButNotTheAnonymousChecks) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d = plain();
    d.url = server_->ldaps_url();
    d.ca_file = lt::certificates().other_ca_file;
    const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
    EXPECT_EQ(*fact(out.facts, "ldap.reachable"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(out.related.count(1), 0U);
    // The reason comes from lisa's own OpenSSL look, not libldap's "Can't contact LDAP server".
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("not trusted by directory.ca_file"));
    EXPECT_THAT(out.related_errors.at(1), Not(HasSubstr("Can't contact")));
    EXPECT_NE(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.tls.cert.chain_valid"), Value(false));
    // Never bound over a verified session: the configuration-derived facts stay unknown.
    EXPECT_EQ(fact(out.facts, "ldap.transport"), nullptr);
    EXPECT_EQ(fact(out.facts, "ldap.cleartext_bind_accepted"), nullptr);
}

// fix11 item 1: a ca_file lisa cannot use is "could not check" naming the file, never a failed
// chain or an unreachable directory — the same check the tls probe makes (ca_file_problem).
TEST_F(OpenDirectoryTest, AnUnusableCaFileIsCouldNotCheckNamingTheFile) {
    const auto& dir = lt::generated_directory();
    ts::TempDir tmp;
    ts::write_file(tmp.file("garbage.pem"), "not a certificate\n");
    for (const std::string& ca_file :
         {tmp.file("missing.pem"), tmp.path(), tmp.file("garbage.pem")}) {
        DirectoryDecl d = plain();
        d.url = server_->ldaps_url();
        d.ca_file = ca_file;
        const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
        EXPECT_THAT(out.error, AllOf(HasSubstr("could not check"), HasSubstr(ca_file))) << ca_file;
        EXPECT_EQ(fact(out.facts, "ldap.tls.cert.chain_valid"), nullptr) << ca_file;
        EXPECT_EQ(fact(out.facts, "ldap.reachable"), nullptr) << ca_file;
    }
}

TEST_F(OpenDirectoryTest, PasswordFileWithTrailingNewline) {
    const auto& dir = lt::generated_directory();
    ts::TempDir tmp;
    ts::write_file(tmp.file("pw"), std::string(lt::kServicePassword) + "\n");
    DirectoryDecl d = plain();
    d.password_env.clear();
    d.password_file = tmp.file("pw");
    const ProbeOutput out = run_probe(make_subjects(d, {dir.nested_c}));
    EXPECT_EQ(out.error, "");
    expect_group_counts(out, 1, dir.nested_c);
}

TEST_F(OpenDirectoryTest, WrongPasswordIsAnErrorThatNeverShowsThePassword) {
    const auto& dir = lt::generated_directory();
    const std::string wrong = "Wr0ng-Pa55word-Value";
    ts::TempDir tmp;
    ts::write_file(tmp.file("pw"), wrong);
    DirectoryDecl d = plain();
    d.password_env.clear();
    d.password_file = tmp.file("pw");
    const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("Invalid credentials"));
    EXPECT_THAT(out.error, HasSubstr("Invalid credentials"));
    EXPECT_THAT(everything_printed(out), Not(HasSubstr(wrong)));
    // The observed directory facts are still there; the transport was never used for the bind.
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(fact(out.facts, "ldap.transport"), nullptr);
}

TEST_F(OpenDirectoryTest, UnsetPasswordVariableIsNamedInTheError) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d = plain();
    d.password_env = "LISA_TEST_NO_SUCH_VARIABLE";
    const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("LISA_TEST_NO_SUCH_VARIABLE"));
    EXPECT_THAT(*fact(out.facts, "ldap.error")->as_string(), HasSubstr("is not set"));
    EXPECT_EQ(fact(out.facts, "ldap.transport"), nullptr);
}

TEST_F(OpenDirectoryTest, SuccessfulRunsNeverShowThePassword) {
    const auto& dir = lt::generated_directory();
    const ProbeOutput out = run_probe(make_subjects(plain(), {dir.admins, dir.missing}));
    EXPECT_THAT(everything_printed(out), Not(HasSubstr(lt::kServicePassword)));
}

TEST_F(OpenDirectoryTest, ConcurrentCallsAgree) {
    const auto& dir = lt::generated_directory();
    std::vector<std::thread> threads;
    std::vector<ProbeOutput> outs(4);
    DirectoryDecl tls = plain();
    tls.url = server_->ldaps_url();
    tls.ca_file = lt::certificates().ca_file;
    for (std::size_t t = 0; t < outs.size(); ++t) {
        threads.emplace_back([&, t] {
            outs[t] = run_probe(make_subjects(t % 2 ? tls : plain(), {dir.nested_a, dir.admins}));
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& out : outs) {
        expect_group_counts(out, 1, dir.nested_a);
        expect_group_counts(out, 2, dir.admins);
    }
}

// ---- a locked-down directory: no anonymous bind, no cleartext simple binds --------------------

class LockedDirectoryTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        setenv(kPasswordEnv, lt::kServicePassword, 1);
        lt::SlapdOptions options;
        options.anonymous_bind = false;
        options.anonymous_read = false;
        options.refuse_cleartext = true;
        server_ = std::make_unique<lt::Slapd>(options, lt::generated_directory().ldif);
    }
    static void TearDownTestSuite() { server_.reset(); }
    static std::unique_ptr<lt::Slapd> server_;
};
std::unique_ptr<lt::Slapd> LockedDirectoryTest::server_;

TEST_F(LockedDirectoryTest, RefusesAnonymousAndCleartextButServesStartTls) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d;
    d.url = server_->url();
    d.starttls = true;
    d.ca_file = lt::certificates().ca_file;
    d.mfa_groups = {dir.mfa};
    const ProbeOutput out = run_probe(make_subjects(d, {dir.nested_b}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(false));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_read"), Value(false));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(false));
    expect_group_counts(out, 1, dir.nested_b);
}

TEST_F(LockedDirectoryTest, PlainUrlWithAPasswordIsRefusedByLisaBeforeConnecting) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d;
    d.url = server_->url();
    d.mfa_groups = {dir.mfa};
    const std::string why = refusal(make_subjects(d, {dir.nested_b}));
    EXPECT_THAT(why, AllOf(HasSubstr("unencrypted"), HasSubstr("ldaps://"), HasSubstr("starttls: true"),
                           HasSubstr("Kerberos")));
    EXPECT_THAT(why, Not(HasSubstr(lt::kServicePassword)));
}

// ---- anonymous bind allowed, anonymous read refused --------------------------------------------

TEST(AnonymousBindOnlyTest, BindsButCannotRead) {
    lt::SlapdOptions options;
    options.anonymous_read = false;
    lt::Slapd server(options, lt::generated_directory().ldif);
    DirectoryDecl d;
    d.url = server.url();
    d.bind_dn.clear();
    d.password_env.clear();
    const ProbeOutput out = run_probe(make_subjects(d, {}));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_read"), Value(false));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(true));
}

// ---- servers that are not there or do not answer -----------------------------------------------

TEST(UnreachableDirectoryTest, ClosedPortIsNotReachable) {
    DirectoryDecl d;
    d.url = "ldap://127.0.0.1:" + std::to_string(ts::free_port());
    d.bind_dn.clear();
    d.password_env.clear();
    const ProbeOutput out = run_probe(make_subjects(d, {"cn=g,dc=example,dc=org"}));
    EXPECT_EQ(*fact(out.facts, "ldap.reachable"), Value(false));
    EXPECT_EQ(fact(out.facts, "ldap.transport"), nullptr);
    EXPECT_THAT(*fact(out.facts, "ldap.error")->as_string(),
                HasSubstr("Can't contact LDAP server"));
    EXPECT_EQ(fact(out.facts, "ldap.anonymous_bind"), nullptr);
    EXPECT_THAT(out.related_errors.at(1), HasSubstr("not reachable"));
    EXPECT_NE(out.error, "");
}

TEST(UnreachableDirectoryTest, SilentServerTimesOut) {
    // Accepts TCP connections (the kernel completes the handshake) and never says a word.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd, 16), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    for (const char* scheme : {"ldap", "ldaps"}) {
        DirectoryDecl d;
        d.url = std::string(scheme) + "://127.0.0.1:" + std::to_string(port);
        d.starttls = std::string(scheme) == "ldap";  // a password only over TLS
        const auto start = std::chrono::steady_clock::now();
        const ProbeOutput out = run_probe(make_subjects(d, {"cn=g,dc=example,dc=org"}), {},
                                          std::chrono::milliseconds(400));
        const auto elapsed = std::chrono::steady_clock::now() - start;
        EXPECT_LT(elapsed, std::chrono::seconds(10)) << scheme;  // a hang guard, not a benchmark
        EXPECT_NE(out.error, "") << scheme;
        EXPECT_EQ(out.related.count(1), 0U) << scheme;
        EXPECT_EQ(out.related_errors.count(1), 1U) << scheme;
    }
    close(fd);
}

// ---- adfix item 2: "could not check" is never a pass ---------------------------------------------
// ldap.transport (KAT-004, and the where of KAT-005/006) and, on ldaps://, cleartext_bind_accepted
// (KAT-003) restate the inventory; they are only published once lisa used that transport (a
// verified TLS session, and the configured bind on it). One test per way of not getting there.

void expect_no_configuration_facts(const ProbeOutput& out, const std::string& why) {
    EXPECT_EQ(fact(out.facts, "ldap.transport"), nullptr) << why;
    EXPECT_NE(out.error, "") << why;
    if (const Value* v = fact(out.facts, "ldap.cleartext_bind_accepted")) {
        // Only ever an observation of the ldap:// port (a decoy bind), never "ldaps, so false".
        EXPECT_EQ(*v, Value(true)) << why;
    }
}

TEST(ConfigurationFactsTest, NothingListeningOnLdaps) {
    DirectoryDecl d;
    d.url = "ldaps://127.0.0.1:" + std::to_string(ts::free_port());
    d.ca_file = lt::certificates().ca_file;
    const ProbeOutput out = run_probe(make_subjects(d, {"cn=g,dc=example,dc=org"}));
    expect_no_configuration_facts(out, "ldaps, nothing listening");
    EXPECT_EQ(fact(out.facts, "ldap.cleartext_bind_accepted"), nullptr);
}

TEST(ConfigurationFactsTest, StartTlsRefusedByTheServer) {
    setenv(kPasswordEnv, lt::kServicePassword, 1);
    lt::SlapdOptions options;
    options.tls = false;
    lt::Slapd server(options, lt::generated_directory().ldif);
    DirectoryDecl d;
    d.url = server.url();
    d.starttls = true;
    d.ca_file = lt::certificates().ca_file;
    const ProbeOutput out = run_probe(make_subjects(d, {lt::generated_directory().admins}));
    expect_no_configuration_facts(out, "starttls refused");
    EXPECT_THAT(out.error, HasSubstr("starttls"));
    EXPECT_EQ(out.related.count(1), 0U);
    // Anonymous-only directories get the same treatment: no verified session, no transport.
    DirectoryDecl anonymous = d;
    anonymous.bind_dn.clear();
    anonymous.password_env.clear();
    expect_no_configuration_facts(run_probe(make_subjects(anonymous, {})), "starttls refused, anonymous");
}

class ConfigurationFactsOnSlapdTest : public OpenDirectoryTest {};

TEST_F(ConfigurationFactsOnSlapdTest, EveryBindFailureLeavesThemUnknown) {
    const auto& dir = lt::generated_directory();
    ts::TempDir tmp;
    ts::write_file(tmp.file("wrong"), "Wr0ng-Pa55word-Value");
    struct Case {
        std::string name;
        std::function<void(DirectoryDecl&)> change;
    };
    const std::vector<Case> cases = {
        {"untrusted certificate (ldaps)", [&](DirectoryDecl& d) {
             d.url = server_->ldaps_url();
             d.ca_file = lt::certificates().other_ca_file;
         }},
        {"no ca_file (ldaps)", [&](DirectoryDecl& d) {
             d.url = server_->ldaps_url();
             d.ca_file.clear();
         }},
        {"untrusted certificate (starttls)", [&](DirectoryDecl& d) { d.ca_file = lt::certificates().other_ca_file; }},
        {"unset password variable", [&](DirectoryDecl& d) {
             d.url = server_->ldaps_url();
             d.password_env = "LISA_TEST_NO_SUCH_VARIABLE";
         }},
        {"missing password file", [&](DirectoryDecl& d) {
             d.url = server_->ldaps_url();
             d.password_env.clear();
             d.password_file = tmp.file("no-such-file");
         }},
        {"wrong password", [&](DirectoryDecl& d) {
             d.url = server_->ldaps_url();
             d.password_env.clear();
             d.password_file = tmp.file("wrong");
         }},
    };
    for (const auto& c : cases) {
        DirectoryDecl d = plain();
        c.change(d);
        const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
        expect_no_configuration_facts(out, c.name);
    }
    // The control: the same directory with everything right publishes them.
    DirectoryDecl good = plain();
    good.url = server_->ldaps_url();
    const ProbeOutput out = run_probe(make_subjects(good, {dir.admins}));
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("ldaps"));
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(false));
}

// adfix item 13: a directory declared active_directory that is not AD: the AD checks are
// "could not check" (error naming the declaration), not silently not applicable.
TEST_F(ConfigurationFactsOnSlapdTest, DeclaredActiveDirectoryThatIsNotIsAnError) {
    const auto& dir = lt::generated_directory();
    DirectoryDecl d = plain();
    d.flavour = "active_directory";
    const ProbeOutput out = run_probe(make_subjects(d, {dir.admins}));
    EXPECT_THAT(out.error, AllOf(HasSubstr("does not announce Active Directory"),
                                 HasSubstr("flavour: openldap")));
    EXPECT_EQ(fact(out.facts, "ad.detected"), nullptr);
    expect_group_counts(out, 1, dir.admins);  // the access groups are still evaluated
    DirectoryDecl anonymous = anonymous_cleartext();
    anonymous.flavour = "active_directory";
    EXPECT_THAT(run_probe(make_subjects(anonymous, {})).error, HasSubstr("no bind is configured"));
    // Undeclared (the default) and declared openldap stay as they were: no error.
    DirectoryDecl undeclared = plain();
    EXPECT_EQ(run_probe(make_subjects(undeclared, {dir.admins})).error, "");
    DirectoryDecl openldap = plain();
    openldap.flavour = "openldap";
    EXPECT_EQ(run_probe(make_subjects(openldap, {dir.admins})).error, "");
}

// ---- adfix item 1: the password never travels unencrypted -------------------------------------
// A logging TCP forwarder (python3, started and stopped by pid) sits in front of slapd's ldap://
// port and writes every byte the client sends to a file.

constexpr const char* kLoggingProxy = R"(import socket, sys, threading
listen_port, target_port, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
log = open(log_path, "ab", buffering=0)
lock = threading.Lock()
def pump(src, dst, record):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if record:
                with lock:
                    log.write(data)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(16)
while True:
    client, _ = server.accept()
    upstream = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=pump, args=(client, upstream, True), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, False), daemon=True).start()
)";

TEST_F(ConfigurationFactsOnSlapdTest, APasswordBindOverCleartextSendsNothingThroughAProxy) {
    const auto& dir = lt::generated_directory();
    ts::TempDir tmp;
    ts::write_file(tmp.file("proxy.py"), kLoggingProxy);
    const std::string log = tmp.file("client-bytes.log");
    ts::write_file(log, "");
    const int port = ts::free_port();
    // The proxy is the test's tool, on the real clock: Python's timed waits fail under the
    // clock-ahead pass's libfaketime.
    ts::ChildProcess proxy({"env", "-u", "LD_PRELOAD", "-u", "FAKETIME", "python3", tmp.file("proxy.py"), std::to_string(port),
                            std::to_string(server_->port()), log},
                           tmp.file("proxy.err"));
    ASSERT_TRUE(ts::wait_for_port(port));
    const std::string via_proxy = "ldap://127.0.0.1:" + std::to_string(port);

    // The control: an anonymous directory through the proxy — its bytes (the decoy bind's DN
    // and the base DN) show up in the log, so the proxy does see what lisa sends.
    DirectoryDecl anonymous = anonymous_cleartext();
    anonymous.url = via_proxy;
    EXPECT_EQ(run_probe(make_subjects(anonymous, {})).error, "");
    EXPECT_THAT(ts::read_file(log), HasSubstr("lisa-cleartext-check"));
    // The control connection's unbind may reach the proxy after the probe returned: wait until
    // the log has stopped growing (bounded, 3 s) before emptying it.
    std::size_t size = ts::read_file(log).size();
    for (int quiet = 0, i = 0; quiet < 3 && i < 30; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const std::size_t now = ts::read_file(log).size();
        quiet = now == size ? quiet + 1 : 0;
        size = now;
    }
    ts::write_file(log, "");

    // A password bind on ldap:// without starttls, from the environment and from a file.
    ts::write_file(tmp.file("pw"), std::string(lt::kServicePassword) + "\n");
    for (const bool from_file : {false, true}) {
        DirectoryDecl d = plain();
        d.url = via_proxy;
        d.starttls = false;
        if (from_file) {
            d.password_env.clear();
            d.password_file = tmp.file("pw");
        }
        const std::string why = refusal(make_subjects(d, {dir.admins}));
        EXPECT_THAT(why, AllOf(HasSubstr("unencrypted"), HasSubstr("starttls: true"))) << from_file;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // anything in flight lands
    const std::string sent = ts::read_file(log);
    EXPECT_THAT(sent, Not(HasSubstr(lt::kServicePassword)));
    EXPECT_EQ(sent, "") << "nothing at all is sent before the refusal";
    proxy.stop();
}

}  // namespace
}  // namespace lisa
