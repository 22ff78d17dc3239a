// SPDX-License-Identifier: Apache-2.0
// What a probe works on, typed: the inventory loader reads every endpoint, directory, document
// and access group once into these structs (URLs through lisa::url, paths resolved against the
// inventory's directory), and the engine hands a probe its subject's target (ProbeRequest). Probes
// never read their inputs back from the declared facts; the facts stay for the rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lisa/core/result.hpp"
#include "lisa/core/subject.hpp"
#include "lisa/inventory/url.hpp"

namespace lisa {

/// A URL read once: as written (reports and fact sources show it) and parsed by libcurl's URL
/// API (lisa/inventory/url.hpp: scheme, host as written and as IDNA A-label, port, ASCII URL).
struct Url {
    std::string written;     ///< exactly as the inventory (or `lisa probe`) gives it
    url::ParsedUrl parts;    ///< url::parse(written)

    /// url::parse(text) kept with its text; url::parse's errors (never repeating the URL).
    [[nodiscard]] static Result<Url> parse(std::string_view text);
};

/// An endpoint (`systems[].endpoints[]`): what the tls and http probes connect to.
struct EndpointTarget {
    Url url;                          ///< endpoint.url; parts.port is never 0
    std::string sni;                  ///< as written (Unicode kept); "" = the URL's host
    std::string ca_file;              ///< absolute path, resolved once by the loader; "" = system store
    bool trust_intermediates = false; ///< ca_file's intermediates are trust anchors too
    bool starttls = false;            ///< upgrade with STARTTLS (ldap://, smtp://)
    std::string http_url;             ///< plain-http twin as written; "" = derived from url
    std::string idp;                  ///< OIDC issuer as written; "" = none
};

/// A directory (`directories[]`): what the ldap probe binds to and reads.
struct DirectoryTarget {
    Url url;                           ///< ldap:// or ldaps:// (port defaulted by scheme)
    std::string base_dn;
    std::string bind_dn;               ///< "" = anonymous or Kerberos
    std::string password_env;          ///< environment variable holding the bind password
    std::string password_file;         ///< resolved against the inventory's directory
    bool kerberos = false;             ///< SASL GSSAPI instead of a simple bind
    std::string keytab;                ///< resolved against the inventory's directory; "" = ccache
    std::string principal;
    std::string ca_file;               ///< absolute path, resolved once; "" = system store
    bool trust_intermediates = false;
    bool starttls = false;
    std::optional<std::string> flavour;  ///< "active_directory" | "openldap"; nullopt = not declared
    std::vector<std::string> mfa_groups;
    std::string strong_auth_attribute;   ///< attr=value, "" = none
    std::string shared_marker;           ///< attr=value, "" = none
    std::int64_t stale_days = 90;
    std::optional<std::int64_t> privileged_password_max_age_days;
    std::string user_filter;             ///< "" = the flavour's default
    std::string group_filter;            ///< "" = the flavour's default
};

/// An evidence document, a published one (url) or a `discover:` entry.
struct DocumentTarget {
    std::string file;           ///< path, URL or discover value as written (what reports show)
    std::string path;           ///< resolved path of a local file; "" otherwise
    std::string url;            ///< https:// URL of a published document; "" otherwise
    bool discover = false;      ///< a `discover:` entry: find the documents, classify by title
    std::string discover_path;  ///< discover: the resolved folder
    std::string discover_url;   ///< discover: the listing page, its host as IDNA A-labels
    std::vector<std::string> required_roles;  ///< discover: the roles to find
    std::string ca_file;        ///< absolute path, resolved once; "" = system store
};

/// An access group: a group in a directory the ldap probe reads with that directory.
struct AccessGroupTarget {
    std::string directory;      ///< the directory's subject id
    int directory_index = -1;   ///< the directory's subject index
    std::string dn;
    bool privileged = false;
};

/// A subject's typed target; std::monostate for subjects no probe works on.
using SubjectTarget =
    std::variant<std::monostate, EndpointTarget, DirectoryTarget, DocumentTarget, AccessGroupTarget>;

/// The subject of kind `kind` that `target` belongs to (an access group's directory), or -1.
/// The engine batches probe calls with this (ProbeSpec::grouping) without knowing any kind.
[[nodiscard]] int owner_of(const SubjectTarget& target, SubjectKind kind) noexcept;

}  // namespace lisa
