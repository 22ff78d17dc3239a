// SPDX-License-Identifier: Apache-2.0
#include "ca_file.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <climits>
#include <map>
#include <mutex>

#include "bounded_file.hpp"

namespace lisa::pki {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr memory_bio(std::string_view data) {
    if (data.size() > static_cast<std::size_t>(INT_MAX)) {
        return {nullptr, BIO_free};
    }
    return {BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), BIO_free};
}

std::shared_ptr<const CaFile> load(const std::string& path) {
    auto file = std::make_shared<CaFile>();
    auto pem = io::read_regular_file(path, io::kMaxCaFileBytes);
    if (!pem) {
        file->error = pem.error().message;
        file->certificates = sk_X509_new_null();
        return file;
    }
    file->pem = std::move(pem).value();
    file->certificates = parse_certificates(file->pem);
    file->store = parse_store(file->pem);
    return file;
}

class Cache {
public:
    std::shared_ptr<const CaFile> lookup(const std::string& path) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            return load(path);
        }
        const std::string key = path + '\0' + std::to_string(st.st_dev) + ':' + std::to_string(st.st_ino) + ':' +
                                std::to_string(st.st_size) + ':' + std::to_string(st.st_mtim.tv_sec) + '.' +
                                std::to_string(st.st_mtim.tv_nsec);
        const std::lock_guard<std::mutex> lock(mutex_);
        if (const auto found = files_.find(key); found != files_.end()) {
            return found->second;
        }
        if (files_.size() >= kMaxFiles) {
            files_.clear();  // files in use stay alive with their holders
        }
        auto file = load(path);
        files_.emplace(key, file);
        return file;
    }

private:
    static constexpr std::size_t kMaxFiles = 64;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const CaFile>> files_;
};

}  // namespace

CaFile::~CaFile() {
    sk_X509_pop_free(certificates, X509_free);
    X509_STORE_free(store);
}

std::shared_ptr<const CaFile> ca_file(const std::string& path) {
    static Cache* const cache = new Cache();  // lives as long as the process
    return cache->lookup(path);
}

STACK_OF(X509) * parse_certificates(std::string_view pem) {
    STACK_OF(X509)* chain = sk_X509_new_null();
    const BioPtr bio = memory_bio(pem);
    if (chain == nullptr || !bio) {
        ERR_clear_error();
        return chain;
    }
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        if (sk_X509_push(chain, cert) <= 0) {
            X509_free(cert);
            break;
        }
    }
    ERR_clear_error();  // the loop ends on a "no start line" error by design
    return chain;
}

X509_STORE* parse_store(std::string_view pem) {
    const BioPtr bio = memory_bio(pem);
    STACK_OF(X509_INFO)* infos = bio ? PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (infos == nullptr) {
        ERR_clear_error();
        return nullptr;
    }
    X509_STORE* store = X509_STORE_new();
    int added = 0;
    for (int i = 0; store != nullptr && i < sk_X509_INFO_num(infos); ++i) {
        const X509_INFO* info = sk_X509_INFO_value(infos, i);
        added += (info->x509 != nullptr && X509_STORE_add_cert(store, info->x509) == 1) ? 1 : 0;
        added += (info->crl != nullptr && X509_STORE_add_crl(store, info->crl) == 1) ? 1 : 0;
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    ERR_clear_error();
    if (store != nullptr && added == 0) {
        X509_STORE_free(store);
        return nullptr;
    }
    if (store != nullptr) {
        X509_STORE_set_flags(store, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
    }
    return store;
}

}  // namespace lisa::pki
