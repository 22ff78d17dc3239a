// SPDX-License-Identifier: Apache-2.0
// The ldap probe: reads a directory subject's declared connection facts, observes the server's
// hardening (anonymous bind/read, cleartext binds, TLS) and evaluates the access groups that
// live in it. The libldap calls are in ldap_client.cpp, the verdicts in ldap_model.cpp.
#include "lisa/probes/ldap_probe.hpp"

#include <netdb.h>
#include <string.h>  // explicit_bzero

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <utility>

#include "lisa/inventory/inventory.hpp"
#include "lisa/inventory/url.hpp"
#include "lisa/probes/ad_model.hpp"
#include "lisa/probes/tls_probe.hpp"
#include "bounded_file.hpp"
#include "kerberos.hpp"
#include "ldap_client.hpp"
#include "ldap_tls.hpp"

namespace lisa {
namespace {

using ldap_detail::Connection;
using ldap_detail::ConnectSettings;
using ldap_detail::Scope;
using ldap_detail::SearchRequest;

constexpr std::size_t kPipelineWindow = 64;
/// Most AD range-retrieval requests for one group's members: 1,000 chunks of AD's 1,500 values
/// are 1.5 million members, more than any municipality has accounts.
constexpr std::size_t kMaxRangeChunks = 1'000;
/// Largest password_file read (a password, not a document).
constexpr std::size_t kMaxPasswordFileBytes = 4096;
/// Most members read one by one to tell contacts and foreign security principals from hidden
/// entries (ModelLoader::classify_others); beyond, they stay unresolved.
constexpr std::size_t kMaxOtherReads = 10'000;
constexpr const char* kAdUserFilter = "(objectClass=user)";
constexpr const char* kOpenLdapUserFilter = "(|(objectClass=person)(objectClass=posixAccount))";
constexpr const char* kAdGroupFilter = "(objectClass=group)";
constexpr const char* kOpenLdapGroupFilter =
    "(|(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

/// The bind password: wiped from memory when dropped, never printed.
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    Secret& operator=(Secret&&) = delete;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret() { wipe(); }
    [[nodiscard]] std::string_view view() const noexcept { return value_; }

private:
    void wipe() noexcept {
        if (!value_.empty()) {
            explicit_bzero(value_.data(), value_.size());
        }
        value_.clear();
    }
    std::string value_;
};

/// A directory subject's declared connection settings.
struct DirectoryConfig {
    std::string id;
    std::string url;
    std::string host;
    int port = 0;
    bool ldaps = false;
    bool starttls = false;
    std::string base_dn;
    std::string bind_dn;
    std::string password_env;
    std::string password_file;
    bool kerberos = false;  ///< SASL GSSAPI bind instead of a simple bind
    std::string keytab;     ///< empty with kerberos: the caller's credential cache
    std::string principal;
    std::string ca_file;
    bool trust_intermediates = false;
    DirectoryFlavour flavour = DirectoryFlavour::ActiveDirectory;
    bool flavour_declared = false;  ///< the inventory says which; else AD is assumed
    std::vector<std::string> mfa_groups;
    AccountPolicy accounts;
    std::int64_t stale_days = 90;
    std::int64_t privileged_password_max_age_days = 365;
    std::string user_filter;
    std::string group_filter;
};

/// Splits "attr=value"; false when there is no '=' or either side is empty.
bool split_marker(const std::string& text, std::string& attribute, std::string& value) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        return false;
    }
    attribute = to_lower(text.substr(0, eq));
    value = text.substr(eq + 1);
    return true;
}

/// The flavour, markers, thresholds and filters of a directory target into `config`.
Result<bool> read_account_settings(const DirectoryTarget& target, DirectoryConfig& config) {
    const std::string flavour = target.flavour.value_or("active_directory");
    config.flavour_declared = target.flavour.has_value();
    if (flavour == "openldap") {
        config.flavour = DirectoryFlavour::OpenLdap;
    } else if (flavour == "active_directory") {
        config.flavour = DirectoryFlavour::ActiveDirectory;
    } else {
        return Error{"unknown directory.flavour '" + flavour + "' (expected active_directory|openldap)"};
    }
    config.accounts.flavour = config.flavour;
    config.mfa_groups = target.mfa_groups;
    const std::string& strong = target.strong_auth_attribute;
    if (!strong.empty() && !split_marker(strong, config.accounts.strong_auth_attribute,
                                         config.accounts.strong_auth_value)) {
        return Error{"directory.strong_auth_attribute '" + strong + "' is not attr=value"};
    }
    const std::string& shared = target.shared_marker;
    if (!shared.empty() &&
        !split_marker(shared, config.accounts.shared_attribute, config.accounts.shared_value)) {
        return Error{"directory.shared_marker '" + shared + "' is not attr=value"};
    }
    config.stale_days = target.stale_days;
    config.privileged_password_max_age_days = target.privileged_password_max_age_days.value_or(365);
    const bool ad = config.flavour == DirectoryFlavour::ActiveDirectory;
    config.user_filter = !target.user_filter.empty() ? target.user_filter
                                                     : std::string(ad ? kAdUserFilter : kOpenLdapUserFilter);
    config.group_filter = !target.group_filter.empty() ? target.group_filter
                                                       : std::string(ad ? kAdGroupFilter : kOpenLdapGroupFilter);
    return true;
}

/// A directory's connection settings from its typed target (the inventory loader parsed the URL
/// once: host names with å, ä, ö are sent as their IDNA A-labels).
Result<DirectoryConfig> read_config(const std::string& id, const DirectoryTarget& target) {
    DirectoryConfig config;
    config.id = id;
    if (target.url.written.empty()) {
        return Error{"directory '" + id + "' has no directory.url"};
    }
    config.url = target.url.parts.ascii_url;
    config.host = target.url.parts.ascii_host;
    config.port = static_cast<int>(target.url.parts.port);
    config.ldaps = target.url.parts.scheme == "ldaps";
    config.starttls = !config.ldaps && target.starttls;
    config.base_dn = target.base_dn;
    if (config.base_dn.empty()) {
        return Error{"directory '" + id + "' has no directory.base_dn"};
    }
    config.bind_dn = target.bind_dn;
    config.password_env = target.password_env;
    config.password_file = target.password_file;
    config.kerberos = target.kerberos;
    config.keytab = target.keytab;
    config.principal = target.principal;
    config.ca_file = target.ca_file;
    config.trust_intermediates = target.trust_intermediates;
    if (auto settings = read_account_settings(target, config); !settings) {
        return settings.error();
    }
    // Before any connection: a password is never sent where it would travel unencrypted.
    if (const std::string problem = cleartext_password_bind_problem(
            config.ldaps || config.starttls, !config.kerberos && !config.bind_dn.empty());
        !problem.empty()) {
        return Error{"directory '" + config.id + "': " + problem};
    }
    return config;
}

Result<Secret> read_password(const DirectoryConfig& config) {
    if (!config.password_env.empty()) {
        const char* value = std::getenv(config.password_env.c_str());
        if (value == nullptr || *value == '\0') {
            return Error{"environment variable " + config.password_env +
                         " (directory.password_env) is not set"};
        }
        return Secret(value);
    }
    if (!config.password_file.empty()) {
        // Opened first, judged on the descriptor: a FIFO or device is refused, never waited on.
        auto content = io::read_regular_file(config.password_file, kMaxPasswordFileBytes);
        if (!content) {
            return Error{"password file (directory.password_file): " + content.error().message};
        }
        std::string text = std::move(content).value();
        if (!text.empty() && text.back() == '\n') {
            text.pop_back();
            if (!text.empty() && text.back() == '\r') {
                text.pop_back();
            }
        }
        Secret secret(std::move(text));
        if (secret.view().empty()) {
            return Error{"password file " + config.password_file + " is empty"};
        }
        return Result<Secret>{std::move(secret)};
    }
    return Error{
        "directory.bind_dn is set but neither directory.password_env nor "
        "directory.password_file"};
}

/// A password that cannot be anyone's: 32 random hex characters.
std::string throwaway_password() {
    std::random_device device;
    std::uniform_int_distribution<int> nibble(0, 15);
    std::string out = "lisa-";
    for (int i = 0; i < 32; ++i) {
        out += "0123456789abcdef"[nibble(device)];
    }
    return out;
}

/// Why `host` does not resolve (getaddrinfo's words), or "" when it does or the resolver did not
/// answer within `timeout` (getaddrinfo has no timeout: it runs on a thread left behind then).
std::string resolution_problem(const std::string& host, std::chrono::milliseconds timeout) {
    auto task = std::make_shared<std::packaged_task<std::string()>>([host] {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
        if (rc != 0) {
            return std::string(gai_strerror(rc));
        }
        ::freeaddrinfo(res);
        return std::string();
    });
    auto future = task->get_future();
    std::thread([task] { (*task)(); }).detach();
    if (future.wait_for(timeout) != std::future_status::ready) {
        return {};
    }
    return future.get();
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& part : parts) {
        out += (out.empty() ? "" : std::string(separator)) + part;
    }
    return out;
}

/**
 * Why a TLS session to the directory could not be opened, from lisa's own OpenSSL look at the
 * same endpoint (the ldap.tls.* facts; Debian's libldap uses GnuTLS and only says "Can't contact
 * LDAP server"): the certificate names another host, or is not trusted by the ca_file / system
 * store (with OpenSSL's verify error). Falls back to libldap's message when the look found
 * nothing wrong.
 */
std::string tls_failure_reason(const std::string& libldap_message, const Facts& facts) {
    std::vector<std::string> reasons;
    if (const Value* match = find_value(facts, "ldap.tls.cert.hostname_match")) {
        if (const bool* b = match->as_bool(); b != nullptr && !*b) {
            // Which certificate (issue 15): each one the directory holds that does not carry
            // its name, as it names itself (key type, CN, SANs), so IT knows which to replace.
            std::string which;
            if (const Value* v = find_value(facts, "ldap.tls.cert.hostname_mismatch")) {
                which = v->to_display();
            } else if (const Value* san = find_value(facts, "ldap.tls.cert.san")) {
                which = "SAN " + san->to_display();
            }
            reasons.push_back("the certificate names another host" +
                              (which.empty() ? std::string() : " (" + which + ")"));
        }
    }
    if (const Value* valid = find_value(facts, "ldap.tls.cert.chain_valid")) {
        if (const bool* b = valid->as_bool(); b != nullptr && !*b) {
            std::string why;
            if (const Value* v = find_value(facts, "ldap.tls.cert.verify_error")) {
                why = v->to_display();
            }
            reasons.push_back("the certificate is not trusted by directory.ca_file or the system "
                              "store" + (why.empty() ? std::string() : " (" + why + ")"));
        }
    }
    if (reasons.empty()) {
        return libldap_message;
    }
    return "tls to the directory failed: " + join(reasons, "; ");
}

// ---- access groups
// -------------------------------------------------------------------------------

/// One AccessGroup subject of this directory.
struct GroupTarget {
    int index = -1;
    std::string dn;
    std::string id;  ///< the subject's id: what messages name (a DN given by mistake can be a person's)
};

/// A directory model plus what went wrong while reading it, per group key.
struct LoadedModel {
    DirectoryModel model;
    std::unordered_map<std::string, std::string> group_errors;  ///< by normalised DN
    std::vector<std::string> warnings;
};

/// `active_directory`: the rootDSE said AD, so the privileged-access attributes are read too.
std::vector<std::string> account_attributes(const DirectoryConfig& config, bool active_directory) {
    std::vector<std::string> attrs = {"userAccountControl", "lastLogonTimestamp"};
    if (config.flavour == DirectoryFlavour::OpenLdap) {
        attrs.emplace_back("authTimestamp");
        attrs.emplace_back("pwdAccountLockedTime");
        attrs.emplace_back("uid");  // the account name the report shows (group.*.accounts)
    } else if (!active_directory) {
        attrs.emplace_back("sAMAccountName");  // likewise; with AD it is among the attributes below
    } else {
        // The privileged-access checks (ad_model.hpp).
        for (const char* a : {"sAMAccountName", "pwdLastSet", "whenCreated", "adminCount",
                              "servicePrincipalName", "objectClass"}) {
            attrs.emplace_back(a);
        }
    }
    for (const std::string* extra :
         {&config.accounts.strong_auth_attribute, &config.accounts.shared_attribute}) {
        if (!extra->empty() && std::find_if(attrs.begin(), attrs.end(), [&](const std::string& a) {
                                   return to_lower(a) == *extra;
                               }) == attrs.end()) {
            attrs.push_back(*extra);
        }
    }
    return attrs;
}

/// uniqueMember values may carry "#'0101'B" (nameAndOptionalUID); the DN is what precedes it.
std::string_view strip_optional_uid(std::string_view value) {
    const auto hash = value.rfind("#'");
    if (hash != std::string_view::npos && value.size() >= 3 && value.back() == 'B') {
        return value.substr(0, hash);
    }
    return value;
}

/// Opens another authenticated session to the same directory.
using SessionFactory = std::function<Result<Connection>()>;

/**
 * Reads every account under the base on a second session while the groups are being expanded
 * on the first, so that the whole evaluation costs little more than one paged dump of the
 * accounts (DESIGN §9). Until the member set is known every account is kept; after
 * keep_only() only members are; cancel() stops after the current page.
 */
