// SPDX-License-Identifier: Apache-2.0
#pragma once

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

}  // namespace lisa
