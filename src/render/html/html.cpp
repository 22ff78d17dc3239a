// SPDX-License-Identifier: Apache-2.0
// The HTML report for the security officer and the board: one self-contained file (inline CSS and
// inline SVG charts, no script, no external asset, print CSS for A4), rendered from the typed
// report (document.hpp) so that a fresh scan and a report saved years ago render the same.
//
// Every string that comes from the report goes through escape() — the one escape function — both
// in text and in attribute values. Fixed labels live in Label constants with both languages side by
// side. Numbers are formatted with the classic locale (decimal comma added for Swedish), so the
// same input gives the same bytes whatever the process locale.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <locale>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lisa/core/text.hpp"
#include "lisa/report/could_not_check.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/report/render.hpp"
#include "page_one_html.hpp"
#include "trend.hpp"

namespace lisa {
namespace {


// ---------------------------------------------------------------------------------------------
// Escaping

/**
 * The one escape function: text from the report becomes safe HTML text and attribute content
 * (lisa's HTML sanitiser, lisa/core/text.hpp: & < > " ' escaped, controls and invalid UTF-8 as
 * U+FFFD). Long unbroken tokens wrap by the stylesheet (overflow-wrap:anywhere).
 */
std::string escape(std::string_view text) { return html_escape(text); }

// ---------------------------------------------------------------------------------------------
// Fixed labels, both languages side by side

struct Label {
    const char* key;  ///< a key of the label catalogue (rules/labels/labels.yaml, labels.hpp)
};

constexpr Label kDocKicker{"html.doc_kicker"};
constexpr Label kBoardToc{"board.toc"};
constexpr Label kDocTitle{"html.doc_title"};
constexpr Label kUnnamed{"html.unnamed"};
constexpr Label kAsOfLead{"html.as_of_lead"};
constexpr Label kMunicipalityCode{"html.municipality_code"};
constexpr Label kPopulation{"html.population"};
constexpr Label kSizeGroup{"html.size_group"};
constexpr Label kAsOf{"html.as_of"};
constexpr Label kTool{"html.tool"};
constexpr Label kRulePackHash{"html.rule_pack_hash"};
constexpr Label kInventoryHash{"html.inventory_hash"};
constexpr Label kIncomplete{"html.incomplete"};
constexpr Label kScoped{"html.scoped"};
constexpr Label kContents{"html.contents"};

constexpr Label kSummary{"html.summary"};
constexpr Label kOverall{"html.overall"};
constexpr Label kOverallNote{"html.overall_note"};
constexpr Label kWithoutWaivers{"html.without_waivers"};
constexpr Label kWithoutWaiversNote{"html.without_waivers_note"};
constexpr Label kCoverage{"html.coverage"};
constexpr Label kCoverageNote{"html.coverage_note"};
constexpr Label kRulesJudged{"html.rules_judged"};
constexpr Label kRulesJudgedNote{"html.rules_judged_note"};
constexpr Label kFindingsByStatus{"html.findings_by_status"};
constexpr Label kFrameworkCoverage{"html.framework_coverage"};
constexpr Label kControlsEvidenced{"html.controls_evidenced"};
constexpr Label kControlsMapped{"html.controls_mapped"};
constexpr Label kOf{"html.of"};
constexpr Label kEvidenced{"html.evidenced"};
constexpr Label kMapped{"html.mapped"};
constexpr Label kCatalogueStatus{"html.catalogue_status"};
constexpr Label kEvidencedControls{"html.evidenced_controls"};

constexpr Label kAreas{"html.areas"};
constexpr Label kAreaScore{"html.area_score"};
constexpr Label kAreaTick{"html.area_tick"};
constexpr Label kArea{"html.area"};
constexpr Label kNoAreas{"html.no_areas"};

constexpr Label kSurvey{"html.survey"};
constexpr Label kSurveyLead{"html.survey_lead"};
constexpr Label kIndicator{"html.indicator"};
constexpr Label kAnswer{"html.answer"};
constexpr Label kEvidenceUnits{"html.evidence_units"};
constexpr Label kComparison{"html.comparison"};
constexpr Label kNotEvidenced{"html.not_evidenced"};
constexpr Label kNotAsked{"html.not_asked"};
constexpr Label kNationalTrend{"html.national_trend"};
constexpr Label kPeriodSurvey{"html.period_survey"};
constexpr Label kPeriodYear{"html.period_year"};
constexpr Label kPeriodState{"html.period_state"};
constexpr Label kCaveatNote{"html.caveat_note"};
constexpr Label kNoUnits{"html.no_units"};
constexpr Label kUnitsJudged{"html.units_judged"};
constexpr Label kUnitsFailing{"html.units_failing"};
constexpr Label kUnitsError{"html.units_error"};
constexpr Label kIncompleteAnswer{"html.incomplete_answer"};
constexpr Label kNational{"html.national"};
constexpr Label kSource{"html.source"};
constexpr Label kNoFigure{"html.no_figure"};
constexpr Label kOtherAnswers{"html.other_answers"};
constexpr Label kNoIndicators{"html.no_indicators"};
constexpr Label kCaveatLead{"html.caveat_lead"};

constexpr Label kTrend{"html.trend"};
constexpr Label kNoHistory{"html.no_history"};
constexpr Label kThisAudit{"html.this_audit"};
constexpr Label kTrendYAxis{"html.trend_y_axis"};
constexpr Label kTrendXAxis{"html.trend_x_axis"};

constexpr Label kFailing{"html.failing"};
constexpr Label kFailingLead{"html.failing_lead"};
constexpr Label kNoFailing{"html.no_failing"};
constexpr Label kFailingCount{"html.failing_count"};
constexpr Label kSeverityGroup{"html.severity_group"};
constexpr Label kRemediation{"html.remediation"};
constexpr Label kReferences{"html.references"};
constexpr Label kSubject{"html.subject"};
constexpr Label kResult{"html.result"};
constexpr Label kEvidence{"html.evidence"};
constexpr Label kNoEvidence{"html.no_evidence"};
constexpr Label kOwner{"html.owner"};
constexpr Label kSystem{"html.system"};
constexpr Label kProbed{"html.probed"};

constexpr Label kErrors{"html.errors"};
constexpr Label kErrorsLead{"html.errors_lead"};
constexpr Label kNoErrors{"html.no_errors"};
constexpr Label kReason{"html.reason"};
constexpr Label kRule{"html.rule"};

constexpr Label kWaivers{"html.waivers"};
constexpr Label kWaiversLead{"html.waivers_lead"};
constexpr Label kNoWaivers{"html.no_waivers"};
constexpr Label kState{"html.state"};
constexpr Label kDecidedBy{"html.decided_by"};
constexpr Label kDecisionRef{"html.decision_ref"};
constexpr Label kExpires{"html.expires"};
constexpr Label kWaiverReason{"html.waiver_reason"};
constexpr Label kFindingsWaived{"html.findings_waived"};
constexpr Label kActive{"html.active"};
constexpr Label kExpired{"html.expired"};
constexpr Label kUnused{"html.unused"};

constexpr Label kActionPlan{"html.action_plan"};
constexpr Label kActionPlanLead{"html.action_plan_lead"};
constexpr Label kNoActions{"html.no_actions"};
constexpr Label kSeverity{"html.severity"};
constexpr Label kPriority{"html.priority"};
constexpr Label kWaivedUntil{"html.waived_until"};
constexpr Label kAccounts{"html.accounts"};
constexpr Label kPlanProgress{"html.plan_progress"};
constexpr Label kPlanProgressLead{"html.plan_progress_lead"};
constexpr Label kAction{"html.action"};
constexpr Label kDeadline{"html.deadline"};
constexpr Label kPlanStatus{"html.plan_status"};
constexpr Label kComment{"html.comment"};
constexpr Label kPlanState{"html.plan_state"};
constexpr Label kStateOpen{"html.state_open"};
constexpr Label kStateOverdue{"html.state_overdue"};
constexpr Label kStateClosed{"html.state_closed"};

constexpr Label kAppendix{"html.appendix"};
constexpr Label kEvidenceFiles{"html.evidence_files"};
constexpr Label kRole{"html.role"};
constexpr Label kPath{"html.path"};
constexpr Label kExists{"html.exists"};
constexpr Label kYes{"html.yes"};
constexpr Label kNo{"html.no"};
constexpr Label kNoEvidenceFiles{"html.no_evidence_files"};
constexpr Label kProbes{"html.probes"};
constexpr Label kProbe{"html.probe"};
constexpr Label kTarget{"html.target"};
constexpr Label kError{"html.error"};
constexpr Label kOk{"html.ok"};
constexpr Label kNoProbes{"html.no_probes"};
constexpr Label kRunStarted{"html.run_started"};
constexpr Label kFooter{"html.footer"};
constexpr Label kFooterNote{"html.footer_note"};

constexpr Label kSeverityNames[] = {{"html.severity.critical"}, {"html.severity.high"}, {"html.severity.medium"}, {"html.severity.low"}, {"html.severity.info"}, {"html.severity.unknown"}};
constexpr const char* kSeverityClass[] = {"crit", "high", "med", "low", "info", "unknown"};

constexpr const char* kStatusKeys[] = {"pass", "fail", "error", "waived", "not_applicable"};
constexpr Label kStatusNames[] = {{"html.status.pass"}, {"html.status.fail"}, {"html.status.error"}, {"html.status.waived"}, {"html.status.not_applicable"}};

struct Named {
    const char* id;
    Label text;
};

constexpr Named kProvenances[] = {
    {"declared", {"html.provenance.declared"}},
    {"attested", {"html.provenance.attested"}},
    {"document", {"html.provenance.document"}},
    {"probed", {"html.provenance.probed"}}};

// "8 declared": the same provenances, counted.
constexpr Named kProvenanceCounts[] = {
    {"declared", {"html.provenance_count.declared"}},
    {"attested", {"html.provenance_count.attested"}},
    {"document", {"html.provenance_count.document"}},
    {"probed", {"html.provenance_count.probed"}}};

constexpr Named kSubjectKinds[] = {
    {"organization", {"html.subject_kind.organization"}},
    {"system", {"html.subject_kind.system"}},
    {"endpoint", {"html.subject_kind.endpoint"}},
    {"directory", {"html.subject_kind.directory"}},
    {"access_group", {"html.subject_kind.access_group"}},
    {"e_service", {"html.subject_kind.e_service"}},
    {"document", {"html.subject_kind.document"}}};

constexpr Named kIndicatorNames[] = {
    {"QMS-RISK", {"html.indicator.QMS-RISK"}},
    {"SEC-RISK-NIVA", {"html.indicator.SEC-RISK-NIVA"}},
    {"SEC-LIS", {"html.indicator.SEC-LIS"}},
    {"SEC-RISK", {"html.indicator.SEC-RISK"}},
    {"SEC-CLASS", {"html.indicator.SEC-CLASS"}},
    {"SEC-AUTH-EXT", {"html.indicator.SEC-AUTH-EXT"}},
    {"SEC-AUTH-INT", {"html.indicator.SEC-AUTH-INT"}},
    {"SEC-AUTH-USE-MYN", {"html.indicator.SEC-AUTH-USE-MYN"}},
    {"SEC-AUTH-USE-UTF", {"html.indicator.SEC-AUTH-USE-UTF"}},
    {"SEC-SECCOM-SOC", {"html.indicator.SEC-SECCOM-SOC"}},
    {"SEC-SECCOM-HSL", {"html.indicator.SEC-SECCOM-HSL"}}};

template <std::size_t N>
const Label* find_named(const Named (&table)[N], std::string_view id) {
    for (const auto& n : table) {
        if (id == n.id) {
            return &n.text;
        }
    }
    return nullptr;
}

/// Critical 0, high 1, medium 2, low 3, info 4: the index into kSeverityNames / kSeverityClass.
int severity_rank(Severity severity) {
    return static_cast<int>(Severity::Critical) - static_cast<int>(severity);
}

/// The Status a kStatusKeys entry names.
Status status_of_key(std::string_view key) {
    for (auto s : {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable, Status::Waived}) {
        if (to_string(s) == key) {
            return s;
        }
    }
    return Status::Error;
}

int count_of(const StatusCounts& counts, std::string_view key) {
    return counts[static_cast<std::size_t>(status_of_key(key))];
}

// ---------------------------------------------------------------------------------------------
// Numbers: the classic locale always, so output does not depend on the process locale.

std::string fixed(double v, int decimals) {
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s << std::fixed << std::setprecision(decimals) << v;
    std::string out = s.str();
    if (out == "-0" || out == "-0.0" || out == "-0.00") {
        out.erase(0, 1);
    }
    return out;
}

/// An SVG coordinate: one decimal, always a dot.
std::string coord(double v) { return fixed(v, 1); }

// Colours for the answer options of a distribution bar: a blue ramp, dark to light (the answers
// are ordinal: all → none, yes → no), with the text colour that reads on each. What a figure does
// not account for ("other answers") is white with a dashed outline.
constexpr const char* kOptionFill[] = {"#173f6e", "#2f6297", "#5787bd",
                                       "#92b4da", "#c6d8ee", "#a7b1bd"};
constexpr const char* kOptionInk[] = {"#ffffff", "#ffffff", "#ffffff",
                                      "#13263d", "#13263d", "#13263d"};
constexpr const char* kRemainderFill = "#ffffff";
constexpr std::size_t kOptionColours = sizeof(kOptionFill) / sizeof(kOptionFill[0]);

constexpr const char* kCss = R"css(
:root{--ink:#1f2933;--muted:#5b6776;--line:#d9dee5;--zebra:#f5f7fa;--band:#eef2f7;
--accent:#1d4e89;--accent-soft:#e4edf7;--crit:#7a1c1c;--high:#c0392b;--med:#b7700b;--low:#2f6f9f;
--info:#6b7280;--pass:#2f7d4f;--fail:#b42318;--error:#6941c6;--waived:#8a6a00;--na:#8a94a3}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#fff;color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:0 40px 48px;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:.9em}
h1,h2,h3,h4{line-height:1.25;margin:0}
h2{font-size:22px;color:var(--accent);margin:40px 0 6px;padding-bottom:6px;border-bottom:2px solid var(--accent)}
h3{font-size:17px;margin:26px 0 10px}
h4{font-size:14px;margin:18px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
p{margin:6px 0}
.lead{color:var(--muted);max-width:900px;margin-bottom:14px}
.muted{color:var(--muted)}
.small{font-size:12px}
.doc-head{border-bottom:1px solid var(--line);padding:28px 0 18px;margin-bottom:8px;position:relative}
.doc-head:before{content:"";position:absolute;left:-40px;top:0;bottom:0;width:6px;background:var(--accent)}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;font-weight:600;color:var(--accent)}
.doc-head h1{font-size:32px;margin:4px 0 2px}
.asof{font-size:16px;color:var(--muted);margin:0 0 14px}
.meta{display:grid;grid-template-columns:repeat(5,auto);gap:4px 28px;margin:0;justify-content:start}
.meta div{min-width:0}
.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.meta dd{margin:0;font-weight:600}
.hashes{display:grid;grid-template-columns:auto 1fr;gap:0 12px;margin:12px 0 0;font-size:11px;color:var(--muted)}
.hashes dt{white-space:nowrap}
.hashes dd{margin:0;font-family:ui-monospace,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;word-break:break-all}
.page-one .verdict{display:flex;gap:18px;align-items:flex-start;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:12px 0}
.page-one .light{flex:none;width:44px;height:44px;border-radius:50%;background:var(--na);margin-top:4px}
.verdict-green .light{background:var(--pass)}.verdict-amber .light{background:#e0a100}.verdict-red .light{background:var(--fail)}
.verdict-word{font-size:20px;font-weight:700;margin:0 0 4px}
.rule-note{font-size:12px;color:var(--muted)}
.page-one ol.risks{padding-left:22px;margin:6px 0}.page-one ol.risks li{margin:4px 0}
.risk-detail{color:var(--muted)}
.banner{border-left:4px solid var(--accent);background:var(--accent-soft);padding:8px 12px;margin:12px 0}
.banner.warn{border-color:var(--error);background:#f1ecfb}
nav.toc{margin:14px 0 0;font-size:13px}
nav.toc ol{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;padding:0;margin:4px 0 0}
nav.toc a{color:var(--accent);text-decoration:none}
nav.toc a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin:14px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:12px 16px;background:#fff;break-inside:avoid}
.card.primary{border-color:var(--accent);border-width:2px;background:var(--accent-soft)}
.card .label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
.card .big{font-size:34px;font-weight:700;line-height:1.15;margin:4px 0;font-variant-numeric:tabular-nums}
.card .big .of{font-size:15px;color:var(--muted);font-weight:400;margin-left:4px}
.card .note{font-size:12px;color:var(--muted)}
.meter{display:block;width:100%;height:8px;margin-top:6px}
.statuses{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0;padding:0;list-style:none}
.statuses li{border:1px solid var(--line);border-radius:999px;padding:3px 12px 3px 10px;font-size:13px;background:#fff}
.statuses b{font-variant-numeric:tabular-nums;margin-left:4px}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:6px;vertical-align:0}
.st-pass{background:var(--pass)}.st-fail{background:var(--fail)}.st-error{background:var(--error)}
.st-waived{background:var(--waived)}.st-not_applicable{background:var(--na)}
.framework{border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:16px 0;break-inside:avoid}
.framework h3{margin:0 0 6px}
.framework .ctl{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.framework .ctl code{background:var(--zebra);border:1px solid var(--line);border-radius:3px;padding:0 5px;font-size:11px}
.chart{display:block;width:100%;max-width:920px;height:auto;margin:8px 0}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted);margin:4px 0 10px;padding:0;list-style:none}
.legend .sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px;border:1px solid rgba(0,0,0,.15)}
.legend .sw.other{background:#fff;border:1px dashed #8a94a3}
.legend .tick{display:inline-block;width:3px;height:14px;background:var(--ink);margin-right:6px;vertical-align:-2px}
.legend li.mine{color:var(--ink);font-weight:700}
table{width:100%;border-collapse:collapse;margin:8px 0 16px;font-size:13px}
thead{display:table-header-group}
th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);
font-weight:600;border-bottom:2px solid var(--line);padding:6px 8px;vertical-align:bottom}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
tbody tr:nth-child(even){background:var(--zebra)}
tr{break-inside:avoid}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
td.hash{font-family:ui-monospace,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:11px;word-break:break-all}
td.nowrap{white-space:nowrap}
.sev{display:inline-block;border-radius:3px;padding:1px 7px;font-size:11px;font-weight:700;letter-spacing:.03em;
text-transform:uppercase;color:#fff;white-space:nowrap}
.sev-crit{background:var(--crit)}.sev-high{background:var(--high)}.sev-med{background:var(--med)}
.sev-low{background:var(--low)}.sev-info,.sev-unknown{background:var(--info)}
.badge{display:inline-block;border-radius:3px;padding:1px 7px;font-size:11px;font-weight:600;white-space:nowrap;
border:1px solid var(--line);background:#fff}
.badge.active{border-color:var(--waived);color:var(--waived)}
.badge.expired{border-color:var(--fail);color:var(--fail)}
.badge.unused{color:var(--muted)}
.badge.overdue{border-color:var(--fail);color:var(--fail)}
.badge.closed{color:var(--muted)}
.badge.no{border-color:var(--fail);color:var(--fail)}
.prov{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;background:var(--band);color:var(--muted)}
.prov-document{background:#e5f0e8;color:#24613d}
.prov-probed{background:#e4edf7;color:#1d4e89}
.ans{display:inline-block;font-weight:700}
.ans.none{font-weight:600;color:var(--fail);border:1px dashed var(--fail);border-radius:3px;padding:0 6px}
table.survey td:first-child{width:26%}
table.survey td:nth-child(2){width:14%}
table.survey td:nth-child(3){width:18%}
.ind-id{font-size:11px;color:var(--muted)}
.scope{display:block;font-weight:600}
.fig{margin:0 0 6px}
.fig-cap{font-size:11px;color:var(--muted)}
.fig-cap b{color:var(--ink)}
.fig svg{display:block;width:100%;max-width:440px;height:auto}
.fig-note{font-size:11px;color:var(--muted);font-style:italic}
.caveat{border-left:4px solid var(--line);padding:6px 12px;color:var(--muted);font-size:13px;margin:10px 0}
.area-block{margin-top:8px}
.area-block>h3{display:flex;align-items:baseline;gap:10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.area-block>h3 .count{font-size:13px;font-weight:400;color:var(--muted)}
.rule{border:1px solid var(--line);border-left:5px solid var(--info);border-radius:4px;margin:10px 0 14px;padding:10px 14px 4px;background:#fff}
.rule.sev-b-crit{border-left-color:var(--crit)}.rule.sev-b-high{border-left-color:var(--high)}
.rule.sev-b-med{border-left-color:var(--med)}.rule.sev-b-low{border-left-color:var(--low)}
.rule-head{display:flex;gap:10px;align-items:baseline;break-after:avoid;break-inside:avoid}
.rule-head code{font-weight:700;font-size:13px}
code.rid{white-space:nowrap}
.rule-head .title{font-weight:600;font-size:15px}
.refs{font-size:11px;color:var(--muted);margin:2px 0 6px}
.remedy{background:var(--accent-soft);border-radius:4px;padding:6px 10px;margin:6px 0;break-inside:avoid}
.remedy b{color:var(--accent);margin-right:6px}
.rule table{margin:6px 0 8px}
.facts{list-style:none;margin:0;padding:0}
.facts li{margin:0 0 3px}
.facts .val{font-weight:600}
.facts .src{font-size:11px;color:var(--muted);overflow-wrap:anywhere}
.facts .how{display:block}
.probe-line{font-size:11px;color:var(--muted)}
.sub-name{font-weight:600}
.sub-id{font-size:11px;color:var(--muted)}
.msg{font-family:ui-monospace,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:12px;word-break:break-word}
table.plan th:nth-child(1){width:10%}table.plan th:nth-child(2){width:18%}table.plan th:nth-child(3){width:18%}
table.plan th:nth-child(4){width:28%}table.plan th:nth-child(5){width:15%}table.plan th:nth-child(6){width:11%}
table.plan .item{display:block;font-weight:700;font-size:15px;line-height:1.2;font-variant-numeric:tabular-nums}
.nowrap{white-space:nowrap}
table.areas td:first-child{white-space:nowrap}
table.fixed{table-layout:fixed}
table.fixed td{overflow-wrap:break-word}
table.waivers th:nth-child(1){width:9%}table.waivers th:nth-child(2){width:10%}table.waivers th:nth-child(3){width:12%}
table.waivers th:nth-child(4){width:17%}table.waivers th:nth-child(5){width:11%}table.waivers th:nth-child(6){width:11%}
table.waivers th:nth-child(7){width:21%}table.waivers th:nth-child(8){width:9%}
table.fixed th{overflow-wrap:anywhere}
table.files th:nth-child(1){width:18%}table.files th:nth-child(2){width:16%}table.files th:nth-child(3){width:28%}
table.files th:nth-child(4){width:8%}table.files th:nth-child(5){width:30%}
tr.waived td{color:var(--muted)}
tr.waived td .sev{opacity:.75}
.waived-note{display:block;font-size:11px;color:var(--waived);font-weight:600}
a.rule-link{color:inherit;text-decoration:none;border-bottom:1px dotted var(--muted)}
footer{margin-top:40px;padding-top:10px;border-top:1px solid var(--line);font-size:11px;color:var(--muted)}
@page{size:A4;margin:16mm 14mm 18mm 14mm;
@bottom-right{content:counter(page) " / " counter(pages);font-size:8pt;color:#5b6776}}
@media print{
body{font-size:10pt}
main{max-width:none;padding:0}
.doc-head{padding-top:0}
.doc-head:before{display:none}
nav.toc{display:none}
h2{margin-top:10px}
h2.major{break-before:page}
.page-one{break-after:page}
.page-one h2{margin-top:4px}.page-one h3{margin:10px 0 4px}
.page-one .verdict{padding:8px 12px;margin:8px 0}
.page-one ol.risks li strong,.page-one .risk-detail{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden}
.page-one ol.risks li strong{-webkit-line-clamp:1}
.page-one .area-changes li,.page-one .causes li{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:1;overflow:hidden}
h2,h3,h4,.lead{break-after:avoid}
.lead,.caveat{break-inside:avoid}
#areas,#waivers,#trend{break-inside:avoid}
.cards{gap:8px;margin:8px 0}
.card{padding:8px 12px}
.card .big{font-size:22px}
.card .note{font-size:7.5pt}
.doc-head h1{font-size:24pt}
.asof{margin-bottom:8px}
table.plan .sub-name{font-weight:400}
table{font-size:9pt}
.rule{break-inside:auto}
.rule-head,.refs,.remedy{break-after:avoid}
h2{font-size:17pt}
h3{margin:14px 0 6px}
.framework{padding:8px 12px;margin:10px 0}
.legend{margin:2px 0 6px}
.statuses li{padding:1px 10px 1px 8px}
table.plan{font-size:8.5pt}
th{font-size:7.5pt;letter-spacing:.02em}
table.plan td,table.plan th,table.waivers td,table.waivers th{padding:5px 5px}
table.survey td:first-child{width:24%}table.survey td:nth-child(2){width:11%}table.survey td:nth-child(3){width:16%}
a{color:inherit;text-decoration:none}
}
@media screen and (max-width:900px){.cards{grid-template-columns:repeat(2,1fr)}.meta{grid-template-columns:repeat(2,auto)}}
)css";

// ---------------------------------------------------------------------------------------------

/// One answer option's share in a figure's bar; the remainder is what the figure leaves out.
struct Segment {
    std::string label;
    double value;
    std::size_t colour;
    bool remainder;
};

class Renderer {
public:
    Renderer(const ReportDocument& report, const RenderOptions& options, std::ostream& out)
        : r_(report), options_(options), en_(options.lang == "en"), labels_(options.words()), o_(out) {
        for (const auto& probe : r_.probes) {
            probes_by_subject_[probe.subject].push_back(&probe);
        }
        for (const auto& f : r_.findings) {
            if (f.status == Status::Fail) {
                fails_.push_back(&f);
                failing_rules_.insert(f.rule);
            } else if (f.status == Status::Error) {
                errors_.push_back(&f);
            } else if (f.status == Status::Waived) {
                waived_.push_back(&f);
            }
        }
    }

    void render();

private:
    using Finding = ReportFinding;
    [[nodiscard]] std::string t(const Label& text) const { return labels_.word(text.key, en_ ? "en" : "sv"); }
    [[nodiscard]] std::string localized(const Text& text) const;
    [[nodiscard]] std::string num(double v, int decimals) const;
    [[nodiscard]] std::string score_text(std::optional<double> v) const;
    [[nodiscard]] std::string percent_text(double percent) const;
    [[nodiscard]] std::string integer_text(long long v) const;
    [[nodiscard]] std::string severity_badge(Severity severity) const;
    [[nodiscard]] std::string area_name(const std::string& id) const;
    [[nodiscard]] std::string kind_name(const Finding& finding) const;
    /// The finding's result worded from the catalogue (labels.hpp); the engine's message when
    /// the finding has no structured result (an error's reason, an older report).
    [[nodiscard]] std::string result_text(const Finding& finding) const;
    /// `<td class="msg">` and the result; an error reworded in Swedish keeps the probe's words in `title`.
    [[nodiscard]] std::string message_cell(const Finding& finding) const;
    [[nodiscard]] std::string provenance_badge(const std::string& provenance) const;
    [[nodiscard]] std::string rule_title(const Finding& finding) const;
    [[nodiscard]] std::string remediation(const std::string& rule_id) const;
    [[nodiscard]] std::vector<std::string> area_order() const;

    void head();
    void header();
    void page_one();
    void summary();
    void framework(const FrameworkCoverage& fw);
    void areas();
    void area_chart();
    void survey();
    void indicator_row(const IndicatorResult& ind);
    void indicator_evidence(const IndicatorResult& ind);
    void indicator_legend(const IndicatorResult& ind, const std::vector<std::string>& options);
    void indicator_trend(const IndicatorResult& ind, const std::vector<std::string>& options);
    void figure(const std::optional<ReportFigure>& fig, const Label& title,
                const std::vector<std::string>& options, const std::optional<std::string>& answer,
                bool national);
    void figure_bar(const std::vector<Segment>& segments, double sum, const std::string& mine,
                    const Label& title);
    void trend();
    void failing();
    void rule_card(const std::string& rule_id, const std::vector<const Finding*>& findings);
    void evidence_list(const Finding& finding);
    void accounts_block(const Finding& finding);
    void errors();
    void waivers();
    void action_plan();
    void plan_progress();
    void appendix();
    void footer();

    const ReportDocument& r_;
    const RenderOptions& options_;
    bool en_;
    const Labels& labels_;
    std::ostream& o_;
    std::map<std::string, std::vector<const ProbeRecord*>> probes_by_subject_;
    std::vector<const Finding*> fails_;
    std::vector<const Finding*> errors_;
    std::vector<const Finding*> waived_;
    std::set<std::string> failing_rules_;
};

std::string Renderer::localized(const Text& text) const {
    const std::string& preferred = text.in(en_ ? "en" : "sv");
    return preferred.empty() ? text.in(en_ ? "sv" : "en") : preferred;
}

std::string Renderer::num(double v, int decimals) const {
    std::string s = fixed(v, decimals);
    if (!en_) {
        std::replace(s.begin(), s.end(), '.', ',');
    }
    return s;
}

std::string Renderer::score_text(std::optional<double> v) const {
    return v ? num(*v, 2) : std::string("–");
}

std::string Renderer::percent_text(double percent) const {
    const bool whole = std::fabs(percent - std::round(percent)) < 0.05;
    const std::string n = whole ? fixed(std::round(percent), 0) : num(percent, 1);
    return en_ ? n + "%" : n + "\u00a0%";
}

std::string Renderer::integer_text(long long v) const {
    // The magnitude in unsigned arithmetic: -v overflows for the most negative value.
    const auto magnitude =
        v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    const std::string digits = std::to_string(magnitude);
    const std::string sep = en_ ? "," : "\u00a0";
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        const std::size_t left = n - i - 1;
        if (left > 0 && left % 3 == 0) {
            out += sep;
        }
    }
    return v < 0 ? "-" + out : out;
}

std::string Renderer::severity_badge(Severity severity) const {
    const auto i = static_cast<std::size_t>(severity_rank(severity));
    return std::string("<span class=\"sev sev-") + kSeverityClass[i] + "\">" +
           t(kSeverityNames[i]) + "</span>";
}

std::string Renderer::area_name(const std::string& id) const {
    // The pack's title for the area (rules/areas.yaml), carried in the report's score section.
    for (const auto& area : r_.score.areas) {
        if (area.result.id == id && area.title) {
            if (std::string title = localized(*area.title); !title.empty()) {
                return title;
            }
        }
    }
    return id.empty() ? std::string("–") : id;
}

std::string Renderer::kind_name(const Finding& finding) const {
    if (!finding.subject_kind) {
        return {};
    }
    const std::string kind(to_string(*finding.subject_kind));
    if (const Label* text = find_named(kSubjectKinds, kind)) {
        return t(*text);
    }
    return kind;
}

std::string Renderer::result_text(const Finding& finding) const {
    // An error's message is the reason the check could not run: worded by its cause in Swedish
    // (the probe's own words stay in the cell's title and in the JSON); a verdict from its result.
    if (finding.status == Status::Error) {
        return cause_for_check(finding.message, en_ ? "en" : "sv", labels_);
    }
    return finding.result.clauses.empty() ? finding.message : labels_.result(finding.result, en_ ? "en" : "sv", r_.run.as_of);
}

std::string Renderer::message_cell(const Finding& finding) const {
    const bool reworded = finding.status == Status::Error && !en_;
    return "<td class=\"msg\"" + (reworded ? " title=\"" + escape(finding.message) + "\"" : std::string()) + ">" +
           escape(result_text(finding));
}

std::string Renderer::provenance_badge(const std::string& provenance) const {
    const Label* text = find_named(kProvenances, provenance);
    const std::string cls = text != nullptr ? provenance : std::string("other");
    return "<span class=\"prov prov-" + cls + "\">" +
           escape(text != nullptr ? std::string(t(*text)) : provenance) + "</span>";
}

std::string Renderer::rule_title(const Finding& finding) const {
    std::string title = localized(finding.title);
    if (title.empty()) {
        if (const RuleEntry* rule = r_.find_rule(finding.rule)) {
            title = localized(rule->title);
        }
    }
    return title;
}

std::string Renderer::remediation(const std::string& rule_id) const {
    const RuleEntry* rule = r_.find_rule(rule_id);
    return rule == nullptr ? std::string() : localized(rule->remediation);
}

std::vector<std::string> Renderer::area_order() const {
    std::vector<std::string> order;
    for (const auto& area : r_.score.areas) {
        if (std::find(order.begin(), order.end(), area.result.id) == order.end()) {
            order.push_back(area.result.id);
        }
    }
    std::set<std::string> rest;
    for (const auto* list : {&fails_, &errors_, &waived_}) {
        for (const Finding* f : *list) {
            if (std::find(order.begin(), order.end(), f->area) == order.end()) {
                rest.insert(f->area);
            }
        }
    }
    order.insert(order.end(), rest.begin(), rest.end());
    return order;
}

/// An anchor id derived from a rule id: only [A-Za-z0-9-] survive, anything else becomes _XX.
std::string anchor(const std::string& prefix, const std::string& id) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = prefix;
    for (const char c : id) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-') {
            out += c;
        } else {
            out += '_';
            out += kHex[u >> 4];
            out += kHex[u & 0x0F];
        }
    }
    return out;
}

/// A fact value as text: strings as they are, lists as [a, b], null as –.
std::string value_text(const Value& v) {
    switch (v.type()) {
        case ValueType::None: return "–";
        case ValueType::String: return *v.as_string();
        case ValueType::List: {
            std::string out = "[";
            for (std::size_t i = 0; i < v.as_list()->size(); ++i) {
                out += (i == 0 ? "" : ", ") + (*v.as_list())[i];
            }
            return out + "]";
        }
        case ValueType::Bool: return *v.as_bool() ? "true" : "false";
        case ValueType::Integer: return std::to_string(*v.as_int());
        case ValueType::Number: return nlohmann::json(*v.as_double()).dump();
        case ValueType::Date: return v.as_date()->to_string();
    }
    return "–";
}

// ---------------------------------------------------------------------------------------------

void Renderer::head() {
    const std::string& name = r_.organization.name;
    const std::string& as_of = r_.run.as_of;
    const std::string& version = r_.run.tool_version;
    o_ << "<!DOCTYPE html>\n<html lang=\"" << (en_ ? "en" : "sv") << "\">\n<head>\n"
       << "<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       // Defence in depth: even a renderer bug could not load anything or run a script.
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\">\n"
       << "<meta name=\"generator\" content=\"lisa " << escape(version) << "\">\n"
       << "<title>" << t(kDocTitle) << " – " << escape(name.empty() ? t(kUnnamed) : name);
    if (!as_of.empty()) {
        o_ << " – " << escape(as_of);
    }
    o_ << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<main>\n";
}

void Renderer::header() {
    const OrganizationInfo& org = r_.organization;
    const RunInfo& run = r_.run;
    const std::string& name = org.name;
    const auto dash = [](const std::string& s) { return s.empty() ? std::string("–") : escape(s); };

    o_ << "<header class=\"doc-head\">\n<div class=\"kicker\">" << t(kDocKicker) << "</div>\n"
       << "<h1>" << escape(name.empty() ? t(kUnnamed) : name) << "</h1>\n"
       << "<p class=\"asof\">" << t(kAsOfLead) << " " << dash(run.as_of) << "</p>\n"
       << "<dl class=\"meta\">\n";
    const auto meta = [&](const Label& label, const std::string& html) {
        o_ << "<div><dt>" << t(label) << "</dt><dd>" << html << "</dd></div>\n";
    };
    meta(kMunicipalityCode, dash(org.municipality_code));
    meta(kPopulation, integer_text(org.population));
    meta(kSizeGroup, dash(org.size_group));
    meta(kAsOf, dash(run.as_of));
    meta(kTool, escape((run.tool_name.empty() ? std::string("lisa") : run.tool_name) + " " + run.tool_version));
    o_ << "</dl>\n";

    const std::vector<std::string>& systems = run.systems;
    if (!systems.empty()) {
        o_ << "<p class=\"banner\">" << t(kScoped);
        for (std::size_t i = 0; i < systems.size(); ++i) {
            o_ << (i == 0 ? " " : ", ") << "<code>" << escape(systems[i]) << "</code>";
        }
        o_ << "</p>\n";
    }
    if (!run.complete || !errors_.empty()) {
        o_ << "<p class=\"banner warn\">" << t(kIncomplete) << "</p>\n";
    }

    o_ << "<nav class=\"toc\" aria-label=\"" << t(kContents) << "\"><b>" << t(kContents)
       << "</b><ol>\n";
    // The issue's order: page one, the action plan, the survey, then the detail and the appendix.
    const std::pair<const char*, const Label*> entries[] = {
        {"page-one", &kBoardToc}, {"action-plan", &kActionPlan},
        {"survey", &kSurvey},     {"summary", &kSummary},
        {"areas", &kAreas},       {"trend", &kTrend},
        {"failing", &kFailing},   {"errors", &kErrors},
        {"waivers", &kWaivers},   {"appendix", &kAppendix}};
    int n = 1;
    for (const auto& [id, text] : entries) {
        o_ << "<li><a href=\"#" << id << "\">" << n++ << ". " << t(*text) << "</a></li>\n";
    }
    o_ << "</ol></nav>\n</header>\n";
}

/// A thin horizontal meter (0–100) as inline SVG.
std::string meter_svg(double value, const char* colour) {
    const double w = std::clamp(value, 0.0, 100.0);
    return "<svg class=\"meter\" viewBox=\"0 0 100 4\" preserveAspectRatio=\"none\" "
           "aria-hidden=\"true\">"
           "<rect width=\"100\" height=\"4\" rx=\"1\" fill=\"#dfe5ec\"/><rect width=\"" +
           coord(w) + "\" height=\"4\" rx=\"1\" fill=\"" + colour + "\"/></svg>";
}

/// Page one for the board (page_one_html.hpp): the template filled in with the catalogue's words.
void Renderer::page_one() { o_ << html_page_one::render(r_, options_); }

void Renderer::summary() {
    const AreaScore& score = r_.score.overall;
    const auto overall = score.score;
    const auto without = score.score_without_waivers;
    const std::optional<double> coverage = score.coverage;

    o_ << "<section id=\"summary\">\n<h2>" << t(kSummary) << "</h2>\n<div class=\"cards\">\n";
    o_ << "<div class=\"card primary\"><div class=\"label\">" << t(kOverall)
       << "</div><div class=\"big\">" << score_text(overall)
       << "<span class=\"of\">/ 100</span></div>"
       << (overall ? meter_svg(*overall, "#1d4e89") : std::string()) << "<div class=\"note\">"
       << t(kOverallNote) << "</div></div>\n";
    o_ << "<div class=\"card\"><div class=\"label\">" << t(kWithoutWaivers)
       << "</div><div class=\"big\">" << score_text(without) << "</div>"
       << (without ? meter_svg(*without, "#5b6776") : std::string()) << "<div class=\"note\">"
       << t(kWithoutWaiversNote) << "</div></div>\n";
    o_ << "<div class=\"card\"><div class=\"label\">" << t(kCoverage) << "</div><div class=\"big\">"
       << (coverage ? percent_text(*coverage * 100.0) : std::string("–")) << "</div>"
       << (coverage ? meter_svg(*coverage * 100.0, "#2f7d4f") : std::string())
       << "<div class=\"note\">" << t(kCoverageNote) << "</div></div>\n";
    o_ << "<div class=\"card\"><div class=\"label\">" << t(kRulesJudged)
       << "</div><div class=\"big\">" << integer_text(score.rules_judged)
       << "</div><div class=\"note\">" << t(kRulesJudgedNote) << "</div></div>\n</div>\n";

    o_ << "<h3>" << t(kFindingsByStatus) << "</h3>\n<ul class=\"statuses\">\n";
    for (std::size_t i = 0; i < 5; ++i) {
        o_ << "<li><span class=\"dot st-" << kStatusKeys[i] << "\"></span>" << t(kStatusNames[i])
           << "<b>" << integer_text(count_of(score.by_status, kStatusKeys[i])) << "</b></li>\n";
    }
    o_ << "</ul>\n";
    for (const auto& fw : r_.frameworks) {
        framework(fw);
    }
    o_ << "</section>\n";
}

void Renderer::framework(const FrameworkCoverage& fw) {
    const long long controls = fw.controls;
    const long long mapped = fw.mapped;
    const long long evidenced = fw.evidenced;
    const std::string& title = fw.title.empty() ? fw.id : fw.title;
    o_ << "<div class=\"framework\">\n<h3>" << t(kFrameworkCoverage) << " " << escape(title)
       << "</h3>\n<p><b>" << integer_text(evidenced) << " " << t(kOf) << " "
       << integer_text(controls) << "</b> " << t(kControlsEvidenced) << "; " << integer_text(mapped)
       << " " << t(kControlsMapped) << ".</p>\n";
    if (controls > 0) {
        const double m = 100.0 * static_cast<double>(mapped) / static_cast<double>(controls);
        const double e = 100.0 * static_cast<double>(evidenced) / static_cast<double>(controls);
        o_ << "<svg class=\"chart\" viewBox=\"0 0 900 18\" role=\"img\" aria-label=\""
           << escape(title) << "\"><rect width=\"900\" height=\"18\" rx=\"3\" fill=\"#e6e9ee\"/>"
           << "<rect width=\"" << coord(9.0 * m) << "\" height=\"18\" rx=\"3\" fill=\"#93b5da\"/>"
           << "<rect width=\"" << coord(9.0 * e) << "\" height=\"18\" rx=\"3\" fill=\"#1d4e89\"/>"
           << "</svg>\n<ul class=\"legend\"><li><span class=\"sw\" "
              "style=\"background:#1d4e89\"></span>"
           << t(kEvidenced) << " " << integer_text(evidenced)
           << "</li><li><span class=\"sw\" style=\"background:#93b5da\"></span>" << t(kMapped)
           << " " << integer_text(mapped)
           << "</li><li><span class=\"sw\" style=\"background:#e6e9ee\"></span>" << t(kOf) << " "
           << integer_text(controls) << "</li></ul>\n";
    }
    if (!fw.by_status.empty()) {
        o_ << "<p class=\"small muted\">" << t(kCatalogueStatus) << ":";
        bool first = true;
        for (const auto& [key, value] : fw.by_status) {
            // The framework catalogue's status words (attested, automated, not_assessed) from
            // the label catalogue; a status it does not know as written.
            const std::string word = labels_.word_or("html.control_status." + key, en_ ? "en" : "sv", key);
            o_ << (first ? " " : " · ") << escape(word) << " "
               << std::to_string(value);
            first = false;
        }
        o_ << "</p>\n";
    }
    if (!fw.evidenced_ids.empty()) {
        o_ << "<div class=\"small muted\">" << t(kEvidencedControls)
           << ":</div><div class=\"ctl\">";
        for (const auto& id : fw.evidenced_ids) {
            o_ << "<code>" << escape(id) << "</code>";
        }
        o_ << "</div>\n";
    }
    o_ << "</div>\n";
}

void Renderer::area_chart() {
    const auto& list = r_.score.areas;
    // Geometry: label column, a 0–100 track, then the score and coverage labels.
    constexpr double kLabelEnd = 250;
    constexpr double kTrackX = 262;
    constexpr double kTrackW = 440;
    constexpr double kRow = 38;
    constexpr double kBar = 20;
    constexpr double kTop = 10;
    const double height = kTop + kRow * static_cast<double>(list.size()) + 24;
    o_ << "<svg class=\"chart\" viewBox=\"0 0 900 " << coord(height)
       << "\" role=\"img\" aria-label=\"" << t(kAreas) << "\">\n";
    const double bottom = kTop + kRow * static_cast<double>(list.size());
    for (int g = 0; g <= 4; ++g) {
        const double x = kTrackX + kTrackW * g / 4.0;
        o_ << "<line x1=\"" << coord(x) << "\" y1=\"" << coord(kTop - 4) << "\" x2=\"" << coord(x)
           << "\" y2=\"" << coord(bottom) << "\" stroke=\"#d9dee5\" stroke-dasharray=\"3 3\"/>"
           << "<text x=\"" << coord(x) << "\" y=\"" << coord(bottom + 16)
           << "\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"middle\">" << g * 25
           << "</text>\n";
    }
    double y = kTop;
    for (const auto& area : list) {
        const std::string& id = area.result.id;
        const auto score = area.result.score;
        const auto without = area.result.score_without_waivers;
        const std::optional<double> coverage = area.result.coverage;
        const double cy = y + (kRow - kBar) / 2;
        o_ << "<g><title>" << escape(area_name(id)) << ": " << score_text(score) << "</title>"
           << "<text x=\"" << coord(kLabelEnd) << "\" y=\"" << coord(cy + 14)
           << "\" font-size=\"14\" font-weight=\"600\" fill=\"#1f2933\" text-anchor=\"end\">"
           << escape(area_name(id)) << "</text>"
           << "<rect x=\"" << coord(kTrackX) << "\" y=\"" << coord(cy) << "\" width=\""
           << coord(kTrackW) << "\" height=\"" << coord(kBar) << "\" rx=\"3\" fill=\"#eef1f5\"/>";
        if (score) {
            const double w = kTrackW * std::clamp(*score, 0.0, 100.0) / 100.0;
            o_ << "<rect x=\"" << coord(kTrackX) << "\" y=\"" << coord(cy) << "\" width=\""
               << coord(w) << "\" height=\"" << coord(kBar) << "\" rx=\"3\" fill=\"#1d4e89\"/>";
        }
        if (without && score && std::fabs(*without - *score) >= 0.005) {
            const double x = kTrackX + kTrackW * std::clamp(*without, 0.0, 100.0) / 100.0;
            o_ << "<line x1=\"" << coord(x) << "\" y1=\"" << coord(cy - 4) << "\" x2=\"" << coord(x)
               << "\" y2=\"" << coord(cy + kBar + 4)
               << "\" stroke=\"#1f2933\" stroke-width=\"3\"/>";
        }
        o_ << "<text x=\"" << coord(kTrackX + kTrackW + 14) << "\" y=\"" << coord(cy + 15)
           << "\" font-size=\"15\" font-weight=\"700\" fill=\"#1f2933\">" << score_text(score)
           << "</text><text x=\"" << coord(kTrackX + kTrackW + 78) << "\" y=\"" << coord(cy + 15)
           << "\" font-size=\"12\" fill=\"#5b6776\">" << t(kCoverage) << " "
           << (coverage ? percent_text(*coverage * 100.0) : std::string("–")) << "</text></g>\n";
        y += kRow;
    }
    o_ << "</svg>\n<ul class=\"legend\"><li><span class=\"sw\" style=\"background:#1d4e89\"></span>"
       << t(kAreaScore) << " (0–100)</li><li><span class=\"tick\"></span>" << t(kAreaTick)
       << "</li></ul>\n";
}

void Renderer::areas() {
    o_ << "<section id=\"areas\">\n<h2>" << t(kAreas) << "</h2>\n";
    if (r_.score.areas.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoAreas) << "</p>\n</section>\n";
        return;
    }
    area_chart();
    // The same figures as a table, with the findings by status.
    o_ << "<table class=\"areas\">\n<thead><tr><th>" << t(kArea) << "</th><th class=\"num\">"
       << t(kAreaScore) << "</th><th class=\"num\">" << t(kWithoutWaivers)
       << "</th><th class=\"num\">" << t(kCoverage) << "</th><th class=\"num\">" << t(kRulesJudged)
       << "</th>";
    for (std::size_t i = 0; i < 5; ++i) {
        o_ << "<th class=\"num\">" << t(kStatusNames[i]) << "</th>";
    }
    o_ << "</tr></thead>\n<tbody>\n";
    for (const auto& area : r_.score.areas) {
        const AreaScore& a = area.result;
        o_ << "<tr><td>" << escape(area_name(a.id)) << "</td><td class=\"num\"><b>"
           << score_text(a.score) << "</b></td><td class=\"num\">"
           << score_text(a.score_without_waivers) << "</td><td class=\"num\">"
           << percent_text(a.coverage * 100.0)
           << "</td><td class=\"num\">" << integer_text(a.rules_judged) << "</td>";
        for (std::size_t i = 0; i < 5; ++i) {
            o_ << "<td class=\"num\">" << integer_text(count_of(a.by_status, kStatusKeys[i])) << "</td>";
        }
        o_ << "</tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

/**
 * The answer options of an indicator's figures, one order for both bars so that they line up:
 * the national order first (the options every figure has), then the size group's others.
 */
std::vector<std::string> option_order(const IndicatorResult& ind) {
    std::vector<std::string> order;
    for (const auto* fig : {&ind.national, &ind.size_group}) {
        if (!*fig) {
            continue;
        }
        for (const auto& [option, value] : (*fig)->distribution) {
            if (std::find(order.begin(), order.end(), option) == order.end()) {
                order.push_back(option);
            }
        }
    }
    return order;
}

/// Rounded figures may add up to 99 or 101: only a real gap is shown as "other answers".
constexpr double kRemainderFrom = 98.5;

/// A figure's percentage for one option, if it lists it.
std::optional<double> share_of(const ReportFigure& fig, const std::string& option) {
    for (const auto& [answer, pct] : fig.distribution) {
        if (answer == option) {
            return pct;
        }
    }
    return std::nullopt;
}

/// The sum of a figure's percentages over the options; nullopt without a distribution.
std::optional<double> listed_sum(const std::optional<ReportFigure>& fig, const std::vector<std::string>& options) {
    if (!fig || fig->distribution.empty()) {
        return std::nullopt;
    }
    double sum = 0;
    for (const auto& option : options) {
        sum += std::max(0.0, share_of(*fig, option).value_or(0.0));
    }
    return sum;
}

std::string joined_rules(const std::vector<std::string>& rules) {
    std::string out;
    for (const auto& r : rules) {
        out += (out.empty() ? "" : ", ") + escape(r);
    }
    return out;
}

void Renderer::survey() {
    const auto& list = r_.indicators;
    o_ << "<section id=\"survey\">\n<h2>" << t(kSurvey) << "</h2>\n<p class=\"lead\">"
       << t(kSurveyLead) << "</p>\n";
    // Which editions the figures come from (the 2025 report does not report these questions).
    o_ << "<p class=\"small muted editions\">" << escape(survey_editions_note(en_ ? "en" : "sv")) << "</p>\n";
    if (list.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoIndicators) << "</p>\n</section>\n";
        return;
    }
    o_ << "<table class=\"survey\">\n<thead><tr><th>" << t(kIndicator) << "</th><th>" << t(kAnswer)
       << "</th><th>" << t(kEvidenceUnits) << "</th><th>" << t(kComparison)
       << "</th></tr></thead>\n<tbody>\n";
    // The questions in the 2023 report's order, as `lisa survey` prints them; areas keep the
    // indicator's own order.
    std::vector<const IndicatorResult*> ordered;
    for (const auto& ind : list) {
        ordered.push_back(&ind);
    }
    const auto& order = survey_order();
    const auto rank = [&order](const IndicatorResult* ind) {
        const auto it = std::find(order.begin(), order.end(), ind->id);
        return static_cast<std::size_t>(it - order.begin());
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const IndicatorResult* a, const IndicatorResult* b) {
        const std::size_t ra = rank(a);
        const std::size_t rb = rank(b);
        return ra != rb ? ra < rb : (ra == order.size() && a->id < b->id);
    });
    for (const IndicatorResult* ind : ordered) {
        indicator_row(*ind);
    }
    o_ << "</tbody>\n</table>\n";
    // Socialstyrelsen's caveat, once: the first indicator that carries one.
    for (const auto& ind : list) {
        if (ind.caveat && !ind.caveat->sv.empty()) {
            o_ << "<p class=\"caveat\">" << t(kCaveatLead) << " ”" << escape(ind.caveat->sv) << "”";
            if (!ind.caveat->source.empty()) {
                o_ << " <span class=\"small\">(" << t(kSource) << " " << escape(ind.caveat->source)
                   << ")</span>";
            }
            o_ << "</p>\n";
            break;
        }
    }
    o_ << "</section>\n";
}

void Renderer::indicator_row(const IndicatorResult& ind) {
    const Label* name = find_named(kIndicatorNames, ind.id);
    o_ << "<tr><td>";
    if (name != nullptr) {
        o_ << "<b>" << t(*name) << "</b>";
    } else {
        const std::string title = localized(ind.title);
        o_ << "<b>" << escape(title.empty() ? ind.id : title) << "</b>";
    }
    if (!ind.scope.empty()) {
        o_ << "<span class=\"scope\">" << escape(ind.scope) << "</span>";
    }
    o_ << "<div class=\"ind-id\"><code>" << escape(ind.id) << "</code></div>";
    // The reference period: the survey year and the year asked about (or the state date).
    const std::string& asked = ind.asked_about;
    o_ << "<div class=\"small muted period\">" << t(kPeriodSurvey) << " " << std::to_string(ind.survey_year) << ", "
       << t(asked.size() == 4 ? kPeriodYear : kPeriodState) << " " << escape(asked) << "</div>";
    o_ << "</td>\n<td>";
    if (!ind.answer) {
        o_ << "<span class=\"ans none\">" << t(ind.not_asked ? kNotAsked : kNotEvidenced) << "</span>";
        if (ind.not_asked) {
            // Why the survey does not ask it here (e.g. all provider activity handed over).
            o_ << "<div class=\"small muted not-asked\">"
               << escape(not_asked_text(*ind.not_asked, en_ ? "en" : "sv")) << "</div>";
        }
    } else {
        o_ << "<span class=\"ans\">" << escape(*ind.answer) << "</span>";
        if (const auto share = ind.share_percent) {
            // The share behind a measured answer: never 0 or 100 unless the answer is Ingen or Alla.
            const std::string n = num(*share, share_decimals(*share));
            o_ << " <span class=\"small muted\">" << (en_ ? n + "%" : n + "\u00a0%") << "</span>";
        }
    }
    o_ << "</td>\n<td class=\"small\">";
    indicator_evidence(ind);
    o_ << "</td>\n<td>";
    const std::vector<std::string> options = option_order(ind);
    figure(ind.national, kNational, options, ind.answer, true);
    figure(ind.size_group, kSizeGroup, options, ind.answer, false);
    indicator_legend(ind, options);
    indicator_trend(ind, options);
    o_ << "</td></tr>\n";
}

void Renderer::indicator_evidence(const IndicatorResult& ind) {
    long long judged = 0;
    std::string by_provenance;
    for (const auto& [prov, c] : ind.by_provenance) {
        judged += c;
        const Label* text = find_named(kProvenanceCounts, prov);
        by_provenance += (by_provenance.empty() ? "" : ", ") + integer_text(c) + " " +
                         escape(text != nullptr ? std::string(t(*text)) : prov);
    }
    if (ind.units.empty()) {
        o_ << "<span class=\"muted\">" << t(kNoUnits) << "</span>";
    } else {
        o_ << "<b>" << integer_text(judged) << "</b> " << t(kUnitsJudged);
        if (!by_provenance.empty()) {
            o_ << " (" << by_provenance << ")";
        }
        std::string failing;
        std::string failed_checks;
        for (const auto& unit : ind.units) {
            if (unit.verdict == "fail") {
                const std::string rules = joined_rules(unit.failing_rules);
                failing += (failing.empty() ? "" : "; ") + std::string("<code>") + escape(unit.subject) + "</code>" +
                           (rules.empty() ? std::string() : " (" + rules + ")");
            } else if (unit.verdict == "error") {
                const std::string rules = joined_rules(unit.errored_rules);
                failed_checks += (failed_checks.empty() ? "" : ", ") + std::string("<code>") +
                                 escape(unit.subject) + "</code>" + (rules.empty() ? std::string() : " (" + rules + ")");
            }
        }
        if (!failing.empty()) {
            o_ << "<div>" << t(kUnitsFailing) << ": " << failing << "</div>";
        }
        if (!failed_checks.empty()) {
            o_ << "<div>" << t(kUnitsError) << ": " << failed_checks << "</div>";
        }
    }
    // Caveats on this answer (e.g. AUTH-006: a declared requirement the directory contradicts),
    // worded in the report's language from the directory's counts.
    for (const auto& caveat : ind.caveats) {
        o_ << "<div class=\"caveat-note\"><b>" << t(kCaveatNote) << "</b> <code>" << escape(caveat.rule) << "</code> <code>"
           << escape(caveat.subject) << "</code>: " << escape(caveat_message(caveat, en_ ? "en" : "sv")) << "</div>";
    }
    if (!ind.complete) {
        o_ << "<div><span class=\"badge no\">" << t(kIncompleteAnswer) << "</span></div>";
    }
}

void Renderer::indicator_legend(const IndicatorResult& ind, const std::vector<std::string>& options) {
    // One legend for both bars, the municipality's answer in bold.
    if (options.empty()) {
        return;
    }
    const std::string mine = ind.answer.value_or(std::string());
    o_ << "<ul class=\"legend\">";
    for (std::size_t i = 0; i < options.size(); ++i) {
        o_ << "<li" << (options[i] == mine ? " class=\"mine\"" : "")
           << "><span class=\"sw\" style=\"background:" << kOptionFill[i % kOptionColours]
           << "\"></span>" << (options[i] == mine ? "▼ " : "") << escape(options[i]) << "</li>";
    }
    const auto national_sum = listed_sum(ind.national, options);
    const auto group_sum = listed_sum(ind.size_group, options);
    if ((national_sum && *national_sum < kRemainderFrom) || (group_sum && *group_sum < kRemainderFrom)) {
        // The answer is among the other answers when the figures do not list it.
        const bool other = !mine.empty() && std::find(options.begin(), options.end(), mine) == options.end();
        o_ << "<li" << (other ? " class=\"mine\"" : "") << "><span class=\"sw other\"></span>"
           << (other ? "▼ " : "") << t(kOtherAnswers);
        if (other) {
            o_ << " (" << escape(mine) << ")";
        }
        o_ << "</li>";
    }
    o_ << "</ul>";
}

void Renderer::indicator_trend(const IndicatorResult& ind, const std::vector<std::string>& options) {
    // Issue 12 item 9: the national share for the municipality's answer (else the first option)
    // over every year the data holds, as a small line chart with each year and value labelled.
    if (ind.national_trend.size() < 2 || options.empty()) {
        return;
    }
    const std::string key = ind.answer && std::find(options.begin(), options.end(), *ind.answer) != options.end()
                                ? *ind.answer
                                : options.front();
    std::vector<std::pair<std::string, double>> points;
    for (const auto& f : ind.national_trend) {
        if (const auto v = share_of(f, key)) {
            points.emplace_back(std::to_string(f.year), *v);
        }
    }
    if (points.size() < 2) {
        return;
    }
    constexpr double kW = 260;
    constexpr double kH = 54;
    const double step = (kW - 40) / static_cast<double>(points.size() - 1);
    auto px = [&](std::size_t i) { return 20 + step * static_cast<double>(i); };
    auto py = [&](double v) { return 8 + (kH - 24) * (1.0 - std::clamp(v, 0.0, 100.0) / 100.0); };
    o_ << "<div class=\"small muted\">" << t(kNationalTrend) << " · " << escape(key)
       << "</div><svg class=\"spark\" viewBox=\"0 0 " << coord(kW) << " " << coord(kH)
       << "\" width=\"" << coord(kW) << "\" height=\"" << coord(kH) << "\" role=\"img\" aria-label=\""
       << t(kNationalTrend) << " " << escape(key) << "\"><polyline fill=\"none\" stroke=\"#1d4e89\" "
       << "stroke-width=\"2\" points=\"";
    for (std::size_t i = 0; i < points.size(); ++i) {
        o_ << (i ? " " : "") << coord(px(i)) << "," << coord(py(points[i].second));
    }
    o_ << "\"/>";
    for (std::size_t i = 0; i < points.size(); ++i) {
        o_ << "<circle cx=\"" << coord(px(i)) << "\" cy=\"" << coord(py(points[i].second))
           << "\" r=\"3\" fill=\"#1d4e89\"/><text x=\"" << coord(px(i)) << "\" y=\"" << coord(kH - 2)
           << "\" font-size=\"10\" fill=\"#5b6776\" text-anchor=\"middle\">" << escape(points[i].first)
           << ": " << percent_text(points[i].second) << "</text>";
    }
    o_ << "</svg>";
}

void Renderer::figure_bar(const std::vector<Segment>& segments, double sum, const std::string& mine,
                          const Label& title) {
    const bool mine_listed = std::any_of(segments.begin(), segments.end(), [&](const Segment& s) {
        return !s.remainder && s.label == mine;
    });

    constexpr double kWidth = 440;
    constexpr double kBarY = 8;
    constexpr double kBarH = 18;
    std::string label = std::string(t(title));
    for (const auto& s : segments) {
        label += ", " + s.label + " " + percent_text(s.value);
    }
    o_ << "<svg viewBox=\"0 0 " << coord(kWidth) << " " << coord(kBarY + kBarH + 1)
       << "\" role=\"img\" aria-label=\"" << escape(label) << "\">";
    double x = 0;
    std::string marker;
    for (const auto& s : segments) {
        const double w = sum > 0 ? kWidth * s.value / sum : 0;
        const bool is_mine =
            !mine.empty() && ((!s.remainder && s.label == mine) || (s.remainder && !mine_listed));
        const char* fill = s.remainder ? kRemainderFill : kOptionFill[s.colour];
        const char* ink = s.remainder ? "#5b6776" : kOptionInk[s.colour];
        // The remainder is not a figure Socialstyrelsen printed: it is drawn, never numbered.
        o_ << "<g><title>" << escape(s.label)
           << (s.remainder ? std::string() : ": " + percent_text(s.value)) << "</title>";
        if (w > 0 && s.remainder) {
            o_ << "<rect x=\"" << coord(x + 0.5) << "\" y=\"" << coord(kBarY + 0.5) << "\" width=\""
               << coord(std::max(0.0, w - 1)) << "\" height=\"" << coord(kBarH - 1) << "\" fill=\""
               << fill << "\" stroke=\"#8a94a3\" stroke-dasharray=\"3 2\"/>";
        } else if (w > 0) {
            o_ << "<rect x=\"" << coord(x) << "\" y=\"" << coord(kBarY) << "\" width=\"" << coord(w)
               << "\" height=\"" << coord(kBarH) << "\" fill=\"" << fill << "\"/>";
        }
        if (w >= 34 && !s.remainder) {
            o_ << "<text x=\"" << coord(x + w / 2) << "\" y=\"" << coord(kBarY + 13)
               << "\" font-size=\"11\" font-weight=\"600\" text-anchor=\"middle\" fill=\"" << ink
               << "\">" << percent_text(s.value) << "</text>";
        }
        o_ << "</g>";
        if (is_mine) {
            // Outline and a marker above: drawn last so neighbours do not cover them.
            const double cx = x + w / 2;
            if (w > 0) {
                marker += "<rect x=\"" + coord(x + 1) + "\" y=\"" + coord(kBarY + 1) +
                          "\" width=\"" + coord(std::max(0.0, w - 2)) + "\" height=\"" +
                          coord(kBarH - 2) +
                          "\" fill=\"none\" stroke=\"#111827\" stroke-width=\"2\"/>";
            }
            marker += "<path d=\"M" + coord(std::clamp(cx, 5.0, kWidth - 5) - 5) +
                      " 0h10l-5 6z\" fill=\"#111827\"/>";
        }
        x += w;
    }
    o_ << marker << "</svg>\n";
}

void Renderer::figure(const std::optional<ReportFigure>& fig, const Label& title,
                      const std::vector<std::string>& options, const std::optional<std::string>& answer,
                      bool national) {
    o_ << "<div class=\"fig\"><div class=\"fig-cap\"><b>" << t(title);
    if (!national && fig && fig->label && !fig->label->empty()) {
        o_ << " " << escape(*fig->label);
    }
    o_ << "</b>";
    if (!fig || fig->distribution.empty()) {
        o_ << " · " << t(kNoFigure) << "</div></div>\n";
        return;
    }
    o_ << " " << std::to_string(fig->year);
    if (fig->n) {
        o_ << " · n = " << std::to_string(*fig->n);
    }
    if (!fig->source.empty()) {
        o_ << " · " << t(kSource) << " " << escape(fig->source);
    }
    o_ << "</div>\n";

    // Segments in the common option order; what the figure does not account for is "other".
    std::vector<Segment> segments;
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (const auto v = share_of(*fig, options[i])) {
            segments.push_back({options[i], std::max(0.0, *v), i % kOptionColours, false});
        }
    }
    double sum = listed_sum(fig, options).value_or(0.0);
    if (sum < kRemainderFrom) {
        segments.push_back({t(kOtherAnswers), 100.0 - sum, 0, true});
        sum = 100.0;
    }
    const std::string mine = answer.value_or(std::string());
    figure_bar(segments, sum, mine, title);
    // The figure's notes in the report's language (the Swedish wording from the figures file).
    for (const auto& note : en_ ? fig->notes : fig->notes_sv) {
        o_ << "<div class=\"fig-note\">" << escape(note) << "</div>\n";
    }
    o_ << "</div>\n";
}

void Renderer::trend() {
    // The chart itself is in trend.cpp (time-scaled, overall and per area).
    const std::vector<TrendPoint> points = html_trend::trend_points(r_);
    o_ << "<section id=\"trend\">\n<h2>" << t(kTrend) << "</h2>\n";
    if (points.size() < 2) {
        o_ << "<p class=\"muted\">" << t(kNoHistory) << "</p>\n</section>\n";
        return;
    }
    const html_trend::TrendLabels labels{t(kTrend), t(kOverall), t(kTrendYAxis), t(kTrendXAxis),
                                          t(kThisAudit)};
    html_trend::write_trend_chart(
        o_, points, labels, [this](const std::string& id) { return area_name(id); },
        [this](double v) { return num(v, 2); });
    o_ << "</section>\n";
}

void Renderer::evidence_list(const Finding& finding) {
    if (finding.evidence.empty()) {
        o_ << "<span class=\"muted\">" << t(kNoEvidence) << "</span>";
    } else {
        o_ << "<ul class=\"facts\">";
        for (const auto& e : finding.evidence) {
            // The fact in words from the catalogue; its id stays in the JSON report and in the
            // title attribute for the auditor, out of the text a reader (or a PDF) sees.
            const char* lang = en_ ? "en" : "sv";
            // A document's disagreements and sources in the reader's words (Labels::conflict,
            // Labels::evidence_source); the probe's own words stay in the JSON report.
            std::string value = labels_.value(value_text(e.value), lang);
            if (const StringList* items = e.fact == "document.conflicts" ? e.value.as_list() : nullptr) {
                value.clear();
                for (const auto& item : *items) value += (value.empty() ? "" : "; ") + labels_.conflict(item, lang);
            }
            o_ << "<li><span class=\"fact\" title=\"" << escape(e.fact) << "\">" << escape(labels_.fact(e.fact, lang))
               << "</span> = <span class=\"val\">" << escape(value) << "</span><span class=\"how\">"
               << provenance_badge(e.provenance);
            if (!e.source.empty()) {
                o_ << " <span class=\"src\">" << escape(labels_.evidence_source(e.fact, e.source, lang)) << "</span>";
            }
            o_ << "</span></li>";
        }
        o_ << "</ul>";
    }
    // What was probed for this subject, and how.
    const auto it = probes_by_subject_.find(finding.subject);
    if (it != probes_by_subject_.end()) {
        for (const ProbeRecord* probe : it->second) {
            // The probe's kind and cause in the reader's words; its own message stays in the title.
            o_ << "<div class=\"probe-line\">" << t(kProbed) << ": "
               << escape(labels_.word_or("probe.kind." + probe->probe, en_ ? "en" : "sv", probe->probe)) << " → "
               << escape(probe->target);
            if (!probe->error.empty()) {
                o_ << " — " << t(kError) << ": <span title=\"" << escape(probe->error) << "\">"
                   << escape(cause_in_brief(probe->error, en_ ? "en" : "sv", labels_)) << "</span>";
            }
            o_ << "</div>";
        }
    }
}

// The accounts behind a failing count (issue 16 item 8), kept in its own function for merges.
void Renderer::accounts_block(const Finding& finding) {
    const std::string names = accounts_text(finding, en_ ? "en" : "sv");
    if (!names.empty()) {
        o_ << "<div class=\"accounts\"><b>" << t(kAccounts) << ":</b> " << escape(names) << "</div>";
    }
}

void Renderer::rule_card(const std::string& rule_id, const std::vector<const Finding*>& findings) {
    const Finding& first = *findings.front();
    const Severity severity = first.severity;
    const auto rank = static_cast<std::size_t>(severity_rank(severity));
    o_ << "<article class=\"rule sev-b-" << kSeverityClass[rank] << "\" id=\""
       << anchor("rule-", rule_id) << "\">\n<div class=\"rule-head\">" << severity_badge(severity)
       << "<code class=\"rid\">" << escape(rule_id) << "</code><span class=\"title\">"
       << escape(rule_title(first)) << "</span></div>\n";
    if (const RuleEntry* rule = r_.find_rule(rule_id)) {
        const auto& refs = rule->references;
        if (!refs.empty()) {
            o_ << "<div class=\"refs\">" << t(kReferences) << ": ";
            for (std::size_t i = 0; i < refs.size(); ++i) {
                o_ << (i == 0 ? "" : " · ") << escape(refs[i]);
            }
            o_ << "</div>\n";
        }
    }
    const std::string remedy = remediation(rule_id);
    if (!remedy.empty()) {
        o_ << "<div class=\"remedy\"><b>" << t(kRemediation) << "</b>" << escape(remedy)
           << "</div>\n";
    }
    o_ << "<table>\n<thead><tr><th style=\"width:28%\">" << t(kSubject)
       << "</th><th style=\"width:30%\">" << t(kResult) << "</th><th>" << t(kEvidence)
       << "</th></tr></thead>\n<tbody>\n";
    for (const Finding* f : findings) {
        const std::string& subject = f->subject;
        const std::string& subject_name = f->subject_name;
        o_ << "<tr><td><div class=\"sub-name\">"
           << escape(subject_name.empty() ? subject : subject_name)
           << "</div><div class=\"sub-id\"><code>" << escape(subject) << "</code> · "
           << escape(kind_name(*f)) << "</div>";
        const std::string owner = f->owner.value_or("");
        const std::string system = f->system.value_or("");
        if (!owner.empty()) {
            o_ << "<div class=\"sub-id\">" << t(kOwner) << ": " << escape(owner) << "</div>";
        }
        if (!system.empty() && system != subject) {
            o_ << "<div class=\"sub-id\">" << t(kSystem) << ": <code>" << escape(system)
               << "</code></div>";
        }
        o_ << "</td>" << message_cell(*f);
        accounts_block(*f);
        o_ << "</td><td>";
        evidence_list(*f);
        o_ << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</article>\n";
}

void Renderer::failing() {
    o_ << "<section id=\"failing\">\n<h2 class=\"major\">" << t(kFailing) << "</h2>\n";
    if (fails_.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoFailing) << "</p>\n</section>\n";
        return;
    }
    o_ << "<p class=\"lead\">" << t(kFailingLead) << "</p>\n";
    // area → severity rank → rule id → findings (in report order: by subject)
    std::map<std::string, std::map<int, std::map<std::string, std::vector<const Finding*>>>> groups;
    for (const Finding* f : fails_) {
        groups[f->area][severity_rank(f->severity)][f->rule].push_back(f);
    }
    for (const std::string& area : area_order()) {
        const auto it = groups.find(area);
        if (it == groups.end()) {
            continue;
        }
        std::size_t count = 0;
        for (const auto& [rank, rules] : it->second) {
            for (const auto& [rule, findings] : rules) {
                count += findings.size();
            }
        }
        o_ << "<div class=\"area-block\">\n<h3>" << escape(area_name(area))
           << "<span class=\"count\">" << count << " " << t(kFailingCount) << "</span></h3>\n";
        for (const auto& [rank, rules] : it->second) {
            o_ << "<h4>" << t(kSeverityNames[static_cast<std::size_t>(rank)]) << " "
               << t(kSeverityGroup) << "</h4>\n";
            for (const auto& [rule, findings] : rules) {
                rule_card(rule, findings);
            }
        }
        o_ << "</div>\n";
    }
    o_ << "</section>\n";
}

void Renderer::errors() {
    o_ << "<section id=\"errors\">\n<h2>" << t(kErrors) << "</h2>\n";
    if (errors_.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoErrors) << "</p>\n</section>\n";
        return;
    }
    o_ << "<p class=\"lead\">" << t(kErrorsLead) << "</p>\n";
    std::vector<const Finding*> sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        return std::make_tuple(severity_rank(a->severity), a->rule, a->subject) <
               std::make_tuple(severity_rank(b->severity), b->rule, b->subject);
    });
    o_ << "<table>\n<thead><tr><th>" << t(kSeverity) << "</th><th>" << t(kRule) << "</th><th>"
       << t(kSubject) << "</th><th>" << t(kReason) << "</th><th>" << t(kEvidence)
       << "</th></tr></thead>\n<tbody>\n";
    for (const Finding* f : sorted) {
        const std::string& subject = f->subject;
        const std::string& subject_name = f->subject_name;
        o_ << "<tr><td>" << severity_badge(f->severity) << "</td><td><code class=\"rid\">"
           << escape(f->rule) << "</code><div class=\"small\">" << escape(rule_title(*f))
           << "</div></td><td><div class=\"sub-name\">"
           << escape(subject_name.empty() ? subject : subject_name)
           << "</div><div class=\"sub-id\"><code>" << escape(subject) << "</code> · "
           << escape(kind_name(*f)) << "</div></td>" << message_cell(*f) << "</td><td>";
        evidence_list(*f);
        o_ << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

void Renderer::waivers() {
    o_ << "<section id=\"waivers\">\n<h2>" << t(kWaivers) << "</h2>\n";
    std::vector<const WaiverRecord*> list;
    for (const auto& w : r_.waivers) {
        list.push_back(&w);
    }
    if (list.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoWaivers) << "</p>\n</section>\n";
        return;
    }
    o_ << "<p class=\"lead\">" << t(kWaiversLead) << "</p>\n";
    std::stable_sort(list.begin(), list.end(),
                     [](const WaiverRecord* a, const WaiverRecord* b) { return a->state < b->state; });
    o_ << "<table class=\"fixed waivers\">\n<thead><tr><th>" << t(kState) << "</th><th>" << t(kRule)
       << "</th><th>" << t(kSubject) << "</th><th>" << t(kDecidedBy) << "</th><th>"
       << t(kDecisionRef) << "</th><th>" << t(kExpires) << "</th><th>" << t(kWaiverReason)
       << "</th><th class=\"num\">" << t(kFindingsWaived) << "</th></tr></thead>\n<tbody>\n";
    for (const WaiverRecord* w : list) {
        const std::string cls(to_string(w->state));
        const std::string label = w->state == WaiverState::Active    ? t(kActive)
                                  : w->state == WaiverState::Expired ? t(kExpired)
                                                                     : t(kUnused);
        o_ << "<tr><td><span class=\"badge " << cls << "\">" << label
           << "</span></td><td><code class=\"rid\">" << escape(w->rule)
           << "</code></td><td><code>" << escape(w->subject) << "</code></td><td>"
           << escape(w->decision.decided_by) << "</td><td>" << escape(w->decision.decision_ref)
           << "</td><td class=\"nowrap\">" << escape(w->expires) << "</td><td>"
           << escape(w->reason) << "</td><td class=\"num\">"
           << integer_text(w->findings_waived) << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

void Renderer::action_plan() {
    o_ << "<section id=\"action-plan\">\n<h2 class=\"major\">" << t(kActionPlan) << "</h2>\n";
    std::vector<const Finding*> rows = fails_;
    rows.insert(rows.end(), waived_.begin(), waived_.end());
    if (rows.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoActions) << "</p>\n</section>\n";
        return;
    }
    o_ << "<p class=\"lead\">" << t(kActionPlanLead) << "</p>\n";
    std::stable_sort(rows.begin(), rows.end(), [](const Finding* a, const Finding* b) {
        // Severity first (most severe first), then rule, subject and status ("fail" < "waived").
        const auto ka = std::make_tuple(severity_rank(a->severity), a->rule, a->subject, to_string(a->status));
        const auto kb = std::make_tuple(severity_rank(b->severity), b->rule, b->subject, to_string(b->status));
        return ka < kb;
    });
    o_ << "<table class=\"fixed plan\">\n<thead><tr><th>" << t(kPriority) << "</th><th>" << t(kRule)
       << "</th><th>" << t(kSubject) << "</th><th>" << t(kRemediation) << "</th><th>" << t(kOwner)
       << "</th><th>" << t(kSystem) << "</th></tr></thead>\n<tbody>\n";
    int n = 1;
    for (const Finding* f : rows) {
        const bool waived = f->status == Status::Waived;
        const std::string& rule = f->rule;
        const std::string& subject = f->subject;
        const std::string& subject_name = f->subject_name;
        const std::string owner = f->owner.value_or("");
        const std::string system = f->system.value_or("");
        // The row number to refer to in a meeting ("item 7"), above the severity.
        o_ << "<tr" << (waived ? " class=\"waived\"" : "") << "><td><span class=\"item\">" << n++
           << "</span>" << severity_badge(f->severity) << "</td><td>";
        if (failing_rules_.count(rule) != 0) {
            o_ << "<a class=\"rule-link\" href=\"#" << anchor("rule-", rule)
               << "\"><code class=\"rid\">" << escape(rule) << "</code></a>";
        } else {
            o_ << "<code class=\"rid\">" << escape(rule) << "</code>";
        }
        o_ << "<div class=\"small\">" << escape(rule_title(*f)) << "</div>";
        if (waived) {
            const FindingWaiver waiver = f->waiver.value_or(FindingWaiver{});
            o_ << "<span class=\"waived-note\">" << t(kWaivedUntil) << " <span class=\"nowrap\">"
               << escape(waiver.expires) << "</span>";
            const std::string& ref = waiver.decision_ref;
            if (!ref.empty()) {
                o_ << " (" << escape(ref) << ")";
            }
            o_ << "</span>";
        }
        o_ << "</td><td><div class=\"sub-name\">"
           << escape(subject_name.empty() ? subject : subject_name)
           << "</div><div class=\"sub-id\"><code>" << escape(subject) << "</code></div>";
        accounts_block(*f);
        o_ << "</td><td>" << escape(remediation(rule)) << "</td><td>" << (owner.empty() ? "–" : escape(owner))
           << "</td><td>"
           << (system.empty() ? std::string("–") : "<code>" + escape(system) + "</code>")
           << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

// The plan read back with --action-plan (issue 16 item 9): its own section and function, so the
// board report's templates can move it without touching the action plan above.
void Renderer::plan_progress() {
    if (r_.actions.empty()) {
        return;
    }
    o_ << "<section id=\"plan-progress\">\n<h2 class=\"major\">" << t(kPlanProgress) << "</h2>\n<p class=\"lead\">"
       << t(kPlanProgressLead) << "</p>\n<table class=\"fixed plan-progress\">\n<thead><tr><th>" << t(kPlanState)
       << "</th><th>" << t(kAction) << "</th><th>" << t(kOwner) << "</th><th>" << t(kDeadline) << "</th><th>"
       << t(kPlanStatus) << "</th><th>" << t(kComment) << "</th></tr></thead>\n<tbody>\n";
    for (const ActionRecord& a : r_.actions) {
        const Label& state = a.state == ActionState::Overdue  ? kStateOverdue
                             : a.state == ActionState::Closed ? kStateClosed
                                                              : kStateOpen;
        o_ << "<tr><td><span class=\"badge " << to_string(a.state) << "\">" << t(state)
           << "</span></td><td><code class=\"rid\">" << escape(a.rule) << "</code> <code>" << escape(a.subject)
           << "</code></td><td>" << (a.owner.empty() ? "–" : escape(a.owner)) << "</td><td class=\"nowrap\">"
           << (a.deadline.empty() ? "–" : escape(a.deadline)) << "</td><td>"
           << (a.status.empty() ? "–" : escape(a.status)) << "</td><td>" << escape(a.comment) << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

void Renderer::appendix() {
    // The hashes of the rule pack and the inventory: technical, so here and not on page one.
    const auto dash = [](const std::string& s) { return s.empty() ? std::string("–") : escape(s); };
    o_ << "<section id=\"appendix\">\n<h2 class=\"major\">" << t(kAppendix) << "</h2>\n"
       << "<dl class=\"hashes\">\n<dt>" << t(kRulePackHash) << "</dt><dd>" << dash(r_.run.rule_pack_sha256)
       << "</dd>\n<dt>" << t(kInventoryHash) << "</dt><dd>" << dash(r_.run.inventory_sha256) << "</dd>\n</dl>\n"
       << "<h3>" << t(kEvidenceFiles) << "</h3>\n";
    const auto& files = r_.evidence_files;
    if (files.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoEvidenceFiles) << "</p>\n";
    } else {
        o_ << "<table class=\"fixed files\">\n<thead><tr><th>" << t(kSubject) << "</th><th>"
           << t(kRole) << "</th><th>" << t(kPath) << "</th><th>" << t(kExists)
           << "</th><th>SHA-256</th></tr></thead>\n<tbody>\n";
        for (const auto& f : files) {
            const bool yes = f.exists.value_or(false);
            const std::string sha = f.sha256.value_or("");
            o_ << "<tr><td><code>" << escape(f.subject) << "</code></td><td>"
               << escape(labels_.value(f.role, en_ ? "en" : "sv")) << "</td><td><code>" << escape(f.path)
               << "</code></td><td>"
               << (yes ? std::string(t(kYes))
                       : "<span class=\"badge no\">" + std::string(t(kNo)) + "</span>")
               << "</td><td class=\"hash\">" << (sha.empty() ? "–" : escape(sha)) << "</td></tr>\n";
        }
        o_ << "</tbody>\n</table>\n";
    }
    o_ << "<h3>" << t(kProbes) << "</h3>\n";
    const auto& probes = r_.probes;
    if (probes.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoProbes) << "</p>\n";
    } else {
        o_ << "<table>\n<thead><tr><th>" << t(kProbe) << "</th><th>" << t(kSubject) << "</th><th>"
           << t(kTarget) << "</th><th>" << t(kError) << "</th></tr></thead>\n<tbody>\n";
        for (const auto& p : probes) {
            const std::string& error = p.error;
            // In the reader's words; the probe's id and its own message stay in the titles.
            const std::string lang = en_ ? "en" : "sv";
            o_ << "<tr><td title=\"" << escape(p.probe) << "\">" << escape(labels_.word_or("probe.kind." + p.probe, lang, p.probe))
               << "</td><td><code>" << escape(p.subject) << "</code></td><td><code>"
               << escape(p.target) << "</code></td><td>"
               << (error.empty() ? std::string(t(kOk))
                                 : "<span class=\"msg\" title=\"" + escape(error) + "\">" +
                                       escape(cause_in_brief(error, lang, labels_)) + "</span>")
               << "</td></tr>\n";
        }
        o_ << "</tbody>\n</table>\n";
    }
    if (!r_.run.started.empty()) {
        o_ << "<p class=\"small muted\">" << t(kRunStarted) << ": " << escape(r_.run.started) << " – "
           << escape(r_.run.finished) << "</p>\n";
    }
    o_ << "</section>\n";
}

void Renderer::footer() {
    const std::string& tool_name = r_.run.tool_name;
    o_ << "<footer>" << t(kFooter) << " "
       << escape(tool_name.empty() ? std::string("lisa") : tool_name) << " "
       << escape(r_.run.tool_version) << " " << t(kFooterNote) << " "
       << std::to_string(r_.schema_version) << ").</footer>\n</main>\n</body>\n</html>\n";
}

void Renderer::render() {
    // Page one for the board first, then the issue's order: the action plan, the survey
    // comparison, the detail behind the score, and the technical appendix last.
    head();
    header();
    page_one();
    action_plan();
    plan_progress();
    survey();
    summary();
    areas();
    trend();
    failing();
    errors();
    waivers();
    appendix();
    footer();
}

}  // namespace

void render_html(const ReportDocument& report, const RenderOptions& options, std::ostream& out) {
    Renderer(report, options, out).render();
}

}  // namespace lisa
