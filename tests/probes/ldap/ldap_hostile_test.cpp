// SPDX-License-Identifier: Apache-2.0
// The ldap probe against hostile (but standards-conforming) slapd instances: a search base and
// groups behind referrals, a server that enforces a size limit, and a group of 50,000 members.
// Each subject that cannot be read completely is an error naming the reason, nothing is chased
// or waited for beyond the timeout, and everything else is judged as usual.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lisa/probes/ldap_probe.hpp"
#include "ldap_client.hpp"  // the client-side caps (src/probes/ldap)
#include "slapd_fixture.hpp"
#include "probe_targets.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace lt = lisa::ldap_test;

constexpr const char* kPasswordEnv = "LISA_TEST_LDAP_PASSWORD";
constexpr int kStaleDays = 90;
/// The probe's per-operation timeout in the hostile cases, and what a whole call may take
/// beyond it (the answers here come at once: only chasing or waiting would need more).
constexpr std::chrono::milliseconds kTimeout{2000};
constexpr std::chrono::milliseconds kMargin{2000};

Fact declared(Value v) { return Fact{std::move(v), Provenance::Declared, "test"}; }

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return text;
}

/// A directory subject (id "ad") followed by one AccessGroup subject per DN.
std::vector<Subject> make_subjects(const std::string& url, const std::string& base_dn,
                                   const std::vector<std::string>& groups,
                                   const StringList& mfa_groups) {
    Subject dir;
    dir.kind = SubjectKind::Directory;
    dir.id = "ad";
    dir.facts["directory.url"] = declared(url);
    // The service account's password only over TLS: StartTLS with the fixture's CA (the
    // slapd instances here speak it on their ldap:// port).
    dir.facts["directory.starttls"] = declared(true);
    dir.facts["directory.ca_file"] = declared(lt::certificates().ca_file);
    dir.facts["directory.base_dn"] = declared(base_dn);
    dir.facts["directory.mfa_groups"] = declared(mfa_groups);
    dir.facts["directory.stale_days"] = declared(kStaleDays);
    dir.facts["directory.shared_marker"] = declared("employeeType=shared");
    dir.facts["directory.strong_auth_attribute"] = declared("businessCategory=mfa-enrolled");
    dir.facts["directory.bind_dn"] = declared(lt::kServiceDn);
    dir.facts["directory.password_env"] = declared(kPasswordEnv);
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
    return subjects;
}

struct ProbeRun {
    ProbeOutput out;
    std::chrono::milliseconds elapsed{0};
};

ProbeRun run_probe(const std::vector<Subject>& subjects, Date as_of, LdapProbeOptions options = {},
              std::chrono::milliseconds timeout = kTimeout) {
    ProbeContext context;
    context.as_of = as_of;
    context.timeout = timeout;
    auto probe = make_ldap_probe(options);
    const auto targets = testing_support::targets_of(subjects);
    const ProbeRequest request{subjects[0], 0, subjects, targets, context};
    EXPECT_TRUE(probe->applies_to(request));
    ProbeRun run;
    const auto start = std::chrono::steady_clock::now();
    auto result = probe->collect(request);
    run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (!result) {
        ADD_FAILURE() << result.error().message;
        return run;
    }
    run.out = std::move(result).value();
    return run;
}

using ldap_test::fact;
using ldap_test::int_of;

std::string error_of(const ProbeOutput& out, int index) {
    const auto it = out.related_errors.find(index);
    return it == out.related_errors.end() ? std::string() : it->second;
}

/// The group is an error naming `reason`, and no count of it is presented as if complete.
void expect_group_error(const ProbeOutput& out, int index, const std::string& reason) {
    SCOPED_TRACE("group subject " + std::to_string(index));
    std::printf("[ group %d  ] %s\n", index, error_of(out, index).c_str());
    EXPECT_THAT(lower(error_of(out, index)), HasSubstr(reason));
    if (const auto it = out.related.find(index); it != out.related.end()) {
        for (const auto& [name, f] : it->second) {
            EXPECT_TRUE(name.rfind("group.", 0) != 0 || name == "group.exists")
                << "partial fact " << name << " = " << f.value.to_display();
        }
    }
}

/// The directory facts that do not depend on reading the base are there as usual.
void expect_directory_facts(const ProbeOutput& out) {
    ASSERT_NE(fact(out.facts, "ldap.reachable"), nullptr);
    EXPECT_EQ(*fact(out.facts, "ldap.reachable"), Value(true));
    ASSERT_NE(fact(out.facts, "ldap.anonymous_bind"), nullptr);
    EXPECT_EQ(*fact(out.facts, "ldap.anonymous_bind"), Value(true));
    ASSERT_NE(fact(out.facts, "ldap.cleartext_bind_accepted"), nullptr);
    EXPECT_EQ(*fact(out.facts, "ldap.cleartext_bind_accepted"), Value(true));
    EXPECT_EQ(*fact(out.facts, "ldap.transport"), Value("starttls"));  // the bind went over StartTLS
}

void expect_within_bound(const ProbeRun& run) {
    std::printf("[ probe    ] %lld ms\n", static_cast<long long>(run.elapsed.count()));
    EXPECT_LT(run.elapsed, kTimeout + kMargin);
}

