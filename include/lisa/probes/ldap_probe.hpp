// SPDX-License-Identifier: Apache-2.0
// The ldap probe: directory hardening facts (ldap.*) and access-group facts (group.*), plus the
// pure parts it is built from (filter escaping, DN normalisation, FILETIME, range retrieval,
// account classification, nested-group expansion), which the unit tests exercise without a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/core/result.hpp"
#include "lisa/core/value.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa {

/// DNs a `group.<count>.dns` fact lists before "...truncated N more": the one cap on listed
/// accounts used everywhere (issue 14's decision: 20, as ad::kNameCap and the report's
/// kReportAccountCap). DNs name people; a scan of 20,000 accounts held up to 1,000 per count and
/// group (85 MB at 500 access groups) for facts no rule reads.
inline constexpr std::size_t kDnListCap = 20;

/// Tuning knobs; the defaults are what `lisa scan` uses.
struct LdapProbeOptions {
    /// Page size for RFC 2696 paged searches (Active Directory's MaxPageSize is 1000).
    int page_size = 1000;
    /// Up to this many distinct member accounts are looked up with OR-filter batches on
    /// distinguishedName (Active Directory, indexed); above it, every account under the base is
    /// read with one paged search and filtered in memory.
    std::size_t direct_lookup_limit = 2000;
    /// The same limit for servers whose DN filter attribute (OpenLDAP's entryDN) is evaluated by
    /// scanning the subtree once per batch.
    std::size_t scan_lookup_limit = 100;
    /// Read the accounts on a second session while the groups are expanded (the paged read
    /// is cancelled when OR lookups turn out to be enough).
    bool parallel_account_read = true;
    /// Above this many groups to expand at once (the distinct roots, or one level of nesting),
    /// every group under the base is read with its members in ONE paged search instead of one
    /// base read per group (a handful of groups in a large directory stay base reads).
    std::size_t bulk_group_threshold = 32;
    /// DNs per OR-filter batch.
    std::size_t lookup_batch = 100;
    /// The `.dns` list facts keep at most this many DNs, then a "...truncated N more" marker.
    std::size_t dn_list_cap = kDnListCap;
};

/**
 * The ldap probe (kind "ldap"). It runs once per Directory subject (its DirectoryTarget) and
 * reports, in ProbeOutput::related, the group facts of every AccessGroup subject whose
 * AccessGroupTarget belongs to that directory (the grouping its spec declares). Thread-safe: every call uses its own
 * connections and libldap handles, TLS options are set per handle, never globally.
 * The bind password is read from the target's `password_env` or `password_file` and never
 * appears in a fact, an error message or argv.
 */
[[nodiscard]] std::unique_ptr<Probe> make_ldap_probe(LdapProbeOptions options = {});

/// The facts the ldap probe publishes (also `make_ldap_probe()->spec()`).
[[nodiscard]] const ProbeSpec& ldap_probe_spec();

// ---- onboarding: `lisa discover ad` -------------------------------------------------------------

/// One group `lisa discover ad` lists, with its members after nested expansion.
struct DiscoveredGroup {
    std::string kind;  ///< "Domain Admins" … for a privileged group; "" for a pattern match
    std::string dn;
    std::int64_t members = 0;  ///< accounts, direct or nested, each once
    std::int64_t enabled = 0;
    std::int64_t unreadable = 0;  ///< members the scan account could not read (not counted above)
};

struct DiscoveredDirectory {
    bool active_directory = false;  ///< the rootDSE says AD (privileged groups are only sought there)
    std::vector<DiscoveredGroup> privileged;  ///< found by objectSid (DnsAdmins by name)
    /// Groups whose cn matches a pattern: the first `max_groups` by DN (byte order), sorted.
    std::vector<DiscoveredGroup> matched;
    std::size_t matched_total = 0;  ///< how many matched in all (more than matched.size() when cut)
    /// Privileged groups every such domain has that the SID search did not return (hidden).
    std::vector<std::string> missing_privileged;
};
/// The default of discover_directory_groups' `max_groups` (`lisa discover ad --max-groups`).
inline constexpr std::size_t kMaxDiscoveredGroups = 500;

