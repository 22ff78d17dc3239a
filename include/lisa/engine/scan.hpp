// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "lisa/engine/evaluator.hpp"
#include "lisa/engine/probe.hpp"
#include "lisa/core/text.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/rules/loader.hpp"

namespace lisa {

/// One rule on one subject, after waivers.
struct Finding {
    int rule = -1;        ///< index into the rule set
    int subject = -1;     ///< index into the inventory's subjects
    Status status = Status::Error;
    Status unwaived = Status::Error;  ///< the status had no waiver applied
    int waiver = -1;      ///< index into the inventory's waivers when waived
    std::string message;
    ResultDetail detail;  ///< the message as data (evaluator.hpp)
    std::vector<std::pair<std::string, Fact>> evidence;
};

/// One probe call that ran: what, on which subject, and how it went.
struct ProbeRun {
    std::string probe;
    int subject = -1;
    std::string target;
    std::string error;  ///< empty when it collected its facts
    double seconds = 0; ///< wall time; kept out of the canonical report
};

/// Free heap bytes (glibc mallinfo2().fordblks, all arenas) above which run_scan and
/// build_report hand free pages back with malloc_trim: below it the walk costs more CPU than the
/// few MB it returns (issue 15).
inline constexpr std::size_t kTrimWhenFreeBytes = std::size_t{16} << 20;

struct ScanOptions {
    Date as_of;
    std::vector<std::string> systems;   ///< restrict to these systems (and their children)
    unsigned concurrency = 4;           ///< probe calls at once
    unsigned per_host = 2;              ///< probe calls at once against one host
    std::chrono::milliseconds timeout{5000};
    std::string base_dir;
    bool tls_full_depth = false;  ///< --tls-depth full (ProbeContext::tls_full_depth)
};

/// Progress callback: probe calls done, total, the target being worked on.
using ProgressFn = std::function<void(std::size_t done, std::size_t total, const std::string&)>;

struct ScanResult {
    std::vector<Finding> findings;              ///< sorted by rule id, then subject id
    std::vector<ProbeRun> probe_runs;           ///< sorted by probe, then subject
    std::vector<Facts> probed;                  ///< per subject: facts probes collected
    std::vector<bool> selected;                 ///< per subject: inside the --system selection
    std::vector<int> expired_waivers;           ///< waivers past their expiry, ignored
    std::vector<int> unused_waivers;            ///< waivers that matched no finding
};

/**
 * Plans the probe calls the rules need (each probe once per subject), runs them concurrently
 * with a bounded pool and per-host limit, evaluates every rule on every matching subject, and
 * applies waivers. Never throws on probe failures: they become `error` findings.
 */
[[nodiscard]] ScanResult run_scan(const Inventory& inventory, const RuleSet& rules,
                                  FactCatalog& catalog, const ProbeRegistry& probes,
                                  const ScanOptions& options, const ProgressFn& progress = {});

/// Declared facts of a subject and its ancestors, nearer subjects winning (what a rule on it sees).
[[nodiscard]] Facts visible_declared(const std::vector<Subject>& subjects, int index);


}  // namespace lisa
