// SPDX-License-Identifier: Apache-2.0
// Any bytes as the `expect` block of a rule, compiled and evaluated against a fixed set of facts
// (some present, some missing with a probe error, some not applicable): the compiler and the
// three-valued evaluator must never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lisa/engine/evaluator.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/rules/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lisa::ProbeRegistry* registry = [] {
        auto* r = new lisa::ProbeRegistry;
        lisa::register_builtin_probes(*r);
        return r;
    }();
    std::string block(reinterpret_cast<const char*>(data), size);
    // Indent the input under `expect:` so every line belongs to the condition.
    std::string indented = "    ";
    for (const char c : block) {
        indented += c;
        if (c == '\n') {
            indented += "    ";
        }
    }
    const std::string rule = "- id: F-1\n  title: t\n  remediation: r\n  area: a\n  severity: high\n"
                             "  for_each: document\n  params: { n: 30, s: x }\n  expect:\n" + indented + "\n";
    lisa::FactCatalog catalog = lisa::build_fact_catalog(*registry);
    lisa::RuleSet set = lisa::load_rules({{"fuzz.yaml", rule}}, catalog);
    if (!set.ok() || set.rules.empty()) {
        return 0;
    }
    lisa::Diagnostics diags;
    const lisa::Date as_of{20000};
    lisa::apply_params(set.rules, {}, {}, as_of, diags);
    const lisa::Fact facts[] = {
        {lisa::Value(true), lisa::Provenance::Document, "f"},
        {lisa::Value(std::int64_t{42}), lisa::Provenance::Probed, "f"},
        {lisa::Value("informationssakerhetspolicy"), lisa::Provenance::Declared, "f"},
        {lisa::Value(lisa::Date{19990}), lisa::Provenance::Document, "f"},
        {lisa::Value(lisa::StringList{"socialtjanst", "hsl"}), lisa::Provenance::Declared, "f"},
        {lisa::Value(2.5), lisa::Provenance::Probed, "f"},
    };
    lisa::FactView view(catalog.interned_count());
    for (std::size_t id = 0; id < catalog.interned_count(); ++id) {
        switch (id % 8) {
            case 6: view.set_missing(static_cast<int>(id), "probe failed", false); break;
            case 7: view.set_missing(static_cast<int>(id), "does not apply", true); break;
            default: view.set(static_cast<int>(id), &facts[id % 6]); break;
        }
    }
    const auto verdict = lisa::evaluate(set.rules.front(), view, catalog, as_of);
    (void)verdict;
    return 0;
}
