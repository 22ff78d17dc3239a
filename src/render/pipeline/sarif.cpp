// SPDX-License-Identifier: Apache-2.0
// SARIF 2.1.0 from the typed report: one run; tool.driver.rules[] is the report's rule
// catalogue; one result per finding that needs attention.
//
// Which findings become results, and how (SARIF 2.1.0 §3.27.9 kind, §3.27.10 level):
//   fail    -> kind "fail", level from severity: critical/high "error", medium "warning",
//              low/info "note".
//   waived  -> the same fail result, with suppressions [{kind "external", status "accepted",
//              justification: the waiver's reason}] (a risk acceptance is an external
//              suppression; SARIF consumers hide accepted suppressions but keep them auditable).
//   error   -> kind "open", level "none", properties.status "error". SARIF defines "open" as
//              "the tool did not have sufficient information to reach a conclusion", which is
//              exactly lisa's error (could not check: never a pass, never a fail), and §3.27.10
//              requires level "none" whenever kind is not "fail".
//   pass, not_applicable -> no result (the JSON report has them).
// invocations[0]: executionSuccessful = run.complete (false when a check could not be made),
// start/end from run.started/finished, and one toolExecutionNotification per failed probe.
// Every result carries properties.status with the finding's own status, and locations[0] the
// subject as a logical location and, when the report knows it (findings[].declared_at), as a
// physical one: the inventory file relative to the repository root (uriBaseId %SRCROOT%) and the
// line and column where the subject is declared, so code scanning points at that line.
// Rules referenced by a finding but missing from rules[] get a minimal descriptor appended,
// so ruleIndex is always valid.
#include "common.hpp"

#include <lisa/core/version.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace lisa {
namespace {

using render_pipeline::kind_text;
using render_pipeline::localized;

using J = nlohmann::ordered_json;

std::string level_of(Severity severity) {
    if (severity >= Severity::High) {
        return "error";
    }
    if (severity == Severity::Medium) {
        return "warning";
    }
    return "note";  // low, info
}

/// GitHub code scanning's "security-severity" (a CVSS-like score as a string).
std::string security_severity(Severity severity) {
    switch (severity) {
        case Severity::Critical: return "9.5";
        case Severity::High: return "8.0";
        case Severity::Medium: return "5.5";
        case Severity::Low: return "3.0";
        case Severity::Info: return "0.0";
    }
    return "0.0";
}

J value_json(const Value& v) {
    switch (v.type()) {
        case ValueType::None: return nullptr;
        case ValueType::Bool: return *v.as_bool();
        case ValueType::Integer: return *v.as_int();
        case ValueType::Number: return *v.as_double();
        case ValueType::String: return *v.as_string();
        case ValueType::Date: return v.as_date()->to_string();
        case ValueType::List: return *v.as_list();
    }
    return nullptr;
}

J evidence_json(const ReportFinding& finding) {
    J out = J::object();
    for (const auto& e : finding.evidence) {
        if (is_account_list(e.fact)) {
            continue;  // account names stay in the municipality's own reports (README "Personal data")
        }
        J fact{{"value", value_json(e.value)}, {"provenance", e.provenance}};
        if (!e.source.empty()) {
            fact["source"] = e.source;
        }
        out[e.fact] = std::move(fact);
    }
    return out;
}

/// A relative path as a URI reference (RFC 3986 §4.2): every byte outside the unreserved set and
/// "/" percent-encoded, so spaces and å/ä/ö survive as %20 and %C3%A5.
std::string uri_path(const std::string& path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~' || c == '/') {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4U];
            out += kHex[c & 0xFU];
        }
    }
    return out;
}

J optional_json(const std::optional<std::string>& s) { return s ? J(*s) : J(nullptr); }
J optional_json(const std::optional<double>& d) { return d ? J(*d) : J(nullptr); }

