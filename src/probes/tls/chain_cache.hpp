// SPDX-License-Identifier: Apache-2.0
// Internal to lisa_probe_tls: verify_chain's verdicts remembered by what decides them, so a
// county scan whose thousands of endpoints serve the same chain builds and verifies it once
// (issue 15). The name check is not part of a verdict: the caller makes it per endpoint.
#pragma once

#include <openssl/x509.h>

#include <cstddef>
#include <string>

#include "lisa/core/value.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {

/**
 * verify_chain(leaf, sent, ca_file, trust_intermediates, as_of), answered from the process's
 * memory when the same question was asked before: the same leaf and sent certificates (the
 * SHA-256 of each one's DER, in order), the same ca_file as read (pki::ca_file's object for that
 * path: a file replaced or edited is another one; "" is the system store, read once per process),
 * the same trust_intermediates and the same as_of. verify_chain is pure in those, so the answer
 * is the one verifying again would give. Verdicts whose trust anchors could not be read
 * (checked == false) are not kept. At most kMaxVerdicts are kept; the next is added after the
 * memory is emptied. Thread-safe; two threads asking the same new question both verify.
 */
[[nodiscard]] ChainVerdict verify_chain_cached(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                               bool trust_intermediates, Date as_of);

/// The most verdicts verify_chain_cached keeps.
inline constexpr std::size_t kMaxVerdicts = 4096;

/// How many verify_chain_cached calls were answered from memory (for tests and benchmarks).
[[nodiscard]] std::size_t chain_cache_hits() noexcept;

}  // namespace lisa::tls_detail
