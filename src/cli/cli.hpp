// SPDX-License-Identifier: Apache-2.0
// The CLI's shared vocabulary: exit codes, the two error kinds, option parsing, and writing the
// report's formats. Each command is one file, cmd_<name>.cpp; main.cpp only dispatches.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/bounded_json.hpp"
#include "commands.hpp"
#include "../audit/files.hpp"
#include "numbers.hpp"
#include "lisa/audit/audit.hpp"
#include "lisa/core/text.hpp"
#include "lisa/core/version.hpp"
#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/report/action_plan.hpp"
#include "lisa/report/history.hpp"
#include "lisa/report/render.hpp"
#include "lisa/report/report.hpp"
#include "lisa/rules/loader.hpp"

namespace po = boost::program_options;

namespace lisa::cli {

enum ExitCode : int {
    kExitOk = 0,          ///< scan complete and gates passed
    kExitGateFailed = 1,  ///< a gate failed on findings
    kExitUsage = 2,       ///< usage error or invalid rules/inventory: nothing probed
    kExitIncomplete = 3,  ///< a scored rule ended in error (unless --allow-incomplete)
    kExitInternal = 4,    ///< internal error: a bug in lisa, not the input
    kExitOutput = 5,      ///< an output, report, signature or the history could not be written
    kExitStore = 5,       ///< the central store could not be reached, read or written (as 5)
};

// ---- the commands (one file each) ----------------------------------------------------------
int cmd_validate(const std::vector<std::string>& args, const char* argv0);
int cmd_scan(const std::vector<std::string>& args, const char* argv0, bool survey_mode = false);
int cmd_rules(const std::vector<std::string>& args, const char* argv0);
int cmd_probes(const std::vector<std::string>& args);
int cmd_probe(const std::vector<std::string>& args);
int cmd_history(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);
int cmd_verify(const std::vector<std::string>& args);
int cmd_central(const std::vector<std::string>& args);
int cmd_keys(const std::vector<std::string>& args);
int cmd_push(const std::vector<std::string>& args);
int cmd_aggregate(const std::vector<std::string>& args, const char* argv0);

// ---- options (options.cpp) -----------------------------------------------------------------
std::string today_utc();
std::string now_iso();
/// Overwrites a string's bytes before it is released (signing keys).
void wipe_secret(std::string& s);
/// Parses `args`; boost's errors become UsageError. Required options are not checked with --help.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& desc,
                        const po::positional_options_description& positional = {});
double number_option(const po::variables_map& vm, const char* option, const NumberRange& range);
std::int64_t integer_option(const po::variables_map& vm, const char* option, const IntegerRange& range);
std::chrono::milliseconds timeout_option(const po::variables_map& vm);
/// --tls-depth standard|full (issue 15): full collects the tls probe's depth facts.
bool tls_full_depth_option(const po::variables_map& vm);
/// Prints the usage and options when --help was given.
bool wants_help(const po::variables_map& vm, const std::string& usage, const po::options_description& desc);
/// Prints every diagnostic (sorted, sanitised) and the count; returns exit 2.
int print_diagnostics(Diagnostics& diagnostics);
std::optional<Date> parse_as_of(const po::variables_map& vm);
/// The pack and the inventory (audit library, step 1).
/// The inventory's warnings (accepted ASCII spellings) go to standard error.
std::unique_ptr<AuditInputs> load(const std::string& inventory, const std::string& rules_dir);

// ---- outputs (outputs.cpp): every format from the writer table -----------------------------
/// The --format help: every format of the writer table, its file in --output-dir and what it is.
std::string formats_help(const std::string& lead);
/// --format values checked against the writer table, sorted and deduplicated; --output and
/// --output-dir checked against them.
std::vector<std::string> checked_formats(const po::variables_map& vm, const std::string& fallback);
/// `--output -` means standard output.
bool output_is_stdout(const po::variables_map& vm);
/// The file the JSON report goes to: --output, or report.json in --output-dir.
std::string json_report_path(const po::variables_map& vm);
/// Writes each format from the typed report to --output, into --output-dir or to stdout; signs
/// the signable ones with `signing_key`. Any write failure throws OutputError (exit 5).
/**
 * The label catalogue for the writers (lisa/report/labels.hpp): the compiled-in words, then
 * labels/labels.yaml of the rule pack directory `rules_dir` (the installed pack's own file, or
 * one beside a municipality's pack; empty: none), then `--labels FILE`; each later file's keys replace the earlier ones. Problems in either
 * file go to `diagnostics` ("file:line:col: message"); the caller exits 2 before probing.
 */