class BackgroundAccountRead {
public:
    BackgroundAccountRead(SessionFactory open, SearchRequest request, int page_size,
                          const AccountPolicy& policy)
        : open_(std::move(open)),
          request_(std::move(request)),
          page_size_(page_size),
          policy_(policy) {}
    BackgroundAccountRead(const BackgroundAccountRead&) = delete;
    BackgroundAccountRead& operator=(const BackgroundAccountRead&) = delete;
    ~BackgroundAccountRead() {
        cancel();
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    void start() {
        thread_ = std::thread([this] { run(); });
    }

    /// From now on keep only accounts whose key is in `keys` (which must not change any more).
    void keep_only(const std::unordered_set<std::string>* keys) {
        keys_ = keys;
        state_.store(kFiltering, std::memory_order_release);
    }
    void cancel() { state_.store(kCancelled, std::memory_order_release); }

    struct Outcome {
        bool opened = false;  ///< false: no second session; the caller reads on its own
        std::string error;
        std::unordered_map<std::string, AccountFacts> accounts;
    };
    /// Waits for the read to end; call after keep_only() or cancel().
    Outcome finish() {
        if (thread_.joinable()) {
            thread_.join();
        }
        if (state_.load(std::memory_order_acquire) == kFiltering && !pruned_) {
            prune();
        }
        return std::move(outcome_);
    }

private:
    static constexpr int kCollecting = 0;
    static constexpr int kFiltering = 1;
    static constexpr int kCancelled = 2;

    void run() {
        auto session = open_();
        if (!session) {
            return;
        }
        outcome_.opened = true;
        auto read = session.value().paged_search(
            request_, page_size_,
            [this](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
                take(dn, attrs);
            },
            [this] { return state_.load(std::memory_order_acquire) == kCancelled; });
        if (!read) {
            outcome_.error = "reading accounts: " + read.error().message;
        }
    }

    void take(std::string_view dn, const std::vector<EntryAttribute>& attrs) {
        const int state = state_.load(std::memory_order_acquire);
        if (state == kCancelled) {
            return;
        }
        normalize_dn_into(dn, key_);  // reused buffer: most entries are not kept
        if (state == kFiltering) {
            if (!pruned_) {
                prune();
            }
            if (keys_->count(key_) == 0) {
                return;
            }
        }
        outcome_.accounts.emplace(key_, account_from_entry(dn, attrs, policy_));
    }

    void prune() {
        outcome_.accounts.reserve(keys_->size());
        for (auto it = outcome_.accounts.begin(); it != outcome_.accounts.end();) {
            it = keys_->count(it->first) == 0 ? outcome_.accounts.erase(it) : std::next(it);
        }
        pruned_ = true;
    }

    SessionFactory open_;
    SearchRequest request_;
    int page_size_;
    const AccountPolicy& policy_;
    std::atomic<int> state_{kCollecting};
    const std::unordered_set<std::string>* keys_ = nullptr;
    bool pruned_ = false;  // reader thread only (and finish(), after join)
    std::string key_;      // reader thread only
    Outcome outcome_;
    std::thread thread_;
};

class ModelLoader {
public:
    ModelLoader(Connection& conn, SessionFactory open_session, const DirectoryConfig& config,
                const LdapProbeOptions& options)
        : conn_(conn), open_session_(std::move(open_session)), config_(config), options_(options) {}

    /// Read the AD privileged-access attributes of every member account.
    void read_ad_attributes() { active_directory_ = true; }

    Result<LoadedModel> load(const std::vector<std::string>& root_dns) {
        base_key_ = normalize_dn(config_.base_dn);
        // The account read is the longest step (a DC answers its first page only after
        // collecting every account): it starts first, before the group listing.
        std::unique_ptr<BackgroundAccountRead> background;
        if (options_.parallel_account_read && open_session_) {
            background = std::make_unique<BackgroundAccountRead>(
                open_session_, account_search(), options_.page_size, config_.accounts);
            background->start();
        }
        std::vector<std::pair<std::string, std::string>> roots = distinct_roots(root_dns);
        if (auto groups = roots.size() > options_.bulk_group_threshold
                              ? read_all_groups("listing groups: ")
                              : list_groups();
            !groups) {
            return groups.error();
        }
        // AD indexes distinguishedName; OpenLDAP evaluates entryDN by scanning the subtree for
        // every batch, so there OR lookups only pay off for a batch or so.
        dn_attribute_ = dn_filter_attribute();
        lookup_limit_ = dn_attribute_ == "distinguishedName" ? options_.direct_lookup_limit
                                                             : options_.scan_lookup_limit;
        if (auto expanded = expand(std::move(roots)); !expanded) {
            return expanded.error();
        }
        for (const auto& [key, members] : loaded_.model.groups) {
            candidate_keys_.erase(key);
        }
        if (candidate_keys_.size() > lookup_limit_ && background) {
            background->keep_only(&candidate_keys_);
            auto outcome = background->finish();
            if (outcome.opened) {
                if (!outcome.error.empty()) {
                    return Error{outcome.error};
                }
                loaded_.model.accounts = std::move(outcome.accounts);
                if (auto rest = read_the_rest(); !rest) {
                    return rest.error();
                }
                return Result<LoadedModel>{std::move(loaded_)};
            }
        }
        background.reset();  // cancels and joins
        if (auto accounts = read_accounts(); !accounts) {
            return accounts.error();
        }
        if (auto rest = read_the_rest(); !rest) {
            return rest.error();
        }
        return Result<LoadedModel>{std::move(loaded_)};
    }

private:
    /// After the accounts under the base: those outside it, then (AD) what the members still
    /// unresolved are.
    Result<bool> read_the_rest() {
        if (auto outside = read_outside_accounts(); !outside) {
            return outside;
        }
        return active_directory_ ? classify_others() : Result<bool>{true};
    }

    /// AD: the members still neither an account nor a group, each read by its DN with any object
    /// class. A contact (no account to log on with) and a foreign security principal (a
    /// well-known principal such as Authenticated Users, or another domain's account) go to
    /// DirectoryModel::others; an entry the scan account cannot see, or whose class it cannot
    /// read, stays unresolved (expand_group counts it). At most kMaxOtherReads are read.
    Result<bool> classify_others() {
        std::set<std::string> keys;
        for (const auto& [group, members] : loaded_.model.groups) {
            for (const auto& m : members) {
                if (keys.size() < kMaxOtherReads && loaded_.model.groups.count(m) == 0 &&
                    loaded_.model.accounts.count(m) == 0) {
                    keys.insert(m);
                }
            }
        }
        if (keys.empty()) {
            return true;
        }
        const std::vector<std::string> ordered(keys.begin(), keys.end());
        std::vector<SearchRequest> requests;
        for (const auto& key : ordered) {
            // The key is the DN normalised (case-folded, escapes in one form): a DN the server
            // matches as it matches the member value.
            requests.push_back({key, Scope::Base, "(objectClass=*)", {"objectClass", "objectSid"}});
        }
        auto done = conn_.pipelined_search(
            requests, kPipelineWindow,
            [&](std::size_t r, std::string_view, const std::vector<EntryAttribute>& entry) {
                if (std::string kind = other_kind(entry); !kind.empty()) {
                    loaded_.model.others.emplace(ordered[r], std::move(kind));
                }
            },
            [](std::size_t, int) {});
        if (!done) {
            return Error{"reading members that are not accounts: " + done.error().message};
        }
        return true;
    }

    /// "fsp:<SID>" for a foreign security principal, "contact" for a contact, else "".
    static std::string other_kind(const std::vector<EntryAttribute>& entry) {
        bool fsp = false;
        bool contact = false;
        for (const auto& a : entry) {
            if (to_lower(a.name) != "objectclass") continue;
            for (const auto v : a.values) {
                fsp |= to_lower(v) == "foreignsecurityprincipal";
                contact |= to_lower(v) == "contact";
            }
        }
        if (fsp) {
            for (const auto& a : entry) {
                if (to_lower(a.name) == "objectsid" && !a.values.empty()) {
                    if (auto sid = ad::sid_to_string(a.values.front())) return "fsp:" + *sid;
                }
            }
            return {};
        }
        return contact ? "contact" : "";
    }

    /// Step 1: the DNs of every group under the base (no members yet), so member values can be
    /// told apart into groups to expand and accounts to look up.
    Result<bool> list_groups() {
        SearchRequest request{config_.base_dn, Scope::Subtree, config_.group_filter, {"1.1"}};
        auto listed =
            conn_.paged_search(request, options_.page_size,
                               [&](std::string_view dn, const std::vector<EntryAttribute>&) {
                                   group_keys_.insert(normalize_dn(dn));
                               });
        if (!listed) {
            return Error{"listing groups: " + listed.error().message};
        }
        return true;
    }

    /// What one group's read returned: its members (`member`, ranged or not; OpenLDAP's
    /// uniqueMember), and how the read ended (`code` -1: no answer yet).
    struct GroupRead {
        RangeCollector collector{"member"};
        std::vector<std::string> unique_members;
        int code = -1;
        bool found = false;

        void take(const std::vector<EntryAttribute>& attrs) {
            found = true;
            for (const auto& attr : attrs) {
                if (to_lower(attr.name) == "uniquemember") {
                    for (auto v : attr.values) {
                        unique_members.emplace_back(strip_optional_uid(v));
                    }
                } else {
                    collector.add(attr.name, attr.values);
                }
            }
        }
    };

    std::vector<std::string> member_attributes() const {
        std::vector<std::string> attrs = {"member"};
        if (config_.flavour == DirectoryFlavour::OpenLdap) {
            attrs.emplace_back("uniqueMember");
        }
        return attrs;
    }

    /// Step 1 or 2 when many groups are to be expanded: ONE paged search of every group under
    /// the base with its members, as a paged dump would (instead of a base read per group). It
    /// also lists the groups (step 1). A group whose `member` the server ranged gets the same
    /// `member;range=` follow-up as a base read would (follow_ranges). `what` prefixes an error.
    Result<bool> read_all_groups(const char* what) {
        SearchRequest request{config_.base_dn, Scope::Subtree, config_.group_filter,
                              member_attributes()};
        auto read = conn_.paged_search(
            request, options_.page_size,
            [&](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
                std::string key = normalize_dn(dn);
                group_keys_.insert(key);
                GroupRead& group = prefetched_[std::move(key)];
                group.take(attrs);
                group.code = ldap_detail::kLdapSuccess;
            });
        if (!read) {
            return Error{what + read.error().message};
        }
        all_groups_read_ = true;
        return true;
    }

    /// The roots to expand, each once: normalised key and DN as written.
    std::vector<std::pair<std::string, std::string>> distinct_roots(const std::vector<std::string>& root_dns) {
        std::vector<std::pair<std::string, std::string>> roots;
        for (const auto& dn : root_dns) {
            std::string key = normalize_dn(dn);
            if (requested_.insert(key).second) {
                roots.emplace_back(std::move(key), dn);
            }
        }
        return roots;
    }

    /// Step 2: breadth-first expansion of the groups reachable from the roots, level by level:
    /// from the paged read of every group once a level has many groups, else (and for roots that
    /// read did not return: outside the base, not a group by the filter) base reads pipelined per
    /// level. Either way the same members in the same order.
    Result<bool> expand(std::vector<std::pair<std::string, std::string>> frontier) {
        for (;;) {
            while (!frontier.empty()) {
                if (!all_groups_read_ && frontier.size() > options_.bulk_group_threshold) {
                    if (auto read = read_all_groups("reading groups: "); !read) {
                        return read.error();
                    }
                }
                auto reads = read_level(frontier);
                if (!reads) {
                    return reads.error();
                }
                frontier = absorb_level(frontier, reads.value());
            }
            if (outside_pending_.empty()) {
                break;
            }
            auto outside = expand_outside();
            if (!outside) {
                return outside.error();
            }
            frontier = std::move(outside).value();
        }
        prefetched_.clear();
        return true;
    }

    /// Whether a normalised DN lies at or below the base (the listing and account searches
    /// see it).
    [[nodiscard]] bool under_base(std::string_view key) const {
        return key.size() >= base_key_.size() && key.substr(key.size() - base_key_.size()) == base_key_ &&
               (key.size() == base_key_.size() || key[key.size() - base_key_.size() - 1] == ',');
    }

    /// Members outside the base (Administrator in CN=Users under a base of OU=Kommun; another
    /// naming context): no listing or subtree search under the base returns them, so each is
    /// read by its DN, first with the group filter. The groups found are expanded like any
    /// other (their members returned as the next level); the rest are read as accounts by
    /// read_outside_accounts(). Entries the scan account cannot see stay unresolved.
    Result<std::vector<std::pair<std::string, std::string>>> expand_outside() {
        std::vector<std::pair<std::string, std::string>> pending;
        pending.swap(outside_pending_);
        auto reads = read_level(pending);
        if (!reads) {
            return reads.error();
        }
        std::vector<std::pair<std::string, std::string>> groups;
        std::vector<GroupRead> group_reads;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            GroupRead& read = reads.value()[i];
            if (read.code == ldap_detail::kLdapSuccess && read.found) {
                group_keys_.insert(pending[i].first);
                requested_.insert(pending[i].first);
                groups.push_back(std::move(pending[i]));
                group_reads.push_back(std::move(read));
            } else {
                outside_accounts_.push_back(std::move(pending[i]));
            }
        }
        return absorb_level(groups, group_reads);
    }

    /// The accounts outside the base, each read by its DN with the user filter.
    Result<bool> read_outside_accounts() {
        if (outside_accounts_.empty()) {
            return true;
        }
        std::vector<SearchRequest> requests;
        const std::vector<std::string> attrs = account_attributes(config_, active_directory_);
        for (const auto& [key, dn] : outside_accounts_) {
            requests.push_back({dn, Scope::Base, config_.user_filter, attrs});
        }
        auto done = conn_.pipelined_search(
            requests, kPipelineWindow,
            [&](std::size_t r, std::string_view dn, const std::vector<EntryAttribute>& entry) {
                loaded_.model.accounts.emplace(outside_accounts_[r].first,
                                               account_from_entry(dn, entry, config_.accounts));
            },
            [](std::size_t, int) {});  // not found or not visible: the member stays unresolved
        if (!done) {
            return Error{"reading accounts outside the base: " + done.error().message};
        }
        return true;
    }

