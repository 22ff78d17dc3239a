// SPDX-License-Identifier: Apache-2.0
// The starting inventory from a system register (lisa/register/register.hpp): the columns lisa
// knows by their Swedish names (or a mapping file), each value checked the way the inventory
// loader will check it, and the one placeholder wherever the register does not say.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>

#include "../common/yaml_reader.hpp"
#include "lisa/core/value.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/inventory/url.hpp"
#include "lisa/register/register.hpp"

namespace lisa::reg {
namespace {

struct FieldInfo {
    Field field;
    const char* name;                       // canonical, as the mapping file names it
    std::vector<std::string> synonyms;      // folded (see fold())
};

const std::vector<FieldInfo>& fields() {
    static const std::vector<FieldInfo> table = {
        {Field::System, "System", {"system", "systemnamn", "systemets namn", "system/tjanst", "it-system", "namn"}},
        {Field::Owner, "Systemägare", {"systemagare", "agare"}},
        {Field::Area, "Förvaltning/Verksamhet",
         {"forvaltning/verksamhet", "forvaltning / verksamhet", "forvaltning", "verksamhet", "verksamhetsomrade",
          "verksamhetsomraden"}},
        {Field::Confidentiality, "Konfidentialitet", {"k", "konfidentialitet"}},
        {Field::Integrity, "Riktighet", {"r", "riktighet"}},
        {Field::Availability, "Tillgänglighet", {"t", "tillganglighet"}},
        {Field::Krt, "K/R/T", {"k/r/t", "krt", "k-r-t", "k r t", "klassning k/r/t", "informationsklassning"}},
        {Field::PersonalData, "Personuppgifter",
         {"personuppgifter", "pu", "innehaller personuppgifter", "behandlar personuppgifter"}},
        {Field::Sensitive, "Känsliga personuppgifter",
         {"kansliga personuppgifter", "kansliga pu", "kansliga uppgifter"}},
        {Field::Supplier, "Leverantör", {"leverantor"}},
        {Field::Url, "URL", {"url", "webbadress", "adress", "lank"}},
        {Field::ClassifiedOn, "Klassningsdatum", {"klassningsdatum", "klassad", "datum for klassning", "klassad datum"}},
    };
    return table;
}

// Case, space and å/ä/ö-insensitive form of a column name or value (ASCII lower case; å ä → a,
// ö → o, é → e, ü → u; runs of blanks → one space; a trailing ':' or '*' dropped).
std::string fold(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == 0xC3 && i + 1 < in.size()) {
            const unsigned char d = static_cast<unsigned char>(in[i + 1]);
            char mapped = 0;
            switch (d) {
                case 0xA5: case 0xA4: case 0x85: case 0x84: case 0xA0: case 0xA1: case 0x80: case 0x81: mapped = 'a'; break;
                case 0xB6: case 0x96: case 0xB8: case 0x98: mapped = 'o'; break;
                case 0xA9: case 0x89: case 0xA8: case 0x88: mapped = 'e'; break;
                case 0xBC: case 0x9C: mapped = 'u'; break;
                default: break;
            }
            if (mapped != 0) {
                out += mapped;
                ++i;
                continue;
            }
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xA0)) {
            if (c == 0xC2) ++i;
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ':' || out.back() == '*')) out.pop_back();
    return out;
}