J rule_descriptor(const RuleEntry& rule, const std::string& lang) {
    const std::string& id = rule.id;
    const std::string severity(to_string(rule.severity));
    const std::string& area = rule.area;
    std::string title = localized(rule.title, lang);
    if (title.empty()) {
        title = id;
    }
    const bool sv = lang == "sv";
    std::string full = title;
    const std::string& for_each = rule.for_each;
    if (!for_each.empty()) {
        full += sv ? ". Gäller varje " + for_each : ". Applies to each " + for_each;
    }
    const J references = rule.references;
    if (!rule.references.empty()) {
        full += sv ? ". Referenser: " : ". References: ";
        for (std::size_t i = 0; i < rule.references.size(); ++i) {
            full += (i > 0 ? "; " : "") + rule.references[i];
        }
    }
    full += ".";

    J d = J::object();
    d["id"] = id;
    d["name"] = id;
    d["shortDescription"] = {{"text", title}};
    d["fullDescription"] = {{"text", full}};
    std::string remediation = localized(rule.remediation, lang);
    if (remediation.empty()) {
        remediation = title;
    }
    d["help"] = {{"text", remediation}};
    d["defaultConfiguration"] = {{"level", level_of(rule.severity)}};
    J tags = J::array({"security", "compliance"});
    if (!area.empty()) {
        tags.push_back(area);
    }
    const std::string& indicator = rule.indicator;
    if (!indicator.empty()) {
        tags.push_back(indicator);
    }
    J props = J::object();
    props["area"] = area;
    props["severity"] = severity;
    props["security-severity"] = security_severity(rule.severity);
    props["references"] = references;
    props["tags"] = tags;
    if (!for_each.empty()) {
        props["for_each"] = for_each;
    }
    if (!indicator.empty()) {
        props["indicator"] = indicator;
    }
    props["scored"] = rule.scored;
    d["properties"] = props;
    return d;
}

J result_for(const ReportDocument& report, const ReportFinding& finding, std::size_t rule_index,
             const std::string& lang) {
    const std::string status(to_string(finding.status));
    const std::string& subject = finding.subject;
    const std::string kind = kind_text(finding);
    std::string message = finding.message;
    if (message.empty()) {
        message = localized(finding.title, lang);
    }
    if (message.empty()) {
        message = finding.rule + " " + status;
    }

    J r = J::object();
    r["ruleId"] = finding.rule;
    r["ruleIndex"] = rule_index;
    if (finding.status == Status::Error) {
        r["kind"] = "open";
        r["level"] = "none";
    } else {
        r["kind"] = "fail";
        r["level"] = level_of(finding.severity);
    }
    r["message"] = {{"text", message}};
    J logical = J::object();
    logical["name"] = subject;
    logical["fullyQualifiedName"] = kind + ":" + subject;
    logical["kind"] = kind;
    J location = J::object();
    if (finding.declared_at) {
        // Where the inventory declares the subject: the file relative to the repository root
        // (%SRCROOT%, what code scanning resolves against), its line and column.
        J region = J::object();
        region["startLine"] = finding.declared_at->line;
        if (finding.declared_at->column > 0) {
            region["startColumn"] = finding.declared_at->column;
        }
        location["physicalLocation"] = {
            {"artifactLocation", {{"uri", uri_path(finding.declared_at->file)}, {"uriBaseId", "%SRCROOT%"}}},
            {"region", region}};
    }
    location["logicalLocations"] = J::array({logical});
    r["locations"] = J::array({location});
    r["partialFingerprints"] = {{"lisaFinding/v1", finding.rule + "|" + kind + ":" + subject}};
    if (finding.status == Status::Waived) {
        const std::string decision_ref = finding.waiver ? finding.waiver->decision_ref : std::string();
        const WaiverRecord* record = render_pipeline::applied_waiver(report, finding);
        J suppression = J::object();
        suppression["kind"] = "external";
        suppression["status"] = "accepted";
        std::string justification = record != nullptr ? record->reason : std::string();
        if (justification.empty()) {
            justification = "waiver " + decision_ref;
        }
        suppression["justification"] = justification;
        J sp = J::object();
        sp["decision_ref"] = decision_ref;
        sp["expires"] = finding.waiver ? finding.waiver->expires : std::string();
        if (record != nullptr) {
            sp["decided_by"] = record->decision.decided_by;
        }
        suppression["properties"] = sp;
        r["suppressions"] = J::array({suppression});
    }
    J props = J::object();
    props["status"] = status;
    props["severity"] = std::string(to_string(finding.severity));
    props["area"] = finding.area;
    props["subject_kind"] = kind;
    props["subject_name"] = finding.subject_name;
    props["system"] = optional_json(finding.system);
    props["owner"] = optional_json(finding.owner);
    props["evidence"] = evidence_json(finding);
    if (finding.waiver) {
        props["unwaived_status"] = std::string(to_string(finding.unwaived_status));
    }
    r["properties"] = props;
    return r;
}

