// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lisa/core/fact.hpp"
#include "lisa/core/result.hpp"
#include "lisa/core/value.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa {

/// One web endpoint to observe.
struct HttpTarget {
    std::string url;       ///< endpoint.url, http:// or https://
    std::string http_url;  ///< plain-http twin to check for a redirect; empty = derived from url
    std::string idp;       ///< OIDC issuer base URL; empty = no discovery
    std::string ca_file;   ///< PEM trust anchors for https; empty = the system store
    std::string sni;       ///< endpoint.sni: the name the service answers to; requests for the
                           ///< main URL use it (TLS SNI, Host, certificate check) and connect to
                           ///< the URL's host, as a browser resolving that name would
};

/**
 * All http.* (and, with an idp, oidc.*) facts for one target; see docs/probes/tls-http.md.
 * Host names in url, http_url, idp and sni may be written in Unicode ("e-tjänster.växjö.se"):
 * every request, SNI, Host header and certificate check uses their IDNA A-label
 * (lisa/inventory/url.hpp); fact sources keep url as written. An sni that is not a valid IDN
 * gives http.reachable=false with the reason.
 * Anonymous GETs only, redirects never followed, bodies capped, each request bounded by
 * context.timeout; the requests run concurrently. Never throws for network problems.
 * Thread-safe.
 */
[[nodiscard]] Facts collect_http_facts(const HttpTarget& target, const ProbeContext& context);

/// The probe of kind "http" for endpoint subjects with http:// or https:// URLs.
[[nodiscard]] std::unique_ptr<Probe> make_http_probe();

/// Pure helpers of the http probe (unit-tested; no I/O).
namespace http {

/// A Strict-Transport-Security header decoded.
struct HstsPolicy {
    std::int64_t max_age = -1;  ///< seconds; -1 when absent or invalid
    bool include_subdomains = false;
    std::string problem;        ///< why the header is invalid (or absent); empty when valid
};

/**
 * Decodes a Strict-Transport-Security value strictly by RFC 6797 §6.1, as a browser must:
 * `directive *( ";" directive )`, each `name [= token | quoted-string]`; names case-insensitive;
 * a value may be quoted ("max-age=\"300\""). The header is invalid as a whole — max_age -1,
 * include_subdomains false, `problem` says why — when any directive appears twice (also
 * `includeSubDomains` or an unknown one), max-age is missing or not 1*DIGIT, includeSubDomains has
 * a value, or the text is not of that grammar. A max-age beyond 64 bits is capped at INT64_MAX
 * seconds (RFC 9111 §1.2.2 delta-seconds), not refused. Unknown directives (preload) are ignored.
 */
[[nodiscard]] HstsPolicy parse_hsts(std::string_view header);

/// Parts of an absolute http(s) URL.
struct UrlParts {
    std::string scheme;  ///< lower case
    std::string host;    ///< as written (IPv6 keeps its brackets), lower case
    std::string port;    ///< empty when not written
    std::string path;    ///< path + query, "/" when empty
};

/// Splits an absolute URL with libcurl's URL API (RFC 3986); nullopt when it is not
/// scheme://host... (a relative Location, no host, malformed).
[[nodiscard]] std::optional<UrlParts> split_url(std::string_view url);

/// The URL without user:password@ and without query parameters that carry a credential
/// (lisa::url::without_secret_parameters), for sources and messages (a secret never reaches output).
[[nodiscard]] std::string redact_url(std::string_view url);

/// The plain-http twin of a URL: https://h:8443/p → http://h/p (port 80); http URLs unchanged;
/// empty for anything else.
[[nodiscard]] std::string plain_http_twin(std::string_view url);

/**
 * Whether a redirect from request_url to location sends an anonymous visitor to a login: the
 * location is under the idp, or its path/query (or, on another host, its host name) carries a
 * login marker (login, signin, sso, saml, oauth, authorize, openid, adfs, client_id=, ...).
 */
[[nodiscard]] bool is_login_redirect(std::string_view request_url, std::string_view location,
                                     std::string_view idp);

/// idp + "/.well-known/openid-configuration" (without doubling slashes or the suffix).
[[nodiscard]] std::string discovery_url(std::string_view idp);

/// The parts of an OpenID Provider configuration the rules read.
struct OidcDiscovery {
    std::string issuer;
    StringList acr_values_supported;  ///< empty when the document has none
};

/// The Issuer URL an idp setting names: the idp without a trailing
/// "/.well-known/openid-configuration" (a trailing "/" is kept: issuers are compared exactly).
[[nodiscard]] std::string issuer_of(std::string_view idp);

/**
 * Parses a discovery document strictly (OpenID Connect Discovery 1.0). Error — the document is
 * not used at all — when it is not a JSON object; has no string `issuer`; its `issuer` is not
 * identical (simple string comparison) to `issuer_asked`, the Issuer URL the document was fetched
 * for (§4.3); or a §3 member has the wrong JSON type: a URL member not a string, a `*_supported`
 * list not an array of strings (e.g. `acr_values_supported: "loa3"` or `[7]`), a
 * `*_parameter_supported` flag not a boolean. Unknown members are ignored.
 */
[[nodiscard]] Result<OidcDiscovery> parse_oidc_discovery(std::string_view json,
                                                         std::string_view issuer_asked);

}  // namespace http
}  // namespace lisa