    /// One level's groups: taken from the paged read of every group where it returned them, the
    /// others read with pipelined base searches.
    Result<std::vector<GroupRead>> read_level(const std::vector<std::pair<std::string, std::string>>& frontier) {
        std::vector<GroupRead> reads(frontier.size());
        std::vector<SearchRequest> requests;
        std::vector<std::size_t> asked;  // request -> frontier index
        const std::vector<std::string> member_attrs = member_attributes();
        for (std::size_t i = 0; i < frontier.size(); ++i) {
            if (auto pre = prefetched_.find(frontier[i].first); pre != prefetched_.end()) {
                reads[i] = std::move(pre->second);
                prefetched_.erase(pre);
                continue;
            }
            requests.push_back({frontier[i].second, Scope::Base, config_.group_filter, member_attrs});
            asked.push_back(i);
        }
        if (requests.empty()) {
            return reads;
        }
        auto done = conn_.pipelined_search(
            requests, kPipelineWindow,
            [&](std::size_t r, std::string_view, const std::vector<EntryAttribute>& attrs) {
                reads[asked[r]].take(attrs);
            },
            [&](std::size_t r, int code) { reads[asked[r]].code = code; });
        if (!done) {
            return Error{"reading groups: " + done.error().message};
        }
        return reads;
    }

    /// Records one level's members and returns the next level: the member groups not yet asked.
    std::vector<std::pair<std::string, std::string>> absorb_level(
        const std::vector<std::pair<std::string, std::string>>& frontier, std::vector<GroupRead>& reads) {
        std::vector<std::pair<std::string, std::string>> next_frontier;
        for (std::size_t i = 0; i < frontier.size(); ++i) {
            const auto& [key, dn] = frontier[i];
            GroupRead& read = reads[i];
            if (read.code == ldap_detail::kLdapNoSuchObject || (read.code == 0 && !read.found)) {
                continue;  // not there (or not visible): the group does not exist
            }
            if (read.code != ldap_detail::kLdapSuccess) {
                loaded_.group_errors[key] =
                    "reading group '" + dn + "': " + ldap_detail::describe_result(read.code);
                continue;
            }
            if (auto ranged = follow_ranges(dn, read.collector); !ranged) {
                loaded_.group_errors[key] = ranged.error().message;
                continue;
            }
            std::vector<std::string>& members = loaded_.model.groups[key];
            auto add_member = [&](const std::string& member_dn) {
                std::string member_key = normalize_dn(member_dn);
                if (group_keys_.count(member_key) != 0) {
                    if (requested_.insert(member_key).second) {
                        next_frontier.emplace_back(member_key, member_dn);
                    }
                } else if (!under_base(member_key)) {
                    if (outside_seen_.insert(member_key).second) {
                        outside_pending_.emplace_back(member_key, member_dn);
                    }
                } else if (candidate_keys_.insert(member_key).second &&
                           candidate_dns_.size() <= lookup_limit_) {
                    candidate_dns_.emplace_back(member_key, member_dn);
                }
                members.push_back(std::move(member_key));
            };
            for (const auto& member_dn : read.collector.values()) {
                add_member(member_dn);
            }
            for (const auto& member_dn : read.unique_members) {
                add_member(member_dn);
            }
        }
        return next_frontier;
    }

    /// AD returns at most MaxValRange (1500) values of `member` at a time, as
    /// "member;range=0-1499"; ask for the next chunk until the one ending in "*".
    Result<bool> follow_ranges(const std::string& dn, RangeCollector& collector) {
        std::size_t chunks = 0;
        for (auto next = collector.next_request(); next; next = collector.next_request()) {
            if (++chunks > kMaxRangeChunks) {
                return Error{"reading members of '" + dn + "': stopped after " +
                             std::to_string(kMaxRangeChunks) +
                             " range chunks, lisa's cap (the server kept answering with partial ranges)"};
            }
            SearchRequest request{dn, Scope::Base, "(objectClass=*)", {*next}};
            auto outcome = conn_.search(
                request, 0, [&](std::string_view, const std::vector<EntryAttribute>& attrs) {
                    for (const auto& attr : attrs) {
                        collector.add(attr.name, attr.values);
                    }
                });
            if (!outcome) {
                return Error{"reading members of '" + dn + "': " + outcome.error().message};
            }
            if (outcome.value().code != ldap_detail::kLdapSuccess) {
                return Error{"reading members of '" + dn +
                             "': " + ldap_detail::describe_result(outcome.value().code)};
            }
        }
        if (collector.failed()) {
            return Error{"range retrieval of the members of '" + dn + "' was incomplete"};
        }
        return true;
    }

    SearchRequest account_search() const {
        return {config_.base_dn, Scope::Subtree, config_.user_filter, account_attributes(config_, active_directory_)};
    }

    /// Step 3: the member accounts, by OR-filter batches when few, else one paged search.
    Result<bool> read_accounts() {
        if (candidate_keys_.empty()) {
            return true;
        }
        auto keep = [&](std::string_view dn, const std::vector<EntryAttribute>& entry) {
            std::string key = normalize_dn(dn);
            if (candidate_keys_.count(key) != 0) {
                loaded_.model.accounts.emplace(std::move(key),
                                               account_from_entry(dn, entry, config_.accounts));
            }
        };
        if (candidate_keys_.size() > lookup_limit_) {
            auto read = conn_.paged_search(account_search(), options_.page_size, keep);
            if (!read) {
                return Error{"reading accounts: " + read.error().message};
            }
            return true;
        }
        const std::vector<std::string> attrs = account_attributes(config_, active_directory_);
        // Every DN goes into the filter escaped (RFC 4515): DNs carry '(', ')', '*' and '\'.
        std::vector<SearchRequest> requests;
        std::string filter;
        std::size_t in_batch = 0;
        auto flush = [&] {
            if (in_batch == 0) {
                return;
            }
            requests.push_back({config_.base_dn, Scope::Subtree,
                                "(&" + config_.user_filter + "(|" + filter + "))", attrs});
            filter.clear();
            in_batch = 0;
        };
        for (const auto& [key, dn] : candidate_dns_) {
            if (candidate_keys_.count(key) == 0) {
                continue;  // turned out to be a group
            }
            filter += "(";
            filter += dn_attribute_;
            filter += "=";
            filter += ldap_filter_escape(dn);
            filter += ")";
            if (++in_batch == std::max<std::size_t>(1, options_.lookup_batch)) {
                flush();
            }
        }
        flush();
        std::vector<int> codes(requests.size(), 0);
        auto done = conn_.pipelined_search(
            requests, kPipelineWindow,
            [&](std::size_t, std::string_view dn, const std::vector<EntryAttribute>& entry) {
                keep(dn, entry);
            },
            [&](std::size_t i, int code) { codes[i] = code; });
        if (!done) {
            return Error{"reading accounts: " + done.error().message};
        }
        for (const int code : codes) {
            if (code != ldap_detail::kLdapSuccess) {
                return Error{"reading accounts: " + ldap_detail::describe_result(code)};
            }
        }
        return true;
    }

    /// The attribute that matches an entry's own DN in a filter. AD has distinguishedName;
    /// in OpenLDAP that name is the supertype of member, seeAlso, ... and matches *references*
    /// to the DN, so there it is entryDN. The server's root DSE says which server it is
    /// (AD lists LDAP_CAP_ACTIVE_DIRECTORY_OID); the declared flavour is the fallback.
    std::string dn_filter_attribute() {
        constexpr std::string_view kActiveDirectoryCapability = "1.2.840.113556.1.4.800";
        std::optional<bool> active_directory;
        SearchRequest root_dse{"", Scope::Base, "(objectClass=*)", {"supportedCapabilities"}};
        auto read = conn_.search(root_dse, 0,
                                 [&](std::string_view, const std::vector<EntryAttribute>& attrs) {
                                     active_directory = false;
                                     for (const auto& attr : attrs) {
                                         for (const auto v : attr.values) {
                                             if (v == kActiveDirectoryCapability) {
                                                 active_directory = true;
                                             }
                                         }
                                     }
                                 });
        if (!read || !active_directory) {
            active_directory = config_.flavour == DirectoryFlavour::ActiveDirectory;
        }
        return *active_directory ? "distinguishedName" : "entryDN";
    }

    Connection& conn_;
    SessionFactory open_session_;
    const DirectoryConfig& config_;
    const LdapProbeOptions& options_;
    bool active_directory_ = false;
    LoadedModel loaded_;
    std::string dn_attribute_;
    std::size_t lookup_limit_ = 0;
    std::unordered_set<std::string> group_keys_;
    std::unordered_set<std::string> requested_;
    std::unordered_set<std::string> candidate_keys_;  ///< member values that are not groups
    /// The member values themselves, kept only while few enough for OR lookups.
    std::vector<std::pair<std::string, std::string>> candidate_dns_;
    /// The paged read of every group with its members (read_all_groups), by normalised DN,
    /// until each is expanded; empty once expand() is done.
    std::unordered_map<std::string, GroupRead> prefetched_;
    bool all_groups_read_ = false;
    std::string base_key_;  ///< normalize_dn(base_dn)
    /// Member DNs outside the base: seen once, waiting for expand_outside(), and those that
    /// turned out not to be groups (key, DN as written).
    std::unordered_set<std::string> outside_seen_;
    std::vector<std::pair<std::string, std::string>> outside_pending_;
    std::vector<std::pair<std::string, std::string>> outside_accounts_;
};

// ---- the probe
// -----------------------------------------------------------------------------------

/// An authenticated session as the inventory configures it: Kerberos, a simple bind with the
/// password, or anonymous. `tls_facts` (ldap.tls.*) explain a failed TLS connection.
Result<Connection> open_bound_session(const DirectoryConfig& config, const ConnectSettings& secure,
                                      const Secret* password,
                                      const ldap_detail::KerberosCredential* kerberos,
                                      const Facts& tls_facts) {
    const bool over_tls = config.ldaps || config.starttls;
    auto session = Connection::open(secure);
    if (!session) {
        return Error{over_tls ? tls_failure_reason(session.error().message, tls_facts)
                              : session.error().message};
    }
    if (kerberos) {
        // Inside TLS without a SASL security layer (AD refuses sealing there); on plain
        // ldap:// the bind negotiates signing and sealing.
        auto bound = session.value().gssapi_bind(kerberos->ccache(), !over_tls);
        if (!bound) {
            return bound.error();
        }
        if (bound.value() != ldap_detail::kLdapSuccess) {
            // Samba's default (ldap server require strong auth = yes) refuses every SASL
            // bind inside TLS: say what works instead.
            const std::string hint =
                over_tls && bound.value() == ldap_detail::kLdapStrongerAuthRequired
                    ? " (this DC refuses Kerberos inside TLS: use an ldap:// url without "
                      "starttls, where the Kerberos bind is sealed)"
                    : "";
            return Error{"kerberos bind" +
                         (config.principal.empty() ? std::string() : " as '" + config.principal + "'") +
                         " failed: " +
                         ldap_detail::describe_result(bound.value(), session.value().diagnostic()) +
                         hint};
        }
        return session;
    }
    auto bound = password ? session.value().simple_bind(config.bind_dn, password->view())
                          : session.value().simple_bind("", "");
    if (!bound) {
        return bound.error();
    }
    if (!over_tls && (bound.value() == ldap_detail::kLdapStrongerAuthRequired ||
                      bound.value() == ldap_detail::kLdapConfidentialityRequired)) {
        // The directory does what it should: it refuses a password sent in cleartext.
        return Error{"the directory refuses a simple bind without TLS (" +
                     ldap_detail::describe_result(bound.value()) +
                     ", as it should): configure an ldaps:// url, starttls: true, or a "
                     "Kerberos bind (directory kerberos: keytab and principal)"};
    }
    if (bound.value() != ldap_detail::kLdapSuccess) {
        // The server's diagnostic says why (AD: "data 52e" wrong password, "data 775"
        // locked). It is peer text: the engine redacts every secret from it. The bind DN is named
        // by its inventory key, not its value: this message reaches every directory rule's error
        // finding, also in SARIF and JUnit, and a DN can name a person (README "Personal data").
        return Error{std::string(config.bind_dn.empty() ? "anonymous bind" : "bind as the directory's bind_dn") +
                     " failed: " + ldap_detail::describe_result(bound.value(), session.value().diagnostic())};
    }
    return session;
}

// ---- Active Directory: privileged access and domain settings -----------------------------------

/// What the rootDSE, the domain object and the SID search say about an AD domain.
struct AdDiscovery {
    bool detected = false;  ///< rootDSE supportedCapabilities has LDAP_CAP_ACTIVE_DIRECTORY_OID
    std::string domain_nc;
    std::string domain_sid;
    ad::DomainPolicy policy;
    std::vector<std::pair<std::string, std::string>> privileged;  ///< "Domain Admins: DN", DN
    std::string protected_users_dn;
    std::vector<std::string> extra_dns;  ///< other AdminSDHolder-protected groups
    std::vector<std::pair<std::string, std::string>> broad_groups;  ///< "Domain Users", DN
    /// Privileged groups every such domain has (ad::always_present) that the SID search did not
    /// return: hidden from the scan account. Their names.
    std::vector<std::string> missing;
};

constexpr const char* kActiveDirectoryCapability = "1.2.840.113556.1.4.800";

std::string first_value(const std::vector<EntryAttribute>& attrs, std::string_view name) {
    for (const auto& a : attrs) {
        if (to_lower(a.name) == to_lower(name) && !a.values.empty()) {
            return std::string(a.values.front());
        }
    }
    return {};
}

/// The privileged groups every domain like `d` has (ad::always_present) that the SID search did
/// not return. `root_domain_nc`: the rootDSE's rootDomainNamingContext (the forest root).
std::vector<std::string> missing_privileged_groups(const AdDiscovery& d, const std::string& root_domain_nc) {
    std::vector<std::string> missing;
    const bool forest_root = root_domain_nc.empty() || normalize_dn(root_domain_nc) == normalize_dn(d.domain_nc);
    for (const auto& kind : ad::privileged_group_kinds()) {
        const std::string prefix = std::string(kind.name_en) + ": ";
        const bool found = std::any_of(d.privileged.begin(), d.privileged.end(),
                                       [&](const auto& p) { return p.first.rfind(prefix, 0) == 0; });
        if (!found && ad::always_present(kind, forest_root, d.policy.domain_level.value_or(0))) {
            missing.emplace_back(kind.name_en);
        }
    }
    return missing;
}

