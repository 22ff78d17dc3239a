// SPDX-License-Identifier: Apache-2.0
// JUnit XML (the Ant/Jenkins dialect every CI server reads) from the canonical JSON report.
//
//   <testsuites name tests failures errors skipped time>
//     <testsuite name=AREA tests failures errors skipped time="0" timestamp=run.started>
//       <properties> score, coverage, as_of, tool version, rule pack hash ... </properties>
//       <testcase classname=RULE name="SUBJECT: TITLE" time="0">
//         pass            -> no child
//         fail            -> <failure message=MESSAGE type=SEVERITY>details</failure>
//         error           -> <error message=MESSAGE type=SEVERITY>details</error>
//         not_applicable  -> <skipped message=MESSAGE/>
//         waived          -> <skipped message="waived: DECISION_REF, expires ...">details</skipped>
//         anything else   -> <error type="unknown-status"> (never silently a pass)
//
// Suites are the areas in byte order (every area of score.areas[] and of findings[]); testcases
// keep the report's order (rule, then subject). Output depends on the report alone.
#include "common.hpp"

#include <lisa/core/version.hpp>

#include <map>
#include <string>
#include <vector>

namespace lisa {
namespace {

using render_pipeline::array_at;
using render_pipeline::evidence_lines;
using render_pipeline::find_waiver;
using render_pipeline::localized;
using render_pipeline::member;
using render_pipeline::object_at;
using render_pipeline::text;
using render_pipeline::text_of;

std::string attr(std::string_view value) {
    return xml_escape(value, true);
}
std::string body(std::string_view value) {
    return xml_escape(value, false);
}

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::size_t skipped = 0;
};

enum class Outcome { Pass, Failure, Error, Skipped };

Outcome outcome_of(const std::string& status) {
    if (status == "pass") {
        return Outcome::Pass;
    }
    if (status == "fail") {
        return Outcome::Failure;
    }
    if (status == "not_applicable" || status == "waived") {
        return Outcome::Skipped;
    }
    return Outcome::Error;  // "error", and any status this renderer does not know
}

void count(Counts& c, Outcome o) {
    ++c.tests;
    switch (o) {
        case Outcome::Failure: ++c.failures; break;
        case Outcome::Error: ++c.errors; break;
        case Outcome::Skipped: ++c.skipped; break;
        case Outcome::Pass: break;
    }
}

std::string counts_attrs(const Counts& c) {
    return " tests=\"" + std::to_string(c.tests) + "\" failures=\"" + std::to_string(c.failures) +
           "\" errors=\"" + std::to_string(c.errors) + "\" skipped=\"" + std::to_string(c.skipped) +
           "\" time=\"0\"";
}

/// The detail text of a failure, error or waived testcase.
std::string details(const ReportJson& finding, const std::string& lang) {
    std::string out = text(finding, "message");
    const auto line = [&out](const std::string& label, const std::string& value) {
        if (!value.empty()) {
            out += "\n" + label + ": " + value;
        }
    };
    line("rule", text(finding, "rule") + " " + localized(member(finding, "title"), lang));
    line("subject",
         text(finding, "subject_kind") + " " + text(finding, "subject") +
             (text(finding, "subject_name").empty() ? std::string()
                                                    : " (" + text(finding, "subject_name") + ")"));
    line("severity", text(finding, "severity"));
    line("system", text(finding, "system"));
    line("owner", text(finding, "owner"));
    const auto evidence = evidence_lines(finding);
    if (!evidence.empty()) {
        out += "\nevidence:";
        for (const auto& e : evidence) {
            out += "\n  " + e;
        }
    }
    return out;
}

std::string waived_message(const ReportJson& report, const ReportJson& finding) {
    const ReportJson& waiver = object_at(finding, "waiver");
    std::string msg = "waived: decision " + text(waiver, "decision_ref");
    const std::string expires = text(waiver, "expires");
    if (!expires.empty()) {
        msg += ", expires " + expires;
    }
    if (const ReportJson* record = find_waiver(report, finding)) {
        const std::string by = text(*record, "decided_by");
        if (!by.empty()) {
            msg += ", decided by " + by;
        }
        const std::string reason = text(*record, "reason");
        if (!reason.empty()) {
            msg += ": " + reason;
        }
    }
    return msg;
}

void write_testcase(std::string& out, const ReportJson& report, const ReportJson& finding,
                    const std::string& lang) {
    const std::string status = text(finding, "status");
    const std::string title = localized(member(finding, "title"), lang);
    std::string name = text(finding, "subject");
    if (!title.empty()) {
        name += ": " + title;
    }
    out += "    <testcase classname=\"" + attr(text(finding, "rule")) + "\" name=\"" + attr(name) +
           "\" time=\"0\"";
    const std::string message = text(finding, "message");
    const std::string severity = text(finding, "severity");
    switch (outcome_of(status)) {
        case Outcome::Pass: out += "/>\n"; return;
        case Outcome::Failure:
            out += ">\n      <failure message=\"" + attr(message) + "\" type=\"" + attr(severity) +
                   "\">" + body(details(finding, lang)) + "</failure>\n";
            break;
        case Outcome::Error:
            if (status == "error") {
                out += ">\n      <error message=\"" + attr(message) + "\" type=\"" +
                       attr(severity) + "\">" + body(details(finding, lang)) + "</error>\n";
            } else {
                const std::string msg = "unknown status \"" + status + "\": " + message;
                out += ">\n      <error message=\"" + attr(msg) + "\" type=\"unknown-status\">" +
                       body(details(finding, lang)) + "</error>\n";
            }
            break;
        case Outcome::Skipped:
            if (status == "waived") {
                out += ">\n      <skipped message=\"" + attr(waived_message(report, finding)) +
                       "\">" + body(details(finding, lang)) + "</skipped>\n";
            } else {
                out += ">\n      <skipped message=\"" + attr(message) + "\"/>\n";
            }
            break;
    }
    out += "    </testcase>\n";
}

void write_property(std::string& out, const std::string& name, const std::string& value) {
    out += "      <property name=\"" + attr(name) + "\" value=\"" + attr(value) + "\"/>\n";
}

}  // namespace

