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
        "history", po::value<std::string>(), "history database (run ids, and the trend chart)")(
        "lang", po::value<std::string>()->default_value("sv"), "sv|en");
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
    {
        std::vector<std::string> read = {vm["report"].as<std::string>()};
        if (vm.count("history")) read.push_back(vm["history"].as<std::string>());
        refuse_outputs_over_inputs(vm, formats, read);
    }
    ReportDocument doc = load_report_arg(vm["report"].as<std::string>(), vm);
    RenderOptions options;
    options.lang = vm["lang"].as<std::string>();
    if (doc.trend.empty() && vm.count("history")) {
        // A report saved before it carried its trend: the history's earlier audits, as a scan
        // would have added them.
        auto store = open_history(vm);
        if (auto runs = store->runs(doc.organization.name)) {
            add_trend(doc, runs.value());
        }
    }
    write_outputs(vm, formats, doc, options);
    return kExitOk;
}

}  // namespace lisa::cli
