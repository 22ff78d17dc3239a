// SPDX-License-Identifier: Apache-2.0
#include "lisa/probes/ad_model.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_set>

namespace lisa::ad {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
               return lower(x) == lower(y);
           });
}

std::optional<std::int64_t> to_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<bool> to_bool(std::string_view text) {
    if (iequals(text, "TRUE")) return true;
    if (iequals(text, "FALSE")) return false;
    return std::nullopt;
}

const std::vector<EntryAttribute>::value_type* find(const std::vector<EntryAttribute>& attrs,
                                                    std::string_view name) {
    for (const auto& a : attrs) {
        if (iequals(a.name, name) && !a.values.empty()) {
            return &a;
        }
    }
    return nullptr;
}

/// The RID of a domain SID "S-1-5-21-a-b-c-RID", or "" when `sid` is not one.
std::string_view domain_rid(std::string_view sid) {
    if (sid.rfind("S-1-5-21-", 0) != 0) {
        return {};
    }
    const auto dash = sid.rfind('-');
    return sid.substr(dash + 1);
}

bool older_than(const std::optional<Date>& date, Date as_of, std::int64_t days) {
    return date && (as_of.days - date->days) > days;
}

void add(NamedCount& count, const AccountFacts& account) {
    ++count.count;
    count.names.push_back(account.display_name());
}

}  // namespace

std::optional<std::string> sid_to_string(std::string_view b) {
    // revision(1) subauthority count(1) identifier authority(6, big endian) subauthorities(4 each, LE)
    if (b.size() < 8) {
        return std::nullopt;
    }
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(b[i]); };
    const std::size_t count = byte(1);
    if (byte(0) != 1 || count > 15 || b.size() != 8 + 4 * count) {
        return std::nullopt;
    }
    std::uint64_t authority = 0;
    for (std::size_t i = 2; i < 8; ++i) {
        authority = (authority << 8) | byte(i);
    }
    std::string out = "S-1-" + std::to_string(authority);
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t at = 8 + 4 * k;
        const std::uint32_t sub = static_cast<std::uint32_t>(byte(at)) |
                                  (static_cast<std::uint32_t>(byte(at + 1)) << 8) |
                                  (static_cast<std::uint32_t>(byte(at + 2)) << 16) |
                                  (static_cast<std::uint32_t>(byte(at + 3)) << 24);
        out += "-" + std::to_string(sub);
    }
    return out;
}

const std::vector<PrivilegedGroupKind>& privileged_group_kinds() {
    static const std::vector<PrivilegedGroupKind> kinds = {
        {"domain_admins", "Domain Admins", "512"},
        {"enterprise_admins", "Enterprise Admins", "519"},
        {"schema_admins", "Schema Admins", "518"},
        {"group_policy_creator_owners", "Group Policy Creator Owners", "520"},
        {"key_admins", "Key Admins", "526"},
        {"enterprise_key_admins", "Enterprise Key Admins", "527"},
        {"administrators", "Administrators", "S-1-5-32-544"},
        {"account_operators", "Account Operators", "S-1-5-32-548"},
        {"server_operators", "Server Operators", "S-1-5-32-549"},
        {"print_operators", "Print Operators", "S-1-5-32-550"},
        {"backup_operators", "Backup Operators", "S-1-5-32-551"},
    };
    return kinds;
}

const PrivilegedGroupKind* privileged_kind_of_sid(std::string_view sid) {
    const std::string_view rid = domain_rid(sid);
    for (const auto& kind : privileged_group_kinds()) {
        const std::string_view want = kind.sid;
        if (want.rfind("S-", 0) == 0 ? sid == want : (!rid.empty() && rid == want)) {
            return &kind;
        }
    }
    return nullptr;
}

bool is_protected_users_sid(std::string_view sid) { return domain_rid(sid) == kProtectedUsersRid; }

bool is_admin_sd_holder_extra_sid(std::string_view sid) {
    const std::string_view rid = domain_rid(sid);
    return rid == "516" || rid == "521" || sid == "S-1-5-32-552";
}

const char* broad_group_name(std::string_view sid) {
    const std::string_view rid = domain_rid(sid);
    if (rid == "513") return "Domain Users";
    if (rid == "514") return "Domain Guests";
    if (rid == "515") return "Domain Computers";
    return nullptr;
}

bool always_present(const PrivilegedGroupKind& kind, bool forest_root, std::int64_t domain_level) {
    const std::string_view sid = kind.sid;
    if (sid.rfind("S-", 0) == 0 || sid == "512" || sid == "520") return true;
    if (sid == "518" || sid == "519") return forest_root;
    if (sid == "526") return domain_level >= 7;
    if (sid == "527") return forest_root && domain_level >= 7;
    return false;
}

