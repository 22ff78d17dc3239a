// SPDX-License-Identifier: Apache-2.0
// The libldap edge of the ldap probe: RAII handles, per-handle TLS settings, bind, paged and
// pipelined searches. Only this file and ldap_client.cpp see <ldap.h>.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/result.hpp"
#include "lisa/probes/ldap_probe.hpp"

struct ldap;  // LDAP from <ldap.h>

namespace lisa::ldap_detail {

/// How to reach the server.
struct ConnectSettings {
    std::string url;                 ///< "ldap://host:port" or "ldaps://host:port"
    bool starttls = false;           ///< StartTLS on an ldap:// URL
    std::string ca_file;             ///< PEM bundle; empty: the system trust store
    bool verify_certificate = true;  ///< false only for connections that carry no secret
    std::chrono::milliseconds timeout{5000};
};

/// Search scope, spelled without <ldap.h>.
enum class Scope { Base, OneLevel, Subtree };

/// One search of a pipelined batch.
struct SearchRequest {
    std::string base;
    Scope scope = Scope::Base;
    std::string filter = "(objectClass=*)";
    std::vector<std::string> attributes;
};

class EntryReader;  ///< decodes entries, see ldap_client.cpp

/// Called for each entry: the entry's DN and attributes (views valid during the call only).
using EntryHandler = std::function<void(std::string_view dn, const std::vector<EntryAttribute>&)>;

/**
 * Client-side bounds of every LDAP operation (issue 11, kind D). A server decides how much it
 * sends; these decide how much lisa takes. Each is an `error` with the reason when hit, never a
 * silently shortened answer.
 * - Time: every request (a bind, a search, each page of a paged search, each search of a
 *   pipelined batch) must be answered completely within the probe's --timeout, across all of
 *   its messages — not per message, so a server that streams entries forever is cut off at the
 *   deadline. The clock starts when the request was sent; for a search of a pipelined batch,
 *   when it was sent or, if later, when the search sent before it was answered (a server
 *   answers a connection's requests in turn: the time queued behind others in the window is
 *   not the request's). A paged search is bounded per page, not as a whole: its length grows
 *   with the directory, a page's mostly does not. The first page is the exception on Samba:
 *   its paged_results module collects every match before it answers page 1 (measured on the
 *   bench's DC: page 1 of 4,000 accounts 1.7 s, each later page 0.35 s, on a loaded 2-core
 *   host), so that page grows with the directory and --timeout must cover it.
 * - Entries: at most kMaxEntriesPerSearch per search (all pages of a paged search together).
 *   The largest Swedish municipalities' directories hold some 100,000 objects.
 * - Pages: at most kMaxPagesPerSearch pages per paged search (a server that hands out cookies
 *   forever).
 * - Message size: at most kMaxMessageBytes per LDAP message (liblber's max-incoming limit);
 *   an AD range chunk of 1,500 member DNs is about 150 KiB.
 */
inline constexpr std::size_t kMaxEntriesPerSearch = 1'000'000;
inline constexpr std::size_t kMaxPagesPerSearch = 10'000;
inline constexpr std::size_t kMaxMessageBytes = 16 * 1024 * 1024;

/// Result codes the probe interprets (the numeric values of RFC 4511).
inline constexpr int kLdapSuccess = 0;
inline constexpr int kLdapOperationsError = 1;
inline constexpr int kLdapSizeLimitExceeded = 4;
inline constexpr int kLdapStrongerAuthRequired = 8;
inline constexpr int kLdapConfidentialityRequired = 13;
inline constexpr int kLdapNoSuchObject = 32;
inline constexpr int kLdapInvalidCredentials = 49;
inline constexpr int kLdapInsufficientAccess = 50;
inline constexpr int kLdapUnwillingToPerform = 53;

/// "Invalid credentials (49)" plus the server's diagnostic text, if any.
[[nodiscard]] std::string describe_result(int code, std::string_view diagnostic = {});
/// For a paged search's result code: what to change when the server refused the paging control
/// (adminLimitExceeded, unavailableCriticalExtension), as " — …"; "" for any other code. The
/// scan and `lisa doctor` both get it from paged_search(); the report's "could not check" groups
/// give the same advice in Swedish (could_not_check.cpp, Cause::Paging).
[[nodiscard]] std::string paging_refused_hint(int code);

/**
 * One LDAP session. Not shared between threads; each probe call opens its own.
 * Failures of the transport (refused, timeout, TLS) come back as Error; LDAP result codes of
 * operations the probe interprets (bind) come back as values.
 */
class Connection {
public:
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    /// Connects (TCP, and TLS for ldaps://), then StartTLS when asked.
    [[nodiscard]] static Result<Connection> open(const ConnectSettings& settings);

