// SPDX-License-Identifier: Apache-2.0
#include "test_pki.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <utility>
#include <stdexcept>

#include "process.hpp"

namespace lisa::testing_support {
namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct X509Deleter {
    void operator()(X509* cert) const noexcept { X509_free(cert); }
};
using CertPtr = std::unique_ptr<X509, X509Deleter>;

struct BioDeleter {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("test pki: ") + what + " failed");
    }
}

PkeyPtr read_key(const std::string& path) {
    FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return nullptr;
    }
    PkeyPtr key{PEM_read_PrivateKey(file, nullptr, nullptr, nullptr)};
    std::fclose(file);
    return key;
}

PkeyPtr generate(CertSpec::Key key) {
    switch (key) {
        case CertSpec::Key::Rsa2048:
            return PkeyPtr{EVP_RSA_gen(2048)};
        case CertSpec::Key::Rsa1024:
            return PkeyPtr{EVP_RSA_gen(1024)};
        case CertSpec::Key::EcP256:
            return PkeyPtr{EVP_EC_gen("P-256")};
    }
    return nullptr;
}

std::string to_pem(X509* cert) {
    std::unique_ptr<BIO, BioDeleter> bio{BIO_new(BIO_s_mem())};
    check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string key_to_pem(EVP_PKEY* key) {
    std::unique_ptr<BIO, BioDeleter> bio{BIO_new(BIO_s_mem())};
    check(
        bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "X509V3_EXT_nconf_nid");
    check(X509_add_ext(cert, ext, -1) == 1, "X509_add_ext");
    X509_EXTENSION_free(ext);
}

void set_name(X509_NAME* name, const std::string& common_name, const std::string& org) {
    const auto add = [&](const char* field, const std::string& value) {
        check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                         -1, 0) == 1,
              "X509_NAME_add_entry_by_txt");
    };
    if (!org.empty()) {
        add("O", org);
    }
    add("CN", common_name);
}

CertPtr new_cert(EVP_PKEY* key, long serial, long not_before_days, long not_after_days) {
    CertPtr cert{X509_new()};
    check(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_time_adj_ex(X509_getm_notBefore(cert.get()), static_cast<int>(not_before_days), 0,
                     nullptr);
    X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(not_after_days), 0, nullptr);
    check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
    return cert;
}

/// An RSA key from the cache dir, or a new one (then saved there with write + rename, so
/// concurrent test processes never read half a file).
PkeyPtr cached_key(const std::string& cache_dir, const std::string& name, CertSpec::Key kind) {
    if (kind == CertSpec::Key::EcP256 || cache_dir.empty()) {
        return generate(kind);
    }
    const std::string path = cache_dir + "/" + name + ".pem";
    if (PkeyPtr key = read_key(path)) {
        return key;
    }
    PkeyPtr key = generate(kind);
    if (key) {
        std::error_code ec;
        std::filesystem::create_directories(cache_dir, ec);
        const std::string temp = path + ".tmp." + std::to_string(::getpid());
        try {
            write_file(temp, key_to_pem(key.get()));
            std::filesystem::rename(temp, path, ec);
        } catch (const std::exception&) {
            std::filesystem::remove(temp, ec);  // no cache then; the key still works
        }
    }
    return key;
}

}  // namespace

struct TestPki::Impl {
    PkeyPtr ca_key;
    CertPtr ca_cert;
    PkeyPtr rsa2048;  // one leaf key per kind: key generation is the slow part
    PkeyPtr rsa1024;
    PkeyPtr ec;
    long serial = 100;
    std::string key_cache_dir;
    std::map<std::string, std::pair<PkeyPtr, CertPtr>> intermediates;

    EVP_PKEY* leaf_key(CertSpec::Key kind) {
        PkeyPtr& slot = kind == CertSpec::Key::Rsa2048   ? rsa2048
                        : kind == CertSpec::Key::Rsa1024 ? rsa1024
                                                         : ec;
        if (!slot) {
            slot =
                cached_key(key_cache_dir,
                           kind == CertSpec::Key::Rsa2048 ? "leaf-rsa2048" : "leaf-rsa1024", kind);
            check(slot != nullptr, "key generation");
        }
        return slot.get();
    }
};

std::string TestPki::default_key_cache_dir() {
#ifdef LISA_TEST_KEY_CACHE_DIR
    return LISA_TEST_KEY_CACHE_DIR;
#else
    return {};
#endif
}

