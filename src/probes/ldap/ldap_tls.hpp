// SPDX-License-Identifier: Apache-2.0
// The ldap.tls.* facts: the tls probe's certificate and protocol facts for the directory's
// ldaps:// or StartTLS endpoint, renamed from tls.* to ldap.tls.*.
#pragma once

#include <string>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa::ldap_detail {

/// Renames every "tls.x" fact to "ldap.tls.x"; other names are dropped. Sources are kept.
[[nodiscard]] Facts rename_tls_facts(const Facts& tls_facts);

/// The tls probe's fact specs, renamed the same way.
[[nodiscard]] std::vector<FactSpec> ldap_tls_fact_specs();

/// Adds the ldap.tls.* facts of host:port (LDAP StartTLS first when `starttls`) to `facts`;
/// ca_file's self-signed certificates are the trust anchors, its intermediates too only with
/// trust_intermediates (directory.trust_intermediates).
void add_tls_facts(const std::string& host, int port, const std::string& ca_file,
                   bool trust_intermediates, bool starttls, const ProbeContext& context,
                   Facts& facts);

}  // namespace lisa::ldap_detail
