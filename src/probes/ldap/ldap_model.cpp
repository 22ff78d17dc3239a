// SPDX-License-Identifier: Apache-2.0
// The pure half of the ldap probe: no socket, no libldap. Everything here is unit-tested.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <tuple>
#include <string>
#include <utility>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "lisa/probes/ad_model.hpp"
#include "lisa/probes/ldap_probe.hpp"

namespace lisa {
namespace {

constexpr std::int64_t kFiletimeTicksPerSecond = 10'000'000;
// Seconds from 1601-01-01 to 1970-01-01.
constexpr std::int64_t kFiletimeEpochOffset = 11'644'473'600;
constexpr std::int64_t kSecondsPerDay = 86'400;
// OpenLDAP ppolicy: an administrative, permanent lock.
constexpr std::string_view kPermanentLock = "000001010000Z";

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

template <typename Int>
std::optional<Int> parse_int(std::string_view text) noexcept {
    Int value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

bool is_dn_special(char c) noexcept {
    return c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' ||
           c == '=';
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        --q;
    }
    return q;
}

std::optional<Date> later(std::optional<Date> a, std::optional<Date> b) {
    if (!a) {
        return b;
    }
    if (!b) {
        return a;
    }
    return *a < *b ? b : a;
}

}  // namespace

// ---- filters and DNs
// -----------------------------------------------------------------------------

std::string ldap_filter_escape(std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(value.size() + 8);
    for (const char c : value) {
        switch (c) {
            case '*':
            case '(':
            case ')':
            case '\\':
            case '\0': {
                const auto byte = static_cast<unsigned char>(c);
                out += '\\';
                out += kHex[byte >> 4];
                out += kHex[byte & 0xF];
                break;
            }
            default:
                out += c;
        }
    }
    return out;
}

namespace {

// RFC 4518 §2.2: these map to SPACE (the ASCII ones; NFKC maps the Unicode Zs spaces).
bool is_prep_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Unicode NFKC_Casefold (ICU): RFC 4518 §2.2 mapping (default-ignorable code points removed,
// case folded — å/Å, ä/Ä, ö/Ö, ß/ẞ, Greek, Cyrillic alike) and §2.3 normalization (NFKC).
// Nullopt when the bytes are not UTF-8; the caller then compares them as they are.
std::optional<std::string> nfkc_casefold(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* fold = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status) || text.size() > (1U << 24)) {
        return std::nullopt;
    }
    const auto length = static_cast<int32_t>(text.size());
    std::u16string wide(text.size() + 1, u'\0');
    int32_t wide_length = 0;
    u_strFromUTF8(wide.data(), static_cast<int32_t>(wide.size()), &wide_length, text.data(), length,
                  &status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    // NFKC_Casefold may grow the text (ß → ss, ligatures); ask for the size, then fill.
    std::u16string folded(static_cast<std::size_t>(wide_length) * 3 + 16, u'\0');
    int32_t folded_length = unorm2_normalize(fold, wide.data(), wide_length, folded.data(),
                                             static_cast<int32_t>(folded.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        folded.assign(static_cast<std::size_t>(folded_length) + 1, u'\0');
        folded_length = unorm2_normalize(fold, wide.data(), wide_length, folded.data(),
                                         static_cast<int32_t>(folded.size()), &status);
    }
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    std::string out(static_cast<std::size_t>(folded_length) * 3 + 1, '\0');
    int32_t out_length = 0;
    u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, folded.data(),
                folded_length, &status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(out_length));
    return out;
}

}  // namespace

namespace {

/// RFC 4518 §2.2 mapping without ICU for the usual directory text: ASCII plus the precomposed
/// Latin-1 letters (U+00C0–U+00FF but ß), whose NFKC_Casefold is the letter itself or, for
/// U+00C0–U+00DE except ×, the letter 0x20 above (Å → å, Ä → ä, Ö → ö, Æ → æ, Ø → ø). Anything
/// else (ß, combining marks, other scripts, bytes that are not UTF-8) returns false, and ICU
/// decides. Appends to `out`.
bool fold_latin1(std::string_view text, std::string& out) {
    const std::size_t start = out.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out += lower(static_cast<char>(c));
            continue;
        }
        const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0U;
        if (c != 0xC3 || next < 0x80 || next > 0xBF || next == 0x9F) {
            out.resize(start);
            return false;
        }
        out += static_cast<char>(c);
        out += static_cast<char>(next <= 0x9E && next != 0x97 ? next + 0x20 : next);
        ++i;
    }
    return true;
}