/// The counts of a group of the shared generated directory (MFA: `mfa` or `mfa-sub`, which
/// give the same verdicts for the groups used here).
void expect_group_counts(const ProbeOutput& out, int index, const std::string& dn) {
    SCOPED_TRACE(dn);
    const auto& dir = lt::generated_directory();
    const lt::ExpectedCounts want = lt::expected_counts(dir, dn, kStaleDays);
    ASSERT_EQ(error_of(out, index), "");
    ASSERT_EQ(out.related.count(index), 1U);
    const Facts& f = out.related.at(index);
    EXPECT_EQ(*fact(f, "group.exists"), Value(true));
    EXPECT_EQ(int_of(f, "group.members"), want.members);
    EXPECT_EQ(int_of(f, "group.enabled"), want.enabled);
    EXPECT_EQ(int_of(f, "group.disabled"), want.disabled);
    EXPECT_EQ(int_of(f, "group.enabled_without_strong_auth"), want.without_strong);
    EXPECT_EQ(int_of(f, "group.enabled_smartcard_required"), want.smartcard);
    EXPECT_EQ(int_of(f, "group.enabled_stale"), want.stale);
    EXPECT_EQ(int_of(f, "group.enabled_password_never_expires"), want.never_expires);
    EXPECT_EQ(int_of(f, "group.enabled_password_not_required"), want.not_required);
    EXPECT_EQ(int_of(f, "group.enabled_shared"), want.shared);
    EXPECT_EQ(int_of(f, "group.unresolved_members"), 0);
}

/// An AD-shaped group entry (what the generated directory's groups look like).
std::string ad_group_entry(const std::string& dn, const std::string& cn,
                           const std::vector<std::string>& members) {
    std::string out = "dn: " + dn + "\nobjectClass: group\ncn: " + cn +
                      "\ngroupType: -2147483646\ninstanceType: 4\nnTSecurityDescriptor:: AA==\n"
                      "objectCategory: cn=Group,cn=Schema,cn=Configuration," +
                      std::string(lt::kBase) + "\n";
    for (const auto& m : members) {
        out += "member: " + m + "\n";
    }
    return out + "\n";
}

/// The base entry, the three OUs and the service account the tests bind as.
std::string skeleton_ldif() {
    const std::string base = lt::kBase;
    std::string ldif = "dn: " + base +
                       "\nobjectClass: dcObject\nobjectClass: organization\no: Example\n"
                       "dc: example\n\n";
    for (const char* ou : {"people", "groups", "service"}) {
        ldif += std::string("dn: ou=") + ou + "," + base +
                "\nobjectClass: organizationalUnit\nou: " + ou + "\n\n";
    }
    ldif += std::string("dn: ") + lt::kServiceDn +
            "\nobjectClass: person\ncn: svc-lisa\nsn: svc\nuserPassword: " +
            lt::kServicePassword + "\n\n";
    return ldif;
}

/// An AD-shaped account entry.
std::string ad_user_entry(const std::string& dn, const std::string& cn, std::uint32_t uac) {
    return "dn: " + dn + "\nobjectClass: user\nobjectClass: extensibleObject\ncn: " + cn +
           "\nsn: " + cn +
           "\ninstanceType: 4\nnTSecurityDescriptor:: AA==\nobjectCategory: cn=Person,"
           "cn=Schema,cn=Configuration," +
           std::string(lt::kBase) + "\nuserAccountControl: " + std::to_string(uac) + "\n";
}

/// Accepts TCP connections (the kernel completes the handshake) and never answers: a referral
/// that was chased to it would hang there.
class SilentListener {
public:
    SilentListener() {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            listen(fd_, 64) != 0) {
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        socklen_t len = sizeof addr;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
    }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    ~SilentListener() { close(fd_); }
    [[nodiscard]] std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }

private:
    int fd_ = -1;
    int port_ = 0;
};

// ---- referrals -----------------------------------------------------------------------------------

/// The generated directory plus a referral object `ou=remote` (pointing at a silent server), a
/// group with a member behind it, and a default referral for names outside the suffix.
class ReferralTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        signal(SIGPIPE, SIG_IGN);
        setenv(kPasswordEnv, lt::kServicePassword, 1);
        silent_ = std::make_unique<SilentListener>();
        const auto& dir = lt::generated_directory();
        std::string ldif = dir.ldif;
        ldif += "dn: " + remote() +
                "\nobjectClass: referral\nobjectClass: extensibleObject\nou: remote\nref: " +
                silent_->url() + "/" + remote() + "\n\n";
        std::vector<std::string> members;
        for (std::size_t i = 2100; i < 2105; ++i) {
            members.push_back(dir.users[i].dn);
        }
        members.push_back(remote_group());
        ldif += ad_group_entry(has_remote(), "has-remote", members);
        lt::SlapdOptions options;
        options.global_config = {"referral " + silent_->url() + "/"};
        server_ = std::make_unique<lt::Slapd>(options, ldif);
    }
    static void TearDownTestSuite() {
        server_.reset();
        silent_.reset();
    }

    static std::string remote() { return "ou=remote," + std::string(lt::kBase); }
    static std::string remote_group() { return "cn=g-remote," + remote(); }
    static std::string has_remote() { return "cn=has-remote,ou=groups," + std::string(lt::kBase); }

    static std::unique_ptr<SilentListener> silent_;
    static std::unique_ptr<lt::Slapd> server_;
};
std::unique_ptr<SilentListener> ReferralTest::silent_;
std::unique_ptr<lt::Slapd> ReferralTest::server_;

TEST_F(ReferralTest, GroupsBehindAReferralAreErrorsTheOthersAreCounted) {
    const auto& dir = lt::generated_directory();
    // Inside the suffix under the referral object, the referral object itself, and outside
    // every suffix (the server's default referral).
    const std::vector<std::string> groups = {dir.admins, remote_group(), dir.big, remote(),
                                             dir.nested_a, "cn=g,dc=elsewhere,dc=com"};
    const ProbeRun run =
        run_probe(make_subjects(server_->url(), lt::kBase, groups, {dir.mfa}), dir.as_of);
    expect_within_bound(run);
    expect_directory_facts(run.out);
    EXPECT_EQ(*fact(run.out.facts, "ldap.anonymous_read"), Value(true));
    expect_group_counts(run.out, 1, dir.admins);
    expect_group_error(run.out, 2, "referral");
    expect_group_counts(run.out, 3, dir.big);
    expect_group_error(run.out, 4, "referral");
    expect_group_counts(run.out, 5, dir.nested_a);
    expect_group_error(run.out, 6, "referral");
}

