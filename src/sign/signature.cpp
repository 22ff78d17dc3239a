// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/signature.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace lisa {
namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct BioDeleter {
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string openssl_error() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return "unknown error";
    }
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return buf;
}

// Ed25519/Ed448 sign the message itself; everything else signs its SHA-256.
const EVP_MD* digest_for(EVP_PKEY* key) {
    const int id = EVP_PKEY_get_base_id(key);
    return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? nullptr : EVP_sha256();
}

std::string base64(const std::vector<unsigned char>& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string text) {
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
               text.end());
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::vector<unsigned char> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return std::nullopt;
    }
    std::size_t len = static_cast<std::size_t>(n);
    if (text.size() >= 2 && text[text.size() - 1] == '=') --len;  // DecodeBlock keeps padding bytes
    if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
    out.resize(len);
    return out;
}

// Only the documented key types, for signing and for verifying alike: Ed25519 or ECDSA on P-256
// (README "Security"). `what` names the key in the refusal ("signing key", "public key").
Result<bool> allowed_key_type(EVP_PKEY* key, const char* what) {
    bool allowed = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519;
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
        char group[64] = {};
        std::size_t group_len = 0;
        allowed = EVP_PKEY_get_group_name(key, group, sizeof group, &group_len) == 1 &&
                  (std::string(group) == "prime256v1" || std::string(group) == "P-256");
    }
    ERR_clear_error();
    if (allowed) {
        return true;
    }
    const char* type = EVP_PKEY_get0_type_name(key);
    return Error{"unsupported " + std::string(what) + " (" + std::string(type != nullptr ? type : "unknown") + ", " +
                 std::to_string(EVP_PKEY_get_bits(key)) + " bits); only Ed25519 or ECDSA P-256 keys are allowed"};
}

std::size_t count_of(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

}  // namespace

Result<std::string> sign_detached(const std::string& data, const std::string& private_key_pem) {
    BioPtr bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
    // The passphrase callback never prompts (OpenSSL's default would ask on the terminal and
    // wait forever): it notes that a passphrase was wanted and declines.
    bool wanted_passphrase = false;
    const auto no_prompt = [](char*, int, int, void* wanted) -> int {
        *static_cast<bool*>(wanted) = true;
        return 0;
    };
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_prompt, &wanted_passphrase));
    if (!key) {
        ERR_clear_error();
        if (wanted_passphrase) {
            return Error{"encrypted keys are not supported; decrypt it into a file only lisa's "
                         "account can read (openssl pkey -in KEY -out PLAIN)"};
        }
        return Error{"not a PEM private key (unencrypted Ed25519 or ECDSA P-256 expected)"};
    }
    if (auto allowed = allowed_key_type(key.get(), "signing key"); !allowed) {
        return allowed.error();
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(key.get()), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) != 1) {
        return Error{"cannot sign: " + openssl_error()};
    }
    std::vector<unsigned char> sig(len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) != 1) {
        return Error{"cannot sign: " + openssl_error()};
    }
    sig.resize(len);
    return base64(sig);
}

Result<PublicKey> PublicKey::from_pem(const std::string& pem) {
    // A file that also holds a private key is refused whole: OpenSSL's reader would skip the
    // private block, and storing the file would hand the private key to everyone who reads keys.
    if (pem.find("PRIVATE KEY-----") != std::string::npos) {
        return Error{"the file holds a private key; register only the public key (openssl pkey -in KEY -pubout -out PUB.pem)"};
    }
    if (count_of(pem, "-----BEGIN ") != 1) {
        return Error{"not a PEM public key: the file must hold exactly one PEM block, the public key"};
    }
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (key == nullptr) {
        ERR_clear_error();
        return Error{"not a PEM public key"};
    }
    PublicKey out;
    out.key_ = std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
    if (auto allowed = allowed_key_type(key, "public key"); !allowed) {
        return allowed.error();
    }
    return out;
}

std::string PublicKey::pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), static_cast<EVP_PKEY*>(key_.get())) != 1) {
        ERR_clear_error();
        return {};
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

Result<bool> PublicKey::verify(const std::string& data, const std::string& signature_b64) const {
    auto* key = static_cast<EVP_PKEY*>(key_.get());
    const auto sig = unbase64(signature_b64);
    if (!sig) {
        return false;  // garbage is simply not a valid signature
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(key), nullptr, key) != 1) {
        return Error{"cannot verify: " + openssl_error()};
    }
    const int rc = EVP_DigestVerify(ctx.get(), sig->data(), sig->size(),
                                    reinterpret_cast<const unsigned char*>(data.data()), data.size());
    ERR_clear_error();
    return rc == 1;
}

Result<bool> verify_detached(const std::string& data, const std::string& signature_b64,
                             const std::string& public_key_pem) {
    auto key = PublicKey::from_pem(public_key_pem);
    if (!key) {
        return key.error();
    }
    return key.value().verify(data, signature_b64);
}

}  // namespace lisa
