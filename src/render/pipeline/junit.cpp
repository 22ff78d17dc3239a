// SPDX-License-Identifier: Apache-2.0
// JUnit XML (the Ant/Jenkins dialect every CI server reads) from the typed report.
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

using render_pipeline::evidence_lines;
using render_pipeline::kind_text;
using render_pipeline::localized;
using render_pipeline::number_text;

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

Outcome outcome_of(Status status) {
    switch (status) {
        case Status::Pass: return Outcome::Pass;
        case Status::Fail: return Outcome::Failure;
        case Status::NotApplicable:
        case Status::Waived: return Outcome::Skipped;
        case Status::Error: return Outcome::Error;
    }
    return Outcome::Error;
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
std::string details(const ReportFinding& finding, const std::string& lang) {
    std::string out = finding.message;
    const auto line = [&out](const std::string& label, const std::string& value) {
        if (!value.empty()) {
            out += "\n" + label + ": " + value;
        }
    };
    line("rule", finding.rule + " " + localized(finding.title, lang));
    line("subject", kind_text(finding) + " " + finding.subject +
                        (finding.subject_name.empty() ? std::string() : " (" + finding.subject_name + ")"));
    line("severity", std::string(to_string(finding.severity)));
    line("system", finding.system.value_or(""));
    line("owner", finding.owner.value_or(""));
    const auto evidence = evidence_lines(finding);
    if (!evidence.empty()) {
        out += "\nevidence:";
        for (const auto& e : evidence) {
            out += "\n  " + e;
        }
    }
    return out;
}

std::string waived_message(const ReportDocument& report, const ReportFinding& finding) {
    std::string msg = "waived: decision " + (finding.waiver ? finding.waiver->decision_ref : std::string());
    const std::string expires = finding.waiver ? finding.waiver->expires : std::string();
    if (!expires.empty()) {
        msg += ", expires " + expires;
    }
    if (const WaiverRecord* record = render_pipeline::applied_waiver(report, finding)) {
        if (!record->decision.decided_by.empty()) {
            msg += ", decided by " + record->decision.decided_by;
        }
        if (!record->reason.empty()) {
            msg += ": " + record->reason;
        }
    }
    return msg;
}

void write_testcase(std::string& out, const ReportDocument& report, const ReportFinding& finding,
                    const std::string& lang) {
    const std::string title = localized(finding.title, lang);
    std::string name = finding.subject;
    if (!title.empty()) {
        name += ": " + title;
    }
    out += "    <testcase classname=\"" + attr(finding.rule) + "\" name=\"" + attr(name) + "\" time=\"0\"";
    const std::string& message = finding.message;
    const std::string severity(to_string(finding.severity));
    switch (outcome_of(finding.status)) {
        case Outcome::Pass: out += "/>\n"; return;
        case Outcome::Failure:
            out += ">\n      <failure message=\"" + attr(message) + "\" type=\"" + attr(severity) +
                   "\">" + body(details(finding, lang)) + "</failure>\n";
            break;
        case Outcome::Error:
            out += ">\n      <error message=\"" + attr(message) + "\" type=\"" + attr(severity) + "\">" +
                   body(details(finding, lang)) + "</error>\n";
            break;
        case Outcome::Skipped:
            if (finding.status == Status::Waived) {
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

void write_suite(std::string& xml, const ReportDocument& report, const std::string& area,
                 const std::vector<const ReportFinding*>& list, const Counts& counts, const std::string& lang) {
    xml += "  <testsuite name=\"" + attr(area) + "\"" + counts_attrs(counts);
    if (!report.run.started.empty()) {
        xml += " timestamp=\"" + attr(report.run.started) + "\"";
    }
    xml += ">\n    <properties>\n";
    const AreaScore& overall = report.score.overall;
    write_property(xml, "score.overall", number_text(overall.score));
    write_property(xml, "score.overall_without_waivers", number_text(overall.score_without_waivers));
    write_property(xml, "score.coverage", number_text(overall.coverage));
    for (const auto& a : report.score.areas) {
        if (a.result.id == area) {
            write_property(xml, "area.score", number_text(a.result.score));
            write_property(xml, "area.score_without_waivers", number_text(a.result.score_without_waivers));
            write_property(xml, "area.coverage", number_text(a.result.coverage));
            break;
        }
    }
    write_property(xml, "run.as_of", report.run.as_of);
    write_property(xml, "run.complete", report.run.complete ? "true" : "false");
    write_property(xml, "run.rule_pack_sha256", report.run.rule_pack_sha256);
    write_property(xml, "run.inventory_sha256", report.run.inventory_sha256);
    write_property(xml, "tool.name", report.run.tool_name.empty() ? "lisa" : report.run.tool_name);
    write_property(xml, "tool.version", report.run.tool_version.empty() ? std::string(kVersion) : report.run.tool_version);
    xml += "    </properties>\n";
    for (const ReportFinding* f : list) {
        write_testcase(xml, report, *f, lang);
    }
    xml += "  </testsuite>\n";
}

}  // namespace

void render_junit(const ReportDocument& report, const RenderOptions& options, std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    // Areas: every area the score lists and every area a finding names, in byte order.
    std::map<std::string, std::vector<const ReportFinding*>> suites;
    for (const auto& area : report.score.areas) {
        suites[area.result.id];
    }
    for (const auto& finding : report.findings) {
        suites[finding.area].push_back(&finding);
    }
    Counts total;
    std::map<std::string, Counts> suite_counts;
    for (const auto& [area, list] : suites) {
        Counts& c = suite_counts[area];
        for (const ReportFinding* f : list) {
            const Outcome o = outcome_of(f->status);
            count(c, o);
            count(total, o);
        }
    }
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    std::string suites_name = "lisa";
    if (!report.organization.name.empty()) {
        suites_name += ": " + report.organization.name;
    }
    xml += "<testsuites name=\"" + attr(suites_name) + "\"" + counts_attrs(total) + ">\n";
    for (const auto& [area, list] : suites) {
        write_suite(xml, report, area, list, suite_counts[area], lang);
    }
    xml += "</testsuites>\n";
    out << xml;
}

}  // namespace lisa