TEST_F(ReferralTest, MfaGroupBehindAReferralLeavesStrongAuthUncollected) {
    const auto& dir = lt::generated_directory();
    const std::string mfa = "cn=mfa," + remote();
    const ProbeRun run =
        run_probe(make_subjects(server_->url(), lt::kBase, {dir.admins}, {mfa}), dir.as_of);
    expect_within_bound(run);
    EXPECT_THAT(lower(run.out.error), HasSubstr("referral"));
    EXPECT_THAT(lower(error_of(run.out, 1)), HasSubstr("referral"));
    ASSERT_EQ(run.out.related.count(1), 1U);
    const Facts& f = run.out.related.at(1);
    EXPECT_EQ(fact(f, "group.enabled_without_strong_auth"), nullptr);
    EXPECT_EQ(fact(f, "group.strong_auth_share"), nullptr);
    const lt::ExpectedCounts want = lt::expected_counts(dir, dir.admins, kStaleDays);
    EXPECT_EQ(int_of(f, "group.members"), want.members);
    EXPECT_EQ(int_of(f, "group.enabled"), want.enabled);
    EXPECT_EQ(int_of(f, "group.enabled_stale"), want.stale);
}

TEST_F(ReferralTest, MemberBehindAReferralIsNotHidden) {
    // The referred group is not listed (the subtree search only returns a continuation
    // reference for ou=remote), so it cannot be expanded: either the group is an error naming
    // the referral, or the member is reported as unresolved. Never 5 members and nothing else.
    const auto& dir = lt::generated_directory();
    const ProbeRun run =
        run_probe(make_subjects(server_->url(), lt::kBase, {has_remote()}, {dir.mfa}), dir.as_of);
    expect_within_bound(run);
    const std::string error = error_of(run.out, 1);
    std::printf("[ group 1  ] error: '%s'\n", error.c_str());
    if (!error.empty()) {
        EXPECT_THAT(lower(error), HasSubstr("referral"));
    } else {
        ASSERT_EQ(run.out.related.count(1), 1U);
        EXPECT_EQ(int_of(run.out.related.at(1), "group.members"), 5);
        EXPECT_EQ(int_of(run.out.related.at(1), "group.unresolved_members"), 1);
    }
}

TEST_F(ReferralTest, BaseDnBehindAReferralFailsEveryGroupWithTheReason) {
    const auto& dir = lt::generated_directory();
    for (const std::string& base : {remote(), std::string("dc=elsewhere,dc=com")}) {
        SCOPED_TRACE(base);
        const std::vector<std::string> groups = {"cn=g," + base, dir.admins};
        const ProbeRun run =
            run_probe(make_subjects(server_->url(), base, groups, {dir.mfa}), dir.as_of);
        expect_within_bound(run);
        expect_directory_facts(run.out);
        const Value* error = fact(run.out.facts, "ldap.error");
        ASSERT_NE(error, nullptr);
        EXPECT_THAT(lower(*error->as_string()), HasSubstr("referral"));
        EXPECT_THAT(lower(run.out.error), HasSubstr("referral"));
        expect_group_error(run.out, 1, "referral");
        expect_group_error(run.out, 2, "referral");
    }
}

TEST_F(ReferralTest, AnonymousReadOfABaseBehindAReferralIsNotReportedAsRefused) {
    // The server did not refuse anything: the entries are elsewhere. `ldap.anonymous_read =
    // false` would pass a "no anonymous read" control without evidence.
    const auto& dir = lt::generated_directory();
    for (const std::string& base : {remote(), std::string("dc=elsewhere,dc=com")}) {
        SCOPED_TRACE(base);
        const ProbeRun run = run_probe(make_subjects(server_->url(), base, {}, {}), dir.as_of);
        expect_within_bound(run);
        const Value* read = fact(run.out.facts, "ldap.anonymous_read");
        EXPECT_EQ(read, nullptr) << "ldap.anonymous_read = "
                                 << (read != nullptr ? read->to_display() : "");
        const Value* error = fact(run.out.facts, "ldap.error");
        EXPECT_NE(error, nullptr) << "no ldap.error says why the read saw nothing";
        if (error != nullptr) {
            EXPECT_THAT(lower(*error->as_string()), HasSubstr("referral"));
        }
    }
}

// ---- size limits ---------------------------------------------------------------------------------

/// The generated directory on a server that returns at most 50 entries per search (also in
/// total over the pages of a paged search, slapd's default for `size.prtotal`).
constexpr const char* kSizeLimit = "limits * size.soft=50 size.hard=50";

class SizeLimitTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        signal(SIGPIPE, SIG_IGN);
        setenv(kPasswordEnv, lt::kServicePassword, 1);
        lt::SlapdOptions options;
        options.database_config = {kSizeLimit};
        server_ = std::make_unique<lt::Slapd>(options, lt::generated_directory().ldif);
    }
    static void TearDownTestSuite() { server_.reset(); }
    static std::unique_ptr<lt::Slapd> server_;
};
std::unique_ptr<lt::Slapd> SizeLimitTest::server_;

TEST_F(SizeLimitTest, PagedAccountReadOverTheLimitFailsTheGroupsWithTheReason) {
    const auto& dir = lt::generated_directory();
    const ProbeRun run = run_probe(make_subjects(server_->url(), lt::kBase, {dir.admins, dir.big},
                                            {dir.mfa}),
                              dir.as_of);
    expect_within_bound(run);
    expect_directory_facts(run.out);
    EXPECT_EQ(*fact(run.out.facts, "ldap.anonymous_read"), Value(true));
    expect_group_error(run.out, 1, "size limit");
    expect_group_error(run.out, 2, "size limit");
}

