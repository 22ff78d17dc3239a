// SPDX-License-Identifier: Apache-2.0
// Active Directory's privileged access, as the ldap probe judges it: the privileged groups found
// by objectSid (so a Swedish installation's "Domänadministratörer" is Domain Admins), per-member
// checks after nested expansion, and the domain-level settings strong authentication rests on.
// Pure functions over entries already read (ldap_probe.cpp does the I/O); the unit tests feed
// them entries in the shape AD returns them, including attributes Samba's schema lacks (LAPS).
//
// Sources: well-known SIDs and RIDs [MS-DTYP] 2.4.2.4; userAccountControl [MS-ADTS] 2.2.16;
// pwdProperties, maxPwdAge, msDS-Behavior-Version [MS-ADTS] 3.1.1.3/6.1.4; PSOs [MS-ADTS] 3.1.1.5;
// where PingCastle has the same check, rules/ad.yaml cites its rule id (P-Delegated,
// P-ProtectedUsers, P-Kerberoasting, S-NoPreAuthAdmin, S-PwdNeverExpires, P-AdminPwdTooOld,
// P-Inactive, A-MinPwdLen, A-Krbtgt, P-UnconstrainedDelegation, A-LAPS-Not-Installed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/core/value.hpp"
#include "lisa/probes/ldap_probe.hpp"

