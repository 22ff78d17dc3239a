// SPDX-License-Identifier: Apache-2.0
// lisa scan and lisa survey: the audit library run from the command line.
#include "cli.hpp"
#include "lisa/report/central.hpp"
#include "lisa/report/signature.hpp"
#include "lisa/report/survey.hpp"

namespace lisa::cli {
namespace {

// `lisa survey --format text|csv|json [--output FILE]`: anything else is a usage error (exit 2),
// never a run that writes nothing. One format; --output-dir is for `lisa scan`.
std::string checked_survey_format(const po::variables_map& vm) {
    const std::vector<std::string> formats =
        vm.count("format") ? vm["format"].as<std::vector<std::string>>() : std::vector<std::string>{"text"};
    for (const auto& f : formats) {
        if (!is_survey_format(f)) {
            throw UsageError("unknown survey --format '" + f + "' (expected text|csv|json|xlsx)");
        }
    }
    if (formats.size() != 1) {
        throw UsageError("lisa survey writes one --format at a time");
    }
    if (vm.count("output-dir")) {
        throw UsageError("lisa survey takes --output FILE, not --output-dir");
    }
    if (formats.front() == "xlsx" && !vm.count("output")) {
        throw UsageError("--format xlsx needs --output FILE.xlsx");
    }
    return formats.front();
}

/// Adds the trend to the report and stores it in the history; the reason when the history could
/// not be read or written.
std::optional<std::string> store_in_history(const std::string& path, HistoryAccess access, ReportDocument& doc) {
    auto store = HistoryStore::open(path, access);
    Result<std::vector<HistoryRun>> runs =
        store ? store.value()->runs(doc.organization.name) : Result<std::vector<HistoryRun>>(store.error());
    Result<std::int64_t> added = runs ? Result<std::int64_t>(0) : Result<std::int64_t>(runs.error());
    if (runs) {
        add_trend(doc, runs.value());
        std::ostringstream json;  // the one serialisation the history keeps
        to_json(doc, json);
        added = store.value()->add(json.str());
    }
    if (!added) {
        return added.error().message;
    }
    return std::nullopt;
}

po::options_description scan_options() {
    po::options_description desc("scan options");
    desc.add_options()("help,h", "show this help")(
        "inventory,i", po::value<std::string>()->required(), "inventory file (YAML)")(
        "rules,r", po::value<std::string>(), "rule pack directory or file (default: the shipped pack)")(
        "as-of", po::value<std::string>(),
        "audit date YYYY-MM-DD; fixes every date in the report (default: today, UTC)")(
        "format,f", po::value<std::vector<std::string>>(), formats_help("report format, repeatable").c_str())(
        "output,o", po::value<std::string>(), "write the (non-text) report to this file, atomically")(
        "output-dir", po::value<std::string>(), "write every format into this directory")(
        "history", po::value<std::string>(), "history database (default $LISA_HISTORY or ~/.local/share/lisa/history.db)")(
        "no-history", po::bool_switch(), "do not store this scan in the history")(
        "history-optional", po::bool_switch(), "a history that cannot be stored is a warning, not exit 5")(
        "sign", po::value<std::string>(), "sign the JSON report with this private key (PEM); writes REPORT.sig")(
        "system,s", po::value<std::vector<std::string>>(), "scan only this system and its parts (repeatable)")(
        "fail-under", po::value<std::string>(), "exit 1 when the overall score is below N (0 to 100)")(
        "fail-on", po::value<std::string>(), "exit 1 when a rule of this severity or worse fails")(
        "allow-incomplete", po::bool_switch(), "do not exit 3 when some checks could not run")(
        "concurrency", po::value<std::string>()->default_value("8"), "probe calls at once (1 to 256)")(
        "per-host", po::value<std::string>()->default_value("2"), "probe calls at once against one host, politeness (1 to 64)")(
        "timeout", po::value<std::string>()->default_value("5"), "seconds per network operation (0.1 to 600)")(
        "tls-depth", po::value<std::string>()->default_value("standard"), "tls: standard|full (full adds SSLv2/3, every suite, order, groups, OCSP, renegotiation, compression, fallback)")(
        "lang", po::value<std::string>()->default_value("sv"), "report language: sv|en")(
        "labels", po::value<std::string>(), "label catalogue FILE replacing the reports' words (README \"Labels and wording\")")(
        "csv-dialect", po::value<std::string>()->default_value("rfc4180"),
        "CSV files: rfc4180 (`,`) or excel-sv (`;`, UTF-8 BOM, decimal comma, CRLF: Swedish Excel)")(
        "action-plan", po::value<std::string>(),
        "the action plan filled in (an actionplan-xlsx file): owner, deadline, status and comment carried into this report")(
        "color", po::value<std::string>()->default_value("auto"), "terminal colours: auto|always|never");
    return desc;
}

/// The private key for --sign, checked before anything is probed or written: a bad key exits 2
/// and leaves the previous signed report and its signature untouched. Empty without --sign.
std::string signing_key_option(const po::variables_map& vm, const std::vector<std::string>& formats) {
    if (!vm.count("sign")) {
        return {};
    }
    if ((std::find(formats.begin(), formats.end(), "json") == formats.end() &&
         std::find(formats.begin(), formats.end(), "central") == formats.end()) ||
        (!vm.count("output") && !vm.count("output-dir")) || output_is_stdout(vm)) {
        throw UsageError("--sign signs the JSON report or the central profile: add --format json or "
                         "--format central, and --output FILE (not -) or --output-dir");
    }
    std::string error;
    auto key = read_file(vm["sign"].as<std::string>(), 1 << 20, error);
    if (!key) {
        throw UsageError("cannot read the signing key " + vm["sign"].as<std::string>() + ": " + error);
    }
    std::string signing_key = std::move(*key);
    const auto check = sign_detached("lisa signing key check", signing_key);
    if (!check) {
        wipe_secret(signing_key);
        throw UsageError("the signing key " + vm["sign"].as<std::string>() + " cannot sign: " + check.error().message);
    }
    if (output_in_place(json_report_path(vm))) {
        wipe_secret(signing_key);
        throw UsageError("--sign needs the JSON report in a regular file (its signature goes beside it), not " +
                         json_report_path(vm));
    }
    return signing_key;
}

/// Everything the scan takes from the command line besides the outputs.
struct ScanSettings {
    std::string lang;
    Labels labels;  ///< the reports' words (load_labels)
    Gates gates;
    ScanOptions options;
    RunStamp stamp;
};

ScanSettings scan_settings(const po::variables_map& vm) {
    ScanSettings s;
    s.lang = vm["lang"].as<std::string>();
    if (s.lang != "sv" && s.lang != "en") {
        throw UsageError("--lang must be sv or en");
    }
    if (vm.count("fail-on")) {
        s.gates.fail_on = severity_from_string(vm["fail-on"].as<std::string>());
        if (!s.gates.fail_on) {
            throw UsageError("--fail-on must be info|low|medium|high|critical");
        }
    }
    s.options.timeout = timeout_option(vm);
    s.options.tls_full_depth = tls_full_depth_option(vm);
    s.options.concurrency = static_cast<unsigned>(integer_option(vm, "concurrency", kConcurrencyRange));
    s.options.per_host = static_cast<unsigned>(integer_option(vm, "per-host", kPerHostRange));
    if (vm.count("fail-under") > 0) {
        s.gates.fail_under = number_option(vm, "fail-under", kScoreRange);
    }
    const auto as_of_given = parse_as_of(vm);
    s.stamp.as_of = as_of_given ? as_of_given->to_string() : today_utc();
    s.options.as_of = *Date::parse(s.stamp.as_of);
    s.stamp.started = as_of_given ? s.stamp.as_of + "T00:00:00Z" : now_iso();
    s.stamp.finished = as_of_given ? s.stamp.started : std::string();  // else stamped when done
    s.stamp.tool_version = kVersion;
    s.stamp.lang = s.lang;
    if (vm.count("system")) {
        s.options.systems = vm["system"].as<std::vector<std::string>>();
    }
    return s;
}

/// Step 1 and the --system check: the inputs, or the exit code of their diagnostics.
std::unique_ptr<AuditInputs> load_scan_inputs(const po::variables_map& vm, const char* argv0, ScanSettings& s,
                                              int& exit_code) {
    const std::string rules_dir = vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0);
    auto inputs = load(vm["inventory"].as<std::string>(), rules_dir);
    s.labels = load_labels(vm, rules_dir, inputs->diagnostics);  // reported with the pack's problems
    if (inputs->diagnostics.empty()) {
        apply_parameters(*inputs, s.options.as_of);
    }
    s.options.base_dir = inputs->inventory_dir;
    for (const auto& id : s.options.systems) {
        if (inputs->diagnostics.empty() && inputs->inventory.find(SubjectKind::System, id) < 0) {
            throw UsageError("unknown system '" + id + "' (not in the inventory)");
        }
    }
    if (!inputs->diagnostics.empty()) {
        exit_code = print_diagnostics(inputs->diagnostics);
        return nullptr;
    }
    return inputs;
}

/// Steps 2–6 with a progress line on a terminal.
std::unique_ptr<AuditRun> run_with_progress(AuditInputs& inputs, const ScanSettings& s) {
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    ProgressFn progress;
    if (tty) {
        progress = [](std::size_t done, std::size_t total, const std::string& target) {
            terminal_controls() << "\r\033[K[" << done << "/" << total << "] " << terminal_line(target, 60) << std::flush;
        };
    }
    auto run = run_audit(inputs, s.options, s.stamp, progress);
    if (run->report.finished.empty()) {
        run->report.finished = now_iso();
    }
    if (tty && !run->scan.probe_runs.empty()) {
        terminal_controls() << "\r\033[K" << std::flush;
    }
    return run;
}

/// lisa survey: the survey export of the run, to --output or the terminal.
int write_survey_output(const po::variables_map& vm, const Report& report, const std::string& format,
                        CsvDialect dialect) {
    std::ostringstream survey;
    write_survey(report, format, survey, dialect);
    if (!vm.count("output") || output_is_stdout(vm)) {
        // On the terminal the answers and names, which come from the inputs, are sanitised.
        std::cout << (format == "text" ? terminal_text(survey.str()) : survey.str()) << std::flush;
    } else if (std::string error; !write_output(vm["output"].as<std::string>(), survey.str(), error)) {
        throw OutputError(error);
    }
    return kExitOk;
}

/// The history first: the report carries the trend of the earlier audits and this one, so that
/// a re-render of the saved report shows the same trend. True when the scan must exit 5.
bool record_in_history(const po::variables_map& vm, ReportDocument& document) {
    if (vm["no-history"].as<bool>()) {
        return false;
    }
    const std::string path = vm.count("history") ? vm["history"].as<std::string>() : default_history_path();
    // Only the built-in location gets its directories made; a --history or $LISA_HISTORY whose
    // directory does not exist is exit 5 with the reason (a typo must not leave directories).
    const HistoryAccess access = !vm.count("history") && history_path_is_builtin()
                                     ? HistoryAccess::WriteCreatingDirectories
                                     : HistoryAccess::Write;
    const auto problem = store_in_history(path, access, document);
    if (!problem) {
        return false;
    }
    const bool failed = !vm["history-optional"].as<bool>();
    std::cerr << "lisa: " << (failed ? "error" : "warning") << ": scan not stored in the history: "
              << terminal_text(*problem, false)
              << (failed ? " (--history-optional makes this a warning, --no-history skips it)" : "") << '\n';
    return failed;
}

/// Gates: a failed gate (1) outranks an incomplete scan (3): it is known non-compliance.
int gate_exit(const ReportDocument& document, const Gates& gates, bool allow_incomplete) {
    switch (evaluate_gates(document, gates)) {
        case GateOutcome::Failed: return kExitGateFailed;
        case GateOutcome::Incomplete:
            if (allow_incomplete) {
                return kExitOk;
            }
            std::cerr << "lisa: scan incomplete: some checks could not run (see 'error' findings); "
                         "--allow-incomplete accepts that\n";
            return kExitIncomplete;
        case GateOutcome::Passed: return kExitOk;
    }
    return kExitOk;
}

}  // namespace