TEST_F(SizeLimitTest, OrLookupBatchesOverTheLimitFailTheGroupsWithTheReason) {
    const auto& dir = lt::generated_directory();
    LdapProbeOptions options;
    options.direct_lookup_limit = 100000;  // OR batches of 100 DNs: 100 entries > 50
    options.scan_lookup_limit = 100000;
    const ProbeRun run =
        run_probe(make_subjects(server_->url(), lt::kBase, {dir.big}, {dir.mfa}), dir.as_of,
                  options);
    expect_within_bound(run);
    expect_directory_facts(run.out);
    expect_group_error(run.out, 1, "size limit");
}

TEST_F(SizeLimitTest, SearchesUnderTheLimitAreJudgedNormally) {
    const auto& dir = lt::generated_directory();
    LdapProbeOptions options;
    options.lookup_batch = 25;  // every OR batch stays under the server's limit
    const ProbeRun run = run_probe(make_subjects(server_->url(), lt::kBase,
                                            {dir.admins, dir.special, dir.nested_c}, {dir.mfa_sub}),
                              dir.as_of, options);
    expect_within_bound(run);
    EXPECT_EQ(run.out.error, "");
    expect_directory_facts(run.out);
    expect_group_counts(run.out, 1, dir.admins);
    expect_group_counts(run.out, 2, dir.special);
    expect_group_counts(run.out, 3, dir.nested_c);
}

TEST(SizeLimitGroupListingTest, MoreGroupsThanTheLimitFailEveryGroupWithTheReason) {
    setenv(kPasswordEnv, lt::kServicePassword, 1);
    const std::string base = lt::kBase;
    const std::string alice = "cn=alice,ou=people," + base;
    std::string ldif = skeleton_ldif() + ad_user_entry(alice, "alice", 0x200) + "\n";
    for (int i = 0; i < 60; ++i) {
        const std::string cn = "grp" + std::to_string(i);
        ldif += ad_group_entry("cn=" + cn + ",ou=groups," + base, cn, {alice});
    }
    lt::SlapdOptions options;
    options.database_config = {kSizeLimit};
    lt::Slapd server(options, ldif);
    const ProbeRun run = run_probe(
        make_subjects(server.url(), base, {"cn=grp7,ou=groups," + base}, {}), Date{20000});
    expect_within_bound(run);
    expect_directory_facts(run.out);
    expect_group_error(run.out, 1, "size limit");
}

// ---- Swedish names: DNs compared as LDAP compares them (RFC 4518) ---------------------------------

/// Base64 (RFC 4648), for LDIF values that are not ASCII ("attr:: ...", RFC 2849).
std::string base64(const std::string& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (i + 1 == bytes.size()) {
        const auto n = static_cast<unsigned char>(bytes[i]) << 16;
        out += std::string{kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += std::string{kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63],
                           kAlphabet[(n >> 6) & 63], '='};
    }
    return out;
}

/// An AD-shaped entry whose DN, cn and member values are UTF-8 (written base64 in the LDIF).
std::string utf8_entry(const std::string& dn, const std::string& object_class,
                       const std::string& cn, const std::vector<std::string>& members,
                       std::uint32_t uac = 0x200) {
    std::string out = "dn:: " + base64(dn) + "\nobjectClass: " + object_class +
                      (object_class == "user" ? "\nobjectClass: extensibleObject" : "") +
                      "\ncn:: " + base64(cn) + "\ninstanceType: 4\nnTSecurityDescriptor:: AA==\n";
    if (object_class == "user") {
        out += "sn:: " + base64(cn) +
               "\nobjectCategory: cn=Person,cn=Schema,cn=Configuration," + std::string(lt::kBase) +
               "\nuserAccountControl: " + std::to_string(uac) + "\n";
    } else {
        out += "groupType: -2147483646\nobjectCategory: cn=Group,cn=Schema,cn=Configuration," +
               std::string(lt::kBase) + "\n";
    }
    for (const auto& m : members) {
        out += "member:: " + base64(m) + "\n";
    }
    return out + "\n";
}

