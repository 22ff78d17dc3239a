// SPDX-License-Identifier: Apache-2.0
// Pure: decision facts from a document's text (see document_text.hpp). No I/O; fuzzed
// (tests/fuzz/fuzz_text_facts.cpp). Words are compared in lower case; Swedish capitals Å Ä Ö É
// are lowered byte for byte (same length), so offsets into the lowered line quote the original.
#include <algorithm>
#include <array>
#include <cstdint>

#include "lisa/probes/document_text.hpp"

namespace lisa {
namespace {

std::string lower_sv(std::string_view s) {
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + 32);
        } else if (c == 0xC3 && i + 1 < out.size()) {
            auto d = static_cast<unsigned char>(out[i + 1]);
            // À..Þ (except ×) → à..þ: Å Ä Ö É and the rest of Latin-1's capitals.
            if (d >= 0x80 && d <= 0x9E && d != 0x97) {
                out[i + 1] = static_cast<char>(d + 0x20);
            }
            ++i;
        }
    }
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool starts_lower_letter(std::string_view s) {
    if (s.empty()) return false;
    auto c = static_cast<unsigned char>(s[0]);
    if (c >= 'a' && c <= 'z') return true;
    return c == 0xC3 && s.size() > 1 && static_cast<unsigned char>(s[1]) >= 0xA0;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Removes characters that only disturb matching: soft hyphens, no-break spaces (→ space).
std::string clean(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xAD') { ++i; continue; }
        if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') { out += ' '; ++i; continue; }
        out += (s[i] == '\r' || s[i] == '\0') ? ' ' : s[i];
    }
    return out;
}

struct Line {
    std::string where;
    std::string text;   // original case, trimmed
    std::string lower;  // same bytes, lowered
};

struct Token {
    std::string_view word;  // lowered, trailing . : , stripped
    std::size_t begin = 0, end = 0;
};

std::vector<Token> tokenize(const std::string& lower) {
    std::vector<Token> out;
    auto sep = [](char c) {
        return is_space(c) || c == ',' || c == ';' || c == '(' || c == ')' || c == '"' ||
               c == '|' || c == '[' || c == ']' || c == '*' || c == '#' || c == '<' || c == '>';
    };
    std::size_t i = 0;
    while (i < lower.size() && out.size() < 400) {
        while (i < lower.size() && sep(lower[i])) ++i;
        std::size_t b = i;
        while (i < lower.size() && !sep(lower[i])) ++i;
        std::size_t e = i;
        while (e > b && (lower[e - 1] == '.' || lower[e - 1] == ':')) --e;
        if (e > b) out.push_back({std::string_view(lower).substr(b, e - b), b, e});
    }
    return out;
}

