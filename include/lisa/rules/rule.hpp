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

/**
 * Where a rule's requirement comes from, typed so that no rule reads as Socialstyrelsen's backing
 * for a requirement the survey does not contain:
 *  - `survey`: a Socialstyrelsen table or text that asks exactly this; `ref` is the source id of
 *    rules/benchmarks/socialstyrelsen.yaml ("003 T15", "000 B2 T3", "003 body text");
 *  - `guidance`: an authority's guidance named in the domain catalogue §3.2 (MSB, IMY, SKR,
 *    Socialstyrelsen 2019, Inera) — only those names are accepted;
 *  - `law`: a statute ("EU:s allmänna dataskyddsförordning (EU) 2016/679 art. 28");
 *  - `iso`: an ISO/IEC 27001:2022 clause or Annex A control ("ISO/IEC 27001:2022 A.8.5");
 *  - `baseline`: lisa's own requirement (a threshold or interval no source sets), or a technical
 *    standard lisa applies (an IETF RFC); `ref` says which.
 */
struct Reference {
    std::string kind;  ///< survey | guidance | law | iso | baseline
    std::string ref;
    /// Human-readable form: survey ids are spelled out ("Socialstyrelsen 2023 tabell 15"),
    /// baseline references say they are lisa's.
    [[nodiscard]] std::string display() const;
};

/// The guidance names a `guidance` reference may use (domain catalogue §3.2).
[[nodiscard]] const std::vector<std::string>& known_guidance();

/// One declarative check (DESIGN §6).
struct Rule {
    std::string id;
    Text title;
    Text remediation;
    std::string area;
    Severity severity = Severity::Medium;
    std::string indicator;                 ///< Socialstyrelsen indicator id, may be empty
    std::vector<std::string> references;   ///< display forms of `typed_references`, same order
    std::vector<Reference> typed_references;
    SubjectKind for_each = SubjectKind::Organization;
    std::optional<Condition> where;
    Condition expect;
    std::optional<Provenance> require;     ///< minimum provenance of the facts `expect` reads
    std::map<std::string, Value> params;   ///< defaults, overridable from the inventory
    bool scored = true;
    SourceLocation location;
};

}  // namespace lisa