/**
 * Binds to a directory subject exactly as the ldap probe does (simple bind over TLS or Kerberos,
 * password only from password_env/password_file) and lists its privileged groups and the groups
 * whose cn matches one of `patterns` ('*' is the only wildcard, e.g. "APP-*", "Behorighet-*"),
 * with member counts after nested expansion (members by primary group included). Of the groups
 * matching, the first `max_groups` by DN are kept (the same ones on every run, whatever order the
 * server returns them in) and `matched_total` says how many matched. Every request is bounded by
 * context.timeout; the bind password is registered with context.secrets. Error with the reason
 * (bind refused, TLS, timeout).
 */
[[nodiscard]] Result<DiscoveredDirectory> discover_directory_groups(
    const Subject& directory, const DirectoryTarget& target, const std::vector<std::string>& patterns,
    const ProbeContext& context, std::size_t max_groups = kMaxDiscoveredGroups);

// ---- pre-flight: `lisa doctor` ---------------------------------------------------------------------

/**
 * `lisa doctor`'s directory check, made exactly as the scan makes it: the configuration is read as
 * the probe reads it (a password bind over cleartext is refused before any connection), the
 * password comes from password_env/password_file (or Kerberos from the keytab), the session is
 * the scan's verified TLS session with its bind, then one paged search of the base entry (page
 * size 1) shows whether the directory allows the paged searches the scan needs. On success, what
 * worked ("bind as 'cn=…' over starttls works; paged searches allowed"); on failure, the reason
 * in the scan's own words: why TLS failed (the certificate names another host, or is not trusted —
 * from lisa's OpenSSL look), why the bind failed, or that paging is refused and what to change.
 * Every wait is bounded by context.timeout; the password is registered with context.secrets.
 */
/// One group `lisa doctor` checks on the directory's session: an access group the inventory
/// names (the caller fills `dn` and `what`), or one of the directory's mfa_groups (appended by
/// check_directory_access with `what` "MFA group").
struct GroupCheck {
    std::string what;     ///< "access group handlaggare"
    std::string dn;
    std::string problem;  ///< "" when the scan account reads it as a group (the group filter)
};

/// As above; with `groups`, also reads each group by its DN with the directory's group filter
/// (as the scan does), so a DN that names no group, or one the scan account cannot see, is
/// found before a scan. `groups` is left unchanged when the bind fails.
[[nodiscard]] Result<std::string> check_directory_access(const Subject& directory,
                                                         const DirectoryTarget& target,
                                                         const ProbeContext& context,
                                                         std::vector<GroupCheck>* groups = nullptr);

// ---- pure helpers ------------------------------------------------------------------------------

/// Escapes a value for use inside an LDAP search filter (RFC 4515: `*`, `(`, `)`, `\`, NUL).
[[nodiscard]] std::string ldap_filter_escape(std::string_view value);

/**
 * An attribute value prepared as LDAP compares it with caseIgnoreMatch (RFC 4518 string
 * preparation): Unicode NFKC_Casefold via ICU — case folding of every script, not A–Z only
 * ("ÖBERG" = "öberg"), compatibility normalization, default-ignorable code points removed (§2.2,
 * §2.3) — then insignificant space handling (§2.6.1): leading and trailing spaces dropped, inner
 * runs of spaces (and tab, CR, LF) counted as one. Bytes that are not UTF-8 are kept as they are.
 */
[[nodiscard]] std::string ldap_prep(std::string_view value);

/// Whether two attribute values match under caseIgnoreMatch: ldap_prep(a) == ldap_prep(b).
[[nodiscard]] bool ldap_values_equal(std::string_view a, std::string_view b);

/**
 * A comparison key for a DN, as LDAP's distinguishedNameMatch compares it: attribute types in
 * ASCII lower case; each value unescaped, prepared with ldap_prep() (Unicode case folding, NFKC,
 * insignificant spaces — so "CN=Öberg\, Åsa,OU=Äldreomsorg" and "cn=öberg\, åsa,ou=äldreomsorg"
 * are one key), then escaped in one form (`\2C` and `\,` both become `\,`; hex escapes of other
 * bytes become the raw byte). Member values and entry DNs of the same object get the same key;
 * group membership, nested-group cycle detection and MFA-group membership all compare these keys.
 */
