// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/labels.hpp"

#include <cstdlib>
#include <optional>
#include <iostream>

#include "../common/yaml_reader.hpp"
#include "lisa/core/value.hpp"

namespace lisa {
namespace {

bool is_en(std::string_view lang) { return lang == "en"; }

const std::string& pick(const LabelText& t, std::string_view lang) { return is_en(lang) ? t.en : t.sv; }

// Replaces every "{name}" in `text` with `value`.
std::string fill(std::string text, std::string_view name, const std::string& value) {
    const std::string token = "{" + std::string(name) + "}";
    for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size())) {
        text.replace(at, token.size(), value);
    }
    return text;
}

// One `key: { sv: "...", en: "..." }` map into `into`; every problem reported, none thrown. With
// `known_only`, a key `into` does not have yet is an error: the words are the ones lisa's code and
// templates ask for, so a misspelt key ("board.titel") would be ignored without a word.
void read_section(detail::YamlReader& reader, const YAML::Node& section, std::string_view what,
                  std::map<std::string, LabelText, std::less<>>& into, bool known_only = false) {
    if (!section.IsMap()) {
        reader.error(section, std::string(what) + " must be a map of key: { sv: ..., en: ... }");
        return;
    }
    for (const auto& item : section) {
        const auto key = reader.string(item.first, "a label key");
        if (!key || !reader.check_map(item.second, {"sv", "en"}, "a label")) {
            continue;
        }
        if (known_only && into.find(*key) == into.end()) {
            reader.error(item.first, "'" + *key + "' is not a word lisa uses, so it would change nothing: "
                                     "the keys are those of the shipped rules/labels/labels.yaml");
            continue;
        }
        LabelText& text = into[*key];
        if (const YAML::Node sv = item.second["sv"]) {
            if (auto s = reader.string(sv, "the Swedish text")) {
                text.sv = *s;
            }
        }
        if (const YAML::Node en = item.second["en"]) {
            if (auto s = reader.string(en, "the English text")) {
                text.en = *s;
            }
        }
    }
}

}  // namespace

Labels Labels::overlay(const Labels& base, const SourceText& file, Diagnostics& diagnostics) {
    Labels out = base;
    Diagnostics local;
    detail::YamlReader reader(file.origin, local);
    const auto doc = reader.parse(file.content);
    if (doc && reader.check_map(*doc, {"schema_version", "labels", "facts"}, "a label catalogue")) {
        if (const YAML::Node version = (*doc)["schema_version"]) {
            (void)reader.integer(version, "schema_version", 1, 1);
        }
        if (const YAML::Node words = (*doc)["labels"]) {
            // Over a catalogue (the shipped one), only its words can be reworded; facts stay open:
            // a municipality may name a fact the shipped catalogue does not label.
            read_section(reader, words, "labels", out.words_, !base.words_.empty());
        }
        if (const YAML::Node facts = (*doc)["facts"]) {
            read_section(reader, facts, "facts", out.facts_);
        }
    }
    if (!local.empty()) {
        diagnostics.append(local);
        return base;
    }
    return out;
}

const Labels& Labels::builtin() {
    static const Labels kBuiltin = [] {
        Diagnostics diagnostics;
        Labels labels = overlay(Labels{}, {"rules/labels/labels.yaml", std::string(builtin_labels_yaml())}, diagnostics);
        if (!diagnostics.empty()) {
            // The shipped catalogue is checked by the test suite; a broken build is an internal error.
            std::cerr << "lisa: internal error: " << diagnostics.items().front().to_string() << '\n';
            std::exit(4);
        }
        return labels;
    }();
    return kBuiltin;
}

std::string Labels::word(std::string_view key, std::string_view lang) const {
    const auto it = words_.find(key);
    if (it == words_.end()) {
        return std::string(key);
    }
    const std::string& text = pick(it->second, lang);
    return text.empty() ? pick(it->second, is_en(lang) ? "sv" : "en") : text;
}

std::string Labels::word_or(std::string_view key, std::string_view lang, std::string_view otherwise) const {
    return words_.find(key) != words_.end() ? word(key, lang) : std::string(otherwise);
}

std::string Labels::fact(std::string_view name, std::string_view lang) const {
    const auto it = facts_.find(name);
    if (it != facts_.end() && !pick(it->second, lang).empty()) {
        return pick(it->second, lang);
    }
    return word("fact.unknown", lang);
}

std::string Labels::value(std::string_view displayed, std::string_view lang) const {
    if (displayed.size() >= 2 && displayed.front() == '[' && displayed.back() == ']') {
        const std::string_view inner = displayed.substr(1, displayed.size() - 2);
        if (inner.empty()) {
            return word("value.empty", lang);
        }
        std::string out;
        std::size_t start = 0;
        while (start <= inner.size()) {
            const std::size_t comma = inner.find(", ", start);
            const std::string_view item = inner.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            out += (out.empty() ? "" : ", ") + value(item, lang);
            if (comma == std::string_view::npos) {
                break;
            }
            start = comma + 2;
        }
        return out;
    }
    const std::string key = "value." + std::string(displayed);
    return word_or(key, lang, displayed);
}

