// SPDX-License-Identifier: Apache-2.0
// The report model: one typed, versioned document between the audit and every writer (text, json,
// html, junit, sarif, csv, actionplan-csv, central). A fresh scan builds it with build_report();
// a saved report (a file, a history run) is read back with report_from_json(); both render the
// same bytes. The JSON schema is README "JSON report"; DESIGN §5 (canonical JSON).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lisa/core/result.hpp"
#include "lisa/core/severity.hpp"
#include "lisa/core/subject.hpp"
#include "lisa/core/value.hpp"
#include "lisa/engine/evaluator.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/report/score.hpp"
#include "lisa/rules/rule.hpp"

namespace lisa {

/// The JSON report's `schema_version`. Additive changes (a new key) keep it; a renamed or removed
/// key bumps it, with a migration from the older version in report_from_json (InSpec's rule).
inline constexpr int kReportSchemaVersion = 1;

/// One full-scope audit of the same organisation, for the trend chart (JSON `trend[]`:
/// `{as_of, score, areas?}`).
struct TrendPoint {
    TrendPoint() = default;
    TrendPoint(std::string date, double overall, std::map<std::string, double> area_scores = {})
        : as_of(std::move(date)), score(overall), areas(std::move(area_scores)) {}

    std::string as_of;  ///< YYYY-MM-DD
    double score = 0;   ///< overall score, 0–100
    /// Each area's score at that audit (area id → 0–100; an area without a score is absent).
    /// Empty in reports written before 2026-11-30, which then chart the overall score only.
    std::map<std::string, double> areas;
};

/// Who decided and under which record (diarienummer): the one decision record of waivers and
/// documents (JSON keys `decided_by`, `decision_ref`).
struct DecisionRecord {
    std::string decided_by;    ///< the body that decided, e.g. "Vård- och omsorgsnämnden"
    std::string decision_ref;  ///< the decision's record number, e.g. "VON 2026/118"
};

/// `run`: when and from what the report was made.
struct RunInfo {
    std::string tool_name = "lisa";
    std::string tool_version;
    std::string as_of;     ///< YYYY-MM-DD
    std::string started;   ///< ISO 8601 UTC; as_of T00:00:00Z when --as-of is given
    std::string finished;
    std::string rule_pack_sha256;
    std::string inventory_sha256;
    std::vector<std::string> systems;  ///< --system selection; empty for the whole inventory
    bool complete = true;              ///< no finding in error
};

/// `organization`.
struct OrganizationInfo {
    std::string name;
    std::string municipality_code;  ///< SCB kommunkod, four digits; may be empty
    std::int64_t population = 0;
    std::string size_group;       ///< Socialstyrelsen's 2023 size group of `population`
    std::string size_group_2021;  ///< and the 2021 edition's
    int population_year = 0;      ///< 0: not given (the key is then left out)
    std::map<std::string, std::string> drift;  ///< driftsform per verksamhetsområde; may be empty
};

/// One area of the score, with its title from the rule pack when the pack has one.
struct ReportArea {
    AreaScore result;
    std::optional<Text> title;
};

/// `score`: the overall score (result.id empty) and one entry per area, sorted by id.
struct ScoreSummary {
    AreaScore overall;
    std::vector<ReportArea> areas;
};

/// One fact a finding rests on. `provenance` is the Provenance's name (declared, attested,
/// document, probed) as written; a saved report may hold another word, shown as it is.
struct EvidenceItem {
    std::string fact;
    Value value;
    std::string provenance;
    std::string source;  ///< empty: not written
};

/// The waiver that turned a finding into `waived`: the engine's own choice, carried as the index
/// of its record in ReportDocument::waivers, so no renderer matches waivers again.
struct FindingWaiver {
    std::string decision_ref;
    std::string expires;                ///< YYYY-MM-DD
    std::optional<std::size_t> record;  ///< index into ReportDocument::waivers; none when unknown
};

/// One rule on one subject.
struct ReportFinding {
    std::string rule;
    std::string subject;
    std::optional<SubjectKind> subject_kind;  ///< none: a saved report named an unknown kind
    Status status = Status::Error;            ///< an unknown status read back is Error, never Pass
    Severity severity = Severity::Info;
    std::string area;
    std::string indicator;  ///< empty when the rule feeds no survey indicator
    Text title;
    std::string message;  ///< the engine's one line, English (kept for JSON compatibility)
    /// The same as data (fact, operator, expected, observed): what the HTML and text reports word
    /// in their language. JSON key `result`, written only when it has clauses (additive).
    ResultDetail result;
    std::optional<std::string> system;  ///< the owning system's id; none outside a system
    std::optional<std::string> owner;   ///< its `owner` (nämnd), who the action plan assigns it to
    std::string subject_name;
    /// Where the inventory declares the subject (JSON `declared_at {file, line, column}`; SARIF's
    /// physical location): `file` is the inventory's repository-relative path (audit.hpp
    /// repository_path), line and column 1-based. None for a subject lisa made itself (line 0)
    /// and in reports written before 2026-11-30.
    std::optional<SourceLocation> declared_at;
    std::vector<EvidenceItem> evidence;  ///< sorted by fact name
    std::optional<FindingWaiver> waiver;
    Status unwaived_status = Status::Error;  ///< with a waiver: the verdict without it
    /// The accounts behind a failing count (issue 16 item 8): for a `fail` or `waived` finding,
    /// the names of the probe's `<fact>.accounts` list beside each count fact the rule read
    /// (e.g. ad.privileged.stale → ad.privileged.stale.accounts; sAMAccountName, else uid; the
    /// evaluator adds each such list to the evidence), 
    /// sorted, deduplicated, at most kReportAccountCap. Personal data: carried by the
    /// municipality's own reports (JSON `accounts`, HTML, CSV, action plan), never by the central
    /// profile, the survey export, SARIF or JUnit (README "Personal data in reports").
    std::vector<std::string> accounts;
    std::int64_t accounts_more = 0;  ///< accounts behind the count beyond those named
};

/// At most this many account names per finding (the probes cap their lists at the same 20).
inline constexpr std::size_t kReportAccountCap = 20;

/// True for an evidence fact that lists account names (`….accounts`): personal data, left out of
/// everything that leaves the municipality (SARIF, JUnit, the central profile).
[[nodiscard]] inline bool is_account_list(std::string_view fact) noexcept {
    constexpr std::string_view kSuffix = ".accounts";
    return fact.size() > kSuffix.size() && fact.substr(fact.size() - kSuffix.size()) == kSuffix;
}

/// A finding's accounts as one line: "anna, bertil och 3 till" (sv) / "anna, bertil and 3 more"
/// (en); empty when the finding names none. Every writer that shows them uses this.
[[nodiscard]] std::string accounts_text(const ReportFinding& finding, std::string_view lang);

/// One rule of the pack (`rules[]`): renderers need the whole catalogue (SARIF descriptors,
/// remediation) from the document alone.
struct RuleEntry {
    std::string id;
    Text title;
    std::string area;
    Severity severity = Severity::Info;
    std::string for_each;  ///< the subject kind's name
    std::vector<std::string> references;
    Text remediation;
    bool scored = true;
    std::string indicator;  ///< empty: none
    std::vector<Reference> references_typed;
};

/// One evidence file of the ISMS with its hash: the auditor's appendix.
struct EvidenceFile {
    std::string subject;
    std::string role;
    std::string path;
    std::optional<bool> exists;          ///< none when the document probe did not say
    std::optional<std::string> sha256;
};

/// A national or size-group figure of Socialstyrelsen's survey, as the report carries it.
struct ReportFigure {
    int year = 0;
    std::optional<std::int64_t> n;
    std::vector<std::pair<std::string, double>> distribution;  ///< answer → percent, source order
    std::string source;                  ///< e.g. "003 T15"
    std::vector<std::string> notes;      ///< with notes_sv; national and size-group figures only
    std::vector<std::string> notes_sv;
    std::string scope;                   ///< national_trend entries: the edition's area name
    std::string group;                   ///< size_group: the group id
    std::optional<std::string> label;    ///< size_group: the group's label
};

/// Socialstyrelsen's caveat on small differences, with its source.
struct SourcedText {
    std::string sv;
    std::string source;
};

/// The municipality's answer to one survey indicator (and breakdown value).
struct IndicatorResult {
    std::string id;
    Text title;  ///< from the rule pack's indicator
    std::string scope;
    std::optional<std::string> answer;     ///< none: not evidenced (or not asked)
    std::optional<std::string> not_asked;  ///< the reason the survey does not ask this row
    int survey_year = 0;
    std::string asked_about;               ///< "YYYY-MM-DD" or "YYYY"
    std::optional<double> share_percent;   ///< rounded by share_rounded(), 0–100
    std::vector<IndicatorCaveat> caveats;  ///< `message` worded in the report's language
    bool evidenced = false;
    bool complete = true;
    std::vector<IndicatorUnit> units;
    std::map<std::string, int> by_provenance;
    std::optional<std::int64_t> measure_total;
    std::optional<std::int64_t> measure_missing;
    std::optional<ReportFigure> national;
    std::vector<ReportFigure> national_trend;  ///< two or more, oldest first; else empty
    std::optional<ReportFigure> size_group;
    std::optional<SourcedText> caveat;
};

enum class WaiverState { Active, Expired, Unused };
[[nodiscard]] std::string_view to_string(WaiverState state) noexcept;

/// One waiver of the inventory and what it did in this scan.
struct WaiverRecord {
    std::string rule;     ///< rule id or glob
    std::string subject;  ///< subject id or glob
    std::string reason;
    DecisionRecord decision;
    std::string expires;  ///< YYYY-MM-DD
    WaiverState state = WaiverState::Active;
    int findings_waived = 0;
};

/// One probe call that ran.
struct ProbeRecord {
    std::string probe;
    std::string subject;
    std::string target;
    std::string error;  ///< empty when it collected its facts (JSON null)
};

/// Where one action of the municipality's action plan stands in this scan (issue 16 item 9).
enum class ActionState {
    Open,     ///< the finding still fails (or could not be checked); no deadline passed
    Overdue,  ///< "förfallen": the deadline is before the audit date and the finding still fails
    Closed,   ///< the finding passes now (or no longer applies): the action is done
};
[[nodiscard]] std::string_view to_string(ActionState state) noexcept;

/// One row of the action plan the municipality filled in (`--action-plan FILE`, the XLSX that
/// `--format actionplan-xlsx` wrote), carried into this report. JSON `action_plan[]`.
struct ActionRecord {
    std::string key;       ///< "RULE:SUBJECT" (action_plan.hpp action_key)
    std::string rule;
    std::string subject;
    std::string owner;     ///< ansvarig, as typed
    std::string deadline;  ///< YYYY-MM-DD or empty
    std::string status;    ///< one of action_statuses() or empty
    std::string comment;   ///< kommentar, as typed
    ActionState state = ActionState::Open;
};

/// The board's own target for the score (inventory `report: {target_score, amber_from}`, issue 16
/// item 7): page one's traffic light (page_one.hpp board_verdict). Both 0–100, amber_from <
/// target_score (the inventory loader checks it). JSON key `board_target {target_score,
/// amber_from}`, written only when the inventory set a target (additive).
struct BoardTarget {
    std::optional<double> target_score;  ///< none: the municipality set no target
    std::optional<double> amber_from;    ///< none: no amber band (below target is red)
};

/// The whole report. Plain data: no pointer into the engine's state.
struct ReportDocument {
    int schema_version = kReportSchemaVersion;
    RunInfo run;
    OrganizationInfo organization;
    ScoreSummary score;
    std::vector<ReportFinding> findings;  ///< sorted by rule id, then subject id
    std::vector<RuleEntry> rules;
    std::vector<EvidenceFile> evidence_files;
    std::vector<IndicatorResult> indicators;
    std::vector<FrameworkCoverage> frameworks;
    std::vector<WaiverRecord> waivers;
    std::vector<ProbeRecord> probes;
    /// Earlier full-scope audits of the organisation and this one, oldest first: stored at scan
    /// time so a re-render shows the same trend. JSON key `trend`, written only when non-empty.
    std::vector<TrendPoint> trend;
    /// The municipality's action plan read back with --action-plan, one entry per row, in the
    /// order of the plan's rows. JSON key `action_plan`, written only when non-empty.
    std::vector<ActionRecord> actions;
    /// The municipality's target for page one's verdict, stored at scan time so a re-render of
    /// the JSON gives the same verdict.
    BoardTarget board_target;

    /// The rule catalogue entry with this id, or nullptr.
    [[nodiscard]] const RuleEntry* find_rule(std::string_view id) const noexcept;
    /// The area's title in `lang`, or the id when the pack gave none.
    [[nodiscard]] std::string area_title(std::string_view id, std::string_view lang) const;
};

/**
 * Writes the canonical JSON report (DESIGN §5: keys in a fixed order, 2-space indent, U+2028/9
 * and other controls escaped, one trailing newline) to `out`, section by section: the document
 * is never held a second time as a JSON tree or string.
 */
void to_json(const ReportDocument& document, std::ostream& out);

/**
 * Reads a JSON report back: at most detail::kMaxReportJsonBytes and nested at most
 * detail::kMaxJsonDepth levels (checked while parsing). Errors, one line each: not JSON (with
 * line:col), too deep or too large, "not a lisa JSON report" (no object with `schema_version`
 * and `findings`), or a schema_version newer than this lisa. An older schema_version is migrated
 * (the hook in report.cpp). Inside a report every field is read leniently: a missing or
 * mistyped field takes its default, an unknown status is Error, an unknown severity Info.
 */
[[nodiscard]] Result<ReportDocument> report_from_json(std::string_view text);

}  // namespace lisa