[[nodiscard]] std::string normalize_dn(std::string_view dn);
/// normalize_dn() into `out` (cleared first), reusing its buffer.
void normalize_dn_into(std::string_view dn, std::string& out);

/// FILETIME "never" markers: 0 and 0x7FFFFFFFFFFFFFFF.
[[nodiscard]] bool filetime_is_never(std::int64_t filetime) noexcept;
/// Seconds since 1970-01-01 UTC for an AD FILETIME (100 ns ticks since 1601-01-01 UTC).
[[nodiscard]] std::int64_t filetime_to_unix_seconds(std::int64_t filetime) noexcept;
/// The UTC calendar day of a FILETIME; nullopt for the "never" markers.
[[nodiscard]] std::optional<Date> filetime_to_date(std::int64_t filetime) noexcept;
/// The FILETIME of midnight UTC starting `date` (for generators and tests).
[[nodiscard]] std::int64_t date_to_filetime(Date date) noexcept;
/// Parses a GeneralizedTime ("20240131120000Z", OpenLDAP `authTimestamp`) to its UTC day.
[[nodiscard]] std::optional<Date> generalized_time_to_date(std::string_view text) noexcept;

/// One AD range-retrieval chunk, parsed from an attribute description.
struct AttributeRange {
    std::string attribute;              ///< "member"
    std::uint64_t low = 0;              ///< first value index in this chunk
    std::optional<std::uint64_t> high;  ///< last index; nullopt for "*" (the final chunk)
};

/// Parses "member;range=0-1499" / "member;range=1500-*"; nullopt when there is no range option.
[[nodiscard]] std::optional<AttributeRange> parse_attribute_range(std::string_view description);

/**
 * The attribute description to request for the chunk after `chunk`
 * ("member;range=1500-*"), or nullopt when `chunk` was the last one.
 */
[[nodiscard]] std::optional<std::string> next_range_request(const AttributeRange& chunk);

/**
 * Collects one multi-valued attribute across AD range-retrieval rounds. Feed it every attribute
 * description and values of a returned entry; `next_request()` then says what to ask for next.
 */
class RangeCollector {
public:
    explicit RangeCollector(std::string attribute) : attribute_(std::move(attribute)) {}

    /// Takes the values when `description` is the attribute itself or a range of it.
    /// Returns false when the description is a range that does not continue the previous one.
    bool add(std::string_view description, const std::vector<std::string_view>& values);
    /// Call after all attributes of a response were added: the next description to request,
    /// or nullopt when complete (no range seen, or the final "*" chunk arrived).
    [[nodiscard]] std::optional<std::string> next_request();
    [[nodiscard]] std::vector<std::string>& values() noexcept { return values_; }
    /// True when a chunk did not continue the previous one, or a continuation round was empty.
    [[nodiscard]] bool failed() const noexcept { return failed_; }

private:
    std::string attribute_;
    std::vector<std::string> values_;
    std::optional<AttributeRange> last_;
    bool ranged_ = false;
    bool seen_this_round_ = false;
    bool failed_ = false;
};

/// The directory flavour from `directory.flavour`.
enum class DirectoryFlavour { ActiveDirectory, OpenLdap };

/// How account entries are classified.
struct AccountPolicy {
    DirectoryFlavour flavour = DirectoryFlavour::ActiveDirectory;
    std::string strong_auth_attribute;  ///< lower case attribute name, empty when not configured
    std::string strong_auth_value;
    std::string shared_attribute;  ///< lower case attribute name, empty when not configured
    std::string shared_value;
};

/// One attribute of an entry, as views into the search result.
struct EntryAttribute {
    std::string_view name;
    std::vector<std::string_view> values;
};

