// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lisa/engine/probe.hpp"
#include "lisa/rules/fact_catalog.hpp"

namespace lisa {

/// Registers every built-in probe (explicit list, no static initialisers).
void register_builtin_probes(ProbeRegistry& registry);

/// The catalog of every fact the inventory and the registered probes provide.
[[nodiscard]] FactCatalog build_fact_catalog(const ProbeRegistry& registry);

}  // namespace lisa