Result<AdDiscovery> discover_ad(Connection& conn) {
    AdDiscovery d;
    std::vector<EntryAttribute> root;
    std::vector<std::string> capabilities;
    std::int64_t forest = -1;
    std::string root_domain_nc;
    auto read = conn.search(
        {"", Scope::Base, "(objectClass=*)",
         {"supportedCapabilities", "defaultNamingContext", "rootDomainNamingContext", "domainFunctionality",
          "forestFunctionality"}},
        1, [&](std::string_view, const std::vector<EntryAttribute>& attrs) {
            root_domain_nc = first_value(attrs, "rootDomainNamingContext");
            for (const auto& a : attrs) {
                const std::string name = to_lower(a.name);
                if (name == "supportedcapabilities") {
                    for (auto v : a.values) capabilities.emplace_back(v);
                } else if (name == "defaultnamingcontext" && !a.values.empty()) {
                    d.domain_nc = std::string(a.values.front());
                } else if (name == "forestfunctionality" && !a.values.empty()) {
                    forest = std::atoll(std::string(a.values.front()).c_str());
                }
            }
        });
    if (!read) {
        return Error{"reading the rootDSE: " + read.error().message};
    }
    d.detected = std::find(capabilities.begin(), capabilities.end(), kActiveDirectoryCapability) !=
                     capabilities.end() &&
                 !d.domain_nc.empty();
    if (!d.detected) {
        return d;
    }
    auto domain = conn.search(
        {d.domain_nc, Scope::Base, "(objectClass=*)",
         {"objectSid", "minPwdLength", "lockoutThreshold", "pwdProperties", "maxPwdAge",
          "msDS-Behavior-Version"}},
        1, [&](std::string_view, const std::vector<EntryAttribute>& attrs) {
            d.policy = ad::domain_policy_from_entry(attrs);
            if (auto sid = ad::sid_to_string(first_value(attrs, "objectSid"))) {
                d.domain_sid = *sid;
            }
        });
    if (!domain) {
        return Error{"reading the domain object: " + domain.error().message};
    }
    if (forest >= 0) {
        d.policy.forest_level = forest;
    }
    if (d.domain_sid.empty()) {
        return Error{"the domain object " + d.domain_nc + " has no readable objectSid"};
    }
    auto groups = conn.paged_search(
        {d.domain_nc, Scope::Subtree, ad::privileged_groups_filter(d.domain_sid),
         {"objectSid", "sAMAccountName"}},
        1000, [&](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
            const auto sid = ad::sid_to_string(first_value(attrs, "objectSid")).value_or("");
            if (const auto* kind = ad::privileged_kind_of_sid(sid)) {
                d.privileged.emplace_back(std::string(kind->name_en) + ": " + std::string(dn),
                                          std::string(dn));
            } else if (ad::is_protected_users_sid(sid)) {
                d.protected_users_dn = std::string(dn);
            } else if (ad::is_admin_sd_holder_extra_sid(sid)) {
                d.extra_dns.emplace_back(dn);
            } else if (const char* broad = ad::broad_group_name(sid)) {
                d.broad_groups.emplace_back(broad, std::string(dn));
            } else if (to_lower(first_value(attrs, "sAMAccountName")) == "dnsadmins") {
                d.privileged.emplace_back("DnsAdmins: " + std::string(dn), std::string(dn));
            }
        });
    if (!groups) {
        return Error{"finding the privileged groups by SID: " + groups.error().message};
    }
    d.missing = missing_privileged_groups(d, root_domain_nc);
    return d;
}

/// Where the Active Directory steps below put their facts: `out`, each fact probed from `source`.
struct AdFactSink {
    Facts& out;
    const std::string& source;

    void put(const std::string& name, Value value) const { out[name] = probed(std::move(value), source); }
};

/// Domain policy and functional levels, from the rootDSE and the domain object.
void ad_domain_facts(const AdDiscovery& d, const AdFactSink& sink) {
    if (d.policy.min_password_length) sink.put("ad.domain.min_password_length", *d.policy.min_password_length);
    if (d.policy.lockout_threshold) sink.put("ad.domain.lockout_threshold", *d.policy.lockout_threshold);
    if (d.policy.complexity) sink.put("ad.domain.password_complexity", *d.policy.complexity);
    if (d.policy.max_password_age_days) sink.put("ad.domain.max_password_age_days", *d.policy.max_password_age_days);
    if (d.policy.domain_level) {
        sink.put("ad.domain.functional_level", *d.policy.domain_level);
        sink.put("ad.domain.functional_level_name", ad::functional_level_name(*d.policy.domain_level));
    }
    if (d.policy.forest_level) {
        sink.put("ad.forest.functional_level", *d.policy.forest_level);
    }
}

/// Whether the group `from` contains the group `to`, directly or nested (keys of normalize_dn).
bool reaches(const DirectoryModel& model, const std::string& from, const std::string& to) {
    std::vector<const std::string*> stack{&from};
    std::unordered_set<const std::string*> seen;
    while (!stack.empty()) {
        const auto group = model.groups.find(*stack.back());
        stack.pop_back();
        if (group == model.groups.end() || !seen.insert(&group->first).second) continue;
        for (const auto& member : group->second) {
            if (member == to) return true;
            stack.push_back(&member);
        }
    }
    return false;
}

/// What the scan account cannot read of the privileged groups: a group every such domain has
/// that the SID search did not return (AdDiscovery::missing), and members (nested included) that
/// are neither an account, a group, a contact nor a well-known principal: hidden from it by an
/// ACL, or an account of another domain (AD's link integrity keeps `member` from naming deleted
/// objects). Published as ad.privileged.unreadable_members with the DNs (and group names) in
/// .accounts; returns why the per-member checks cannot be judged ("" when everything was read).
/// The message names groups, never members: it reaches SARIF and JUnit, which leave the
/// municipality.
std::string ad_unreadable_members(const AdDiscovery& d, const DirectoryModel& model, const AdFactSink& sink) {
    std::set<std::string> unreadable;
    std::vector<std::string> groups;
    for (const auto& name : d.missing) {
        // The group by name and SID (no words: the list reaches the Swedish report as it is).
        for (const auto& kind : ad::privileged_group_kinds()) {
            const std::string_view sid = kind.sid;
            if (name == kind.name_en) {
                unreadable.insert(name + " (" + (sid.rfind("S-", 0) == 0 ? std::string(sid) : d.domain_sid + "-" + std::string(sid)) + ")");
            }
        }
        groups.push_back(name);
    }
    for (const auto& [label, dn] : d.privileged) {
        const GroupExpansion expansion = expand_group(model, normalize_dn(dn));
        if (!expansion.unresolved_keys.empty()) {
            groups.push_back(label.substr(0, label.find(':')));
        }
        unreadable.insert(expansion.unresolved_keys.begin(), expansion.unresolved_keys.end());
    }
    sink.put("ad.privileged.unreadable_members", static_cast<std::int64_t>(unreadable.size()));
    if (unreadable.empty()) {
        return {};
    }
    sink.put("ad.privileged.unreadable_members.accounts",
             ad::capped_names(StringList(unreadable.begin(), unreadable.end())));
    return std::to_string(unreadable.size()) + " privileged group(s) or member(s) of " + join(groups, ", ") +
           " could not be read by the scan account (hidden from it by an ACL, or an account of "
           "another domain): the privileged-account checks could not run. Give the scan account "
           "read access to the privileged groups and all their members; the report (AD-018) "
           "lists what it could not read";
}

/// Broad principals in the privileged groups: Everyone, Authenticated Users … as members
/// (foreign security principals), and Domain Users, Domain Guests or Domain Computers nested in
/// them (whose members by primary group are every account). Published as
/// ad.privileged.broad_members with "Group: Principal" in .accounts; `known` false (a member could
/// not be read) publishes it only when some were found.
void ad_broad_members(const AdDiscovery& d, const DirectoryModel& model, bool known, const AdFactSink& sink) {
    StringList found;
    for (const auto& [label, dn] : d.privileged) {
        const std::string group = label.substr(0, label.find(':'));
        const std::string key = normalize_dn(dn);
        for (const auto& principal : expand_group(model, key).broad) {
            found.push_back(group + ": " + principal);
        }
        for (const auto& [name, broad_dn] : d.broad_groups) {
            if (reaches(model, key, normalize_dn(broad_dn))) {
                found.push_back(group + ": " + name);
            }
        }
    }
    if (!known && found.empty()) {
        return;
    }
    sink.put("ad.privileged.broad_members", static_cast<std::int64_t>(found.size()));
    if (!found.empty()) {
        sink.put("ad.privileged.broad_members.accounts", ad::capped_names(std::move(found)));
    }
}

/// The privileged groups' members: their facts, and the enabled ones into `privileged_enabled`.
/// Returns the privileged groups' normalised DNs.
std::vector<std::string> ad_privileged_facts(const AdDiscovery& d, const DirectoryModel& model,
                                             const DirectoryConfig& config, const ProbeContext& context,
                                             const AdFactSink& sink,
                                             std::unordered_set<const AccountFacts*>& privileged_enabled) {
    ad::PrivilegedPolicy policy;
    policy.as_of = context.as_of;
    policy.stale_days = config.stale_days;
    policy.password_max_age_days = config.privileged_password_max_age_days;
    std::vector<std::pair<std::string, std::string>> keyed;
    for (const auto& [label, dn] : d.privileged) {
        keyed.emplace_back(label, normalize_dn(dn));
    }
    const std::string pu_key = d.protected_users_dn.empty() ? "" : normalize_dn(d.protected_users_dn);
    const ad::PrivilegedEvaluation evaluation = ad::evaluate_privileged(model, keyed, pu_key, policy);
    for (auto& [name, fact] : ad::privileged_facts(evaluation, sink.source)) {
        sink.out[name] = std::move(fact);
    }
    std::vector<std::string> privileged_keys;
    for (const auto& [label, key] : keyed) privileged_keys.push_back(key);
    for (const AccountFacts* a : members_of_any(model, privileged_keys)) {
        if (!a->disabled()) privileged_enabled.insert(a);
    }
    return privileged_keys;
}

/**
 * What ad_facts reads from the domain besides the model: the accounts whose primary group is
 * not a default one (added to the model's groups by add_primary_members), accounts with
 * adminCount=1, krbtgt's pwdLastSet, the computers and the users trusted for unconstrained
 * delegation, the password settings objects the scan account sees. None of it
 * depends on the model, so it is read on a session of its own while the model loads
 * (DomainReadsInBackground). The reads run in this order and stop at the first that fails:
 * `failed` is that step (kAdReadsDone when none did) and `error` why, as ad_facts reports it.
 */
struct AdDomainReads {
    static constexpr int kPrimaryGroups = 0;
    static constexpr int kAdminCount = 1;
    static constexpr int kKrbtgt = 2;
    static constexpr int kComputers = 3;
    static constexpr int kPsos = 4;
    static constexpr int kAdReadsDone = 5;

    /// An account whose primary group (primaryGroupID) is not the default one: a member of that
    /// group that the group's `member` attribute does not list ([MS-ADTS] 3.1.1.4.4 "primary
    /// group"), by the group's DN.
    struct PrimaryMember {
        std::string group_dn;
        std::string account_key;
        AccountFacts account;
    };
    std::vector<PrimaryMember> primary_members;
    std::vector<AccountFacts> admin_count;
    bool krbtgt_found = false;
    std::optional<Date> krbtgt;
    std::vector<ad::ComputerFacts> computers;
    std::vector<ad::PasswordSettings> psos;
    int failed = kAdReadsDone;
    std::string error;
};

/// The reads of AdDomainReads on `conn`, in order, until one fails. `stop` (optional) ends the
/// paged ones after the current page when the caller gave up (the outcome is then not used).
/// The RIDs of the default primary groups (Domain Users 513, Domain Computers 515, Domain
/// Controllers 516, Read-only Domain Controllers 521): nearly every account has one of them, so
/// read_primary_members() asks only for the others.
constexpr std::array<const char*, 4> kDefaultPrimaryGroupRids = {"513", "515", "516", "521"};

/// The accounts whose primary group is not a default one (few), and that group's DN.
Result<bool> read_primary_members(Connection& conn, const AdDiscovery& d, const DirectoryConfig& config,
                                  AdDomainReads& r, const std::function<bool()>& stop) {
    std::string filter = "(&(objectClass=user)";
    for (const char* rid : kDefaultPrimaryGroupRids) {
        filter += std::string("(!(primaryGroupID=") + rid + "))";
    }
    filter += ")";
    std::vector<std::string> attrs = account_attributes(config, true);
    attrs.emplace_back("primaryGroupID");
    std::vector<std::pair<std::string, AdDomainReads::PrimaryMember>> by_rid;
    auto read = conn.paged_search(
        {d.domain_nc, Scope::Subtree, filter, attrs}, 1000,
        [&](std::string_view dn, const std::vector<EntryAttribute>& entry) {
            const std::string rid = first_value(entry, "primaryGroupID");
            if (!rid.empty()) {
                by_rid.push_back({rid, {{}, normalize_dn(dn), account_from_entry(dn, entry, config.accounts)}});
            }
        }, stop);
    if (!read) {
        return read.error();
    }
    if (by_rid.empty()) {
        return true;
    }
    std::map<std::string, std::string> group_of_rid;  // RID -> group DN
    std::string sids;
    for (const auto& [rid, member] : by_rid) {
        if (group_of_rid.emplace(rid, std::string()).second) {
            sids += "(objectSid=" + d.domain_sid + "-" + ldap_filter_escape(rid) + ")";
        }
    }
    auto groups = conn.search({d.domain_nc, Scope::Subtree, "(&(objectClass=group)(|" + sids + "))", {"objectSid"}},
                              0, [&](std::string_view dn, const std::vector<EntryAttribute>& entry) {
                                  const auto sid = ad::sid_to_string(first_value(entry, "objectSid")).value_or("");
                                  const auto dash = sid.rfind('-');
                                  if (dash != std::string::npos) {
                                      group_of_rid[sid.substr(dash + 1)] = std::string(dn);
                                  }
                              });
    if (!groups) {
        return groups.error();
    }
    for (auto& [rid, member] : by_rid) {
        member.group_dn = group_of_rid[rid];
        if (!member.group_dn.empty()) {
            r.primary_members.push_back(std::move(member));
        }
    }
    return true;
}