std::string quote(const Line& line) {
    std::string q;
    for (char c : line.text) {
        if (c == '\t') {
            if (!q.empty() && q.back() != ' ') q += ' ';
        } else if (!(c == ' ' && !q.empty() && q.back() == ' ')) {
            q += c;
        }
    }
    q = std::string(trim(q));
    constexpr std::size_t kMax = 240;
    if (q.size() > kMax) {
        std::size_t cut = kMax;
        while (cut > 0 && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
        q = q.substr(0, cut) + "…";
    }
    return line.where + ": \"" + q + "\"";
}

constexpr std::array<std::string_view, 12> kMonths = {
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december"};

int month_of(std::string_view w) {
    for (std::size_t m = 0; m < kMonths.size(); ++m) {
        if (w == kMonths[m]) return static_cast<int>(m) + 1;
    }
    static constexpr std::array<std::string_view, 12> abbr = {"jan", "feb", "mar", "apr", "maj", "jun",
                                                              "jul", "aug", "sep", "okt", "nov", "dec"};
    for (std::size_t m = 0; m < abbr.size(); ++m) {
        if (w == abbr[m] || (m == 8 && w == "sept")) return static_cast<int>(m) + 1;
    }
    return 0;
}

int days_in_month(int y, int m) {
    static constexpr int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

// A date written in words at token i, "25 juni 2018", as written: the day may be one no month has.
struct WrittenDate {
    int day = 0;
    int month = 0;
    int year = 0;
    [[nodiscard]] bool exists() const { return day >= 1 && day <= days_in_month(year, month); }
};

std::optional<WrittenDate> written_date_at(const std::vector<Token>& t, std::size_t i) {
    const std::string_view w = t[i].word;
    if (!(w.size() <= 2 && all_digits(w) && i + 2 < t.size())) return std::nullopt;
    const int month = month_of(t[i + 1].word);
    const std::string_view y = t[i + 2].word;
    if (month == 0 || y.size() != 4 || !all_digits(y)) return std::nullopt;
    const int year = std::stoi(std::string(y));
    if (year < 1900 || year > 2200) return std::nullopt;
    return WrittenDate{std::stoi(std::string(w)), month, year};
}

bool iso_shaped(std::string_view w) {
    return w.size() == 10 && w[4] == '-' && w[7] == '-' && all_digits(w.substr(0, 4)) && all_digits(w.substr(5, 2)) &&
           all_digits(w.substr(8, 2));
}

// A date starting at token i ("den" allowed first); sets *used to the tokens it took.
std::optional<Date> date_at(const std::vector<Token>& t, std::size_t i, std::size_t* used) {
    std::size_t start = i;
    if (i < t.size() && t[i].word == "den") ++i;
    if (i >= t.size()) return std::nullopt;
    const std::string_view w = t[i].word;
    if (w.size() == 10 && w[4] == '-' && w[7] == '-') {
        if (auto d = Date::parse(w)) {
            if (used) *used = i + 1 - start;
            return d;
        }
        return std::nullopt;
    }
    if (const auto written = written_date_at(t, i); written && written->exists()) {
        if (used) *used = i + 3 - start;
        return Date::from_ymd(written->year, static_cast<unsigned>(written->month), static_cast<unsigned>(written->day));
    }
    return std::nullopt;
}

// A date in a date's shape that no calendar has: "31 februari 2024", "2024-02-30", "2024-13-01".
bool impossible_date_at(const std::vector<Token>& t, std::size_t i) {
    if (iso_shaped(t[i].word)) return !Date::parse(t[i].word);
    const auto written = written_date_at(t, i);
    return written && !written->exists();
}

std::optional<Date> find_date(const std::vector<Token>& t, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < std::min(to, t.size()); ++i) {
        if (auto d = date_at(t, i, nullptr)) return d;
    }
    return std::nullopt;
}

// A date that says how long the document stays valid ("gäller till och med 2026-06-30", "giltig
// t.o.m. …"), not when it was decided: "gäller"/"giltig" and "till"/"t.o.m." in the 4 tokens before.
bool validity_date(const std::vector<Token>& t, std::size_t i) {
    bool valid_word = false;
    bool until_word = false;
    for (std::size_t k = i >= 4 ? i - 4 : 0; k < i; ++k) {
        const std::string_view w = t[k].word;
        if (w == "gäller" || w == "giltig" || w == "giltigt" || w == "gälla") valid_word = true;
        if (w == "till" || w == "t.o.m" || w == "tom" || w == "med") until_word = true;
    }
    return valid_word && until_word;
}

// The first date in [from, to) that is not a validity date.
std::optional<Date> find_decision_date(const std::vector<Token>& t, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < std::min(to, t.size()); ++i) {
        if (validity_date(t, i)) continue;
        if (auto d = date_at(t, i, nullptr)) return d;
    }
    return std::nullopt;
}

// The normalised body named by tokens [from, to); "" when none.
std::string body_in(const std::vector<Token>& t, std::size_t from, std::size_t to) {
    to = std::min(to, t.size());
    for (std::size_t i = from; i < to; ++i) {
        const std::string_view w = t[i].word;
        if (starts_with(w, "kommunfullmäktige") || w == "kf") return "kommunfullmäktige";
        if (starts_with(w, "kommunstyrelse") || w == "ks") return "kommunstyrelsen";
        if (starts_with(w, "förvaltningsledning")) return "förvaltningsledning";
        if (starts_with(w, "kommundirektör")) return "kommundirektör";
        if (ends_with(w, "nämnden") || ends_with(w, "nämnd") || ends_with(w, "nämndens")) {
            std::size_t b = i;
            while (b > from && (t[b - 1].word == "och" || ends_with(t[b - 1].word, "-") ||
                                (b >= from + 2 && t[b - 1].word == "och"))) {
                --b;
            }
            if (b < i && t[b].word == "och") ++b;  // a name never starts with "och"
            std::string name;
            for (std::size_t k = b; k <= i; ++k) {
                if (!name.empty()) name += ' ';
                name += std::string(t[k].word);
            }
            if (ends_with(name, "nämndens")) name.resize(name.size() - 1);
            if (name == "nämnd" || name == "nämnden") return {};  // "the committee": unnamed
            return "nämnd:" + name;
        }
    }
    return {};
}

enum class Kind { Adopt, Decide, Revise };

struct Event {
    Kind kind = Kind::Decide;
    std::optional<Date> date;
    std::string body;
    std::string evidence;
    std::size_t order = 0;
    bool editorial = false;  // "Redaktionell ändring": a revision, never a decision
};

std::optional<Kind> verb_kind(std::string_view w) {
    static constexpr std::array<std::string_view, 5> adopt = {"antagen", "antaget", "antagna", "antogs", "antog"};
    static constexpr std::array<std::string_view, 11> decide = {
        "fastställd", "fastställt", "fastställdes", "fastställda", "beslutad", "beslutat",
        "beslutades", "beslutade", "godkänd", "godkänt", "godkändes"};
    static constexpr std::array<std::string_view, 6> revise = {"reviderad", "reviderat", "reviderades",
                                                               "uppdaterad", "uppdaterat", "reviderade"};
    if (std::find(adopt.begin(), adopt.end(), w) != adopt.end()) return Kind::Adopt;
    if (std::find(decide.begin(), decide.end(), w) != decide.end()) return Kind::Decide;
    if (std::find(revise.begin(), revise.end(), w) != revise.end()) return Kind::Revise;
    if (w == "redaktionell" || w == "redaktionella") return Kind::Revise;  // "Redaktionell ändring"
    return std::nullopt;
}

enum class Label {
    None, BodyAdopt, BodyDecide, BodyRevise, DateAdopt, DateDecide, DateRevise, Dnr, Valid, Scope,
    Owner, Type, Meeting, ValidFrom, Date
};

struct LabelDef {
    std::string_view text;
    Label label;
};

// Longest first: "beslutad av" before "beslutad".
constexpr std::array<LabelDef, 53> kLabels = {{
    {"gäller till och med", Label::Valid},
    {"gäller från och med", Label::ValidFrom},
    {"giltig från och med", Label::ValidFrom},
    {"senast reviderad av", Label::BodyRevise},
    {"typ av dokument", Label::Type},
    {"tillämpningsområde", Label::Scope},
    {"revideringsdatum", Label::DateRevise},
    {"sammanträdesdatum", Label::Meeting},
    {"beslutande organ", Label::BodyDecide},
    {"beslutsfattare", Label::BodyDecide},
    {"ärendenummer", Label::Dnr},
    {"dokumentansvarig", Label::Owner},
    {"senast reviderad", Label::DateRevise},
    {"datum för beslut", Label::DateDecide},
    {"fastställd av", Label::BodyDecide},
    {"fastställt av", Label::BodyDecide},
    {"beslutsinstans", Label::BodyDecide},
    {"giltighetstid", Label::Valid},
    {"dokumentägare", Label::Owner},
    {"reviderad av", Label::BodyRevise},
    {"diarienummer", Label::Dnr},
    {"beslutsdatum", Label::DateDecide},
    {"dokumentslag", Label::Type},
    {"beslutad av", Label::BodyDecide},
    {"beslutat av", Label::BodyDecide},
    {"antagen av", Label::BodyAdopt},
    {"antaget av", Label::BodyAdopt},
    {"godkänd av", Label::BodyDecide},
    {"giltig t.o.m", Label::Valid},
    {"gäller t.o.m", Label::Valid},
    {"dokumenttyp", Label::Type},
    {"giltig till", Label::Valid},
    {"gäller till", Label::Valid},
    {"fastställd", Label::DateDecide},
    {"omfattning", Label::Scope},
    {"gäller för", Label::Scope},
    {"reviderad", Label::DateRevise},
    {"diarienr", Label::Dnr},
    {"beslutande", Label::BodyDecide},
    {"gäller fr.o.m", Label::ValidFrom},
    {"giltig fr.o.m", Label::ValidFrom},
    {"gäller från", Label::ValidFrom},
    {"giltig från", Label::ValidFrom},
    {"ärendenr", Label::Dnr},
    {"beslutad", Label::DateDecide},
    {"antagen", Label::DateAdopt},
    {"antaget", Label::DateAdopt},
    {"godkänd", Label::DateDecide},
    {"gäller", Label::Valid},
    {"beslut", Label::DateDecide},
    {"dnr", Label::Dnr},
    {"datum", Label::Date},  // a bare date: the decision's only beside a deciding body's label
}};

// The label a line starts with, and where its value begins (after ':' or separators).
Label label_of(const std::string& lower, std::size_t* value_at) {
    for (const auto& def : kLabels) {
        if (!starts_with(lower, def.text)) continue;
        std::size_t i = def.text.size();
        if (i < lower.size()) {
            const char c = lower[i];
            if (!(c == ':' || c == '.' || is_space(c) || c == '|')) continue;  // a longer word
        }
        while (i < lower.size() && (lower[i] == ':' || lower[i] == '.' || lower[i] == '|' || is_space(lower[i]))) ++i;
        *value_at = i;
        return def.label;
    }
    return Label::None;
}

// A table's header row: every tab-separated cell is a label with no value ("Dokumenttyp | Beslutad
// av | Datum | Dnr"). Labels, not values: the row under it holds the values.
bool header_row(const std::string& lower) {
    if (lower.find('\t') == std::string::npos) return false;
    std::size_t pos = 0;
    while (pos <= lower.size()) {
        const std::size_t tab = lower.find('\t', pos);
        const std::string cell(trim(std::string_view(lower).substr(pos, tab == std::string::npos ? std::string::npos : tab - pos)));
        pos = tab == std::string::npos ? lower.size() + 1 : tab + 1;
        if (cell.empty()) continue;
        std::size_t value_at = 0;
        if (label_of(cell, &value_at) == Label::None || value_at < cell.size()) return false;
    }
    return true;
}

// "Giltighetstid: 2024–2026", "Gäller 2025": whole years, valid to the last one's 31 December.
std::optional<Date> until_year(std::string_view value) {
    value = trim(value);
    std::optional<int> last;
    std::size_t i = 0;
    for (int n = 0; n < 2; ++n) {
        if (value.size() < i + 4 || !all_digits(value.substr(i, 4)) ||
            (value.size() > i + 4 && value[i + 4] >= '0' && value[i + 4] <= '9')) {
            break;
        }
        last = std::stoi(std::string(value.substr(i, 4)));
        i += 4;
        while (i < value.size() && (is_space(value[i]) || value[i] == '-')) ++i;
        if (value.substr(i, 3) == "\xE2\x80\x93" || value.substr(i, 3) == "\xE2\x80\x94") i += 3;  // – —
        while (i < value.size() && is_space(value[i])) ++i;
    }
    if (!last || *last < 1900 || *last > 2200) return std::nullopt;
    return Date::from_ymd(*last, 12u, 31u);
}

bool tills_vidare(std::string_view lower) {
    return lower.find("t.v") != std::string_view::npos || lower.find("tills vidare") != std::string_view::npos ||
           lower.find("tillsvidare") != std::string_view::npos;
}

// "KS 2024/123", "2024/000123", "KS 2024:12": a token <year>/<n> (or ':'), optionally after a
// series of capital letters. Returns the original-case span, "" when there is none.
std::string dnr_in(const Line& line, const std::vector<Token>& t, std::size_t from, bool need_prefix) {
    for (std::size_t i = from; i < t.size(); ++i) {
        const std::string_view w = t[i].word;
        const std::size_t slash = w.find_first_of("/:.");
        if (slash != 4 || w.size() < 6 || !all_digits(w.substr(0, 4))) continue;
        const std::string_view num = w.substr(5);
        const std::size_t digits = std::min(num.find_first_not_of("0123456789"), num.size());
        if (digits == 0 || digits > 7) continue;
        // "SN 2025.118": a dot only when the whole rest is the number (not "2024.05.12").
        if (w[4] == '.' && (digits != num.size() || digits < 2)) continue;
        std::size_t b = t[i].begin;
        const std::size_t e = t[i].begin + 5 + digits;
        bool prefix = false;
        if (i > from) {
            const std::string_view p = t[i - 1].word;
            const std::string_view orig = std::string_view(line.text).substr(t[i - 1].begin, p.size());
            const bool letters = !p.empty() && p.size() <= 8 &&
                                 std::all_of(orig.begin(), orig.end(), [](char c) {
                                     return (c >= 'A' && c <= 'Z') || c == '-' ||
                                            (static_cast<unsigned char>(c) >= 0x80);
                                 });
            if (letters && p != "dnr" && p != "diarienummer") {
                b = t[i - 1].begin;
                prefix = true;
            }
        }
        if (need_prefix && !prefix) continue;
        return line.text.substr(b, e - b);
    }
    return {};
}

std::vector<std::string> split_scope(std::string_view value) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        std::string_view v = trim(cur);
        while (!v.empty() && (v.back() == '.' || v.back() == ':')) v.remove_suffix(1);
        if (!v.empty() && out.size() < 50) out.emplace_back(v);
        cur.clear();
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == ',' || c == ';' || c == '\t') { flush(); continue; }
        // "A och B" is two units; "Miljö- och byggförvaltningen" is one.
        if (value.substr(i, 5) == " och " && !(i > 0 && value[i - 1] == '-')) { flush(); i += 4; continue; }
        cur += c;
    }
    flush();
    return out;
}

