// SPDX-License-Identifier: Apache-2.0
// Small string conversions of the core enums.
#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/fact.hpp"
#include "lisa/core/severity.hpp"
#include "lisa/core/subject.hpp"

namespace lisa {

std::string_view to_string(Provenance provenance) noexcept {
    switch (provenance) {
        case Provenance::Declared: return "declared";
        case Provenance::Attested: return "attested";
        case Provenance::Document: return "document";
        case Provenance::Probed: return "probed";
    }
    return "declared";
}

std::optional<Provenance> provenance_from_string(std::string_view text) noexcept {
    for (auto p : {Provenance::Declared, Provenance::Attested, Provenance::Document, Provenance::Probed}) {
        if (to_string(p) == text) {
            return p;
        }
    }
    return std::nullopt;
}

std::string_view to_string(Severity severity) noexcept {
    switch (severity) {
        case Severity::Info: return "info";
        case Severity::Low: return "low";
        case Severity::Medium: return "medium";
        case Severity::High: return "high";
        case Severity::Critical: return "critical";
    }
    return "info";
}

std::optional<Severity> severity_from_string(std::string_view text) noexcept {
    for (auto s : {Severity::Info, Severity::Low, Severity::Medium, Severity::High,
                   Severity::Critical}) {
        if (to_string(s) == text) {
            return s;
        }
    }
    return std::nullopt;
}

int severity_weight(Severity severity) noexcept {
    switch (severity) {
        case Severity::Critical: return 10;
        case Severity::High: return 6;
        case Severity::Medium: return 3;
        case Severity::Low: return 1;
        case Severity::Info: return 0;
    }
    return 0;
}

std::string_view to_string(SubjectKind kind) noexcept {
    switch (kind) {
        case SubjectKind::Organization: return "organization";
        case SubjectKind::System: return "system";
        case SubjectKind::Endpoint: return "endpoint";
        case SubjectKind::Directory: return "directory";
        case SubjectKind::AccessGroup: return "access_group";
        case SubjectKind::EService: return "e_service";
        case SubjectKind::Document: return "document";
    }
    return "organization";
}

const std::vector<SubjectKind>& all_subject_kinds() {
    static const std::vector<SubjectKind> kinds = {
        SubjectKind::Organization, SubjectKind::System,   SubjectKind::Endpoint,
        SubjectKind::Directory,    SubjectKind::AccessGroup, SubjectKind::EService,
        SubjectKind::Document};
    return kinds;
}

std::optional<SubjectKind> subject_kind_from_string(std::string_view text) noexcept {
    for (auto k : all_subject_kinds()) {
        if (to_string(k) == text) {
            return k;
        }
    }
    return std::nullopt;
}

std::string Diagnostic::to_string() const {
    return location.file + ":" + std::to_string(location.line) + ":" +
           std::to_string(location.column) + ": " + message;
}

void Diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.location.file, a.location.line, a.location.column) <
               std::tie(b.location.file, b.location.line, b.location.column);
    });
}

const Value* find_value(const Facts& facts, std::string_view name) {
    const auto it = facts.find(name);
    return it == facts.end() ? nullptr : &it->second.value;
}

std::string string_fact(const Facts& facts, std::string_view name, std::string fallback) {
    if (const Value* v = find_value(facts, name)) {
        if (const auto* s = v->as_string()) {
            return *s;
        }
    }
    return fallback;
}

}  // namespace lisa