J invocation_json(const ReportDocument& report) {
    J invocation = J::object();
    invocation["executionSuccessful"] = report.run.complete;
    if (!report.run.started.empty()) {
        invocation["startTimeUtc"] = report.run.started;
    }
    if (!report.run.finished.empty()) {
        invocation["endTimeUtc"] = report.run.finished;
    }
    // Probes that failed: the reasons behind "error" findings, as tool execution notifications.
    J notifications = J::array();
    for (const auto& probe : report.probes) {
        if (probe.error.empty()) {
            continue;
        }
        J n = J::object();
        n["level"] = "error";
        n["message"] = {{"text", probe.probe + " probe on " + probe.subject + " (" + probe.target + "): " + probe.error}};
        n["properties"] = {{"probe", probe.probe}, {"subject", probe.subject}, {"target", probe.target}};
        notifications.push_back(n);
    }
    if (!notifications.empty()) {
        invocation["toolExecutionNotifications"] = notifications;
    }
    return invocation;
}

}  // namespace

void render_sarif(const ReportDocument& report, const RenderOptions& options, std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    J rules = J::array();
    std::map<std::string, std::size_t> index;
    for (const auto& rule : report.rules) {
        if (rule.id.empty() || index.count(rule.id) > 0) {
            continue;  // a rule without an id cannot be referenced; the first of duplicates wins
        }
        index.emplace(rule.id, rules.size());
        rules.push_back(rule_descriptor(rule, lang));
    }

    J results = J::array();
    for (const auto& finding : report.findings) {
        if (finding.status != Status::Fail && finding.status != Status::Error && finding.status != Status::Waived) {
            continue;
        }
        auto it = index.find(finding.rule);
        if (it == index.end()) {
            RuleEntry minimal_rule;
            minimal_rule.id = finding.rule;
            minimal_rule.title = finding.title;
            minimal_rule.area = finding.area;
            minimal_rule.severity = finding.severity;
            it = index.emplace(finding.rule, rules.size()).first;
            J descriptor = rule_descriptor(minimal_rule, lang);
            descriptor["properties"].erase("scored");  // the pack does not say
            rules.push_back(std::move(descriptor));
        }
        results.push_back(result_for(report, finding, it->second, lang));
    }

    J driver = J::object();
    driver["name"] = "lisa";
    driver["version"] = report.run.tool_version.empty() ? std::string(kVersion) : report.run.tool_version;
    driver["rules"] = rules;

    J run = J::object();
    run["tool"] = {{"driver", driver}};
    run["invocations"] = J::array({invocation_json(report)});
    run["language"] = lang == "sv" ? "sv-SE" : "en-US";
    run["results"] = results;
    J props = J::object();
    props["as_of"] = report.run.as_of;
    props["rule_pack_sha256"] = report.run.rule_pack_sha256;
    props["inventory_sha256"] = report.run.inventory_sha256;
    props["organization"] = report.organization.name;
    props["score"] = {{"overall", optional_json(report.score.overall.score)},
                      {"overall_without_waivers", optional_json(report.score.overall.score_without_waivers)},
                      {"coverage", report.score.overall.coverage}};
    run["properties"] = props;

    J sarif = J::object();
    sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    sarif["version"] = "2.1.0";
    sarif["runs"] = J::array({run});
    out << json_escape_controls(sarif.dump(2, ' ', false, J::error_handler_t::replace)) << '\n';
}

}  // namespace lisa
