// SPDX-License-Identifier: Apache-2.0
// Pure: a certificate (X509*) in, tls.cert.* facts out. Unit-tested with PEM the tests generate.
#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/ocsp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include "lisa/core/result.hpp"
#include "lisa/probes/tls_probe.hpp"
#include "../pki/ca_file.hpp"
#include "tls_connection.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {
namespace {

struct StoreDeleter {
    void operator()(X509_STORE* store) const noexcept { X509_STORE_free(store); }
};
using StorePtr = std::unique_ptr<X509_STORE, StoreDeleter>;

struct StoreCtxDeleter {
    void operator()(X509_STORE_CTX* ctx) const noexcept { X509_STORE_CTX_free(ctx); }
};
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter>;

struct GeneralNamesDeleter {
    void operator()(GENERAL_NAMES* names) const noexcept { GENERAL_NAMES_free(names); }
};
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter>;

BioPtr memory_bio(std::string_view data) {
    return BioPtr{BIO_new_mem_buf(data.data(), static_cast<int>(data.size()))};
}

std::string asn1_text(const ASN1_STRING* text) {
    const unsigned char* data = ASN1_STRING_get0_data(text);
    return {reinterpret_cast<const char*>(data),
            static_cast<std::size_t>(ASN1_STRING_length(text))};
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
    const unsigned char* data = ASN1_STRING_get0_data(ip);
    const int size = ASN1_STRING_length(ip);
    char buffer[INET6_ADDRSTRLEN] = {};
    if (size == 4 && inet_ntop(AF_INET, data, buffer, sizeof buffer) != nullptr) {
        return buffer;
    }
    if (size == 16 && inet_ntop(AF_INET6, data, buffer, sizeof buffer) != nullptr) {
        return buffer;
    }
    return "invalid-ip";
}

StringList subject_alt_names(X509* leaf) {
    StringList out;
    GeneralNamesPtr names{static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr))};
    if (!names) {
        return out;
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
        switch (name->type) {
            case GEN_DNS:
                out.push_back(asn1_text(name->d.dNSName));
                break;
            case GEN_IPADD:
                out.push_back(ip_text(name->d.iPAddress));
                break;
            case GEN_EMAIL:
                out.push_back("email:" + asn1_text(name->d.rfc822Name));
                break;
            case GEN_URI:
                out.push_back("URI:" + asn1_text(name->d.uniformResourceIdentifier));
                break;
            default:
                break;  // otherName, directoryName, ... are not useful for matching
        }
    }
    return out;
}

std::string key_type(const EVP_PKEY* key) {
    switch (EVP_PKEY_get_base_id(key)) {
        case EVP_PKEY_RSA:
            return "RSA";
        case EVP_PKEY_RSA_PSS:
            return "RSA-PSS";
        case EVP_PKEY_EC:
            return "EC";
        case EVP_PKEY_ED25519:
            return "Ed25519";
        case EVP_PKEY_ED448:
            return "Ed448";
        case EVP_PKEY_DSA:
            return "DSA";
        default:
            break;
    }
    const char* name = EVP_PKEY_get0_type_name(key);
    return name != nullptr ? name : "unknown";
}


}  // namespace

bool hostname_matches(X509* leaf, std::string_view expected_name) {
    if (expected_name.empty()) {
        return false;
    }
    std::string name(expected_name);
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
        name = name.substr(1, name.size() - 2);
    }
    if (is_ip_literal(name)) {
        return X509_check_ip_asc(leaf, name.c_str(), 0) == 1;
    }
    return X509_check_host(leaf, name.data(), name.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                           nullptr) == 1;
}

std::string certificate_names(X509* cert) {
    if (cert == nullptr) {
        return "no certificate";
    }
    std::string out = key_type_of(cert) + " certificate";
    const X509_NAME* subject = X509_get_subject_name(cert);
    bool named = false;
    for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
        unsigned char* utf8 = nullptr;
        const int size = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)));
        if (size >= 0 && utf8 != nullptr) {
            out += std::string(named ? ", CN=" : " CN=") + std::string(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
            named = true;
        }
        OPENSSL_free(utf8);
    }
    if (!named) {
        out += " without CN";
    }
    constexpr std::size_t kShownSans = 10;
    const StringList sans = subject_alt_names(cert);
    out += sans.empty() ? ", no SAN" : ", SAN ";
    for (std::size_t i = 0; i < sans.size() && i < kShownSans; ++i) {
        out += (i == 0 ? "" : ", ") + sans[i];
    }
    if (sans.size() > kShownSans) {
        out += " (+" + std::to_string(sans.size() - kShownSans) + " more SANs)";
    }
    ERR_clear_error();
    return out;
}