// The inventory's scope ids (socialtjanst, hsl) a unit named under Omfattning stands for.
// Words are matched in lower case, with or without the hyphen the municipality writes.
StringList scope_ids_lower(const std::string& l) {
    const auto has = [&l](std::string_view w) { return l.find(w) != std::string::npos; };
    bool social = false;
    bool health = false;
    // The whole organisation: every förvaltning, verksamhet or nämnd — social services and
    // municipal health care included.
    const bool all_word = has("samtliga") || has("alla ") || has("hela ");
    if (has("hela kommunen") || has("kommunkoncern") || has("hela organisationen") ||
        (all_word && (has("förvaltningar") || has("verksamheter") || has("nämnder") || has("anställda") ||
                      has("medarbetare")))) {
        social = health = true;
    }
    // Vård och omsorg runs äldreomsorg and funktionsstöd and the municipal health care.
    if (has("vård- och omsorg") || has("vård och omsorg") || has("vård-och omsorg") || has("omsorgsnämnd")) {
        social = health = true;
    }
    for (std::string_view w : {"socialtjänst", "socialförvaltning", "socialnämnd", "social förvaltning",
                               "individ- och familjeomsorg", "individ och familjeomsorg", "äldreomsorg",
                               "omsorgsförvaltning", "funktionshinder", "funktionsstöd", "funktionsnedsättning",
                               "ekonomiskt bistånd", "familjerätt", "missbruk", "socialpsykiatri", "hemtjänst",
                               "särskilt boende", "särskilda boenden", "särskilda boendet", "dagverksamhet",
                               "boendestöd", "lss"}) {
        if (w == "lss" ? (l == "lss" || has("(lss") || has(" lss") || starts_with(l, "lss ")) : has(w)) {
            social = true;
        }
    }
    if (has("hälso- och sjukvård") || has("hälso-och sjukvård") || has("hälso och sjukvård") ||
        has("hälso- och sjukvard") || has("hemsjukvård") || l == "hsl" || has("(hsl") || has(" hsl") || starts_with(l, "hsl ")) {
        health = true;
    }
    StringList out;
    if (social) out.emplace_back("socialtjanst");
    if (health) out.emplace_back("hsl");
    return out;
}

std::string doc_type_word(std::string_view w) {
    if (w == "protokoll" || w == "protokollsutdrag" || ends_with(w, "protokoll")) return "protokoll";
    if (ends_with(w, "policy")) return "policy";
    if (ends_with(w, "riktlinje") || ends_with(w, "riktlinjer")) return "riktlinje";
    if (w == "rutin" || w == "rutiner" || ends_with(w, "rutin")) return "rutin";
    if (ends_with(w, "instruktion")) return "instruktion";
    if (ends_with(w, "riskanalys")) return "riskanalys";
    if (ends_with(w, "plan") && w.size() > 4) return "plan";
    if (w == "plan") return "plan";
    if (w == "reglemente") return "reglemente";
    return {};
}

}  // namespace

DocumentText read_plain_text(std::string_view text) {
    DocumentText out;
    out.format = "text";
    int n = 0;
    std::string par;
    auto flush = [&] {
        if (!par.empty()) out.blocks.push_back({"stycke " + std::to_string(++n), par});
        par.clear();
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        std::string line(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) { flush(); continue; }
        // Markdown: headings and emphasis go, a table row's cells become tab-separated.
        std::size_t b = line.find_first_not_of(" \t#>");
        line = line.substr(b == std::string::npos ? line.size() : b);
        if (!line.empty() && line[0] == '|') {
            if (line.find_first_not_of("|-: \t") == std::string::npos) continue;  // |---|---|
            std::string row;
            for (char c : line.substr(1)) row += c == '|' ? '\t' : c;
            line = row;
        }
        line.erase(std::remove(line.begin(), line.end(), '*'), line.end());
        if (!par.empty()) par += '\n';
        par += line;
        if (par.size() > (1u << 20)) flush();
    }
    flush();
    return out;
}

StringList scope_ids(std::string_view unit) { return scope_ids_lower(lower_sv(clean(unit))); }

const StringList& document_classes() {
    static const StringList classes = {"policy", "riktlinje", "riskanalys", "informationsklassning",
                                       "kontinuitetsplan", "ledningens_genomgang"};
    return classes;
}