/// userAccountControl bits the probe reads ([MS-ADTS] 2.2.16).
inline constexpr std::uint32_t kUacAccountDisable = 0x2;
inline constexpr std::uint32_t kUacPasswordNotRequired = 0x20;
inline constexpr std::uint32_t kUacServerTrustAccount = 0x2000;  ///< a domain controller
inline constexpr std::uint32_t kUacDontExpirePassword = 0x10000;
inline constexpr std::uint32_t kUacSmartcardRequired = 0x40000;
inline constexpr std::uint32_t kUacTrustedForDelegation = 0x80000;  ///< unconstrained delegation
inline constexpr std::uint32_t kUacNotDelegated = 0x100000;  ///< "sensitive and cannot be delegated"
inline constexpr std::uint32_t kUacDontRequirePreauth = 0x400000;  ///< AS-REP roastable

/// What the probe keeps of one account.
struct AccountFacts {
    std::string dn;  ///< as the server returned it
    std::uint32_t user_account_control = 0;
    std::optional<Date> last_logon;  ///< nullopt: never logged on (or not recorded)
    bool strong_auth_attribute = false;
    bool shared = false;
    bool locked = false;  ///< OpenLDAP ppolicy permanent lock, counted as disabled
    // Active Directory only (absent attributes leave the defaults):
    std::string name;                   ///< sAMAccountName, else uid (RFC 4519); "" when neither was read
    std::optional<Date> pwd_last_set;   ///< nullopt: 0 (must change at next logon) or absent
    std::optional<Date> when_created;   ///< GeneralizedTime whenCreated
    bool admin_count = false;           ///< adminCount = 1 (AdminSDHolder protected once)
    bool has_spn = false;               ///< at least one servicePrincipalName
    bool computer = false;              ///< objectClass computer

    /// The name findings show: sAMAccountName, else the DN.
    [[nodiscard]] const std::string& display_name() const noexcept {
        return name.empty() ? dn : name;
    }
    /// The account name the reports show (issue 16 item 8): sAMAccountName, else uid, else the
    /// value of the DN's first RDN ("uid=anna,ou=…" → "anna"), else the DN.
    [[nodiscard]] std::string account_name() const;

    [[nodiscard]] bool disabled() const noexcept {
        return locked || (user_account_control & kUacAccountDisable) != 0;
    }
    [[nodiscard]] bool smartcard_required() const noexcept {
        return (user_account_control & kUacSmartcardRequired) != 0;
    }
};

/**
 * Builds the account facts from an entry's attributes (names compared case-insensitively):
 * userAccountControl, lastLogonTimestamp (FILETIME; for OpenLDAP also authTimestamp),
 * pwdAccountLockedTime (OpenLDAP), the configured strong-auth and shared markers, and for
 * Active Directory sAMAccountName, pwdLastSet (FILETIME), whenCreated (GeneralizedTime),
 * adminCount, servicePrincipalName (present or not) and objectClass computer.
 */
[[nodiscard]] AccountFacts account_from_entry(std::string_view dn,
                                              const std::vector<EntryAttribute>& attributes,
                                              const AccountPolicy& policy);

/// The part of a directory the group evaluation needs, keyed by normalize_dn().
struct DirectoryModel {
    std::unordered_map<std::string, AccountFacts> accounts;
    std::unordered_map<std::string, std::vector<std::string>> groups;  ///< normalised members
    /// Members read that are neither an account nor a group, by key: "contact" (or another
    /// object class that cannot log on), or "fsp:<SID>" for a foreign security principal (a
    /// well-known principal such as Authenticated Users S-1-5-11, or an account of another
    /// domain).
    std::unordered_map<std::string, std::string> others;
};

/// Well-known principals that stand for (nearly) everyone ([MS-DTYP] 2.4.2.4): Everyone
/// S-1-1-0, Anonymous S-1-5-7, Authenticated Users S-1-5-11, Interactive S-1-5-4, Network
/// S-1-5-2, Dialup S-1-5-1, Remote Interactive Logon S-1-5-14, Terminal Server User S-1-5-13.
/// Their display name, or nullptr for any other SID.
[[nodiscard]] const char* broad_principal_name(std::string_view sid);