AdDomainReads read_ad_domain(Connection& conn, const AdDiscovery& d, const DirectoryConfig& config,
                             const std::function<bool()>& stop = {}) {
    AdDomainReads r;
    if (auto primary = read_primary_members(conn, d, config, r, stop); !primary) {
        r.failed = AdDomainReads::kPrimaryGroups;
        r.error = "reading the accounts' primary groups: " + primary.error().message;
        return r;
    }
    auto admin_read = conn.paged_search(
        {d.domain_nc, Scope::Subtree, "(&(objectCategory=person)(objectClass=user)(adminCount=1))",
         {"sAMAccountName", "adminCount", "userAccountControl"}},
        1000, [&](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
            r.admin_count.push_back(account_from_entry(dn, attrs, config.accounts));
        }, stop);
    if (!admin_read) {
        r.failed = AdDomainReads::kAdminCount;
        r.error = "reading adminCount accounts: " + admin_read.error().message;
        return r;
    }
    auto krbtgt_read = conn.search(
        {d.domain_nc, Scope::Subtree, "(&(objectClass=user)(sAMAccountName=krbtgt))", {"pwdLastSet"}},
        2, [&](std::string_view, const std::vector<EntryAttribute>& attrs) {
            r.krbtgt_found = true;
            const std::string v = first_value(attrs, "pwdLastSet");
            r.krbtgt = filetime_to_date(std::atoll(v.c_str()));
        });
    if (!krbtgt_read) {
        r.failed = AdDomainReads::kKrbtgt;
        r.error = "reading krbtgt: " + krbtgt_read.error().message;
        return r;
    }
    auto computers_read = conn.paged_search(
        // Every computer, and the user accounts trusted for unconstrained delegation (the
        // bitwise-AND matching rule, [MS-ADTS] 3.1.1.3.4.4.1).
        {d.domain_nc, Scope::Subtree,
         "(|(objectClass=computer)(&(objectClass=user)(userAccountControl:1.2.840.113556.1.4.803:=524288)))",
         {"sAMAccountName", "userAccountControl", "objectClass", "ms-Mcs-AdmPwdExpirationTime",
          "msLAPS-PasswordExpirationTime"}},
        1000, [&](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
            r.computers.push_back(ad::computer_from_entry(dn, attrs));
        }, stop);
    if (!computers_read) {
        r.failed = AdDomainReads::kComputers;
        r.error = "reading computers: " + computers_read.error().message;
        return r;
    }
    // Fine-grained password policies: readable only with rights on the container (AD's default
    // gives them to Domain Admins), so what is counted is what the scan account sees.
    auto psos_read = conn.search(
        {"CN=Password Settings Container,CN=System," + d.domain_nc, Scope::OneLevel,
         "(objectClass=msDS-PasswordSettings)",
         {"msDS-PasswordSettingsPrecedence", "msDS-MinimumPasswordLength", "msDS-LockoutThreshold",
          "msDS-MaximumPasswordAge", "msDS-PasswordComplexityEnabled", "msDS-PSOAppliesTo"}},
        0, [&](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
            r.psos.push_back(ad::pso_from_entry(dn, attrs));
        });
    if (!psos_read) {
        r.failed = AdDomainReads::kPsos;
        r.error = "reading password settings objects: " + psos_read.error().message;
    }
    return r;
}

/// adminCount left on accounts no longer protected (by a privileged or AdminSDHolder group).
void ad_admin_count_facts(const AdDiscovery& d, const DirectoryModel& model,
                          const AdDomainReads& reads, const AdFactSink& sink) {
    std::vector<std::string> protected_keys;
    for (const auto& [label, dn] : d.privileged) {
        protected_keys.push_back(normalize_dn(dn));
    }
    for (const auto& dn : d.extra_dns) {
        protected_keys.push_back(normalize_dn(dn));
    }
    std::unordered_set<std::string> protected_members;
    for (const AccountFacts* a : members_of_any(model, protected_keys)) {
        protected_members.insert(normalize_dn(a->dn));
    }
    const ad::NamedCount orphans = ad::admin_count_orphans(reads.admin_count, protected_members);
    sink.put("ad.admincount_orphans", orphans.count);
    if (orphans.count > 0) sink.put("ad.admincount_orphans.accounts", orphans.names);
}

/// krbtgt's password age: every Kerberos ticket's key. Returns why it is not judged: an audit
/// date (--as-of) before the password was last set cannot be judged from today's directory.
std::string ad_krbtgt_facts(const AdDomainReads& reads, const ProbeContext& context, const AdFactSink& sink) {
    if (reads.krbtgt_found && reads.krbtgt) {
        const std::int64_t age = context.as_of.days - reads.krbtgt->days;
        if (age < 0) {
            return "krbtgt's password was set after the audit date (--as-of " + context.as_of.to_string() +
                   "): its age on that date cannot be read from today's directory";
        }
        sink.put("ad.krbtgt.password_age_days", age);
    }
    return {};
}

/// Computers: unconstrained delegation and LAPS.
void ad_computer_facts(const AdDomainReads& reads, const AdFactSink& sink) {
    const ad::ComputerEvaluation ce = ad::evaluate_computers(reads.computers);
    sink.put("ad.computers.total", ce.total);
    sink.put("ad.computers.laps", ce.laps);
    sink.put("ad.computers.laps_share",
             ce.total == 0 ? 1.0 : static_cast<double>(ce.laps) / static_cast<double>(ce.total));
    sink.put("ad.computers.unconstrained_delegation", ce.unconstrained.count);
    if (ce.unconstrained.count > 0) {
        sink.put("ad.computers.unconstrained_delegation.accounts", ce.unconstrained.names);
    }
    sink.put("ad.unconstrained_delegation", ce.unconstrained_accounts.count);
    if (ce.unconstrained_accounts.count > 0) {
        sink.put("ad.unconstrained_delegation.accounts", ce.unconstrained_accounts.names);
    }
}

/// Fine-grained password policies that apply to a privileged group.
void ad_pso_facts(const AdDomainReads& reads, const std::vector<std::string>& privileged_keys,
                  const AdFactSink& sink) {
    sink.put("ad.pso.visible", static_cast<std::int64_t>(reads.psos.size()));
    std::optional<std::int64_t> privileged_min_length;
    for (const auto& pso : reads.psos) {
        for (const auto& key : pso.applies_to) {
            if (std::find(privileged_keys.begin(), privileged_keys.end(), key) != privileged_keys.end()) {
                const std::int64_t length = pso.min_length.value_or(0);
                privileged_min_length = privileged_min_length ? std::min(*privileged_min_length, length) : length;
            }
        }
    }
    sink.put("ad.pso.privileged", privileged_min_length.has_value());
    if (privileged_min_length) sink.put("ad.pso.privileged_min_length", *privileged_min_length);
}

/// The domain-level facts and the per-member privileged facts (`privileged_enabled` receives the
/// enabled privileged accounts, for the access groups' checks). The facts of the reads before
/// the one that failed are kept; that read's error is returned, as is why membership is unknown
/// (a privileged group or member the scan account cannot read). `unjudged` receives why a check
/// that does not depend on membership is not judged (krbtgt's age before --as-of).
Result<bool> ad_facts(const AdDomainReads& reads, const AdDiscovery& d, const DirectoryModel& model,
                      const DirectoryConfig& config, const ProbeContext& context,
                      const std::string& source, Facts& out,
                      std::unordered_set<const AccountFacts*>& privileged_enabled, std::string& unjudged) {
    const AdFactSink sink{out, source};
    ad_domain_facts(d, sink);
    sink.put("ad.protected_users.exists", !d.protected_users_dn.empty());
    if (reads.failed == AdDomainReads::kPrimaryGroups) return Error{reads.error};
    // Membership the scan account could not read leaves the per-member checks (and adminCount's
    // "no longer protected") unknown; the checks that do not depend on it still run.
    const std::string unreadable = ad_unreadable_members(d, model, sink);
    ad_broad_members(d, model, unreadable.empty(), sink);
    std::vector<std::string> privileged_keys;
    if (unreadable.empty()) {
        privileged_keys = ad_privileged_facts(d, model, config, context, sink, privileged_enabled);
    } else {
        for (const auto& [label, dn] : d.privileged) privileged_keys.push_back(normalize_dn(dn));
    }
    const auto failed = [&](int step) -> std::optional<Error> {
        if (reads.failed != step) return std::nullopt;
        return Error{unreadable.empty() ? reads.error : unreadable + "; " + reads.error};
    };
    if (auto e = failed(AdDomainReads::kAdminCount)) return *e;
    if (unreadable.empty()) ad_admin_count_facts(d, model, reads, sink);
    if (auto e = failed(AdDomainReads::kKrbtgt)) return *e;
    const std::string krbtgt = ad_krbtgt_facts(reads, context, sink);
    if (auto e = failed(AdDomainReads::kComputers)) return *e;
    ad_computer_facts(reads, sink);
    if (auto e = failed(AdDomainReads::kPsos)) return *e;
    ad_pso_facts(reads, privileged_keys, sink);
    if (!krbtgt.empty()) {
        unjudged = krbtgt;  // not about membership: the access groups' facts stand
    }
    if (!unreadable.empty()) return Error{unreadable};
    return true;
}

/// Adds the accounts that are members of a group of the model through their primary group
/// (not listed in its `member`): a Domain Admin by primaryGroupID 512 is one.
void add_primary_members(const AdDomainReads& reads, DirectoryModel& model) {
    for (const auto& m : reads.primary_members) {
        const auto group = model.groups.find(normalize_dn(m.group_dn));
        if (group == model.groups.end()) {
            continue;
        }
        model.accounts.emplace(m.account_key, m.account);
        group->second.push_back(m.account_key);
    }
}

/**
 * read_ad_domain() on a session of its own, started before the model loads and collected after
 * (its reads do not depend on the model): the domain-level reads overlap the group and account
 * reads instead of following them. Every read on it is bounded by the session's timeout like
 * any other. When the session cannot be opened, take() reads on the caller's session instead,
 * as before. The destructor stops the paged reads after their current page and waits.
 */
class DomainReadsInBackground {
public:
    DomainReadsInBackground(const SessionFactory& open, const AdDiscovery& d, const DirectoryConfig& config)
        : d_(d), config_(config) {
        thread_ = std::thread([this, &open] {
            auto session = open();
            if (!session) {
                return;  // take() reads on the caller's session
            }
            opened_ = true;
            reads_ = read_ad_domain(session.value(), d_, config_, [this] { return cancelled_.load(); });
        });
    }
    DomainReadsInBackground(const DomainReadsInBackground&) = delete;
    DomainReadsInBackground& operator=(const DomainReadsInBackground&) = delete;
    ~DomainReadsInBackground() {
        cancelled_.store(true);
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    /// Waits for the reads; `fallback` is read on when the background session did not open.
    AdDomainReads take(Connection& fallback) {
        thread_.join();
        return opened_ ? std::move(reads_) : read_ad_domain(fallback, d_, config_);
    }

private:
    const AdDiscovery& d_;
    const DirectoryConfig& config_;
    std::atomic<bool> cancelled_{false};
    bool opened_ = false;  // written by the thread, read after join
    AdDomainReads reads_;
    std::thread thread_;
};

class LdapProbe final : public Probe {
public:
    explicit LdapProbe(LdapProbeOptions options) : options_(options) {}

    [[nodiscard]] const ProbeSpec& spec() const noexcept override { return ldap_probe_spec(); }

    [[nodiscard]] bool applies_to(const ProbeRequest& request) const override {
        const auto* directory = request.target<DirectoryTarget>();
        return directory != nullptr && !directory->url.written.empty();
    }

    [[nodiscard]] std::string target(const ProbeRequest& request) const override {
        const auto* directory = request.target<DirectoryTarget>();
        return directory == nullptr ? std::string() : directory->url.parts.host;
    }

    [[nodiscard]] Result<ProbeOutput> collect(const ProbeRequest& request) override;

private:
    LdapProbeOptions options_;
};

// The access groups this call serves: those whose target belongs to this directory (the
// grouping ldap_probe_spec() declares).
std::vector<GroupTarget> groups_of(const ProbeRequest& request, ProbeOutput& output) {
    std::vector<GroupTarget> targets;
    for (std::size_t i = 0; i < request.subjects.size(); ++i) {
        const int index = static_cast<int>(i);
        const auto* group = request.target_of<AccessGroupTarget>(index);
        if (group == nullptr || request.subjects[i].kind != SubjectKind::AccessGroup ||
            owner_of(request.targets[i], SubjectKind::Directory) != request.subject_index) {
            continue;
        }
        if (group->dn.empty()) {
            output.related_errors[index] = "access group '" + request.subjects[i].id + "' has no access_group.dn";
            continue;
        }
        targets.push_back(GroupTarget{index, group->dn, request.subjects[i].id});
    }
    return targets;
}

// A directory's bind credential, acquired once per call and kept only for its sessions: the
// keytab's ticket in its own in-memory cache (never KRB5CCNAME), or the password, which the run's
// redactor knows before it is sent (whatever a peer echoes of it is removed from every output);
// neither for an anonymous bind.
struct BindCredentials {
    std::optional<Secret> password;
    std::optional<ldap_detail::KerberosCredential> kerberos;