StringList classify_title(std::string_view title) {
    // Folded as file names write titles: lower case, å/ä → a, ö → o, é → e, and '-', '_', '.',
    // '%20', '+' between words as spaces.
    const std::string lower = lower_sv(clean(title.substr(0, 1000)));
    std::string f;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        const auto c = static_cast<unsigned char>(lower[i]);
        if (c == 0xC3 && i + 1 < lower.size()) {
            const auto d = static_cast<unsigned char>(lower[i + 1]);
            if (d == 0xA5 || d == 0xA4 || d == 0xA0 || d == 0xA1) { f += 'a'; ++i; continue; }
            if (d == 0xB6 || d == 0xB8) { f += 'o'; ++i; continue; }
            if (d == 0xA9 || d == 0xA8) { f += 'e'; ++i; continue; }
        }
        if (lower.compare(i, 3, "%20") == 0) { f += ' '; i += 2; continue; }
        if (c == '-' || c == '_' || c == '.' || c == '+' || is_space(static_cast<char>(c))) {
            if (f.empty() || f.back() != ' ') f += ' ';
            continue;
        }
        f += static_cast<char>(c);
    }
    f = " " + f + " ";
    const auto has = [&f](std::string_view w) { return f.find(w) != std::string::npos; };
    StringList out;
    if (has("policy")) out.emplace_back("policy");
    if (has("riktlinje")) out.emplace_back("riktlinje");
    if (has("riskanalys") || has("riskuppfoljning") || has("riskbedomning") || has("sarbarhetsanalys") ||
        has("risk och sarbarhet")) {
        out.emplace_back("riskanalys");
    }
    if (has("informationsklassning") || has("informationsklassificering") || has("klassning av information") ||
        has("klassificering av information") || has("klassa information")) {
        out.emplace_back("informationsklassning");
    }
    if (has("kontinuitet")) out.emplace_back("kontinuitetsplan");
    if (has("ledningens genomgang")) out.emplace_back("ledningens_genomgang");
    return out;
}

std::optional<Date> parse_swedish_date(std::string_view text) {
    const std::string lower = lower_sv(clean(text));
    const auto t = tokenize(lower);
    return date_at(t, 0, nullptr);
}

std::string normalise_body(std::string_view text) {
    const std::string lower = lower_sv(clean(text));
    const auto t = tokenize(lower);
    return body_in(t, 0, t.size());
}

namespace {

// Where the sentence holding token v starts: at most six tokens back, and not before a token that
// ends with a full stop ("§ 12." closes the sentence before "Reviderad av …").
std::size_t sentence_start(const std::string& lower, const std::vector<Token>& t, std::size_t v) {
    const std::size_t from = v >= 6 ? v - 6 : 0;
    for (std::size_t k = v; k-- > from;) {
        if (t[k].end < lower.size() && lower[t[k].end] == '.') {
            return k + 1;
        }
    }
    return from;
}

// One document's text → facts: the lines, the events found in them, and the facts chosen from
// those events. Each step is a member; text_facts runs them in order.
class FactReader {
public:
    explicit FactReader(const std::vector<TextBlock>& blocks) {
        split_lines(blocks);
        find_minutes();
        for (std::size_t li = 0; li < lines_.size(); ++li) read_line(li);
        date_undated_events();
        add_table_event();
        choose_decisions();
        find_document_type();
        if (scope_in_sentence_) put_once("omfattning", Value(scope_in_sentence_->first), scope_in_sentence_->second);
        if (truncated_) put_once("truncated", Value(true), "");
        if (!impossible_dates_.empty()) put_once("impossible_dates", Value(impossible_dates_), "");
    }
    std::map<std::string, TextFact> take() && { return std::move(facts_); }

private:
    using Dated = std::optional<std::pair<Date, std::string>>;  // date, evidence

    std::vector<Line> lines_;
    std::map<std::string, TextFact> facts_;
    std::vector<Event> events_;
    std::optional<std::pair<std::string, std::string>> table_body_;  // body, evidence
    Dated table_date_, meeting_date_, first_date_;
    Dated plain_date_;  // "Datum | 2024-01-29, § 7"
    std::optional<std::pair<StringList, std::string>> scope_in_sentence_;  // scope ids, evidence
    std::string dnr_labelled_, dnr_bare_, dnr_labelled_ev_, dnr_bare_ev_;
    bool minutes_ = false;
    bool proposal_section_ = false;  // inside "Förslag till beslut" (track_proposal_section)
    bool truncated_ = false;         // more than kMaxFactLines lines: the rest was not read
    StringList impossible_dates_;    // quotes of lines with a date no calendar has ("31 februari")
    struct History {
        static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
        std::size_t columns = 0;  // 0: not inside a version history
        std::size_t date = kNone;
        std::size_t body = kNone;
    };
    History history_;  // the version history table being read (read_history_row)
    bool staff_report_ = false;      // a tjänsteskrivelse: its "… beslutar att …" is a proposal
    std::string meeting_body_;

    void put_once(const std::string& name, Value v, std::string evidence) {
        if (facts_.count(name) == 0) facts_[name] = TextFact{std::move(v), std::move(evidence)};
    }

    // 1. Logical lines: trimmed, hyphenated line breaks joined ("informations-\nsäkerhet").
    void split_lines(const std::vector<TextBlock>& blocks) {
        for (const auto& block : blocks) {
            const std::string text = clean(block.text);
            std::string_view rest = text;
            std::string pending;
            while (!rest.empty() || !pending.empty()) {
                if (lines_.size() >= kMaxFactLines) {
                    truncated_ = true;
                    break;
                }
                std::string_view raw;
                if (!rest.empty()) {
                    const std::size_t nl = rest.find('\n');
                    raw = rest.substr(0, nl);
                    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
                }
                std::string cur = pending + std::string(trim(raw));
                pending.clear();
                if (joins_next(cur, rest, &pending)) continue;
                if (!cur.empty()) push_line(block.where, cur);
                if (rest.empty() && raw.empty()) break;
            }
        }
    }

    // A table row of label/value pairs side by side ("Dokumenttyp | Policy | Dokumentägare |
    // Kommundirektör", a front page in four columns) is one line per pair, as two columns would be.
    void push_line(const std::string& where, const std::string& text) {
        const std::vector<std::string> cells = split_cells(text);
        const auto whole_label = [](const std::string& cell) {
            std::size_t value_at = 0;
            const std::string lower = lower_sv(cell);
            return label_of(lower, &value_at) != Label::None && value_at >= lower.size();
        };
        bool pairs = cells.size() >= 4 && cells.size() % 2 == 0;
        for (std::size_t i = 0; pairs && i < cells.size(); i += 2) {
            pairs = whole_label(cells[i]) && !cells[i + 1].empty() && !whole_label(cells[i + 1]);
        }
        if (!pairs) {
            push_label_run(where, text);
            return;
        }
        for (std::size_t i = 0; i < cells.size() && lines_.size() < kMaxFactLines; i += 2) {
            const std::string pair = cells[i] + "\t" + cells[i + 1];
            lines_.push_back(Line{where, pair, lower_sv(pair)});
        }
    }

    // The same row as a PDF gives it, without tabs: "Dokumenttyp Policy Dokumentägare Kommundirektör".
    // In a line that starts with a label, a further label written with a capital letter after at
    // least one word of value starts a line of its own (bare verbs such as "beslutad" or "gäller"
    // never do: they are running text).
    void push_label_run(const std::string& where, const std::string& whole) {
        const std::string whole_lower = lower_sv(whole);
        std::size_t from = 0;  // iterative, linear: a hostile line of many labels costs one pass
        while (from < whole.size() && lines_.size() < kMaxFactLines) {
            const std::size_t cut = next_label_at(whole, whole_lower, from);
            const std::string part(trim(std::string_view(whole).substr(from, cut == std::string::npos ? std::string::npos : cut - from)));
            if (!part.empty()) lines_.push_back(Line{where, part, lower_sv(part)});
            if (cut == std::string::npos) break;
            from = cut;
        }
    }

