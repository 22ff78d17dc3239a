// SPDX-License-Identifier: Apache-2.0
#include "yaml_reader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "lisa/core/source_text.hpp"

namespace lisa::detail {
namespace {

/// Thrown out of the event pass at the first node over kMaxNodes: nothing more is parsed.
struct TooManyNodes {
    YAML::Mark mark;
};

// One pass over the parser's events, before any node tree is built:
// - counts the nodes as written, so a huge document (a million short keys under the size cap)
//   is refused before a tree of it takes a gigabyte;
// - counts aliases and how many nodes they expand to, so an alias bomb ("billion laughs") is
//   rejected before anything walks it;
// - records every key that a map holds twice, at every depth (YAML 1.2 §3.2.1.1: the keys of a
//   mapping are unique). yaml-cpp accepts such a map and lookups see one of the values, iteration
//   both, so a second `KLASS-002:` parameter would silently win or lose.
class StructureCheck final : public YAML::EventHandler {
public:
    struct Duplicate {
        std::string key;
        YAML::Mark at;     ///< the repeated key
        YAML::Mark first;  ///< where the key first appeared in the same map
    };

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        node(mark, "~", true);
        leaf(anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        // An alias of a scalar used as a key is that scalar's key ("*k: 1" beside "k: 2").
        const auto scalar = scalars_.find(anchor);
        node(mark, scalar != scalars_.end() ? scalar->second : std::string(), scalar != scalars_.end());
        if (++aliases == kMaxAliases + 1) {
            first_over = mark;
        }
        const auto it = sizes_.find(anchor);
        const std::size_t size = it == sizes_.end() ? 1 : it->second;
        expanded += size;
        if (expanded > kMaxExpandedNodes && !over_expanded) {
            over_expanded = true;
            expansion_mark = mark;
        }
        add(size);
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        node(mark, value, true);
        if (anchor != YAML::NullAnchor && value.size() <= 1024) {
            scalars_[anchor] = value;
        }
        leaf(anchor);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        node(mark, {}, false);
        open_.push_back({anchor, 1, false, true, {}});
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        node(mark, {}, false);
        open_.push_back({anchor, 1, true, true, {}});
    }
    void OnMapEnd() override { close(); }

    std::size_t aliases = 0;
    YAML::Mark first_over;
    std::size_t expanded = 0;  ///< nodes added by alias expansion
    bool over_expanded = false;
    YAML::Mark expansion_mark;
    std::vector<Duplicate> duplicates;

private:
    struct Open {
        YAML::anchor_t anchor;
        std::size_t size;   ///< expanded size so far
        bool is_map;
        bool expect_key;    ///< in a map: the next node is a key
        std::map<std::string, YAML::Mark> keys;  ///< scalar keys seen in this map
    };

    // A node starts: when it is a map's key, check it against the map's earlier keys. Keys that
    // are collections (or aliases of them) are compared by nobody (lisa's loaders refuse them).
    void node(const YAML::Mark& mark, const std::string& scalar, bool is_scalar) {
        if (++nodes_ > kMaxNodes) {
            throw TooManyNodes{mark};
        }
        if (open_.empty() || !open_.back().is_map) {
            return;
        }
        Open& map = open_.back();
        if (map.expect_key && is_scalar) {
            const auto [it, inserted] = map.keys.emplace(scalar, mark);
            if (!inserted && duplicates.size() < kMaxReported) {
                duplicates.push_back({scalar, mark, it->second});
            }
        }
        map.expect_key = !map.expect_key;
    }
    void add(std::size_t size) {
        if (!open_.empty()) {
            open_.back().size = std::min<std::size_t>(open_.back().size + size, kMaxExpandedNodes * 4);
        }
    }
    void leaf(YAML::anchor_t anchor) {
        if (anchor != YAML::NullAnchor) {
            sizes_[anchor] = 1;
        }
        add(1);
    }
    void close() {
        const YAML::anchor_t anchor = open_.back().anchor;
        const std::size_t size = open_.back().size;
        open_.pop_back();
        if (anchor != YAML::NullAnchor) {
            sizes_[anchor] = size;
        }
        add(size);
    }

    static constexpr std::size_t kMaxReported = 1000;
    std::size_t nodes_ = 0;                           // nodes as written
    std::vector<Open> open_;                          // open containers, innermost last
    std::map<YAML::anchor_t, std::size_t> sizes_;    // expanded size of each anchor
    std::map<YAML::anchor_t, std::string> scalars_;  // text of each anchored (short) scalar
};

std::string kind_name(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null: return "null";
        case YAML::NodeType::Scalar: return "a scalar";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a map";
        case YAML::NodeType::Undefined: return "nothing";
    }
    return "nothing";
}

// yaml-cpp's messages end with a period and start upper case; ours do neither.
std::string tidy(std::string message) {
    if (!message.empty() && message.back() == '.') {
        message.pop_back();
    }
    if (!message.empty()) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    return message;
}

bool looks_plain(const YAML::Node& node) {
    // A quoted scalar ("true", "12") has tag "!"; plain scalars have "?".
    return node.Tag() != "!";
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::size_t best = std::string::npos;
    const std::string* best_name = nullptr;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best) {
            best = d;
            best_name = &c;
        }
    }
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    if (best_name != nullptr && best <= limit) {
        return " (did you mean '" + *best_name + "'?)";
    }
    return {};
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        // RFC 3629 §4: the well-formed sequences; no overlongs, surrogates or values > U+10FFFF.
        std::size_t len = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + len > n) {
            return i;
        }
        if (p[i + 1] < lo || p[i + 1] > hi) {
            return i;
        }
        for (std::size_t k = 2; k < len; ++k) {
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) {
                return i;
            }
        }
        i += len;
    }
    return std::nullopt;
}

