// SPDX-License-Identifier: Apache-2.0
// A municipality's system register (systemförteckning) read as a table, and the starting
// inventory `lisa init` writes from it (issue 16 item 1).
//
// Sources of the shapes:
//   - XLSX: ECMA-376 Part 1 (SpreadsheetML): the first sheet of xl/workbook.xml, its cells in
//     xl/worksheets/*.xml, shared strings (§18.4), inline strings (§18.3.1.53 <is>), date serials
//     (§18.17.4: days since 1899-12-30, or 1904-01-01 with workbookPr date1904) for cells whose
//     number format (built-in ids 14–22, 27–36, 45–47, 50–58 or a custom code with d/m/y) is a
//     date. Read with libzip and libxml2's streaming reader; no spreadsheet library of our own
//     beyond these cells.
//   - CSV: RFC 4180 quoting; the separator is the one of ';' ',' TAB that occurs most in the header
//     row (Swedish Excel saves ';'). UTF-8 (a BOM is skipped) or, with `encoding == "windows-1252"`,
//     converted by iconv(3).
//   - The inventory keys are README "Concepts"/docs/inventory.md; values follow its Swedish spelling.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/result.hpp"
#include "lisa/inventory/inventory.hpp"

namespace lisa::reg {

/// The one value `lisa init` writes where the register does not say: `lisa validate` (the
/// inventory loader) reports every occurrence as an error at its file:line:col.
inline constexpr const char* kPlaceholder = kInventoryPlaceholder;

/// Limits on what a register may make lisa hold (bytes decompressed, cells), so a hostile file is
/// refused with a reason, never read without bound.
struct TableLimits {
    std::size_t max_part_bytes = 64u << 20;    ///< one decompressed zip part (sheet, shared strings)
    std::size_t max_total_bytes = 128u << 20;  ///< all parts read together
    std::size_t max_zip_entries = 10'000;
    std::size_t max_rows = 100'000;
    std::size_t max_columns = 1'000;  ///< a cell reference beyond column ALL is refused
    std::size_t max_cell_bytes = 32'768;
    std::size_t max_shared_strings = 1'000'000;
};

/// One sheet as text: rows[r][c], 0-based, ragged (trailing empty cells dropped). Dates are
/// "YYYY-MM-DD"; numbers as stored ("3", "2.5"); booleans "TRUE"/"FALSE"; errors ("#N/A") as is.
struct Table {
    std::vector<std::vector<std::string>> rows;
    std::string sheet;  ///< the sheet's name (XLSX) or empty (CSV)
};

/// What a register file is, by its content (magic bytes and, for a zip, its parts), never by
/// its name: an XLSX workbook (a zip with xl/workbook.xml, ECMA-376 Part 2), CSV text, or a
/// format lisa does not read — the old Excel .xls (Compound File Binary, MS-CFB: D0 CF 11 E0 A1
/// B1 1A E1), OpenDocument .ods (zip whose `mimetype` entry is
/// application/vnd.oasis.opendocument.spreadsheet, ODF 1.2 Part 3 §3.3), Apple Numbers (zip with
/// Index/), .xlsb, .docx, a zip without xl/workbook.xml, PDF (%PDF-), RTF, UTF-16 text, HTML or
/// Excel 2003 XML saved as .xls, other binary content (NUL bytes). For those, `message` says what
/// the file is and what to do ("save it as .xlsx or CSV in Excel/LibreOffice"). Decision: ODS is
/// not read (one reader, XLSX, kept small and fuzzed; Calc saves .xlsx in two clicks).
struct RegisterFormat {
    enum Kind { Xlsx, Csv, Unsupported } kind = Csv;
    std::string message;  ///< for Unsupported: what the file is and what to do
};
[[nodiscard]] RegisterFormat detect_register_format(std::string_view bytes);

/// The first sheet of an XLSX workbook held in `bytes`. Errors: not a zip, a part missing or
/// damaged, a limit exceeded — each a one-line reason.
[[nodiscard]] Result<Table> read_xlsx(std::string_view bytes, const TableLimits& limits = {});

/// The names of an XLSX workbook's sheets in workbook order (xl/workbook.xml <sheet name>, at
/// most 1,000). Errors: read_xlsx's for the container and the workbook part.
[[nodiscard]] Result<std::vector<std::string>> xlsx_sheet_names(std::string_view bytes, const TableLimits& limits = {});

/// The sheet named `sheet` (exactly as xlsx_sheet_names gives it) of an XLSX workbook; read_xlsx
/// reads the first. Errors: read_xlsx's, or "the workbook has no sheet named '…'".
[[nodiscard]] Result<Table> read_xlsx_sheet(std::string_view bytes, const std::string& sheet,
                                            const TableLimits& limits = {});

/// A CSV register. `encoding`: "utf-8" (default; invalid UTF-8 is an error naming the line and
/// suggesting windows-1252) or "windows-1252".
[[nodiscard]] Result<Table> read_csv(std::string_view bytes, const std::string& encoding = "utf-8",
                                     const TableLimits& limits = {});

/// The register's columns lisa init understands (Swedish names, README "lisa init").
enum class Field {
    System,          ///< "System": the system's name (required)
    Owner,           ///< "Systemägare"
    Area,            ///< "Förvaltning/Verksamhet": verksamhetsområden when they are Socialstyrelsen's
    Confidentiality, ///< "K" / "Konfidentialitet": KLASSA level 0–4
    Integrity,       ///< "R" / "Riktighet"
    Availability,    ///< "T" / "Tillgänglighet"
    Krt,             ///< "K/R/T": three levels in one cell ("3/2/2", "3-2-2", "322")
    PersonalData,    ///< "Personuppgifter": ja/nej
    Sensitive,       ///< "Känsliga personuppgifter": ja/nej
    Supplier,        ///< "Leverantör" (kept as a comment: the inventory has no key for it)
    Url,             ///< "URL": the system's address, an endpoint to probe
    ClassifiedOn,    ///< "Klassningsdatum": the classification's date
};

/// The canonical (Swedish) column name of a field, as the mapping file names it.
[[nodiscard]] std::string field_name(Field f);

/// Other column names → fields, read from a mapping file:
///   columns:
///     "Systemets namn": System
///     "Ansvarig": Systemägare
/// Targets are field_name()s (case and å/ä/ö-insensitive); an unknown target or a repeated key is
/// an error at its file:line:col with a did-you-mean.
struct ColumnMapping {
    std::map<std::string, Field> columns;         ///< register column name (as written) → field
    std::map<std::string, SourceLocation> where;  ///< where the mapping file names each column
};
[[nodiscard]] ColumnMapping read_mapping(const std::string& file, const std::string& text, Diagnostics& diagnostics);

/// The row (0-based) of `table`'s header: the first of its first 20 rows with a cell naming the
/// System column — a name of `mapping`, or lisa's names compared without case, å/ä/ö,
/// parenthesised parts ("System (namn)"), and a trailing level word ("-nivå"); nullopt when none.
/// `lisa init` takes the first sheet of a workbook that has one (or `--sheet NAME`).
[[nodiscard]] std::optional<std::size_t> header_row(const Table& table, const ColumnMapping& mapping);

/// The non-empty cells of the table's first row, each quoted ('a', 'b'), for messages; at most
/// 300 bytes.
[[nodiscard]] std::string first_row_text(const Table& table);

/// What init made of the register: the inventory text and how many placeholders it holds.
struct InitResult {
    std::string yaml;
    std::size_t systems = 0;
    std::size_t placeholders = 0;
    std::vector<std::string> unused_columns;  ///< register columns lisa init did not read
    /// What init changed or could not take over, at `source`:row:column (printed as warnings;
    /// the inventory is written): a URL's credentials or secret parameters left out, two rows
    /// naming the same system.
    std::vector<Diagnostic> warnings;
};

/// The starting inventory from `table` (its header row: header_row()). Column names are matched
/// folded (case, å/ä/ö, blanks) and, failing that, without parenthesised parts, units and a
/// trailing "nivå" ("Konfidentialitet (K)", "Personuppgifter (Ja/Nej)", "K-nivå"). Values:
/// KLASSA levels 0–4 as digits ("3", "3.0", "K3", "Nivå 3", "3 – Allvarlig skada") or KLASSA's
/// consequence words (0 "Ingen eller försumbar skada" … 4 "Synnerligen allvarlig skada", SKR
/// KLASSA); dates as YYYY-MM-DD, a datetime ("2023-08-21 00:00", "2023-08-21T00:00:00") or an
/// Excel 1900 date serial with or without a time fraction (29952–2958465). A level or date that
/// is none of these is the placeholder with the register's value quoted in a comment ("K '5'",
/// "T 'Hög'"). Two rows with one name (folded) are both written, the second with a warning
/// naming both rows. `source` names the register in the inventory's comment. Errors (no System
/// column, a mapped column not in the register, two columns for one field) go to `diagnostics`
/// at `source`:row:column.
[[nodiscard]] InitResult make_inventory(const Table& table, const ColumnMapping& mapping, const std::string& source,
                                        Diagnostics& diagnostics);

}  // namespace lisa::reg