std::string Labels::evidence_source(std::string_view fact, std::string_view source, std::string_view lang) const {
    if (fact.rfind("document.", 0) != 0) {
        return std::string(source);
    }
    // The probe's phrases outside quotes; "…" is the document's own words and is copied as it is.
    struct Phrase {
        std::string_view from;
        const char* key;
        bool word_start;  ///< a location: only at the start of a word
    };
    static constexpr Phrase kPhrases[] = {
        {" (disagrees: ", "source.disagrees", false},   {" says ", "source.says", false},
        {" (attested by ", "source.attested_by", false}, {" (attested", "source.attested", false},
        {" for sha256 ", "source.for_sha256", false},    {"front matter", "source.front_matter", true},
        {"sidhuvud/sidfot ", "source.header_footer", true}, {"sidhuvud ", "source.header", true},
        {"sidfot ", "source.footer", true},              {"stycke ", "source.paragraph", true},
        {"metadata ", "source.metadata", true},          {"p. ", "source.page", true},
    };
    std::string out;
    bool quoted = false;
    bool disagreement = false;  // inside "(disagrees: …": its "says" is "som anger"
    for (std::size_t i = 0; i < source.size();) {
        if (source[i] == '"') {
            quoted = !quoted;
            out += source[i++];
            continue;
        }
        if (quoted) {
            out += source[i++];
            continue;
        }
        const bool word_start = i == 0 || source[i - 1] == ' ' || source[i - 1] == '(';
        const Phrase* hit = nullptr;
        for (const Phrase& p : kPhrases) {
            if ((!p.word_start || word_start) && source.compare(i, p.from.size(), p.from) == 0) {
                // A page is "p. " and a number, not any word ending in "p.".
                if (p.from == "p. " && (i + 3 >= source.size() || source[i + 3] < '0' || source[i + 3] > '9')) continue;
                hit = &p;
                break;
            }
        }
        if (hit == nullptr) {
            out += source[i++];
            continue;
        }
        std::string_view key = hit->key;
        if (key == "source.disagrees") {
            disagreement = true;
        } else if (key == "source.says" && disagreement) {
            key = "source.disagree_says";
            disagreement = false;
        }
        out += word(key, lang);
        i += hit->from.size();
    }
    return out;
}

std::string Labels::conflict(std::string_view item, std::string_view lang) const {
    const std::size_t colon = item.find(": ");
    if (colon == std::string_view::npos || item.substr(0, colon).find(' ') != std::string_view::npos) {
        return evidence_source("document.conflicts", item, lang);
    }
    return fact("document." + std::string(item.substr(0, colon)), lang) + ": " +
           evidence_source("document.conflicts", item.substr(colon + 2), lang);
}

std::string Labels::format(std::string_view key, std::string_view lang,
                           std::initializer_list<std::pair<std::string_view, std::string>> values) const {
    std::string text = word(key, lang);
    for (const auto& [name, value] : values) {
        text = fill(std::move(text), name, value);
    }
    return text;
}

std::string Labels::result(const ResultDetail& detail, std::string_view lang, std::string_view as_of) const {
    const std::optional<Date> audit_date = Date::parse(as_of);
    std::string clauses;
    for (const auto& c : detail.clauses) {
        std::string text;
        const std::optional<Date> observed_date = Date::parse(c.observed);
        if (!c.negated && c.op == "within_days" && audit_date && observed_date && observed_date->days > audit_date->days) {
            text = fill(word("result.future_date", lang), "as_of", std::string(as_of));
        } else if (c.negated) {
            text = word("result.negated", lang);
        } else if (words_.count("result.op." + c.op) != 0) {
            text = word("result.op." + c.op, lang);
        } else {
            text = word("result.op.other", lang);
        }
        const bool provenance = c.op == "provenance";
        text = fill(text, "fact", fact(c.fact, lang));
        text = fill(text, "expected", provenance ? word("provenance." + c.expected, lang) : value(c.expected, lang));
        text = fill(text, "observed", provenance ? word("provenance." + c.observed, lang) : value(c.observed, lang));
        clauses += (clauses.empty() ? "" : word("result.separator", lang)) + text;
    }
    std::string out = clauses;
    if (detail.any_of) {
        out = fill(word("result.any_of", lang), "clauses", clauses);
    }
    if (detail.where) {
        out = fill(word("result.where", lang), "clauses", out);
    }
    if (!out.empty()) {
        // Sentence case: the catalogue's phrases start in lower case so they compose.
        const unsigned char first = static_cast<unsigned char>(out[0]);
        if (first >= 'a' && first <= 'z') {
            out[0] = static_cast<char>(first - 'a' + 'A');
        }
    }
    return out;
}

}  // namespace lisa