namespace {

/// The system trust store, loaded once per process (about 40 ms for Debian's bundle).
X509_STORE* system_store() {
    static X509_STORE* const store = [] {
        X509_STORE* created = X509_STORE_new();
        if (created != nullptr) {
            X509_STORE_set_default_paths(created);
        }
        return created;
    }();
    return store;
}

}  // namespace

X509Ptr parse_pem_certificate(std::string_view pem) {
    BioPtr bio = memory_bio(pem);
    if (!bio) {
        return nullptr;
    }
    return X509Ptr{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
}

X509StackPtr parse_pem_chain(std::string_view pem) { return X509StackPtr{pki::parse_certificates(pem)}; }

std::string name_to_string(const X509_NAME* name) {
    BioPtr bio{BIO_new(BIO_s_mem())};
    if (!bio || name == nullptr) {
        return {};
    }
    // RFC 2253 order and escaping, but keep UTF-8 (å, ä, ö) instead of \C3\A5 escapes.
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

std::optional<Date> date_of(const ASN1_TIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        return std::nullopt;
    }
    return Date::from_ymd(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                          static_cast<unsigned>(tm.tm_mday));
}

bool is_ip_literal(std::string_view host) {
    std::string text(host);
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

Facts certificate_facts(X509* leaf, std::string_view expected_name, Date as_of,
                        const std::string& source) {
    Facts facts;
    if (leaf == nullptr) {
        return facts;
    }
    const auto put = [&](const char* name, Value value) {
        facts.insert_or_assign(name, probed(std::move(value), source));
    };
    if (const auto not_before = date_of(X509_get0_notBefore(leaf))) {
        put("tls.cert.not_before", *not_before);
    }
    if (const auto not_after = date_of(X509_get0_notAfter(leaf))) {
        put("tls.cert.not_after", *not_after);
        put("tls.cert.days_remaining", std::int64_t{not_after->days - as_of.days});
    }
    if (const EVP_PKEY* key = X509_get0_pubkey(leaf)) {
        put("tls.cert.key_type", key_type(key));
        put("tls.cert.key_bits", std::int64_t{EVP_PKEY_get_bits(key)});
    }
    const int signature_nid = X509_get_signature_nid(leaf);
    const char* signature_name = signature_nid == NID_undef ? nullptr : OBJ_nid2ln(signature_nid);
    put("tls.cert.signature_algorithm", signature_name != nullptr ? signature_name : "unknown");
    put("tls.cert.self_signed", X509_self_signed(leaf, 1) == 1);
    put("tls.cert.subject", name_to_string(X509_get_subject_name(leaf)));
    put("tls.cert.issuer", name_to_string(X509_get_issuer_name(leaf)));
    put("tls.cert.san", subject_alt_names(leaf));
    put("tls.cert.fingerprint_sha256", sha256_fingerprint(leaf));
    put("tls.cert.hostname_match", hostname_matches(leaf, expected_name));
    ERR_clear_error();  // X509_self_signed and friends may leave entries behind
    return facts;
}

namespace {

/// Every certificate of a ca_file (pki::ca_file: read through the bounded reader and parsed once
/// per process), as the caller's own stack of up-referenced certificates; or why not.
Result<X509StackPtr> read_ca_file(const std::string& ca_file) {
    const std::shared_ptr<const pki::CaFile> file = pki::ca_file(ca_file);
    if (!file->error.empty()) {
        return Error{"cannot load ca_file " + ca_file + ": " + file->error};
    }
    if (sk_X509_num(file->certificates) <= 0) {
        return Error{"cannot load ca_file " + ca_file + ": no PEM certificate in it"};
    }
    X509StackPtr certs{X509_chain_up_ref(file->certificates)};
    if (!certs) {
        ERR_clear_error();
        return Error{"cannot load ca_file " + ca_file + ": out of memory"};
    }
    return certs;
}

bool is_path_error(int error) {
    switch (error) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return true;
        default:
            return false;
    }
}

/// Verify callback for the completeness check: only a missing issuer stops path building.
int only_path_errors(int ok, X509_STORE_CTX* ctx) {
    if (ok == 1) {
        return 1;
    }
    return is_path_error(X509_STORE_CTX_get_error(ctx)) ? 0 : 1;
}

struct Verification {
    bool ok = false;
    int error = X509_V_OK;
};

enum class Mode { Validity, PathOnly };

Verification run_verify(X509_STORE* store, X509* leaf, STACK_OF(X509) * untrusted, Mode mode,
                        bool partial_chain, Date as_of) {
    StoreCtxPtr ctx{X509_STORE_CTX_new()};
    if (store == nullptr || !ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, untrusted) != 1) {
        ERR_clear_error();
        return {false, X509_V_ERR_UNSPECIFIED};
    }
    X509_STORE_CTX_set_default(ctx.get(), "ssl_server");
    unsigned long flags = partial_chain ? X509_V_FLAG_PARTIAL_CHAIN : 0;
    if (mode == Mode::PathOnly) {
        flags |= X509_V_FLAG_NO_CHECK_TIME;
        X509_STORE_CTX_set_verify_cb(ctx.get(), only_path_errors);
    } else {
        // Validity is judged at the end of the audit date (23:59:59 UTC), not at the wall clock.
        X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(as_of.days * 86400 + 86399));
    }
    if (flags != 0) {
        X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx.get()), flags);
    }
    Verification out;
    out.ok = X509_verify_cert(ctx.get()) == 1;
    out.error = out.ok ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return out;
}

