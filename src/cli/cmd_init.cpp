// SPDX-License-Identifier: Apache-2.0
// `lisa init --register FILE`: a starting inventory from the municipality's system register
// (CSV or XLSX), non-interactive. What the register does not give is the one placeholder
// (lisa::reg::kPlaceholder) that `lisa validate` reports at its line and column.
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "../audit/files.hpp"
#include "lisa/core/text.hpp"
#include "lisa/register/register.hpp"

namespace po = boost::program_options;

namespace lisa::cli {
namespace {

/// Largest register read (an XLSX of 40 systems is ~10 KiB; 10,000 rows stay far below).
constexpr std::size_t kMaxRegisterBytes = 32u << 20;

bool ends_with_ci(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        const char a = s[s.size() - suffix.size() + i];
        if (std::tolower(static_cast<unsigned char>(a)) != suffix[i]) return false;
    }
    return true;
}

int print_problems(Diagnostics& diagnostics) {
    diagnostics.sort();
    for (const auto& d : diagnostics.items()) {
        std::cerr << terminal_text(d.to_string(), false) << '\n';
    }
    std::cerr << "lisa: " << diagnostics.items().size()
              << (diagnostics.items().size() == 1 ? " problem" : " problems") << " found\n";
    return kCmdUsage;
}

}  // namespace

int cmd_init(const std::vector<std::string>& args, const char* /*argv0*/) {
    po::options_description desc("init options");
    desc.add_options()("help,h", "show this help")(
        "register", po::value<std::string>()->required(), "the system register: .xlsx, or .csv (';' or ',')")(
        "mapping", po::value<std::string>(), "YAML mapping the register's column names to lisa's (columns: {NAME: System, …})")(
        "encoding", po::value<std::string>()->default_value("utf-8"), "a CSV register's encoding: utf-8|windows-1252")(
        "output,o", po::value<std::string>(), "the inventory to write; - or none: standard output")(
        "force", po::bool_switch(), "replace an existing --output file");
    const auto vm = parse_command_line(args, desc);
    if (vm.count("help")) {
        std::cout << "usage: lisa init --register REGISTER.xlsx|.csv [--mapping FILE] [--encoding windows-1252] "
                     "[--output inventory.yaml]\n\n"
                  << desc;
        return kCmdOk;
    }
    const std::string path = vm["register"].as<std::string>();
    // Where the inventory goes ("" or "-": standard output), checked before anything is read:
    // never the register or the mapping itself, an existing file only with --force.
    std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
    if (output == "-") output.clear();
    if (auto refusal = output_refusal(output, {path, vm.count("mapping") ? vm["mapping"].as<std::string>() : ""},
                                      ExistingOutput::NeedsForce, vm["force"].as<bool>())) {
        throw UsageError(*refusal);
    }
    const std::string encoding = vm["encoding"].as<std::string>();
    if (encoding != "utf-8" && encoding != "windows-1252") {
        throw UsageError("--encoding must be utf-8 or windows-1252, not '" + encoding + "'");
    }
    Diagnostics diagnostics;
    reg::ColumnMapping mapping;
    if (vm.count("mapping")) {
        std::string error;
        const std::string mapping_path = vm["mapping"].as<std::string>();
        if (auto text = read_file(mapping_path, kMaxInputFileBytes, error)) {
            mapping = reg::read_mapping(mapping_path, *text, diagnostics);
        } else {
            diagnostics.error({mapping_path, 1, 1}, error);
        }
    }
    std::string error;
    const auto bytes = read_file(path, kMaxRegisterBytes, error);
    if (!bytes) {
        diagnostics.error({path, 1, 1}, error);
        return print_problems(diagnostics);
    }
    const bool xlsx = ends_with_ci(path, ".xlsx") || bytes->rfind("PK\x03\x04", 0) == 0;
    if (xlsx && vm["encoding"].defaulted() == false) {
        diagnostics.error({path, 1, 1}, "--encoding applies to CSV registers; an XLSX workbook is always UTF-8");
    }
    auto table = xlsx ? reg::read_xlsx(*bytes) : reg::read_csv(*bytes, encoding);
    if (!table) {
        diagnostics.error({path, 1, 1}, table.error().message);
        return print_problems(diagnostics);
    }
    const std::string name = std::filesystem::path(path).filename().string();
    auto result = reg::make_inventory(table.value(), mapping, path, diagnostics);
    if (!diagnostics.empty()) {
        return print_problems(diagnostics);
    }
    if (!output.empty()) {
        auto file = OutputFile::open(output, error);
        if (!file || !file->write(result.yaml, error) || !file->commit(error)) {
            throw OutputError(error);
        }
    } else {
        if (!write_stdout(result.yaml, error)) {
            throw OutputError(error);
        }
    }
    // Only now, with the inventory written: the success line (never before an exit 5).
    std::cerr << "lisa init: " << result.systems << (result.systems == 1 ? " system" : " systems") << " from "
              << terminal_text(name, false) << "; " << result.placeholders << " values to fill in, marked "
              << reg::kPlaceholder << " ('lisa validate' lists each with its line)\n";
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
    return kCmdOk;
}

}  // namespace lisa::cli
