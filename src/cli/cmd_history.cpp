// SPDX-License-Identifier: Apache-2.0
// lisa history: the stored scans.
#include "cli.hpp"

namespace lisa::cli {
int cmd_history(const std::vector<std::string>& args) {
    po::options_description desc("history options");
    desc.add_options()("help,h", "show this help")(
        "history", po::value<std::string>(), "history database")(
        "organization", po::value<std::string>(), "only this organisation's runs");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa history [--history PATH] [--organization NAME]", desc)) {
        return kExitOk;
    }
    auto store = open_history(vm);
    auto runs = store->runs(vm.count("organization") ? vm["organization"].as<std::string>() : "");
    std::ostringstream text;  // printed through the terminal sanitiser: names come from reports
    if (!runs) {
        throw UsageError(runs.error().message);
    }
    text << std::left << std::setw(6) << "RUN" << std::setw(12) << "AS OF" << std::setw(22) << "STARTED"
              << std::setw(24) << "ORGANIZATION" << std::setw(8) << "SCORE" << std::setw(10) << "COVERAGE"
              << "PASS FAIL ERROR WAIVED  SYSTEMS\n";
    for (const auto& r : runs.value()) {
        char score[16] = "–";
        if (r.score) {
            std::snprintf(score, sizeof score, "%.1f", *r.score);
        }
        char coverage[16];
        std::snprintf(coverage, sizeof coverage, "%.0f %%", r.coverage * 100);
        text << std::left << std::setw(6) << r.id << std::setw(12) << r.as_of << std::setw(22) << r.started
                  << std::setw(24) << r.organization.substr(0, 23) << std::setw(8) << score << std::setw(10)
                  << coverage << std::setw(5) << r.pass << std::setw(5) << r.fail << std::setw(6) << r.error
                  << std::setw(8) << r.waived << (r.systems.empty() ? "all" : r.systems) << '\n';
    }
    text << runs.value().size() << " runs in " << history_path(vm) << '\n';
    std::cout << terminal_text(text.str());
    return kExitOk;
}

}  // namespace lisa::cli
