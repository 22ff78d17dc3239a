// SPDX-License-Identifier: Apache-2.0
// A throwaway slapd on 127.0.0.1 for the ldap probe tests, and the AD-shaped directory they
// load into it. The generator knows every account's properties, so the tests compare the
// probe's counts with values computed here, independently of the probe's own expansion.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/core/value.hpp"
#include "process.hpp"

namespace lisa::ldap_test {

inline constexpr const char* kBase = "dc=example,dc=org";
inline constexpr const char* kServiceDn = "cn=svc-lisa,ou=service,dc=example,dc=org";
inline constexpr const char* kServicePassword = "Pr0be-S3cret!xyz";

/// A CA and a server certificate for 127.0.0.1 / localhost, plus an unrelated CA.
struct Certificates {
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    std::string other_ca_file;
};
/// Generated once per test process with the openssl command line tool.
const Certificates& certificates();

/// How a slapd instance behaves.
struct SlapdOptions {
    bool anonymous_bind = true;     ///< false: `disallow bind_anon`
    bool anonymous_read = true;     ///< false: ACL gives anonymous only `auth`
    bool refuse_cleartext = false;  ///< `security simple_bind=128`
    /// false: no certificate configured and no ldaps:// listener — StartTLS is refused
    /// ("unsupported extended operation"), as on a directory nobody set TLS up on.
    bool tls = true;
    /// Extra global slapd.conf lines, written before the database (e.g. `referral <url>`).
    std::vector<std::string> global_config;
    /// Extra lines of the database section (e.g. `limits * size.soft=50 size.hard=50`).
    std::vector<std::string> database_config;
};

/// A running slapd with ldap:// (StartTLS capable) and ldaps:// listeners.
class Slapd {
public:
    Slapd(const SlapdOptions& options, const std::string& ldif);
    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] int ldaps_port() const noexcept { return ldaps_port_; }
    [[nodiscard]] std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] std::string ldaps_url() const {
        return "ldaps://127.0.0.1:" + std::to_string(ldaps_port_);
    }
    [[nodiscard]] std::string log() const;

private:
    testing_support::TempDir dir_;
    int port_ = 0;
    int ldaps_port_ = 0;
    testing_support::ChildProcess process_;
};

/// One generated account.
struct GeneratedUser {
    std::string dn;  ///< as written in the LDIF and in member values
    std::uint32_t uac = 0x200;
    std::optional<int> logon_days_ago;  ///< nullopt: no lastLogonTimestamp
    bool shared = false;
    bool mfa_attribute = false;
};

/// The generated directory and the expected membership of each group.
struct GeneratedDirectory {
    Date as_of;
    std::vector<GeneratedUser> users;
    /// Group DN -> indices of the accounts that are direct or nested members (computed from
    /// the generator's own specification, not by walking the LDIF).
    std::map<std::string, std::set<std::size_t>> expected_members;
    std::set<std::size_t> mfa_members;  ///< accounts in the MFA group, directly or nested
    std::string ldif;

    std::string big, nested_a, nested_b, nested_c, empty, mfa, mfa_sub, admins, dangling, special,
        missing;
};

/// Builds the directory: 2,200 accounts, nested groups with a cycle, an MFA group, a group of
/// 1,600 members, shared accounts, DNs with characters that need escaping.
const GeneratedDirectory& generated_directory();

/// The counts the probe should report for `group_dn`, computed from the generator.
struct ExpectedCounts {
    std::int64_t members = 0, enabled = 0, disabled = 0, without_strong = 0, smartcard = 0,
                 stale = 0, never_expires = 0, not_required = 0, shared = 0;
    std::vector<std::string> without_strong_dns;
    std::vector<std::string> stale_dns;
};
ExpectedCounts expected_counts(const GeneratedDirectory& dir, const std::string& group_dn,
                               int stale_days);

/// The value of a fact, or nullptr.
const Value* fact(const Facts& facts, const std::string& name);
/// An integer fact; a test failure (and -1) when it is missing or not an integer.
std::int64_t int_of(const Facts& facts, const std::string& name);
/// Asserts every group.* count of the probe's facts against the generator's expectation.
void expect_group_counts(const Facts& facts, const ExpectedCounts& want);

}  // namespace lisa::ldap_test
