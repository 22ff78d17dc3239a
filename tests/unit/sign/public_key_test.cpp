// SPDX-License-Identifier: Apache-2.0
// PublicKey (decoded once, many verifications) answers exactly as verify_detached, for each key
// type lisa signs with; garbage is "not a PEM public key" or simply not a valid signature.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "lisa/report/signature.hpp"

namespace lisa {
namespace {

struct KeyPair {
    std::string private_pem;
    std::string public_pem;
};

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

KeyPair make_key(const char* type) {
    EVP_PKEY* key = std::string(type) == "EC" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                              : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    KeyPair out;
    BIO* priv = BIO_new(BIO_s_mem());
    BIO* pub = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
    PEM_write_bio_PUBKEY(pub, key);
    out.private_pem = bio_text(priv);
    out.public_pem = bio_text(pub);
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(key);
    return out;
}

TEST(PublicKeyTest, VerifiesAsVerifyDetachedForEveryKeyType) {
    for (const char* type : {"ED25519", "EC"}) {
        const KeyPair pair = make_key(type);
        const auto sig = sign_detached("profile", pair.private_pem);
        ASSERT_TRUE(sig) << type;
        const auto key = PublicKey::from_pem(pair.public_pem);
        ASSERT_TRUE(key) << type;
        for (const std::string& data : {std::string("profile"), std::string("profilE"), std::string()}) {
            const auto once = key.value().verify(data, sig.value());
            const auto each = verify_detached(data, sig.value(), pair.public_pem);
            ASSERT_TRUE(once && each) << type;
            EXPECT_EQ(once.value(), each.value()) << type << " " << data;
            EXPECT_EQ(once.value(), data == "profile") << type << " " << data;
        }
        // Many verifications with the one decoded key (the aggregate's use).
        for (int i = 0; i < 50; ++i) {
            EXPECT_TRUE(key.value().verify("profile", sig.value()).value());
        }
        const auto garbage = key.value().verify("profile", "not base64 !!");
        ASSERT_TRUE(garbage);
        EXPECT_FALSE(garbage.value());
        // Another key's signature does not verify.
        const auto other = sign_detached("profile", make_key(type).private_pem);
        EXPECT_FALSE(key.value().verify("profile", other.value()).value()) << type;
    }
}

TEST(PublicKeyTest, WhatIsNotAPublicKeyIsRefused) {
    for (const std::string& pem : {std::string(), std::string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")}) {
        const auto key = PublicKey::from_pem(pem);
        ASSERT_FALSE(key);
        EXPECT_THAT(key.error().message, ::testing::HasSubstr("not a PEM public key"));
    }
}

// try17: a file that also holds the private key is refused whole (OpenSSL's reader skips the
// private block, and the store would hand the private key to every pusher); so are key types
// lisa does not sign with (512-bit RSA, P-384) and a file of two public keys.
TEST(PublicKeyTest, PrivateKeysOtherTypesAndSeveralKeysAreRefused) {
    const KeyPair ed = make_key("ED25519");
    for (const std::string& pem : {ed.private_pem, ed.private_pem + ed.public_pem, ed.public_pem + ed.private_pem}) {
        const auto key = PublicKey::from_pem(pem);
        ASSERT_FALSE(key);
        EXPECT_THAT(key.error().message, ::testing::HasSubstr("holds a private key"));
    }
    const auto two = PublicKey::from_pem(ed.public_pem + make_key("ED25519").public_pem);
    ASSERT_FALSE(two);
    EXPECT_THAT(two.error().message, ::testing::HasSubstr("exactly one PEM block"));
    EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(512));
    EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    for (EVP_PKEY* k : {rsa, p384}) {
        BIO* pub = BIO_new(BIO_s_mem());
        PEM_write_bio_PUBKEY(pub, k);
        const auto key = PublicKey::from_pem(bio_text(pub));
        BIO_free(pub);
        ASSERT_FALSE(key);
        EXPECT_THAT(key.error().message, ::testing::HasSubstr("only Ed25519 or ECDSA P-256 keys are allowed"));
        EVP_PKEY_free(k);
    }
    // What the store keeps is the key re-encoded, never the file's other bytes.
    const auto key = PublicKey::from_pem("a comment line\n" + ed.public_pem);
    ASSERT_TRUE(key);
    EXPECT_EQ(key.value().pem(), ed.public_pem);
}

}  // namespace
}  // namespace lisa