std::string privileged_groups_filter(std::string_view domain_sid) {
    std::string filter = "(&(objectClass=group)(|";
    auto add_sid = [&](std::string_view sid) { filter += "(objectSid=" + std::string(sid) + ")"; };
    for (const auto& kind : privileged_group_kinds()) {
        const std::string_view sid = kind.sid;
        add_sid(sid.rfind("S-", 0) == 0 ? std::string(sid)
                                        : std::string(domain_sid) + "-" + std::string(sid));
    }
    for (const char* rid : {"525", "516", "521", "513", "514", "515"}) {
        add_sid(std::string(domain_sid) + "-" + rid);
    }
    add_sid("S-1-5-32-552");
    filter += "(sAMAccountName=" + std::string(kDnsAdminsName) + ")))";
    return filter;
}

StringList capped_names(StringList names, std::size_t cap) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.size() > cap) {
        const std::size_t more = names.size() - cap;
        names.resize(cap);
        names.push_back("… +" + std::to_string(more) + " more");
    }
    return names;
}

PrivilegedEvaluation evaluate_privileged(
    const DirectoryModel& model, const std::vector<std::pair<std::string, std::string>>& groups,
    const std::string& protected_users_key, const PrivilegedPolicy& policy) {
    PrivilegedEvaluation e;
    std::vector<std::string> keys;
    for (const auto& [label, key] : groups) {
        e.groups.push_back(label);
        keys.push_back(key);
    }
    std::sort(e.groups.begin(), e.groups.end());
    const auto members = members_of_any(model, keys);
    const auto protected_users = protected_users_key.empty()
                                     ? std::unordered_set<const AccountFacts*>{}
                                     : members_of_any(model, {protected_users_key});
    for (const AccountFacts* a : members) {
        ++e.members;
        if (a->disabled()) {
            continue;
        }
        ++e.enabled;
        add(e.enabled_members, *a);
        const std::uint32_t uac = a->user_account_control;
        const bool in_protected = protected_users.count(a) != 0;
        if ((uac & kUacSmartcardRequired) == 0) add(e.without_smartcard, *a);
        if (!in_protected) add(e.not_protected, *a);
        if ((uac & kUacNotDelegated) == 0 && !in_protected) add(e.delegable, *a);
        if ((uac & kUacDontRequirePreauth) != 0) add(e.preauth_not_required, *a);
        if (a->has_spn && !a->computer) add(e.with_spn, *a);
        if ((uac & kUacDontExpirePassword) != 0) add(e.password_never_expires, *a);
        if (!a->pwd_last_set || older_than(a->pwd_last_set, policy.as_of, policy.password_max_age_days)) {
            add(e.password_old, *a);
        }
        if (is_stale(*a, policy.as_of, policy.stale_days)) add(e.stale, *a);
    }
    for (NamedCount* n : {&e.without_smartcard, &e.not_protected, &e.delegable,
                          &e.preauth_not_required, &e.with_spn, &e.password_never_expires,
                          &e.password_old, &e.stale, &e.enabled_members}) {
        n->names = capped_names(std::move(n->names), policy.name_cap);
    }
    return e;
}

NamedCount admin_count_orphans(const std::vector<AccountFacts>& admin_count_accounts,
                               const std::unordered_set<std::string>& protected_member_keys,
                               std::size_t cap) {
    NamedCount out;
    for (const AccountFacts& a : admin_count_accounts) {
        if (!a.admin_count || iequals(a.name, "krbtgt") ||
            protected_member_keys.count(normalize_dn(a.dn)) != 0) {
            continue;
        }
        add(out, a);
    }
    out.names = capped_names(std::move(out.names), cap);
    return out;
}

