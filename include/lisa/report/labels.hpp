// SPDX-License-Identifier: Apache-2.0
// The label catalogue: every word a report prints, Swedish (sv) and English (en), in one data
// file (rules/labels/labels.yaml, installed with the rule pack as share/lisa/rules/labels/) that
// a municipality may override at run time (`--labels FILE`, or labels/labels.yaml beside its own
// rule pack). The shipped file is also compiled in, so every renderer has words without a file.
// README "Labels and wording"; issue 10 item 5 (words in one place).
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/source_text.hpp"
#include "lisa/engine/evaluator.hpp"

namespace lisa {

/// One label in both languages. An empty string means "not given" (an override may give one).
struct LabelText {
    std::string sv;
    std::string en;
};

class Labels {
public:
    /// The shipped catalogue, compiled in from rules/labels/labels.yaml. Parsed once.
    [[nodiscard]] static const Labels& builtin();

    /**
     * Reads a catalogue file of the shipped shape (`schema_version: 1`, `labels:` key → {sv, en},
     * `facts:` fact name → {sv, en}) on top of `base`: each key given replaces that key's sv
     * and/or en text; keys not given keep `base`'s. Every problem — YAML syntax, unknown top-level
     * keys, a label that is not `{sv, en}` with string values — is added to `diagnostics` as
     * "file:line:col: message", all in one pass; the result is then `base` unchanged.
     */
    [[nodiscard]] static Labels overlay(const Labels& base, const SourceText& file, Diagnostics& diagnostics);

    /// The word for `key` in `lang` ("sv" or anything else = "en"). A key missing in the
    /// catalogue (a bug: the catalogue test covers every key the renderers use) yields the key.
    [[nodiscard]] std::string word(std::string_view key, std::string_view lang) const;
    /// The word for `key` in `lang` when the catalogue has one; `otherwise` when it does not (for
    /// keys made from data, e.g. "probe.kind." + a probe's kind, where the key is never a word).
    [[nodiscard]] std::string word_or(std::string_view key, std::string_view lang, std::string_view otherwise) const;
    /// The word for `key` in `lang` with each "{name}" replaced by its value (values are data,
    /// inserted as they are; a placeholder the text does not use is ignored).
    [[nodiscard]] std::string format(std::string_view key, std::string_view lang,
                                     std::initializer_list<std::pair<std::string_view, std::string>> values) const;
    /// The label of a fact (e.g. "document.beslutad" → "dokumentets beslutsdatum"). A fact the
    /// catalogue does not know yields a neutral phrase ("en uppgift" / "a checked fact"): never
    /// the raw fact id, in either language.
    [[nodiscard]] std::string fact(std::string_view name, std::string_view lang) const;
    /// A displayed value in `lang`: a known word (true, strong, …; keys `value.*`) translated,
    /// a list "[a, b]" item by item, anything else (numbers, dates, names) as it is.
    [[nodiscard]] std::string value(std::string_view displayed, std::string_view lang) const;
    /// A finding's result (evaluator.hpp) worded in `lang`: one line, every clause, no fact id,
    /// no regular expression (a `matches` clause says the form is wrong, not which pattern).
    /// `as_of` is the report's audit date (YYYY-MM-DD, `run.as_of`; empty: unknown): a
    /// `within_days` clause whose observed date lies after it is worded as a date in the future
    /// (`result.future_date`), not as one that is too old.
    [[nodiscard]] std::string result(const ResultDetail& detail, std::string_view lang,
                                     std::string_view as_of = {}) const;

    /**
     * Where a fact was read, in `lang`. For a document fact ("document.*") the probe writes its
     * source in its own words (document_probe.cpp, readers.cpp): "policy.pdf p. 1: \"…\" (disagrees:
     * metadata subject: \"…\" says 2021-02-10)"; the JSON report keeps them for auditors, and the
     * text and HTML reports show them through this: locations ("p. N" → "s. N", "stycke N",
     * "sidhuvud", "sidfot", "metadata KEY"), "(disagrees: X says V)" → "(motsägs av: X som anger V)",
     * and a sidecar's "(attested by …)". Quoted words from the document are never changed. Words:
     * the catalogue's `source.*` keys. Any other fact's source is returned as it is.
     */
    [[nodiscard]] std::string evidence_source(std::string_view fact, std::string_view source, std::string_view lang) const;
    /// One item of `document.conflicts` ("beslutad: A says X, B says Y") in `lang`: the fact's label,
    /// then each side worded as evidence_source words a source ("dokumentets beslutsdatum: A anger X, …").
    [[nodiscard]] std::string conflict(std::string_view item, std::string_view lang) const;

    /// Every word key and every fact label, for the catalogue tests.
    [[nodiscard]] const std::map<std::string, LabelText, std::less<>>& words() const noexcept { return words_; }
    [[nodiscard]] const std::map<std::string, LabelText, std::less<>>& facts() const noexcept { return facts_; }

private:
    std::map<std::string, LabelText, std::less<>> words_;
    std::map<std::string, LabelText, std::less<>> facts_;
};

/// The compiled-in catalogue text (generated at build time from rules/labels/labels.yaml).
[[nodiscard]] std::string_view builtin_labels_yaml() noexcept;

}  // namespace lisa
