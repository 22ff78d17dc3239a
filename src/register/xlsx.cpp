// SPDX-License-Identifier: Apache-2.0
// The minimal XLSX cell reader (lisa/register/register.hpp): libzip for the container, libxml2's
// streaming reader for the parts. Fuzzed by tests/fuzz/fuzz_register.cpp.
#include <libxml/xmlreader.h>
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include "lisa/register/register.hpp"

namespace lisa::reg {
namespace {

class Zip {
public:
    Zip(std::string_view bytes, const TableLimits& limits) : limits_(limits) {
        zip_error_t err;
        zip_error_init(&err);
        zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
        if (src == nullptr) {
            error = "cannot read the file as a zip container";
            zip_error_fini(&err);
            return;
        }
        za_ = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
        if (za_ == nullptr) {
            zip_source_free(src);
            error = std::string("not an XLSX workbook (damaged zip container: ") + zip_error_strerror(&err) + ")";
            zip_error_fini(&err);
            return;
        }
        zip_error_fini(&err);
        const zip_int64_t n = zip_get_num_entries(za_, 0);
        if (n < 0 || static_cast<std::size_t>(n) > limits_.max_zip_entries) {
            error = "the workbook has " + std::to_string(n) + " zip entries, more than the " +
                    std::to_string(limits_.max_zip_entries) + " lisa reads";
        }
    }
    ~Zip() {
        if (za_ != nullptr) zip_discard(za_);
    }
    Zip(const Zip&) = delete;
    Zip& operator=(const Zip&) = delete;

    // The part's bytes; nullopt when absent or on error (then `error` is set).
    std::optional<std::string> read(const std::string& name) {
        if (za_ == nullptr || !error.empty()) return std::nullopt;
        const zip_int64_t idx = zip_name_locate(za_, name.c_str(), 0);
        if (idx < 0) return std::nullopt;
        zip_file_t* f = zip_fopen_index(za_, static_cast<zip_uint64_t>(idx), 0);
        if (f == nullptr) {
            error = "damaged workbook part " + name + ": " + zip_strerror(za_);
            return std::nullopt;
        }
        std::string out;
        char buf[65536];
        for (;;) {
            const zip_int64_t got = zip_fread(f, buf, sizeof buf);
            if (got < 0) {
                error = "damaged workbook part " + name + ": " + zip_file_strerror(f);
                zip_fclose(f);
                return std::nullopt;
            }
            if (got == 0) break;
            out.append(buf, static_cast<std::size_t>(got));
            total_ += static_cast<std::size_t>(got);
            if (out.size() > limits_.max_part_bytes || total_ > limits_.max_total_bytes) {
                error = "workbook part " + name + " decompresses to more than " +
                        std::to_string((out.size() > limits_.max_part_bytes ? limits_.max_part_bytes
                                                                            : limits_.max_total_bytes) >> 20) +
                        " MiB: refused";
                zip_fclose(f);
                return std::nullopt;
            }
        }
        zip_fclose(f);
        return out;
    }

