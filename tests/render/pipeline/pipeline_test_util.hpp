// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the pipeline renderer tests: the example report, hostile and odd reports,
// rendering to a string, a strict RFC 4180 parser and xmllint.
#pragma once

#include <lisa/report/render.hpp>

#include <nlohmann/json.hpp>

#include <process.hpp>

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace lisa {
/// The tests edit reports as JSON (as a hand-edited or old saved report would be) and render
/// them through report_from_json: the renderer sees the typed model, the edits its reading.
using ReportJson = nlohmann::ordered_json;
}  // namespace lisa

namespace lisa::pipeline_test {

/// The typed report of a JSON document through report_from_json; an object missing the report
/// markers (schema_version, findings) gets them, so the odd-report tests reach the lenient
/// field reading. nullopt when report_from_json refuses it (not an object).
inline std::optional<ReportDocument> document_of(ReportJson report) {
    if (report.is_object()) {
        if (!report.contains("schema_version")) {
            report["schema_version"] = 1;
        }
        if (!report.contains("findings")) {
            report["findings"] = ReportJson::array();
        }
    }
    auto doc = report_from_json(report.dump(-1, ' ', false, ReportJson::error_handler_t::replace));
    if (!doc) {
        return std::nullopt;
    }
    return std::move(doc).value();
}

inline std::string source_path(const std::string& relative) {
    return std::string(LISA_SOURCE_DIR) + "/" + relative;
}

/// tests/data/expected/exempelkommun.json, the canonical report of the example municipality.
inline ReportJson example_report() {
    return ReportJson::parse(
        testing_support::read_file(source_path("tests/data/expected/exempelkommun.json")));
}

using Renderer = ReportRenderer;

/// Renders the typed report of `report`; a document report_from_json refuses renders as "".
inline std::string render(Renderer renderer, const ReportJson& report,
                          const std::string& lang = "sv") {
    RenderOptions options;
    options.lang = lang;
    const auto doc = document_of(report);
    if (!doc) {
        return {};
    }
    std::ostringstream out;
    renderer(*doc, options, out);
    return out.str();
}

/// Number of findings with this status.
inline std::size_t count_status(const ReportJson& report, const std::string& status) {
    std::size_t n = 0;
    for (const auto& f : report["findings"]) {
        if (f.value("status", std::string()) == status) {
            ++n;
        }
    }
    return n;
}

/// The finding for rule × subject (must exist).
inline ReportJson& finding(ReportJson& report, const std::string& rule,
                           const std::string& subject) {
    for (auto& f : report["findings"]) {
        if (f["rule"] == rule && f["subject"] == subject) {
            return f;
        }
    }
    throw std::runtime_error("no finding " + rule + " " + subject);
}

/// Markup, quotes, ampersands, a CDATA terminator, C0 controls, a NUL, a lone CR and LF, a
/// non-character and bytes that are not UTF-8.
inline std::string hostile_text() {
    std::string s = "<script>alert(\"x&y\")</script> ]]> 'q' \x01\x08\x0b\x0c\x1b";
    s.push_back('\0');
    s += "tab\there\rcr\nlf \xEF\xBF\xBE \xC3\x28 \xFF end \xC3\xA5\xC3\xA4\xC3\xB6";
    return s;
}

/// What clean text the renderers make of hostile_text(): controls and U+FFFE removed, invalid
/// bytes replaced by U+FFFD.
inline std::string hostile_text_cleaned() {
    return "<script>alert(\"x&y\")</script> ]]> 'q' tab\there\rcr\nlf  \xEF\xBF\xBD( \xEF\xBF\xBD "
           "end \xC3\xA5\xC3\xA4\xC3\xB6";
}

/// The example with hostile text in every field a renderer writes, and one error finding.
inline ReportJson hostile_report() {
    ReportJson report = example_report();
    const std::string h = hostile_text();
    report["organization"]["name"] = h;
    report["run"]["rule_pack_sha256"] = h;
    report["score"]["areas"][0]["id"] = h;
    for (auto& f : report["findings"]) {
        f["message"] = h + f["message"].get<std::string>();
        f["subject_name"] = h;
        f["owner"] = h;
        f["evidence"][h] = {{"value", h}, {"provenance", h}, {"source", h}};
    }
    auto& first = report["findings"][0];
    first["rule"] = h;
    first["subject"] = h;
    first["area"] = h;
    first["title"] = {{"sv", h}, {"en", h}};
    first["severity"] = h;
    first["status"] = "error";
    report["rules"][0]["id"] = h;
    report["rules"][0]["title"]["sv"] = h;
    report["rules"][0]["remediation"]["sv"] = h;
    report["rules"][0]["references"].push_back(h);
    return report;
}

/// Reports with the wrong types everywhere. (Documents that are not objects never reach a
/// renderer: report_from_json refuses them, DocumentJson.RefusesWhatIsNotAReport.)
inline std::vector<ReportJson> odd_reports() {
    std::vector<ReportJson> out;
    out.push_back(ReportJson::object());
    out.push_back(ReportJson::parse(R"({"findings": 7, "rules": "x", "score": [], "run": 1})"));
    out.push_back(ReportJson::parse(R"({
      "tool": {"version": 3}, "run": {"started": null, "complete": "yes"},
      "score": {"overall": null, "areas": [1, {"id": 2}, {"id": null}]},
      "findings": [1, null, "x", [], {},
        {"rule": 5, "subject": ["a"], "status": "fail", "severity": 9, "title": 3,
         "evidence": [1], "waiver": "w"},
        {"rule": "R-1", "status": "waived", "waiver": {"decision_ref": 1}, "evidence": {"f": 1}},
        {"rule": "R-2", "status": "error", "title": {"de": "nur deutsch"}, "message": null},
        {"rule": "R-3", "status": "bogus", "area": "x", "evidence": {"f": {"value": [1, {"a": 2}]}}}],
      "rules": [1, {"id": 7}, {"id": "R-1", "title": [], "remediation": 4, "references": "r"},
                {"id": "R-1"}],
      "waivers": [null, {"decision_ref": 1, "rule": 2}],
      "probes": [{"error": "connection refused"}, 3]
    })"));
    std::string bad_utf8 = "\xC3";
    ReportJson with_bad = example_report();
    with_bad["findings"][0]["message"] = bad_utf8;
    with_bad["findings"][0]["status"] = "fail";
    out.push_back(with_bad);
    return out;
}

/// A strict RFC 4180 parser: records end with CRLF (the last one too); a field is either
/// unquoted (no comma, quote, CR or LF) or quoted with quotes doubled. nullopt when the input
/// breaks any of these rules.
inline std::optional<std::vector<std::vector<std::string>>> parse_rfc4180(const std::string& in) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::size_t i = 0;
    if (in.empty()) {
        return records;
    }
    while (i < in.size()) {
        std::string field;
        if (in[i] == '"') {
            ++i;
            for (;;) {
                if (i >= in.size()) {
                    return std::nullopt;  // unterminated quote
                }
                if (in[i] == '"') {
                    if (i + 1 < in.size() && in[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field.push_back(in[i++]);
            }
        } else {
            while (i < in.size() && in[i] != ',' && in[i] != '\r') {
                if (in[i] == '"' || in[i] == '\n') {
                    return std::nullopt;  // quote or bare LF in an unquoted field
                }
                field.push_back(in[i++]);
            }
        }
        record.push_back(std::move(field));
        if (i >= in.size()) {
            return std::nullopt;  // the last record must end with CRLF
        }
        if (in[i] == ',') {
            ++i;
            if (i >= in.size()) {
                return std::nullopt;
            }
            continue;
        }
        if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') {
            i += 2;
            records.push_back(std::move(record));
            record.clear();
            continue;
        }
        return std::nullopt;  // anything else after a field
    }
    return records;
}

struct ToolResult {
    int status = -1;
    std::string output;  ///< stdout and stderr
};

inline ToolResult run_tool(const std::vector<std::string>& argv) {
    ToolResult r;
    try {
        r.status = testing_support::run_command(argv, &r.output);
    } catch (const std::exception& e) {
        r.output = std::string("cannot run ") + argv.front() +
                   " (Debian package libxml2-utils): " + e.what();
    }
    return r;
}

}  // namespace lisa::pipeline_test