bool check_utf8(std::string_view text, const std::string& origin, Diagnostics& diagnostics,
                int first_line) {
    const auto bad = first_invalid_utf8(text);
    if (!bad) {
        return true;
    }
    // Line and column (in characters, as an editor counts them) of the first invalid byte.
    const std::string_view before = text.substr(0, *bad);
    const auto nl = before.rfind('\n');
    const std::string_view line_text = nl == std::string_view::npos ? before : before.substr(nl + 1);
    const int line = first_line + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    int column = 1;
    for (const char ch : line_text) {
        column += (static_cast<unsigned char>(ch) & 0xC0) == 0x80 ? 0 : 1;
    }
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
    diagnostics.error({origin, line, column},
                      std::string("invalid UTF-8 (byte ") + byte +
                          "): save the file as UTF-8 (it looks like another encoding, e.g. "
                          "Windows-1252 or Latin-1)");
    return false;
}

std::optional<YAML::Node> YamlReader::parse(const std::string& content) {
    if (content.size() > kMaxInputFileBytes) {
        diags_.error({origin_, 1, 1}, "file is " + std::to_string(content.size()) +
                                          " bytes, over the limit of " +
                                          std::to_string(kMaxInputFileBytes));
        return std::nullopt;
    }
    std::string_view text = content;
    if (text.substr(0, 3) == kUtf8Bom) {
        text.remove_prefix(3);  // a UTF-8 byte order mark is accepted and skipped
    }
    if (!check_utf8(text, origin_, diags_, first_line_)) {
        return std::nullopt;
    }
    if (text.find('\0') != std::string::npos) {
        // Report the line of the first NUL byte: binary data is never valid YAML here.
        const auto pos = text.find('\0');
        const int line = first_line_ + static_cast<int>(std::count(text.begin(),
                                                         text.begin() + static_cast<long>(pos), '\n'));
        diags_.error({origin_, line, 1}, "file contains a NUL byte (binary data is not YAML)");
        return std::nullopt;
    }
    const std::string yaml(text);
    try {
        {
            std::istringstream in(yaml);
            YAML::Parser parser(in);
            StructureCheck check;
            int documents = 0;
            while (parser.HandleNextDocument(check)) {
                if (++documents > 1) {
                    diags_.error({origin_, first_line_, 1}, "file holds more than one YAML document");
                    return std::nullopt;
                }
            }
            if (check.over_expanded) {
                diags_.error(location(check.expansion_mark),
                             "YAML aliases expand to more than " + std::to_string(kMaxExpandedNodes) +
                                 " nodes (an alias bomb?)");
                return std::nullopt;
            }
            if (check.aliases > kMaxAliases) {
                diags_.error(location(check.first_over),
                             "too many YAML aliases (" + std::to_string(check.aliases) +
                                 ", limit " + std::to_string(kMaxAliases) + ")");
                return std::nullopt;
            }
            // Every duplicate is reported; the tree is still returned so the loaders report
            // every other problem of the file in the same run (the diagnostics make it invalid).
            for (const auto& d : check.duplicates) {
                const SourceLocation first = location(d.first);
                diags_.error(location(d.at), "duplicate key '" + d.key + "' (first at line " +
                                                 std::to_string(first.line) + ":" +
                                                 std::to_string(first.column) +
                                                 "): a key may appear once in a map");
            }
        }
        return YAML::Load(yaml);
    } catch (const TooManyNodes& e) {
        diags_.error(location(e.mark),
                     "YAML document holds more than " + std::to_string(kMaxNodes) +
                         " nodes, lisa's cap per document (split it, or remove generated content)");
    } catch (const YAML::DeepRecursion& e) {
        diags_.error(location(e.mark), "YAML nested too deeply (more than the parser's limit of "
                                       "2000 levels)");
    } catch (const YAML::Exception& e) {
        diags_.error(location(e.mark), "yaml: " + tidy(e.msg));
    } catch (const std::exception& e) {
        diags_.error({origin_, first_line_, 1}, std::string("yaml: ") + e.what());
    }
    return std::nullopt;
}

SourceLocation YamlReader::location(const YAML::Mark& mark) const {
    if (mark.is_null()) {
        return {origin_, first_line_, 1};
    }
    return {origin_, mark.line + first_line_, mark.column + 1};
}

SourceLocation YamlReader::at(const YAML::Node& node) const {
    return location(node.Mark());
}

void YamlReader::error(const YAML::Node& node, std::string message) {
    diags_.error(at(node), std::move(message));
}

