// SPDX-License-Identifier: Apache-2.0
// SARIF 2.1.0 from the canonical JSON report: one run; tool.driver.rules[] is the report's rule
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
//   pass, not_applicable, and any unknown status -> no result (the JSON report has them).
// invocations[0]: executionSuccessful = run.complete (false when a check could not be made),
// start/end from run.started/finished, and one toolExecutionNotification per failed probe.
// Every result carries properties.status with the finding's own status.
// Rules referenced by a finding but missing from rules[] get a minimal descriptor appended,
// so ruleIndex is always valid.
#include "common.hpp"

#include <lisa/core/version.hpp>

#include <map>
#include <string>

namespace lisa {
namespace {

using render_pipeline::array_at;
using render_pipeline::find_waiver;
using render_pipeline::localized;
using render_pipeline::member;
using render_pipeline::object_at;
using render_pipeline::text;

using J = ReportJson;

std::string level_of(const std::string& severity) {
    if (severity == "critical" || severity == "high") {
        return "error";
    }
    if (severity == "medium") {
        return "warning";
    }
    return "note";  // low, info, and anything unknown
}

/// GitHub code scanning's "security-severity" (a CVSS-like score as a string).
std::string security_severity(const std::string& severity) {
    if (severity == "critical") {
        return "9.5";
    }
    if (severity == "high") {
        return "8.0";
    }
    if (severity == "medium") {
        return "5.5";
    }
    if (severity == "low") {
        return "3.0";
    }
    return "0.0";
}

J string_array(const J* j) {
    J out = J::array();
    if (j != nullptr && j->is_array()) {
        for (const auto& v : *j) {
            out.push_back(render_pipeline::text_of(&v));
        }
    }
    return out;
}

J rule_descriptor(const J& rule, const std::string& lang) {
    const std::string id = text(rule, "id");
    const std::string severity = text(rule, "severity");
    const std::string area = text(rule, "area");
    std::string title = localized(member(rule, "title"), lang);
    if (title.empty()) {
        title = id;
    }
    const bool sv = lang == "sv";
    std::string full = title;
    const std::string for_each = text(rule, "for_each");
    if (!for_each.empty()) {
        full += sv ? ". Gäller varje " + for_each : ". Applies to each " + for_each;
    }
    const J references = string_array(member(rule, "references"));
    if (!references.empty()) {
        full += sv ? ". Referenser: " : ". References: ";
        for (std::size_t i = 0; i < references.size(); ++i) {
            full += (i > 0 ? "; " : "") + references[i].get<std::string>();
        }
    }
    full += ".";

    J d = J::object();
    d["id"] = id;
    d["name"] = id;
    d["shortDescription"] = {{"text", title}};
    d["fullDescription"] = {{"text", full}};
    std::string remediation = localized(member(rule, "remediation"), lang);
    if (remediation.empty()) {
        remediation = title;
    }
    d["help"] = {{"text", remediation}};
    d["defaultConfiguration"] = {{"level", level_of(severity)}};
    J tags = J::array({"security", "compliance"});
    if (!area.empty()) {
        tags.push_back(area);
    }
    const std::string indicator = text(rule, "indicator");
    if (!indicator.empty()) {
        tags.push_back(indicator);
    }
    J props = J::object();
    props["area"] = area;
    props["severity"] = severity;
    props["security-severity"] = security_severity(severity);
    props["references"] = references;
    props["tags"] = tags;
    if (!for_each.empty()) {
        props["for_each"] = for_each;
    }
    if (!indicator.empty()) {
        props["indicator"] = indicator;
    }
    if (const J* scored = member(rule, "scored"); scored != nullptr && scored->is_boolean()) {
        props["scored"] = *scored;
    }
    d["properties"] = props;
    return d;
}

J copy_or_null(const J* j) {
    return j != nullptr ? *j : J(nullptr);
}

J result_for(const J& report, const J& finding, std::size_t rule_index, const std::string& lang) {
    const std::string status = text(finding, "status");
    const std::string severity = text(finding, "severity");
    const std::string subject = text(finding, "subject");
    const std::string kind = text(finding, "subject_kind");
    std::string message = text(finding, "message");
    if (message.empty()) {
        message = localized(member(finding, "title"), lang);
    }
    if (message.empty()) {
        message = text(finding, "rule") + " " + status;
    }

    J r = J::object();
    r["ruleId"] = text(finding, "rule");
    r["ruleIndex"] = rule_index;
    if (status == "error") {
        r["kind"] = "open";
        r["level"] = "none";
    } else {
        r["kind"] = "fail";
        r["level"] = level_of(severity);
    }
    r["message"] = {{"text", message}};
    J logical = J::object();
    logical["name"] = subject;
    logical["fullyQualifiedName"] = kind + ":" + subject;
    logical["kind"] = kind;
    r["locations"] = J::array({J{{"logicalLocations", J::array({logical})}}});
    r["partialFingerprints"] = {
        {"lisaFinding/v1", text(finding, "rule") + "|" + kind + ":" + subject}};
    if (status == "waived") {
        const J& waiver = object_at(finding, "waiver");
        const J* record = find_waiver(report, finding);
        J suppression = J::object();
        suppression["kind"] = "external";
        suppression["status"] = "accepted";
        std::string justification = record != nullptr ? text(*record, "reason") : std::string();
        if (justification.empty()) {
            justification = "waiver " + text(waiver, "decision_ref");
        }
        suppression["justification"] = justification;
        J sp = J::object();
        sp["decision_ref"] = text(waiver, "decision_ref");
        sp["expires"] = text(waiver, "expires");
        if (record != nullptr) {
            sp["decided_by"] = text(*record, "decided_by");
        }
        suppression["properties"] = sp;
        r["suppressions"] = J::array({suppression});
    }
    J props = J::object();
    props["status"] = status;
    props["severity"] = severity;
    props["area"] = text(finding, "area");
    props["subject_kind"] = kind;
    props["subject_name"] = text(finding, "subject_name");
    props["system"] = copy_or_null(member(finding, "system"));
    props["owner"] = copy_or_null(member(finding, "owner"));
    props["evidence"] = object_at(finding, "evidence");
    if (const J* unwaived = member(finding, "unwaived_status")) {
        props["unwaived_status"] = *unwaived;
    }
    r["properties"] = props;
    return r;
}

}  // namespace

void render_sarif(const ReportJson& report, const RenderOptions& options, std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    const J& tool = object_at(report, "tool");
    const J& run_info = object_at(report, "run");
    const J& score = object_at(report, "score");

    J rules = J::array();
    std::map<std::string, std::size_t> index;
    for (const auto& rule : array_at(report, "rules")) {
        const J* id = member(rule, "id");
        if (id == nullptr || !id->is_string() || index.count(id->get<std::string>()) > 0) {
            continue;  // a rule without an id cannot be referenced; the first of duplicates wins
        }
        index.emplace(id->get<std::string>(), rules.size());
        rules.push_back(rule_descriptor(rule, lang));
    }

    J results = J::array();
    for (const auto& finding : array_at(report, "findings")) {
        const std::string status = text(finding, "status");
        if (status != "fail" && status != "error" && status != "waived") {
            continue;
        }
        const std::string rule_id = text(finding, "rule");
        auto it = index.find(rule_id);
        if (it == index.end()) {
            J minimal_rule = J::object();
            minimal_rule["id"] = rule_id;
            minimal_rule["title"] = copy_or_null(member(finding, "title"));
            minimal_rule["area"] = text(finding, "area");
            minimal_rule["severity"] = text(finding, "severity");
            it = index.emplace(rule_id, rules.size()).first;
            rules.push_back(rule_descriptor(minimal_rule, lang));
        }
        results.push_back(result_for(report, finding, it->second, lang));
    }

    J driver = J::object();
    driver["name"] = "lisa";
    driver["version"] =
        member(tool, "version") != nullptr ? text(tool, "version") : std::string(kVersion);
    driver["rules"] = rules;

    J run = J::object();
    run["tool"] = {{"driver", driver}};
    J invocation = J::object();
    const J* complete = member(run_info, "complete");
    invocation["executionSuccessful"] =
        complete == nullptr || !complete->is_boolean() || complete->get<bool>();
    const std::string started = text(run_info, "started");
    const std::string finished = text(run_info, "finished");
    if (!started.empty()) {
        invocation["startTimeUtc"] = started;
    }
    if (!finished.empty()) {
        invocation["endTimeUtc"] = finished;
    }
    // Probes that failed: the reasons behind "error" findings, as tool execution notifications.
    J notifications = J::array();
    for (const auto& probe : array_at(report, "probes")) {
        const std::string error = text(probe, "error");
        if (error.empty()) {
            continue;
        }
        J n = J::object();
        n["level"] = "error";
        n["message"] = {{"text", text(probe, "probe") + " probe on " + text(probe, "subject") +
                                     " (" + text(probe, "target") + "): " + error}};
        J nprops = J::object();
        nprops["probe"] = text(probe, "probe");
        nprops["subject"] = text(probe, "subject");
        nprops["target"] = text(probe, "target");
        n["properties"] = nprops;
        notifications.push_back(n);
    }
    if (!notifications.empty()) {
        invocation["toolExecutionNotifications"] = notifications;
    }
    run["invocations"] = J::array({invocation});
    run["language"] = lang == "sv" ? "sv-SE" : "en-US";
    run["results"] = results;
    J props = J::object();
    props["as_of"] = text(run_info, "as_of");
    props["rule_pack_sha256"] = text(run_info, "rule_pack_sha256");
    props["inventory_sha256"] = text(run_info, "inventory_sha256");
    props["organization"] = text(object_at(report, "organization"), "name");
    props["score"] = {
        {"overall", copy_or_null(member(score, "overall"))},
        {"overall_without_waivers", copy_or_null(member(score, "overall_without_waivers"))},
        {"coverage", copy_or_null(member(score, "coverage"))}};
    run["properties"] = props;

    J sarif = J::object();
    sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    sarif["version"] = "2.1.0";
    sarif["runs"] = J::array({run});
    out << json_escape_controls(sarif.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace)) << '\n';
}

}  // namespace lisa
