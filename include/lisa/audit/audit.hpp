// SPDX-License-Identifier: Apache-2.0
// The audit as a library: the named steps of a scan with typed hand-offs, callable without the
// CLI (an embedder, a test, `lisa aggregate`). The CLI only parses flags, calls these and maps
// the outcome to an exit code (DESIGN §4, §5).
//
//   load_audit      inventory + rule pack (+ survey figures, frameworks) → AuditInputs;
//                   every problem in AuditInputs::diagnostics (file:line:col), nothing probed
//   apply_parameters  the inventory's rule parameters, checked against the audit date
//   run_audit       plan, collect (the only I/O), evaluate, apply waivers (engine run_scan),
//                   then score, survey answers and framework coverage → AuditRun
//   build_report    AuditRun::report → ReportDocument (report/report.hpp)
//   add_trend       the history's earlier audits → ReportDocument::trend
//   evaluate_gates  ReportDocument + Gates → GateOutcome
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lisa/engine/scan.hpp"
#include "lisa/report/benchmarks.hpp"
#include "lisa/report/history.hpp"
#include "lisa/report/report.hpp"

namespace lisa {

/// Step 1's output: the pack and the inventory, loaded and validated together.
struct AuditInputs {
    ProbeRegistry registry;
    FactCatalog catalog;
    RuleSet rules;
    Inventory inventory;
    Diagnostics diagnostics;         ///< every problem of every file; empty when all is valid
    std::string rule_pack_sha256;    ///< SHA-256 of the sorted "FILE SHA256" lines of the pack
    std::string inventory_sha256;
    std::string inventory_dir;       ///< absolute: evidence, CA and password paths resolve from it
    std::string inventory_file;      ///< the inventory path as given (subjects' locations name it)
    std::string inventory_repo_path; ///< repository_path() of it: what reports name it by
    std::optional<Benchmarks> benchmarks;  ///< rules/benchmarks/socialstyrelsen.yaml, if present
    std::vector<Framework> frameworks;     ///< rules/frameworks/*.yaml
};

/**
 * Loads the rule pack in `rules_dir` (rules, survey figures, frameworks; all hashed into
 * rule_pack_sha256) and, unless `inventory_path` is empty, the inventory. Files are read with the
 * input size cap; an unreadable file is a diagnostic at FILE:1:1. Never throws on bad input.
 */
[[nodiscard]] std::unique_ptr<AuditInputs> load_audit(const std::string& inventory_path,
                                                      const std::string& rules_dir);

/**
 * How reports name a file of the user's (the inventory, in `findings[].declared_at.file` and in
 * SARIF's `artifactLocation.uri`): its path relative to the root of the git repository holding
 * it (the nearest directory above it with a `.git`, as a CI checkout has), with `/` separators,
 * e.g. "examples/exempelkommun/inventory.yaml"; outside a repository its file name alone. The
 * same file gives the same name from any working directory and whether given relative or
 * absolute, so reports stay byte-reproducible.
 */
[[nodiscard]] std::string repository_path(const std::string& path);

/// Applies the inventory's parameter overrides to the rules as of `as_of`; problems are added to
/// inputs.diagnostics. Call only when load_audit found none.
void apply_parameters(AuditInputs& inputs, Date as_of);

/// When and by what a run was made: copied into the report's `run` and `tool`.
struct RunStamp {
    std::string tool_version;
    std::string as_of;     ///< YYYY-MM-DD
    std::string started;   ///< ISO 8601 UTC
    std::string finished;  ///< ISO 8601 UTC; when empty the caller stamps report.finished after the run
    std::string lang = "sv";
};

/// Steps 2–6: the scan and everything build_report needs. Not movable: `report` points into it.
struct AuditRun {
    ScanResult scan;
    Report report;  ///< points into this run and its AuditInputs
    AuditRun() = default;
    AuditRun(const AuditRun&) = delete;
    AuditRun& operator=(const AuditRun&) = delete;
};

/**
 * Plans the probe calls the rules need, runs them (the only network I/O, bounded by `options`),
 * evaluates every rule, applies waivers (run_scan), then scores, answers the survey indicators
 * and measures framework coverage.
 */
[[nodiscard]] std::unique_ptr<AuditRun> run_audit(AuditInputs& inputs, const ScanOptions& options,
                                                  const RunStamp& stamp, const ProgressFn& progress = {});

/**
 * Adds the trend a report shows: the organisation's earlier full-scope audits with a score (runs
 * up to the report's date), oldest first, then the report itself; a later run on the same date
 * replaces an earlier one. Each point carries the overall score and every area's score (from
 * HistoryRun::area_scores). Fewer than two points leave no trend (one point is the score). A
 * `--system` report gets no trend: its scope is not the full run's, and it never enters one.
 */
void add_trend(ReportDocument& report, const std::vector<HistoryRun>& runs);

/// The gates a scan's exit code is judged by (DESIGN §5).
struct Gates {
    std::optional<double> fail_under;  ///< a gate fails below this overall score (0–100)
    std::optional<Severity> fail_on;   ///< a gate fails when a rule this severe or worse fails
};

enum class GateOutcome {
    Passed,      ///< complete, and no gate failed
    Failed,      ///< a gate failed: known non-compliance, outranks Incomplete
    Incomplete,  ///< a scored rule ended in error (could not be checked)
};

/// Pure: the outcome of the gates on a report.
[[nodiscard]] GateOutcome evaluate_gates(const ReportDocument& report, const Gates& gates);

}  // namespace lisa
