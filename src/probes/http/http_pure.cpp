// SPDX-License-Identifier: Apache-2.0
// Pure helpers of the http probe: HSTS, URLs, login redirects, OIDC discovery documents.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "lisa/probes/http_probe.hpp"

namespace lisa::http {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
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

HstsPolicy parse_hsts(std::string_view header) {
    HstsPolicy policy;
    bool seen_max_age = false;
    std::int64_t max_age = -1;
    while (!header.empty()) {
        const std::size_t semicolon = header.find(';');
        const std::string_view directive = trim(header.substr(0, semicolon));
        header =
            semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
        if (directive.empty()) {
            continue;
        }
        const std::size_t equals = directive.find('=');
        const std::string name = lower(trim(directive.substr(0, equals)));
        std::string_view value = equals == std::string_view::npos
                                     ? std::string_view{}
                                     : trim(directive.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        if (name == "max-age") {
            if (seen_max_age) {
                return HstsPolicy{};  // a directive twice makes the header invalid
            }
            seen_max_age = true;
            std::int64_t parsed = 0;
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), parsed);
            if (error != std::errc{} || end != value.data() + value.size() || value.empty() ||
                parsed < 0) {
                return HstsPolicy{};
            }
            max_age = parsed;
        } else if (name == "includesubdomains") {
            policy.include_subdomains = true;
        }
    }
    if (!seen_max_age) {
        return HstsPolicy{};
    }
    policy.max_age = max_age;
    return policy;
}

std::optional<UrlParts> split_url(std::string_view url) {
    const std::size_t colon = url.find("://");
    if (colon == std::string_view::npos || colon == 0) {
        return std::nullopt;
    }
    UrlParts parts;
    parts.scheme = lower(url.substr(0, colon));
    std::string_view rest = url.substr(colon + 3);
    const std::size_t path_start = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path =
        path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);  // never carry credentials along
    }
    if (const std::size_t hash = path.find('#'); hash != std::string_view::npos) {
        path = path.substr(0, hash);
    }
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        parts.host = lower(authority.substr(0, close + 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            parts.port = std::string(authority.substr(close + 2));
        }
    } else {
        const std::size_t port_colon = authority.rfind(':');
        parts.host = lower(authority.substr(0, port_colon));
        if (port_colon != std::string_view::npos) {
            parts.port = std::string(authority.substr(port_colon + 1));
        }
    }
    if (parts.host.empty()) {
        return std::nullopt;
    }
    parts.path = path.empty() ? std::string("/") : std::string(path);
    if (parts.path.front() == '?') {
        parts.path.insert(0, "/");
    }
    return parts;
}

std::string redact_url(std::string_view url) {
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

Result<OidcDiscovery> parse_oidc_discovery(std::string_view json) {
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
    OidcDiscovery discovery;
    discovery.issuer = issuer->get<std::string>();
    if (const auto acr = doc.find("acr_values_supported"); acr != doc.end() && acr->is_array()) {
        for (const auto& item : *acr) {
            if (item.is_string()) {
                discovery.acr_values_supported.push_back(item.get<std::string>());
            }
        }
    }
    return discovery;
}

}  // namespace lisa::http