/// Security strength in bits of a certificate's public key (NIST SP 800-57 Part 1 Rev. 5,
/// §5.6.1 table 2); 0 for an unknown type or no key.
int key_strength(X509* cert) {
    const EVP_PKEY* key = X509_get0_pubkey(cert);
    if (key == nullptr) {
        return 0;
    }
    const int bits = EVP_PKEY_get_bits(key);
    switch (EVP_PKEY_get_base_id(key)) {
        case EVP_PKEY_RSA:
        case EVP_PKEY_RSA_PSS:
        case EVP_PKEY_DSA:
            return bits >= 15360 ? 256
                   : bits >= 7680 ? 192
                   : bits >= 3072 ? 128
                   : bits >= 2048 ? 112
                   : bits >= 1024 ? 80
                                  : bits / 16;
        case EVP_PKEY_EC:
            return bits / 2;
        case EVP_PKEY_ED25519:
            return 128;
        case EVP_PKEY_ED448:
            return 224;
        default:
            return 0;
    }
}

/// 0 for MD2/MD4/MD5, 1 for SHA-1, 2 for anything else (unknown digests count as weak: 0).
int signature_strength(X509* cert) {
    int digest_nid = NID_undef;
    int pkey_nid = NID_undef;
    if (OBJ_find_sigid_algs(X509_get_signature_nid(cert), &digest_nid, &pkey_nid) != 1) {
        return 0;
    }
    switch (digest_nid) {
        case NID_md2:
        case NID_md4:
        case NID_md5:
        case NID_md5_sha1:
            return 0;
        case NID_sha1:
            return 1;
        default:
            return 2;  // SHA-2, SHA-3, and NID_undef for algorithms with a built-in digest
    }
}

std::string signature_name(X509* cert) {
    const int nid = X509_get_signature_nid(cert);
    const char* name = nid == NID_undef ? nullptr : OBJ_nid2ln(nid);
    return name != nullptr ? name : "unknown";
}

}  // namespace

std::string key_type_of(X509* cert) {
    const EVP_PKEY* key = cert != nullptr ? X509_get0_pubkey(cert) : nullptr;
    return key != nullptr ? key_type(key) : "none";
}

}  // namespace lisa::tls_detail

namespace lisa {

std::string ca_file_problem(const std::string& ca_file, bool trust_intermediates) {
    auto certs = tls_detail::read_ca_file(ca_file);
    if (!certs) {
        return certs.error().message;
    }
    if (trust_intermediates) {
        return {};
    }
    for (int i = 0; i < sk_X509_num(certs.value().get()); ++i) {
        if (X509_self_signed(sk_X509_value(certs.value().get(), i), 1) == 1) {
            ERR_clear_error();
            return {};
        }
    }
    ERR_clear_error();
    return "ca_file " + ca_file +
           " holds no self-signed (root) certificate to trust; set trust_intermediates: true to "
           "trust an issuing CA";
}

}  // namespace lisa