/// §2.6.1 insignificant space handling on out[start..], in place: leading and trailing spaces
/// removed, every inner run of spaces counts as one.
void squeeze_spaces(std::string& out, std::size_t start) {
    std::size_t write = start;
    bool pending_space = false;
    for (std::size_t read = start; read < out.size(); ++read) {
        const char c = out[read];
        if (is_prep_space(c)) {
            pending_space = write != start;
            continue;
        }
        if (pending_space) {
            out[write++] = ' ';
            pending_space = false;
        }
        out[write++] = c;
    }
    out.resize(write);
}

/// ldap_prep(value) appended to `out`.
void ldap_prep_into(std::string_view value, std::string& out) {
    const std::size_t start = out.size();
    if (!fold_latin1(value, out)) {
        if (auto folded = nfkc_casefold(value)) {
            out += *folded;
        } else {
            out += value;  // not UTF-8: compared byte for byte
        }
    }
    squeeze_spaces(out, start);
}

}  // namespace

std::string ldap_prep(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    ldap_prep_into(value, out);
    return out;
}

bool ldap_values_equal(std::string_view a, std::string_view b) {
    if (a.size() == b.size() && iequals(a, b)) {
        return true;  // the common case, without allocating
    }
    return ldap_prep(a) == ldap_prep(b);
}

