// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/subject.hpp"
#include "lisa/rules/rule.hpp"

namespace lisa {

/// How an indicator's answer is broken down, as the survey asks it.
enum class Breakdown { None, Scope, Verksamhetsomrade };

/// One answer row of a broken-down indicator: the survey's name and the inventory values it covers.
struct BreakdownValue {
    std::string name;                  ///< as the survey (and the benchmark file) names it
    std::vector<std::string> matches;  ///< inventory scopes or verksamhetsområden it covers
    /// The same area under an earlier edition's name (2021 "Funktionshinder (LSS och SoL)",
    /// "Äldreomsorg i ordinärt boende"): the benchmark figures filed under it belong to this row.
    std::vector<std::string> earlier_names;
};

/**
 * A Socialstyrelsen survey question answered from findings (DESIGN §7): each `unit` (a system,
 * an e-service, a document, the organisation) passes when all its judged findings of `rules`
 * pass; all units pass → answers.all, none → answers.none, otherwise answers.some.
 */
/// The period an indicator is asked about, counted from `--as-of` (the survey year is as-of's year).
enum class Period {
    State,         ///< the state when the survey is answered ("har kommunen …")
    PreviousYear,  ///< the previous calendar year ("under 2025 gjort …"), Jan 1 – Dec 31
};

struct IndicatorDef {
    std::string id;           ///< "SEC-AUTH-EXT"; the id in rules/benchmarks/socialstyrelsen.yaml
    Text title;
    /// The question as the survey asks it. The reports print no questionnaire: the wording follows
    /// their body text ("I enkäten tillfrågas kommunerna om …"), `question_basis` names where.
    /// "{år}" stands for the year a previous_year question asks about.
    std::string question_sv;
    std::string question_basis;  ///< e.g. "003 brödtext (Informationssäkerhet)"
    Text criteria;            ///< lisa's interpretation: what evidence makes which answer
    Period period = Period::State;
    /// Only units whose nearest `scopes` contain this (e.g. "socialtjanst": the systems the
    /// social-services staff use); empty = every unit.
    std::string within_scope;
    /// A provider (utförar) question: not asked for an area whose driftsform is helt_overlaten.
    bool provider = false;
    /// Rules whose failing findings on a counted unit are a caveat on the answer, not a verdict
    /// (a declared requirement the directory contradicts).
    std::vector<std::string> contradictions;
    SubjectKind unit = SubjectKind::System;
    Breakdown breakdown = Breakdown::None;
    std::vector<BreakdownValue> values;
    std::string role;         ///< only units whose system.roles contains it; empty for all
    std::vector<std::string> rules;
    std::string answer_all;
    std::string answer_some;
    std::string answer_none;
    std::optional<std::string> empty;  ///< answer when nothing was judged; none = not evidenced
    /**
     * Optional: answer from counts instead of unit verdicts. Over the subjects of the rules'
     * judged findings, sum the probed integer facts `measure_total` (e.g. group.enabled) and
     * `measure_missing` (e.g. group.enabled_without_strong_auth): missing 0 → all, missing ==
     * total → none, otherwise some — "all staff / no staff / partly" as the survey asks.
     */
    std::string measure_total;
    std::string measure_missing;
    /**
     * With a measure and `about_half`: the survey's five-step scale (2021 T17–T18) instead of
     * all/some/none. Share using = (total − missing) / total: 0 → answers.none, 100 % → all,
     * [about_half_from, about_half_to] percent (inclusive) → about_half, below → fewer, above → more.
     */
    std::optional<std::pair<int, int>> about_half;
    /**
     * Optional, for a multiple-choice question: the answer is the labels of the values the
     * passing units have for this fact (e.g. document.beslutsniva → "I kommunstyrelsen"), in
     * `answer_labels` order, joined by "; ". No judged unit → not asked (`not_asked_reason`).
     */
    std::string answer_fact;
    std::vector<std::pair<std::string, std::string>> answer_labels;  ///< fact value → alternative
    std::string not_asked_reason;
    /// Optional: the survey asks the question only of municipalities whose ISMS/QMS documents
    /// include this role (organization.isms.document_roles); otherwise not asked
    /// (`not_asked_reason`).
    std::string asked_if_role;
    std::string answer_fewer_than_half;
    std::string answer_about_half;
    std::string answer_more_than_half;
    SourceLocation location;
};

}  // namespace lisa
