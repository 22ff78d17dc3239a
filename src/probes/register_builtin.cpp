// SPDX-License-Identifier: Apache-2.0
#include "lisa/probes/register_builtin.hpp"

#include "lisa/inventory/inventory.hpp"
#include "lisa/probes/document_probe.hpp"
#include "lisa/probes/http_probe.hpp"
#include "lisa/probes/ldap_probe.hpp"
#include "lisa/probes/tls_probe.hpp"

namespace lisa {

void register_builtin_probes(ProbeRegistry& registry) {
    registry.add(make_document_probe());
    registry.add(make_tls_probe());
    registry.add(make_http_probe());
    registry.add(make_ldap_probe());
}

FactCatalog build_fact_catalog(const ProbeRegistry& registry) {
    FactCatalog catalog;
    for (const auto& [spec, kind] : inventory_fact_specs()) {
        catalog.add(spec, "inventory", {kind});
    }
    for (const auto& probe : registry.probes()) {
        catalog.add_probe(probe->spec());
    }
    return catalog;
}

}  // namespace lisa