namespace {

/// The usual DN (ASCII, no escapes, no space beside a separator or beside another space):
/// normalising it is lower-casing it.
bool is_simple_dn(std::string_view dn) noexcept {
    auto is_separator = [](char c) { return c == ',' || c == '+' || c == '='; };
    for (std::size_t k = 0; k < dn.size(); ++k) {
        const char c = dn[k];
        if (c == '\\' || c == ';' || c == '"' || c == '#' || static_cast<unsigned char>(c) >= 0x80 ||
            (is_prep_space(c) && c != ' ') ||
            (c == ' ' && (k == 0 || k + 1 == dn.size() || is_separator(dn[k - 1]) ||
                          is_separator(dn[k + 1]) || dn[k + 1] == ' '))) {
            return false;
        }
    }
    return true;
}

/// One attribute value of a DN from `i` on, unescaped into `value`, up to an unescaped ',' or
/// '+' (';' is the old ','). Returns the separator that ended it ('\0' at the end of the DN).
char read_dn_value(std::string_view dn, std::size_t& i, std::string& value) {
    value.clear();
    const std::size_t n = dn.size();
    while (i < n) {
        const char c = dn[i];
        if (c == '\\' && i + 1 < n) {
            const int hi = hex_value(dn[i + 1]);
            const int lo = i + 2 < n ? hex_value(dn[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                value += static_cast<char>(hi * 16 + lo);
                i += 3;
            } else {
                value += dn[i + 1];
                i += 2;
            }
            continue;
        }
        ++i;
        if (c == ',' || c == '+' || c == ';') {
            return c == ';' ? ',' : c;
        }
        value += c;
    }
    return '\0';
}

/// `prepared` in one escaped form (RFC 4514 §2.4), appended to `out`, so equal values give
/// equal keys.
void append_dn_escaped(std::string_view prepared, std::string& out) {
    for (std::size_t k = 0; k < prepared.size(); ++k) {
        const char c = prepared[k];
        if (is_dn_special(c) || (k == 0 && c == '#')) {
            out += '\\';
        }
        out += c;
    }
}

}  // namespace

void normalize_dn_into(std::string_view dn, std::string& out) {
    out.clear();
    out.reserve(dn.size());
    if (is_simple_dn(dn)) {
        for (const char c : dn) {
            out += lower(c);
        }
        return;
    }
    std::size_t i = 0;
    const std::size_t n = dn.size();
    std::string value;     // unescaped bytes of the current attribute value
    std::string prepared;  // its RFC 4518 preparation (case folding, NFKC, spaces)
    while (i < n) {
        // Attribute type: skip leading spaces, lower-case, stop at '='.
        while (i < n && dn[i] == ' ') {
            ++i;
        }
        const std::size_t type_start = out.size();
        while (i < n && dn[i] != '=') {
            out += lower(dn[i]);
            ++i;
        }
        while (out.size() > type_start && out.back() == ' ') {
            out.pop_back();
        }
        if (i >= n) {
            break;  // malformed: no '='; keep what we have, it still compares consistently
        }
        out += '=';
        ++i;
        while (i < n && dn[i] == ' ') {
            ++i;
        }
        const char separator = read_dn_value(dn, i, value);
        prepared.clear();
        ldap_prep_into(value, prepared);
        append_dn_escaped(prepared, out);
        if (separator != '\0') {
            out += separator;
        }
    }
}

std::string normalize_dn(std::string_view dn) {
    std::string out;
    normalize_dn_into(dn, out);
    return out;
}

// ---- time
// ----------------------------------------------------------------------------------------

bool filetime_is_never(std::int64_t filetime) noexcept {
    return filetime == 0 || filetime == INT64_MAX;
}

std::int64_t filetime_to_unix_seconds(std::int64_t filetime) noexcept {
    return floor_div(filetime, kFiletimeTicksPerSecond) - kFiletimeEpochOffset;
}

std::optional<Date> filetime_to_date(std::int64_t filetime) noexcept {
    if (filetime_is_never(filetime) || filetime < 0) {
        return std::nullopt;
    }
    return Date{floor_div(filetime_to_unix_seconds(filetime), kSecondsPerDay)};
}

std::int64_t date_to_filetime(Date date) noexcept {
    return (date.days * kSecondsPerDay + kFiletimeEpochOffset) * kFiletimeTicksPerSecond;
}

std::optional<Date> generalized_time_to_date(std::string_view text) noexcept {
    // YYYYMMDDHH[MM[SS]][(.|,)fraction](Z|(+|-)HH[MM])
    if (text.size() < 11) {
        return std::nullopt;
    }
    for (std::size_t k = 0; k < 10; ++k) {
        if (text[k] < '0' || text[k] > '9') {
            return std::nullopt;
        }
    }
    const auto year = parse_int<int>(text.substr(0, 4));
    const auto month = parse_int<unsigned>(text.substr(4, 2));
    const auto day = parse_int<unsigned>(text.substr(6, 2));
    const auto hour = parse_int<int>(text.substr(8, 2));
    if (!year || !month || !day || !hour) {
        return std::nullopt;
    }
    char ymd[16];
    std::snprintf(ymd, sizeof ymd, "%04d-%02u-%02u", *year, *month, *day);
    const auto date = Date::parse(ymd);
    if (!date) {
        return std::nullopt;
    }
    std::size_t pos = 10;
    int minute = 0;
    auto two_digits = [&](int& out) {
        if (pos + 2 <= text.size() && text[pos] >= '0' && text[pos] <= '9' &&
            text[pos + 1] >= '0' && text[pos + 1] <= '9') {
            out = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
            pos += 2;
            return true;
        }
        return false;
    };
    int ignored = 0;
    if (two_digits(minute)) {
        two_digits(ignored);  // seconds do not move the day
    }
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
    }
    std::int64_t local_minutes = std::int64_t{*hour} * 60 + minute;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '+' ? 1 : -1;
        ++pos;
        int off_h = 0;
        int off_m = 0;
        if (!two_digits(off_h)) {
            return std::nullopt;
        }
        two_digits(off_m);
        local_minutes -= sign * (off_h * 60 + off_m);
    } else if (pos >= text.size() || text[pos] != 'Z') {
        return std::nullopt;
    }
    return Date{date->days + floor_div(local_minutes, 24 * 60)};
}

// ---- range retrieval
// -----------------------------------------------------------------------------

std::optional<AttributeRange> parse_attribute_range(std::string_view description) {
    std::size_t semi = description.find(';');
    if (semi == std::string_view::npos) {
        return std::nullopt;
    }
    AttributeRange range;
    range.attribute = std::string(description.substr(0, semi));
    // Options are ';'-separated; find the one starting with "range=" (case-insensitive).
    std::string_view rest = description.substr(semi + 1);
    while (!rest.empty()) {
        const std::size_t next = rest.find(';');
        const std::string_view option = rest.substr(0, next);
        if (option.size() > 6 && iequals(option.substr(0, 6), "range=")) {
            const std::string_view bounds = option.substr(6);
            const std::size_t dash = bounds.find('-');
            if (dash == std::string_view::npos) {
                return std::nullopt;
            }
            const auto low = parse_int<std::uint64_t>(bounds.substr(0, dash));
            const std::string_view high_text = bounds.substr(dash + 1);
            if (!low) {
                return std::nullopt;
            }
            range.low = *low;
            if (high_text == "*") {
                range.high = std::nullopt;
            } else {
                const auto high = parse_int<std::uint64_t>(high_text);
                if (!high || *high < *low) {
                    return std::nullopt;
                }
                range.high = *high;
            }
            return range;
        }
        if (next == std::string_view::npos) {
            break;
        }
        rest = rest.substr(next + 1);
    }
    return std::nullopt;
}