// Issue 11: member values differing from the entry DNs only in the case of å/ä/ö (as AD and
// hand-edited groups write them) are the same accounts and groups to LDAP, and so to lisa: in
// group membership, in the MFA group, in nested groups and their cycle, and in the declared DN.
TEST(SwedishNamesTest, MemberDnsDifferingInTheCaseOfSwedishLettersAreTheSameEntries) {
    setenv(kPasswordEnv, lt::kServicePassword, 1);
    const std::string base = lt::kBase;
    const std::string ou = "ou=\xC3\x84ldreomsorg," + base;                    // Äldreomsorg
    const std::string asa = "cn=\xC3\x96" "berg\\, \xC3\x85sa," + ou;           // Öberg\, Åsa
    const std::string orjan = "cn=\xC3\x96rjan \xC3\x84rlig," + ou;              // Örjan Ärlig
    const std::string asa_upper = "CN=\xC3\x96" "BERG\\, \xC3\x85SA,OU=\xC3\x84LDREOMSORG,DC=EXAMPLE,DC=ORG";
    const std::string orjan_lower = "cn=\xC3\xB6rjan \xC3\xA4rlig,ou=\xC3\xA4ldreomsorg," + base;
    const std::string hemtjanst = "cn=Hemtj\xC3\xA4nst,ou=groups," + base;     // Hemtjänst
    const std::string natt = "cn=Nattpatrull \xC3\x85,ou=groups," + base;      // Nattpatrull Å
    const std::string mfa = "cn=MFA-anv\xC3\xA4ndare,ou=groups," + base;        // MFA-användare
    std::string ldif = skeleton_ldif() + "dn:: " + base64(ou) +
                       "\nobjectClass: organizationalUnit\nou:: " + base64("\xC3\x84ldreomsorg") +
                       "\n\n";
    ldif += utf8_entry(asa, "user", "\xC3\x96" "berg, \xC3\x85sa", {});
    ldif += utf8_entry(orjan, "user", "\xC3\x96rjan \xC3\x84rlig", {});
    // Hemtjänst: Åsa in upper case, Örjan in lower case, and Nattpatrull Å written "NATTPATRULL å",
    // which names Hemtjänst back in upper case: a cycle through case alone.
    ldif += utf8_entry(hemtjanst, "group", "Hemtj\xC3\xA4nst",
                       {asa_upper, orjan_lower, "cn=NATTPATRULL \xC3\xA5,ou=groups," + base});
    ldif += utf8_entry(natt, "group", "Nattpatrull \xC3\x85", {"CN=HEMTJ\xC3\x84NST,OU=GROUPS,DC=EXAMPLE,DC=ORG"});
    ldif += utf8_entry(mfa, "group", "MFA-anv\xC3\xA4ndare", {asa_upper});
    lt::Slapd server(lt::SlapdOptions{}, ldif);

    // The access group is declared in yet another case; the MFA group too.
    const std::string declared_group = "CN=HEMTJ\xC3\x84NST,OU=Groups,DC=Example,DC=Org";
    const ProbeRun run = run_probe(
        make_subjects(server.url(), base, {declared_group},
                      {"cn=mfa-anv\xC3\x84NDARE,ou=groups,dc=example,dc=org"}),
        Date{20000});
    ASSERT_EQ(run.out.error, "");
    ASSERT_EQ(error_of(run.out, 1), "");
    ASSERT_EQ(run.out.related.count(1), 1U);
    const Facts& f = run.out.related.at(1);
    EXPECT_EQ(*fact(f, "group.exists"), Value(true));
    EXPECT_EQ(int_of(f, "group.members"), 2) << "Åsa and Örjan, each once";
    EXPECT_EQ(int_of(f, "group.enabled"), 2);
    EXPECT_EQ(int_of(f, "group.unresolved_members"), 0) << "no member lost to a case difference";
    EXPECT_EQ(int_of(f, "group.enabled_without_strong_auth"), 1) << "Åsa is in the MFA group";
    ASSERT_NE(fact(f, "group.enabled_without_strong_auth.dns"), nullptr);
    const StringList& weak = *fact(f, "group.enabled_without_strong_auth.dns")->as_list();
    ASSERT_EQ(weak.size(), 1U);
    EXPECT_EQ(normalize_dn(weak.front()), normalize_dn(orjan));
    EXPECT_EQ(*fact(f, "group.nesting_cycle"), Value(true));
}

// ---- a group of 50,000 members -------------------------------------------------------------------

constexpr std::size_t kBigMembers = 50000;

/// The properties of generated account i, independent of the probe's code.
struct BigUser {
    std::uint32_t uac = 0x200;
    std::optional<int> logon_days_ago;
    bool shared = false;
    bool mfa_attribute = false;
};

BigUser big_user(std::size_t i) {
    BigUser u;
    if (i % 10 == 3) u.uac |= 0x2;
    if (i % 17 == 5) u.uac |= 0x20;
    if (i % 7 == 2) u.uac |= 0x10000;
    if (i % 5 == 1) u.uac |= 0x40000;
    u.shared = i % 23 == 4;
    u.mfa_attribute = i % 29 == 6;
    switch (i % 4) {
        case 0:
            break;  // never logged on
        case 1:
            u.logon_days_ago = 200;
            break;
        default:
            u.logon_days_ago = static_cast<int>(i % 60);
    }
    return u;
}

std::string big_user_cn(std::size_t i) {
    char cn[16];
    std::snprintf(cn, sizeof cn, "m%05zu", i);
    return cn;
}

std::string big_user_dn(std::size_t i) {
    return "cn=" + big_user_cn(i) + ",ou=people," + std::string(lt::kBase);
}

std::int64_t filetime_days_ago(Date as_of, int days) {
    const std::int64_t unix_seconds = (as_of.days - days) * 86400 + 12 * 3600;
    return (unix_seconds + 11644473600LL) * 10000000LL;
}

std::string big_ldif(Date as_of, const std::string& group_dn, const std::string& small_dn) {
    std::string ldif = skeleton_ldif();
    ldif.reserve(kBigMembers * 420);
    for (std::size_t i = 0; i < kBigMembers; ++i) {
        const BigUser u = big_user(i);
        ldif += ad_user_entry(big_user_dn(i), big_user_cn(i), u.uac);
        if (u.logon_days_ago) {
            ldif += "lastLogonTimestamp: " +
                    std::to_string(filetime_days_ago(as_of, *u.logon_days_ago)) + "\n";
        }
        if (u.shared) ldif += "employeeType: shared\n";
        if (u.mfa_attribute) ldif += "businessCategory: mfa-enrolled\n";
        ldif += "\n";
    }
    std::vector<std::string> members;
    members.reserve(kBigMembers);
    for (std::size_t i = 0; i < kBigMembers; ++i) {
        members.push_back(big_user_dn(i));
    }
    ldif += ad_group_entry(group_dn, "fifty-k", members);
    members.resize(10);
    ldif += ad_group_entry(small_dn, "small", members);
    return ldif;
}

