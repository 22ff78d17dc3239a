// SPDX-License-Identifier: Apache-2.0
// Any bytes as a rule file: the loader must return diagnostics, never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lisa/probes/register_builtin.hpp"
#include "lisa/rules/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lisa::ProbeRegistry* registry = [] {
        auto* r = new lisa::ProbeRegistry;
        lisa::register_builtin_probes(*r);
        return r;
    }();
    lisa::FactCatalog catalog = lisa::build_fact_catalog(*registry);
    const std::string text(reinterpret_cast<const char*>(data), size);
    lisa::RuleSet set = lisa::load_rules({{"fuzz.yaml", text}}, catalog);
    lisa::Diagnostics diags;
    lisa::apply_params(set.rules, {}, {}, lisa::Date{20000}, diags);
    for (const auto& d : set.diagnostics.items()) {
        if (d.location.line < 1 || d.location.column < 1) {
            __builtin_trap();  // every diagnostic is located, 1-based
        }
    }
    return 0;
}
