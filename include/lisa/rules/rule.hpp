// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/fact.hpp"
#include "lisa/core/severity.hpp"
#include "lisa/core/subject.hpp"
#include "lisa/rules/condition.hpp"

namespace lisa {

/// Text in Swedish and English.
struct Text {
    std::string sv;
    std::string en;
    [[nodiscard]] const std::string& in(std::string_view lang) const {
        return lang == "en" ? en : sv;
    }
};

/// One declarative check (DESIGN §6).
struct Rule {
    std::string id;
    Text title;
    Text remediation;
    std::string area;
    Severity severity = Severity::Medium;
    std::string indicator;                 ///< Socialstyrelsen indicator id, may be empty
    std::vector<std::string> references;   ///< "ISO/IEC 27001:2022 A.5.1", "Socialstyrelsen 2023 tabell 15"
    SubjectKind for_each = SubjectKind::Organization;
    std::optional<Condition> where;
    Condition expect;
    std::optional<Provenance> require;     ///< minimum provenance of the facts `expect` reads
    std::map<std::string, Value> params;   ///< defaults, overridable from the inventory
    bool scored = true;
    SourceLocation location;
};

}  // namespace lisa