/// The counts for members 0..count-1, from big_user() (no MFA group is configured).
lt::ExpectedCounts big_expected(std::size_t count) {
    lt::ExpectedCounts c;
    for (std::size_t i = 0; i < count; ++i) {
        const BigUser u = big_user(i);
        ++c.members;
        if (u.uac & 0x2) {
            ++c.disabled;
            continue;
        }
        ++c.enabled;
        const bool smartcard = (u.uac & 0x40000) != 0;
        if (!smartcard && !u.mfa_attribute) ++c.without_strong;
        if (smartcard) ++c.smartcard;
        if (!u.logon_days_ago || *u.logon_days_ago > kStaleDays) ++c.stale;
        if (u.uac & 0x10000) ++c.never_expires;
        if (u.uac & 0x20) ++c.not_required;
        if (u.shared) ++c.shared;
    }
    return c;
}

/// A line of /proc/self/status in kB ("VmHWM", "VmRSS"); -1 when unreadable.
long status_kb(const std::string& key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
        }
    }
    return -1;
}

/// Resets VmHWM to the current RSS (Linux >= 4.0); false when not permitted.
bool reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

TEST(BigGroupTest, FiftyThousandMembersAreCountedExactly) {
    setenv(kPasswordEnv, lt::kServicePassword, 1);
    const Date as_of = lt::generated_directory().as_of;
    const std::string group = "cn=fifty-k,ou=groups," + std::string(lt::kBase);
    const std::string small = "cn=small,ou=groups," + std::string(lt::kBase);
    std::unique_ptr<lt::Slapd> server;
    {
        const auto start = std::chrono::steady_clock::now();
        const std::string ldif = big_ldif(as_of, group, small);
        server = std::make_unique<lt::Slapd>(lt::SlapdOptions{}, ldif);
        std::printf("[ setup    ] %zu bytes of LDIF loaded and served in %lld ms\n", ldif.size(),
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::steady_clock::now() - start)
                                               .count()));
    }
    const auto subjects = make_subjects(server->url(), lt::kBase, {group, small}, {});
    const bool reset = reset_peak_rss();
    const long rss_before = status_kb("VmRSS");
    const long hwm_before = status_kb("VmHWM");
    const ProbeRun run = run_probe(subjects, as_of, {}, std::chrono::seconds(30));
    const long hwm_after = status_kb("VmHWM");
    const long rss_after = status_kb("VmRSS");
    std::printf(
        "[ 50k      ] probe %lld ms; VmRSS before %ld kB, after %ld kB; VmHWM before %ld kB, "
        "after %ld kB (peak reset: %s)\n",
        static_cast<long long>(run.elapsed.count()), rss_before, rss_after, hwm_before, hwm_after,
        reset ? "yes" : "no");
    ::testing::Test::RecordProperty("probe_ms", static_cast<int>(run.elapsed.count()));
    ::testing::Test::RecordProperty("vm_hwm_growth_kb", static_cast<int>(hwm_after - hwm_before));
    EXPECT_LT(run.elapsed, std::chrono::seconds(60));  // a hang guard, not a benchmark

    const ProbeOutput& out = run.out;
    EXPECT_EQ(out.error, "");
    for (const auto& [index, count] : {std::make_pair(1, kBigMembers), std::make_pair(2, std::size_t{10})}) {
        SCOPED_TRACE(index);
        const lt::ExpectedCounts want = big_expected(count);
        ASSERT_EQ(error_of(out, index), "");
        ASSERT_EQ(out.related.count(index), 1U);
        const Facts& f = out.related.at(index);
        EXPECT_EQ(*fact(f, "group.exists"), Value(true));
        ldap_test::expect_group_counts(f, want);
        EXPECT_EQ(int_of(f, "group.unresolved_members"), 0);
        EXPECT_EQ(int_of(f, "group.nested_groups"), 0);
        // The DN lists stop at the default cap (kDnListCap, 20) and say how many were left out.
        const Value* stale = fact(f, "group.enabled_stale.dns");
        ASSERT_NE(stale, nullptr);
        const StringList& dns = *stale->as_list();
        const auto cap = static_cast<std::int64_t>(kDnListCap);
        if (want.stale > cap) {
            ASSERT_EQ(dns.size(), kDnListCap + 1);
            EXPECT_EQ(dns.back(), "...truncated " + std::to_string(want.stale - cap) + " more");
        } else {
            EXPECT_EQ(static_cast<std::int64_t>(dns.size()), want.stale);
        }
    }
}

// ---- scripted peers: what no slapd does --------------------------------------------------------

/// BER, just enough to answer an LDAP client (RFC 4511): definite lengths, primitive values.
std::string ber_tlv(unsigned char tag, const std::string& content) {
    std::string out(1, static_cast<char>(tag));
    const std::size_t n = content.size();
    if (n < 0x80) {
        out += static_cast<char>(n);
    } else {
        std::string len;
        for (std::size_t v = n; v > 0; v >>= 8) {
            len.insert(len.begin(), static_cast<char>(v & 0xff));
        }
        out += static_cast<char>(0x80 | len.size());
        out += len;
    }
    return out + content;
}
std::string ber_int(unsigned char tag, long value) {
    std::string bytes;
    do {
        bytes.insert(bytes.begin(), static_cast<char>(value & 0xff));
        value >>= 8;
    } while (value != 0 && value != -1);
    if ((value == 0 && (bytes[0] & 0x80)) || (value == -1 && !(bytes[0] & 0x80))) {
        bytes.insert(bytes.begin(), static_cast<char>(value & 0xff));
    }
    return ber_tlv(tag, bytes);
}
std::string ber_string(const std::string& s) { return ber_tlv(0x04, s); }
std::string ldap_message(long msgid, const std::string& op, const std::string& controls = {}) {
    return ber_tlv(0x30, ber_int(0x02, msgid) + op + controls);
}
std::string ldap_result(unsigned char tag, long code = 0) {
    return ber_tlv(tag, ber_int(0x0a, code) + ber_string("") + ber_string(""));
}

