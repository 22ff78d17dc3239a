// SPDX-License-Identifier: Apache-2.0
// Pure helpers of the http probe: HSTS, URLs, login redirects, OIDC discovery documents.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <vector>
#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "lisa/inventory/url.hpp"
#include "lisa/probes/http_probe.hpp"

namespace lisa::http {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

bool has_login_marker(const std::string& text) {
    static constexpr std::array<std::string_view, 21> kMarkers = {
        "login",        "logon",     "signin", "sign-in",    "sign_in",       "/auth",
        "oauth",        "authorize", "sso",    "saml",       "openid",        "oidc",
        "adfs",         "/idp",      "/cas/",  "client_id=", "redirect_uri=", "relaystate=",
        "samlrequest=", "wtrealm=",  "/authn"};
    return std::any_of(kMarkers.begin(), kMarkers.end(), [&](std::string_view marker) {
        return text.find(marker) != std::string::npos;
    });
}

}  // namespace

namespace {

// RFC 7230 §3.2.6 tchar (RFC 2616 token: any CHAR except CTLs and separators).
bool is_tchar(char c) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

HstsPolicy invalid(std::string problem) {
    HstsPolicy policy;
    policy.problem = std::move(problem);
    return policy;
}

}  // namespace

namespace {

// RFC 6797 §6.1 directives, read left to right; every fault is a reason for "no HSTS".
class HstsReader {
public:
    explicit HstsReader(std::string_view header) : h_(header) {}

    HstsPolicy read() {
        while (true) {
            skip_ows();
            if (i_ < h_.size() && h_[i_] != ';') {
                if (auto problem = directive()) {
                    return invalid(*problem);
                }
            }
            if (i_ == h_.size()) {
                break;
            }
            if (h_[i_] != ';') {
                return invalid("text after a directive is not ';'");
            }
            ++i_;
        }
        if (!has_max_age_) {
            return invalid(h_.empty() ? "no Strict-Transport-Security header" : "max-age is missing");
        }
        return policy_;
    }

private:
    std::string_view h_;
    std::size_t i_ = 0;
    HstsPolicy policy_;
    std::vector<std::string> seen_;
    bool has_max_age_ = false;

    void skip_ows() {
        while (i_ < h_.size() && is_ows(h_[i_])) {
            ++i_;
        }
    }

    std::string_view token() {
        const std::size_t start = i_;
        while (i_ < h_.size() && is_tchar(h_[i_])) {
            ++i_;
        }
        return h_.substr(start, i_ - start);
    }

    // A quoted-string with quoted-pairs, after its opening '"'; a problem when it is not one.
    std::optional<std::string> quoted(std::string& v) {
        while (i_ < h_.size()) {
            const char c = h_[i_++];
            if (c == '"') {
                return std::nullopt;
            }
            if (c == '\\') {
                if (i_ == h_.size()) {
                    break;
                }
                v += h_[i_++];
            } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
                return std::string("a control character in a quoted value");
            } else {
                v += c;
            }
        }
        return std::string("an unterminated quoted value");
    }

    // directive-name [ "=" directive-value ]; a problem when it does not conform.
    std::optional<std::string> directive() {
        const std::string_view raw = token();
        if (raw.empty()) {
            return std::string("a directive name is not a token");
        }
        const std::string name = lower(raw);
        if (std::find(seen_.begin(), seen_.end(), name) != seen_.end()) {
            return "directive '" + name + "' appears twice";
        }
        seen_.push_back(name);
        skip_ows();
        std::optional<std::string> value;
        if (i_ < h_.size() && h_[i_] == '=') {
            ++i_;
            skip_ows();
            std::string v;
            if (i_ < h_.size() && h_[i_] == '"') {
                ++i_;
                if (auto problem = quoted(v)) {
                    return problem;
                }
            } else {
                v = std::string(token());
                if (v.empty()) {
                    return "directive '" + name + "' has an empty value";
                }
            }
            value = std::move(v);
            skip_ows();
        }
        return apply(name, value);
    }

    std::optional<std::string> apply(const std::string& name, const std::optional<std::string>& value) {
        if (name == "max-age") {
            // §6.1.1: max-age = delta-seconds, 1*DIGIT. RFC 9111 §1.2.2: a value too large to
            // represent is taken as the largest representable, not refused.
            if (!value || value->empty() ||
                !std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; })) {
                return std::string("max-age is not a number of seconds");
            }
            std::int64_t seconds = 0;
            for (const char c : *value) {
                const int digit = c - '0';
                if (seconds > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
                    seconds = std::numeric_limits<std::int64_t>::max();
                    break;
                }
                seconds = seconds * 10 + digit;
            }
            policy_.max_age = seconds;
            has_max_age_ = true;
        } else if (name == "includesubdomains") {
            if (value) {  // §6.1.2: a valueless directive
                return std::string("includeSubDomains takes no value");
            }
            policy_.include_subdomains = true;
        }
        return std::nullopt;
    }
};

}  // namespace

