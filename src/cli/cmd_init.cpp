// SPDX-License-Identifier: Apache-2.0
// `lisa init --register FILE`: a starting inventory from the municipality's system register
// (CSV or XLSX), non-interactive. What the register does not give is the one placeholder
// (lisa::reg::kPlaceholder) that `lisa validate` reports at its line and column.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "../audit/files.hpp"
#include "lisa/core/text.hpp"
#include "../common/yaml_reader.hpp"
#include "lisa/register/register.hpp"

namespace po = boost::program_options;

namespace lisa::cli {
namespace {

/// Largest register read (an XLSX of 40 systems is ~10 KiB; 10,000 rows stay far below).
constexpr std::size_t kMaxRegisterBytes = 32u << 20;

int print_problems(Diagnostics& diagnostics) {
    diagnostics.sort();
    for (const auto& d : diagnostics.items()) {
        std::cerr << terminal_text(d.to_string(), false) << '\n';
    }
    std::cerr << "lisa: " << diagnostics.items().size()
              << (diagnostics.items().size() == 1 ? " problem" : " problems") << " found\n";
    return kCmdUsage;
}

/// The sheet that holds the register: `wanted` (--sheet), else the first sheet whose first 20
/// rows have a System column, else the first sheet (make_inventory then says what its row 1
/// holds). With several sheets and none of them a register, the error names every sheet looked at
/// and what its row 1 has. An empty Error message: the problem is in `diagnostics` already.
Result<reg::Table> choose_sheet(const std::string& bytes, const std::string& wanted, const reg::ColumnMapping& mapping,
                                const std::string& path, Diagnostics& diagnostics, std::size_t& sheets) {
    auto names = reg::xlsx_sheet_names(bytes);
    if (!names) return names.error();
    sheets = names.value().size();
    if (!wanted.empty()) {
        const auto& all = names.value();
        if (std::find(all.begin(), all.end(), wanted) == all.end()) {
            std::string list;
            for (const auto& n : all) list += (list.empty() ? "'" : ", '") + n + "'";
            diagnostics.error({path, 1, 1}, "--sheet: the workbook has no sheet named '" + wanted + "' (its sheets: " +
                                                list + ")" + detail::did_you_mean(wanted, all));
            return Error{""};
        }
        return reg::read_xlsx_sheet(bytes, wanted);
    }
    if (names.value().size() <= 1) return reg::read_xlsx(bytes);
    std::string looked;
    for (const auto& n : names.value()) {
        auto table = reg::read_xlsx_sheet(bytes, n);
        if (!table) return table.error();
        if (reg::header_row(table.value(), mapping)) return table;
        const std::string row1 = reg::first_row_text(table.value());
        looked += (looked.empty() ? "'" : "; '") + n + "'" + (row1.empty() ? " (empty)" : " (row 1 has " + row1 + ")");
    }
    diagnostics.error({path, 1, 1}, "no sheet has a column named System (or Systemnamn) in its first 20 rows; looked at " +
                                        std::to_string(names.value().size()) + " sheets: " + looked +
                                        ". Pick the register's sheet with --sheet NAME and name its columns with "
                                        "--mapping FILE");
    return Error{""};
}

/// What `lisa init` was asked to do, from its arguments.
struct InitRequest {
    std::string path;          ///< the register
    std::string output;        ///< the inventory; empty: standard output
    std::string mapping_path;
    bool mapping_given = false;
    std::string encoding;      ///< a CSV register's: utf-8 or windows-1252
    bool encoding_given = false;
    std::string sheet;  ///< empty: no --sheet
    bool sheet_given = false;
};

po::options_description init_options() {
    po::options_description desc("init options");
    desc.add_options()("help,h", "show this help")(
        "register", po::value<std::string>()->required(), "the system register: .xlsx, or .csv (';' or ',')")(
        "mapping", po::value<std::string>(), "YAML mapping the register's column names to lisa's (columns: {NAME: System, …})")(
        "encoding", po::value<std::string>()->default_value("utf-8"), "a CSV register's encoding: utf-8|windows-1252")(
        "output,o", po::value<std::string>(), "the inventory to write; - or none: standard output")(
        "force", po::bool_switch(), "replace an existing --output file (never the register itself)")(
        "sheet", po::value<std::string>(), "the workbook's sheet that holds the register (default: the first with a System column)");
    return desc;
}

/// Parses and checks the arguments (UsageError on a bad one); false when --help was shown.
bool parse_init(const std::vector<std::string>& args, InitRequest& request) {
    const po::options_description desc = init_options();
    const auto vm = parse_command_line(args, desc);
    if (vm.count("help")) {
        std::cout << "usage: lisa init --register REGISTER.xlsx|.csv [--mapping FILE] [--encoding windows-1252] "
                     "[--sheet NAME] [--output inventory.yaml|- [--force]]\n\n"
                  << desc;
        return false;
    }
    request.path = vm["register"].as<std::string>();
    request.mapping_given = vm.count("mapping") != 0;
    request.mapping_path = request.mapping_given ? vm["mapping"].as<std::string>() : "";
    // Where the inventory goes ("" or "-": standard output), checked before anything is read:
    // never the register or the mapping itself, an existing file only with --force.
    request.output = vm.count("output") ? vm["output"].as<std::string>() : "";
    if (request.output == "-") request.output.clear();
    if (auto refusal = output_refusal(request.output, {request.path, request.mapping_path},
                                      ExistingOutput::NeedsForce, vm["force"].as<bool>())) {
        throw UsageError(*refusal);
    }
    request.encoding = vm["encoding"].as<std::string>();
    if (request.encoding != "utf-8" && request.encoding != "windows-1252") {
        throw UsageError("--encoding must be utf-8 or windows-1252, not '" + request.encoding + "'");
    }
    request.encoding_given = !vm["encoding"].defaulted();
    request.sheet_given = vm.count("sheet") != 0;
    request.sheet = request.sheet_given ? vm["sheet"].as<std::string>() : "";
    return true;
}

/// The --mapping file's column names (none without --mapping); problems go to `diagnostics`.
reg::ColumnMapping read_mapping_file(const InitRequest& request, Diagnostics& diagnostics) {
    reg::ColumnMapping mapping;
    if (request.mapping_given) {
        std::string error;
        if (auto text = read_file(request.mapping_path, kMaxInputFileBytes, error)) {
            mapping = reg::read_mapping(request.mapping_path, *text, diagnostics);
        } else {
            diagnostics.error({request.mapping_path, 1, 1}, error);
        }
    }
    return mapping;
}

/// The register's table (its sheet, for a workbook; `sheets` is how many it has). nullopt when
/// it cannot be read; the reason is in `diagnostics`.
std::optional<reg::Table> read_register_table(const InitRequest& request, const reg::ColumnMapping& mapping,
                                              Diagnostics& diagnostics, std::size_t& sheets) {
    const std::string& path = request.path;
    std::string error;
    const auto bytes = read_file(path, kMaxRegisterBytes, error);
    if (!bytes) {
        diagnostics.error({path, 1, 1}, error);
        return std::nullopt;
    }
    // What the file is, by its content: an .xls, .ods, PDF … is named, with what to do.
    const reg::RegisterFormat format = reg::detect_register_format(*bytes);
    if (format.kind == reg::RegisterFormat::Unsupported) {
        diagnostics.error({path, 1, 1}, format.message);
        return std::nullopt;
    }
    const bool xlsx = format.kind == reg::RegisterFormat::Xlsx;
    if (xlsx && request.encoding_given) {
        diagnostics.error({path, 1, 1}, "--encoding applies to CSV registers; an XLSX workbook is always UTF-8");
    }
    if (!xlsx && request.sheet_given) {
        diagnostics.error({path, 1, 1}, "--sheet applies to XLSX workbooks; this register is CSV text");
    }
    auto table = xlsx ? choose_sheet(*bytes, request.sheet, mapping, path, diagnostics, sheets)
                      : reg::read_csv(*bytes, request.encoding);
    if (!table) {
        if (!table.error().message.empty()) diagnostics.error({path, 1, 1}, table.error().message);
        return std::nullopt;
    }
    return std::move(table.value());
}

/// Writes the inventory to --output or standard output (OutputError when it cannot).
void write_inventory(const std::string& output, const std::string& yaml) {
    std::string error;
    if (!output.empty()) {
        auto file = OutputFile::open(output, error);
        if (!file || !file->write(yaml, error) || !file->commit(error)) {
            throw OutputError(error);
        }
    } else {
        if (!write_stdout(yaml, error)) {
            throw OutputError(error);
        }
    }
}

/// The success line, which sheet was read, the register's warnings and its unread columns.
void print_summary(const reg::InitResult& result, const InitRequest& request, const reg::Table& table,
                   std::size_t sheets) {
    const std::string name = std::filesystem::path(request.path).filename().string();
    std::cerr << "lisa init: " << result.systems << (result.systems == 1 ? " system" : " systems") << " from "
              << terminal_text(name, false) << "; " << result.placeholders << " values to fill in, marked "
              << reg::kPlaceholder << " ('lisa validate' lists each with its line)\n";
    if (sheets > 1) {
        std::cerr << "lisa init: read sheet '" << terminal_text(table.sheet, false) << "' of " << sheets
                  << (request.sheet_given ? " (--sheet)" : " (the first with a System column; --sheet NAME picks another)")
                  << '\n';
    }
    for (const auto& w : result.warnings) {
        std::cerr << terminal_text(w.location.file + ":" + std::to_string(w.location.line) + ":" +
                                       std::to_string(w.location.column) + ": warning: " + w.message,
                                   false)
                  << '\n';
    }
    if (!result.unused_columns.empty()) {
        std::string list;
        for (const auto& c : result.unused_columns) list += (list.empty() ? "" : ", ") + c;
        std::cerr << "lisa init: columns not read: " << terminal_text(list, false)
                  << " (name them with --mapping if they are lisa's)\n";
    }
}

}  // namespace

int cmd_init(const std::vector<std::string>& args, const char* /*argv0*/) {
    InitRequest request;
    if (!parse_init(args, request)) {
        return kCmdOk;
    }
    Diagnostics diagnostics;
    const reg::ColumnMapping mapping = read_mapping_file(request, diagnostics);
    std::size_t sheets = 0;
    const auto table = read_register_table(request, mapping, diagnostics, sheets);
    if (!table) {
        return print_problems(diagnostics);
    }
    auto result = reg::make_inventory(*table, mapping, request.path, diagnostics);
    if (!diagnostics.empty()) {
        return print_problems(diagnostics);
    }
    write_inventory(request.output, result.yaml);
    // Only now, with the inventory written: the success line (never before an exit 5).
    print_summary(result, request, *table, sheets);
    return kCmdOk;
}

}  // namespace lisa::cli
