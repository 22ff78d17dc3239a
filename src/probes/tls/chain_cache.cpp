// SPDX-License-Identifier: Apache-2.0
#include "chain_cache.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include "../pki/ca_file.hpp"

namespace lisa::tls_detail {
namespace {

using Digest = std::array<unsigned char, EVP_MAX_MD_SIZE>;

struct Key {
    Digest certificates{};              ///< SHA-256 over the SHA-256 of each certificate's DER
    const pki::CaFile* anchors = nullptr;  ///< null: the system store
    bool trust_intermediates = false;
    std::int64_t as_of_days = 0;

    bool operator<(const Key& other) const {
        return std::tie(certificates, anchors, trust_intermediates, as_of_days) <
               std::tie(other.certificates, other.anchors, other.trust_intermediates, other.as_of_days);
    }
};

struct Entry {
    ChainVerdict verdict;
    std::shared_ptr<const pki::CaFile> anchors;  ///< held, so its address names no other file
};

std::mutex g_mutex;
std::map<Key, Entry>* g_verdicts = new std::map<Key, Entry>();  // never destroyed: used until exit
std::atomic<std::size_t> g_hits{0};

/// SHA-256 over the SHA-256 of leaf's DER, then of each certificate of `sent`; none when a
/// certificate cannot be digested.
std::optional<Digest> chain_digest(X509* leaf, STACK_OF(X509) * sent) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md{EVP_MD_CTX_new(), EVP_MD_CTX_free};
    if (!md || EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    const int count = sent == nullptr ? 0 : sk_X509_num(sent);
    for (int i = -1; i < count; ++i) {
        X509* cert = i < 0 ? leaf : sk_X509_value(sent, i);
        Digest one{};
        unsigned int size = 0;
        if (X509_digest(cert, EVP_sha256(), one.data(), &size) != 1 ||
            EVP_DigestUpdate(md.get(), one.data(), size) != 1) {
            ERR_clear_error();
            return std::nullopt;
        }
    }
    Digest out{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(md.get(), out.data(), &size) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    return out;
}

}  // namespace

ChainVerdict verify_chain_cached(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                 bool trust_intermediates, Date as_of) {
    const std::optional<Digest> digest = leaf == nullptr ? std::nullopt : chain_digest(leaf, sent);
    if (!digest) {
        return verify_chain(leaf, sent, ca_file, trust_intermediates, as_of);
    }
    std::shared_ptr<const pki::CaFile> anchors = ca_file.empty() ? nullptr : pki::ca_file(ca_file);
    const Key key{*digest, anchors.get(), trust_intermediates, as_of.days};
    {
        const std::lock_guard<std::mutex> lock(g_mutex);
        if (const auto found = g_verdicts->find(key); found != g_verdicts->end()) {
            g_hits.fetch_add(1, std::memory_order_relaxed);
            return found->second.verdict;
        }
    }
    ChainVerdict verdict = verify_chain(leaf, sent, ca_file, trust_intermediates, as_of);
    // Kept only when verify_chain read the same file as the key names (it was not replaced
    // meanwhile) and could read it.
    const bool same_file = ca_file.empty() || pki::ca_file(ca_file) == anchors;
    if (verdict.checked && same_file) {
        const std::lock_guard<std::mutex> lock(g_mutex);
        if (g_verdicts->size() >= kMaxVerdicts) {
            g_verdicts->clear();
        }
        g_verdicts->insert_or_assign(key, Entry{verdict, std::move(anchors)});
    }
    return verdict;
}

std::size_t chain_cache_hits() noexcept { return g_hits.load(std::memory_order_relaxed); }

}  // namespace lisa::tls_detail