void render_junit(const ReportJson& report, const RenderOptions& options, std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    const ReportJson& findings = array_at(report, "findings");
    const ReportJson& score = object_at(report, "score");
    const ReportJson& run = object_at(report, "run");
    const ReportJson& tool = object_at(report, "tool");

    // Areas: every area the score lists and every area a finding names, in byte order.
    std::map<std::string, std::vector<const ReportJson*>> suites;
    std::map<std::string, const ReportJson*> area_scores;
    for (const auto& area : array_at(score, "areas")) {
        const std::string id = text(area, "id");
        suites[id];
        area_scores.emplace(id, &area);
    }
    for (const auto& finding : findings) {
        suites[text(finding, "area")].push_back(&finding);
    }

    Counts total;
    std::map<std::string, Counts> suite_counts;
    for (const auto& [area, list] : suites) {
        Counts& c = suite_counts[area];
        for (const ReportJson* f : list) {
            const Outcome o = outcome_of(text(*f, "status"));
            count(c, o);
            count(total, o);
        }
    }

    const std::string version =
        member(tool, "version") != nullptr ? text(tool, "version") : std::string(kVersion);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    std::string suites_name = "lisa";
    const std::string org = text(object_at(report, "organization"), "name");
    if (!org.empty()) {
        suites_name += ": " + org;
    }
    xml += "<testsuites name=\"" + attr(suites_name) + "\"" + counts_attrs(total) + ">\n";
    for (const auto& [area, list] : suites) {
        xml += "  <testsuite name=\"" + attr(area) + "\"" + counts_attrs(suite_counts[area]);
        const std::string started = text(run, "started");
        if (!started.empty()) {
            xml += " timestamp=\"" + attr(started) + "\"";
        }
        xml += ">\n    <properties>\n";
        write_property(xml, "score.overall", text(score, "overall"));
        write_property(xml, "score.overall_without_waivers",
                       text(score, "overall_without_waivers"));
        write_property(xml, "score.coverage", text(score, "coverage"));
        if (auto it = area_scores.find(area); it != area_scores.end()) {
            write_property(xml, "area.score", text(*it->second, "score"));
            write_property(xml, "area.score_without_waivers",
                           text(*it->second, "score_without_waivers"));
            write_property(xml, "area.coverage", text(*it->second, "coverage"));
        }
        write_property(xml, "run.as_of", text(run, "as_of"));
        write_property(xml, "run.complete", text(run, "complete"));
        write_property(xml, "run.rule_pack_sha256", text(run, "rule_pack_sha256"));
        write_property(xml, "run.inventory_sha256", text(run, "inventory_sha256"));
        write_property(xml, "tool.name", text(tool, "name").empty() ? "lisa" : text(tool, "name"));
        write_property(xml, "tool.version", version);
        xml += "    </properties>\n";
        for (const ReportJson* f : list) {
            write_testcase(xml, report, *f, lang);
        }
        xml += "  </testsuite>\n";
    }
    xml += "</testsuites>\n";
    out << xml;
}

}  // namespace lisa