namespace lisa::tls_detail {

ChainVerdict verify_chain(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                          bool trust_intermediates, Date as_of) {
    if (leaf == nullptr) {
        return {false, false, "no certificate"};
    }
    StorePtr own_store;
    X509_STORE* store = nullptr;
    X509StackPtr ca_intermediates{sk_X509_new_null()};
    if (ca_file.empty()) {
        store = system_store();
    } else {
        auto certs = read_ca_file(ca_file);
        if (!certs) {
            return {false, false, certs.error().message, false};
        }
        own_store.reset(X509_STORE_new());
        if (!own_store) {
            ERR_clear_error();
            return {false, false, "cannot set up certificate verification", false};
        }
        int anchors = 0;
        for (int i = 0; i < sk_X509_num(certs.value().get()); ++i) {
            X509* cert = sk_X509_value(certs.value().get(), i);
            const bool self_signed = X509_self_signed(cert, 1) == 1;
            if (self_signed || trust_intermediates) {
                if (X509_STORE_add_cert(own_store.get(), cert) == 1) {
                    ++anchors;
                }
            } else if (ca_intermediates && X509_up_ref(cert) == 1) {
                if (sk_X509_push(ca_intermediates.get(), cert) <= 0) {
                    X509_free(cert);
                }
            }
        }
        ERR_clear_error();
        if (anchors == 0) {
            return {false, false,
                    "ca_file " + ca_file +
                        " holds no self-signed (root) certificate to trust; set "
                        "trust_intermediates: true to trust an issuing CA",
                    false};
        }
        store = own_store.get();
    }
    const Verification validity =
        run_verify(store, leaf, sent, Mode::Validity, trust_intermediates, as_of);
    const Verification path =
        run_verify(store, leaf, sent, Mode::PathOnly, trust_intermediates, as_of);
    ChainVerdict verdict;
    verdict.valid = validity.ok;
    verdict.complete = path.ok;
    verdict.error = validity.ok ? "ok" : X509_verify_cert_error_string(validity.error);
    if (!path.ok && ca_intermediates && sk_X509_num(ca_intermediates.get()) > 0) {
        // Would ca_file's intermediates have completed it? Then say what the server lacks.
        X509StackPtr helped{sk_X509_new_null()};
        for (int i = 0; sent != nullptr && i < sk_X509_num(sent); ++i) {
            X509* cert = sk_X509_value(sent, i);
            if (helped && X509_up_ref(cert) == 1 && sk_X509_push(helped.get(), cert) <= 0) {
                X509_free(cert);
            }
        }
        for (int i = 0; helped && i < sk_X509_num(ca_intermediates.get()); ++i) {
            X509* cert = sk_X509_value(ca_intermediates.get(), i);
            if (X509_up_ref(cert) == 1 && sk_X509_push(helped.get(), cert) <= 0) {
                X509_free(cert);
            }
        }
        if (helped &&
            run_verify(store, leaf, helped.get(), Mode::PathOnly, trust_intermediates, as_of).ok) {
            verdict.error +=
                " (the server does not send the intermediate certificate that ca_file holds; "
                "intermediates in ca_file are not trust anchors)";
        }
    }
    return verdict;
}

Facts chain_facts(const std::vector<STACK_OF(X509) *>& chains, Date as_of,
                  const std::string& source) {
    Facts facts;
    X509* first_expiring = nullptr;
    std::optional<Date> first_expiry;
    X509* weakest_key = nullptr;
    int weakest_key_strength = 0;
    X509* weakest_signature = nullptr;
    int weakest_signature_strength = 0;
    for (STACK_OF(X509)* chain : chains) {
        for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
            X509* cert = sk_X509_value(chain, i);
            if (const auto not_after = date_of(X509_get0_notAfter(cert));
                not_after && (!first_expiry || not_after->days < first_expiry->days)) {
                first_expiry = not_after;
                first_expiring = cert;
            }
            const int strength = key_strength(cert);
            if (weakest_key == nullptr || strength < weakest_key_strength) {
                weakest_key = cert;
                weakest_key_strength = strength;
            }
            if (i > 0 && X509_self_signed(cert, 0) == 1) {
                continue;  // a root's own signature is not validated by clients
            }
            const int signature = signature_strength(cert);
            if (weakest_signature == nullptr || signature < weakest_signature_strength) {
                weakest_signature = cert;
                weakest_signature_strength = signature;
            }
        }
    }
    ERR_clear_error();
    const auto put = [&](const char* name, Value value) {
        facts.insert_or_assign(name, probed(std::move(value), source));
    };
    if (first_expiry) {
        put("tls.chain.first_expiry", *first_expiry);
        put("tls.chain.min_days_remaining", std::int64_t{first_expiry->days - as_of.days});
        put("tls.chain.first_expiring_subject",
            name_to_string(X509_get_subject_name(first_expiring)));
    }
    if (weakest_key != nullptr) {
        put("tls.chain.weakest_key_type", key_type_of(weakest_key));
        const EVP_PKEY* key = X509_get0_pubkey(weakest_key);
        put("tls.chain.weakest_key_bits", std::int64_t{key != nullptr ? EVP_PKEY_get_bits(key) : 0});
    }
    if (weakest_signature != nullptr) {
        put("tls.chain.weakest_signature_algorithm", signature_name(weakest_signature));
    }
    return facts;
}

