// SPDX-License-Identifier: Apache-2.0
// The ldap.tls.* facts: the tls probe's certificate and protocol facts for the directory's
// ldaps:// or StartTLS endpoint, renamed from tls.* to ldap.tls.*.
#pragma once

#include <string>

#include "lisa/core/fact.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa::ldap_detail {

/// Renames every "tls.x" fact to "ldap.tls.x"; other names are dropped.
[[nodiscard]] Facts rename_tls_facts(const Facts& tls_facts);

}  // namespace lisa::ldap_detail

namespace lisa {

/// Adds ldap.tls.* facts for host:port (StartTLS for LDAP when `starttls`) to `facts`.
void add_tls_facts(const std::string& host, int port, const std::string& ca_file, bool starttls,
                   const ProbeContext& context, Facts& facts);

}  // namespace lisa
