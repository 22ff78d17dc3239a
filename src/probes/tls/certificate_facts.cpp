// SPDX-License-Identifier: Apache-2.0
// Pure: a certificate (X509*) in, tls.cert.* facts out. Unit-tested with PEM the tests generate.
#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "bounded_file.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {
namespace {

struct BioDeleter {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

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

X509StackPtr parse_pem_chain(std::string_view pem) {
    X509StackPtr chain{sk_X509_new_null()};
    BioPtr bio = memory_bio(pem);
    if (!chain || !bio) {
        return chain;
    }
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        if (sk_X509_push(chain.get(), cert) <= 0) {
            X509_free(cert);
            break;
        }
    }
    ERR_clear_error();  // the loop ends on a "no start line" error by design
    return chain;
}

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

ChainVerdict verify_chain(X509* leaf, STACK_OF(X509) * untrusted, const std::string& ca_file,
                          Date as_of) {
    if (leaf == nullptr) {
        return {false, "no certificate"};
    }
    StorePtr own_store;
    X509_STORE* store = nullptr;
    if (ca_file.empty()) {
        store = system_store();
    } else {
        // Read through the bounded reader (a FIFO or device is refused, never waited on) and
        // loaded from those bytes, so OpenSSL never opens the path itself.
        auto pem = io::read_regular_file(ca_file, io::kMaxCaFileBytes);
        if (!pem) {
            return {false, "cannot load ca_file: " + pem.error().message};
        }
        own_store.reset(X509_STORE_new());
        BioPtr bio{BIO_new_mem_buf(pem.value().data(), static_cast<int>(pem.value().size()))};
        STACK_OF(X509_INFO)* infos =
            own_store && bio ? PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr) : nullptr;
        int added = 0;
        for (int i = 0; infos != nullptr && i < sk_X509_INFO_num(infos); ++i) {
            const X509_INFO* info = sk_X509_INFO_value(infos, i);
            if (info->x509 != nullptr && X509_STORE_add_cert(own_store.get(), info->x509) == 1) {
                ++added;
            }
            if (info->crl != nullptr && X509_STORE_add_crl(own_store.get(), info->crl) == 1) {
                ++added;
            }
        }
        sk_X509_INFO_pop_free(infos, X509_INFO_free);
        if (added == 0) {
            ERR_clear_error();
            return {false, "cannot load ca_file " + ca_file + ": no PEM certificate in it"};
        }
        store = own_store.get();
    }
    StoreCtxPtr ctx{X509_STORE_CTX_new()};
    if (store == nullptr || !ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, untrusted) != 1) {
        ERR_clear_error();
        return {false, "cannot set up certificate verification"};
    }
    X509_STORE_CTX_set_default(ctx.get(), "ssl_server");
    // Validity is judged at the end of the audit date (23:59:59 UTC), not at the wall clock.
    X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(as_of.days * 86400 + 86399));
    const bool valid = X509_verify_cert(ctx.get()) == 1;
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return {valid, valid ? "ok" : X509_verify_cert_error_string(error)};
}

}  // namespace lisa::tls_detail