    // Where, in the line from `from` on, the next label of a label run starts (see push_label_run);
    // npos when the rest is one label's value, or no label starts it.
    static std::size_t next_label_at(const std::string& text, const std::string& lower, std::size_t from) {
        std::size_t value_at = 0;
        std::size_t ignored = 0;
        const std::string_view rest = std::string_view(lower).substr(from);
        if (label_of(std::string(rest.substr(0, 64)), &value_at) == Label::None || from + value_at >= lower.size() ||
            label_of(lower.substr(from + value_at, 64), &ignored) != Label::None) {  // labels only: a header row
            return std::string::npos;
        }
        static constexpr std::array<std::string_view, 7> kBare = {"beslut", "gäller", "antagen", "antaget",
                                                                  "beslutad", "godkänd", "beslutande"};
        const std::size_t first_space = lower.find(' ', from + value_at);  // one word of value first
        for (std::size_t p = first_space; p != std::string::npos && p + 1 < lower.size(); p = lower.find(' ', p + 1)) {
            const std::size_t at = p + 1;
            const unsigned char c = static_cast<unsigned char>(text[at]);
            const bool capital = (c >= 'A' && c <= 'Z') ||
                                 (c == 0xC3 && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) >= 0x80 &&
                                  static_cast<unsigned char>(text[at + 1]) <= 0x9E);
            std::size_t next_value = 0;
            if (!capital || label_of(lower.substr(at, 64), &next_value) == Label::None) continue;
            const std::size_t end = lower.find_first_of(" :", at);
            const std::string_view word = std::string_view(lower).substr(at, end == std::string::npos ? std::string::npos : end - at);
            if (std::find(kBare.begin(), kBare.end(), word) != kBare.end()) continue;
            return at;
        }
        return std::string::npos;
    }