std::optional<std::string> next_range_request(const AttributeRange& chunk) {
    if (!chunk.high) {
        return std::nullopt;
    }
    return chunk.attribute + ";range=" + std::to_string(*chunk.high + 1) + "-*";
}

bool RangeCollector::add(std::string_view description,
                         const std::vector<std::string_view>& values) {
    const std::size_t semi = description.find(';');
    if (!iequals(description.substr(0, semi), attribute_)) {
        return true;  // another attribute: not ours
    }
    if (semi == std::string_view::npos) {
        for (const auto v : values) {
            values_.emplace_back(v);
        }
        seen_this_round_ = true;
        return true;
    }
    auto range = parse_attribute_range(description);
    if (!range) {
        return true;  // another option (";binary", a language tag): not ours
    }
    const std::uint64_t expected_low = last_ && last_->high ? *last_->high + 1 : 0;
    if (range->low != expected_low) {
        failed_ = true;
        return false;
    }
    for (const auto v : values) {
        values_.emplace_back(v);
    }
    ranged_ = true;
    seen_this_round_ = true;
    last_ = std::move(range);
    return true;
}

std::optional<std::string> RangeCollector::next_request() {
    const bool seen = seen_this_round_;
    seen_this_round_ = false;
    if (failed_ || !ranged_) {
        return std::nullopt;
    }
    if (!seen) {
        failed_ = true;  // we asked for a continuation and got nothing
        return std::nullopt;
    }
    return next_range_request(*last_);
}

// ---- accounts
// ------------------------------------------------------------------------------------

std::string AccountFacts::account_name() const {
    if (!name.empty()) {
        return name;
    }
    // The first RDN's value: after its first '=', up to the first ',' or '+' not escaped.
    const auto eq = dn.find('=');
    if (eq == std::string::npos) {
        return dn;
    }
    std::string value;
    for (std::size_t i = eq + 1; i < dn.size(); ++i) {
        if (dn[i] == '\\' && i + 1 < dn.size()) {
            value += dn[++i];
            continue;
        }
        if (dn[i] == ',' || dn[i] == '+') {
            break;
        }
        value += dn[i];
    }
    return value.empty() ? dn : value;
}

AccountFacts account_from_entry(std::string_view dn, const std::vector<EntryAttribute>& attributes,
                                const AccountPolicy& policy) {
    AccountFacts account;
    account.dn = std::string(dn);
    std::optional<Date> last_logon;
    for (const EntryAttribute& attribute : attributes) {
        const std::string_view name = attribute.name;
        if (attribute.values.empty()) {
            continue;
        }
        const std::string_view first = attribute.values.front();
        if (iequals(name, "userAccountControl")) {
            // An INTEGER attribute; AD returns it signed for the high bits.
            if (const auto v = parse_int<std::int64_t>(first)) {
                account.user_account_control = static_cast<std::uint32_t>(*v);
            }
        } else if (iequals(name, "lastLogonTimestamp")) {
            if (const auto v = parse_int<std::int64_t>(first)) {
                last_logon = later(last_logon, filetime_to_date(*v));
            }
        } else if (iequals(name, "authTimestamp")) {
            last_logon = later(last_logon, generalized_time_to_date(first));
        } else if (iequals(name, "pwdAccountLockedTime") &&
                   policy.flavour == DirectoryFlavour::OpenLdap) {
            account.locked = first == kPermanentLock;
        } else if (iequals(name, "sAMAccountName")) {
            account.name = std::string(first);
        } else if (iequals(name, "uid") && account.name.empty()) {
            account.name = std::string(first);  // sAMAccountName wins when an entry has both
        } else if (iequals(name, "pwdLastSet")) {
            if (const auto v = parse_int<std::int64_t>(first)) {
                account.pwd_last_set = filetime_to_date(*v);
            }
        } else if (iequals(name, "whenCreated")) {
            account.when_created = generalized_time_to_date(first);
        } else if (iequals(name, "adminCount")) {
            account.admin_count = first == "1";
        } else if (iequals(name, "servicePrincipalName")) {
            account.has_spn = true;
        } else if (iequals(name, "objectClass")) {
            for (const auto v : attribute.values) {
                account.computer |= iequals(v, "computer");
            }
        }
        // Not else-if: one attribute may carry both markers (employeeType, say).
        if (!policy.strong_auth_attribute.empty() && iequals(name, policy.strong_auth_attribute)) {
            for (const auto v : attribute.values) {
                account.strong_auth_attribute |= ldap_values_equal(v, policy.strong_auth_value);
            }
        }
        if (!policy.shared_attribute.empty() && iequals(name, policy.shared_attribute)) {
            for (const auto v : attribute.values) {
                account.shared |= ldap_values_equal(v, policy.shared_value);
            }
        }
    }
    account.last_logon = last_logon;
    return account;
}