HstsPolicy parse_hsts(std::string_view header) {
    // RFC 6797 §6.1:  [ directive ] *( ";" [ directive ] ),
    //   directive = directive-name [ "=" directive-value ], name a token, value a token or a
    //   quoted-string; names are case-insensitive (§6.1 3), each directive appears at most once
    //   (§6.1 2), unknown directives are ignored (§6.1 4), and a header that does not conform is
    //   ignored as a whole (§6.1 5) — so any fault here means "no HSTS".
    return HstsReader(header).read();
}

namespace {

/// One libcurl URL handle (RFC 3986), freed on scope exit.
struct CurlUrl {
    CURLU* handle = curl_url();
    CurlUrl() = default;
    CurlUrl(const CurlUrl&) = delete;
    CurlUrl& operator=(const CurlUrl&) = delete;
    ~CurlUrl() { curl_url_cleanup(handle); }
};

std::optional<std::string> url_part(CURLU* handle, CURLUPart part) {
    char* out = nullptr;
    if (curl_url_get(handle, part, &out, 0) != CURLUE_OK || out == nullptr) {
        return std::nullopt;
    }
    std::string text(out);
    curl_free(out);
    return text;
}

}  // namespace

// libcurl's URL API does the parsing (no home-made URL parser); the path is kept as written
// (CURLU_PATH_AS_IS) and the port only when the URL writes one.
std::optional<UrlParts> split_url(std::string_view url) {
    const CurlUrl u;
    const std::string text(url);
    // libcurl reads "https:///path" as host "path"; RFC 3986 says that authority is empty.
    if (const std::size_t sep = text.find("://"); sep == std::string::npos || text.compare(sep, 4, ":///") == 0) {
        return std::nullopt;
    }
    if (u.handle == nullptr ||
        curl_url_set(u.handle, CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS) != CURLUE_OK) {
        return std::nullopt;
    }
    const auto scheme = url_part(u.handle, CURLUPART_SCHEME);
    const auto host = url_part(u.handle, CURLUPART_HOST);
    if (!scheme || !host || host->empty()) {
        return std::nullopt;
    }
    UrlParts parts;
    parts.scheme = lower(*scheme);
    parts.host = lower(*host);  // an IPv6 literal keeps its brackets
    parts.port = url_part(u.handle, CURLUPART_PORT).value_or("");
    parts.path = url_part(u.handle, CURLUPART_PATH).value_or("/");
    if (parts.path.empty()) {
        parts.path = "/";
    }
    if (const auto query = url_part(u.handle, CURLUPART_QUERY)) {
        parts.path += "?" + *query;
    }
    return parts;
}

namespace {

std::string without_userinfo(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(url);
    }
    const std::size_t authority = scheme_end + 3;
    const std::size_t authority_end = url.find_first_of("/?#", authority);
    const std::size_t at = url.substr(0, authority_end).rfind('@');
    if (at == std::string_view::npos || at < authority) {
        return std::string(url);
    }
    return std::string(url.substr(0, authority)) + std::string(url.substr(at + 1));
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string out = without_userinfo(url);
    // Parameters that carry a credential (access_token, password, sig, ...) are left out too; the
    // URL is rewritten only when one was there, so every other source stays as written.
    if (auto clean = url::without_secret_parameters(out); clean && !clean.value().dropped.empty()) {
        out = clean.value().url;
    }
    return out;
}

std::string plain_http_twin(std::string_view url) {
    const auto parts = split_url(url);
    if (!parts) {
        return {};
    }
    if (parts->scheme == "http") {
        return std::string(url);
    }
    if (parts->scheme != "https") {
        return {};
    }
    return "http://" + parts->host + parts->path;
}

bool is_login_redirect(std::string_view request_url, std::string_view location,
                       std::string_view idp) {
    if (location.empty()) {
        return false;
    }
    const std::string target = lower(location);
    if (!idp.empty()) {
        std::string base = lower(idp);
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        if (!base.empty() && starts_with(target, base)) {
            return true;
        }
    }
    const auto to = split_url(location);
    if (!to) {
        return has_login_marker(target);  // a relative Location
    }
    if (has_login_marker(lower(to->path))) {
        return true;
    }
    const auto from = split_url(request_url);
    return from && from->host != to->host && has_login_marker(to->host);
}

