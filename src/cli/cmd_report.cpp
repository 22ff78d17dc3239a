// SPDX-License-Identifier: Apache-2.0
// lisa report: a saved report (or history run) re-rendered in any format.
#include "cli.hpp"

namespace lisa::cli {
int cmd_report(const std::vector<std::string>& args) {
    po::options_description desc("report options");
    desc.add_options()("help,h", "show this help")(
        "report", po::value<std::string>(), "JSON report, or a history run id")(
        "format,f", po::value<std::vector<std::string>>(), formats_help("format to render, repeatable (default html)").c_str())(
        "output,o", po::value<std::string>(), "write to this file")(
        "output-dir", po::value<std::string>(), "write every format into this directory")(
        "history", po::value<std::string>(), "history database for run ids and the trend of a report that carries none (default $LISA_HISTORY or ~/.local/share/lisa/history.db)")(
        "lang", po::value<std::string>()->default_value("sv"), "sv|en")(
        "rules,r", po::value<std::string>(), "rule pack directory whose labels/labels.yaml words the report (default: the shipped pack)")(
        "labels", po::value<std::string>(), "label catalogue FILE replacing the reports' words")(
        "csv-dialect", po::value<std::string>()->default_value("rfc4180"),
        "CSV files: rfc4180 (`,`) or excel-sv (`;`, UTF-8 BOM, decimal comma, CRLF: Swedish Excel)")(
        "action-plan", po::value<std::string>(),
        "the action plan filled in (an actionplan-xlsx file), carried into the re-rendered report");
    po::positional_options_description pos;
    pos.add("report", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa report REPORT.json|RUN-ID --format FORMAT [--output F | --output-dir D]", desc)) {
        return kExitOk;
    }
    if (!vm.count("report")) {
        throw UsageError("lisa report needs a JSON report or a history run id");
    }
    const std::vector<std::string> formats = checked_formats(vm, "html");
    if (const int templates = check_templates_for(formats); templates != kExitOk) {
        return templates;
    }
    {
        std::vector<std::string> read = files_the_options_name(vm, default_rules_dir("lisa"));
        read.push_back(vm["report"].as<std::string>());
        refuse_outputs_over_inputs(vm, formats, read);
    }
    ReportDocument doc = load_report_arg(vm["report"].as<std::string>(), vm);
    Diagnostics diagnostics;
    const Labels labels =
        load_labels(vm, vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir("lisa"), diagnostics);
    if (!diagnostics.empty()) {
        return print_diagnostics(diagnostics);
    }
    RenderOptions options;
    options.lang = vm["lang"].as<std::string>();
    options.labels = &labels;
    options.csv_dialect = csv_dialect_option(vm);
    int exit_code = kExitOk;
    const auto plan = action_plan_option(
        vm, [&](const std::string& rule) { return doc.find_rule(rule) != nullptr; },
        [&](const std::string& subject) {
            return std::any_of(doc.findings.begin(), doc.findings.end(),
                               [&](const ReportFinding& f) { return f.subject == subject; });
        },
        exit_code);
    if (exit_code != kExitOk) {
        return exit_code;
    }
    if (plan) {
        apply_action_plan(doc, *plan);
    }
    // The trend stored in the report at scan time is the trend: it is never re-read, so a report
    // re-renders as the board received it. A report that carries none (saved before reports
    // carried it, or the organisation's first audit) gets the history's full-scope audits up to
    // its own date, as the scan would have added them, from the history the scan uses:
    // --history (exit 2 when it does not exist), else $LISA_HISTORY or the built-in location
    // when the file exists (none yet: no trend). Nothing is created.
    const std::string path = history_path(vm);
    std::error_code ec;
    if (doc.trend.empty() && doc.run.systems.empty() &&
        (vm.count("history") > 0 || is_postgresql_url(path) || std::filesystem::is_regular_file(path, ec))) {
        auto store = open_history(vm);
        auto runs = store->runs(doc.organization.name);
        if (!runs) {
            throw UsageError(runs.error().message);
        }
        add_trend(doc, runs.value());
    }
    write_outputs(vm, formats, doc, options);
    return kExitOk;
}

}  // namespace lisa::cli