    std::string error;

private:
    const TableLimits& limits_;
    zip_t* za_ = nullptr;
    std::size_t total_ = 0;
};

// libxml2's streaming reader over one part: no network, no entities substituted, no DTD loaded.
class Xml {
public:
    explicit Xml(const std::string& bytes)
        : r_(xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS),
             xmlFreeTextReader) {}
    // Advances; 1 = a node, 0 = end, -1 = error.
    int next() { return r_ ? xmlTextReaderRead(r_.get()) : -1; }
    int type() { return xmlTextReaderNodeType(r_.get()); }
    bool empty_element() { return xmlTextReaderIsEmptyElement(r_.get()) == 1; }
    int depth() { return xmlTextReaderDepth(r_.get()); }
    std::string name() {  // the local name
        const xmlChar* n = xmlTextReaderConstLocalName(r_.get());
        return n ? reinterpret_cast<const char*>(n) : "";
    }
    std::string attr(const char* local) {
        // By local name, whatever the prefix (r:id).
        if (xmlTextReaderMoveToFirstAttribute(r_.get()) != 1) return "";
        std::string out;
        do {
            const xmlChar* n = xmlTextReaderConstLocalName(r_.get());
            if (n && std::string(reinterpret_cast<const char*>(n)) == local) {
                const xmlChar* v = xmlTextReaderConstValue(r_.get());
                out = v ? reinterpret_cast<const char*>(v) : "";
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(r_.get()) == 1);
        xmlTextReaderMoveToElement(r_.get());
        return out;
    }
    std::string value() {
        const xmlChar* v = xmlTextReaderConstValue(r_.get());
        return v ? reinterpret_cast<const char*>(v) : "";
    }
    bool ok() const { return r_ != nullptr; }

private:
    std::unique_ptr<xmlTextReader, decltype(&xmlFreeTextReader)> r_;
};

constexpr int kElement = XML_READER_TYPE_ELEMENT;
constexpr int kEnd = XML_READER_TYPE_END_ELEMENT;
constexpr int kText = XML_READER_TYPE_TEXT;
constexpr int kCdata = XML_READER_TYPE_CDATA;
constexpr int kSpace = XML_READER_TYPE_SIGNIFICANT_WHITESPACE;

bool is_text(int t) { return t == kText || t == kCdata || t == kSpace; }

// All text under the current element (the reader positioned on its start), skipping phonetic runs
// (<rPh>); leaves the reader on its end tag.
bool element_text(Xml& x, std::string& out, std::size_t cap) {
    if (x.empty_element()) return true;
    const int depth = x.depth();
    int skip_depth = -1;
    while (x.next() == 1) {
        const int t = x.type();
        if (t == kEnd && x.depth() == depth) return true;
        if (t == kElement && x.name() == "rPh" && !x.empty_element()) skip_depth = x.depth();
        if (t == kEnd && x.depth() == skip_depth) skip_depth = -1;
        if (is_text(t) && skip_depth < 0) {
            out += x.value();
            if (out.size() > cap) return false;
        }
    }
    return false;
}

// ECMA-376 §18.8.30: the built-in number formats that are dates.
bool builtin_date_format(int id) {
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

// A custom format code is a date when it has d, m or y outside quotes, brackets and escapes (and is
// not only a duration like [h]:mm).
bool custom_date_format(const std::string& code) {
    bool quoted = false;
    int bracket = 0;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '\\' || c == '_' || c == '*') ++i;
        else if (c == '[') ++bracket;
        else if (c == ']') bracket = bracket > 0 ? bracket - 1 : 0;
        else if (bracket == 0 && (c == 'd' || c == 'D' || c == 'y' || c == 'Y' || c == 'm' || c == 'M')) {
            // 'm' alone after 'h' is minutes; a date code has d or y somewhere.
            return code.find_first_of("dDyY") != std::string::npos;
        }
    }
    return false;
}

// Days since the epoch (1970-01-01) → YYYY-MM-DD (H. Hinnant's civil_from_days).
std::string civil(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1;
    const long long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
    return buf;
}

// A date serial → YYYY-MM-DD, or nullopt outside 1900–9999.
std::optional<std::string> serial_to_date(const std::string& text, bool date1904) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < 1 || v > 2958465) return std::nullopt;
    long long days = static_cast<long long>(std::floor(v));
    // 1900 system: serial 1 = 1900-01-01, and 60 is the 1900-02-29 that never was.
    long long epoch_offset;
    if (date1904) {
        epoch_offset = -24107;  // 1904-01-01 is day -24107 from 1970-01-01
    } else {
        epoch_offset = -25569;  // 1899-12-30
        if (days < 61) days += 1;
    }
    return civil(days + epoch_offset);
}

// Column letters of a cell reference ("AB12") → 0-based index; -1 when malformed.
long column_of(const std::string& ref) {
    long col = 0;
    std::size_t i = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
        col = col * 26 + (ref[i] - 'A' + 1);
        if (col > 20000) return -1;
    }
    if (i == 0) return -1;
    return col - 1;
}