// ---- nested groups
// -------------------------------------------------------------------------------

GroupExpansion expand_group(const DirectoryModel& model, std::string_view group_key) {
    GroupExpansion result;
    const auto root = model.groups.find(std::string(group_key));
    if (root == model.groups.end()) {
        return result;
    }
    result.exists = true;

    // Iterative depth-first walk: "open" groups are on the current path, so meeting one again
    // is a cycle; "done" groups were fully expanded and are skipped.
    enum class Mark { Open, Done };
    std::unordered_map<const std::string*, Mark> marks;
    std::unordered_set<const AccountFacts*> seen_accounts;
    std::unordered_set<std::string_view> unresolved;
    struct Frame {
        const std::string* key;
        const std::vector<std::string>* members;
        std::size_t next = 0;
    };
    std::vector<Frame> stack;
    stack.push_back({&root->first, &root->second, 0});
    marks[&root->first] = Mark::Open;
    while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.next == frame.members->size()) {
            marks[frame.key] = Mark::Done;
            stack.pop_back();
            continue;
        }
        const std::string& member = (*frame.members)[frame.next++];
        if (const auto group = model.groups.find(member); group != model.groups.end()) {
            const auto mark = marks.find(&group->first);
            if (mark == marks.end()) {
                marks[&group->first] = Mark::Open;
                ++result.nested_groups;
                stack.push_back({&group->first, &group->second, 0});  // invalidates `frame`
            } else if (mark->second == Mark::Open) {
                result.cycle = true;
            }
            continue;
        }
        if (const auto account = model.accounts.find(member); account != model.accounts.end()) {
            if (seen_accounts.insert(&account->second).second) {
                result.accounts.push_back(&account->second);
            }
            continue;
        }
        if (const auto other = model.others.find(member); other != model.others.end()) {
            const std::string_view kind = other->second;
            if (kind.rfind("fsp:", 0) != 0) {
                continue;  // a contact: no account, nothing to log on with
            }
            const std::string_view sid = kind.substr(4);
            if (const char* name = broad_principal_name(sid)) {
                result.broad.push_back(std::string(name) + " (" + std::string(sid) + ")");
                continue;
            }
            if (sid.rfind("S-1-5-21-", 0) != 0) {
                continue;  // another well-known principal (Enterprise Domain Controllers …)
            }
        }
        if (unresolved.insert(member).second) {
            result.unresolved_keys.push_back(member);
        }
    }
    result.unresolved = unresolved.size();
    return result;
}

const char* broad_principal_name(std::string_view sid) {
    static const std::pair<std::string_view, const char*> kBroad[] = {
        {"S-1-1-0", "Everyone"},
        {"S-1-5-7", "Anonymous Logon"},
        {"S-1-5-11", "Authenticated Users"},
        {"S-1-5-4", "Interactive"},
        {"S-1-5-2", "Network"},
        {"S-1-5-1", "Dialup"},
        {"S-1-5-13", "Terminal Server User"},
        {"S-1-5-14", "Remote Interactive Logon"},
    };
    for (const auto& [known, name] : kBroad) {
        if (sid == known) return name;
    }
    return nullptr;
}