std::string discovery_url(std::string_view idp) {
    static constexpr std::string_view kSuffix = "/.well-known/openid-configuration";
    std::string base(idp);
    if (base.size() >= kSuffix.size() &&
        base.compare(base.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
        return base;
    }
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + std::string(kSuffix);
}

std::string issuer_of(std::string_view idp) {
    static constexpr std::string_view kSuffix = "/.well-known/openid-configuration";
    if (idp.size() >= kSuffix.size() &&
        idp.compare(idp.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
        idp.remove_suffix(kSuffix.size());
    }
    return std::string(idp);
}

namespace {

// OpenID Connect Discovery 1.0 §3: the members of a provider configuration and their JSON types.
enum class Member { String, Strings, Bool };
struct MemberSpec {
    std::string_view name;
    Member type;
};
constexpr std::array<MemberSpec, 29> kMembers = {{
    {"issuer", Member::String},
    {"authorization_endpoint", Member::String},
    {"token_endpoint", Member::String},
    {"userinfo_endpoint", Member::String},
    {"jwks_uri", Member::String},
    {"registration_endpoint", Member::String},
    {"service_documentation", Member::String},
    {"op_policy_uri", Member::String},
    {"op_tos_uri", Member::String},
    {"scopes_supported", Member::Strings},
    {"response_types_supported", Member::Strings},
    {"response_modes_supported", Member::Strings},
    {"grant_types_supported", Member::Strings},
    {"acr_values_supported", Member::Strings},
    {"subject_types_supported", Member::Strings},
    {"id_token_signing_alg_values_supported", Member::Strings},
    {"id_token_encryption_alg_values_supported", Member::Strings},
    {"id_token_encryption_enc_values_supported", Member::Strings},
    {"userinfo_signing_alg_values_supported", Member::Strings},
    {"request_object_signing_alg_values_supported", Member::Strings},
    {"token_endpoint_auth_methods_supported", Member::Strings},
    {"display_values_supported", Member::Strings},
    {"claim_types_supported", Member::Strings},
    {"claims_supported", Member::Strings},
    {"claims_locales_supported", Member::Strings},
    {"ui_locales_supported", Member::Strings},
    {"claims_parameter_supported", Member::Bool},
    {"request_parameter_supported", Member::Bool},
    {"request_uri_parameter_supported", Member::Bool},
}};

std::string json_kind(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::array: return "an array";
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::boolean: return "a boolean";
        case nlohmann::json::value_t::binary: return "binary";
        case nlohmann::json::value_t::discarded: return "nothing";
        default: return "a number";
    }
}

}  // namespace

Result<OidcDiscovery> parse_oidc_discovery(std::string_view json, std::string_view issuer_asked) {
    const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
    if (doc.is_discarded()) {
        return Error{"discovery document is not valid json"};
    }
    if (!doc.is_object()) {
        return Error{"discovery document is not a json object"};
    }
    const auto issuer = doc.find("issuer");
    if (issuer == doc.end() || !issuer->is_string()) {
        return Error{"discovery document has no issuer"};
    }
    // §4.3: the issuer MUST be identical to the Issuer URL the document was asked for, else
    // the document MUST NOT be used (another provider's configuration, or a mix-up attack).
    const std::string& said = issuer->get_ref<const std::string&>();
    if (said != issuer_asked) {
        return Error{"discovery document names issuer '" + said.substr(0, 200) +
                     "', not the issuer asked for '" + std::string(issuer_asked) +
                     "' (OpenID Connect Discovery 1.0 §4.3: it is not used)"};
    }
    // §3: a member of the wrong JSON type makes the document unusable, never an empty list.
    for (const auto& spec : kMembers) {
        const auto it = doc.find(std::string(spec.name));
        if (it == doc.end()) {
            continue;
        }
        const std::string name(spec.name);
        switch (spec.type) {
            case Member::String:
                if (!it->is_string()) {
                    return Error{"discovery member '" + name + "' must be a string, not " +
                                 json_kind(*it)};
                }
                break;
            case Member::Bool:
                if (!it->is_boolean()) {
                    return Error{"discovery member '" + name + "' must be a boolean, not " +
                                 json_kind(*it)};
                }
                break;
            case Member::Strings:
                if (!it->is_array()) {
                    return Error{"discovery member '" + name + "' must be an array of strings, not " +
                                 json_kind(*it)};
                }
                for (std::size_t i = 0; i < it->size(); ++i) {
                    if (!(*it)[i].is_string()) {
                        return Error{"discovery member '" + name + "' must hold strings only; item " +
                                     std::to_string(i + 1) + " is " + json_kind((*it)[i])};
                    }
                }
                break;
        }
    }
    OidcDiscovery discovery;
    discovery.issuer = said;
    if (const auto acr = doc.find("acr_values_supported"); acr != doc.end()) {
        for (const auto& item : *acr) {
            discovery.acr_values_supported.push_back(item.get<std::string>());
        }
    }
    return discovery;
}

}  // namespace lisa::http
