// SPDX-License-Identifier: Apache-2.0
// The HTML report for the security officer and the board: one self-contained file (inline CSS and
// inline SVG charts, no script, no external asset, print CSS for A4), rendered from the canonical
// JSON report alone so that a fresh scan and a report saved years ago render the same.
//
// Every string that comes from the report goes through escape() — the one escape function — both
// in text and in attribute values. Fixed labels live in Text constants with both languages side by
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

#include "lisa/core/text.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/report/render.hpp"

namespace lisa {
namespace {

using Json = ReportJson;

// ---------------------------------------------------------------------------------------------
// Escaping

/**
 * The one escape function: text from the report becomes safe HTML text and attribute content
 * (lisa's HTML sanitiser, lisa/core/text.hpp: & < > " ' escaped, controls and invalid UTF-8 as
 * U+FFFD). Long unbroken tokens wrap by the stylesheet (overflow-wrap:anywhere).
 */
std::string escape(std::string_view text) { return html_escape(text); }

// ---------------------------------------------------------------------------------------------
// Reading the JSON defensively: a saved report may be older or hand-edited; a missing or mistyped
// field renders as "–", never as an exception.

const Json& empty_json() {
    static const Json kEmpty;  // null
    return kEmpty;
}

const Json& at(const Json& j, const char* key) {
    if (!j.is_object()) {
        return empty_json();
    }
    const auto it = j.find(key);
    return it == j.end() ? empty_json() : *it;
}

std::string str(const Json& j) {
    if (j.is_string()) {
        return j.get<std::string>();
    }
    if (j.is_number() || j.is_boolean()) {
        return j.dump();
    }
    return {};
}

std::string str(const Json& j, const char* key) { return str(at(j, key)); }

std::optional<double> number(const Json& j) {
    if (j.is_number()) {
        return j.get<double>();
    }
    return std::nullopt;
}

std::optional<double> number(const Json& j, const char* key) { return number(at(j, key)); }

long long integer(const Json& j, const char* key) {
    const Json& v = at(j, key);
    if (v.is_number_integer() || v.is_number_unsigned()) {
        return v.get<long long>();
    }
    if (v.is_number_float()) {
        return std::llround(v.get<double>());
    }
    return 0;
}

/// The elements of an array field, in order; empty when missing or not an array.
std::vector<const Json*> items(const Json& j, const char* key) {
    std::vector<const Json*> out;
    const Json& a = at(j, key);
    if (a.is_array()) {
        for (const auto& e : a) {
            out.push_back(&e);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Fixed labels, both languages side by side

struct Text {
    const char* sv;
    const char* en;
};

constexpr Text kDocKicker{"Granskning av informationssäkerhet", "Information security audit"};
constexpr Text kDocTitle{"Informationssäkerhetsgranskning", "Information security audit"};
constexpr Text kUnnamed{"Namnlös organisation", "Unnamed organisation"};
constexpr Text kAsOfLead{"Läget per", "Status as of"};
constexpr Text kMunicipalityCode{"Kommunkod", "Municipality code"};
constexpr Text kPopulation{"Invånare", "Population"};
constexpr Text kSizeGroup{"Storleksgrupp", "Size group"};
constexpr Text kAsOf{"Granskningsdatum", "Audit date"};
constexpr Text kTool{"Verktyg", "Tool"};
constexpr Text kRulePackHash{"Regelpaket SHA-256", "Rule pack SHA-256"};
constexpr Text kInventoryHash{"Inventarie SHA-256", "Inventory SHA-256"};
constexpr Text kIncomplete{
    "Granskningen är ofullständig: vissa kontroller kunde inte genomföras. "
    "Se avsnittet ”Kunde inte kontrolleras”.",
    "The audit is incomplete: some checks could not be carried out. "
    "See the section “Could not be checked”."};
constexpr Text kScoped{"Avgränsad granskning, endast system:", "Scoped audit, systems only:"};
constexpr Text kContents{"Innehåll", "Contents"};

constexpr Text kSummary{"Sammanfattning", "Summary"};
constexpr Text kOverall{"Totalpoäng", "Overall score"};
constexpr Text kOverallNote{"viktat efter allvarlighetsgrad, 0–100", "weighted by severity, 0–100"};
constexpr Text kWithoutWaivers{"Utan riskacceptanser", "Without waivers"};
constexpr Text kWithoutWaiversNote{"om riskaccepterade brister räknas som brister",
                                   "counting waived failures as failures"};
constexpr Text kCoverage{"Täckning", "Coverage"};
constexpr Text kCoverageNote{"andel av kontrollerna som kunde genomföras",
                             "share of the checks that could be carried out"};
constexpr Text kRulesJudged{"Bedömda regler", "Rules judged"};
constexpr Text kRulesJudgedNote{"regler med minst ett godkänt eller underkänt objekt",
                                "rules with at least one passing or failing subject"};
constexpr Text kFindingsByStatus{"Utfall per objekt och regel", "Findings per rule and subject"};
constexpr Text kFrameworkCoverage{"Täckning av", "Coverage of"};
constexpr Text kControlsEvidenced{"kontroller belagda i denna granskning",
                                  "controls evidenced in this audit"};
constexpr Text kControlsMapped{"har regler i regelpaketet", "have rules in the rule pack"};
constexpr Text kOf{"av", "of"};
constexpr Text kEvidenced{"Belagda", "Evidenced"};
constexpr Text kMapped{"Med regler", "With rules"};
constexpr Text kCatalogueStatus{"Katalogstatus", "Catalogue status"};
constexpr Text kEvidencedControls{"Belagda kontroller", "Evidenced controls"};

constexpr Text kAreas{"Resultat per område", "Scores by area"};
constexpr Text kAreaScore{"Poäng", "Score"};
constexpr Text kAreaTick{"Utan riskacceptanser", "Without waivers"};
constexpr Text kArea{"Område", "Area"};
constexpr Text kNoAreas{"Inga områden bedömdes.", "No area was judged."};

constexpr Text kSurvey{"Socialstyrelsens enkät: kommunens svar jämfört med riket",
                       "Socialstyrelsen survey: the municipality's answers compared"};
constexpr Text kSurveyLead{
    "Svaren härleds ur granskningens belägg, inte ur självskattning. Staplarna visar hur "
    "kommunerna i riket och i samma storleksgrupp svarade; ▼ och ram markerar kommunens svar.",
    "The answers are derived from the audit's evidence, not self-assessed. The bars show how the "
    "municipalities nationally and in the same size group answered; ▼ and an outline mark the "
    "municipality's answer."};
constexpr Text kIndicator{"Indikator", "Indicator"};
constexpr Text kAnswer{"Kommunens svar", "The municipality's answer"};
constexpr Text kEvidenceUnits{"Underlag", "Evidence"};
constexpr Text kComparison{"Jämförelse", "Comparison"};
constexpr Text kNotEvidenced{"ej belagt", "not evidenced"};
constexpr Text kNotAsked{"ej aktuellt", "not asked"};
constexpr Text kNationalTrend{"Riket över tid", "National trend"};
constexpr Text kPeriodSurvey{"Enkäten", "Survey"};
constexpr Text kPeriodYear{"frågar om året", "asks about the year"};
constexpr Text kPeriodState{"läget per", "state as of"};
constexpr Text kCaveatNote{"OBS", "NOTE"};
constexpr Text kNoUnits{"Inga objekt att bedöma; svaret följer av regeln.",
                        "No units to judge; the answer follows from the rule."};
constexpr Text kUnitsJudged{"objekt bedömda", "units judged"};
constexpr Text kUnitsFailing{"Brister", "Failing"};
constexpr Text kUnitsError{"Kunde inte kontrolleras", "Could not be checked"};
constexpr Text kIncompleteAnswer{"ofullständigt underlag", "incomplete evidence"};
constexpr Text kNational{"Riket", "National"};
constexpr Text kSource{"källa", "source"};
constexpr Text kNoFigure{"Inga jämförelsetal", "No comparison figures"};
constexpr Text kOtherAnswers{"Övriga svar", "Other answers"};
constexpr Text kNoIndicators{"Rapporten innehåller inga enkätindikatorer.",
                             "The report holds no survey indicators."};
constexpr Text kCaveatLead{"Socialstyrelsens förbehåll:", "Socialstyrelsen's caveat (in Swedish):"};

constexpr Text kTrend{"Utveckling sedan tidigare granskningar", "Trend since earlier audits"};
constexpr Text kNoHistory{
    "Ingen historik ännu: utvecklingen visas när det finns minst två granskningar.",
    "No history yet: the trend is shown once there are at least two audits."};
constexpr Text kThisAudit{"denna granskning", "this audit"};

constexpr Text kFailing{"Underkända regler", "Failing rules"};
constexpr Text kFailingLead{
    "Brister grupperade per område och allvarlighetsgrad. Varje belägg anger värde, ursprung och "
    "källa: deklarerad = uppgift i inventariet, dokument = underlagsfil (hashad), observerad = "
    "uppmätt av en kontroll.",
    "Failures grouped by area and severity. Each fact shows its value, provenance and source: "
    "declared = stated in the inventory, document = an evidence file (hashed), probed = observed "
    "by a probe."};
constexpr Text kNoFailing{"Inga underkända regler.", "No failing rules."};
constexpr Text kFailingCount{"underkända", "failing"};
constexpr Text kSeverityGroup{"allvarlighetsgrad", "severity"};
constexpr Text kRemediation{"Åtgärd", "Remediation"};
constexpr Text kReferences{"Referenser", "References"};
constexpr Text kSubject{"Objekt", "Subject"};
constexpr Text kResult{"Resultat", "Result"};
constexpr Text kEvidence{"Belägg", "Evidence"};
constexpr Text kNoEvidence{"inga belägg", "no facts"};
constexpr Text kOwner{"Ansvarig", "Owner"};
constexpr Text kSystem{"System", "System"};
constexpr Text kProbed{"Kontroll", "Probe"};

constexpr Text kErrors{"Kunde inte kontrolleras", "Could not be checked"};
constexpr Text kErrorsLead{
    "Regler där ett belägg inte kunde hämtas. De räknas varken som godkända eller underkända "
    "men sänker täckningen.",
    "Rules where a fact could not be collected. They count neither as passes nor as failures "
    "but lower the coverage."};
constexpr Text kNoErrors{"Inga: alla kontroller kunde genomföras.",
                         "None: every check could be carried out."};
constexpr Text kReason{"Orsak", "Reason"};
constexpr Text kRule{"Regel", "Rule"};

constexpr Text kWaivers{"Riskacceptanser", "Waivers (risk acceptances)"};
constexpr Text kWaiversLead{
    "Beslutade undantag. En gällande riskacceptans gör en brist till ”riskaccepterad”; en utgången "
    "gäller inte längre och bristen räknas som vanligt.",
    "Decided exceptions. A waiver in force turns a failure into “waived”; an expired one no longer "
    "applies and the failure counts as usual."};
constexpr Text kNoWaivers{"Inga riskacceptanser.", "No waivers."};
constexpr Text kState{"Status", "State"};
constexpr Text kDecidedBy{"Beslutad av", "Decided by"};
constexpr Text kDecisionRef{"Diarienummer", "Decision ref."};
constexpr Text kExpires{"Gäller t.o.m.", "Expires"};
constexpr Text kWaiverReason{"Skäl", "Reason"};
constexpr Text kFindingsWaived{"Fynd", "Findings"};
constexpr Text kActive{"gällande", "in force"};
constexpr Text kExpired{"utgången", "expired"};
constexpr Text kUnused{"oanvänd", "unused"};

constexpr Text kActionPlan{"Åtgärdsplan", "Action plan"};
constexpr Text kActionPlanLead{
    "Alla brister sorterade efter allvarlighetsgrad och regel. Riskaccepterade brister står med "
    "för uppföljning.",
    "Every failure, sorted by severity and rule. Waived failures are listed for follow-up."};
constexpr Text kNoActions{"Inga åtgärder: inga brister.", "No actions: no failures."};
constexpr Text kSeverity{"Allvarlighetsgrad", "Severity"};
constexpr Text kPriority{"Prioritet", "Priority"};
constexpr Text kWaivedUntil{"Riskaccepterad t.o.m.", "Waived until"};

constexpr Text kAppendix{"Bilaga: underlag och kontroller", "Appendix: evidence and probes"};
constexpr Text kEvidenceFiles{"Underlagsfiler", "Evidence files"};
constexpr Text kRole{"Roll", "Role"};
constexpr Text kPath{"Sökväg", "Path"};
constexpr Text kExists{"Finns", "Exists"};
constexpr Text kYes{"ja", "yes"};
constexpr Text kNo{"nej", "no"};
constexpr Text kNoEvidenceFiles{"Inga underlagsfiler.", "No evidence files."};
constexpr Text kProbes{"Genomförda kontroller", "Probes run"};
constexpr Text kProbe{"Kontroll", "Probe"};
constexpr Text kTarget{"Mål", "Target"};
constexpr Text kError{"Fel", "Error"};
constexpr Text kOk{"OK", "OK"};
constexpr Text kNoProbes{"Inga kontroller kördes.", "No probe was run."};
constexpr Text kRunStarted{"Körning", "Run"};
constexpr Text kFooter{"Framställd av", "Produced by"};
constexpr Text kFooterNote{"ur den kanoniska JSON-rapporten (schema",
                           "from the canonical JSON report (schema"};

constexpr Text kSeverityNames[] = {{"Kritisk", "Critical"}, {"Hög", "High"},  {"Medel", "Medium"},
                                   {"Låg", "Low"},          {"Info", "Info"}, {"Okänd", "Unknown"}};
constexpr const char* kSeverityClass[] = {"crit", "high", "med", "low", "info", "unknown"};

constexpr const char* kStatusKeys[] = {"pass", "fail", "error", "waived", "not_applicable"};
constexpr Text kStatusNames[] = {{"Godkända", "Passed"},
                                 {"Underkända", "Failed"},
                                 {"Kunde inte kontrolleras", "Could not be checked"},
                                 {"Riskaccepterade", "Waived"},
                                 {"Ej tillämpliga", "Not applicable"}};

struct Named {
    const char* id;
    Text text;
};

constexpr Named kProvenances[] = {{"declared", {"deklarerad", "declared"}},
                                  {"attested", {"intygad", "attested"}},
                                  {"document", {"dokument", "document"}},
                                  {"probed", {"observerad", "probed"}}};

// "8 declared": the same provenances, counted.
constexpr Named kProvenanceCounts[] = {{"declared", {"deklarerade", "declared"}},
                                       {"attested", {"intygade", "attested"}},
                                       {"document", {"från dokument", "from documents"}},
                                       {"probed", {"observerade", "probed"}}};

constexpr Named kSubjectKinds[] = {{"organization", {"organisation", "organisation"}},
                                   {"system", {"system", "system"}},
                                   {"endpoint", {"ingång", "endpoint"}},
                                   {"directory", {"katalog", "directory"}},
                                   {"access_group", {"behörighetsgrupp", "access group"}},
                                   {"e_service", {"e-tjänst", "e-service"}},
                                   {"document", {"dokument", "document"}}};

constexpr Named kIndicatorNames[] = {
    {"QMS-RISK",
     {"Rutiner för riskanalyser i ledningssystemet för kvalitet (välfärdsteknik)",
      "Risk-analysis routines in the quality management system (welfare technology)"}},
    {"SEC-RISK-NIVA",
     {"Nivå där åtgärder efter riskuppföljningen redovisas och beslutas",
      "Level at which measures after the risk follow-up are reported and decided"}},
    {"SEC-LIS",
     {"Ledningssystem för informationssäkerhet (LIS)", "Information security management system"}},
    {"SEC-RISK",
     {"Uppföljning av informationssäkerhetsrisker", "Follow-up of information security risks"}},
    {"SEC-CLASS", {"Klassning av information (K, R, T)", "Information classification (C, I, A)"}},
    {"SEC-AUTH-EXT",
     {"Krav på stark autentisering utanför kommunens nät",
      "Strong authentication required outside the municipal network"}},
    {"SEC-AUTH-INT",
     {"Krav på stark autentisering inom kommunens nät",
      "Strong authentication required inside the municipal network"}},
    {"SEC-AUTH-USE-MYN",
     {"Personalens användning av stark autentisering, myndighetsutövning",
      "Staff use of strong authentication, case handling"}},
    {"SEC-AUTH-USE-UTF",
     {"Personalens användning av stark autentisering, utförarverksamhet",
      "Staff use of strong authentication, service provision"}},
    {"SEC-SECCOM-SOC",
     {"Säker digital kommunikation med enskilda, socialtjänsten",
      "Secure digital communication with individuals, social services"}},
    {"SEC-SECCOM-HSL",
     {"Säker digital kommunikation med patienter, hälso- och sjukvård",
      "Secure digital communication with patients, health care"}}};

template <std::size_t N>
const Text* find_named(const Named (&table)[N], std::string_view id) {
    for (const auto& n : table) {
        if (id == n.id) {
            return &n.text;
        }
    }
    return nullptr;
}

int severity_rank(std::string_view severity) {
    static constexpr std::string_view kOrder[] = {"critical", "high", "medium", "low", "info"};
    for (int i = 0; i < 5; ++i) {
        if (severity == kOrder[i]) {
            return i;
        }
    }
    return 5;
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

class Renderer {
public:
    Renderer(const Json& report, const RenderOptions& options, std::ostream& out)
        : r_(report), options_(options), en_(options.lang == "en"), o_(out) {
        for (const Json* rule : items(r_, "rules")) {
            const std::string id = str(*rule, "id");
            if (!id.empty()) {
                rules_.emplace(id, rule);
            }
        }
        for (const Json* probe : items(r_, "probes")) {
            probes_by_subject_[str(*probe, "subject")].push_back(probe);
        }
        for (const Json* f : items(r_, "findings")) {
            const std::string status = str(*f, "status");
            if (status == "fail") {
                fails_.push_back(f);
                failing_rules_.insert(str(*f, "rule"));
            } else if (status == "error") {
                errors_.push_back(f);
            } else if (status == "waived") {
                waived_.push_back(f);
            }
        }
    }

    void render();

private:
    [[nodiscard]] const char* t(const Text& text) const { return en_ ? text.en : text.sv; }
    [[nodiscard]] std::string localized(const Json& j) const;
    [[nodiscard]] std::string num(double v, int decimals) const;
    [[nodiscard]] std::string score_text(std::optional<double> v) const;
    [[nodiscard]] std::string percent_text(double percent) const;
    [[nodiscard]] std::string integer_text(long long v) const;
    [[nodiscard]] std::string severity_badge(std::string_view severity) const;
    [[nodiscard]] std::string area_name(const std::string& id) const;
    [[nodiscard]] std::string kind_name(const std::string& kind) const;
    [[nodiscard]] std::string provenance_badge(const std::string& provenance) const;
    [[nodiscard]] std::string rule_title(const Json& finding) const;
    [[nodiscard]] std::string remediation(const std::string& rule_id) const;
    [[nodiscard]] std::vector<std::string> area_order() const;

    void head();
    void header();
    void summary();
    void framework(const Json& fw);
    void areas();
    void survey();
    void indicator_row(const Json& ind);
    void figure(const Json& fig, const Text& title, const std::vector<std::string>& options,
                const Json& answer, bool national);
    void trend();
    void failing();
    void rule_card(const std::string& rule_id, const std::vector<const Json*>& findings);
    void evidence_list(const Json& finding);
    void errors();
    void waivers();
    void action_plan();
    void appendix();
    void footer();

    const Json& r_;
    const RenderOptions& options_;
    bool en_;
    std::ostream& o_;
    std::map<std::string, const Json*> rules_;
    std::map<std::string, std::vector<const Json*>> probes_by_subject_;
    std::vector<const Json*> fails_;
    std::vector<const Json*> errors_;
    std::vector<const Json*> waived_;
    std::set<std::string> failing_rules_;
};

std::string Renderer::localized(const Json& j) const {
    if (j.is_string()) {
        return j.get<std::string>();
    }
    if (!j.is_object()) {
        return {};
    }
    const std::string preferred = str(j, en_ ? "en" : "sv");
    if (!preferred.empty()) {
        return preferred;
    }
    const std::string other = str(j, en_ ? "sv" : "en");
    if (!other.empty()) {
        return other;
    }
    for (const auto& [key, value] : j.items()) {
        if (value.is_string()) {
            return value.get<std::string>();
        }
    }
    return {};
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

std::string Renderer::severity_badge(std::string_view severity) const {
    const int rank = severity_rank(severity);
    const auto i = static_cast<std::size_t>(rank);
    return std::string("<span class=\"sev sev-") + kSeverityClass[i] + "\">" +
           t(kSeverityNames[i]) + "</span>";
}

std::string Renderer::area_name(const std::string& id) const {
    // The pack's title for the area (rules/areas.yaml), carried in the report's score section.
    for (const Json* area : items(at(r_, "score"), "areas")) {
        if (str(*area, "id") == id && area->contains("title")) {
            if (std::string title = localized(area->at("title")); !title.empty()) {
                return title;
            }
        }
    }
    return id.empty() ? std::string("–") : id;
}

std::string Renderer::kind_name(const std::string& kind) const {
    if (const Text* text = find_named(kSubjectKinds, kind)) {
        return t(*text);
    }
    return kind;
}

std::string Renderer::provenance_badge(const std::string& provenance) const {
    const Text* text = find_named(kProvenances, provenance);
    const std::string cls = text != nullptr ? provenance : std::string("other");
    return "<span class=\"prov prov-" + cls + "\">" +
           escape(text != nullptr ? std::string(t(*text)) : provenance) + "</span>";
}

std::string Renderer::rule_title(const Json& finding) const {
    std::string title = localized(at(finding, "title"));
    if (title.empty()) {
        const auto it = rules_.find(str(finding, "rule"));
        if (it != rules_.end()) {
            title = localized(at(*it->second, "title"));
        }
    }
    return title;
}

std::string Renderer::remediation(const std::string& rule_id) const {
    const auto it = rules_.find(rule_id);
    return it == rules_.end() ? std::string() : localized(at(*it->second, "remediation"));
}

std::vector<std::string> Renderer::area_order() const {
    std::vector<std::string> order;
    for (const Json* area : items(at(r_, "score"), "areas")) {
        const std::string id = str(*area, "id");
        if (std::find(order.begin(), order.end(), id) == order.end()) {
            order.push_back(id);
        }
    }
    std::set<std::string> rest;
    for (const auto* list : {&fails_, &errors_, &waived_}) {
        for (const Json* f : *list) {
            const std::string id = str(*f, "area");
            if (std::find(order.begin(), order.end(), id) == order.end()) {
                rest.insert(id);
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
std::string value_text(const Json& v) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_null()) {
        return "–";
    }
    if (v.is_array()) {
        std::string out = "[";
        bool first = true;
        for (const auto& e : v) {
            out += first ? "" : ", ";
            out += value_text(e);
            first = false;
        }
        return out + "]";
    }
    return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------

void Renderer::head() {
    const Json& org = at(r_, "organization");
    const std::string name = str(org, "name");
    const std::string as_of = str(at(r_, "run"), "as_of");
    const std::string version = str(at(r_, "tool"), "version");
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
    const Json& org = at(r_, "organization");
    const Json& run = at(r_, "run");
    const std::string name = str(org, "name");
    const auto dash = [](const std::string& s) { return s.empty() ? std::string("–") : escape(s); };

    o_ << "<header class=\"doc-head\">\n<div class=\"kicker\">" << t(kDocKicker) << "</div>\n"
       << "<h1>" << escape(name.empty() ? t(kUnnamed) : name) << "</h1>\n"
       << "<p class=\"asof\">" << t(kAsOfLead) << " " << dash(str(run, "as_of")) << "</p>\n"
       << "<dl class=\"meta\">\n";
    const auto meta = [&](const Text& label, const std::string& html) {
        o_ << "<div><dt>" << t(label) << "</dt><dd>" << html << "</dd></div>\n";
    };
    meta(kMunicipalityCode, dash(str(org, "municipality_code")));
    const Json& population = at(org, "population");
    meta(kPopulation,
         population.is_number() ? integer_text(integer(org, "population")) : dash(str(population)));
    meta(kSizeGroup, dash(str(org, "size_group")));
    meta(kAsOf, dash(str(run, "as_of")));
    const Json& tool = at(r_, "tool");
    const std::string tool_name = str(tool, "name");
    meta(kTool, escape((tool_name.empty() ? std::string("lisa") : tool_name) + " " +
                       str(tool, "version")));
    o_ << "</dl>\n<dl class=\"hashes\">\n"
       << "<dt>" << t(kRulePackHash) << "</dt><dd>" << dash(str(run, "rule_pack_sha256"))
       << "</dd>\n"
       << "<dt>" << t(kInventoryHash) << "</dt><dd>" << dash(str(run, "inventory_sha256"))
       << "</dd>\n"
       << "</dl>\n";

    std::vector<std::string> systems;
    for (const Json* s : items(run, "systems")) {
        systems.push_back(str(*s));
    }
    if (!systems.empty()) {
        o_ << "<p class=\"banner\">" << t(kScoped);
        for (std::size_t i = 0; i < systems.size(); ++i) {
            o_ << (i == 0 ? " " : ", ") << "<code>" << escape(systems[i]) << "</code>";
        }
        o_ << "</p>\n";
    }
    const Json& complete = at(run, "complete");
    if ((complete.is_boolean() && !complete.get<bool>()) || !errors_.empty()) {
        o_ << "<p class=\"banner warn\">" << t(kIncomplete) << "</p>\n";
    }

    o_ << "<nav class=\"toc\" aria-label=\"" << t(kContents) << "\"><b>" << t(kContents)
       << "</b><ol>\n";
    const std::pair<const char*, const Text*> entries[] = {
        {"summary", &kSummary},  {"areas", &kAreas},
        {"survey", &kSurvey},    {"trend", &kTrend},
        {"failing", &kFailing},  {"errors", &kErrors},
        {"waivers", &kWaivers},  {"action-plan", &kActionPlan},
        {"appendix", &kAppendix}};
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

void Renderer::summary() {
    const Json& score = at(r_, "score");
    const auto overall = number(score, "overall");
    const auto without = number(score, "overall_without_waivers");
    const auto coverage = number(score, "coverage");

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
    const Json& judged = at(score, "rules_judged");
    o_ << "<div class=\"card\"><div class=\"label\">" << t(kRulesJudged)
       << "</div><div class=\"big\">"
       << (judged.is_number() ? integer_text(integer(score, "rules_judged")) : std::string("–"))
       << "</div><div class=\"note\">" << t(kRulesJudgedNote) << "</div></div>\n</div>\n";

    const Json& counts = at(score, "findings_by_status");
    o_ << "<h3>" << t(kFindingsByStatus) << "</h3>\n<ul class=\"statuses\">\n";
    for (std::size_t i = 0; i < 5; ++i) {
        o_ << "<li><span class=\"dot st-" << kStatusKeys[i] << "\"></span>" << t(kStatusNames[i])
           << "<b>" << integer_text(integer(counts, kStatusKeys[i])) << "</b></li>\n";
    }
    o_ << "</ul>\n";
    for (const Json* fw : items(r_, "frameworks")) {
        framework(*fw);
    }
    o_ << "</section>\n";
}

void Renderer::framework(const Json& fw) {
    const long long controls = integer(fw, "controls");
    const long long mapped = integer(fw, "mapped");
    const long long evidenced = integer(fw, "evidenced");
    const std::string title = str(fw, "title").empty() ? str(fw, "id") : str(fw, "title");
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
    const Json& by_status = at(fw, "by_status");
    if (by_status.is_object() && !by_status.empty()) {
        o_ << "<p class=\"small muted\">" << t(kCatalogueStatus) << ":";
        bool first = true;
        for (const auto& [key, value] : by_status.items()) {
            o_ << (first ? " " : " · ") << escape(key) << " " << escape(str(value));
            first = false;
        }
        o_ << "</p>\n";
    }
    const auto ids = items(fw, "evidenced_controls");
    if (!ids.empty()) {
        o_ << "<div class=\"small muted\">" << t(kEvidencedControls)
           << ":</div><div class=\"ctl\">";
        for (const Json* id : ids) {
            o_ << "<code>" << escape(str(*id)) << "</code>";
        }
        o_ << "</div>\n";
    }
    o_ << "</div>\n";
}

void Renderer::areas() {
    o_ << "<section id=\"areas\">\n<h2>" << t(kAreas) << "</h2>\n";
    const auto list = items(at(r_, "score"), "areas");
    if (list.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoAreas) << "</p>\n</section>\n";
        return;
    }
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
    for (const Json* area : list) {
        const std::string id = str(*area, "id");
        const auto score = number(*area, "score");
        const auto without = number(*area, "score_without_waivers");
        const auto coverage = number(*area, "coverage");
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

    // The same figures as a table, with the findings by status.
    o_ << "<table class=\"areas\">\n<thead><tr><th>" << t(kArea) << "</th><th class=\"num\">"
       << t(kAreaScore) << "</th><th class=\"num\">" << t(kWithoutWaivers)
       << "</th><th class=\"num\">" << t(kCoverage) << "</th><th class=\"num\">" << t(kRulesJudged)
       << "</th>";
    for (std::size_t i = 0; i < 5; ++i) {
        o_ << "<th class=\"num\">" << t(kStatusNames[i]) << "</th>";
    }
    o_ << "</tr></thead>\n<tbody>\n";
    for (const Json* area : list) {
        const auto coverage = number(*area, "coverage");
        const Json& counts = at(*area, "findings_by_status");
        o_ << "<tr><td>" << escape(area_name(str(*area, "id"))) << "</td><td class=\"num\"><b>"
           << score_text(number(*area, "score")) << "</b></td><td class=\"num\">"
           << score_text(number(*area, "score_without_waivers")) << "</td><td class=\"num\">"
           << (coverage ? percent_text(*coverage * 100.0) : std::string("–"))
           << "</td><td class=\"num\">" << integer_text(integer(*area, "rules_judged")) << "</td>";
        for (std::size_t i = 0; i < 5; ++i) {
            o_ << "<td class=\"num\">" << integer_text(integer(counts, kStatusKeys[i])) << "</td>";
        }
        o_ << "</tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

/**
 * The answer options of an indicator's figures, one order for both bars so that they line up:
 * the national order first (the options every figure has), then the size group's others.
 */
std::vector<std::string> option_order(const Json& ind) {
    std::vector<std::string> order;
    for (const char* key : {"national", "size_group"}) {
        const Json& dist = at(at(ind, key), "distribution");
        if (!dist.is_object()) {
            continue;
        }
        for (const auto& [option, value] : dist.items()) {
            if (std::find(order.begin(), order.end(), option) == order.end()) {
                order.push_back(option);
            }
        }
    }
    return order;
}

/// Rounded figures may add up to 99 or 101: only a real gap is shown as "other answers".
constexpr double kRemainderFrom = 98.5;

/// The sum of a figure's percentages over the options; nullopt without a distribution.
std::optional<double> listed_sum(const Json& fig, const std::vector<std::string>& options) {
    const Json& dist = at(fig, "distribution");
    if (!dist.is_object() || dist.empty()) {
        return std::nullopt;
    }
    double sum = 0;
    for (const auto& option : options) {
        sum += std::max(0.0, number(dist, option.c_str()).value_or(0.0));
    }
    return sum;
}

void Renderer::survey() {
    const auto list = items(r_, "indicators");
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
    std::vector<const Json*> ordered = list;
    const auto& order = survey_order();
    const auto rank = [&order](const Json* ind) {
        const std::string id = str(*ind, "id");
        const auto it = std::find(order.begin(), order.end(), id);
        return static_cast<std::size_t>(it - order.begin());
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const Json* a, const Json* b) {
        const std::size_t ra = rank(a);
        const std::size_t rb = rank(b);
        return ra != rb ? ra < rb : (ra == order.size() && str(*a, "id") < str(*b, "id"));
    });
    for (const Json* ind : ordered) {
        indicator_row(*ind);
    }
    o_ << "</tbody>\n</table>\n";
    // Socialstyrelsen's caveat, once: the first indicator that carries one.
    for (const Json* ind : list) {
        const Json& caveat = at(*ind, "caveat");
        const std::string text = str(caveat, "sv");
        if (!text.empty()) {
            o_ << "<p class=\"caveat\">" << t(kCaveatLead) << " ”" << escape(text) << "”";
            const std::string source = str(caveat, "source");
            if (!source.empty()) {
                o_ << " <span class=\"small\">(" << t(kSource) << " " << escape(source)
                   << ")</span>";
            }
            o_ << "</p>\n";
            break;
        }
    }
    o_ << "</section>\n";
}

void Renderer::indicator_row(const Json& ind) {
    const std::string id = str(ind, "id");
    const std::string scope = str(ind, "scope");
    const Json& answer = at(ind, "answer");
    const Text* name = find_named(kIndicatorNames, id);

    o_ << "<tr><td>";
    if (name != nullptr) {
        o_ << "<b>" << t(*name) << "</b>";
    } else {
        o_ << "<b>" << escape(id) << "</b>";
    }
    if (!scope.empty()) {
        o_ << "<span class=\"scope\">" << escape(scope) << "</span>";
    }
    o_ << "<div class=\"ind-id\"><code>" << escape(id) << "</code></div>";
    // The reference period: the survey year and the year asked about (or the state date).
    const Json& period = at(ind, "period");
    if (period.is_object()) {
        const std::string asked = str(period, "asked_about");
        o_ << "<div class=\"small muted period\">" << t(kPeriodSurvey) << " " << escape(str(period, "survey_year"))
           << ", " << t(asked.size() == 4 ? kPeriodYear : kPeriodState) << " " << escape(asked) << "</div>";
    }
    o_ << "</td>\n<td>";
    if (answer.is_null()) {
        const Json& not_asked = at(ind, "not_asked");
        o_ << "<span class=\"ans none\">" << t(not_asked.is_string() ? kNotAsked : kNotEvidenced)
           << "</span>";
        if (not_asked.is_string()) {
            // Why the survey does not ask it here (e.g. all provider activity handed over).
            o_ << "<div class=\"small muted not-asked\">"
               << escape(not_asked_text(not_asked.get<std::string>(), en_ ? "en" : "sv")) << "</div>";
        }
    } else {
        o_ << "<span class=\"ans\">" << escape(str(answer)) << "</span>";
        if (const auto share = number(ind, "share_percent")) {
            // The share behind a measured answer: never 0 or 100 unless the answer is Ingen or Alla.
            const std::string n = num(*share, share_decimals(*share));
            o_ << " <span class=\"small muted\">" << (en_ ? n + "%" : n + "\u00a0%") << "</span>";
        }
    }
    o_ << "</td>\n<td class=\"small\">";

    const Json& evidence = at(ind, "evidence");
    const auto units = items(evidence, "units");
    long long judged = 0;
    std::string by_provenance;
    const Json& bp = at(evidence, "by_provenance");
    if (bp.is_object()) {
        for (const auto& [prov, count] : bp.items()) {
            const long long c = count.is_number() ? count.get<long long>() : 0;
            judged += c;
            const Text* text = find_named(kProvenanceCounts, prov);
            by_provenance += (by_provenance.empty() ? "" : ", ") + integer_text(c) + " " +
                             escape(text != nullptr ? std::string(t(*text)) : prov);
        }
    }
    if (units.empty()) {
        o_ << "<span class=\"muted\">" << t(kNoUnits) << "</span>";
    } else {
        o_ << "<b>" << integer_text(judged) << "</b> " << t(kUnitsJudged);
        if (!by_provenance.empty()) {
            o_ << " (" << by_provenance << ")";
        }
        std::string failing;
        std::string failed_checks;
        for (const Json* unit : units) {
            const std::string verdict = str(*unit, "verdict");
            if (verdict == "fail") {
                std::string rules;
                for (const Json* r : items(*unit, "failing_rules")) {
                    rules += (rules.empty() ? "" : ", ") + escape(str(*r));
                }
                failing += (failing.empty() ? "" : "; ") + std::string("<code>") +
                           escape(str(*unit, "subject")) + "</code>" +
                           (rules.empty() ? std::string() : " (" + rules + ")");
            } else if (verdict == "error") {
                std::string rules;
                for (const Json* r : items(*unit, "errored_rules")) {
                    rules += (rules.empty() ? "" : ", ") + escape(str(*r));
                }
                failed_checks += (failed_checks.empty() ? "" : ", ") + std::string("<code>") +
                                 escape(str(*unit, "subject")) + "</code>" +
                                 (rules.empty() ? std::string() : " (" + rules + ")");
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
    for (const Json* c : items(ind, "caveats")) {
        IndicatorCaveat caveat{str(*c, "rule"), str(*c, "subject"), str(*c, "message"), std::nullopt, std::nullopt};
        if (at(*c, "enabled").is_number_integer() && at(*c, "without_strong_auth").is_number_integer()) {
            caveat.enabled = at(*c, "enabled").get<std::int64_t>();
            caveat.without_strong_auth = at(*c, "without_strong_auth").get<std::int64_t>();
        }
        o_ << "<div class=\"caveat-note\"><b>" << t(kCaveatNote) << "</b> <code>" << escape(caveat.rule) << "</code> <code>"
           << escape(caveat.subject) << "</code>: " << escape(caveat_message(caveat, en_ ? "en" : "sv")) << "</div>";
    }
    const Json& complete = at(ind, "complete");
    if (complete.is_boolean() && !complete.get<bool>()) {
        o_ << "<div><span class=\"badge no\">" << t(kIncompleteAnswer) << "</span></div>";
    }
    o_ << "</td>\n<td>";

    const std::vector<std::string> options = option_order(ind);
    figure(at(ind, "national"), kNational, options, answer, true);
    figure(at(ind, "size_group"), kSizeGroup, options, answer, false);

    // One legend for both bars, the municipality's answer in bold.
    if (!options.empty()) {
        const std::string mine = answer.is_string() ? answer.get<std::string>() : std::string();
        o_ << "<ul class=\"legend\">";
        for (std::size_t i = 0; i < options.size(); ++i) {
            o_ << "<li" << (options[i] == mine ? " class=\"mine\"" : "")
               << "><span class=\"sw\" style=\"background:" << kOptionFill[i % kOptionColours]
               << "\"></span>" << (options[i] == mine ? "▼ " : "") << escape(options[i]) << "</li>";
        }
        const auto national_sum = listed_sum(at(ind, "national"), options);
        const auto group_sum = listed_sum(at(ind, "size_group"), options);
        if ((national_sum && *national_sum < kRemainderFrom) ||
            (group_sum && *group_sum < kRemainderFrom)) {
            // The answer is among the other answers when the figures do not list it.
            const bool other =
                !mine.empty() && std::find(options.begin(), options.end(), mine) == options.end();
            o_ << "<li" << (other ? " class=\"mine\"" : "") << "><span class=\"sw other\"></span>"
               << (other ? "▼ " : "") << t(kOtherAnswers);
            if (other) {
                o_ << " (" << escape(mine) << ")";
            }
            o_ << "</li>";
        }
        o_ << "</ul>";
    }
    // Issue 12 item 9: the national share for the municipality's answer (else the first option)
    // over every year the data holds, as a small line chart with each year and value labelled.
    const auto trend = items(ind, "national_trend");
    if (trend.size() > 1 && !options.empty()) {
        const std::string key =
            answer.is_string() && std::find(options.begin(), options.end(), str(answer)) != options.end()
                ? str(answer)
                : options.front();
        std::vector<std::pair<std::string, double>> points;
        for (const Json* f : trend) {
            if (const auto v = number(at(*f, "distribution"), key.c_str())) {
                points.emplace_back(str(*f, "year"), *v);
            }
        }
        if (points.size() > 1) {
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
    }
    o_ << "</td></tr>\n";
}

void Renderer::figure(const Json& fig, const Text& title, const std::vector<std::string>& options,
                      const Json& answer, bool national) {
    const Json& dist = at(fig, "distribution");
    o_ << "<div class=\"fig\"><div class=\"fig-cap\"><b>" << t(title);
    if (!national) {
        const std::string label = str(fig, "label");
        if (!label.empty()) {
            o_ << " " << escape(label);
        }
    }
    o_ << "</b>";
    if (!dist.is_object() || dist.empty()) {
        o_ << " · " << t(kNoFigure) << "</div></div>\n";
        return;
    }
    const std::string year = str(fig, "year");
    if (!year.empty()) {
        o_ << " " << escape(year);
    }
    const std::string n = str(fig, "n");
    if (!n.empty()) {
        o_ << " · n = " << escape(n);
    }
    const std::string source = str(fig, "source");
    if (!source.empty()) {
        o_ << " · " << t(kSource) << " " << escape(source);
    }
    o_ << "</div>\n";

    // Segments in the common option order; what the figure does not account for is "other".
    struct Segment {
        std::string label;
        double value;
        std::size_t colour;
        bool remainder;
    };
    std::vector<Segment> segments;
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (const auto v = number(dist, options[i].c_str())) {
            segments.push_back({options[i], std::max(0.0, *v), i % kOptionColours, false});
        }
    }
    double sum = listed_sum(fig, options).value_or(0.0);
    if (sum < kRemainderFrom) {
        segments.push_back({t(kOtherAnswers), 100.0 - sum, 0, true});
        sum = 100.0;
    }
    const std::string mine = answer.is_string() ? answer.get<std::string>() : std::string();
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
    // The figure's notes in the report's language (the Swedish wording from the figures file).
    for (const Json* note : items(fig, en_ ? "notes" : "notes_sv")) {
        o_ << "<div class=\"fig-note\">" << escape(str(*note)) << "</div>\n";
    }
    o_ << "</div>\n";
}

void Renderer::trend() {
    // One point per audit date, oldest first as given: a later run on the same date replaces an
    // earlier one, and this report is the score of its own date (added last when missing).
    std::vector<TrendPoint> points;
    const auto put = [&points](const TrendPoint& point) {
        const auto same = std::find_if(points.begin(), points.end(),
                                       [&](const TrendPoint& p) { return p.as_of == point.as_of; });
        if (same == points.end()) {
            points.push_back(point);
        } else {
            same->score = point.score;
        }
    };
    for (const auto& point : options_.trend) {
        put(point);
    }
    const std::string as_of = str(at(r_, "run"), "as_of");
    if (const auto overall = number(at(r_, "score"), "overall")) {
        put({as_of, *overall});
    }
    o_ << "<section id=\"trend\">\n<h2>" << t(kTrend) << "</h2>\n";
    if (points.size() < 2) {
        o_ << "<p class=\"muted\">" << t(kNoHistory) << "</p>\n</section>\n";
        return;
    }
    constexpr double kLeft = 56;
    constexpr double kRight = 860;
    constexpr double kTop = 24;
    constexpr double kBottom = 214;
    const auto px = [&](std::size_t i) {
        return kLeft +
               (kRight - kLeft) * static_cast<double>(i) / static_cast<double>(points.size() - 1);
    };
    const auto py = [&](double v) {
        return kBottom - (kBottom - kTop) * std::clamp(v, 0.0, 100.0) / 100.0;
    };

    o_ << "<svg class=\"chart trend\" viewBox=\"0 0 900 250\" role=\"img\" aria-label=\""
       << t(kTrend) << "\">\n";
    for (int g = 0; g <= 4; ++g) {
        const double y = py(g * 25.0);
        o_ << "<line x1=\"" << coord(kLeft) << "\" y1=\"" << coord(y) << "\" x2=\"" << coord(kRight)
           << "\" y2=\"" << coord(y) << "\" stroke=\"#d9dee5\""
           << (g == 0 ? "" : " stroke-dasharray=\"3 3\"") << "/><text x=\"" << coord(kLeft - 10)
           << "\" y=\"" << coord(y + 4)
           << "\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"end\">" << g * 25 << "</text>\n";
    }
    std::string line;
    for (std::size_t i = 0; i < points.size(); ++i) {
        line += (i == 0 ? "M" : "L") + coord(px(i)) + " " + coord(py(points[i].score));
    }
    o_ << "<path d=\"" << line << "L" << coord(px(points.size() - 1)) << " " << coord(kBottom)
       << "L" << coord(px(0)) << " " << coord(kBottom) << "Z\" fill=\"#e4edf7\" opacity=\"0.7\"/>\n"
       << "<path d=\"" << line
       << "\" fill=\"none\" stroke=\"#1d4e89\" stroke-width=\"2.5\" "
          "stroke-linejoin=\"round\"/>\n";
    const std::size_t step = (points.size() + 9) / 10;  // at most about ten date labels
    for (std::size_t i = 0; i < points.size(); ++i) {
        const bool last = i + 1 == points.size();
        const double x = px(i);
        const double y = py(points[i].score);
        const char* anchor_pos = i == 0 ? "start" : (last ? "end" : "middle");
        o_ << "<g><title>" << escape(points[i].as_of) << ": " << num(points[i].score, 2)
           << "</title>"
           << "<circle cx=\"" << coord(x) << "\" cy=\"" << coord(y) << "\" r=\""
           << (last ? "6" : "4") << "\" fill=\"" << (last ? "#1d4e89" : "#ffffff")
           << "\" stroke=\"#1d4e89\" stroke-width=\"2\"/>";
        if (points.size() <= 16 || last || i == 0) {
            o_ << "<text x=\"" << coord(x) << "\" y=\"" << coord(y - 11) << "\" font-size=\"12\" "
               << "font-weight=\"700\" fill=\"#1f2933\" text-anchor=\"" << anchor_pos << "\">"
               << num(points[i].score, 2) << "</text>";
        }
        if (i % step == 0 || last) {
            o_ << "<text x=\"" << coord(x) << "\" y=\"" << coord(kBottom + 18)
               << "\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"" << anchor_pos << "\">"
               << escape(points[i].as_of) << "</text>";
        }
        if (last) {
            o_ << "<text x=\"" << coord(x) << "\" y=\"" << coord(kBottom + 32)
               << "\" font-size=\"11\" fill=\"#1d4e89\" text-anchor=\"end\">" << t(kThisAudit)
               << "</text>";
        }
        o_ << "</g>\n";
    }
    o_ << "</svg>\n</section>\n";
}

void Renderer::evidence_list(const Json& finding) {
    const Json& evidence = at(finding, "evidence");
    if (!evidence.is_object() || evidence.empty()) {
        o_ << "<span class=\"muted\">" << t(kNoEvidence) << "</span>";
    } else {
        o_ << "<ul class=\"facts\">";
        for (const auto& [fact, entry] : evidence.items()) {
            o_ << "<li><code>" << escape(fact) << "</code> = <span class=\"val\">"
               << escape(value_text(at(entry, "value"))) << "</span><span class=\"how\">"
               << provenance_badge(str(entry, "provenance"));
            const std::string source = str(entry, "source");
            if (!source.empty()) {
                o_ << " <span class=\"src\">" << escape(source) << "</span>";
            }
            o_ << "</span></li>";
        }
        o_ << "</ul>";
    }
    // What was probed for this subject, and how.
    const auto it = probes_by_subject_.find(str(finding, "subject"));
    if (it != probes_by_subject_.end()) {
        for (const Json* probe : it->second) {
            o_ << "<div class=\"probe-line\">" << t(kProbed) << ": <code>"
               << escape(str(*probe, "probe")) << "</code> → " << escape(str(*probe, "target"));
            const std::string error = str(*probe, "error");
            if (!error.empty()) {
                o_ << " — " << t(kError) << ": " << escape(error);
            }
            o_ << "</div>";
        }
    }
}

void Renderer::rule_card(const std::string& rule_id, const std::vector<const Json*>& findings) {
    const Json& first = *findings.front();
    const std::string severity = str(first, "severity");
    const auto rank = static_cast<std::size_t>(severity_rank(severity));
    o_ << "<article class=\"rule sev-b-" << kSeverityClass[rank] << "\" id=\""
       << anchor("rule-", rule_id) << "\">\n<div class=\"rule-head\">" << severity_badge(severity)
       << "<code class=\"rid\">" << escape(rule_id) << "</code><span class=\"title\">"
       << escape(rule_title(first)) << "</span></div>\n";
    const auto rule = rules_.find(rule_id);
    if (rule != rules_.end()) {
        const auto refs = items(*rule->second, "references");
        if (!refs.empty()) {
            o_ << "<div class=\"refs\">" << t(kReferences) << ": ";
            for (std::size_t i = 0; i < refs.size(); ++i) {
                o_ << (i == 0 ? "" : " · ") << escape(str(*refs[i]));
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
    for (const Json* f : findings) {
        const std::string subject = str(*f, "subject");
        const std::string subject_name = str(*f, "subject_name");
        o_ << "<tr><td><div class=\"sub-name\">"
           << escape(subject_name.empty() ? subject : subject_name)
           << "</div><div class=\"sub-id\"><code>" << escape(subject) << "</code> · "
           << escape(kind_name(str(*f, "subject_kind"))) << "</div>";
        const std::string owner = str(*f, "owner");
        const std::string system = str(*f, "system");
        if (!owner.empty()) {
            o_ << "<div class=\"sub-id\">" << t(kOwner) << ": " << escape(owner) << "</div>";
        }
        if (!system.empty() && system != subject) {
            o_ << "<div class=\"sub-id\">" << t(kSystem) << ": <code>" << escape(system)
               << "</code></div>";
        }
        o_ << "</td><td class=\"msg\">" << escape(str(*f, "message")) << "</td><td>";
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
    std::map<std::string, std::map<int, std::map<std::string, std::vector<const Json*>>>> groups;
    for (const Json* f : fails_) {
        groups[str(*f, "area")][severity_rank(str(*f, "severity"))][str(*f, "rule")].push_back(f);
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
    std::vector<const Json*> sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Json* a, const Json* b) {
        const auto ka = std::make_tuple(severity_rank(str(*a, "severity")), str(*a, "rule"),
                                        str(*a, "subject"));
        const auto kb = std::make_tuple(severity_rank(str(*b, "severity")), str(*b, "rule"),
                                        str(*b, "subject"));
        return ka < kb;
    });
    o_ << "<table>\n<thead><tr><th>" << t(kSeverity) << "</th><th>" << t(kRule) << "</th><th>"
       << t(kSubject) << "</th><th>" << t(kReason) << "</th><th>" << t(kEvidence)
       << "</th></tr></thead>\n<tbody>\n";
    for (const Json* f : sorted) {
        const std::string subject = str(*f, "subject");
        const std::string subject_name = str(*f, "subject_name");
        o_ << "<tr><td>" << severity_badge(str(*f, "severity")) << "</td><td><code class=\"rid\">"
           << escape(str(*f, "rule")) << "</code><div class=\"small\">" << escape(rule_title(*f))
           << "</div></td><td><div class=\"sub-name\">"
           << escape(subject_name.empty() ? subject : subject_name)
           << "</div><div class=\"sub-id\"><code>" << escape(subject) << "</code> · "
           << escape(kind_name(str(*f, "subject_kind"))) << "</div></td><td class=\"msg\">"
           << escape(str(*f, "message")) << "</td><td>";
        evidence_list(*f);
        o_ << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

void Renderer::waivers() {
    o_ << "<section id=\"waivers\">\n<h2>" << t(kWaivers) << "</h2>\n";
    std::vector<const Json*> list = items(r_, "waivers");
    if (list.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoWaivers) << "</p>\n</section>\n";
        return;
    }
    o_ << "<p class=\"lead\">" << t(kWaiversLead) << "</p>\n";
    const auto state_rank = [](const std::string& s) {
        return s == "active" ? 0 : (s == "expired" ? 1 : (s == "unused" ? 2 : 3));
    };
    std::stable_sort(list.begin(), list.end(), [&](const Json* a, const Json* b) {
        return state_rank(str(*a, "state")) < state_rank(str(*b, "state"));
    });
    o_ << "<table class=\"fixed waivers\">\n<thead><tr><th>" << t(kState) << "</th><th>" << t(kRule)
       << "</th><th>" << t(kSubject) << "</th><th>" << t(kDecidedBy) << "</th><th>"
       << t(kDecisionRef) << "</th><th>" << t(kExpires) << "</th><th>" << t(kWaiverReason)
       << "</th><th class=\"num\">" << t(kFindingsWaived) << "</th></tr></thead>\n<tbody>\n";
    for (const Json* w : list) {
        const std::string state = str(*w, "state");
        const int rank = state_rank(state);
        const char* cls = rank == 0 ? "active" : (rank == 1 ? "expired" : "unused");
        const std::string label = rank == 0   ? t(kActive)
                                  : rank == 1 ? t(kExpired)
                                  : rank == 2 ? t(kUnused)
                                              : escape(state);
        o_ << "<tr><td><span class=\"badge " << cls << "\">" << label
           << "</span></td><td><code class=\"rid\">" << escape(str(*w, "rule"))
           << "</code></td><td><code>" << escape(str(*w, "subject")) << "</code></td><td>"
           << escape(str(*w, "decided_by")) << "</td><td>" << escape(str(*w, "decision_ref"))
           << "</td><td class=\"nowrap\">" << escape(str(*w, "expires")) << "</td><td>"
           << escape(str(*w, "reason")) << "</td><td class=\"num\">"
           << integer_text(integer(*w, "findings_waived")) << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

void Renderer::action_plan() {
    o_ << "<section id=\"action-plan\">\n<h2 class=\"major\">" << t(kActionPlan) << "</h2>\n";
    std::vector<const Json*> rows = fails_;
    rows.insert(rows.end(), waived_.begin(), waived_.end());
    if (rows.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoActions) << "</p>\n</section>\n";
        return;
    }
    o_ << "<p class=\"lead\">" << t(kActionPlanLead) << "</p>\n";
    std::stable_sort(rows.begin(), rows.end(), [](const Json* a, const Json* b) {
        const auto ka = std::make_tuple(severity_rank(str(*a, "severity")), str(*a, "rule"),
                                        str(*a, "subject"), str(*a, "status"));
        const auto kb = std::make_tuple(severity_rank(str(*b, "severity")), str(*b, "rule"),
                                        str(*b, "subject"), str(*b, "status"));
        return ka < kb;
    });
    o_ << "<table class=\"fixed plan\">\n<thead><tr><th>" << t(kPriority) << "</th><th>" << t(kRule)
       << "</th><th>" << t(kSubject) << "</th><th>" << t(kRemediation) << "</th><th>" << t(kOwner)
       << "</th><th>" << t(kSystem) << "</th></tr></thead>\n<tbody>\n";
    int n = 1;
    for (const Json* f : rows) {
        const bool waived = str(*f, "status") == "waived";
        const std::string rule = str(*f, "rule");
        const std::string subject = str(*f, "subject");
        const std::string subject_name = str(*f, "subject_name");
        const std::string owner = str(*f, "owner");
        const std::string system = str(*f, "system");
        // The row number to refer to in a meeting ("item 7"), above the severity.
        o_ << "<tr" << (waived ? " class=\"waived\"" : "") << "><td><span class=\"item\">" << n++
           << "</span>" << severity_badge(str(*f, "severity")) << "</td><td>";
        if (failing_rules_.count(rule) != 0) {
            o_ << "<a class=\"rule-link\" href=\"#" << anchor("rule-", rule)
               << "\"><code class=\"rid\">" << escape(rule) << "</code></a>";
        } else {
            o_ << "<code class=\"rid\">" << escape(rule) << "</code>";
        }
        o_ << "<div class=\"small\">" << escape(rule_title(*f)) << "</div>";
        if (waived) {
            const Json& waiver = at(*f, "waiver");
            o_ << "<span class=\"waived-note\">" << t(kWaivedUntil) << " <span class=\"nowrap\">"
               << escape(str(waiver, "expires")) << "</span>";
            const std::string ref = str(waiver, "decision_ref");
            if (!ref.empty()) {
                o_ << " (" << escape(ref) << ")";
            }
            o_ << "</span>";
        }
        o_ << "</td><td><div class=\"sub-name\">"
           << escape(subject_name.empty() ? subject : subject_name)
           << "</div><div class=\"sub-id\"><code>" << escape(subject) << "</code></div></td><td>"
           << escape(remediation(rule)) << "</td><td>" << (owner.empty() ? "–" : escape(owner))
           << "</td><td>"
           << (system.empty() ? std::string("–") : "<code>" + escape(system) + "</code>")
           << "</td></tr>\n";
    }
    o_ << "</tbody>\n</table>\n</section>\n";
}

void Renderer::appendix() {
    o_ << "<section id=\"appendix\">\n<h2 class=\"major\">" << t(kAppendix) << "</h2>\n<h3>"
       << t(kEvidenceFiles) << "</h3>\n";
    const auto files = items(r_, "evidence_files");
    if (files.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoEvidenceFiles) << "</p>\n";
    } else {
        o_ << "<table class=\"fixed files\">\n<thead><tr><th>" << t(kSubject) << "</th><th>"
           << t(kRole) << "</th><th>" << t(kPath) << "</th><th>" << t(kExists)
           << "</th><th>SHA-256</th></tr></thead>\n<tbody>\n";
        for (const Json* f : files) {
            const Json& exists = at(*f, "exists");
            const bool yes = exists.is_boolean() && exists.get<bool>();
            const std::string sha = str(*f, "sha256");
            o_ << "<tr><td><code>" << escape(str(*f, "subject")) << "</code></td><td>"
               << escape(str(*f, "role")) << "</td><td><code>" << escape(str(*f, "path"))
               << "</code></td><td>"
               << (yes ? std::string(t(kYes))
                       : "<span class=\"badge no\">" + std::string(t(kNo)) + "</span>")
               << "</td><td class=\"hash\">" << (sha.empty() ? "–" : escape(sha)) << "</td></tr>\n";
        }
        o_ << "</tbody>\n</table>\n";
    }
    o_ << "<h3>" << t(kProbes) << "</h3>\n";
    const auto probes = items(r_, "probes");
    if (probes.empty()) {
        o_ << "<p class=\"muted\">" << t(kNoProbes) << "</p>\n";
    } else {
        o_ << "<table>\n<thead><tr><th>" << t(kProbe) << "</th><th>" << t(kSubject) << "</th><th>"
           << t(kTarget) << "</th><th>" << t(kError) << "</th></tr></thead>\n<tbody>\n";
        for (const Json* p : probes) {
            const std::string error = str(*p, "error");
            o_ << "<tr><td><code>" << escape(str(*p, "probe")) << "</code></td><td><code>"
               << escape(str(*p, "subject")) << "</code></td><td><code>"
               << escape(str(*p, "target")) << "</code></td><td>"
               << (error.empty() ? std::string(t(kOk))
                                 : "<span class=\"msg\">" + escape(error) + "</span>")
               << "</td></tr>\n";
        }
        o_ << "</tbody>\n</table>\n";
    }
    const Json& run = at(r_, "run");
    const std::string started = str(run, "started");
    if (!started.empty()) {
        o_ << "<p class=\"small muted\">" << t(kRunStarted) << ": " << escape(started) << " – "
           << escape(str(run, "finished")) << "</p>\n";
    }
    o_ << "</section>\n";
}

void Renderer::footer() {
    const Json& tool = at(r_, "tool");
    const std::string tool_name = str(tool, "name");
    o_ << "<footer>" << t(kFooter) << " "
       << escape(tool_name.empty() ? std::string("lisa") : tool_name) << " "
       << escape(str(tool, "version")) << " " << t(kFooterNote) << " "
       << escape(str(r_, "schema_version")) << ").</footer>\n</main>\n</body>\n</html>\n";
}

void Renderer::render() {
    head();
    header();
    summary();
    areas();
    survey();
    trend();
    failing();
    errors();
    waivers();
    action_plan();
    appendix();
    footer();
}

}  // namespace

void render_html(const ReportJson& report, const RenderOptions& options, std::ostream& out) {
    Renderer(report, options, out).render();
}

}  // namespace lisa