std::unordered_set<const AccountFacts*> members_of_any(const DirectoryModel& model,
                                                       const std::vector<std::string>& group_keys) {
    std::unordered_set<const AccountFacts*> out;
    for (const auto& key : group_keys) {
        for (const AccountFacts* account : expand_group(model, key).accounts) {
            out.insert(account);
        }
    }
    return out;
}

// ---- verdicts
// ------------------------------------------------------------------------------------

bool is_stale(const AccountFacts& account, Date as_of, std::int64_t stale_days) {
    if (account.last_logon) {
        return as_of.days - account.last_logon->days > stale_days;
    }
    // Never logged on: stale once the account has existed longer than stale_days (whenCreated,
    // Active Directory), so a new employee's account is not; without a creation date (OpenLDAP)
    // it counts as stale.
    return !account.when_created || as_of.days - account.when_created->days > stale_days;
}

namespace {

std::string truncation_marker(std::size_t more) {
    return "...truncated " + std::to_string(more) + " more";
}

/// The first `cap` DNs in order plus a truncation marker; sorts pointers, copies few strings.
StringList sorted_capped_dns(std::vector<const AccountFacts*>& accounts, std::size_t cap) {
    auto by_dn = [](const AccountFacts* a, const AccountFacts* b) { return a->dn < b->dn; };
    const std::size_t keep = std::min(cap, accounts.size());
    const auto kept_end = accounts.begin() + static_cast<std::ptrdiff_t>(keep);
    if (keep < accounts.size()) {
        std::nth_element(accounts.begin(), kept_end, accounts.end(), by_dn);  // O(n)
    }
    std::sort(accounts.begin(), kept_end, by_dn);
    StringList out;
    out.reserve(keep + 1);
    for (std::size_t i = 0; i < keep; ++i) {
        out.push_back(accounts[i]->dn);
    }
    if (accounts.size() > keep) {
        out.push_back(truncation_marker(accounts.size() - keep));
    }
    return out;
}

}  // namespace

namespace {

/// The members of one group sorted by what the group's facts count.
struct MemberBuckets {
    std::vector<const AccountFacts*> disabled, weak, smartcard, no_smartcard, stale, never_expires,
        not_required, shared;
    std::int64_t enabled = 0;
};

MemberBuckets bucket_members(const std::vector<const AccountFacts*>& accounts,
                             const std::unordered_set<const AccountFacts*>& strong_members,
                             const GroupPolicy& policy) {
    MemberBuckets b;
    for (const AccountFacts* account : accounts) {
        if (account->disabled()) {
            b.disabled.push_back(account);
            continue;
        }
        ++b.enabled;
        const std::uint32_t uac = account->user_account_control;
        const bool has_smartcard = account->smartcard_required();
        const bool strong =
            has_smartcard || account->strong_auth_attribute || strong_members.count(account) != 0;
        if (!strong) {
            b.weak.push_back(account);
        }
        (has_smartcard ? b.smartcard : b.no_smartcard).push_back(account);
        if (is_stale(*account, policy.as_of, policy.stale_days)) {
            b.stale.push_back(account);
        }
        if ((uac & kUacDontExpirePassword) != 0) {
            b.never_expires.push_back(account);
        }
        if ((uac & kUacPasswordNotRequired) != 0) {
            b.not_required.push_back(account);
        }
        if (account->shared) {
            b.shared.push_back(account);
        }
    }
    return b;
}

}  // namespace