/// A group's members expanded through nested groups.
struct GroupExpansion {
    bool exists = false;
    std::vector<const AccountFacts*> accounts;  ///< each account once, unsorted
    std::size_t nested_groups = 0;              ///< distinct groups reached below the root
    std::size_t unresolved = 0;                 ///< members that are neither account nor group
    /// Those members' normalised DNs (views into the model), unsorted: entries the scan account
    /// cannot see, deleted ones, foreign security principals, contacts.
    std::vector<std::string_view> unresolved_keys;
    /// Members that are broad well-known principals (broad_principal_name), "Name (SID)".
    std::vector<std::string> broad;
    bool cycle = false;                         ///< a group contains itself, directly or nested
};

/// Expands `group_key` (a normalize_dn() key) transitively; cycles are detected, not followed.
/// A member in DirectoryModel::others is not unresolved, except a foreign security principal of
/// another domain (S-1-5-21-…): lisa cannot judge that account.
[[nodiscard]] GroupExpansion expand_group(const DirectoryModel& model, std::string_view group_key);

/// Every account that is a direct or nested member of one of `group_keys`.
[[nodiscard]] std::unordered_set<const AccountFacts*> members_of_any(
    const DirectoryModel& model, const std::vector<std::string>& group_keys);

/// Inputs of the per-group verdicts.
struct GroupPolicy {
    Date as_of;
    std::int64_t stale_days = 90;
    std::size_t dn_list_cap = kDnListCap;
    /// False when an MFA group could not be read: the strong-auth facts are then left out.
    bool strong_auth_known = true;
};

/// The counts behind the group.* facts, with the DNs behind each count: sorted, at most
/// GroupPolicy::dn_list_cap of them, then a "...truncated N more" marker.
struct GroupEvaluation {
    bool exists = false;
    std::int64_t members = 0;
    std::int64_t enabled = 0;
    std::int64_t disabled = 0;
    std::int64_t enabled_without_strong_auth = 0;
    std::int64_t enabled_smartcard_required = 0;
    std::int64_t enabled_without_smartcard = 0;
    std::int64_t enabled_stale = 0;
    std::int64_t enabled_password_never_expires = 0;
    std::int64_t enabled_password_not_required = 0;
    std::int64_t enabled_shared = 0;
    std::int64_t nested_groups = 0;
    std::int64_t unresolved_members = 0;
    bool cycle = false;
    StringList disabled_dns;
    StringList enabled_without_strong_auth_dns;
    StringList enabled_smartcard_required_dns;
    StringList enabled_without_smartcard_dns;
    StringList enabled_stale_dns;
    StringList enabled_password_never_expires_dns;
    StringList enabled_password_not_required_dns;
    StringList enabled_shared_dns;
    /// The account names (AccountFacts::account_name) behind each non-zero count, keyed by the
    /// count's fact name without "group." ("enabled_stale"): sorted, at most ad::kNameCap (20),
    /// then "… +N more". They become the `group.<count>.accounts` facts that the report shows
    /// beside a failing count (report/document.hpp ReportFinding::accounts).
    std::map<std::string, StringList> accounts;
};

/// Stale: last logon more than stale_days before as_of; never logged on, and created more than
/// stale_days before as_of (whenCreated) or with no creation date known. One definition for the
/// access groups' and the privileged accounts' checks (issue 14 item 3).
[[nodiscard]] bool is_stale(const AccountFacts& account, Date as_of, std::int64_t stale_days);

/// Evaluates one group; `strong_members` comes from members_of_any(mfa groups).
[[nodiscard]] GroupEvaluation evaluate_group(
    const DirectoryModel& model, std::string_view group_key,
    const std::unordered_set<const AccountFacts*>& strong_members, const GroupPolicy& policy);

/// Sorts and caps a DN list: at most `cap` DNs, then "...truncated N more".
[[nodiscard]] StringList capped_dn_list(StringList dns, std::size_t cap);

/// The group.* facts of an evaluation (`.dns` lists only for non-zero counts).
[[nodiscard]] Facts group_facts(const GroupEvaluation& evaluation, const GroupPolicy& policy,
                                const std::string& source);

}  // namespace lisa
