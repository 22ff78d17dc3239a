// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "lisa/core/result.hpp"

namespace lisa {

/**
 * Detached signature over `data` with the private key in `private_key_pem` (Ed25519, or ECDSA
 * P-256 / RSA with SHA-256). Returns the signature as one base64 line. Key bytes are wiped from
 * memory after use; nothing about the key appears in errors.
 */
[[nodiscard]] Result<std::string> sign_detached(const std::string& data, const std::string& private_key_pem);

/// True when `signature_b64` is a valid signature of `data` by the key in `public_key_pem`.
[[nodiscard]] Result<bool> verify_detached(const std::string& data, const std::string& signature_b64,
                                           const std::string& public_key_pem);

/**
 * A public key decoded once, for verifying many signatures by one signer: decoding a PEM key is
 * most of a verification's cost in OpenSSL 3 (its decoder framework), so `lisa aggregate`, which
 * verifies every profile of a municipality against that municipality's one key, decodes it once.
 * Same algorithms and answers as verify_detached. Copies share the key; thread-safe to verify.
 */
class PublicKey {
public:
    /// The one public key of `pem`. Errors: the file holds a private key (never read past it),
    /// more or less than one PEM block, no PEM public key, or a key type other than Ed25519 or
    /// ECDSA P-256 (the types `lisa scan --sign` accepts; README "Security").
    [[nodiscard]] static Result<PublicKey> from_pem(const std::string& pem);
    /// The key re-encoded as one SubjectPublicKeyInfo PEM block (what the central store keeps:
    /// never the bytes of the file it came from).
    [[nodiscard]] std::string pem() const;
    /// True when `signature_b64` is a valid signature of `data` by this key; false for garbage.
    [[nodiscard]] Result<bool> verify(const std::string& data, const std::string& signature_b64) const;

private:
    std::shared_ptr<void> key_;  // EVP_PKEY, freed with EVP_PKEY_free
};

}  // namespace lisa
