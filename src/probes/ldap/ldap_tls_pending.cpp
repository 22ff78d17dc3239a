// SPDX-License-Identifier: Apache-2.0
// TEMPORARY: used only while lisa::probe_tls is not in the tree; no ldap.tls.* facts.
#include "ldap_tls.hpp"

namespace lisa {

void add_tls_facts(const std::string&, int, const std::string&, bool, const ProbeContext&,
                   Facts&) {}

}  // namespace lisa