/// How the scripted directory answers.
enum class Script {
    Polite,          ///< binds succeed, every search ends at once with success and no entries
    EndlessEntries,  ///< binds succeed, every search streams entries forever (abandon ignored)
    EndlessPages,    ///< binds succeed, every search ends with no entry and a fresh paging cookie
    TrickleEntry,    ///< binds succeed, every search answer is one 1 MiB message sent a byte every 50 ms
};

/// A scripted LDAP peer on 127.0.0.1 (an ephemeral port): one thread per connection, stopped and
/// joined by the destructor. Counts what it sent, so a test can show the client stopped reading.
class ScriptedDirectory {
public:
    explicit ScriptedDirectory(Script script) : script_(script) {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            listen(fd_, 64) != 0) {
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        socklen_t len = sizeof addr;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ScriptedDirectory(const ScriptedDirectory&) = delete;
    ScriptedDirectory& operator=(const ScriptedDirectory&) = delete;
    ~ScriptedDirectory() {
        stop_ = true;
        shutdown(fd_, SHUT_RDWR);
        acceptor_.join();
        for (auto& t : connections_) {
            t.join();
        }
        close(fd_);
    }
    [[nodiscard]] std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] long entries_sent() const { return entries_.load(); }
    [[nodiscard]] long pages_sent() const { return pages_.load(); }

private:
    void accept_loop() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) {
                continue;
            }
            const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                continue;
            }
            connections_.emplace_back([this, client] {
                serve(client);
                close(client);
            });
        }
    }

    /// Reads exactly n bytes, giving up when stopped or the client closes.
    bool read_exact(int fd, std::string& out, std::size_t n) {
        while (out.size() < n && !stop_) {
            pollfd p{fd, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) {
                continue;
            }
            char buf[4096];
            const ssize_t got = recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
            if (got <= 0) {
                return false;
            }
            out.append(buf, static_cast<std::size_t>(got));
        }
        return out.size() == n;
    }

    bool send_all(int fd, const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size() && !stop_) {
            pollfd p{fd, POLLOUT, 0};
            if (poll(&p, 1, 100) <= 0) {
                continue;
            }
            const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            sent += static_cast<std::size_t>(n);
        }
        return sent == data.size();
    }

    void serve(int fd) {
        for (;;) {
            std::string head;
            if (!read_exact(fd, head, 2)) {
                return;
            }
            std::size_t length = static_cast<unsigned char>(head[1]);
            if (length & 0x80) {
                std::string len;
                if (!read_exact(fd, len, length & 0x7f)) {
                    return;
                }
                length = 0;
                for (const char c : len) {
                    length = (length << 8) | static_cast<unsigned char>(c);
                }
            }
            std::string body;
            if (length > (1u << 20) || !read_exact(fd, body, length)) {
                return;
            }
            // body: INTEGER messageID, then the protocolOp's tag.
            if (body.size() < 3 || body[0] != 0x02) {
                return;
            }
            const std::size_t id_len = static_cast<unsigned char>(body[1]);
            long msgid = 0;
            for (std::size_t i = 0; i < id_len && 2 + i < body.size(); ++i) {
                msgid = (msgid << 8) | static_cast<unsigned char>(body[2 + i]);
            }
            if (2 + id_len >= body.size()) {
                return;
            }
            const auto op = static_cast<unsigned char>(body[2 + id_len]);
            if (op == 0x60) {  // BindRequest
                if (!send_all(fd, ldap_message(msgid, ldap_result(0x61)))) {
                    return;
                }
            } else if (op == 0x63) {  // SearchRequest
                if (!answer_search(fd, msgid)) {
                    return;
                }
            } else if (op == 0x42) {  // UnbindRequest
                return;
            }
            // AbandonRequest (0x50) and anything else: ignored, as a hostile server would.
        }
    }

    bool answer_search(int fd, long msgid) {
        switch (script_) {
            case Script::Polite:
                return send_all(fd, ldap_message(msgid, ldap_result(0x65)));
            case Script::EndlessPages: {
                ++pages_;
                const std::string cookie = ber_tlv(0x30, ber_int(0x02, 0) + ber_string("more"));
                const std::string control =
                    ber_tlv(0x30, ber_string("1.2.840.113556.1.4.319") + ber_string(cookie));
                return send_all(fd, ldap_message(msgid, ldap_result(0x65), ber_tlv(0xa0, control)));
            }
            case Script::TrickleEntry: {
                // SEQUENCE of 1 MiB announced, then one byte at a time: every read succeeds.
                if (!send_all(fd, std::string("\x30\x83\x10\x00\x00\x02\x01", 7) +
                                      static_cast<char>(msgid & 0x7f))) {
                    return false;
                }
                while (!stop_) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    if (!send_all(fd, std::string(1, '\x04'))) {
                        return false;
                    }
                    ++entries_;
                }
                return false;
            }
            case Script::EndlessEntries:
                break;
        }
        // Entries until the client goes away or the test ends: 100 every 10 ms (10,000 a second),
        // so the client's deadline, not its entry cap, is what stops it.
        for (long n = 0; !stop_; ++n) {
            std::string batch;
            for (int i = 0; i < 100; ++i, ++n) {
                const std::string dn = "cn=u" + std::to_string(n) + ",dc=example,dc=org";
                const std::string attrs =
                    ber_tlv(0x30, ber_tlv(0x30, ber_string("cn") + ber_tlv(0x31, ber_string("u"))));
                batch += ldap_message(msgid, ber_tlv(0x64, ber_string(dn) + attrs));
            }
            if (!send_all(fd, batch)) {
                return false;
            }
            entries_ += 100;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    Script script_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<long> entries_{0};
    std::atomic<long> pages_{0};
    std::thread acceptor_;
    std::vector<std::thread> connections_;  // only the acceptor adds, only the destructor joins
};