    Result<Connection> open(const DirectoryConfig& config, const ConnectSettings& secure, const Facts& tls_facts) const {
        return open_bound_session(config, secure, password ? &*password : nullptr, kerberos ? &*kerberos : nullptr,
                                  tls_facts);
    }
};

Result<BindCredentials> acquire_credentials(const DirectoryConfig& config, const ProbeContext& context) {
    BindCredentials credentials;
    if (config.kerberos) {
        auto acquired = ldap_detail::KerberosCredential::acquire(config.keytab, config.principal, config.host);
        if (!acquired) {
            return acquired.error();
        }
        credentials.kerberos.emplace(std::move(acquired).value());
    } else if (!config.bind_dn.empty()) {
        auto read = read_password(config);
        if (!read) {
            return read.error();
        }
        credentials.password.emplace(std::move(read).value());
        context.secrets->add(credentials.password->view());
    }
    return credentials;
}

// What doctor and discover need before their first bound session: the directory's settings, a
// usable ca_file, the credential and the TLS facts its sessions are checked against.
struct PreparedDirectory {
    DirectoryConfig config;
    BindCredentials credentials;
    Facts tls_facts;

    Result<Connection> open(const ProbeContext& context) const {
        const ConnectSettings secure{config.url, config.starttls, config.ca_file, true, context.timeout};
        return credentials.open(config, secure, tls_facts);
    }
};

Result<PreparedDirectory> prepare_directory(const Subject& directory, const DirectoryTarget& target,
                                           const ProbeContext& context) {
    auto read = read_config(directory.id, target);
    if (!read) {
        return read.error();
    }
    DirectoryConfig c = std::move(read).value();
    if (!c.ca_file.empty()) {
        if (const std::string problem = ca_file_problem(c.ca_file, c.trust_intermediates); !problem.empty()) {
            return Error{"directory.ca_file: " + problem};
        }
    }
    auto credentials = acquire_credentials(c, context);
    if (!credentials) {
        return credentials.error();
    }
    Facts tls_facts;
    if (c.ldaps || c.starttls) {
        ldap_detail::add_tls_facts(c.host, c.port, c.ca_file, c.trust_intermediates, c.starttls, context, tls_facts);
    }
    return PreparedDirectory{std::move(c), std::move(credentials).value(), std::move(tls_facts)};
}

/// The state one LdapProbe::collect() call hands from step to step: the directory's
/// configuration, the facts and errors gathered so far, and the access groups whose findings
/// depend on them. Each step either adds facts and lets the next run, or ends the collection
/// (a directory that cannot be reached is asked nothing more).
class DirectoryCollection {
public:
    DirectoryCollection(const DirectoryConfig& config, std::vector<GroupTarget> groups,
                        ProbeOutput output, const ProbeContext& context,
                        const LdapProbeOptions& options)
        : config_(config), groups_(std::move(groups)), output_(std::move(output)),
          context_(context), options_(options), source_("ldap " + config.url) {}

    Result<ProbeOutput> run() {
        if (!ca_file_usable() || !anonymous_session()) {
            return finish();
        }
        check_cleartext_bind();
        // 3. TLS certificate facts, from the tls probe's code.
        if (config_.ldaps || config_.starttls) {
            add_tls_facts();
        }
        access_groups();
        return finish();
    }

private:
    // A Kerberos bind over plain ldap:// that negotiated SASL confidentiality (GSS-API sealing,
    // SSF ≥ 56: RFC 4422 §3.7, the strength OpenLDAP's "security ssf=56" asks for) encrypts the
    // session as TLS would: transport "sasl".
    static constexpr unsigned kSealingSsf = 56;

    void put(const char* name, Value value) { output_.facts[name] = probed(std::move(value), source_); }

    // Every access group's error names its directory: the report joins the group's findings to
    // the directory's one cause (could_not_check.cpp), not one "other reason" per group.
    void fail_groups(const std::string& message) {
        const std::string named = message.rfind("directory '" + config_.id + "'", 0) == 0
                                      ? message
                                      : "directory '" + config_.id + "': " + message;
        for (const auto& g : groups_) {
            output_.related_errors[g.index] = named;
        }
    }

    /// The error and its cause for every group, then the observed facts.
    void fail(const std::string& message) {
        errors_.push_back(message);
        fail_groups(message);
    }

    Result<ProbeOutput> finish() {
        if (!anonymous_unverified_.empty()) {
            errors_.push_back(anonymous_unverified_);
        }
        if (!errors_.empty()) {
            output_.error = join(errors_, "; ");
            put("ldap.error", output_.error);
        }
        return Result<ProbeOutput>{std::move(output_)};
    }

    void add_tls_facts() {
        ldap_detail::add_tls_facts(config_.host, config_.port, config_.ca_file,
                                   config_.trust_intermediates, config_.starttls, context_,
                                   output_.facts);
    }

    // Facts that restate the configuration (the transport; "this endpoint speaks TLS only") are
    // only published once lisa has actually used that transport: a verified TLS session opened
    // and, where the inventory configures one, the bind on it succeeded. A directory that was
    // never reached, refused StartTLS, or that lisa could not bind to has them unknown (`error`),
    // never "passed" from what the inventory says.
    void confirm_transport(const Connection* bound = nullptr) {
        const bool over_tls = config_.ldaps || config_.starttls;
        const bool sealed = !over_tls && bound != nullptr && bound->sasl_ssf() >= kSealingSsf;
        put("ldap.transport",
            config_.ldaps ? "ldaps" : config_.starttls ? "starttls" : sealed ? "sasl" : "none");
        if (config_.ldaps) {
            put("ldap.cleartext_bind_accepted", false);  // this endpoint speaks TLS only
        }
    }

    // 0. A ca_file lisa cannot use is the inventory's problem, not the directory's: say so and
    // observe nothing (the directory's reachability is not known).
    bool ca_file_usable() {
        if (config_.ca_file.empty()) {
            return true;
        }
        const std::string problem = ca_file_problem(config_.ca_file, config_.trust_intermediates);
        if (problem.empty()) {
            return true;
        }
        errors_.push_back("directory.ca_file: could not check: " + problem);
        fail_groups("directory '" + config_.id + "' not probed: " + errors_.back());
        return false;
    }

    // 1. Anonymous session over the configured transport. No secret travels on it, so a
    // certificate that fails verification does not stop it: a bad certificate must not hide an
    // open directory. But over such a session a refusal proves nothing (whoever is in between
    // may have answered), so there only an open directory is a fact.
    bool anonymous_session() {
        const bool over_tls = config_.ldaps || config_.starttls;
        ConnectSettings anonymous_settings{config_.url, config_.starttls, config_.ca_file, over_tls,
                                           context_.timeout};
        auto anonymous = Connection::open(anonymous_settings);
        bool verified = over_tls && anonymous.has_value();
        if (!anonymous && over_tls) {
            anonymous_settings.verify_certificate = false;
            anonymous = Connection::open(anonymous_settings);
        }
        if (!anonymous) {
            unreachable(anonymous.error().message);
            return false;
        }
        put("ldap.reachable", true);
        auto anon_bind = anonymous.value().simple_bind("", "");
        if (!anon_bind) {
            // The connection broke or the server is silent: every later step would wait as long.
            errors_.push_back("anonymous bind: " + anon_bind.error().message);
            fail_groups("directory '" + config_.id + "' did not answer: " + anon_bind.error().message);
            return false;
        }
        const bool bound = anon_bind.value() == ldap_detail::kLdapSuccess;
        // Without an anonymous bind nothing can be read anonymously.
        const std::optional<bool> can_read =
            bound ? anonymous_read(anonymous.value()) : std::optional<bool>(false);
        // The rootDSE only after a read that ended cleanly (refused): after one cut at its size
        // limit a hostile peer may still be streaming, and after a timeout it would wait as long
        // again. Unread, it counts as not AD (KAT-001 judged); a bound scan's discovery of the
        // domain then says what it is.
        put("ldap.rootdse_active_directory",
            bound && can_read == false && rootdse_says_active_directory(anonymous.value()));
        const bool trusted = verified || !over_tls;
        if (bound || trusted) {
            put("ldap.anonymous_bind", bound);
        }
        if (can_read && (*can_read || trusted)) {
            put("ldap.anonymous_read", *can_read);
        }
        if (!trusted && (!bound || !can_read.value_or(true))) {
            // Said last (finish()): the TLS failure is the cause to read first.
            anonymous_unverified_ =
                "anonymous access: the directory's certificate failed verification, so its "
                "refusal of anonymous access could have come from anyone between lisa and the "
                "directory: not judged until the certificate verifies (see the TLS findings)";
        }
        return true;
    }

    /// Active Directory accepts every anonymous bind (RFC 4513 §5.1.1) and refuses anonymous
    /// operations other than reading the rootDSE unless dsHeuristics allows them; the rootDSE
    /// says which server it is (LDAP_CAP_ACTIVE_DIRECTORY_OID). KAT-001 is judged only where the
    /// bind itself is the control (not AD); KAT-002 judges AD's anonymous reads.
    static bool rootdse_says_active_directory(Connection& anonymous) {
        bool ad = false;
        auto read = anonymous.search({"", Scope::Base, "(objectClass=*)", {"supportedCapabilities"}}, 1,
                                     [&](std::string_view, const std::vector<EntryAttribute>& attrs) {
                                         for (const auto& a : attrs) {
                                             for (const auto v : a.values) ad |= v == kActiveDirectoryCapability;
                                         }
                                     });
        return read && ad;
    }

    // Refused, timed out, or no TLS at all: nothing else can be observed.
    void unreachable(const std::string& message) {
        const bool tls_failure = message.rfind("starttls", 0) == 0;
        put("ldap.reachable", tls_failure);
        // libldap says "Can't contact LDAP server" also for a name that does not resolve.
        const std::string unresolved =
            tls_failure ? std::string() : resolution_problem(config_.host, context_.timeout);
        const std::string why =
            unresolved.empty() ? message : "cannot resolve " + config_.host + ": " + unresolved;
        errors_.push_back(why);
        fail_groups("directory '" + config_.id + "' not reachable: " + why);
        if (tls_failure) {
            add_tls_facts();
        }
    }

    // With an anonymous bind, only an answer that really judges the question counts: entries
    // returned (or a size limit hit) means readable; success with none, no such object or
    // insufficient access means refused. Anything else (a referral, a timeout) leaves the fact
    // out with the reason: unknown, never "refused".
    std::optional<bool> anonymous_read(Connection& anonymous) {
        SearchRequest probe_read{config_.base_dn, Scope::Subtree, "(objectClass=*)", {"1.1"}};
        auto read =
            anonymous.search(probe_read, 1, [](std::string_view, const std::vector<EntryAttribute>&) {});
        if (!read) {
            errors_.push_back("anonymous read: " + read.error().message);
            return std::nullopt;
        }
        const int code = read.value().code;
        if (read.value().entries > 0 || code == ldap_detail::kLdapSizeLimitExceeded) {
            return true;
        }
        if (code == ldap_detail::kLdapSuccess || code == ldap_detail::kLdapNoSuchObject ||
            code == ldap_detail::kLdapInsufficientAccess || code == ldap_detail::kLdapOperationsError) {
            // Active Directory answers an anonymous search with operationsError ("a
            // successful bind must be completed on the connection"): refused, a fact.
            return false;
        }
        errors_.push_back("anonymous read: " + ldap_detail::describe_result(code));
        return std::nullopt;
    }

    // 2. Does the server process a simple bind on a connection without TLS? Only a made-up DN
    // and a throwaway password are sent, so no account gets a failed logon.
    void check_cleartext_bind() {
        if (config_.ldaps) {
            return;
        }
        ConnectSettings plain{config_.url, false, {}, false, context_.timeout};
        auto cleartext = Connection::open(plain);
        if (!cleartext) {
            errors_.push_back("cleartext bind check: " + cleartext.error().message);
            return;
        }
        const std::string decoy = "cn=lisa-cleartext-check," + config_.base_dn;
        auto rc = cleartext.value().simple_bind(decoy, throwaway_password());
        if (!rc) {
            errors_.push_back("cleartext bind check: " + rc.error().message);
        } else if (rc.value() == ldap_detail::kLdapInvalidCredentials ||
                   rc.value() == ldap_detail::kLdapSuccess) {
            put("ldap.cleartext_bind_accepted", true);
        } else if (rc.value() == ldap_detail::kLdapConfidentialityRequired ||
                   rc.value() == ldap_detail::kLdapStrongerAuthRequired) {
            put("ldap.cleartext_bind_accepted", false);
        } else {
            errors_.push_back("cleartext bind check: unexpected " +
                              ldap_detail::describe_result(rc.value()));
        }
    }

    /// Active Directory's privileged-access checks need an authenticated read of the domain.
    bool wants_ad_checks() {
        const bool authenticated = config_.kerberos || !config_.bind_dn.empty();
        if (config_.flavour_declared && config_.flavour == DirectoryFlavour::ActiveDirectory &&
            !authenticated) {
            errors_.push_back(
                "directory.flavour is active_directory but no bind is configured: the Active "
                "Directory checks need bind_dn with password_env/password_file, or kerberos");
        }
        return config_.flavour == DirectoryFlavour::ActiveDirectory && authenticated;
    }

