// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "lisa/core/result.hpp"
#include "lisa/report/document.hpp"

namespace lisa {

/**
 * The central profile (`lisa scan --format central`): the part of a report that may leave the
 * municipality for a shared store (issue 17, "no personal data leaves the municipality").
 *
 * Shape (canonical JSON, keys sorted, 2-space indent, one trailing newline):
 *   profile            "lisa-central"            marks the document; a full report has no such key
 *   profile_version    1                         additive changes only
 *   tool               {name, version}
 *   run                {as_of, started, finished, rule_pack_sha256, inventory_sha256, systems, complete}
 *   organization       {name, municipality_code, population, size_group, size_group_2021}
 *   score              {overall, overall_without_waivers, coverage, rules_judged, findings_by_status,
 *                       areas[{id, score, score_without_waivers, coverage, rules_judged, findings_by_status}]}
 *   indicators[]       {id, scope, answer (null = not evidenced), evidenced, complete,
 *                       by_provenance {declared|document|probed: count of units}}
 *   results[]          {rule, subject, subject_kind, status, severity, area, indicator?}
 *                       sorted by rule, then subject: the inventory's subject ids only
 *
 * It is built by *selection*, never by deletion: only the fields above are copied, so a field
 * added to the full report later cannot leak. Not copied: finding messages, evidence values and
 * sources, subject names, owners, evidence file paths, waivers (reasons, decision makers), probe
 * targets, account names, DNs and document text.
 */
[[nodiscard]] std::string central_profile(const ReportDocument& report);

/// The facts of a central profile a store needs to accept it (see read_central_profile).
struct CentralProfileInfo {
    std::string municipality_code;  ///< four digits (SCB kommunkod)
    std::string organization;
    std::string as_of;               ///< YYYY-MM-DD
    std::string finished;            ///< RFC 3339 UTC
    bool complete = false;           ///< run.complete: no error finding
    bool full_scope = false;         ///< run.systems empty: the whole inventory was scanned
    std::string tool_version;
};

/**
 * Parses and checks a central profile. Errors, each one line: not JSON; a full lisa report
 * ("… is a full report with personal data; push its central profile: lisa scan … --format central
 * --sign KEY"); a profile of another version; a missing or malformed municipality code or date.
 */
[[nodiscard]] Result<CentralProfileInfo> read_central_profile(const std::string& text);

}  // namespace lisa