// A column name as lisa compares it (fold()), without what registers add around the name:
// parenthesised or bracketed parts ("Konfidentialitet (K)", "Personuppgifter (Ja/Nej)",
// "K [1-4]"), a level word at the end ("K-nivå", "Konfidentialitetsnivå", "K nivå") and the
// punctuation left behind.
std::string header_key(std::string_view name) {
    const std::string folded = fold(name);
    std::string out;
    int depth = 0;
    for (const char c : folded) {
        if (c == '(' || c == '[') {
            ++depth;
        } else if (c == ')' || c == ']') {
            depth = depth > 0 ? depth - 1 : 0;
        } else if (depth == 0) {
            out += c;
        }
    }
    const auto trim_punct = [&]() {
        while (!out.empty() && (out.back() == ' ' || out.back() == ':' || out.back() == '*' || out.back() == '-' ||
                                out.back() == ',' || out.back() == '.')) {
            out.pop_back();
        }
        while (!out.empty() && out.front() == ' ') out.erase(0, 1);
    };
    trim_punct();
    for (const char* suffix : {"nivaer", "niva"}) {
        const std::string sfx(suffix);
        if (out.size() > sfx.size() && out.compare(out.size() - sfx.size(), sfx.size(), sfx) == 0) {
            out.resize(out.size() - sfx.size());
            trim_punct();
            // The joining s of a compound: "Konfidentialitetsnivå", "Konfidentialitets-nivå".
            if (out.size() > 3 && out.back() == 's') out.pop_back();
            break;
        }
    }
    std::string collapsed;
    for (const char c : out) {
        if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
        collapsed += c;
    }
    return collapsed;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// One line of text for a YAML comment: controls and newlines become spaces.
std::string comment_text(std::string_view s) {
    std::string out;
    for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
    return trim(out).substr(0, 200);
}

// A YAML double-quoted scalar.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (u < 0x20 || u == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

const std::string kHole = quoted(kPlaceholder);

std::optional<bool> yes_no(const std::string& cell) {
    static const std::set<std::string> yes = {"ja", "j", "x", "yes", "y", "true", "sant", "1", "✓", "✔", "delvis"};
    static const std::set<std::string> no = {"nej", "n", "no", "false", "falskt", "0", "-"};
    const std::string f = fold(cell);
    if (yes.count(f)) return true;
    if (no.count(f)) return false;
    return std::nullopt;
}


// "3/2/2", "3-2-2", "3,2,2", "3 2 2", "322", "K3 R2 T2" → three levels.
std::optional<std::array<int, 3>> krt_levels(const std::string& cell) {
    std::array<int, 3> out{};
    std::size_t n = 0;
    for (char c : cell) {
        if (c >= '0' && c <= '9') {
            if (n == 3 || c > '4') return std::nullopt;
            out[n++] = c - '0';
        }
    }
    if (n != 3) return std::nullopt;
    return out;
}

std::string slug(const std::string& name) {
    std::string out;
    for (char c : fold(name)) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out += c;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 48) {
        out.resize(48);
        while (!out.empty() && out.back() == '-') out.pop_back();
    }
    return out.empty() ? "system" : out;
}

std::string cell_of(const std::vector<std::string>& row, int col) {
    return col >= 0 && static_cast<std::size_t>(col) < row.size() ? trim(row[static_cast<std::size_t>(col)]) : "";
}

// The field a register column names: the mapping file first, then lisa's names — as written
// (folded), then without parentheses, units and level words (header_key).
std::optional<Field> field_of(const std::string& name, const ColumnMapping& mapping) {
    for (const auto& [mapped, field] : mapping.columns) {
        if (fold(mapped) == fold(name)) return field;
    }
    const std::string folded = fold(name);
    const std::string key = header_key(name);
    for (const std::string& candidate : {folded, key}) {
        if (candidate.empty()) continue;
        for (const auto& info : fields()) {
            if (std::find(info.synonyms.begin(), info.synonyms.end(), candidate) != info.synonyms.end()) {
                return info.field;
            }
        }
    }
    return std::nullopt;
}

// A KLASSA level as registers write it: "3", "3.0", "K3", "Nivå 3", "3 – Allvarlig skada", or
// KLASSA's consequence words alone (SKR KLASSA, /work/shared/domain/peer-scanners.md §3:
// 0 "Ingen eller försumbar skada", 1 "Måttlig skada", 2 "Betydande skada", 3 "Allvarlig skada",
// 4 "Synnerligen allvarlig skada"). Anything else (5, "Hög", "Låg") is nullopt: the register's
// value is then quoted beside the placeholder.
std::optional<int> klassa_word(const std::string& folded) {
    std::string w = folded;
    const std::string skada = " skada";
    if (w.size() > skada.size() && w.compare(w.size() - skada.size(), skada.size(), skada) == 0) w.resize(w.size() - skada.size());
    if (w == "ingen" || w == "forsumbar" || w == "ingen eller forsumbar") return 0;
    if (w == "mattlig") return 1;
    if (w == "betydande") return 2;
    if (w == "allvarlig") return 3;
    if (w == "synnerligen allvarlig") return 4;
    return std::nullopt;
}