bool YamlReader::visit(const YAML::Node& node) {
    if (budget_ > 0) {
        --budget_;
        return true;
    }
    if (!budget_reported_) {
        budget_reported_ = true;
        error(node, "document too large after alias expansion");
    }
    return false;
}

bool YamlReader::check_map(const YAML::Node& node, const std::vector<std::string>& allowed,
                           std::string_view what) {
    if (!node.IsMap()) {
        error(node, std::string(what) + " must be a map, not " + kind_name(node));
        return false;
    }
    // Duplicate keys were reported by parse(), at every depth; a repeated key is not reported
    // again here as unknown.
    std::vector<std::string> seen;
    for (const auto& kv : node) {
        if (!visit(kv.first)) {
            return false;
        }
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
        if (kv.first.IsScalar()) {
            if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
                continue;
            }
            seen.push_back(key);
        }
        if (!kv.first.IsScalar()) {
            error(kv.first, "keys of " + std::string(what) + " must be scalars");
            continue;
        }
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            error(kv.first, "unknown key '" + key + "' in " + std::string(what) +
                                did_you_mean(key, allowed));
        }
    }
    return true;
}

std::optional<YAML::Node> YamlReader::require(const YAML::Node& map, const char* key,
                                              std::string_view what) {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) {
        error(map, std::string(what) + " has no '" + key + "'");
        return std::nullopt;
    }
    return node;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar()) {
        error(node, std::string(what) + " must be a string, not " + kind_name(node));
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<std::int64_t> YamlReader::integer(const YAML::Node& node, std::string_view what,
                                                std::int64_t min, std::int64_t max) {
    if (!node.IsScalar() || !looks_plain(node)) {
        error(node, std::string(what) + " must be an integer, not " +
                        (node.IsScalar() ? "a quoted string" : kind_name(node)));
        return std::nullopt;
    }
    const std::string& text = node.Scalar();
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
        error(node, std::string(what) + " must be an integer, not '" + text + "'");
        return std::nullopt;
    }
    if (v < min || v > max) {
        error(node, std::string(what) + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + ", not " + text);
        return std::nullopt;
    }
    return v;
}

std::optional<double> YamlReader::number(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar() || !looks_plain(node)) {
        error(node, std::string(what) + " must be a number");
        return std::nullopt;
    }
    const std::string& text = node.Scalar();
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
        error(node, std::string(what) + " must be a number, not '" + text + "'");
        return std::nullopt;
    }
    return v;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar() && looks_plain(node)) {
        const std::string& t = node.Scalar();
        if (t == "true" || t == "True" || t == "TRUE" || t == "yes") {
            return true;
        }
        if (t == "false" || t == "False" || t == "FALSE" || t == "no") {
            return false;
        }
    }
    error(node, std::string(what) + " must be true or false" +
                    (node.IsScalar() ? ", not '" + node.Scalar() + "'" : ""));
    return std::nullopt;
}

std::optional<Date> YamlReader::date(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) {
        if (auto d = Date::parse(node.Scalar())) {
            return d;
        }
    }
    error(node, std::string(what) + " must be a date YYYY-MM-DD" +
                    (node.IsScalar() ? ", not '" + node.Scalar() + "'" : ""));
    return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::strings(const YAML::Node& node,
                                                            std::string_view what) {
    if (!node.IsSequence()) {
        error(node, std::string(what) + " must be a list of strings, not " + kind_name(node));
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const auto& item : node) {
        if (!visit(item)) {
            return std::nullopt;
        }
        if (!item.IsScalar()) {
            error(item, std::string(what) + " must hold strings, not " + kind_name(item));
            ok = false;
            continue;
        }
        out.push_back(item.Scalar());
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<Value> YamlReader::value(const YAML::Node& node, std::string_view what) {
    if (node.IsSequence()) {
        auto list = strings(node, what);
        if (!list) {
            return std::nullopt;
        }
        return Value(std::move(*list));
    }
    if (!node.IsScalar()) {
        error(node, std::string(what) + " must be a scalar or a list, not " + kind_name(node));
        return std::nullopt;
    }
    const std::string& t = node.Scalar();
    if (!looks_plain(node)) {
        return Value(t);
    }
    if (t == "true" || t == "false") {
        return Value(t == "true");
    }
    if (auto d = Date::parse(t)) {
        return Value(*d);
    }
    if (Date::looks_like(t)) {
        error(node, std::string(what) + " looks like a date but is not one in the form YYYY-MM-DD: '" +
                        t + "' (quote it if it is text)");
        return std::nullopt;
    }
    if (!t.empty()) {
        errno = 0;
        char* end = nullptr;
        const long long i = std::strtoll(t.c_str(), &end, 10);
        if (end == t.c_str() + t.size() && errno != ERANGE) {
            return Value(static_cast<std::int64_t>(i));
        }
        const double d = std::strtod(t.c_str(), &end);
        if (end == t.c_str() + t.size() && std::isfinite(d)) {
            return Value(d);
        }
    }
    return Value(t);
}

}  // namespace lisa::detail
