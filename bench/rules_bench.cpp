// SPDX-License-Identifier: Apache-2.0
// Rule evaluation throughput: rule×subject evaluations per second on one core (target ≥ 1e6).
// Synthetic subjects with realistic facts; rules shaped like the shipped pack's.
#include <benchmark/benchmark.h>

#include "lisa/engine/evaluator.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/rules/loader.hpp"

namespace {

const char* const kRules = R"yaml(
- id: B-001
  title: { sv: a, en: a }
  remediation: { sv: a, en: a }
  area: klassning
  severity: high
  for_each: system
  where: { fact: system.personal_data, equals: true }
  expect: { fact: system.classified, equals: true }
- id: B-002
  title: { sv: a, en: a }
  remediation: { sv: a, en: a }
  area: klassning
  severity: medium
  for_each: system
  where: { fact: system.classified, equals: true }
  params: { max_age_days: 730 }
  expect: { fact: system.classification.date, within_days: "$max_age_days" }
- id: B-003
  title: { sv: a, en: a }
  remediation: { sv: a, en: a }
  area: klassning
  severity: high
  for_each: system
  where: { all: [ { fact: system.classification.confidentiality, gte: 2 }, { fact: system.sensitive_personal_data, equals: true } ] }
  expect: { any: [ { fact: system.authentication.external, equals: strong }, { fact: system.authentication.internal, in: [strong] } ] }
- id: B-004
  title: { sv: a, en: a }
  remediation: { sv: a, en: a }
  area: klassning
  severity: medium
  for_each: system
  where: { fact: system.classification.availability, gte: 3 }
  expect: { fact: system.document_roles, contains: kontinuitetstest }
)yaml";

struct Fixture {
    lisa::ProbeRegistry registry;
    lisa::FactCatalog catalog;
    lisa::RuleSet rules;
    std::vector<lisa::Facts> subjects;
    std::vector<lisa::FactView> views;
    lisa::Date as_of = *lisa::Date::parse("2026-11-22");

    explicit Fixture(std::size_t n) {
        lisa::register_builtin_probes(registry);
        catalog = lisa::build_fact_catalog(registry);
        rules = lisa::load_rules({{"bench.yaml", kRules}}, catalog);
        lisa::Diagnostics diags;
        lisa::apply_params(rules.rules, {}, {}, as_of, diags);
        if (!rules.ok() || !diags.empty()) {
            throw std::runtime_error("bench rules invalid");
        }
        subjects.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            auto put = [&](const char* name, lisa::Value v) {
                subjects[i][name] = lisa::Fact{std::move(v), lisa::Provenance::Declared, "bench"};
            };
            put("system.personal_data", i % 7 != 0);
            put("system.sensitive_personal_data", i % 3 != 0);
            put("system.classified", i % 5 != 0);
            put("system.classification.confidentiality", static_cast<int>(i % 5));
            put("system.classification.availability", static_cast<int>((i / 3) % 5));
            put("system.classification.date", lisa::Date{as_of.days - static_cast<std::int64_t>(i % 1000)});
            put("system.authentication.external", i % 4 == 0 ? "password" : "strong");
            put("system.authentication.internal", i % 2 == 0 ? "password" : "strong");
            put("system.document_roles", lisa::StringList{i % 2 ? "kontinuitetstest" : "riktlinje"});
        }
        for (const auto& facts : subjects) {
            lisa::FactView view(catalog.interned_count());
            for (std::size_t id = 0; id < catalog.interned_count(); ++id) {
                const auto it = facts.find(catalog.name_of(static_cast<int>(id)));
                if (it != facts.end()) {
                    view.set(static_cast<int>(id), &it->second);
                }
            }
            views.push_back(std::move(view));
        }
    }
};

void BM_EvaluateRules(benchmark::State& state) {
    Fixture fx(static_cast<std::size_t>(state.range(0)));
    std::size_t evaluations = 0;
    for (auto _ : state) {
        for (const auto& view : fx.views) {
            for (const auto& rule : fx.rules.rules) {
                auto verdict = lisa::evaluate(rule, view, fx.catalog, fx.as_of);
                benchmark::DoNotOptimize(verdict);
                ++evaluations;
            }
        }
    }
    state.counters["evaluations_per_second"] =
        benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EvaluateRules)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