// ---------------------------------------------------------------- OCSP (RFC 6960)

namespace {

struct OcspRequestDeleter {
    void operator()(OCSP_REQUEST* request) const noexcept { OCSP_REQUEST_free(request); }
};
struct OcspResponseDeleter {
    void operator()(OCSP_RESPONSE* response) const noexcept { OCSP_RESPONSE_free(response); }
};
struct OcspBasicDeleter {
    void operator()(OCSP_BASICRESP* basic) const noexcept { OCSP_BASICRESP_free(basic); }
};
struct OcspCertIdDeleter {
    void operator()(OCSP_CERTID* id) const noexcept { OCSP_CERTID_free(id); }
};
struct OpensslStringDeleter {
    void operator()(char* text) const noexcept { OPENSSL_free(text); }
};
using OpensslString = std::unique_ptr<char, OpensslStringDeleter>;


using OcspRequestPtr = std::unique_ptr<OCSP_REQUEST, OcspRequestDeleter>;
using OcspResponsePtr = std::unique_ptr<OCSP_RESPONSE, OcspResponseDeleter>;
using OcspBasicPtr = std::unique_ptr<OCSP_BASICRESP, OcspBasicDeleter>;
using OcspCertIdPtr = std::unique_ptr<OCSP_CERTID, OcspCertIdDeleter>;

/// The first OCSP responder URL in the certificate's AIA; empty when none.
std::string responder_url(X509* leaf) {
    std::string url;
    STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(leaf);
    if (urls != nullptr && sk_OPENSSL_STRING_num(urls) > 0) {
        url = sk_OPENSSL_STRING_value(urls, 0);
    }
    X509_email_free(urls);
    return url;
}

/// A request for `id` with a nonce; null when it cannot be built.
OcspRequestPtr make_request(const OCSP_CERTID* id) {
    OcspRequestPtr request{OCSP_REQUEST_new()};
    OcspCertIdPtr id_for_request{id ? OCSP_CERTID_dup(id) : nullptr};
    if (!request || !id_for_request || OCSP_request_add0_id(request.get(), id_for_request.get()) == nullptr) {
        ERR_clear_error();
        return nullptr;
    }
    static_cast<void>(id_for_request.release());  // owned by the request now
    OCSP_request_add1_nonce(request.get(), nullptr, -1);
    return request;
}

/// POSTs `request` to the responder over plain HTTP; the response, or null and `problem`.
/// Bounded like every probe: one connect + request + response within the timeout (whole seconds,
/// at least one), the response at most 64 KiB. No redirects, no keep-alive.
/// A TCP connection to the responder within `timeout`: nullopt, or why not ("connection
/// refused", "cannot resolve …", "connect timeout after …").
std::optional<std::string> connect_responder(const std::string& host, const std::string& port,
                                             std::chrono::milliseconds timeout, Socket& out) {
    int port_number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), port_number);
    if (ec != std::errc{} || end != port.data() + port.size() || port_number <= 0 || port_number > 65535) {
        return "not a port: " + port;
    }
    const Deadline deadline = Clock::now() + timeout;
    auto addresses = resolve(host, port_number, deadline);
    if (!addresses) {
        return addresses.error().message;
    }
    Endpoint endpoint;
    endpoint.target.host = host;
    endpoint.target.port = port_number;
    endpoint.timeout = timeout;
    std::optional<OpenFailure> failure = OpenFailure{Stage::Connect, "no address", false};
    for (const Address& address : addresses.value()) {
        endpoint.address = address;
        failure = open_connection(endpoint, deadline, out);
        if (!failure) {
            return std::nullopt;
        }
    }
    return failure->message;
}