int cmd_scan(const std::vector<std::string>& args, const char* argv0, bool survey_mode) {
    const po::options_description desc = scan_options();
    const auto vm = parse(args, desc);
    if (wants_help(vm, survey_mode ? "usage: lisa survey --inventory FILE [--as-of DATE] [--format text|csv|json|xlsx] [--output FILE]" : "usage: lisa scan --inventory FILE [options]", desc)) {
        return kExitOk;
    }
    const std::string survey_format = survey_mode ? checked_survey_format(vm) : std::string();
    const std::vector<std::string> formats = survey_mode ? std::vector<std::string>{} : checked_formats(vm, "text");
    if (vm.count("history") && is_postgresql_url(vm["history"].as<std::string>())) {
        if (auto problem = postgresql_url_problem(vm["history"].as<std::string>())) {
            throw UsageError(*problem);  // before probing anything
        }
    }
    {
        std::vector<std::string> read = files_the_options_name(vm, default_rules_dir(argv0));
        read.push_back(vm["inventory"].as<std::string>());
        refuse_outputs_over_inputs(vm, formats, read);
    }
    std::string signing_key = signing_key_option(vm, formats);
    ScanSettings settings = scan_settings(vm);
    int exit_code = kExitOk;
    auto inputs = load_scan_inputs(vm, argv0, settings, exit_code);
    if (!inputs) {
        wipe_secret(signing_key);
        return exit_code;
    }
    try {
        refuse_outputs_over_inputs(vm, formats, files_the_inventory_names(inputs->inventory, inputs->inventory_dir));
    } catch (...) {
        wipe_secret(signing_key);
        throw;
    }
    const CsvDialect dialect = csv_dialect_option(vm);
    const auto plan = action_plan_option(
        vm, [&](const std::string& rule) { return inputs->rules.find(rule) != nullptr; },
        [&](const std::string& subject) {
            return std::any_of(inputs->inventory.subjects.begin(), inputs->inventory.subjects.end(),
                               [&](const Subject& s) { return s.id == subject; });
        },
        exit_code);
    if (exit_code == kExitOk) {
        exit_code = check_templates_for(formats);  // a municipality's template is input too
    }
    if (exit_code != kExitOk) {
        wipe_secret(signing_key);
        return exit_code;  // before anything is probed
    }
    auto run = run_with_progress(*inputs, settings);
    if (survey_mode) {
        return write_survey_output(vm, run->report, survey_format, dialect);
    }
    RenderOptions render_options;
    render_options.lang = settings.lang;
    render_options.labels = &settings.labels;
    render_options.csv_dialect = dialect;
    const std::string color = vm["color"].as<std::string>();
    render_options.color = color == "always" || (color == "auto" && ::isatty(STDOUT_FILENO) != 0);
    ReportDocument document = build_report(run->report, &run->scan);
    // The document holds everything the writers and the gates read from here on: the scan's own
    // facts and findings go before the writers allocate theirs (the report held once, issue 15).
    run.reset();
    if (plan) {
        apply_action_plan(document, *plan);
    }
    const bool history_failed = record_in_history(vm, document);
    write_outputs(vm, formats, document, render_options, &signing_key);
    wipe_secret(signing_key);
    if (history_failed) {
        return kExitOutput;  // the reports are written; the record of this audit is not
    }
    return gate_exit(document, settings.gates, vm["allow-incomplete"].as<bool>());
}

}  // namespace lisa::cli
