// SPDX-License-Identifier: Apache-2.0
// The one place lisa reads URLs and host names from its inputs and turns them into the form the
// protocols want. Pure (no sockets, no files): libcurl's URL API parses, libidn2 converts host
// names, libldap's ldap_url_parse reads LDAP URL extensions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/result.hpp"

namespace lisa::url {

/**
 * A host name as DNS, TLS (SNI, RFC 6066 §3) and certificate matching (RFC 6125) want it: every
 * label with non-ASCII characters becomes an IDNA A-label ("e-tjänster.växjö.se" →
 * "xn--e-tjnster-y2a.xn--vxj-qla6g.se"), per IDNA 2008 with UTS #46 non-transitional processing
 * and NFC normalisation (libidn2 idn2_to_ascii_8z, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL).
 * A host that is already ASCII (a DNS name, an A-label, an IP literal with or without IPv6
 * brackets) is returned unchanged, byte for byte.
 * Errors: Error{"invalid internationalised host name: <libidn2's reason>"}; the message never
 * repeats the input.
 */
[[nodiscard]] Result<std::string> host_to_ascii(std::string_view host);

/**
 * The same host as people read it: A-labels decoded to Unicode ("xn--e-tjnster-y2a.se" →
 * "e-tjänster.se", libidn2 idn2_to_unicode_8z8z). Never fails: a host that cannot be decoded
 * is returned as given.
 */
[[nodiscard]] std::string host_for_display(std::string_view host);

/// True when any byte of the host is outside ASCII (it needs host_to_ascii before use).
[[nodiscard]] bool is_international(std::string_view host) noexcept;

/// An absolute URL read from an input (libcurl's URL API, RFC 3986, any scheme).
struct ParsedUrl {
    std::string scheme;      ///< lower case ("https", "ldaps", "tls", ...)
    std::string host;        ///< as written (Unicode stays Unicode), IPv6 without brackets
    std::string ascii_host;  ///< host_to_ascii(host)
    std::int64_t port = 0;   ///< explicit port, else the scheme's default, else 0
    bool has_credentials = false;  ///< user, password or login options ("user:pw@") present
    std::string ascii_url;   ///< the URL with its host as ascii_host (unchanged when ASCII)
    bool has_path_or_query = false;  ///< a path other than "" or "/", a query or a fragment
};

/**
 * Parses an absolute URL. Default ports: https/tls 443, http 80, ldaps 636, ldap 389, smtp 25,
 * smtps 465; other schemes have none (0). Errors (never repeating the URL, which may hold a
 * secret): "not an absolute URL (scheme://host[:port][/path])", "port out of range",
 * or host_to_ascii's error for a host that is not a valid internationalised name.
 * Credentials are reported in has_credentials, not refused here: callers decide.
 */
[[nodiscard]] Result<ParsedUrl> parse(std::string_view url);

/**
 * The scheme of a URL in lower case ("http", "ldap", …): as libcurl's URL API reads it (any
 * scheme), else, for an LDAP URL without a host ("ldap:///CN=…?certificateRevocationList",
 * RFC 4516 §2, as AD CS writes CRL distribution points), as libldap's ldap_url_parse reads it.
 * Empty when neither reads a URL. Never fails.
 */
[[nodiscard]] std::string scheme_of(std::string_view url);

/**
 * The URL with its host converted by host_to_ascii, for a probe to send. ASCII URLs are
 * returned unchanged; anything that does not parse is returned unchanged too (the caller's own
 * error handling then reports it).
 */
[[nodiscard]] std::string to_ascii_url(std::string_view url);

/**
 * For ldap:// and ldaps:// URLs: why the URL must be refused because it carries credentials in
 * an RFC 4516 §2 extension, or nullopt. Extensions are read with libldap's ldap_url_parse.
 * Refused: `bindname` (RFC 4516 §4: the bind identity belongs in bind_dn, and servers pair it
 * with a password), `X-BINDPW`, and any extension whose type contains "pw" or "password"
 * (ASCII case-insensitive, a leading critical mark "!" ignored). The message names the
 * extension type, never its value. Other schemes, and URLs libldap cannot parse, give nullopt.
 */
[[nodiscard]] std::optional<std::string> ldap_extension_credentials(std::string_view url);

/// A URL with the query and fragment parameters that carry secrets taken out.
struct SecretFreeUrl {
    std::string url;                   ///< the URL without them; byte for byte the input when none
    std::vector<std::string> dropped;  ///< the names of the dropped parameters (never their values)
};

/**
 * Takes out of an absolute URL every query parameter whose name says it carries a credential
 * (RFC 6750 §2.3 `access_token`; OAuth `code`, `id_token`, `refresh_token`, `client_secret`;
 * API keys; Azure SAS `sig`; AWS `X-Amz-Signature`/`X-Amz-Credential`; session ids; passwords),
 * and the fragment when it holds such a parameter (OAuth's implicit flow puts `access_token` there).
 * A name is compared lower case with everything but letters and digits removed: it is a secret
 * when it contains token, secret, passw, signature, credential, session, bearer, apikey,
 * accesskey, privatekey, authkey, sharedkey, subscriptionkey or bindpw (RFC 4516's X-BINDPW); ends
 * in sig; or is key, pw, pwd,
 * pass, auth, code, sid, jwt or sas ("monkey" and "q=key" are not secrets). The query is split on '&' and put back with
 * libcurl's URL API (the rest of the URL as libcurl writes it). Errors: parse()'s.
 */
[[nodiscard]] Result<SecretFreeUrl> without_secret_parameters(std::string_view url);

}  // namespace lisa::url