    // 4. Access groups, over an authenticated session that insists on a valid certificate.
    void access_groups() {
        const bool ad_checks = wants_ad_checks();
        const ConnectSettings secure{config_.url, config_.starttls, config_.ca_file, true,
                                     context_.timeout};
        if (groups_.empty() && !ad_checks) {
            confirm_without_bind(secure);
            return;
        }
        // The password is read once and kept only for the sessions of this call.
        auto credentials = acquire_credentials(config_, context_);
        if (!credentials) {
            fail(credentials.error().message);
            return;
        }
        const SessionFactory open_session = [&]() -> Result<Connection> {
            return credentials.value().open(config_, secure, output_.facts);
        };
        auto session = open_session();
        if (!session) {
            fail(session.error().message);
            return;
        }
        confirm_transport(&session.value());
        std::vector<std::string> roots;
        for (const auto& g : groups_) {
            roots.push_back(g.dn);
        }
        roots.insert(roots.end(), config_.mfa_groups.begin(), config_.mfa_groups.end());
        std::optional<AdDiscovery> ad_domain;
        if (ad_checks && !discover_domain(session.value(), ad_domain, roots)) {
            return;
        }
        std::optional<DomainReadsInBackground> domain_reads;
        if (ad_domain) {
            domain_reads.emplace(open_session, *ad_domain, config_);
        }
        ModelLoader loader(session.value(), open_session, config_, options_);
        if (ad_domain) {
            loader.read_ad_attributes();
        }
        auto loaded = loader.load(roots);
        if (!loaded) {
            domain_reads.reset();  // stops and waits: nothing else touches the facts meanwhile
            fail(loaded.error().message);
            return;
        }
        std::optional<AdDomainReads> reads;
        if (domain_reads) {
            reads = domain_reads->take(session.value());
            add_primary_members(*reads, loaded.value().model);
        }
        judge_groups(ad_domain, reads, loaded.value());
    }

    /// No group to read and no AD check: only the transport is confirmed.
    void confirm_without_bind(const ConnectSettings& secure) {
        const bool over_tls = config_.ldaps || config_.starttls;
        if (!over_tls) {
            confirm_transport();  // the anonymous session above was the cleartext transport
        } else if (auto verified = Connection::open(secure); verified) {
            confirm_transport();
        } else {
            errors_.push_back(tls_failure_reason(verified.error().message, output_.facts));
        }
    }

    /// Reads the rootDSE; a detected domain adds its privileged groups to `roots`. False when
    /// the directory failed the request and is asked nothing more.
    bool discover_domain(Connection& session, std::optional<AdDiscovery>& ad_domain,
                         std::vector<std::string>& roots) {
        auto discovered = discover_ad(session);
        if (!discovered) {
            // Its first request is the rootDSE: a peer that failed it (timed out, broke the
            // connection) is not asked anything more.
            errors_.push_back("active directory checks: " + discovered.error().message);
            fail_groups(errors_.back());
            return false;
        }
        if (config_.flavour_declared && !discovered.value().detected) {
            // Declared AD, and the server does not say it is: the AD rules cannot be judged
            // (error), rather than silently not applicable.
            errors_.push_back(
                "directory.flavour is active_directory but the server's rootDSE does not "
                "announce Active Directory (supportedCapabilities lacks "
                "1.2.840.113556.1.4.800): the Active Directory checks could not run; declare "
                "flavour: openldap if this directory is not AD");
            return true;
        }
        put("ad.detected", discovered.value().detected);
        put("ldap.rootdse_active_directory", discovered.value().detected);
        if (discovered.value().detected) {
            ad_domain = std::move(discovered).value();
            for (const auto& [label, dn] : ad_domain->privileged) roots.push_back(dn);
            if (!ad_domain->protected_users_dn.empty()) roots.push_back(ad_domain->protected_users_dn);
            roots.insert(roots.end(), ad_domain->extra_dns.begin(), ad_domain->extra_dns.end());
        }
        return true;
    }

    /// The policy every access group is judged by; an unreadable or missing MFA group makes
    /// strong authentication unknown (`mfa_problem_` says why).
    GroupPolicy group_policy(const LoadedModel& loaded, std::vector<std::string>& mfa_keys) {
        GroupPolicy policy;
        policy.as_of = context_.as_of;
        policy.stale_days = config_.stale_days;
        policy.dn_list_cap = options_.dn_list_cap;
        for (const auto& dn : config_.mfa_groups) {
            std::string key = normalize_dn(dn);
            if (const auto e = loaded.group_errors.find(key); e != loaded.group_errors.end()) {
                mfa_problem_ = "mfa group unreadable: " + e->second;
            } else if (loaded.model.groups.count(key) == 0) {
                mfa_problem_ = "mfa group '" + dn + "' not found in directory as a group (" + config_.group_filter + ")";
            }
            mfa_keys.push_back(std::move(key));
        }
        if (!mfa_problem_.empty()) {
            policy.strong_auth_known = false;
            errors_.push_back(mfa_problem_);
        }
        return policy;
    }

    /// `reads` is set when `ad_domain` is.
    void judge_groups(const std::optional<AdDiscovery>& ad_domain, const std::optional<AdDomainReads>& reads,
                      const LoadedModel& loaded) {
        const DirectoryModel& model = loaded.model;
        const bool active_directory = ad_domain.has_value();  // the rootDSE said so
        std::unordered_set<const AccountFacts*> privileged_enabled;
        bool privileged_known = false;
        std::string privileged_unknown;  // why the access groups' privileged members are unknown
        if (ad_domain && reads) {
            std::string unjudged;  // a check that does not depend on membership, not judged
            auto facts = ad_facts(*reads, *ad_domain, model, config_, context_, source_,
                                  output_.facts, privileged_enabled, unjudged);
            if (!unjudged.empty()) errors_.push_back("active directory checks: " + unjudged);
            if (!facts) {
                errors_.push_back("active directory checks: " + facts.error().message);
                privileged_unknown = "directory '" + config_.id +
                                     "': which members are domain-privileged is unknown: " + facts.error().message;
            } else {
                privileged_known = true;
            }
        }
        std::vector<std::string> mfa_keys;
        const GroupPolicy policy = group_policy(loaded, mfa_keys);
        const auto strong_members = members_of_any(model, mfa_keys);
        for (const auto& g : groups_) {
            const std::string key = normalize_dn(g.dn);
            if (const auto e = loaded.group_errors.find(key); e != loaded.group_errors.end()) {
                output_.related_errors[g.index] = e->second;
                continue;
            }
            const GroupEvaluation evaluation = evaluate_group(model, key, strong_members, policy);
            output_.related[g.index] = group_facts(evaluation, policy, source_);
            if (privileged_known && evaluation.exists) {
                add_privileged_members(model, key, privileged_enabled, output_.related[g.index]);
            }
            if (!evaluation.exists) {
                // Read with the group filter: a user's DN (or any non-group) given as an access group
                // is not a group with no members, which would pass every member check.
                output_.related_errors[g.index] = "access group '" + g.id +
                                                  "': its dn is not found in directory as a group (" +
                                                  config_.group_filter + ")";
            } else if (evaluation.unresolved_members > 0 && active_directory) {
                unreadable_members(g, evaluation.unresolved_members);
            } else if (!policy.strong_auth_known) {
                output_.related_errors[g.index] =
                    mfa_problem_ + ": strong-authentication facts not collected";
            } else if (!privileged_unknown.empty()) {
                // AD-017 reads group.privileged_members: unknown, never "not applicable".
                output_.related_errors[g.index] = privileged_unknown;
            }
        }
    }

    /// An AD access group with members the scan account could not read. AD keeps `member`
    /// values pointing at existing objects (link integrity), so such a member exists: hidden from
    /// the scan account by an ACL, a foreign security principal, a contact. Its facts would judge
    /// the group without it, so only the facts about the group's shape stay and the member checks
    /// are errors with this reason. (OpenLDAP has no link integrity by default: a member value
    /// there may name an entry deleted long ago, so there the rest is judged and
    /// group.unresolved_members says how many.)
    void unreadable_members(const GroupTarget& g, std::int64_t count) {
        Facts& facts = output_.related[g.index];
        for (auto it = facts.begin(); it != facts.end();) {
            const std::string& name = it->first;
            const bool shape = name == "group.exists" || name == "group.nested_groups" ||
                               name == "group.unresolved_members" || name == "group.nesting_cycle";
            it = shape ? std::next(it) : facts.erase(it);
        }
        output_.related_errors[g.index] =
            std::to_string(count) + " member(s) of access group '" + g.id +
            "' could not be read by the scan account (hidden from it by an ACL, from another "
            "domain, or not an account): the member checks could not run. Give the scan account "
            "read access to every member";
    }

    /// The application's access group holding domain-privileged accounts (issue 14.5).
    void add_privileged_members(const DirectoryModel& model, const std::string& key,
                                const std::unordered_set<const AccountFacts*>& privileged_enabled,
                                Facts& facts) const {
        ad::NamedCount privileged, privileged_without_smartcard;
        for (const AccountFacts* a : expand_group(model, key).accounts) {
            if (privileged_enabled.count(a) == 0) continue;
            ++privileged.count;
            privileged.names.push_back(a->display_name());
            if (!a->smartcard_required()) {
                ++privileged_without_smartcard.count;
                privileged_without_smartcard.names.push_back(a->display_name());
            }
        }
        auto put_named = [&](const std::string& name, ad::NamedCount& n) {
            facts[name] = probed(n.count, source_);
            if (n.count > 0) {
                facts[name + ".accounts"] = probed(ad::capped_names(std::move(n.names)), source_);
            }
        };
        put_named("group.privileged_members", privileged);
        put_named("group.privileged_without_smartcard", privileged_without_smartcard);
    }

    const DirectoryConfig& config_;
    const std::vector<GroupTarget> groups_;
    ProbeOutput output_;
    const ProbeContext& context_;
    const LdapProbeOptions& options_;
    const std::string source_;
    std::vector<std::string> errors_;
    std::string mfa_problem_;
    std::string anonymous_unverified_;  ///< why a refusal of anonymous access is not judged
};

Result<ProbeOutput> LdapProbe::collect(const ProbeRequest& request) {
    ProbeOutput output;
    std::vector<GroupTarget> groups = groups_of(request, output);
    const auto* directory = request.target<DirectoryTarget>();
    if (directory == nullptr) {
        return Error{"not a directory"};
    }
    auto config_result = read_config(request.subject.id, *directory);
    if (!config_result) {
        for (const auto& g : groups) {
            output.related_errors[g.index] = config_result.error().message;
        }
        return config_result.error();
    }
    DirectoryCollection collection(config_result.value(), std::move(groups), std::move(output),
                                   request.context, options_);
    return collection.run();
}

}  // namespace

namespace {

/// Reads each group of `groups` by its DN with the group filter on `session`.
Result<bool> check_groups(Connection& session, const DirectoryConfig& config, std::vector<GroupCheck>& groups) {
    for (const auto& dn : config.mfa_groups) {
        groups.push_back({"MFA group", dn, {}});
    }
    std::vector<SearchRequest> requests;
    for (const auto& g : groups) {
        requests.push_back({g.dn, Scope::Base, config.group_filter, {"1.1"}});
    }
    std::vector<bool> found(groups.size(), false);
    std::vector<int> codes(groups.size(), -1);
    auto done = session.pipelined_search(
        requests, kPipelineWindow,
        [&](std::size_t r, std::string_view, const std::vector<EntryAttribute>&) { found[r] = true; },
        [&](std::size_t r, int code) { codes[r] = code; });
    if (!done) {
        return Error{"reading the groups: " + done.error().message};
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (found[i]) continue;
        groups[i].problem =
            codes[i] == ldap_detail::kLdapSuccess || codes[i] == ldap_detail::kLdapNoSuchObject
                ? "not found in directory as a group (" + config.group_filter +
                      "), or hidden from the scan account"
                : ldap_detail::describe_result(codes[i]);
    }
    return true;
}

}  // namespace

Result<std::string> check_directory_access(const Subject& directory, const DirectoryTarget& target,
                                           const ProbeContext& context, std::vector<GroupCheck>* groups) {
    auto prepared = prepare_directory(directory, target, context);
    if (!prepared) {
        return prepared.error();
    }
    PreparedDirectory& ready = prepared.value();
    const DirectoryConfig& config = ready.config;
    auto session = ready.open(context);
    if (!session) {
        return session.error();
    }
    auto paged = session.value().paged_search(
        {config.base_dn, Scope::Base, "(objectClass=*)", {"1.1"}}, 1,
        [](std::string_view, const std::vector<EntryAttribute>&) {});
    if (!paged) {
        return Error{"a paged search (as the scan makes) failed: " + paged.error().message};
    }
    if (groups != nullptr) {
        if (auto checked = check_groups(session.value(), config, *groups); !checked) {
            return checked.error();
        }
    }
    const std::string who = config.kerberos ? "kerberos bind" + (config.principal.empty() ? std::string()
                                                                   : " as " + config.principal)
                            : config.bind_dn.empty() ? std::string("anonymous bind")
                                                     : "bind as " + config.bind_dn;
    const std::string over = config.ldaps ? "ldaps" : config.starttls ? "starttls" : "ldap without TLS";
    return who + " works (" + over + "; paged searches allowed)";
}

namespace {

/// The groups under the base whose cn matches one of `patterns`: the first `max_groups` by DN
/// into out.matched, how many matched in all into out.matched_total.
Result<bool> match_groups(Connection& session, const DirectoryConfig& config, const std::vector<std::string>& patterns,
                          std::size_t max_groups, DiscoveredDirectory& out) {
    if (patterns.empty()) {
        return true;
    }
    // cn patterns: every character but '*' is matched literally (RFC 4515 escaped).
    std::string filter;
    for (const auto& pattern : patterns) {
        std::string escaped;
        std::size_t from = 0;
        for (std::size_t star = pattern.find('*'); ; star = pattern.find('*', from)) {
            escaped += ldap_filter_escape(pattern.substr(from, star == std::string::npos ? std::string::npos : star - from));
            if (star == std::string::npos) break;
            escaped += '*';
            from = star + 1;
        }
        filter += "(cn=" + escaped + ")";
    }
    // The first max_groups DNs in byte order, kept in a max-heap of that size: the same groups
    // on every run, in memory bounded by max_groups whatever matches.
    std::priority_queue<std::string> first;
    auto matched = session.paged_search(
        {config.base_dn, Scope::Subtree, "(&" + config.group_filter + "(|" + filter + "))", {"1.1"}},
        1000, [&](std::string_view dn, const std::vector<EntryAttribute>&) {
            ++out.matched_total;
            if (first.size() < max_groups) {
                first.emplace(dn);
            } else if (dn < first.top()) {
                first.pop();
                first.emplace(dn);
            }
        });
    if (!matched) {
        return Error{"finding groups matching the patterns: " + matched.error().message};
    }
    for (; !first.empty(); first.pop()) out.matched.push_back({"", first.top(), 0, 0});
    std::reverse(out.matched.begin(), out.matched.end());
    return true;
}

}  // namespace