GroupEvaluation evaluate_group(const DirectoryModel& model, std::string_view group_key,
                               const std::unordered_set<const AccountFacts*>& strong_members,
                               const GroupPolicy& policy) {
    GroupEvaluation e;
    const GroupExpansion expansion = expand_group(model, group_key);
    e.exists = expansion.exists;
    if (!e.exists) {
        return e;
    }
    e.nested_groups = static_cast<std::int64_t>(expansion.nested_groups);
    e.unresolved_members = static_cast<std::int64_t>(expansion.unresolved);
    e.cycle = expansion.cycle;
    MemberBuckets b = bucket_members(expansion.accounts, strong_members, policy);
    e.members = static_cast<std::int64_t>(expansion.accounts.size());
    e.enabled = b.enabled;
    const std::size_t cap = policy.dn_list_cap;
    const std::tuple<const char*, std::vector<const AccountFacts*>*, std::int64_t*, StringList*>
        named[] = {
            {"disabled", &b.disabled, &e.disabled, &e.disabled_dns},
            {"enabled_without_strong_auth", &b.weak, &e.enabled_without_strong_auth,
             &e.enabled_without_strong_auth_dns},
            {"enabled_smartcard_required", &b.smartcard, &e.enabled_smartcard_required,
             &e.enabled_smartcard_required_dns},
            {"enabled_without_smartcard", &b.no_smartcard, &e.enabled_without_smartcard,
             &e.enabled_without_smartcard_dns},
            {"enabled_stale", &b.stale, &e.enabled_stale, &e.enabled_stale_dns},
            {"enabled_password_never_expires", &b.never_expires, &e.enabled_password_never_expires,
             &e.enabled_password_never_expires_dns},
            {"enabled_password_not_required", &b.not_required, &e.enabled_password_not_required,
             &e.enabled_password_not_required_dns},
            {"enabled_shared", &b.shared, &e.enabled_shared, &e.enabled_shared_dns}};
    for (const auto& [key, list, count, dns] : named) {
        *count = static_cast<std::int64_t>(list->size());
        if (!list->empty()) {
            StringList names;
            names.reserve(list->size());
            for (const AccountFacts* account : *list) {
                names.push_back(account->account_name());
            }
            e.accounts[key] = ad::capped_names(std::move(names));
        }
        *dns = sorted_capped_dns(*list, cap);
    }
    return e;
}

StringList capped_dn_list(StringList dns, std::size_t cap) {
    std::sort(dns.begin(), dns.end());
    if (dns.size() > cap) {
        const std::size_t more = dns.size() - cap;
        dns.resize(cap);
        dns.push_back(truncation_marker(more));
    }
    return dns;
}

Facts group_facts(const GroupEvaluation& e, const GroupPolicy& policy, const std::string& source) {
    Facts facts;
    auto put = [&](const char* name, Value value) {
        facts.emplace(name, probed(std::move(value), source));
    };
    auto put_dns = [&](const char* name, const StringList& dns) {
        if (!dns.empty()) {
            put(name, dns);  // already sorted and capped by evaluate_group
        }
    };
    put("group.exists", e.exists);
    if (!e.exists) {
        return facts;
    }
    put("group.members", e.members);
    put("group.enabled", e.enabled);
    put("group.disabled", e.disabled);
    put("group.enabled_smartcard_required", e.enabled_smartcard_required);
    put("group.enabled_without_smartcard", e.enabled_without_smartcard);
    put("group.enabled_stale", e.enabled_stale);
    put("group.enabled_password_never_expires", e.enabled_password_never_expires);
    put("group.enabled_password_not_required", e.enabled_password_not_required);
    put("group.enabled_shared", e.enabled_shared);
    put("group.nested_groups", e.nested_groups);
    put("group.unresolved_members", e.unresolved_members);
    put("group.nesting_cycle", e.cycle);
    for (const auto& [key, names] : e.accounts) {
        if (key != "enabled_without_strong_auth" || policy.strong_auth_known) {
            put(("group." + key + ".accounts").c_str(), names);
        }
    }
    put_dns("group.disabled.dns", e.disabled_dns);
    put_dns("group.enabled_smartcard_required.dns", e.enabled_smartcard_required_dns);
    put_dns("group.enabled_without_smartcard.dns", e.enabled_without_smartcard_dns);
    put_dns("group.enabled_stale.dns", e.enabled_stale_dns);
    put_dns("group.enabled_password_never_expires.dns", e.enabled_password_never_expires_dns);
    put_dns("group.enabled_password_not_required.dns", e.enabled_password_not_required_dns);
    put_dns("group.enabled_shared.dns", e.enabled_shared_dns);
    if (policy.strong_auth_known) {
        put("group.enabled_without_strong_auth", e.enabled_without_strong_auth);
        put_dns("group.enabled_without_strong_auth.dns", e.enabled_without_strong_auth_dns);
        // With no enabled member, "all enabled members use strong authentication" holds.
        const double share = e.enabled == 0
                                 ? 1.0
                                 : static_cast<double>(e.enabled - e.enabled_without_strong_auth) /
                                       static_cast<double>(e.enabled);
        put("group.strong_auth_share", share);
    }
    return facts;
}

}  // namespace lisa
