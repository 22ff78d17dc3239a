// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/report/document.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/report/score.hpp"
#include "lisa/rules/loader.hpp"

namespace lisa {

/**
 * What build_report() turns into a ReportDocument: the scan's inputs and outputs, by reference.
 * Only build_report and the survey export (which needs the pack's indicator definitions) read
 * it; every report writer takes the document.
 */
struct Report {
    std::string tool_version;
    std::string as_of;             ///< YYYY-MM-DD
    std::string started;           ///< ISO 8601 UTC; fixed to as_of when --as-of is given
    std::string finished;
    std::string rule_pack_sha256;
    std::string inventory_sha256;
    std::vector<std::string> systems;  ///< --system selection, empty for all
    std::string inventory_file;        ///< the inventory path as loaded (Subject::location.file)
    std::string inventory_repo_path;   ///< its repository-relative name (audit.hpp repository_path)
    std::string lang = "sv";           ///< the language caveat sentences are worded in

    const Inventory* inventory = nullptr;
    const RuleSet* rules = nullptr;
    const ScanResult* scan = nullptr;
    Score score;
    std::vector<IndicatorAnswer> indicators;   ///< Socialstyrelsen survey answers
    const Benchmarks* benchmarks = nullptr;    ///< for the caveat; may be null
    std::vector<FrameworkCoverage> frameworks; ///< e.g. ISO/IEC 27001:2022 Annex A coverage
    std::vector<TrendPoint> trend;             ///< earlier audits and this one, oldest first
};

/**
 * Pure: the typed report of one scan. Resolves what writers used to look up: each finding's
 * system and owner (the nearest System ancestor's `system.owner`), the waiver the engine applied
 * (by index), each waiver's state and count, area and indicator titles from the pack, the
 * evidence files' probed existence and hash, caveat sentences in `inputs.lang`.
 *
 * `consume`: the caller's own, mutable handle on `*inputs.scan` (the same object), or null.
 * Given, the scan's results are moved into the document and released as soon as the build has
 * read them, so the report is held once, not twice (issue 15: a 3,000-endpoint scan has ~80,000
 * findings and ~120,000 probed facts): the probed facts once the evidence files are read, each
 * finding's message and evidence as it is converted, the probe runs' targets and errors as they
 * are copied. Afterwards `consume->probed` and `consume->findings` are empty and the probe runs
 * keep only their probe and subject; `selected` and the waiver lists are untouched.
 */
[[nodiscard]] ReportDocument build_report(const Report& inputs, ScanResult* consume = nullptr);

/// `lisa probe` output: {"subject": ..., "facts": {NAME: {"value", "provenance", "source"}}}.
void write_probe_json(const std::string& subject, const Facts& facts, const std::string& error,
                      std::ostream& out);
}  // namespace lisa