Result<DiscoveredDirectory> discover_directory_groups(const Subject& directory, const DirectoryTarget& target,
                                                      const std::vector<std::string>& patterns,
                                                      const ProbeContext& context, std::size_t max_groups) {
    auto prepared = prepare_directory(directory, target, context);
    if (!prepared) {
        return prepared.error();
    }
    PreparedDirectory& ready = prepared.value();
    const DirectoryConfig& config = ready.config;
    const SessionFactory open_session = [&]() -> Result<Connection> { return ready.open(context); };
    auto session = open_session();
    if (!session) {
        return session.error();
    }
    DiscoveredDirectory out;
    std::vector<std::string> roots;
    std::optional<AdDiscovery> ad_domain;
    if (config.flavour == DirectoryFlavour::ActiveDirectory) {
        auto domain = discover_ad(session.value());
        if (!domain) {
            return domain.error();
        }
        out.active_directory = domain.value().detected;
        out.missing_privileged = domain.value().missing;
        if (out.active_directory) ad_domain = domain.value();
        for (const auto& [label, dn] : domain.value().privileged) {
            out.privileged.push_back({label.substr(0, label.find(": ")), dn, 0, 0});
            roots.push_back(dn);
        }
    }
    if (auto matched = match_groups(session.value(), config, patterns, max_groups, out); !matched) {
        return matched.error();
    }
    for (const auto& g : out.matched) roots.push_back(g.dn);
    if (roots.empty()) {
        return out;
    }
    LdapProbeOptions options;
    ModelLoader loader(session.value(), open_session, config, options);
    if (ad_domain) {
        loader.read_ad_attributes();
    }
    auto loaded = loader.load(roots);
    if (!loaded) {
        return loaded.error();
    }
    if (ad_domain) {
        AdDomainReads reads;
        if (auto primary = read_primary_members(session.value(), *ad_domain, config, reads, {}); !primary) {
            return Error{"reading the accounts' primary groups: " + primary.error().message};
        }
        add_primary_members(reads, loaded.value().model);
    }
    for (auto* list : {&out.privileged, &out.matched}) {
        for (auto& g : *list) {
            const GroupExpansion e = expand_group(loaded.value().model, normalize_dn(g.dn));
            g.members = static_cast<std::int64_t>(e.accounts.size());
            g.enabled = static_cast<std::int64_t>(std::count_if(
                e.accounts.begin(), e.accounts.end(), [](const AccountFacts* a) { return !a->disabled(); }));
            g.unreadable = static_cast<std::int64_t>(e.unresolved);
        }
    }
    return out;
}

std::unique_ptr<Probe> make_ldap_probe(LdapProbeOptions options) {
    return std::make_unique<LdapProbe>(options);
}

namespace {

/// One row of the ldap probe's fact table. `with_accounts`: a count that also publishes
/// `<name>.accounts`, the sAMAccountNames behind it (ad_model.hpp caps them).
struct LdapFactRow {
    const char* name;
    ValueType type;
    const char* meaning;
    bool with_accounts = false;
};

/// The session facts, published before the TLS facts of ldap_tls_fact_specs().
const LdapFactRow kSessionFacts[] = {
    {"ldap.reachable", ValueType::Bool,
     "an LDAP session could be opened over the configured transport"},
    {"ldap.error", ValueType::String, "why some ldap facts could not be collected"},
    {"ldap.transport", ValueType::String,
     "the transport lisa used: ldaps, starttls, sasl (plain ldap:// sealed by a Kerberos bind's "
     "SASL security layer, SSF >= 56) or none"},
    {"ldap.anonymous_bind", ValueType::Bool, "an anonymous simple bind succeeds"},
    {"ldap.rootdse_active_directory", ValueType::Bool,
     "the rootDSE, read on the anonymous session, announces Active Directory "
     "(1.2.840.113556.1.4.800): AD accepts every anonymous bind, so KAT-001 does not apply"},
    {"ldap.anonymous_read", ValueType::Bool,
     "an anonymous session can read entries under the base DN"},
    {"ldap.cleartext_bind_accepted", ValueType::Bool,
     "a simple bind on an unencrypted connection is processed (a wrong password gets "
     "invalidCredentials)"},
};

/// The access-group facts, then Active Directory's (ad_model.hpp): those only with a bind and
/// only when the rootDSE says AD.
const LdapFactRow kGroupAndDomainFacts[] = {
    {"group.exists", ValueType::Bool, "the access group's DN exists in the directory"},
    {"group.members", ValueType::Integer, "accounts that are direct or nested members, each once"},
    {"group.enabled", ValueType::Integer, "enabled member accounts"},
    {"group.disabled", ValueType::Integer, "disabled member accounts (userAccountControl 0x2)"},
    {"group.enabled_without_strong_auth", ValueType::Integer,
     "enabled members with neither smartcard-required, MFA-group membership nor the "
     "strong-auth attribute"},
    {"group.enabled_smartcard_required", ValueType::Integer,
     "enabled members with smartcard required (userAccountControl 0x40000)"},
    {"group.enabled_without_smartcard", ValueType::Integer,
     "enabled members without smartcard required (for privileged groups)"},
    {"group.enabled_stale", ValueType::Integer,
     "enabled members never logged on or last logon older than directory.stale_days"},
    {"group.enabled_password_never_expires", ValueType::Integer,
     "enabled members whose password never expires (userAccountControl 0x10000)"},
    {"group.enabled_password_not_required", ValueType::Integer,
     "enabled members that need no password (userAccountControl 0x20)"},
    {"group.enabled_shared", ValueType::Integer, "enabled members marked as shared accounts"},
    {"group.strong_auth_share", ValueType::Number,
     "share (0-1) of enabled members that use strong authentication; 1 with no enabled "
     "member"},
    {"group.nested_groups", ValueType::Integer, "distinct groups nested below the access group"},
    {"group.unresolved_members", ValueType::Integer,
     "member values that are neither an account under the base nor a group"},
    {"group.nesting_cycle", ValueType::Bool, "the group contains itself through nesting"},
    {"group.privileged_members", ValueType::Integer,
     "enabled members that are also (nested) members of an AD privileged group (found by "
     "SID)"},
    {"group.privileged_members.accounts", ValueType::List,
     "sAMAccountNames behind group.privileged_members (at most 20, then '… +N more')"},
    {"group.privileged_without_smartcard", ValueType::Integer,
     "of those, accounts without smart card required"},
    {"group.privileged_without_smartcard.accounts", ValueType::List,
     "sAMAccountNames behind group.privileged_without_smartcard (capped)"},
    {"ad.detected", ValueType::Bool,
     "the directory is Active Directory (rootDSE supportedCapabilities 1.2.840.113556.1.4.800)"},
    {"ad.privileged.groups", ValueType::List,
     "the privileged groups found by objectSid (and DnsAdmins by name), 'Kind: DN'"},
    {"ad.privileged.members", ValueType::Integer,
     "accounts in any privileged group after nested expansion, each once"},
    {"ad.privileged.enabled", ValueType::Integer, "enabled privileged accounts", true},
    {"ad.privileged.without_smartcard", ValueType::Integer,
     "enabled privileged accounts without smart card required (userAccountControl 0x40000)", true},
    {"ad.privileged.not_in_protected_users", ValueType::Integer,
     "enabled privileged accounts not in Protected Users (…-525)", true},
    {"ad.privileged.delegable", ValueType::Integer,
     "enabled privileged accounts that can be delegated (neither 0x100000 nor Protected Users)", true},
    {"ad.privileged.preauth_not_required", ValueType::Integer,
     "enabled privileged accounts without Kerberos pre-authentication (0x400000, AS-REP roastable)", true},
    {"ad.privileged.with_spn", ValueType::Integer,
     "enabled privileged user accounts with a servicePrincipalName (Kerberoastable)", true},
    {"ad.privileged.password_never_expires", ValueType::Integer,
     "enabled privileged accounts whose password never expires (0x10000)", true},
    {"ad.privileged.password_old", ValueType::Integer,
     "enabled privileged accounts whose pwdLastSet is older than "
     "directory.privileged_password_max_age_days (default 365)", true},
    {"ad.privileged.stale", ValueType::Integer,
     "enabled privileged accounts not logged on for directory.stale_days, or never "
     "logged on and created longer ago than that", true},
    {"ad.privileged.unreadable_members", ValueType::Integer,
     "privileged groups every domain has that the SID search did not return, and members of the "
     "privileged groups (nested included) the scan account cannot read (neither account, group, "
     "contact nor well-known principal): while non-zero the per-member ad.privileged.* checks are "
     "not judged; .accounts lists the DNs", true},
    {"ad.privileged.broad_members", ValueType::Integer,
     "broad principals in a privileged group: Everyone, Authenticated Users, Anonymous … (foreign "
     "security principals), or Domain Users/Guests/Computers nested; .accounts lists 'Group: "
     "Principal'", true},
    {"ad.admincount_orphans", ValueType::Integer,
     "accounts with adminCount=1 that are in no privileged or AdminSDHolder-protected "
     "group (krbtgt excepted)", true},
    {"ad.protected_users.exists", ValueType::Bool, "the domain has Protected Users (…-525)"},
    {"ad.domain.min_password_length", ValueType::Integer, "domain object minPwdLength"},
    {"ad.domain.lockout_threshold", ValueType::Integer,
     "domain object lockoutThreshold (0: never locks out)"},
    {"ad.domain.password_complexity", ValueType::Bool, "pwdProperties DOMAIN_PASSWORD_COMPLEX"},
    {"ad.domain.max_password_age_days", ValueType::Integer,
     "domain object maxPwdAge in days (0: never expires)"},
    {"ad.domain.functional_level", ValueType::Integer, "domain msDS-Behavior-Version"},
    {"ad.domain.functional_level_name", ValueType::String, "e.g. '2008 R2', '2016'"},
    {"ad.forest.functional_level", ValueType::Integer, "rootDSE forestFunctionality"},
    {"ad.krbtgt.password_age_days", ValueType::Integer,
     "days between krbtgt's pwdLastSet and the audit date"},
    {"ad.computers.total", ValueType::Integer, "enabled computer accounts other than DCs"},
    {"ad.computers.laps", ValueType::Integer,
     "of those, with a LAPS password (ms-Mcs-AdmPwdExpirationTime or "
     "msLAPS-PasswordExpirationTime)"},
    {"ad.computers.laps_share", ValueType::Number, "ad.computers.laps / total (1 with none)"},
    {"ad.computers.unconstrained_delegation", ValueType::Integer,
     "computers other than DCs trusted for unconstrained delegation (0x80000)", true},
    {"ad.unconstrained_delegation", ValueType::Integer,
     "enabled accounts other than DCs, computers and users, trusted for unconstrained delegation "
     "(0x80000)", true},
    {"ad.pso.visible", ValueType::Integer,
     "fine-grained password settings objects the scan account can read"},
    {"ad.pso.privileged", ValueType::Bool, "a visible PSO applies to a privileged group"},
    {"ad.pso.privileged_min_length", ValueType::Integer,
     "the smallest minimum length of the PSOs applying to privileged groups"},
};

/// The counts of group_facts() whose accounts (`.accounts`) and DNs (`.dns`) are listed.
const char* const kListedGroupCounts[] = {
    "group.disabled", "group.enabled_without_strong_auth", "group.enabled_smartcard_required",
    "group.enabled_without_smartcard", "group.enabled_stale", "group.enabled_password_never_expires",
    "group.enabled_password_not_required", "group.enabled_shared"};

void add_fact_rows(ProbeSpec& s, const LdapFactRow* begin, const LdapFactRow* end) {
    for (const LdapFactRow* row = begin; row != end; ++row) {
        s.facts.push_back({row->name, row->type, row->meaning});
        if (row->with_accounts) {
            s.facts.push_back({std::string(row->name) + ".accounts", ValueType::List,
                               std::string("sAMAccountNames behind ") + row->name +
                                   " (sorted, at most 20, then '… +N more'; present when non-zero)"});
        }
    }
}

}  // namespace

const ProbeSpec& ldap_probe_spec() {
    static const ProbeSpec spec = [] {
        ProbeSpec s;
        s.kind = "ldap";
        s.subjects = {SubjectKind::Directory, SubjectKind::AccessGroup};
        // One call per directory serves its access groups too (groups_of).
        s.grouping = ProbeGrouping{SubjectKind::AccessGroup, SubjectKind::Directory};
        s.description =
            "LDAP/Active Directory: anonymous access, cleartext binds, TLS, and access-group "
            "members (nested, with strong authentication and account hygiene)";
        add_fact_rows(s, std::begin(kSessionFacts), std::end(kSessionFacts));
        for (FactSpec& tls : ldap_detail::ldap_tls_fact_specs()) {
            s.facts.push_back(std::move(tls));
        }
        add_fact_rows(s, std::begin(kGroupAndDomainFacts), std::end(kGroupAndDomainFacts));
        for (const char* count : kListedGroupCounts) {
            s.facts.push_back(
                {std::string(count) + ".accounts", ValueType::List,
                 "account names (sAMAccountName, else uid, else the first RDN's value) behind the count "
                 "of the same name: sorted, at most 20, then '… +N more'; present when non-zero"});
        }
        for (const char* count : kListedGroupCounts) {
            s.facts.push_back({std::string(count) + ".dns", ValueType::List,
                               "sorted DNs behind the count of the same name (present when non-zero; capped)"});
        }
        return s;
    }();
    return spec;
}

}  // namespace lisa