namespace lisa::ad {

/// "S-1-5-21-…" from a binary objectSid ([MS-DTYP] 2.4.2.2); nullopt when malformed.
[[nodiscard]] std::optional<std::string> sid_to_string(std::string_view binary);

/// A privileged group AD creates, identified by SID (never by its localised name).
struct PrivilegedGroupKind {
    const char* id;       ///< "domain_admins"
    const char* name_en;  ///< "Domain Admins"
    /// Domain-relative RID ("512": S-1-5-21-<domain>-512) or a builtin SID ("S-1-5-32-544").
    const char* sid;
};

/**
 * The privileged groups: Domain Admins (512), Enterprise Admins (519), Schema Admins (518),
 * Group Policy Creator Owners (520), Key Admins (526), Enterprise Key Admins (527),
 * Administrators (S-1-5-32-544), Account/Server/Print/Backup Operators (548/549/550/551).
 * DnsAdmins has no well-known RID (its RID is assigned when DNS is installed): it is found by
 * its sAMAccountName "DnsAdmins" (kDnsAdminsName), the one name-based exception. Key Admins and
 * Enterprise Key Admins exist from the 2016 domain level only (never on Samba 4.17).
 */
[[nodiscard]] const std::vector<PrivilegedGroupKind>& privileged_group_kinds();
inline constexpr std::string_view kDnsAdminsName = "DnsAdmins";
inline constexpr std::string_view kProtectedUsersRid = "525";

/// The kind of a group SID, or nullptr when it is not a privileged group. Domain-relative RIDs
/// match under any S-1-5-21 domain (Enterprise/Schema Admins live in the forest root domain).
[[nodiscard]] const PrivilegedGroupKind* privileged_kind_of_sid(std::string_view sid);
/// Protected Users (…-525).
[[nodiscard]] bool is_protected_users_sid(std::string_view sid);
/// Groups whose members AdminSDHolder protects besides the privileged ones (Domain Controllers
/// 516, Read-only DCs 521, Replicator S-1-5-32-552): membership there explains adminCount = 1.
[[nodiscard]] bool is_admin_sd_holder_extra_sid(std::string_view sid);
/// The groups standing for every user, computer or guest of the domain (Domain Users 513, Domain
/// Guests 514, Domain Computers 515): their name, or nullptr for any other SID. Nested in a
/// privileged group, they make everyone privileged.
[[nodiscard]] const char* broad_group_name(std::string_view sid);
/**
 * Whether every domain of this kind has the privileged group `kind` ([MS-ADTS] 6.1.1.6, the
 * well-known security principals a domain is created with): Domain Admins, Group Policy Creator
 * Owners and the builtin groups always; Enterprise and Schema Admins in the forest root domain;
 * Key Admins from the 2016 domain level (7), Enterprise Key Admins then in the forest root. Not
 * finding one by its SID means the scan account cannot see it.
 */
[[nodiscard]] bool always_present(const PrivilegedGroupKind& kind, bool forest_root, std::int64_t domain_level);
/// The LDAP filter finding every privileged group, Protected Users, the extra groups and the
/// broad groups by SID for `domain_sid`, plus DnsAdmins by name.
[[nodiscard]] std::string privileged_groups_filter(std::string_view domain_sid);

/// Up to `cap` names, sorted, then "… +N more" when there are more (findings name accounts).
inline constexpr std::size_t kNameCap = 20;
[[nodiscard]] StringList capped_names(StringList names, std::size_t cap = kNameCap);

/// Inputs of the per-member verdicts.
struct PrivilegedPolicy {
    Date as_of;
    std::int64_t password_max_age_days = 365;  ///< directory.privileged_password_max_age_days
    std::int64_t stale_days = 90;              ///< directory.stale_days
    std::size_t name_cap = kNameCap;
};

/// A count with the accounts behind it (capped names).
struct NamedCount {
    std::int64_t count = 0;
    StringList names;
};

/**
 * Per-member verdicts over the enabled members (nested, each account once) of all privileged
 * groups together. Disabled members are counted in `members` only.
 * - without_smartcard: userAccountControl lacks SMARTCARD_REQUIRED (0x40000);
 * - not_protected: not a (nested) member of Protected Users;
 * - delegable: neither NOT_DELEGATED (0x100000) nor in Protected Users (which also stops
 *   delegation);
 * - preauth_not_required: DONT_REQ_PREAUTH (0x400000), AS-REP roastable;
 * - with_spn: a user (not computer) account with a servicePrincipalName, Kerberoastable;
 * - password_never_expires: DONT_EXPIRE_PASSWORD (0x10000);
 * - password_old: pwdLastSet more than password_max_age_days before as_of (0 = must change
 *   counts as old: the current password is still in use until then);
 * - stale: never logged on and created more than stale_days before as_of (a new account is not
 *   stale), or last logon more than stale_days before as_of.
 */
struct PrivilegedEvaluation {
    StringList groups;  ///< "Domain Admins: <DN>" per privileged group found, sorted
    std::int64_t members = 0;
    std::int64_t enabled = 0;
    NamedCount without_smartcard, not_protected, delegable, preauth_not_required, with_spn,
        password_never_expires, password_old, stale;
    NamedCount enabled_members;  ///< names of every enabled member
};

/// Evaluates the privileged groups (normalize_dn keys) of `model`.
[[nodiscard]] PrivilegedEvaluation evaluate_privileged(
    const DirectoryModel& model, const std::vector<std::pair<std::string, std::string>>& groups,
    const std::string& protected_users_key, const PrivilegedPolicy& policy);

/// Accounts with adminCount = 1 that are no (nested) member of a privileged or other
/// AdminSDHolder-protected group (`protected_members`), krbtgt excepted: left-over protection
/// that keeps inheritance off their ACLs (PingCastle S-AdminSDHolder).
[[nodiscard]] NamedCount admin_count_orphans(
    const std::vector<AccountFacts>& admin_count_accounts,
    const std::unordered_set<std::string>& protected_member_keys, std::size_t cap = kNameCap);

/// The domain object's password and lockout policy and the functional levels.
struct DomainPolicy {
    std::optional<std::int64_t> min_password_length;
    std::optional<std::int64_t> lockout_threshold;  ///< 0 = never locks out
    std::optional<bool> complexity;                 ///< pwdProperties bit 0x1
    std::optional<std::int64_t> max_password_age_days;  ///< 0 = never expires
    std::optional<std::int64_t> domain_level;       ///< msDS-Behavior-Version / domainFunctionality
    std::optional<std::int64_t> forest_level;
};
/// From the domain object's attributes (minPwdLength, lockoutThreshold, pwdProperties,
/// maxPwdAge as negative 100 ns intervals, msDS-Behavior-Version).
[[nodiscard]] DomainPolicy domain_policy_from_entry(const std::vector<EntryAttribute>& attributes);
/// "2008 R2" for 4, … ([MS-ADTS] 6.1.4.2); "level N" when unknown.
[[nodiscard]] std::string functional_level_name(std::int64_t level);
/// Days of an AD interval attribute (maxPwdAge, msDS-MaximumPasswordAge): negative 100 ns ticks;
/// 0 for "never" (0 or INT64_MIN).
[[nodiscard]] std::optional<std::int64_t> interval_days(std::string_view value);

/// One fine-grained password settings object.
struct PasswordSettings {
    std::string dn;
    std::optional<std::int64_t> precedence, min_length, lockout_threshold, max_age_days;
    std::optional<bool> complexity;
    std::vector<std::string> applies_to;  ///< normalize_dn keys of msDS-PSOAppliesTo
};
[[nodiscard]] PasswordSettings pso_from_entry(std::string_view dn,
                                              const std::vector<EntryAttribute>& attributes);

/// One computer account, as the LAPS and delegation checks need it.
struct ComputerFacts {
    std::string name;
    std::uint32_t user_account_control = 0;
    bool laps = false;  ///< ms-Mcs-AdmPwdExpirationTime (legacy) or msLAPS-PasswordExpirationTime
    bool computer = false;  ///< objectClass computer; false: a user account (trusted for delegation)
};
[[nodiscard]] ComputerFacts computer_from_entry(std::string_view dn,
                                                const std::vector<EntryAttribute>& attributes);

/// Enabled computers that are not DCs: how many, how many with LAPS, and the ones trusted for
/// unconstrained delegation (TRUSTED_FOR_DELEGATION without SERVER_TRUST_ACCOUNT); and every
/// enabled account so trusted, users (service accounts) included (PingCastle
/// P-UnconstrainedDelegation counts both: either receives the TGT of whoever authenticates to it).
struct ComputerEvaluation {
    std::int64_t total = 0;
    std::int64_t laps = 0;
    NamedCount unconstrained;           ///< computers
    NamedCount unconstrained_accounts;  ///< computers and users
};
[[nodiscard]] ComputerEvaluation evaluate_computers(const std::vector<ComputerFacts>& computers,
                                                    std::size_t cap = kNameCap);

/// The ad.* facts of the evaluations (names lists only for non-zero counts).
[[nodiscard]] Facts privileged_facts(const PrivilegedEvaluation& evaluation,
                                     const std::string& source);

}  // namespace lisa::ad