std::optional<int> level(const std::string& cell) {
    std::string t = fold(cell);
    if (t.empty()) return std::nullopt;
    if (auto word = klassa_word(t)) return word;
    // A prefix naming the level: "k3", "niva 3", "klass 3".
    for (const char* prefix : {"niva", "klass", "k", "r", "t"}) {
        const std::string p(prefix);
        if (t.size() > p.size() && t.compare(0, p.size(), p) == 0 && !std::isalpha(static_cast<unsigned char>(t[p.size()]))) {
            t = t.substr(p.size());
            break;
        }
    }
    while (!t.empty() && (t.front() == ' ' || t.front() == ':' || t.front() == '-')) t.erase(0, 1);
    if (t.empty() || t[0] < '0' || t[0] > '9') return std::nullopt;
    const int digit = t[0] - '0';
    std::string rest = t.substr(1);
    if (rest == ".0" || rest == ",0") rest.clear();
    if (digit > 4 || (!rest.empty() && (rest[0] >= '0' && rest[0] <= '9'))) return std::nullopt;
    if (rest.empty()) return digit;
    // "3 – Allvarlig skada": the words must agree with the digit.
    std::size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '-' || rest[i] == ':' || rest[i] == '.' ||
                               static_cast<unsigned char>(rest[i]) >= 0x80)) {
        ++i;  // separators, including the UTF-8 en dash
    }
    const auto word = klassa_word(rest.substr(i));
    if (word && *word == digit) return digit;
    return std::nullopt;
}

