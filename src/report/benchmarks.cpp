// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/benchmarks.hpp"

#include <map>

#include <algorithm>

#include "../common/yaml_reader.hpp"

namespace lisa {
namespace {

using detail::YamlReader;

std::optional<Figure> read_figure(YamlReader& r, const YAML::Node& node, bool size_group,
                                  const std::map<std::string, std::string>& notes_sv) {
    if (!node.IsMap()) {
        r.error(node, "a figure must be a map");
        return std::nullopt;
    }
    Figure f;
    if (auto y = r.require(node, "year", "a figure")) {
        if (auto v = r.integer(*y, "'year'", 2000, 2100)) {
            f.year = static_cast<int>(*v);
        }
    }
    if (const YAML::Node s = node["scope"]; s && !s.IsNull()) {
        if (auto v = r.string(s, "'scope'")) {
            f.scope = *v;
        }
    }
    if (size_group) {
        if (auto g = r.require(node, "group", "a size-group figure")) {
            if (auto v = r.string(*g, "'group'")) {
                f.group = *v;
            }
        }
    }
    if (const YAML::Node n = node["n"]; n && !n.IsNull()) {
        if (auto v = r.integer(n, "'n'", 0, 1000)) {
            f.n = *v;
        }
    }
    if (auto d = r.require(node, "distribution", "a figure")) {
        if (!d->IsMap()) {
            r.error(*d, "'distribution' must be a map of answer: percent");
        } else {
            for (const auto& kv : *d) {
                if (auto pct = r.number(kv.second, "a percentage")) {
                    f.distribution.emplace_back(kv.first.Scalar(), *pct);
                }
            }
        }
    }
    if (const YAML::Node s = node["source"]) {
        if (auto v = r.string(s, "'source'")) {
            f.source = *v;
        }
    }
    if (const YAML::Node notes = node["notes"]; notes && notes.IsSequence()) {
        if (auto list = r.strings(notes, "'notes'")) {
            f.notes = *list;
            // Every note has its Swedish wording, so no English note reaches a Swedish report.
            for (const auto& note : f.notes) {
                const auto it = notes_sv.find(note);
                if (it == notes_sv.end()) {
                    r.error(notes, "note without a Swedish wording in 'notes_sv': " + note);
                } else {
                    f.notes_sv.push_back(it->second);
                }
            }
        }
    }
    return f;
}

}  // namespace

const Figure* Benchmarks::latest_national(const std::string& id, const std::string& scope) const {
    const auto it = indicators.find(id);
    if (it == indicators.end()) {
        return nullptr;
    }
    const Figure* best = nullptr;
    for (const auto& f : it->second.national) {
        if (f.scope == scope && (best == nullptr || f.year > best->year)) {
            best = &f;
        }
    }
    return best;
}

std::vector<const Figure*> Benchmarks::national_series(const std::string& id,
                                                       const std::vector<std::string>& names) const {
    std::vector<const Figure*> out;
    const auto it = indicators.find(id);
    if (it == indicators.end()) {
        return out;
    }
    for (const auto& name : names) {
        for (const auto& f : it->second.national) {
            const bool year_taken = std::any_of(out.begin(), out.end(), [&f](const Figure* g) { return g->year == f.year; });
            if (f.scope == name && !year_taken) {
                out.push_back(&f);
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const Figure* a, const Figure* b) { return a->year < b->year; });
    return out;
}

const SizeGroup* Benchmarks::group_of(int year, std::int64_t population) const {
    for (const auto& g : groups) {
        if (g.year == year && population >= g.min_population &&
            (!g.max_population || population <= *g.max_population)) {
            return &g;
        }
    }
    return nullptr;
}

const SizeGroup* Benchmarks::group_by_id(const std::string& id) const {
    for (const auto& g : groups) {
        if (g.id == id) {
            return &g;
        }
    }
    return nullptr;
}

const Figure* Benchmarks::latest_size_group(const std::string& id, const std::string& scope,
                                            std::int64_t population) const {
    const auto it = indicators.find(id);
    if (it == indicators.end()) {
        return nullptr;
    }
    const Figure* best = nullptr;
    for (const auto& f : it->second.size_groups) {
        const SizeGroup* group = group_by_id(f.group);
        if (f.scope != scope || group == nullptr) {
            continue;
        }
        const SizeGroup* mine = group_of(group->year, population);
        if (mine == nullptr || mine->id != f.group) {
            continue;
        }
        if (best == nullptr || f.year > best->year) {
            best = &f;
        }
    }
    return best;
}

namespace {

// size_groups: [{ year, groups: [{ id, label, min_population, max_population }] }]
void read_size_groups(YamlReader& r, const YAML::Node& editions, Benchmarks& b) {
    for (const auto& edition : editions) {
        int year = 0;
        if (auto y = r.require(edition, "year", "a size-group edition")) {
            if (auto v = r.integer(*y, "'year'", 2000, 2100)) {
                year = static_cast<int>(*v);
            }
        }
        const YAML::Node groups = edition["groups"];
        if (!groups || !groups.IsSequence()) {
            continue;
        }
        for (const auto& g : groups) {
            SizeGroup group;
            group.year = year;
            if (g["id"]) group.id = g["id"].Scalar();
            if (g["label"]) group.label = g["label"].Scalar();
            if (auto v = g["min_population"] ? r.integer(g["min_population"], "'min_population'", 0, 100'000'000) : std::nullopt) {
                group.min_population = *v;
            }
            if (const YAML::Node m = g["max_population"]; m && !m.IsNull()) {
                if (auto v = r.integer(m, "'max_population'", 0, 100'000'000)) {
                    group.max_population = *v;
                }
            }
            b.groups.push_back(std::move(group));
        }
    }
}

// The source of the survey scale whose labels are the indicator's answers.
std::string answers_source(const YAML::Node& node, const std::vector<std::string>& answers) {
    const YAML::Node sc = node["scale"];
    if (!sc || !sc.IsMap()) {
        return {};
    }
    const YAML::Node alts = sc["alternatives"];
    if (!alts || !alts.IsSequence()) {
        return {};
    }
    for (const auto& alt : alts) {
        if (!(alt.IsMap() && alt["labels"] && alt["labels"].IsSequence() && alt["source"])) {
            continue;
        }
        std::vector<std::string> labels;
        for (const auto& l : alt["labels"]) {
            labels.push_back(l.Scalar());
        }
        if (labels == answers) {
            return alt["source"].Scalar();
        }
    }
    return {};
}

BenchmarkIndicator read_benchmark_indicator(YamlReader& r, const YAML::Node& node, const Benchmarks& b,
                                            const std::map<std::string, std::string>& notes_sv) {
    BenchmarkIndicator ind;
    if (auto id = r.require(node, "id", "a benchmark indicator")) {
        ind.id = id->Scalar();
    }
    if (node["question_sv"]) ind.question_sv = node["question_sv"].Scalar();
    if (node["question_source"]) ind.question_source = node["question_source"].Scalar();
    if (const YAML::Node a = node["answers"]; a && a.IsSequence()) {
        if (auto answers = r.strings(a, "'answers'")) {
            ind.answers = *answers;
        }
    }
    ind.answers_source = answers_source(node, ind.answers);
    if (const YAML::Node s = node["series"]; s && s.IsSequence()) {
        for (const auto& f : s) {
            if (auto fig = read_figure(r, f, false, notes_sv)) {
                ind.national.push_back(std::move(*fig));
            }
        }
    }
    if (const YAML::Node s = node["size_groups"]; s && s.IsSequence()) {
        for (const auto& f : s) {
            if (auto fig = read_figure(r, f, true, notes_sv)) {
                if (b.group_by_id(fig->group) == nullptr) {
                    r.error(f, "unknown size group '" + fig->group + "'");
                    continue;
                }
                ind.size_groups.push_back(std::move(*fig));
            }
        }
    }
    return ind;
}

}  // namespace

Benchmarks load_benchmarks(const SourceText& source, Diagnostics& diagnostics) {
    Benchmarks b;
    YamlReader r(source.origin, diagnostics);
    auto doc = r.parse(source.content);
    if (!doc) {
        return b;
    }
    if (!doc->IsMap()) {
        r.error(*doc, "the benchmark file must be a map");
        return b;
    }
    const YAML::Node& root = *doc;
    if (const YAML::Node c = root["caveat"]; c && c.IsMap()) {
        if (c["sv"]) {
            b.caveat_sv = c["sv"].Scalar();
        }
        if (c["source"]) {
            b.caveat_source = c["source"].Scalar();
        }
    }
    if (const YAML::Node editions = root["size_groups"]; editions && editions.IsSequence()) {
        read_size_groups(r, editions, b);
    }
    std::map<std::string, std::string> notes_sv;
    if (const YAML::Node m = root["notes_sv"]; m && m.IsMap()) {
        for (const auto& kv : m) {
            notes_sv[kv.first.Scalar()] = kv.second.Scalar();
        }
    }
    if (const YAML::Node list = root["indicators"]; list && list.IsSequence()) {
        for (const auto& node : list) {
            BenchmarkIndicator ind = read_benchmark_indicator(r, node, b, notes_sv);
            b.indicators[ind.id] = std::move(ind);
        }
    }
    return b;
}

Framework load_framework(const SourceText& source, Diagnostics& diagnostics) {
    Framework fw;
    YamlReader r(source.origin, diagnostics);
    auto doc = r.parse(source.content);
    if (!doc || !doc->IsMap()) {
        if (doc) {
            r.error(*doc, "a framework file must be a map");
        }
        return fw;
    }
    if (const YAML::Node f = (*doc)["framework"]; f && f.IsMap()) {
        if (f["id"]) fw.id = f["id"].Scalar();
        if (f["title"]) fw.title = f["title"].Scalar();
    }
    if (const YAML::Node controls = (*doc)["controls"]; controls && controls.IsSequence()) {
        for (const auto& c : controls) {
            if (!r.check_map(c, {"id", "title", "theme", "status", "rules"}, "a control")) {
                continue;
            }
            Control control;
            if (c["id"]) control.id = c["id"].Scalar();
            if (c["title"]) control.title = c["title"].Scalar();
            if (c["theme"]) control.theme = c["theme"].Scalar();
            control.status = c["status"] ? c["status"].Scalar() : "not_assessed";
            static const std::vector<std::string> statuses = {"automated", "partial", "attested", "not_assessed"};
            if (std::find(statuses.begin(), statuses.end(), control.status) == statuses.end()) {
                r.error(c["status"], "unknown control status '" + control.status +
                                         "' (expected automated|partial|attested|not_assessed)");
            }
            if (const YAML::Node rules = c["rules"]; rules && rules.IsSequence() && rules.size() > 0) {
                if (auto list = r.strings(rules, "'rules'")) {
                    control.rules = *list;
                }
            }
            fw.controls.push_back(std::move(control));
        }
    } else {
        r.error(*doc, "a framework file needs a 'controls' list");
    }
    return fw;
}

}  // namespace lisa