/// Why OSSL_HTTP_transfer failed, from OpenSSL's error queue (cleared): each reason with its data
/// (e.g. "received error (code=404,reason=Not Found)", "unexpected content type
/// (expected=application/ocsp-response,actual=text/html)"). Only a timeout says the responder did
/// not answer; a responder that answered with an HTTP error, another content type or a broken
/// reply is named as such.
std::string transfer_failure(const std::string& url, int seconds) {
    std::string reasons;
    bool timed_out = false;
    const char* data = nullptr;
    int flags = 0;
    while (const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        const char* reason = ERR_reason_error_string(code);
        std::string text = reason != nullptr ? reason : "error " + std::to_string(ERR_GET_REASON(code));
        timed_out = timed_out || text.find("timeout") != std::string::npos || text.find("timed out") != std::string::npos;
        if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
            text += std::string(" (") + data + ")";
        }
        if (reasons.find(text) == std::string::npos) {
            reasons += (reasons.empty() ? "" : "; ") + text;
        }
    }
    if (timed_out || reasons.empty()) {
        return "ocsp responder " + url + " did not answer within " + std::to_string(seconds) + " s" +
               (reasons.empty() ? "" : ": " + reasons);
    }
    return "ocsp responder " + url + " answered, but not with an OCSP response: " + reasons;
}

OcspResponsePtr post_request(const std::string& url, OCSP_REQUEST* request, std::chrono::milliseconds timeout,
                             std::string& problem) {
    int use_ssl = 0;
    char* host_raw = nullptr;
    char* port_raw = nullptr;
    char* path_raw = nullptr;
    if (OSSL_HTTP_parse_url(url.c_str(), &use_ssl, nullptr, &host_raw, &port_raw, nullptr, &path_raw, nullptr,
                            nullptr) != 1) {
        ERR_clear_error();
        problem = "ocsp: cannot parse responder url " + url;
        return nullptr;
    }
    const OpensslString host{host_raw};
    const OpensslString port{port_raw};
    const OpensslString path{path_raw};
    if (use_ssl != 0) {
        problem = "ocsp: responder url over https is not supported: " + url;
        return nullptr;
    }
    const int seconds = static_cast<int>(std::max<long long>(1, (timeout.count() + 999) / 1000));
    // Connected here, bounded, with the real reason: OpenSSL's HTTP client retries a refused port
    // until its timeout and then says "connect timeout", which sends a user looking for a
    // firewall instead of a stopped responder.
    Socket socket;
    if (auto refused = connect_responder(host.get(), port.get(), timeout, socket)) {
        problem = "ocsp responder " + url + ": " + *refused;
        return nullptr;
    }
    BioPtr connection{BIO_new_socket(socket.fd(), BIO_NOCLOSE)};
    unsigned char* der = nullptr;
    const int der_size = i2d_OCSP_REQUEST(request, &der);
    const OpensslString der_owner{reinterpret_cast<char*>(der)};
    BioPtr body{der_size > 0 ? BIO_new_mem_buf(der, der_size) : nullptr};
    if (!body) {
        ERR_clear_error();
        problem = "ocsp: cannot encode the request";
        return nullptr;
    }
    if (!connection) {
        ERR_clear_error();
        problem = "ocsp: cannot set up the connection";
        return nullptr;
    }
    BioPtr reply{OSSL_HTTP_transfer(nullptr, host.get(), port.get(), path.get(), 0, nullptr, nullptr, connection.get(),
                                    connection.get(), nullptr, nullptr, 0, nullptr, "application/ocsp-request", body.get(),
                                    "application/ocsp-response", 1, 64 * 1024, seconds, 0)};
    if (!reply) {
        problem = transfer_failure(url, seconds);
        return nullptr;
    }
    OcspResponsePtr response{d2i_OCSP_RESPONSE_bio(reply.get(), nullptr)};
    if (!response) {
        ERR_clear_error();
        problem = "ocsp responder " + url + " sent no valid OCSP response";
    }
    return response;
}