// A classification date as registers hold it: "YYYY-MM-DD"; a datetime ("2023-08-21 00:00",
// "2023-08-21T00:00:00", with seconds, fractions or a zone); or an Excel date serial in the 1900
// system (ECMA-376 §18.17.4.1), with or without a time fraction ("45159", "45159.5"), as a
// register exported without the date format holds it. nullopt for anything else.
std::optional<std::string> register_date(const std::string& cell) {
    const std::string t = trim(cell);
    if (Date::parse(t)) return t;
    if (t.size() > 10 && (t[10] == ' ' || t[10] == 'T') && Date::parse(t.substr(0, 10))) {
        static const std::regex time(R"(\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)");
        if (std::regex_match(t.substr(11), time)) return t.substr(0, 10);
        return std::nullopt;
    }
    static const std::regex serial(R"(\d{1,7}([.,]\d+)?)");
    if (std::regex_match(t, serial)) {
        std::string number = t;
        std::replace(number.begin(), number.end(), ',', '.');
        const double v = std::strtod(number.c_str(), nullptr);
        // 1982-01-01 (29952) to 9999-12-31: a register's classification is never older, and a
        // small number (a level, a count) is not taken for a date.
        if (v >= 29952 && v < 2958466) {
            Date d;
            d.days = static_cast<std::int64_t>(std::floor(v)) - 25569;  // serial 25569 = 1970-01-01
            return d.to_string();
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::size_t> header_row(const Table& table, const ColumnMapping& mapping) {
    for (std::size_t r = 0; r < table.rows.size() && r < 20; ++r) {
        for (const auto& cell : table.rows[r]) {
            if (field_of(cell, mapping) == Field::System) return r;
        }
    }
    return std::nullopt;
}

std::string first_row_text(const Table& table) {
    std::string seen;
    if (!table.rows.empty()) {
        for (const auto& c : table.rows[0]) {
            if (!trim(c).empty()) seen += (seen.empty() ? "'" : ", '") + comment_text(c) + "'";
        }
    }
    return seen.substr(0, 300);
}

std::string field_name(Field f) {
    for (const auto& info : fields()) {
        if (info.field == f) return info.name;
    }
    return "";
}

ColumnMapping read_mapping(const std::string& file, const std::string& text, Diagnostics& diagnostics) {
    ColumnMapping mapping;
    detail::YamlReader r(file, diagnostics);
    auto root = r.parse(text);
    if (!root) return mapping;
    if (!r.check_map(*root, {"columns"}, "the mapping file")) return mapping;
    const auto columns = r.require(*root, "columns", "the mapping file");
    if (!columns) return mapping;
    if (!columns->IsMap()) {
        r.error(*columns, "'columns' must map the register's column names to lisa's: System, Systemägare, …");
        return mapping;
    }
    std::vector<std::string> names;
    for (const auto& info : fields()) names.push_back(info.name);
    for (const auto& kv : *columns) {
        const auto column = r.string(kv.first, "a column name");
        const auto target = r.string(kv.second, "a field name");
        if (!column || !target) continue;
        const FieldInfo* found = nullptr;
        for (const auto& info : fields()) {
            if (fold(*target) == fold(info.name) ||
                std::find(info.synonyms.begin(), info.synonyms.end(), fold(*target)) != info.synonyms.end()) {
                found = &info;
                break;
            }
        }
        if (found == nullptr) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            r.error(kv.second, "unknown field '" + *target + "' for column '" + *column + "' (expected one of " + list +
                                   ")" + detail::did_you_mean(*target, names));
            continue;
        }
        mapping.columns[*column] = found->field;
        mapping.where[*column] = r.at(kv.first);
    }
    return mapping;
}

namespace {

/// One register row being written as a system: its cells, its 0-based row number and its name.
struct RegisterRow {
    const std::vector<std::string>& cells;
    std::size_t r;
    std::string name;
};

/// The state make_inventory's steps hand one another: the register's columns (found in its
/// header row), the YAML written so far, and the counts and warnings of the result.
class InventoryDraft {
public:
    InventoryDraft(const Table& table, const ColumnMapping& mapping, const std::string& source,
                   Diagnostics& diagnostics)
        : table_(table), mapping_(mapping), source_(source), diagnostics_(diagnostics) {}

    InitResult write() {
        if (!find_columns()) return std::move(result_);
        write_preamble();
        for (std::size_t r = header_ + 1; r < table_.rows.size(); ++r) {
            RegisterRow row{table_.rows[r], r, cell_of(table_.rows[r], col(Field::System))};
            if (row.name.empty()) continue;
            write_system(row);
        }
        if (result_.systems == 0) {
            out_ << "  []\n";
        }
        result_.yaml = out_.str();
        return std::move(result_);
    }

private:
    int col(Field f) const { return column_.count(f) ? column_.at(f) : -1; }
    std::string cell(const RegisterRow& row, Field f) const { return cell_of(row.cells, col(f)); }
    SourceLocation at(const RegisterRow& row, Field f) const {
        return {source_, static_cast<int>(row.r + 1), col(f) + 1};
    }

    const std::string& hole() {
        ++result_.placeholders;
        return kHole;
    }

    /// The header row: the first of the first 20 rows with a System column. False (with the
    /// diagnostics) when there is none or a mapped column is not in it.
    bool find_columns() {
        const auto found_header = header_row(table_, mapping_);
        if (!found_header) {
            const std::string seen = first_row_text(table_);
            diagnostics_.error({source_, 1, 1}, "no column named System (or Systemnamn) in the register's first 20 rows" +
                                                    (table_.sheet.empty() ? std::string() : " of sheet '" + comment_text(table_.sheet) + "'") +
                                                    (seen.empty() ? std::string() : " (row 1 has " + seen + ")") +
                                                    "; name the register's columns with --mapping FILE");
            return false;
        }
        header_ = *found_header;
        const auto& head = table_.rows[header_];
        for (std::size_t c = 0; c < head.size(); ++c) {
            const std::string name = trim(head[c]);
            if (name.empty()) continue;
            const auto f = field_of(name, mapping_);
            if (!f || column_.count(*f)) {
                result_.unused_columns.push_back(name);
                continue;
            }
            column_[*f] = static_cast<int>(c);
        }
        check_mapped_columns(head);
        return diagnostics_.empty();
    }

    /// Every column the mapping file names must be in the header row.
    void check_mapped_columns(const std::vector<std::string>& head) {
        for (const auto& entry : mapping_.columns) {
            const std::string& mapped = entry.first;  // a named variable: clang's C++17 cannot capture a binding
            const bool present = std::any_of(head.begin(), head.end(), [&](const std::string& h) { return fold(h) == fold(mapped); });
            if (present) continue;
            const auto where = mapping_.where.count(mapped) ? mapping_.where.at(mapped) : SourceLocation{source_, 1, 1};
            std::vector<std::string> heads;
            for (const auto& h : head) {
                if (!trim(h).empty()) heads.push_back(trim(h));
            }
            diagnostics_.error(where, "column '" + mapped + "' is not in the register's header (row " +
                                          std::to_string(header_ + 1) + ")" + detail::did_you_mean(mapped, heads));
        }
    }

    void write_preamble() {
        out_ << "# Starting inventory written by 'lisa init' from " << comment_text(source_)
             << (table_.sheet.empty() ? std::string() : " (sheet '" + comment_text(table_.sheet) + "')") << ".\n"
             << "# Every " << kPlaceholder << " is a value the register does not give: 'lisa validate --inventory FILE'\n"
             << "# lists each one with its line. Keys and allowed values: docs/inventory.md.\n"
             << "schema_version: 1\n\n"
             << "organization:\n"
             << "  name: " << hole() << "\n"
             << "  municipality_code: " << hole() << "  # kommunkod, four digits, e.g. \"0180\"\n"
             << "  population: " << hole() << "  # inhabitants (Socialstyrelsen's size group)\n\n"
             << "systems:\n";
    }

    void write_system(const RegisterRow& row) {
        const std::string& name = row.name;
        ++result_.systems;
        std::string id = slug(name);
        for (int n = 2; ids_.count(id); ++n) id = slug(name) + "-" + std::to_string(n);
        ids_.insert(id);
        out_ << "  # register row " << (row.r + 1) << "\n";
        // Two rows naming one system: both kept (the inventory is a draft), the second said so.
        if (const auto [first, inserted] = row_of_name_.emplace(fold(name), row.r + 1); !inserted) {
            out_ << "  # GRANSKA: same name as register row " << first->second << ": merge them or rename one\n";
            result_.warnings.push_back({at(row, Field::System),
                                        "system '" + comment_text(name) + "' is named in register rows " +
                                            std::to_string(first->second) + " and " + std::to_string(row.r + 1) +
                                            " (written as '" + slug(name) + "' and '" + id +
                                            "'): merge the rows or rename one"});
        }
        out_ << "  - id: " << id << "\n    name: " << quoted(name) << "\n";
        const std::string owner = cell(row, Field::Owner);
        out_ << "    owner: " << (owner.empty() ? hole() : quoted(owner)) << "\n";
        if (const std::string supplier = cell(row, Field::Supplier); !supplier.empty()) {
            out_ << "    # Leverantör: " << comment_text(supplier) << "\n";
        }
        write_areas(row);
        out_ << "    roles: [" << hole() << "]  # myndighetsutövning, utförare, or []\n";
        write_personal_data(row);
        write_classification(row);
        if (const std::string u = cell(row, Field::Url); !u.empty()) {
            write_url(row, u);
        }
    }

    // Verksamhetsområden: the register's words when they are Socialstyrelsen's areas
    // (ASCII spellings mapped to the Swedish ones), else the placeholder.
    void write_areas(const RegisterRow& row) {
        const auto& areas = verksamhetsomraden();
        const std::string area_cell = cell(row, Field::Area);
        std::vector<std::string> matched;
        bool all_matched = !area_cell.empty();
        std::string part;
        std::istringstream parts(area_cell);
        while (std::getline(parts, part, ';')) {
            std::string t = trim(part);
            if (t.empty()) continue;
            const auto it = std::find_if(areas.begin(), areas.end(), [&](const std::string& a) { return fold(a) == fold(t); });
            if (it == areas.end()) {
                all_matched = false;
            } else {
                matched.push_back(*it);
            }
        }
        if (all_matched && !matched.empty()) {
            out_ << "    verksamhetsomraden: [";
            for (std::size_t i = 0; i < matched.size(); ++i) out_ << (i ? ", " : "") << quoted(matched[i]);
            out_ << "]\n";
        } else {
            out_ << "    verksamhetsomraden: [" << hole() << "]  # Socialstyrelsen's areas, or [] outside socialtjänst and HSL";
            if (!area_cell.empty()) out_ << "; register: " << comment_text(area_cell);
            out_ << "\n";
        }
    }

    // Personuppgifter: a yes or no the register says; anything else ("kanske", "vet ej") and a
    // "nej" beside känsliga "ja" (sensitive data are personal data) are for a person to decide:
    // the placeholder, what the register says beside it, and a warning at the cell.
    void write_personal_data(const RegisterRow& row) {
        const std::string& name = row.name;
        const std::string personal_cell = cell(row, Field::PersonalData);
        const std::string sensitive_cell = cell(row, Field::Sensitive);
        const auto personal = yes_no(personal_cell);
        const auto sensitive = yes_no(sensitive_cell);
        const bool contradiction = personal == std::optional<bool>(false) && sensitive.value_or(false);
        const auto unsure = [&](Field f, const std::string& value, const std::string& why) {
            result_.warnings.push_back({at(row, f),
                                        "system '" + comment_text(name) + "': " + why + "; written as " + kPlaceholder});
            return hole() + "  # register: '" + comment_text(value) + "'";
        };
        out_ << "    personal_data: "
             << (contradiction ? unsure(Field::PersonalData, personal_cell,
                                        "Personuppgifter says '" + comment_text(personal_cell) + "' but Känsliga personuppgifter '" +
                                            comment_text(sensitive_cell) + "' (sensitive data are personal data)")
                 : personal    ? std::string(*personal ? "true" : "false")
                 : sensitive.value_or(false) ? std::string("true")
                 : personal_cell.empty()     ? hole()
                                             : unsure(Field::PersonalData, personal_cell,
                                                      "Personuppgifter '" + comment_text(personal_cell) + "' is neither ja nor nej"))
             << "\n";
        out_ << "    sensitive_personal_data: "
             << (sensitive            ? std::string(*sensitive ? "true" : "false")
                 : sensitive_cell.empty() ? hole()
                                          : unsure(Field::Sensitive, sensitive_cell,
                                                   "Känsliga personuppgifter '" + comment_text(sensitive_cell) +
                                                       "' is neither ja nor nej"))
             << "\n";
    }

    // KLASSA levels: K, R and T columns, or one K/R/T column.
    void write_classification(const RegisterRow& row) {
        std::optional<int> k = level(cell(row, Field::Confidentiality));
        std::optional<int> rr = level(cell(row, Field::Integrity));
        std::optional<int> t = level(cell(row, Field::Availability));
        std::string krt_cell = cell(row, Field::Krt);
        if (auto three = krt_levels(krt_cell)) {
            k = k ? k : (*three)[0];
            rr = rr ? rr : (*three)[1];
            t = t ? t : (*three)[2];
        }
        const bool any_level_cell = !cell(row, Field::Confidentiality).empty() ||
                                    !cell(row, Field::Integrity).empty() ||
                                    !cell(row, Field::Availability).empty() || !krt_cell.empty();
        if (!any_level_cell) {
            out_ << "    # not classified in the register (no K/R/T)\n";
            return;
        }
        const auto lv = [&](const std::optional<int>& v) { return v ? std::to_string(*v) : hole(); };
        const std::string date_cell = cell(row, Field::ClassifiedOn);
        const auto date = register_date(date_cell);
        out_ << "    classification: { confidentiality: " << lv(k) << ", integrity: " << lv(rr)
             << ", availability: " << lv(t) << ", date: " << (date ? *date : hole()) << " }";
        // What the register holds where lisa wrote the placeholder: its value, quoted.
        std::vector<std::string> notes;
        const auto note_level = [&](const char* letter, Field f, const std::optional<int>& v) {
            const std::string c = cell(row, f);
            if (!v && !c.empty()) notes.push_back(std::string(letter) + " '" + comment_text(c) + "'");
        };
        note_level("K", Field::Confidentiality, k);
        note_level("R", Field::Integrity, rr);
        note_level("T", Field::Availability, t);
        if (!krt_cell.empty() && (!k || !rr || !t) && !krt_levels(krt_cell)) {
            notes.push_back("K/R/T '" + comment_text(krt_cell) + "'");
        }
        if (!notes.empty() || (!date_cell.empty() && !date)) {
            out_ << "  # register:";
            for (std::size_t i = 0; i < notes.size(); ++i) out_ << (i ? ", " : " ") << notes[i];
            if (!notes.empty()) out_ << " (KLASSA levels are 0–4)";
            if (!date_cell.empty() && !date) out_ << (notes.empty() ? " " : "; ") << "date '" << comment_text(date_cell) << "'";
        }
        out_ << "\n";
    }

    /// The register's URL: an http(s) endpoint without its secrets, else a comment.
    void write_url(const RegisterRow& row, const std::string& u) {
        const std::string& name = row.name;
        const SourceLocation where = at(row, Field::Url);
        auto parsed = url::parse(u);
        auto cleaned = url::without_secret_parameters(u);
        if (parsed && parsed.value().has_credentials) {
            out_ << "    # the register's URL holds credentials: left out (lisa never stores secrets)\n";
            result_.warnings.push_back({where, "the URL of '" + comment_text(name) +
                                                   "' holds a user name or password (user:pw@): left out of the "
                                                   "inventory; remove it from the register too"});
        } else if (parsed && cleaned && (parsed.value().scheme == "https" || parsed.value().scheme == "http")) {
            const auto& dropped = cleaned.value().dropped;
            out_ << "    endpoints:\n      - { id: web, url: " << quoted(cleaned.value().url)
                 << ", exposure: " << hole() << " }  # internal or external";
            if (!dropped.empty()) {
                std::string names;
                for (const auto& d : dropped) names += (names.empty() ? "" : ", ") + d;
                out_ << "; the register's URL had secret parameters, left out: " << names;
                result_.warnings.push_back({where, "the URL of '" + comment_text(name) + "' carries " + names +
                                                       " (a credential in the query string): left out of the "
                                                       "inventory; remove it from the register too"});
            }
            out_ << "\n";
        } else {
            // Not probed: kept as a comment, scheme, host and path only. A query or fragment may
            // hold a secret in a form no parameter name shows (an LDAP URL's X-BINDPW extension).
            std::string shown = u.substr(0, u.find_first_of("?#"));
            if (shown.find('@') != std::string::npos) shown = "(not shown: it may hold a user name)";
            out_ << "    # register URL not probed (not an http(s) URL): " << comment_text(shown) << "\n";
        }
    }

    const Table& table_;
    const ColumnMapping& mapping_;
    const std::string& source_;
    Diagnostics& diagnostics_;
    InitResult result_;
    std::map<Field, int> column_;
    std::size_t header_ = 0;
    std::ostringstream out_;
    std::set<std::string> ids_;
    std::map<std::string, std::size_t> row_of_name_;  // folded name → the register row that first had it
};

}  // namespace

InitResult make_inventory(const Table& table, const ColumnMapping& mapping, const std::string& source,
                          Diagnostics& diagnostics) {
    return InventoryDraft(table, mapping, source, diagnostics).write();
}

}  // namespace lisa::reg
