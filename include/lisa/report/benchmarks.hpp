// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/rules/loader.hpp"

namespace lisa {

/// One published figure: a distribution of answers (percent as printed) for a year and scope.
struct Figure {
    int year = 0;
    std::string scope;   ///< survey scope / verksamhetsområde; empty when the question has none
    std::string group;   ///< size group id, for size-group figures
    std::optional<std::int64_t> n;
    std::vector<std::pair<std::string, double>> distribution;  ///< in the source's order
    std::string source;  ///< e.g. "003 T15"
    std::vector<std::string> notes;
    /// The notes in Swedish, one per note (the file's `notes_sv` map; required for every note).
    std::vector<std::string> notes_sv;
};

/// A Socialstyrelsen size group of one edition.
struct SizeGroup {
    int year = 0;
    std::string id;
    std::string label;
    std::int64_t min_population = 0;
    std::optional<std::int64_t> max_population;  ///< inclusive; none = open
};

struct BenchmarkIndicator {
    std::string id;
    std::string question_sv;
    std::string question_source;
    std::vector<std::string> answers;  ///< the answer alternatives, in the scale's order
    std::string answers_source;        ///< the table that prints exactly these alternatives
    std::vector<Figure> national;
    std::vector<Figure> size_groups;
};

/// Socialstyrelsen's national and size-group figures (rules/benchmarks/socialstyrelsen.yaml).
struct Benchmarks {
    std::string caveat_sv;
    std::string caveat_source;
    std::vector<SizeGroup> groups;
    std::map<std::string, BenchmarkIndicator> indicators;

    /// The latest national figure for the indicator and scope.
    [[nodiscard]] const Figure* latest_national(const std::string& id, const std::string& scope) const;
    /// The latest size-group figure for the municipality's group in that edition's grouping.
    [[nodiscard]] const Figure* latest_size_group(const std::string& id, const std::string& scope,
                                                  std::int64_t population) const;
    [[nodiscard]] const SizeGroup* group_of(int year, std::int64_t population) const;
    /// Every national figure for the indicator filed under any of `names` (an area and its
    /// earlier editions' names), by year; for a year with several, the first name wins.
    [[nodiscard]] std::vector<const Figure*> national_series(const std::string& id,
                                                            const std::vector<std::string>& names) const;
    [[nodiscard]] const SizeGroup* group_by_id(const std::string& id) const;
};

/// Parses the benchmark file; problems go to `diagnostics` as file:line:col.
[[nodiscard]] Benchmarks load_benchmarks(const SourceText& source, Diagnostics& diagnostics);

/// One Annex A (or other framework) control and the rules that evidence it.
struct Control {
    std::string id;
    std::string title;
    std::string theme;
    std::string status;  ///< automated | partial | attested | not_assessed
    std::vector<std::string> rules;
};

struct Framework {
    std::string id;
    std::string title;
    std::vector<Control> controls;
};

/// Parses a framework catalogue (rules/frameworks/*.yaml).
[[nodiscard]] Framework load_framework(const SourceText& source, Diagnostics& diagnostics);

}  // namespace lisa