/// The response is signed by the issuer of the certificates it is about, or by a responder that
/// issuer delegated to (OCSP_basic_verify's issuer check), and the signer chains to ca_file's
/// certificates, else the system store: the same anchors as the server's chain.
bool signature_verifies(OCSP_BASICRESP* basic, STACK_OF(X509) * sent, STACK_OF(X509) * ca_certs) {
    StorePtr own_store;
    X509_STORE* store = nullptr;
    if (ca_certs != nullptr) {
        own_store.reset(X509_STORE_new());
        for (int i = 0; own_store && i < sk_X509_num(ca_certs); ++i) {
            X509_STORE_add_cert(own_store.get(), sk_X509_value(ca_certs, i));
        }
        store = own_store.get();
    } else {
        store = system_store();
    }
    const bool verifies = store != nullptr && OCSP_basic_verify(basic, sent, store, 0) > 0;
    ERR_clear_error();
    return verifies;
}

/// The response's basic part once it is successful, answers our nonce and is signed by the issuer
/// or a responder it delegated to, chaining to the same anchors as the server's chain (ca_file's
/// certificates, or the system store); else null and `problem`.
OcspBasicPtr verified_basic(OCSP_RESPONSE* response, OCSP_REQUEST* request, STACK_OF(X509) * sent,
                            STACK_OF(X509) * ca_certs, const std::string& url, std::string& problem) {
    const int response_status = OCSP_response_status(response);
    if (response_status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        problem = "ocsp responder " + url + " refused: " + OCSP_response_status_str(response_status);
        return nullptr;
    }
    OcspBasicPtr basic{OCSP_response_get1_basic(response)};
    if (!basic) {
        ERR_clear_error();
        problem = "ocsp responder " + url + " sent no basic response";
        return nullptr;
    }
    if (OCSP_check_nonce(request, basic.get()) == 0) {
        problem = "ocsp responder " + url + " answered with another nonce";
        return nullptr;
    }
    if (!signature_verifies(basic.get(), sent, ca_certs)) {
        problem = "ocsp response from " + url + " does not verify against the trust anchors";
        return nullptr;
    }
    return basic;
}

/// The single response about `leaf` (issued by `issuer`), its CertID compared in the hash
/// algorithm the response uses (a responder may answer in SHA-256 what was asked in SHA-1, and a
/// server's staple was asked by the server); null when no response in it is about the leaf.
OCSP_SINGLERESP* response_about(OCSP_BASICRESP* basic, X509* leaf, X509* issuer) {
    for (int i = 0; i < OCSP_resp_count(basic); ++i) {
        OCSP_SINGLERESP* single = OCSP_resp_get0(basic, i);
        const OCSP_CERTID* theirs = OCSP_SINGLERESP_get0_id(single);
        ASN1_OBJECT* digest = nullptr;
        OCSP_id_get0_info(nullptr, &digest, nullptr, nullptr, const_cast<OCSP_CERTID*>(theirs));
        const EVP_MD* md = digest != nullptr ? EVP_get_digestbyobj(digest) : nullptr;
        const OcspCertIdPtr ours{md != nullptr ? OCSP_cert_to_id(md, leaf, issuer) : nullptr};
        if (ours && OCSP_id_cmp(ours.get(), theirs) == 0) {
            ERR_clear_error();
            return single;
        }
    }
    ERR_clear_error();
    return nullptr;
}

/// good | revoked | unknown from a single response within its validity; stale outside it.
std::string single_status(OCSP_SINGLERESP* single) {
    int reason = -1;
    ASN1_GENERALIZEDTIME* revoked_at = nullptr;
    ASN1_GENERALIZEDTIME* this_update = nullptr;
    ASN1_GENERALIZEDTIME* next_update = nullptr;
    const int status = OCSP_single_get0_status(single, &reason, &revoked_at, &this_update, &next_update);
    const bool current = OCSP_check_validity(this_update, next_update, 300, -1) == 1;
    ERR_clear_error();
    if (!current) {
        return "stale";
    }
    return status == V_OCSP_CERTSTATUS_GOOD ? "good" : status == V_OCSP_CERTSTATUS_REVOKED ? "revoked" : "unknown";
}