/// The directory subject alone, bound as the service account (password from the environment).
/// The scripted peer speaks no TLS: an anonymous session (no password to protect) reads the groups.
std::vector<Subject> scripted_subjects(const std::string& url, const std::vector<std::string>& groups = {}) {
    auto subjects = make_subjects(url, "dc=example,dc=org", groups, {});
    for (const char* fact : {"directory.starttls", "directory.ca_file", "directory.bind_dn", "directory.password_env"}) {
        subjects[0].facts.erase(fact);
    }
    return subjects;
}

TEST(ScriptedDirectoryTest, EndlessEntriesEndAtTheDeadlineWithAnError) {
    signal(SIGPIPE, SIG_IGN);
    setenv(kPasswordEnv, "not-a-real-password", 1);
    ScriptedDirectory peer(Script::EndlessEntries);
    const std::chrono::milliseconds timeout{1500};
    const ProbeRun run = run_probe(scripted_subjects(peer.url(), {"cn=g,dc=example,dc=org"}),
                                   *Date::parse("2026-01-01"), {}, timeout);
    std::printf("[ endless  ] probe %lld ms with --timeout %lld ms; the peer sent %ld entries\n",
                static_cast<long long>(run.elapsed.count()), static_cast<long long>(timeout.count()),
                peer.entries_sent());
    // The bound: an error within the timeout plus one second, not a hang.
    EXPECT_LT(run.elapsed, timeout + std::chrono::seconds(1));
    EXPECT_THAT(run.out.error, HasSubstr("timed out after 1500 ms"));
    // The one-entry anonymous read stopped after one entry (a size limit, judged readable)
    // instead of reading until the deadline.
    ASSERT_NE(fact(run.out.facts, "ldap.anonymous_read"), nullptr);
    EXPECT_EQ(*fact(run.out.facts, "ldap.anonymous_read"), Value(true));
    EXPECT_THAT(run.out.error, Not(HasSubstr("anonymous read")));
    // The group is an error with the reason, not counted from a partial read.
    expect_group_error(run.out, 1, "timed out");
}

TEST(ScriptedDirectoryTest, AnAnswerTrickledAByteAtATimeEndsAtTheDeadline) {
    signal(SIGPIPE, SIG_IGN);
    setenv(kPasswordEnv, "not-a-real-password", 1);
    ScriptedDirectory peer(Script::TrickleEntry);
    const std::chrono::milliseconds timeout{1500};
    const ProbeRun run = run_probe(scripted_subjects(peer.url(), {"cn=g,dc=example,dc=org"}),
                                   *Date::parse("2026-01-01"), {}, timeout);
    std::printf("[ trickle  ] probe %lld ms with --timeout %lld ms; the peer sent %ld bytes one by one\n",
                static_cast<long long>(run.elapsed.count()), static_cast<long long>(timeout.count()),
                peer.entries_sent());
    // Each search (the anonymous read, then the bound listing) costs at most one timeout.
    EXPECT_LT(run.elapsed, 2 * timeout + std::chrono::seconds(1));
    EXPECT_THAT(run.out.error, HasSubstr("timed out after 1500 ms"));
    expect_group_error(run.out, 1, "timed out");
}

TEST(ScriptedDirectoryTest, EndlessPagesStopAtThePageCapWithAnError) {
    signal(SIGPIPE, SIG_IGN);
    setenv(kPasswordEnv, "not-a-real-password", 1);
    ScriptedDirectory peer(Script::EndlessPages);
    const ProbeRun run = run_probe(scripted_subjects(peer.url(), {"cn=g,dc=example,dc=org"}),
                                   *Date::parse("2026-01-01"), {}, std::chrono::seconds(5));
    std::printf("[ pages    ] probe %lld ms; the peer sent %ld pages\n",
                static_cast<long long>(run.elapsed.count()), peer.pages_sent());
    EXPECT_THAT(run.out.error, HasSubstr("pages, lisa's cap"));
    EXPECT_LE(peer.pages_sent(), static_cast<long>(2 * ldap_detail::kMaxPagesPerSearch + 10));
    expect_group_error(run.out, 1, "pages");
}

TEST(ScriptedDirectoryTest, PasswordFileThatIsAFifoIsRefusedNotWaitedOn) {
    signal(SIGPIPE, SIG_IGN);
    ScriptedDirectory peer(Script::Polite);
    char dir_template[] = "/tmp/lisa-fifo-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    const std::string fifo = std::string(dir_template) + "/password";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    // A password bind needs TLS: the password is read (and refused) before any connection, so
    // the peer's port is given as ldaps:// and never reached.
    auto subjects = make_subjects("ldaps://127.0.0.1:" + std::to_string(peer.port()), "dc=example,dc=org",
                                  {"cn=g,dc=example,dc=org"}, {});
    subjects[0].facts.erase("directory.password_env");
    subjects[0].facts.erase("directory.starttls");
    subjects[0].facts["directory.password_file"] = declared(fifo);
    ProbeContext context;
    context.timeout = std::chrono::seconds(2);
    const auto start = std::chrono::steady_clock::now();
    auto checked = check_directory_access(subjects[0], testing_support::directory_target_of(subjects[0]), context);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    unlink(fifo.c_str());
    rmdir(dir_template);
    ASSERT_FALSE(checked);
    EXPECT_THAT(checked.error().message, HasSubstr("password file (directory.password_file): " + fifo +
                                                   " is not a regular file but a FIFO (named pipe)"));
    EXPECT_LT(elapsed, std::chrono::seconds(4));
}

}  // namespace
}  // namespace lisa