std::optional<std::int64_t> interval_days(std::string_view value) {
    const auto ticks = to_int(value);
    if (!ticks) {
        return std::nullopt;
    }
    if (*ticks == 0 || *ticks == std::numeric_limits<std::int64_t>::min()) {
        return 0;
    }
    const std::int64_t magnitude = *ticks < 0 ? -*ticks : *ticks;
    return magnitude / (10'000'000LL * 86'400LL);
}

DomainPolicy domain_policy_from_entry(const std::vector<EntryAttribute>& attrs) {
    DomainPolicy p;
    auto integer = [&](std::string_view name) -> std::optional<std::int64_t> {
        const auto* a = find(attrs, name);
        return a ? to_int(a->values.front()) : std::nullopt;
    };
    p.min_password_length = integer("minPwdLength");
    p.lockout_threshold = integer("lockoutThreshold");
    if (const auto props = integer("pwdProperties")) {
        p.complexity = (*props & 0x1) != 0;  // DOMAIN_PASSWORD_COMPLEX
    }
    if (const auto* a = find(attrs, "maxPwdAge")) {
        p.max_password_age_days = interval_days(a->values.front());
    }
    p.domain_level = integer("msDS-Behavior-Version");
    if (!p.domain_level) {
        p.domain_level = integer("domainFunctionality");
    }
    p.forest_level = integer("forestFunctionality");
    return p;
}

std::string functional_level_name(std::int64_t level) {
    switch (level) {
        case 0: return "2000";
        case 1: return "2003 interim";
        case 2: return "2003";
        case 3: return "2008";
        case 4: return "2008 R2";
        case 5: return "2012";
        case 6: return "2012 R2";
        case 7: return "2016";
        case 10: return "2025";
        default: return "level " + std::to_string(level);
    }
}

PasswordSettings pso_from_entry(std::string_view dn, const std::vector<EntryAttribute>& attrs) {
    PasswordSettings p;
    p.dn = std::string(dn);
    auto integer = [&](std::string_view name) -> std::optional<std::int64_t> {
        const auto* a = find(attrs, name);
        return a ? to_int(a->values.front()) : std::nullopt;
    };
    p.precedence = integer("msDS-PasswordSettingsPrecedence");
    p.min_length = integer("msDS-MinimumPasswordLength");
    p.lockout_threshold = integer("msDS-LockoutThreshold");
    if (const auto* a = find(attrs, "msDS-MaximumPasswordAge")) {
        p.max_age_days = interval_days(a->values.front());
    }
    if (const auto* a = find(attrs, "msDS-PasswordComplexityEnabled")) {
        p.complexity = to_bool(a->values.front());
    }
    if (const auto* a = find(attrs, "msDS-PSOAppliesTo")) {
        for (const auto v : a->values) {
            p.applies_to.push_back(normalize_dn(v));
        }
    }
    return p;
}

ComputerFacts computer_from_entry(std::string_view dn, const std::vector<EntryAttribute>& attrs) {
    ComputerFacts c;
    c.name = std::string(dn);
    if (const auto* a = find(attrs, "sAMAccountName")) {
        c.name = std::string(a->values.front());
    }
    if (const auto* a = find(attrs, "userAccountControl")) {
        if (const auto v = to_int(a->values.front())) {
            c.user_account_control = static_cast<std::uint32_t>(*v);
        }
    }
    if (const auto* a = find(attrs, "objectClass")) {
        c.computer = std::any_of(a->values.begin(), a->values.end(),
                                 [](std::string_view v) { return iequals(v, "computer"); });
    }
    // Either schema: the expiration time is set by the client on every password rotation.
    c.laps = find(attrs, "ms-Mcs-AdmPwdExpirationTime") != nullptr ||
             find(attrs, "msLAPS-PasswordExpirationTime") != nullptr;
    return c;
}

ComputerEvaluation evaluate_computers(const std::vector<ComputerFacts>& computers, std::size_t cap) {
    ComputerEvaluation e;
    for (const auto& c : computers) {
        const std::uint32_t uac = c.user_account_control;
        if ((uac & kUacAccountDisable) != 0 || (uac & kUacServerTrustAccount) != 0) {
            continue;  // disabled, or a domain controller (delegation and no LAPS are normal)
        }
        const bool delegating = (uac & kUacTrustedForDelegation) != 0;
        if (delegating) {
            ++e.unconstrained_accounts.count;
            e.unconstrained_accounts.names.push_back(c.name);
        }
        if (!c.computer) {
            continue;
        }
        ++e.total;
        if (c.laps) ++e.laps;
        if (delegating) {
            ++e.unconstrained.count;
            e.unconstrained.names.push_back(c.name);
        }
    }
    e.unconstrained.names = capped_names(std::move(e.unconstrained.names), cap);
    e.unconstrained_accounts.names = capped_names(std::move(e.unconstrained_accounts.names), cap);
    return e;
}

Facts privileged_facts(const PrivilegedEvaluation& e, const std::string& source) {
    Facts facts;
    auto put = [&](const std::string& name, Value value) {
        facts.emplace(name, probed(std::move(value), source));
    };
    auto put_named = [&](const std::string& name, const NamedCount& n) {
        put(name, n.count);
        if (n.count > 0) {
            put(name + ".accounts", n.names);
        }
    };
    put("ad.privileged.groups", e.groups);
    put("ad.privileged.members", e.members);
    put_named("ad.privileged.enabled", NamedCount{e.enabled, e.enabled_members.names});
    put_named("ad.privileged.without_smartcard", e.without_smartcard);
    put_named("ad.privileged.not_in_protected_users", e.not_protected);
    put_named("ad.privileged.delegable", e.delegable);
    put_named("ad.privileged.preauth_not_required", e.preauth_not_required);
    put_named("ad.privileged.with_spn", e.with_spn);
    put_named("ad.privileged.password_never_expires", e.password_never_expires);
    put_named("ad.privileged.password_old", e.password_old);
    put_named("ad.privileged.stale", e.stale);
    return facts;
}

}  // namespace lisa::ad