/// good | revoked | unknown for the leaf in a verified response, or empty and `problem`.
std::string certificate_status(OCSP_BASICRESP* basic, X509* leaf, X509* issuer, const std::string& url,
                               std::string& problem) {
    OCSP_SINGLERESP* single = response_about(basic, leaf, issuer);
    if (single == nullptr) {
        problem = "ocsp responder " + url + " did not answer for this certificate";
        return {};
    }
    std::string status = single_status(single);
    if (status == "stale") {
        problem = "ocsp response from " + url + " is outside its validity period";
        return {};
    }
    return status;
}

}  // namespace

Result<X509StackPtr> ca_certs_of(const std::string& ca_file) {
    if (ca_file.empty()) {
        return X509StackPtr{};
    }
    return read_ca_file(ca_file);
}

X509* find_issuer(X509* leaf, STACK_OF(X509) * sent, STACK_OF(X509) * ca_certs) {
    for (STACK_OF(X509)* certs : {sent, ca_certs}) {
        for (int i = 0; certs != nullptr && i < sk_X509_num(certs); ++i) {
            X509* candidate = sk_X509_value(certs, i);
            if (X509_cmp(candidate, leaf) != 0 && X509_check_issued(candidate, leaf) == X509_V_OK) {
                return candidate;
            }
        }
    }
    return nullptr;
}

std::string sha256_fingerprint(X509* leaf) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(leaf, EVP_sha256(), md, &size) != 1) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(kHex[md[i] >> 4U]);
        out.push_back(kHex[md[i] & 0xFU]);
    }
    return out;
}

StapleCheck check_staple(const std::vector<std::uint8_t>& staple, X509* leaf, STACK_OF(X509) * sent,
                         const std::string& ca_file) {
    StapleCheck out;
    if (staple.empty()) {
        out.verdict = "none";
        return out;
    }
    const unsigned char* der = staple.data();
    const OcspResponsePtr response{d2i_OCSP_RESPONSE(nullptr, &der, static_cast<long>(staple.size()))};
    const OcspBasicPtr basic{response && OCSP_response_status(response.get()) == OCSP_RESPONSE_STATUS_SUCCESSFUL
                                 ? OCSP_response_get1_basic(response.get())
                                 : nullptr};
    ERR_clear_error();
    if (!basic) {
        out.verdict = "invalid";
        return out;
    }
    auto certs = ca_certs_of(ca_file);
    if (!certs) {
        out.problem = certs.error().message;
        return out;
    }
    X509StackPtr ca_certs = std::move(certs).value();
    X509* issuer = leaf != nullptr ? find_issuer(leaf, sent, ca_certs.get()) : nullptr;
    if (issuer == nullptr) {
        out.problem = "the stapled OCSP response could not be checked: the leaf's issuer is neither sent by the "
                      "server nor in ca_file";
        return out;
    }
    OCSP_SINGLERESP* single = response_about(basic.get(), leaf, issuer);
    if (single == nullptr) {
        out.verdict = "other_certificate";
    } else if (!signature_verifies(basic.get(), sent, ca_certs.get())) {
        out.verdict = "unverified";
    } else {
        out.verdict = single_status(single);
    }
    return out;
}

OcspCheck check_ocsp(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                     std::chrono::milliseconds timeout) {
    OcspCheck out;
    if (leaf == nullptr) {
        out.problem = "no certificate";
        return out;
    }
    out.url = responder_url(leaf);
    if (out.url.empty()) {
        out.status = "no_responder";  // no OCSP URL in the certificate's AIA
        return out;
    }
    auto certs = ca_certs_of(ca_file);
    if (!certs) {
        out.problem = certs.error().message;
        return out;
    }
    X509StackPtr ca_certs = std::move(certs).value();
    X509* issuer = find_issuer(leaf, sent, ca_certs.get());
    if (issuer == nullptr) {
        out.problem = "ocsp: the leaf's issuer is neither sent by the server nor in ca_file";
        return out;
    }
    const OcspCertIdPtr id{OCSP_cert_to_id(nullptr, leaf, issuer)};
    const OcspRequestPtr request = make_request(id.get());
    if (!request) {
        out.problem = "ocsp: cannot build the request";
        return out;
    }
    const OcspResponsePtr response = post_request(out.url, request.get(), timeout, out.problem);
    if (!response) {
        return out;
    }
    const OcspBasicPtr basic = verified_basic(response.get(), request.get(), sent, ca_certs.get(), out.url, out.problem);
    if (basic) {
        out.status = certificate_status(basic.get(), leaf, issuer, out.url, out.problem);
    }
    return out;
}

}  // namespace lisa::tls_detail