TestPki::TestPki(std::string dir, std::string key_cache_dir)
    : impl_(std::make_unique<Impl>()),
      dir_(std::move(dir)),
      key_cache_dir_(std::move(key_cache_dir)) {
    impl_->key_cache_dir = key_cache_dir_;
    impl_->ca_key = cached_key(key_cache_dir_, "ca-rsa2048", CertSpec::Key::Rsa2048);
    check(impl_->ca_key != nullptr, "CA key generation");
    impl_->ca_cert = new_cert(impl_->ca_key.get(), 1, -30, 3650);
    X509* ca = impl_->ca_cert.get();
    set_name(X509_get_subject_name(ca), "Lisa Test CA", "Växjö kommun");
    X509_set_issuer_name(ca, X509_get_subject_name(ca));
    add_ext(ca, ca, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(ca, ca, NID_subject_key_identifier, "hash");
    check(X509_sign(ca, impl_->ca_key.get(), EVP_sha256()) > 0, "CA X509_sign");
    ca_pem_ = to_pem(ca);
    ca_file_ = dir_ + "/ca.pem";
    write_file(ca_file_, ca_pem_);
}

TestPki::~TestPki() = default;

Issued TestPki::issue(const std::string& name, const CertSpec& spec) {
    EVP_PKEY* key = impl_->leaf_key(spec.key);
    CertPtr cert = new_cert(key, ++impl_->serial, spec.not_before_days, spec.not_after_days);
    set_name(X509_get_subject_name(cert.get()), spec.common_name, "");
    X509* ca_cert = impl_->ca_cert.get();
    EVP_PKEY* ca_key = impl_->ca_key.get();
    if (!spec.issuer.empty()) {
        const auto& intermediate = impl_->intermediates.at(spec.issuer);
        ca_key = intermediate.first.get();
        ca_cert = intermediate.second.get();
    }
    X509* issuer = spec.self_signed ? cert.get() : ca_cert;
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
    add_ext(cert.get(), issuer, NID_basic_constraints, "CA:FALSE");
    add_ext(cert.get(), issuer, NID_subject_key_identifier, "hash");
    if (!spec.self_signed) {
        add_ext(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
    }
    add_ext(cert.get(), issuer, NID_ext_key_usage, "serverAuth");
    std::string san;
    for (const auto& dns : spec.dns_names) {
        san += (san.empty() ? "" : ",") + std::string("DNS:") + dns;
    }
    for (const auto& ip : spec.ips) {
        san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    }
    if (!san.empty()) {
        add_ext(cert.get(), issuer, NID_subject_alt_name, san);
    }
    EVP_PKEY* signer = spec.self_signed ? key : ca_key;
    check(X509_sign(cert.get(), signer, spec.sha1 ? EVP_sha1() : EVP_sha256()) > 0, "X509_sign");

    Issued issued;
    issued.cert_pem = to_pem(cert.get());
    issued.cert_file = dir_ + "/" + name + ".pem";
    issued.key_file = dir_ + "/" + name + ".key";
    write_file(issued.cert_file, issued.cert_pem);
    write_file(issued.key_file, key_to_pem(key));
    return issued;
}

Issued TestPki::issue_intermediate(const std::string& name, long not_before_days,
                                   long not_after_days) {
    PkeyPtr key = generate(CertSpec::Key::EcP256);
    check(key != nullptr, "intermediate key generation");
    CertPtr cert = new_cert(key.get(), ++impl_->serial, not_before_days, not_after_days);
    set_name(X509_get_subject_name(cert.get()), name, "Växjö kommun");
    X509* root = impl_->ca_cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(root));
    add_ext(cert.get(), root, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(cert.get(), root, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(cert.get(), root, NID_subject_key_identifier, "hash");
    add_ext(cert.get(), root, NID_authority_key_identifier, "keyid:always");
    check(X509_sign(cert.get(), impl_->ca_key.get(), EVP_sha256()) > 0, "intermediate X509_sign");

    Issued issued;
    issued.cert_pem = to_pem(cert.get());
    issued.cert_file = dir_ + "/" + name + ".pem";
    issued.key_file = dir_ + "/" + name + ".key";
    write_file(issued.cert_file, issued.cert_pem);
    write_file(issued.key_file, key_to_pem(key.get()));
    impl_->intermediates.insert_or_assign(name, std::make_pair(std::move(key), std::move(cert)));
    return issued;
}

}  // namespace lisa::testing_support