    static std::vector<std::string> split_cells(const std::string& text) {
        std::vector<std::string> cells;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            const std::size_t tab = text.find('\t', pos);
            cells.emplace_back(trim(std::string_view(text).substr(pos, tab == std::string::npos ? std::string::npos : tab - pos)));
            pos = tab == std::string::npos ? text.size() + 1 : tab + 1;
        }
        return cells;
    }

    // A line ending in a hyphen inside a word goes on in the next line: *pending gets the joined
    // start ("Barn- och utbildningsnämnden" keeps its hyphen).
    static bool joins_next(const std::string& cur, std::string_view rest, std::string* pending) {
        if (!(cur.size() > 1 && cur.back() == '-' && cur.size() < 4096 && !rest.empty())) return false;
        const char before = cur[cur.size() - 2];
        const std::string_view next = trim(rest.substr(0, rest.find('\n')));
        const bool letter = (before >= 'a' && before <= 'z') || (static_cast<unsigned char>(before) >= 0x80);
        if (!letter || !starts_lower_letter(next)) return false;
        if (starts_with(next, "och ") || starts_with(next, "eller ")) {
            *pending = cur + " ";
        } else {
            *pending = cur.substr(0, cur.size() - 1);
        }
        return true;
    }

    // Minutes (protokoll, protokollsutdrag): a paragraph line "§ 45 …", or the words protokoll,
    // sammanträde, justerare near the top. Their decisions are the meeting body's (the first
    // body named at the top: "Kommunstyrelsens arbetsutskott" → kommunstyrelsen).
    void find_minutes() {
        for (std::size_t li = 0; li < std::min<std::size_t>(lines_.size(), 60); ++li) {
            const std::string& l = lines_[li].lower;
            if ((starts_with(l, "§") && l.size() > 3 && (l[2] == ' ' || (l[2] >= '0' && l[2] <= '9'))) ||
                l.find("protokoll") != std::string::npos || l.find("sammanträd") != std::string::npos ||
                l.find("justerare") != std::string::npos) {
                minutes_ = true;
            }
        }
        for (std::size_t li = 0; li < std::min<std::size_t>(lines_.size(), 12); ++li) {
            const std::string& l = lines_[li].lower;
            if (l.find("tjänsteskrivelse") != std::string::npos || l.find("tjänsteutlåtande") != std::string::npos) {
                staff_report_ = true;
            }
        }
        if (!minutes_) return;
        for (std::size_t li = 0; li < std::min<std::size_t>(lines_.size(), 12) && meeting_body_.empty(); ++li) {
            const auto t = tokenize(lines_[li].lower);
            meeting_body_ = body_in(t, 0, t.size());
        }
    }

    void read_line(std::size_t li) {
        const Line& line = lines_[li];
        const auto t = tokenize(line.lower);
        if (t.empty()) return;
        if (!first_date_ && li < 40) {
            if (auto d = find_date(t, 0, t.size())) first_date_ = std::make_pair(*d, quote(line));
        }
        for (std::size_t i = 0; i < t.size() && impossible_dates_.size() < 20; ++i) {
            if (impossible_date_at(t, i)) {
                impossible_dates_.push_back(quote(line));
                break;
            }
        }
        read_history_row(li);
        std::size_t value_at = 0;
        Label label = label_of(line.lower, &value_at);
        if (label != Label::None && header_row(line.lower)) label = Label::None;
        read_dnr(li, t);
        // A proposal is not a decision: "Förslag till beslut: …", "Kommunstyrelsen föreslog/föreslår
        // … att kommunfullmäktige antar …", "yrkar bifall" — nor is anything that follows a
        // "Förslag till beslut" heading until the next section ("Ärendet", "Bakgrund", "Beslut" …).
        track_proposal_section(line.lower);
        if (proposal_section_) return;
        if (label != Label::None) read_labelled(li, label, value_at);
        read_validity(li, t, label);
        const bool proposal = starts_with(line.lower, "förslag") ||
                              line.lower.find("förslag till beslut") != std::string::npos ||
                              line.lower.find("föresl") != std::string::npos ||
                              line.lower.find("yrka") != std::string::npos;
        if (proposal) return;
        read_sentences(li, t, label);
        read_minutes_decision(li, t);
    }

    // A version history (DOCX/ODT table: "Version | Datum | Beslutad av | Ändring"): each row with a
    // date is an event — a decision when its body can adopt (kommunfullmäktige …), else a revision
    // ("Informationssäkerhetssamordnare | Redaktionell ändring"). The row is read as any other line
    // too (a header-and-values table is also such a table; its event is then found twice, alike).
    void read_history_row(std::size_t li) {
        const Line& line = lines_[li];
        if (line.lower.find('\t') == std::string::npos) {
            history_ = {};
            return;
        }
        const std::vector<std::string> cells = split_cells(line.lower);
        if (history_.columns == 0) {
            static constexpr std::array<std::string_view, 5> kDate = {"datum", "beslutsdatum", "fastställd", "beslutad",
                                                                      "datum för beslut"};
            static constexpr std::array<std::string_view, 7> kBody = {"beslutad av", "beslutsinstans", "fastställd av",
                                                                      "beslutsfattare", "instans", "antagen av",
                                                                      "godkänd av"};
            History h;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                if (std::find(kDate.begin(), kDate.end(), cells[c]) != kDate.end()) h.date = c;
                if (std::find(kBody.begin(), kBody.end(), cells[c]) != kBody.end()) h.body = c;
            }
            if (h.date == History::kNone || h.body == History::kNone) return;
            h.columns = cells.size();
            history_ = h;
            return;
        }
        if (cells.size() != history_.columns) {
            history_ = {};
            return;
        }
        const auto date_tokens = tokenize(cells[history_.date]);
        const auto date = find_date(date_tokens, 0, date_tokens.size());
        if (!date) return;  // a row without a date says nothing about a decision
        const auto body_tokens = tokenize(cells[history_.body]);
        const std::string body = body_in(body_tokens, 0, body_tokens.size());
        events_.push_back(Event{body.empty() ? Kind::Revise : Kind::Decide, date, body, quote(line), li});
    }

    // A "Förslag till beslut" heading (outside minutes) opens a proposal; a section heading closes it
    // ("Ärendet", "Bakgrund", "Beslut", "Kommunstyrelsens beslut", "§ 12" …).
    void track_proposal_section(const std::string& lower) {
        // Only a heading opens a section ("Förslag till beslut", alone on its line); inline
        // ("Förslag till beslut: …") the proposal is that line, and minutes go on to the decision.
        const std::string_view heading_text = trim(std::string_view(lower));
        for (const std::string_view opens : {"förslag till beslut", "förvaltningens förslag", "föreslaget beslut"}) {
            if (!minutes_ && (heading_text == opens || heading_text == std::string(opens) + ":")) {
                proposal_section_ = true;
                return;
            }
        }
        if (!proposal_section_) return;
        // A heading is a short line of its own: one of these words, "§ 12 …", or "<Body>s beslut".
        static constexpr std::array<std::string_view, 13> kSections = {
            "ärendet", "ärendebeskrivning", "bakgrund", "beslut", "sammanfattning", "beredning", "yttrande",
            "konsekvenser", "ekonomiska konsekvenser", "skäl för beslut", "motivering", "beslutsunderlag",
            "protokoll"};
        std::string_view trimmed = trim(std::string_view(lower));
        if (ends_with(trimmed, ":")) trimmed.remove_suffix(1);
        const bool body_decision_heading = trimmed.size() < 40 && ends_with(trimmed, "s beslut");
        const bool heading = body_decision_heading || starts_with(trimmed, "§") ||
                             std::find(kSections.begin(), kSections.end(), trimmed) != kSections.end();
        if (heading) proposal_section_ = false;
    }

    // The value of a label: after it on its line, or the next line when that is no label (table
    // cells, PDF rows); *from is the line it came from.
    std::string value_of(std::size_t li, std::size_t value_at, const Line** from) const {
        const Line& line = lines_[li];
        *from = &line;
        if (value_at < line.text.size()) return line.text.substr(value_at);
        if (li + 1 < lines_.size()) {
            std::size_t ignored = 0;
            if (label_of(lines_[li + 1].lower, &ignored) == Label::None) {
                *from = &lines_[li + 1];
                return lines_[li + 1].text;
            }
        }
        return {};
    }

    static Kind kind_of(Label label) {
        if (label == Label::BodyAdopt || label == Label::DateAdopt) return Kind::Adopt;
        if (label == Label::BodyRevise || label == Label::DateRevise) return Kind::Revise;
        return Kind::Decide;
    }

    void read_labelled(std::size_t li, Label label, std::size_t value_at) {
        const Line& line = lines_[li];
        const Line* from = &line;
        const std::string value = value_of(li, value_at, &from);
        const std::string vlower = lower_sv(value);
        const auto vt = tokenize(vlower);
        std::string ev = quote(line);
        if (from != &line) ev += " + " + quote(*from);
        switch (label) {
            case Label::BodyAdopt:
            case Label::BodyDecide:
            case Label::BodyRevise: {
                const std::string body = body_in(vt, 0, vt.size());
                const auto date = find_date(vt, 0, vt.size());
                const Kind kind = kind_of(label);
                if (date) {
                    events_.push_back(Event{kind, date, body, ev, li});
                } else if (!body.empty() && kind != Kind::Revise && !table_body_) {
                    table_body_ = std::make_pair(body, ev);
                }
                break;
            }
            case Label::DateAdopt:
            case Label::DateDecide:
            case Label::DateRevise:
                if (const auto date = find_date(vt, 0, vt.size())) {
                    const std::string body = body_in(vt, 0, vt.size());
                    const Kind kind = kind_of(label);
                    if (!body.empty() || kind == Kind::Revise) {
                        events_.push_back(Event{kind, date, body, ev, li});
                    } else if (!table_date_) {
                        table_date_ = std::make_pair(*date, ev);
                    }
                }
                break;
            case Label::Meeting:
                if (const auto date = find_date(vt, 0, vt.size()); date && !meeting_date_) {
                    meeting_date_ = std::make_pair(*date, ev);
                }
                break;
            case Label::Dnr:
                if (dnr_labelled_.empty()) {
                    const Line vline{from->where, value, vlower};
                    dnr_labelled_ = dnr_in(vline, vt, 0, false);
                    if (!dnr_labelled_.empty()) dnr_labelled_ev_ = ev;
                }
                break;
            case Label::Valid:
                read_valid_until(vt, vlower, ev);
                break;
            case Label::ValidFrom:
                break;  // when it came into force, not how long it stays
            case Label::Date:
                if (const auto date = find_date(vt, 0, vt.size()); date && !plain_date_) {
                    plain_date_ = std::make_pair(*date, ev);
                }
                break;
            case Label::Scope:
                read_scope(from == &line ? li : li + 1, value, ev);
                break;
            case Label::Owner:
                if (!trim(value).empty()) put_once("dokumentagare", Value(std::string(trim(value))), ev);
                break;
            case Label::Type:
                if (!trim(value).empty()) put_once("dokumenttyp", Value(lower_sv(trim(value))), ev);
                break;
            case Label::None:
                break;
        }
    }

    // "2024-04-09 – 2026-12-31": a period is valid until its last date.
    void read_valid_until(const std::vector<Token>& vt, const std::string& vlower, const std::string& ev) {
        std::optional<Date> until;
        for (std::size_t i = 0; i < vt.size();) {
            std::size_t used = 0;
            if (auto d = date_at(vt, i, &used)) {
                until = d;
                i += used;
            } else {
                ++i;
            }
        }
        if (!until) until = until_year(vlower);
        if (until) {
            put_once("giltig_till", Value(*until), ev);
        } else if (tills_vidare(vlower)) {
            put_once("giltig_tills_vidare", Value(true), ev);
        }
    }

    // A list wrapped over lines ("Socialförvaltningen,\nUtbildningsförvaltningen"): read on while a
    // line ends in a comma, "och" or a hyphen, or the next line goes on in lower case ("… och den\n
    // kommunala hälso- och sjukvården"). Units the inventory knows become its scope ids
    // (socialtjanst, hsl); the others are kept as written. The quoted words stay in the evidence.
    void read_scope(std::size_t value_line, std::string list, std::string ev) {
        std::size_t next = value_line + 1;
        for (int more = 0; more < 8 && next < lines_.size(); ++more, ++next) {
            const std::string_view tail = trim(list);
            if (!(ends_with(tail, ",") || ends_with(tail, " och") || ends_with(tail, "-") ||
                  (!tail.empty() && tail.back() != '.' && starts_lower_letter(lines_[next].text)))) {
                break;
            }
            std::size_t ignored = 0;
            if (label_of(lines_[next].lower, &ignored) != Label::None) break;
            list += " " + lines_[next].text;
            ev += " + " + quote(lines_[next]);
        }
        StringList mapped;
        StringList unmatched;
        for (const auto& item : split_scope(list)) {
            const StringList ids = scope_ids_lower(lower_sv(item));
            if (ids.empty()) unmatched.push_back(item);
            for (const auto& id : ids) {
                if (std::find(mapped.begin(), mapped.end(), id) == mapped.end()) mapped.push_back(id);
            }
        }
        std::sort(mapped.begin(), mapped.end(), [](const std::string& a, const std::string& b) {
            return (a == "socialtjanst") > (b == "socialtjanst");
        });
        mapped.insert(mapped.end(), unmatched.begin(), unmatched.end());
        if (!mapped.empty()) put_once("omfattning", Value(std::move(mapped)), ev);
    }

    // "… och gäller tills vidare." in running text: valid until further notice; "Riktlinjen
    // gäller till och med 2026-06-30.": valid until that date.
    void read_validity(std::size_t li, const std::vector<Token>& t, Label label) {
        const Line& line = lines_[li];
        if (label != Label::Valid && label != Label::ValidFrom) {
            for (std::size_t i = 0; i < t.size(); ++i) {
                if (!validity_date(t, i)) continue;
                if (auto d = date_at(t, i, nullptr)) {
                    put_once("giltig_till", Value(*d), quote(line));
                    break;
                }
            }
        }
        if (label != Label::None) return;
        // The sentence may wrap after the verb ("Den gäller\ntills vidare."): read on into the
        // next line of the same block.
        const Line* next = li + 1 < lines_.size() && lines_[li + 1].where == line.where ? &lines_[li + 1] : nullptr;
        const std::string lower = next != nullptr ? line.lower + " " + next->lower : line.lower;
        for (const std::string_view verb : {"gäller", "giltig", "gälla"}) {
            for (std::size_t at = lower.find(verb); at != std::string::npos && at < line.lower.size();
                 at = lower.find(verb, at + verb.size())) {
                const std::string_view after = std::string_view(lower).substr(at + verb.size(), 25);
                if (!starts_with(after, " ")) continue;
                const std::string_view words = after.substr(1);
                if (starts_with(words, "tills vidare") || starts_with(words, "tillsvidare") ||
                    starts_with(words, "t.v.") || starts_with(words, "t v ")) {
                    const bool wrapped = at + verb.size() + 1 >= line.lower.size();
                    put_once("giltig_tills_vidare", Value(true), quote(line) + (wrapped ? " + " + quote(*next) : ""));
                }
            }
        }
        read_scope_in_sentence(li, next);
    }

    // "Policyn gäller för samtliga förvaltningar, inklusive socialtjänsten." in running text: the
    // units after "gäller för" up to the full stop (on into the next line of the block) that the
    // inventory knows as scopes. Kept apart and used only when no Omfattning label names the scope
    // (take_scope_in_sentence); words that name no known unit say nothing here.
    void read_scope_in_sentence(std::size_t li, const Line* next) {
        if (scope_in_sentence_) return;
        const Line& line = lines_[li];
        const std::size_t at = line.lower.find("gäller för ");
        if (at == std::string::npos) return;
        std::string units = line.lower.substr(at + std::string_view("gäller för ").size());
        std::string ev = quote(line);
        if (units.find('.') == std::string::npos && next != nullptr) {
            units += " " + next->lower;
            ev += " + " + quote(*next);
        }
        units = units.substr(0, units.find(". "));
        if (!units.empty() && units.back() == '.') units.pop_back();
        StringList ids = scope_ids_lower(units);
        if (!ids.empty()) scope_in_sentence_ = std::make_pair(std::move(ids), std::move(ev));
    }

    // Diarienummer anywhere: "Dnr KS 2024/123" in running text or a header, also when the number
    // wraps onto the next line ("… Dnr KS\n2024/123", a PDF's column or a narrow table cell).
    void read_dnr(std::size_t li, const std::vector<Token>& t) {
        const Line& line = lines_[li];
        for (std::size_t i = 0; i < t.size() && dnr_labelled_.empty(); ++i) {
            if (t[i].word == "dnr" || t[i].word == "diarienummer" || t[i].word == "diarienr") {
                dnr_labelled_ = dnr_in(line, t, i + 1, false);
                if (!dnr_labelled_.empty()) {
                    dnr_labelled_ev_ = quote(line);
                } else if (t.size() - i <= 3 && li + 1 < lines_.size()) {
                    const std::string text = line.text.substr(t[i].begin) + " " + lines_[li + 1].text;
                    const Line joined{line.where, text, lower_sv(text)};
                    const auto jt = tokenize(joined.lower);
                    dnr_labelled_ = dnr_in(joined, jt, 1, false);
                    if (!dnr_labelled_.empty()) dnr_labelled_ev_ = quote(line) + " + " + quote(lines_[li + 1]);
                }
            }
        }
        if (dnr_bare_.empty()) {
            dnr_bare_ = dnr_in(line, t, 0, true);
            if (!dnr_bare_.empty()) dnr_bare_ev_ = quote(line);
        }
    }

    // Sentences: "<verb> av <body> [den] <date>[, § N]" or "<body> har den <date> <verb> …". Every
    // verb is read: "Antagen av … 2010 … Reviderad av … 2014" on one line is two events.
    void read_sentences(std::size_t li, const std::vector<Token>& t, Label label) {
        const Line& line = lines_[li];
        for (std::size_t v = 0; v < t.size(); ++v) {
            const auto kind = verb_kind(t[v].word);
            if (!kind) continue;
            // Words before the verb ("Kommunstyrelsen har den 3 mars 2014 antagit") belong to
            // its sentence only back to the previous full stop: "… 2019, § 12. Reviderad av" does
            // not take the earlier sentence's body and date.
            const std::size_t back = sentence_start(line.lower, t, v);
            std::string body = body_in(t, v + 1, v + 8);
            if (body.empty() && v > back) body = body_in(t, back, v);
            auto date = find_decision_date(t, v + 1, v + 14);
            if (!date && v > back) date = find_decision_date(t, back, v);
            std::string ev = quote(line);
            if (!date && li + 1 < lines_.size() && t.size() - v < 8) {
                // The sentence wraps: "Fastställd av Kommunfullmäktige\nden 25 juni 2018".
                const auto next = tokenize(lines_[li + 1].lower);
                date = find_date(next, 0, 8);
                if (body.empty()) body = body_in(next, 0, 8);
                if (date) ev += " + " + quote(lines_[li + 1]);
            }
            if (!date || (label != Label::None && body.empty())) continue;
            const bool dup = std::any_of(events_.begin(), events_.end(), [&](const Event& e) {
                return e.order == li && e.date == date;
            });
            if (!dup) events_.push_back(Event{*kind, date, body, ev, li});
        }
    }

    // Minutes: "Kommunfullmäktige beslutar att anta …"; in minutes also "Kommunstyrelsen
    // antar/fastställer/godkänner …", "Arbetsutskottet beslutar …" and "Policyn revideras …",
    // whose body is the meeting's (named at the top).
    void read_minutes_decision(std::size_t li, const std::vector<Token>& t) {
        if (staff_report_) return;  // a tjänsteskrivelse proposes what the body "beslutar"; it decides nothing
        static constexpr std::array<std::string_view, 8> present = {
            "antar", "fastställer", "godkänner", "reviderar", "antog", "fastställde", "godkände", "reviderade"};
        static constexpr std::array<std::string_view, 4> passive = {"antas", "fastställs", "godkänns", "revideras"};
        for (std::size_t v = 0; v < t.size(); ++v) {
            const std::string_view w = t[v].word;
            const bool decides = w == "beslutar" || w == "beslutade" || w == "beslöt";
            const bool active = minutes_ && std::find(present.begin(), present.end(), w) != present.end();
            const bool passive_verb = minutes_ && std::find(passive.begin(), passive.end(), w) != passive.end();
            if (!decides && !active && !passive_verb) continue;
            std::string body = passive_verb ? std::string() : body_in(t, v >= 5 ? v - 5 : 0, v);
            if (body.empty() && minutes_ && v < 6) body = meeting_body_;
            if (body.empty()) {
                if (decides) break;
                continue;
            }
            Kind kind = (w == "antar" || w == "antog" || w == "antas") ? Kind::Adopt : Kind::Decide;
            for (std::size_t k = v + 1; k < std::min(t.size(), v + 4); ++k) {
                if (t[k].word == "anta") kind = Kind::Adopt;
            }
            events_.push_back(Event{kind, find_decision_date(t, 0, t.size()), body, quote(lines_[li]), li});
            break;
        }
    }

    // Minutes without a date on the decision line take the meeting's date.
    void date_undated_events() {
        for (auto& e : events_) {
            if (!e.date && (meeting_date_ || first_date_)) {
                const auto& d = meeting_date_ ? *meeting_date_ : *first_date_;
                e.date = d.first;
                e.evidence += " + " + d.second;
            }
        }
    }

    // A table of labels ("Beslutad av | Kommunstyrelsen", "Beslutsdatum | 2024-01-29") is one decision.
    void add_table_event() {
        if (table_body_ && !table_date_ && plain_date_) table_date_ = plain_date_;
        if (!table_date_ && !table_body_) return;
        Event e;
        e.kind = Kind::Decide;
        if (table_date_) e.date = table_date_->first;
        if (table_body_) e.body = table_body_->first;
        e.evidence = table_body_ ? table_body_->second : std::string();
        if (table_date_) e.evidence += (e.evidence.empty() ? "" : " + ") + table_date_->second;
        e.order = 0;
        events_.push_back(e);
    }

    // A revision is a decision by its body unless it is editorial ("Redaktionell ändring") or made
    // by an official (the kommundirektör) in a document of kommunfullmäktige, whose decisions no
    // official can take; the kommundirektör revising a lower body's document under delegation,
    // or the förvaltningsledning (a body) revising, decides.
    bool mark_council_and_editorial() {
        bool council_document = false;
        for (auto& e : events_) {
            if (e.kind != Kind::Revise && e.body == "kommunfullmäktige") council_document = true;
            if (e.kind == Kind::Revise && lower_sv(e.evidence).find("redaktionell") != std::string::npos) {
                e.editorial = true;
            }
        }
        return council_document;
    }

    // 2. Decisions: the latest by a body that can adopt (or a dated decision with no body named,
    // as in a table with only "Beslutsdatum"); the first adoption; the latest revision.
    void choose_decisions() {
        const bool council_document = mark_council_and_editorial();
        const Event* latest = nullptr;
        const Event* first_adopt = nullptr;
        const Event* last_revision = nullptr;
        const Event* first_decision = nullptr;
        for (const auto& e : events_) {
            if (e.kind == Kind::Revise && e.date && (!last_revision || *last_revision->date < *e.date)) {
                last_revision = &e;
            }
            if (e.kind == Kind::Adopt && e.date && (!first_adopt || *e.date < *first_adopt->date)) {
                first_adopt = &e;
            }
            // Without an "antagen" word, the first dated decision by a body is the adoption.
            if (e.kind == Kind::Decide && e.date && !e.body.empty() &&
                (!first_decision || *e.date < *first_decision->date)) {
                first_decision = &e;
            }
            const bool official = e.body == "kommundirektör";
            const bool decision = e.kind != Kind::Revise ||
                                  (!e.body.empty() && !e.editorial && !(official && council_document));
            if (decision && later_decision(e, latest)) latest = &e;
        }
        put_decisions(latest, first_adopt ? first_adopt : first_decision, last_revision);
        name_disagreeing_bodies(latest);
    }

    // The rank of a decision body, for two statements of one day that name different bodies:
    // the one higher in the municipality's order wins, whatever the order the format puts the
    // text in (a DOCX reads its footer first, a PDF last).
    static int body_rank(const std::string& body) {
        if (body == "kommunfullmäktige") return 5;
        if (body == "kommunstyrelsen") return 4;
        if (starts_with(body, "nämnd:")) return 3;
        if (body == "förvaltningsledning") return 2;
        return body.empty() ? 0 : 1;
    }

    static bool later_decision(const Event& e, const Event* latest) {
        if (!latest) return true;
        const bool later = e.date && (!latest->date || *latest->date < *e.date);
        const bool same_day = e.date && latest->date && *e.date == *latest->date;
        const int rank = body_rank(e.body);
        const int latest_rank = body_rank(latest->body);
        const bool same_better = same_day && (rank > latest_rank || (rank == latest_rank && e.body < latest->body));
        return later || same_better;
    }

    // Two statements of the latest decision's day that name different bodies ("Beslutad av
    // kommunstyrelsen 2024-03-12" in the footer, "… av kommunfullmäktige 2024-03-12" in the text)
    // disagree: never settled silently, each is named (the probe adds them to document.conflicts).
    void name_disagreeing_bodies(const Event* latest) {
        if (latest == nullptr || !latest->date || latest->body.empty()) return;
        StringList named;
        for (const auto& e : events_) {
            if (e.kind == Kind::Revise || !e.date || *e.date != *latest->date || e.body.empty() || e.body == latest->body) {
                continue;
            }
            const std::string said = "beslutad_av: " + latest->evidence + " says " + latest->body + ", " + e.evidence +
                                     " says " + e.body;
            if (std::find(named.begin(), named.end(), said) == named.end()) named.push_back(said);
        }
        if (!named.empty()) put_once("conflicts", Value(std::move(named)), latest->evidence);
    }

    void put_decisions(const Event* latest, const Event* first_adopt, const Event* last_revision) {
        if (latest) {
            if (latest->date) put_once("beslutad", Value(*latest->date), latest->evidence);
            if (!latest->body.empty()) {
                put_once("beslutad_av", Value(latest->body), latest->evidence);
            } else if (table_body_) {
                put_once("beslutad_av", Value(table_body_->first), table_body_->second);
            }
        }
        if (first_adopt) {
            put_once("antagen", Value(*first_adopt->date), first_adopt->evidence);
            if (!first_adopt->body.empty()) put_once("antagen_av", Value(first_adopt->body), first_adopt->evidence);
        }
        if (last_revision) put_once("reviderad", Value(*last_revision->date), last_revision->evidence);
        if (!dnr_labelled_.empty()) {
            put_once("diarienummer", Value(dnr_labelled_), dnr_labelled_ev_);
        } else if (!dnr_bare_.empty()) {
            put_once("diarienummer", Value(dnr_bare_), dnr_bare_ev_);
        }
    }

    // Without a "Dokumenttyp" label, the first type word in the first lines ("Riktlinje för …").
    void find_document_type() {
        if (facts_.count("dokumenttyp") != 0) return;
        for (std::size_t li = 0; li < std::min<std::size_t>(lines_.size(), 15); ++li) {
            for (const auto& tok : tokenize(lines_[li].lower)) {
                const std::string type = doc_type_word(tok.word);
                if (type.empty()) continue;
                put_once("dokumenttyp", Value(type), quote(lines_[li]));
                return;
            }
        }
    }
};

}  // namespace

std::map<std::string, TextFact> text_facts(const std::vector<TextBlock>& blocks) {
    return FactReader(blocks).take();
}

// Pure, so the probe can tell formats apart without linking the readers (reader_main.cpp has them).
std::string sniff_format(std::string_view bytes, std::string_view name) {
    if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "pdf";
    if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return "zip";
    const std::string ext = lower_sv(name.substr(name.rfind('.') == std::string_view::npos ? name.size() : name.rfind('.')));
    if (ext == ".docx" || ext == ".odt") return "zip";  // damaged: libzip says how
    if (ext == ".pdf") return "pdf";
    std::string head = lower_sv(bytes.substr(0, 512));
    head.erase(0, std::min(head.size(), head.find_first_not_of(" \t\r\n\xEF\xBB\xBF")));
    if (ext == ".html" || ext == ".htm" || head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0) {
        return "html";
    }
    if (bytes.substr(0, 65536).find('\0') != std::string_view::npos) return "";
    return "text";
}

}  // namespace lisa
