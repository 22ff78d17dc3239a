// SPDX-License-Identifier: Apache-2.0
#include "common.hpp"

#include <lisa/engine/scan.hpp>

#include <cstdint>

namespace lisa::render_pipeline {
namespace {

const ReportJson& empty_array() {
    static const ReportJson value = ReportJson::array();
    return value;
}

const ReportJson& empty_object() {
    static const ReportJson value = ReportJson::object();
    return value;
}

std::string dump_json(const ReportJson& j) {
    return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

}  // namespace

const ReportJson* member(const ReportJson& j, std::string_view key) noexcept {
    if (!j.is_object()) {
        return nullptr;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == key) {
            return &it.value();
        }
    }
    return nullptr;
}

std::string text_of(const ReportJson* j) {
    if (j == nullptr || j->is_null()) {
        return {};
    }
    if (j->is_string()) {
        return j->get_ref<const std::string&>();
    }
    return dump_json(*j);
}

std::string text(const ReportJson& j, std::string_view key) {
    return text_of(member(j, key));
}

const ReportJson& array_at(const ReportJson& j, std::string_view key) noexcept {
    const ReportJson* m = member(j, key);
    return m != nullptr && m->is_array() ? *m : empty_array();
}

const ReportJson& object_at(const ReportJson& j, std::string_view key) noexcept {
    const ReportJson* m = member(j, key);
    return m != nullptr && m->is_object() ? *m : empty_object();
}

std::string normalize_lang(std::string_view lang) {
    return lang == "en" ? "en" : "sv";
}

std::string localized(const ReportJson* j, std::string_view lang) {
    if (j == nullptr) {
        return {};
    }
    if (j->is_string()) {
        return j->get_ref<const std::string&>();
    }
    if (!j->is_object()) {
        return {};
    }
    const std::string first = normalize_lang(lang);
    const std::string second = first == "sv" ? "en" : "sv";
    for (const std::string& key : {first, second}) {
        const ReportJson* m = member(*j, key);
        if (m != nullptr && m->is_string()) {
            return m->get_ref<const std::string&>();
        }
    }
    for (const auto& value : *j) {
        if (value.is_string()) {
            return value.get_ref<const std::string&>();
        }
    }
    return {};
}

int severity_rank(std::string_view severity) noexcept {
    if (severity == "critical") {
        return 0;
    }
    if (severity == "high") {
        return 1;
    }
    if (severity == "medium") {
        return 2;
    }
    if (severity == "low") {
        return 3;
    }
    if (severity == "info") {
        return 4;
    }
    return 5;
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line.push_back(',');
        }
        line += csv_field(fields[i]);
    }
    line += "\r\n";
    out << line;
}

const ReportJson* find_rule(const ReportJson& report, std::string_view id) noexcept {
    for (const auto& rule : array_at(report, "rules")) {
        const ReportJson* rid = member(rule, "id");
        if (rid != nullptr && rid->is_string() && rid->get_ref<const std::string&>() == id) {
            return &rule;
        }
    }
    return nullptr;
}

std::vector<std::string> evidence_lines(const ReportJson& finding) {
    std::vector<std::string> lines;
    const ReportJson& evidence = object_at(finding, "evidence");
    for (auto it = evidence.begin(); it != evidence.end(); ++it) {
        std::string line = it.key() + " = ";
        const ReportJson& fact = it.value();
        if (fact.is_object()) {
            line += text(fact, "value");
            const std::string provenance = text(fact, "provenance");
            const std::string source = text(fact, "source");
            if (!provenance.empty() || !source.empty()) {
                line += " (" + provenance;
                if (!provenance.empty() && !source.empty()) {
                    line += ", ";
                }
                line += source + ")";
            }
        } else {
            line += text_of(&fact);
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

const ReportJson* find_waiver(const ReportJson& report, const ReportJson& finding) {
    const ReportJson& applied = object_at(finding, "waiver");
    const std::string decision_ref = text(applied, "decision_ref");
    const std::string rule = text(finding, "rule");
    const std::string subject = text(finding, "subject");
    const ReportJson* by_ref = nullptr;
    for (const auto& waiver : array_at(report, "waivers")) {
        if (text(waiver, "decision_ref") != decision_ref) {
            continue;
        }
        if (glob_match(text(waiver, "rule"), rule) &&
            glob_match(text(waiver, "subject"), subject)) {
            return &waiver;
        }
        if (by_ref == nullptr) {
            by_ref = &waiver;
        }
    }
    return decision_ref.empty() ? nullptr : by_ref;
}

}  // namespace lisa::render_pipeline
