// SPDX-License-Identifier: Apache-2.0
// Internal to lisa_probe_tls (and its tests): the pure halves of the tls probe — certificate to
// facts, the weak cipher class table, and the few wire formats the probe speaks itself (a raw
// TLS ClientHello/ServerHello, an LDAP StartTLS extended operation, SMTP replies). Nothing here
// opens a socket.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/core/result.hpp"
#include "lisa/core/value.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa::tls_detail {

// ---------------------------------------------------------------- OpenSSL RAII

struct X509Deleter {
    void operator()(X509* cert) const noexcept { X509_free(cert); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

struct X509StackDeleter {
    void operator()(STACK_OF(X509) * chain) const noexcept { sk_X509_pop_free(chain, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

struct SslCtxDeleter {
    void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

struct SslDeleter {
    void operator()(SSL* ssl) const noexcept { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

struct BioDeleter {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// ---------------------------------------------------------------- certificates (pure)

/// The first certificate of a PEM text, or null when there is none.
[[nodiscard]] X509Ptr parse_pem_certificate(std::string_view pem);
/// Every certificate of a PEM text, in order.
[[nodiscard]] X509StackPtr parse_pem_chain(std::string_view pem);

/// An X.509 name as RFC 2253 text with UTF-8 kept readable ("CN=Växjö kommun,O=...").
[[nodiscard]] std::string name_to_string(const X509_NAME* name);
/// The calendar date (UTC) of an ASN1_TIME.
[[nodiscard]] std::optional<Date> date_of(const ASN1_TIME* time);
/// True for an IPv4 or IPv6 literal (no SNI is sent for those; the IP SAN is matched instead).
[[nodiscard]] bool is_ip_literal(std::string_view host);

/**
 * The tls.cert.* facts a leaf certificate shows by itself: not_before, not_after, days_remaining
 * (relative to as_of, negative when expired), key_type, key_bits, signature_algorithm,
 * self_signed, subject, issuer, san, fingerprint_sha256, hostname_match (against expected_name,
 * a DNS name or an IP literal). Pure: no clock, no I/O. Chain facts come from verify_chain.
 */
[[nodiscard]] Facts certificate_facts(X509* leaf, std::string_view expected_name, Date as_of,
                                      const std::string& source);

/// Outcome of a chain check.
struct ChainVerdict {
    bool valid = false;     ///< the sent chain verifies against the trust anchors as of as_of
    bool complete = false;  ///< the sent chain reaches a trust anchor (time not considered)
    std::string error;      ///< X509_verify_cert_error_string, "ok" when valid
    /// false when the trust anchors could not be read (ca_file missing, not a regular file, no
    /// certificate, no root in it): valid/complete say nothing then, error says why.
    bool checked = true;
};

/**
 * Verifies leaf + the chain the server sent (`sent`, leaf first, may be null) for TLS server
 * use, as of the end of the audit date `as_of` (23:59:59 UTC), against trust anchors only:
 *   * ca_file empty: the system store (loaded once per process);
 *   * else the self-signed certificates in ca_file; with trust_intermediates also its other
 *     certificates (X509_V_FLAG_PARTIAL_CHAIN: a municipality pinning its issuing CA).
 * Intermediates in ca_file are never used to complete what the server sent: a client that
 * trusts only the root fails on a server that does not send its intermediates, so must lisa.
 * `complete` is the same path building with every error other than a missing issuer ignored
 * (expiry, purpose, key strength); when the chain is incomplete but ca_file's intermediates
 * would have completed it, `error` says so. Reads ca_file (PEM, at most 4 MiB).
 */
[[nodiscard]] ChainVerdict verify_chain(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                        bool trust_intermediates, Date as_of);

/**
 * tls.chain.* facts over every certificate of every chain the server sent (one chain per key
 * type it holds, see tls_probe.cpp), so an issuing CA that expires before the leaf, or an RSA
 * certificate beside an ECDSA one, is judged too:
 *   tls.chain.min_days_remaining, tls.chain.first_expiry, tls.chain.first_expiring_subject —
 *     the certificate that expires first (a sent root included: clients that build their path
 *     through it fail when it expires);
 *   tls.chain.weakest_key_type, tls.chain.weakest_key_bits — the key of least security
 *     strength (NIST SP 800-57 Part 1 Rev. 5 §5.6.1 table 2: RSA/DSA 1024→80, 2048→112,
 *     3072→128, 7680→192, 15360→256 bits; EC size/2; Ed25519 128, Ed448 224; unknown types 0);
 *   tls.chain.weakest_signature_algorithm — the weakest (MD2/MD4/MD5 < SHA-1 < others) among
 *     the signatures clients verify: self-signed certificates after the leaf are skipped, their
 *     signature is not validated (RFC 8446 §4.2.3, RFC 5280 §6.1).
 * Pure: no clock, no I/O. Chains with no certificate are ignored; no chain, no facts.
 */
[[nodiscard]] Facts chain_facts(const std::vector<STACK_OF(X509) *>& chains, Date as_of,
                                const std::string& source);

/// The leaf's revocation status as its OCSP responder gives it (RFC 6960).
struct OcspCheck {
    std::string status;   ///< good | revoked | unknown | no_responder (no OCSP URL); empty = problem
    std::string problem;  ///< why there is no status (unreachable, unsigned, stale, …)
    std::string url;      ///< the responder asked (the AIA's first OCSP URL)
};

/**
 * Asks the leaf's OCSP responder (AIA, plain http) about the leaf: one POST with a nonce, the
 * whole exchange bounded by `timeout` (rounded up to whole seconds) and 64 KiB. The issuer comes
 * from `sent` or ca_file; the response must verify against ca_file's certificates (or the
 * system store) and be within its validity (5 minutes' leeway, by the clock: revocation is now).
 */
[[nodiscard]] OcspCheck check_ocsp(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                   std::chrono::milliseconds timeout);

/// What an OCSP response the server stapled (RFC 6066 §8) says about the leaf it came with.
struct StapleCheck {
    /// good | revoked | unknown: a response about this leaf, signed by its issuer (or a responder
    /// the issuer delegated to) chaining to the trust anchors, within its validity (5 minutes'
    /// leeway). Otherwise no usable staple: none (nothing stapled), other_certificate (no
    /// response in it is about this leaf: another certificate's CertID), unverified (its
    /// signature does not verify against the issuer and the anchors), stale (outside its
    /// validity), invalid (not a successful basic OCSP response). Empty = could not check.
    std::string verdict;
    std::string problem;  ///< why the verdict is empty
};

/**
 * Judges a stapled OCSP response (DER) against the leaf it came with: the CertID compared with
 * the leaf's in the response's own hash algorithm (SHA-1 or SHA-256), the issuer from `sent` or
 * ca_file, the signature verified as check_ocsp does (no nonce: a staple has none). Pure but
 * for reading ca_file (PEM, at most 4 MiB). A staple for another certificate never lends its
 * status to the leaf.
 */
[[nodiscard]] StapleCheck check_staple(const std::vector<std::uint8_t>& staple, X509* leaf,
                                       STACK_OF(X509) * sent, const std::string& ca_file);

/// The certificates of `ca_file` (read once per process, bounded), a null stack when ca_file is
/// empty; or why they cannot be read.
[[nodiscard]] Result<X509StackPtr> ca_certs_of(const std::string& ca_file);

/// The certificate that issued `leaf` (X509_check_issued: name, key identifier, key usage): from
/// what the server sent (`sent`, may be null), else from `ca_certs` (may be null); null when none.
[[nodiscard]] X509* find_issuer(X509* leaf, STACK_OF(X509) * sent, STACK_OF(X509) * ca_certs);

/// The SHA-256 of the certificate's DER as lowercase hex (the tls.cert.fingerprint_sha256 fact);
/// empty when it cannot be digested.
[[nodiscard]] std::string sha256_fingerprint(X509* cert);

/// The largest CRL lisa fetches (bytes): a municipal AD CS CRL is kilobytes to a few MiB.
inline constexpr std::size_t kMaxCrlBytes = 10U * 1024U * 1024U;

/// One certificate's revocation status: from its OCSP responder or, when it names none, its CRL.
struct RevocationCheck {
    std::string status;   ///< good | revoked | unknown (an OCSP responder's word); empty = problem
    std::string problem;  ///< why there is no status: says which source and why (never a status)
    std::string source;   ///< ocsp | crl: where the status (or the problem) comes from
};

/**
 * The certificate's CRL (RFC 5280 §5), for a certificate naming no OCSP responder: the first
 * http or https URI of its CRL distribution points (a full name; libcurl parses it), fetched with
 * one bounded GET — no redirects, `timeout` for the whole transfer, at most kMaxCrlBytes, DER or
 * PEM — once per URL per scan (`memo`: a county's endpoints share a few CAs' CRLs; a failed fetch
 * is not retried within the scan). The CRL must be issued by the certificate's issuer (found in
 * `sent`, else ca_file) and verify with its key, cover every certificate and reason (no delta,
 * no partial issuing distribution point), and be current by the clock — thisUpdate not in the
 * future, nextUpdate present and not passed (5 minutes' leeway, as OCSP: revocation is now);
 * then revoked when it lists the serial (X509_CRL_get0_by_cert), else good. Anything else —
 * ldap:// or another scheme only, no distribution point, unreachable, oversized, not a CRL,
 * another signer, stale — is a problem, never a status. An https fetch does not verify the
 * server's certificate: the CRL carries its issuer's signature, which is what is checked.
 */
[[nodiscard]] RevocationCheck check_crl(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                        std::chrono::milliseconds timeout, ScanMemo& memo);

/// check_ocsp for a certificate naming an OCSP responder, else check_crl.
[[nodiscard]] RevocationCheck check_revocation(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                               std::chrono::milliseconds timeout, ScanMemo& memo);

/// A SAN (or, without DNS SANs, the CN) of the certificate matches expected_name (an A-label
/// DNS name, X509_check_host without partial wildcards, or an IP literal, X509_check_ip_asc).
[[nodiscard]] bool hostname_matches(X509* leaf, std::string_view expected_name);

/// The key type name certificate_facts reports ("RSA", "EC", ...), "none" without a key.
[[nodiscard]] std::string key_type_of(X509* cert);

/// Which certificate this is, in the names it carries as the server sent them, for a message
/// that must say which one to replace: "<key type> certificate CN=<cn>, SAN <name>, <name>, …"
/// — every subject CN (UTF-8) and the first 10 SANs (tls.cert.san's spelling; "+N more SANs"
/// after them, "no SAN" without any). Nothing secret is in a certificate. Pure.
[[nodiscard]] std::string certificate_names(X509* cert);

// ---------------------------------------------------------------- weak cipher classes (pure)

/// A class of weak TLS ≤ 1.2 cipher suites, in the order they are reported.
enum class WeakClass { Null, Anon, Export, Rc4, Des, TripleDes };
inline constexpr std::array<WeakClass, 6> kWeakClasses = {WeakClass::Null,   WeakClass::Anon,
                                                          WeakClass::Export, WeakClass::Rc4,
                                                          WeakClass::Des,    WeakClass::TripleDes};

/// "null", "anon", "export", "rc4", "des", "3des".
[[nodiscard]] std::string_view to_string(WeakClass weak) noexcept;
/// The OpenSSL cipher string selecting the class ("eNULL", "aNULL", "EXP", ...).
[[nodiscard]] std::string_view openssl_cipher_string(WeakClass weak) noexcept;
/// IANA suite ids of the class (a suite may belong to several classes).
[[nodiscard]] const std::vector<std::uint16_t>& iana_suites(WeakClass weak);
/// Bit (1 << index in kWeakClasses) set for every class the suite belongs to.
[[nodiscard]] unsigned weak_classes_of(std::uint16_t suite);
/// Bit for one class.
[[nodiscard]] constexpr unsigned bit(WeakClass weak) noexcept {
    return 1U << static_cast<unsigned>(weak);
}

// ---------------------------------------------------------------- TLS wire (pure)

inline constexpr std::uint16_t kTls10 = 0x0301;
inline constexpr std::uint16_t kTls11 = 0x0302;
inline constexpr std::uint16_t kTls12 = 0x0303;
inline constexpr std::uint16_t kTls13 = 0x0304;

/**
 * A TLS 1.2 ClientHello record offering exactly `suites` (plus the renegotiation SCSV), with
 * server_name (when sni is a DNS name), supported_groups, ec_point_formats and
 * signature_algorithms, so any TLS ≤ 1.2 server can pick a suite it accepts.
 */
[[nodiscard]] std::vector<std::uint8_t> build_client_hello(
    const std::vector<std::uint16_t>& suites, std::string_view sni,
    const std::array<std::uint8_t, 32>& random);

inline constexpr std::uint16_t kSsl3 = 0x0300;
inline constexpr std::uint16_t kSsl2 = 0x0002;

inline constexpr std::uint16_t kScsvRenegotiation = 0x00FF;  ///< RFC 5746 §3.3
inline constexpr std::uint16_t kScsvFallback = 0x5600;       ///< RFC 7507 §6
inline constexpr std::uint8_t kAlertInappropriateFallback = 86;  ///< RFC 7507 §2

/// What one raw ClientHello offers (tls_wire.cpp writes it; no OpenSSL involved).
struct HelloSpec {
    /// SSL 3.0 (0x0300) … TLS 1.2 (0x0303) as client_version; TLS 1.3 (0x0304) is sent as
    /// legacy_version 0x0303 with supported_versions and an x25519 key_share (empty when x25519
    /// is not among `groups`, so the server names its choice in a HelloRetryRequest).
    std::uint16_t version = kTls12;
    std::vector<std::uint16_t> suites;  ///< offered in this order
    std::vector<std::uint16_t> groups;  ///< supported_groups; empty = x25519, P-256/384/521, x448,
                                        ///< ffdhe2048/3072
    bool offer_compression = false;     ///< DEFLATE (1) before null (TLS ≤ 1.2 only, RFC 3749)
    bool status_request = false;        ///< OCSP status_request (RFC 6066 §8)
    bool fallback_scsv = false;         ///< TLS_FALLBACK_SCSV after the suites (RFC 7507)
};

/// A raw ClientHello record for `spec` (the renegotiation SCSV is always offered, RFC 5746).
[[nodiscard]] std::vector<std::uint8_t> build_client_hello(const HelloSpec& spec, std::string_view sni,
                                                           const std::array<std::uint8_t, 32>& random);

/// An SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00 §B) offering every SSL 2.0 cipher kind.
[[nodiscard]] std::vector<std::uint8_t> build_ssl2_client_hello(const std::array<std::uint8_t, 16>& challenge);

/// Whether bytes from the start of a server's answer are an SSL 2.0 SERVER-HELLO: nullopt while
/// more bytes are needed, else true (SSL 2.0 spoken, with at least one cipher kind) or false.
[[nodiscard]] std::optional<bool> is_ssl2_server_hello(const std::uint8_t* data, std::size_t size);

/// A ServerHello handshake message (type, 3-byte length, body) decoded.
struct ServerHello {
    std::uint16_t version = 0;  ///< supported_versions when present, else legacy_version
    std::uint16_t suite = 0;
    bool retry_request = false;  ///< a TLS 1.3 HelloRetryRequest, not a real ServerHello
    std::uint8_t compression = 0;     ///< compression method chosen (0 null, 1 DEFLATE)
    bool renegotiation_info = false;  ///< renegotiation_info extension (RFC 5746 secure renego)
    bool status_request = false;      ///< empty status_request: a CertificateStatus will follow
    std::uint16_t group = 0;          ///< key_share's group (TLS 1.3 ServerHello or HRR)
};

/// Decodes a ServerHello handshake message including its 4-byte header.
[[nodiscard]] std::optional<ServerHello> parse_server_hello_message(const std::uint8_t* data,
                                                                    std::size_t size);

/// How far parse_server_reply reads a TLS ≤ 1.2 server's first flight (RFC 5246 §7.3: ServerHello,
/// Certificate, [CertificateStatus], [ServerKeyExchange], [CertificateRequest], ServerHelloDone).
/// A TLS 1.3 ServerHello, a HelloRetryRequest, an alert always end the read.
enum class ReadTo {
    Hello,        ///< the ServerHello
    KeyExchange,  ///< on to the ServerKeyExchange (or the ServerHelloDone when there is none)
    HelloDone,    ///< on to the ServerHelloDone, noting a CertificateRequest on the way
};

/// What the first record(s) a server sends after a ClientHello say.
struct ServerReply {
    enum class Kind { NeedMore, Hello, Alert, Invalid };
    Kind kind = Kind::NeedMore;
    ServerHello hello;       ///< when Hello
    std::uint8_t alert = 0;  ///< alert description, when Alert
    /// ReadTo::KeyExchange: the named group of a TLS ≤ 1.2 ECDHE ServerKeyExchange (RFC 8422
    /// §5.4), 0 when the flight has none (RSA, DHE) — Hello is then returned only once the
    /// ServerKeyExchange or ServerHelloDone has arrived.
    std::uint16_t ske_group = 0;
    /// ReadTo::KeyExchange: the prime p of a TLS ≤ 1.2 DHE ServerKeyExchange (RFC 5246
    /// §7.4.3 ServerDHParams), big-endian; empty for any other key exchange.
    std::vector<std::uint8_t> ske_dh_prime;
    /// ReadTo::HelloDone: the flight carried a CertificateRequest (RFC 5246 §7.4.4).
    bool cert_request = false;
    /// The ServerHello has been read (then in `hello`), even while more of the flight is needed.
    /// An alert or bytes that are not TLS after it end the read as Hello with flight_complete
    /// false: the server answered the hello at that version, then broke off.
    bool hello_read = false;
    bool flight_complete = true;
};

/// Looks at the bytes received so far (records from the start of the server's answer), reading a
/// TLS ≤ 1.2 flight as far as `read_to` says.
[[nodiscard]] ServerReply parse_server_reply(const std::uint8_t* data, std::size_t size,
                                             ReadTo read_to = ReadTo::Hello);

// ---------------------------------------------------------------- suites and groups (pure)

/// Every TLS ≤ 1.2 cipher suite id the probe offers when enumerating: the IANA ranges
/// 0x0000–0x00FF, 0xC000–0xC0FF and 0xCC00–0xCCFF except the SCSVs (about 500 ids; a server
/// picks among those it knows, so no table of names is needed to ask).
[[nodiscard]] const std::vector<std::uint16_t>& enumeration_suites_tls12();
/// The TLS 1.3 suites (RFC 8446 §B.4): 0x1301–0x1305.
[[nodiscard]] const std::vector<std::uint16_t>& enumeration_suites_tls13();
/// Named groups asked about (RFC 8446 §4.2.7, RFC 7919): x25519, x448, secp256r1/384r1/521r1,
/// ffdhe2048…8192, brainpoolP256/384/512r1tls13.
[[nodiscard]] const std::vector<std::uint16_t>& enumeration_groups();
/// "x25519", "secp256r1", "ffdhe2048", … or "0x…" for an id this table does not name.
[[nodiscard]] std::string group_name(std::uint16_t group);
/// Key exchange of a suite from its IANA id: true for (EC)DHE and every TLS 1.3 suite.
[[nodiscard]] bool forward_secret(std::uint16_t suite);
/// True for the ECDHE suites (ServerKeyExchange names the curve, RFC 8422 §5.4).
[[nodiscard]] bool ecdhe_suite(std::uint16_t suite);
/// True for the finite-field DHE suites (ServerKeyExchange carries the prime, RFC 5246 §7.4.3).
[[nodiscard]] bool dhe_suite(std::uint16_t suite);

/// A finite-field group a server uses for DHE: `name` is the standard group whose prime it is —
/// "ffdhe2048" … "ffdhe8192" (RFC 7919), "modp_1536" … "modp_8192" (RFC 3526), "modp_768" and
/// "modp_1024" (RFC 2409 Oakley groups 1 and 2), "dh_1024_160",
/// "dh_2048_224", "dh_2048_256" (RFC 5114), as OpenSSL 3 names them — or "unknown" for a prime
/// of the server's own; `bits` is the prime's size (what Logjam and BSI TR-02102-2 judge).
struct DhGroup {
    std::string name;
    int bits = 0;
};
/// `prime` big-endian, as a ServerKeyExchange carries it.
[[nodiscard]] DhGroup dh_group(const std::vector<std::uint8_t>& prime);
/// True for the CBC-mode suites (neither AEAD, stream nor NULL).
[[nodiscard]] bool cbc_suite(std::uint16_t suite);
/// The suite's IANA name ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") as OpenSSL knows it, else
/// its id as "0xC011" (suites Debian's OpenSSL 3 no longer carries: RC4, export, …).
[[nodiscard]] std::string suite_name(std::uint16_t suite);

/// "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (as SSL_get_version spells them).
[[nodiscard]] std::string_view version_name(std::uint16_t version) noexcept;

// ---------------------------------------------------------------- STARTTLS (pure)

/// The LDAPv3 StartTLS extended request (OID 1.3.6.1.4.1.1466.20037), BER encoded.
[[nodiscard]] std::vector<std::uint8_t> ldap_starttls_request(int message_id);

/// An LDAP ExtendedResponse decoded far enough to judge StartTLS.
struct LdapReply {
    enum class Kind { NeedMore, Done, Invalid };
    Kind kind = Kind::NeedMore;
    int result_code = -1;      ///< 0 = success
    std::string diagnostic;    ///< the server's diagnosticMessage
    std::size_t consumed = 0;  ///< bytes of the message, when Done
};

/// Decodes one LDAPMessage carrying an ExtendedResponse from the bytes received so far.
[[nodiscard]] LdapReply parse_ldap_extended_response(const std::uint8_t* data, std::size_t size);

/// An SMTP reply (possibly multi-line) decoded.
struct SmtpReply {
    bool complete = false;
    int code = 0;
    std::vector<std::string> lines;  ///< text after "250-" / "250 "
    std::size_t consumed = 0;
};

/// Decodes one SMTP reply from the bytes received so far.
[[nodiscard]] SmtpReply parse_smtp_reply(std::string_view data);

}  // namespace lisa::tls_detail