std::string resolve_target(const std::string& target) {
    if (!target.empty() && target[0] == '/') return target.substr(1);
    std::string t = target;
    std::string base = "xl/";
    while (t.rfind("../", 0) == 0) {
        t = t.substr(3);
        base = "";
    }
    return base + t;
}

// The workbook's sheet `wanted` ("" = the first); with `names`, only lists the sheets.
Result<Table> read_workbook(std::string_view bytes, const TableLimits& limits, const std::string& wanted,
                            std::vector<std::string>* names);

}  // namespace

Result<Table> read_xlsx(std::string_view bytes, const TableLimits& limits) {
    return read_workbook(bytes, limits, "", nullptr);
}

Result<Table> read_xlsx_sheet(std::string_view bytes, const std::string& sheet, const TableLimits& limits) {
    return read_workbook(bytes, limits, sheet, nullptr);
}

Result<std::vector<std::string>> xlsx_sheet_names(std::string_view bytes, const TableLimits& limits) {
    std::vector<std::string> names;
    auto listed = read_workbook(bytes, limits, "", &names);
    if (!listed) return listed.error();
    return names;
}

namespace {

/// What xl/workbook.xml says: the chosen sheet's relationship id and name, and the date system.
struct WorkbookIndex {
    std::string sheet_rid;
    std::string sheet_name;
    bool date1904 = false;
};

Error missing_part(const Zip& zip, const std::string& part) {
    return Error{zip.error.empty() ? "not an XLSX workbook: " + part + " is missing" : zip.error};
}

// The sheet `wanted` ("" = the first) and the 1904 flag; with `names`, every sheet's name too.
Result<WorkbookIndex> read_workbook_index(Zip& zip, const std::string& wanted, std::vector<std::string>* names) {
    auto workbook = zip.read("xl/workbook.xml");
    if (!workbook) return missing_part(zip, "xl/workbook.xml");
    WorkbookIndex index;
    Xml x(*workbook);
    int rc;
    while ((rc = x.next()) == 1) {
        if (x.type() != kElement) continue;
        const std::string n = x.name();
        if (n == "workbookPr") {
            const std::string v = x.attr("date1904");
            index.date1904 = v == "1" || v == "true";
        } else if (n == "sheet") {
            const std::string name = x.attr("name");
            if (names != nullptr && names->size() < 1000) names->push_back(name);
            if (index.sheet_rid.empty() && (wanted.empty() || name == wanted)) {
                index.sheet_rid = x.attr("id");
                index.sheet_name = name;
            }
        }
    }
    if (rc < 0) return Error{"not an XLSX workbook: xl/workbook.xml is not well-formed XML"};
    return index;
}

// The part of the sheet with relationship id `rid`, from xl/_rels/workbook.xml.rels.
Result<std::string> sheet_part(Zip& zip, const std::string& rid) {
    std::string sheet_path;
    if (auto rels = zip.read("xl/_rels/workbook.xml.rels")) {
        Xml x(*rels);
        while (x.next() == 1) {
            if (x.type() == kElement && x.name() == "Relationship" && x.attr("Id") == rid) {
                sheet_path = resolve_target(x.attr("Target"));
                break;
            }
        }
    } else {
        return missing_part(zip, "xl/_rels/workbook.xml.rels");
    }
    if (sheet_path.empty()) return Error{"not an XLSX workbook: the first sheet's part is not named"};
    return sheet_path;
}

// Shared strings (§18.4.9): <si> each, text of every <t> in it. None when the part is absent.
Result<std::vector<std::string>> read_shared_strings(Zip& zip, const TableLimits& limits) {
    std::vector<std::string> shared;
    if (auto sst = zip.read("xl/sharedStrings.xml")) {
        Xml x(*sst);
        int rc;
        while ((rc = x.next()) == 1) {
            if (x.type() == kElement && x.name() == "si") {
                std::string s;
                if (!element_text(x, s, limits.max_cell_bytes)) {
                    return Error{"a shared string is longer than " + std::to_string(limits.max_cell_bytes) +
                                 " bytes or damaged"};
                }
                shared.push_back(std::move(s));
                if (shared.size() > limits.max_shared_strings) {
                    return Error{"more than " + std::to_string(limits.max_shared_strings) + " shared strings"};
                }
            }
        }
        if (rc < 0) return Error{"xl/sharedStrings.xml is not well-formed XML"};
    } else if (!zip.error.empty()) {
        return Error{zip.error};
    }
    return shared;
}

// Styles: which cell formats (s="N") are dates, by index.
Result<std::vector<bool>> read_date_styles(Zip& zip) {
    std::vector<bool> date_style;
    if (auto styles = zip.read("xl/styles.xml")) {
        Xml x(*styles);
        std::set<int> custom_dates;
        bool in_xfs = false;
        while (x.next() == 1) {
            const int t = x.type();
            const std::string n = t == kElement || t == kEnd ? x.name() : "";
            if (t == kElement && n == "numFmt") {
                if (custom_date_format(x.attr("formatCode"))) custom_dates.insert(std::atoi(x.attr("numFmtId").c_str()));
            } else if (t == kElement && n == "cellXfs") {
                in_xfs = !x.empty_element();
            } else if (t == kEnd && n == "cellXfs") {
                in_xfs = false;
            } else if (t == kElement && n == "xf" && in_xfs) {
                const int id = std::atoi(x.attr("numFmtId").c_str());
                date_style.push_back(builtin_date_format(id) || custom_dates.count(id) > 0);
                if (date_style.size() > 100'000) return Error{"xl/styles.xml has too many cell formats"};
            }
        }
    } else if (!zip.error.empty()) {
        return Error{zip.error};
    }
    return date_style;
}

/// What a <c> element holds: its <v> (`have_v` when present) and its inline string.
struct CellContent {
    std::string v;
    std::string inline_text;
    bool have_v = false;
};

// The children of the <c> element `x` is on (a formula is read and dropped).
Result<CellContent> read_cell_content(Xml& x, const TableLimits& limits) {
    CellContent content;
    if (x.empty_element()) return content;
    const int depth = x.depth();
    while (x.next() == 1) {
        const int t = x.type();
        if (t == kEnd && x.depth() == depth) break;
        if (t != kElement) continue;
        const std::string child = x.name();
        if (child == "v") {
            if (!element_text(x, content.v, limits.max_cell_bytes)) return Error{"a cell value is too long or damaged"};
            content.have_v = true;
        } else if (child == "is") {
            if (!element_text(x, content.inline_text, limits.max_cell_bytes)) {
                return Error{"an inline string is too long or damaged"};
            }
        } else if (child == "f") {
            std::string formula;
            if (!element_text(x, formula, limits.max_cell_bytes)) return Error{"a formula is too long"};
        }
    }
    return content;
}

/// The sheet's shared strings and date formats, which turn a cell's value into its text.
struct CellDecoding {
    std::vector<std::string> shared;
    std::vector<bool> date_style;
    bool date1904 = false;
};

// A cell's text by its type attribute `type` (§18.18.11) and style `style`.
Result<std::string> cell_text(const CellContent& c, const std::string& type, const std::string& style,
                              const std::string& ref, const CellDecoding& decoding) {
    if (type == "s") {
        char* end = nullptr;
        const unsigned long i = std::strtoul(c.v.c_str(), &end, 10);
        if (!c.have_v || end == c.v.c_str() || *end != '\0' || i >= decoding.shared.size()) {
            return Error{"cell " + ref.substr(0, 16) + " names a shared string that does not exist"};
        }
        return decoding.shared[i];
    }
    if (type == "inlineStr") return c.inline_text;
    if (type == "b") return std::string(c.v == "1" ? "TRUE" : "FALSE");
    if (type == "str" || type == "e") return c.v;
    std::string text = c.v;
    const auto& date_style = decoding.date_style;
    const long s = style.empty() ? 0 : std::atol(style.c_str());
    if (c.have_v && s >= 0 && static_cast<std::size_t>(s) < date_style.size() && date_style[static_cast<std::size_t>(s)]) {
        if (auto d = serial_to_date(c.v, decoding.date1904)) text = *d;
    }
    return text;
}

// The rows of the sheet part `sheet_path`, each cell's text at its column.
Result<Table> read_sheet_rows(Zip& zip, const std::string& sheet_path, const TableLimits& limits,
                              const CellDecoding& decoding) {
    auto sheet = zip.read(sheet_path);
    if (!sheet) return missing_part(zip, sheet_path);
    Table table;
    Xml x(*sheet);
    if (!x.ok()) return Error{"the sheet cannot be read"};
    long row_index = -1;
    long next_col = 0;
    int rc;
    while ((rc = x.next()) == 1) {
        if (x.type() != kElement) continue;
        const std::string n = x.name();
        if (n == "row") {
            const std::string r = x.attr("r");
            const long want = r.empty() ? row_index + 1 : std::atol(r.c_str()) - 1;
            if (want <= row_index || want < 0) return Error{"the sheet's rows are out of order"};
            if (static_cast<std::size_t>(want) >= limits.max_rows) {
                return Error{"the sheet has more than " + std::to_string(limits.max_rows) + " rows"};
            }
            row_index = want;
            next_col = 0;
            table.rows.resize(static_cast<std::size_t>(row_index) + 1);
            continue;
        }
        if (n != "c") continue;
        if (row_index < 0) return Error{"a cell outside any row"};
        const std::string ref = x.attr("r");
        const long col = ref.empty() ? next_col : column_of(ref);
        if (col < 0 || static_cast<std::size_t>(col) >= limits.max_columns) {
            return Error{"cell '" + ref.substr(0, 16) + "' is beyond the " + std::to_string(limits.max_columns) +
                         " columns lisa reads"};
        }
        next_col = col + 1;
        const std::string type = x.attr("t");
        const std::string style = x.attr("s");
        auto content = read_cell_content(x, limits);
        if (!content) return content.error();
        auto text = cell_text(content.value(), type, style, ref, decoding);
        if (!text) return text.error();
        auto& row = table.rows[static_cast<std::size_t>(row_index)];
        if (!text.value().empty()) {
            if (row.size() <= static_cast<std::size_t>(col)) row.resize(static_cast<std::size_t>(col) + 1);
            row[static_cast<std::size_t>(col)] = std::move(text).value();
        }
    }
    if (rc < 0) return Error{"the sheet " + sheet_path + " is not well-formed XML"};
    return table;
}

Result<Table> read_workbook(std::string_view bytes, const TableLimits& limits, const std::string& wanted,
                            std::vector<std::string>* names) {
    Zip zip(bytes, limits);
    if (!zip.error.empty()) return Error{zip.error};
    auto index = read_workbook_index(zip, wanted, names);
    if (!index) return index.error();
    if (names != nullptr) return Table{};
    if (index.value().sheet_rid.empty()) {
        return Error{wanted.empty() ? "the workbook has no sheet" : "the workbook has no sheet named '" + wanted + "'"};
    }
    auto sheet_path = sheet_part(zip, index.value().sheet_rid);
    if (!sheet_path) return sheet_path.error();
    CellDecoding decoding;
    decoding.date1904 = index.value().date1904;
    auto shared = read_shared_strings(zip, limits);
    if (!shared) return shared.error();
    decoding.shared = std::move(shared).value();
    auto date_style = read_date_styles(zip);
    if (!date_style) return date_style.error();
    decoding.date_style = std::move(date_style).value();
    auto table = read_sheet_rows(zip, sheet_path.value(), limits, decoding);
    if (!table) return table.error();
    table.value().sheet = index.value().sheet_name;
    return table;
}

}  // namespace
}  // namespace lisa::reg
