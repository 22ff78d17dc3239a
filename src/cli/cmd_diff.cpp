// SPDX-License-Identifier: Apache-2.0
// lisa diff: what changed between two reports.
#include "cli.hpp"
#include "lisa/report/diff.hpp"

namespace lisa::cli {
int cmd_diff(const std::vector<std::string>& args) {
    po::options_description desc("diff options");
    desc.add_options()("help,h", "show this help")(
        "old", po::value<std::string>(), "older run id or JSON report")(
        "new", po::value<std::string>(), "newer run id or JSON report")(
        "history", po::value<std::string>(), "history database")(
        "organization", po::value<std::string>(), "organisation whose last two runs to compare")(
        "format,f", po::value<std::string>()->default_value("text"), "text|json")(
        "lang", po::value<std::string>()->default_value("sv"), "sv|en")(
        "rules,r", po::value<std::string>(), "rule pack directory whose labels/labels.yaml words the text (default: the shipped pack)")(
        "labels", po::value<std::string>(), "label catalogue FILE replacing the text's words");
    po::positional_options_description pos;
    pos.add("old", 1).add("new", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa diff [OLD NEW]   (run ids or JSON reports; default: the last two runs)", desc)) {
        return kExitOk;
    }
    Diagnostics diagnostics;
    const Labels labels =
        load_labels(vm, vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir("lisa"), diagnostics);
    if (!diagnostics.empty()) {
        return print_diagnostics(diagnostics);
    }
    ReportDocument older;
    ReportDocument newer;
    if (vm.count("old") && vm.count("new")) {
        // Both arguments are checked before either is read.
        run_id_arg(vm["old"].as<std::string>());
        run_id_arg(vm["new"].as<std::string>());
        older = load_report_arg(vm["old"].as<std::string>(), vm);
        newer = load_report_arg(vm["new"].as<std::string>(), vm);
    } else if (vm.count("old")) {
        throw UsageError("lisa diff takes two reports, or none for the last two runs");
    } else {
        auto store = open_history(vm);
        std::string org = vm.count("organization") ? vm["organization"].as<std::string>() : "";
        auto runs = store->runs(org);
        if (!runs) {
            throw UsageError(runs.error().message);
        }
        std::vector<HistoryRun> list = runs.value();
        if (org.empty() && !list.empty()) {
            org = list.back().organization;  // the organisation of the latest run
        }
        // The latest run and the one before it of the same organisation and scope: a --system
        // run is compared with the previous run of the same selection, a full run with the
        // previous full run.
        const std::string systems = list.empty() ? std::string() : list.back().systems;
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const HistoryRun& r) { return r.organization != org || r.systems != systems; }),
                   list.end());
        if (list.size() < 2) {
            throw UsageError("the history holds fewer than two runs" + (org.empty() ? std::string() : " of " + org) +
                             (systems.empty() ? std::string(" over the whole inventory")
                                              : " with --system " + systems));
        }
        older = load_report_arg(std::to_string(list[list.size() - 2].id), vm);
        newer = load_report_arg(std::to_string(list.back().id), vm);
    }
    if (const auto problem = diff_scope_problem(older, newer)) {
        throw UsageError("lisa diff: cannot compare: " + *problem);
    }
    const ReportDiff d = diff_reports(older, newer);
    if (vm["format"].as<std::string>() == "json") {
        write_diff_json(d, std::cout);
    } else {
        write_diff_text(d, labels, vm["lang"].as<std::string>(), std::cout);
    }
    return kExitOk;
}

}  // namespace lisa::cli
