// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "lisa/core/fact.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa {

/// How the TLS handshake is reached: directly, or after a plaintext STARTTLS exchange.
enum class StartTls { None, Ldap, Smtp };

/// One TLS endpoint to observe.
struct TlsTarget {
    std::string host;  ///< name (Unicode allowed: resolved as its IDNA A-label) or IP literal
    int port = 443;
    std::string sni;      ///< server name sent and matched as its IDNA A-label (RFC 6066 §3);
                          ///< empty = host (never an IP literal); an invalid IDN is a tls.error
    std::string ca_file;  ///< PEM file for the chain check; its self-signed certificates are the
                          ///< trust anchors (intermediates in it are not); empty = the system store
    bool trust_intermediates = false;  ///< also trust ca_file's non-self-signed certificates
                                       ///< (endpoint.trust_intermediates: a pinned issuing CA)
    StartTls starttls = StartTls::None;
    /// The endpoint speaks LDAP inside TLS (ldaps; implied by StartTls::Ldap): in TLS 1.3 the
    /// server's verdict on an empty client certificate is then asked for rather than waited for.
    bool ldap = false;
    /// `--tls-depth full` (issue 15): also the depth facts an auditor expects from testssl.sh's
    /// default run — SSL 2.0/3.0, every suite per version by elimination, server order, forward
    /// secrecy, key-exchange groups, OCSP stapling and each certificate's revocation (OCSP, else CRL), secure
    /// renegotiation, compression, TLS_FALLBACK_SCSV (docs: README "TLS depth").
    bool full_depth = false;
};

/**
 * All tls.* facts for one target (see docs/probes/tls-http.md); never throws for network problems
 * (sets tls.reachable=false, tls.error). Every network operation (connect, STARTTLS, handshake,
 * read) is bounded by context.timeout; the handshakes run concurrently, so a silent peer costs
 * about one timeout in total. A fact that could not be observed (e.g. one pinned handshake lost
 * its connection) is left out rather than guessed.
 *
 * Certificates (issue 11 A): besides the default client, one handshake offers only ECDSA/EdDSA
 * signature algorithms and one only RSA ones, so every certificate the server holds is seen.
 * Each chain is verified as sent against the trust anchors alone (ca_file's self-signed
 * certificates, its intermediates too with trust_intermediates, else the system store) as of
 * context.as_of: tls.cert.chain_valid, tls.chain.complete; tls.chain.* give the first expiry,
 * weakest key and weakest signature over every certificate sent. At most 8 connections are
 * open at once for one call (4 pinned versions, 2 key types, 2 weak-cipher eliminations).
 *
 * With target.full_depth (issue 15) the pinned versions and weak-class offers are replaced by raw
 * ClientHellos: per version an elimination of every suite (accepted + 1 connections, one at a
 * time), SSL 3.0, SSL 2.0, the groups' elimination, then server order and TLS_FALLBACK_SCSV —
 * at most 9 connections open at once (4 versions, SSL 3.0, SSL 2.0, groups, 2 key types) plus
 * per certificate held one HTTP POST to its OCSP responder (RFC 6960; plain http, bounded by
 * context.timeout rounded up to whole seconds and 64 KiB) or, naming none, one GET of its http(s)
 * CRL (RFC 5280; bounded by context.timeout and 10 MiB), once per URL per scan (context.memo). Each hello is bounded by context.timeout, each
 * elimination by ten timeouts in total. The depth facts and their sources: README "TLS depth"
 * (RFC 6176, 7568, 5746, 7507, 8446 §4.2.7–4.2.8, 8422 §5.4, 6066 §8, 6960).
 *
 * Thread-safe and self-contained: callers (the ldap probe) may run it from several threads at
 * once. It blocks SIGPIPE only in the worker threads it creates.
 */
[[nodiscard]] Facts collect_tls_facts(const TlsTarget& target, const ProbeContext& context);

/// Why `ca_file` cannot serve as trust anchors (not a regular file under its cap, no PEM
/// certificate in it, no self-signed root unless `trust_intermediates`), naming the file; empty
/// when it can. Every probe that takes a ca_file asks this first: a problem is "could not check".
[[nodiscard]] std::string ca_file_problem(const std::string& ca_file, bool trust_intermediates);

/// The probe of kind "tls" for endpoint subjects: https/ldaps/tls/smtps URLs, or ldap/smtp URLs
/// with endpoint.starttls=true.
[[nodiscard]] std::unique_ptr<Probe> make_tls_probe();

}  // namespace lisa