Labels load_labels(const po::variables_map& vm, const std::string& rules_dir, Diagnostics& diagnostics);
/// Refuses (UsageError, exit 2), before anything is probed or written, a report file — --output,
/// each format's file in --output-dir, and the .sig beside a signed report — that is one of
/// `inputs` (output_refusal: the inventory, the rule pack, the history, the signing key, the
/// report re-rendered). Reports are regenerated on every run, so an existing report is replaced.
void refuse_outputs_over_inputs(const po::variables_map& vm, const std::vector<std::string>& formats,
                                const std::vector<std::string>& inputs);
/// The files a reporting command's options make it read (issue 14: none may be an output): the
/// rule pack — --rules, else `default_rules` — with its rule files, benchmarks/*.yaml,
/// frameworks/*.yaml and labels/labels.yaml; the HTML templates in use (LISA_TEMPLATES_DIR or
/// the shipped ones); --labels; --action-plan; --sign; and the history
/// (--history, else $LISA_HISTORY or the built-in location; not with --no-history). Options the
/// command does not have are skipped; files that do not exist are listed all the same
/// (output_refusal ignores them).
std::vector<std::string> files_the_options_name(const po::variables_map& vm, const std::string& default_rules);
/// Every file `inventory` names, resolved as the probes resolve them (from `inventory_dir`, the
/// inventory's folder): evidence documents and their .lisa.yaml sidecars, the files directly in a
/// document's discover folder (at most kMaxFolderEntriesListed entries), CA files, password
/// files and keytabs. A command that reads the inventory never writes over one of them.
std::vector<std::string> files_the_inventory_names(const Inventory& inventory, const std::string& inventory_dir);
/// How many entries of a discover folder files_the_inventory_names lists (the document probe
/// refuses a larger folder anyway).
inline constexpr std::size_t kMaxFolderEntriesListed = 10000;
void write_outputs(const po::variables_map& vm, const std::vector<std::string>& formats, const ReportDocument& doc,
                   const RenderOptions& options, const std::string* signing_key = nullptr);

/// --csv-dialect rfc4180|excel-sv (render.hpp CsvDialect); anything else is a usage error.
CsvDialect csv_dialect_option(const po::variables_map& vm);
/// --action-plan FILE: the municipality's filled-in plan (lisa/register/action_plan.hpp), its
/// keys checked with `known_rule` and `known_subject`. nullopt without the option. Every problem
/// is printed as FILE:CELL: message and `exit_code` set to 2 (then nullopt too).
std::optional<std::vector<ActionInput>> action_plan_option(
    const po::variables_map& vm, const std::function<bool(const std::string&)>& known_rule,
    const std::function<bool(const std::string&)>& known_subject, int& exit_code);

// ---- saved reports and the history (reports.cpp) -------------------------------------------
std::string history_path(const po::variables_map& vm);
std::unique_ptr<HistoryStore> open_history(const po::variables_map& vm);
/// A run id typed on the command line (digits only), checked against its range; nullopt for a
/// file name.
std::optional<std::int64_t> run_id_arg(const std::string& arg);
/// A report named on the command line (a history run id or a JSON file), read back into the
/// typed report (report_from_json: size and depth capped, schema version migrated).
ReportDocument load_report_arg(const std::string& arg, const po::variables_map& vm);

/// When `formats` holds html: the HTML templates are checked (render.hpp check_html_templates);
/// a problem is printed and kExitUsage returned, before anything is probed or written. Else kExitOk.
int check_templates_for(const std::vector<std::string>& formats);

/**
 * While alive, everything written to std::cerr passes terminal_text line by line (control
 * characters shown as visible escapes, README "Security"); on destruction the held partial line
 * is written and std::cerr restored. main() makes one before anything else runs.
 */
class StderrSanitiser {
public:
    StderrSanitiser();
    ~StderrSanitiser();
    StderrSanitiser(const StderrSanitiser&) = delete;
    StderrSanitiser& operator=(const StderrSanitiser&) = delete;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Standard error past the sanitiser, for lisa's own terminal controls only (the scan's progress
/// line: carriage return and erase-line); any text in it must already be terminal_line'd.
std::ostream& terminal_controls();

}  // namespace lisa::cli