    /// Simple bind; the LDAP result code, or Error when the connection failed.
    /// The password is sent as given and never copied into a message.
    [[nodiscard]] Result<int> simple_bind(const std::string& dn, std::string_view password);

    /**
     * SASL GSSAPI (Kerberos) bind with the credential cache `ccache` (a "MEMORY:" cache of a
     * keytab credential, named for this thread only during the bind; "": the caller's default
     * credential cache). The service principal is ldap/<host of the URL> as written
     * (LDAP_OPT_X_SASL_NOCANON: no reverse DNS). `security_layer` false: no SASL security layer
     * is negotiated (maxssf=0), which Windows AD wants inside TLS; true: signing/sealing as the
     * server offers (Samba requires it even inside TLS). The LDAP result code, or Error when
     * the connection failed; a Kerberos failure (no ticket, unknown principal, KDC unreachable)
     * is localError (-2) with GSS-API's reason in diagnostic().
     */
    [[nodiscard]] Result<int> gssapi_bind(const std::string& ccache, bool security_layer);

    /// The security strength factor of the SASL security layer a bind negotiated (RFC 4422 §3.7;
    /// LDAP_OPT_X_SASL_SSF): 0 without one or with integrity only (signing), the key size in bits
    /// with confidentiality (GSS-API sealing, e.g. 256 for AES-256 Kerberos).
    [[nodiscard]] unsigned sasl_ssf() const;

    /// The server's diagnostic message of the last operation ("" when none).
    [[nodiscard]] std::string diagnostic() const;

    /**
     * Paged (RFC 2696) search; every entry goes to `on_entry`. Error for transport failures and
     * any result code but success (size limit, referral, no such object, ...). `stop`, when
     * given, is asked after every page; true ends the search early.
     */
    [[nodiscard]] Result<std::size_t> paged_search(const SearchRequest& request, int page_size,
                                                   const EntryHandler& on_entry,
                                                   const std::function<bool()>& stop = {});

    /**
     * Single-shot search with a size limit; the number of entries and the result code. With
     * `size_limit` > 0 the limit is also enforced here: once that many entries came, the search
     * is abandoned and the outcome is sizeLimitExceeded (4), whatever the server would send.
     */
    struct Outcome {
        std::size_t entries = 0;
        int code = 0;
    };
    [[nodiscard]] Result<Outcome> search(const SearchRequest& request, int size_limit,
                                         const EntryHandler& on_entry);

    /**
     * Runs many searches with up to `window` outstanding at once on this connection.
     * `on_entry(i, dn, attrs)` per entry of request i; `on_done(i, code)` once per request.
     * Each search's whole answer must arrive within the timeout from when the one sent before
     * it was answered (or from its sending, if later); Error when one does not, and the rest
     * are abandoned.
     */
    [[nodiscard]] Result<bool> pipelined_search(
        const std::vector<SearchRequest>& requests, std::size_t window,
        const std::function<void(std::size_t, std::string_view,
                                 const std::vector<EntryAttribute>&)>& on_entry,
        const std::function<void(std::size_t, int)>& on_done);

    struct HandshakeGuard;  ///< bounds TLS handshakes, see ldap_client.cpp

private:
    /// One page of paged_search(): sends it with `cookie` and replaces `cookie` with the next
    /// page's ("" after the last); `total` counts the entries of all pages so far.
    Result<bool> search_page(const SearchRequest& request, int page_size, std::string& cookie,
                             std::size_t& total, EntryReader& reader, const EntryHandler& on_entry);

    Connection(ldap* handle, std::chrono::milliseconds timeout,
               std::unique_ptr<HandshakeGuard> guard) noexcept;
    void close() noexcept;

    ldap* ld_ = nullptr;
    std::chrono::milliseconds timeout_{5000};
    std::unique_ptr<HandshakeGuard> guard_;  ///< registered on ld_: outlives it
};

}  // namespace lisa::ldap_detail
