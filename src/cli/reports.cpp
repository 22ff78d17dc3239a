// SPDX-License-Identifier: Apache-2.0
// Saved reports and the history, as the commands name them.
#include "cli.hpp"

namespace lisa::cli {
std::string history_path(const po::variables_map& vm) {
    return vm.count("history") ? vm["history"].as<std::string>() : default_history_path();
}

std::unique_ptr<HistoryStore> open_history(const po::variables_map& vm) {
    // Reading commands (report, diff, history) never create a database or its directory.
    auto store = HistoryStore::open(history_path(vm), HistoryAccess::ReadExisting);
    if (!store) {
        throw UsageError(store.error().message);
    }
    return std::move(store).value();
}

// A run id typed on the command line (digits only), checked against its range; nullopt for a
// file name.
std::optional<std::int64_t> run_id_arg(const std::string& arg) {
    if (!looks_like_run_id(arg)) {
        return std::nullopt;
    }
    std::string error;
    const auto id = parse_integer("run id", arg, kRunIdRange, error);
    if (!id) {
        throw UsageError(error);
    }
    return id;
}

// A report named on the command line: a run id of the history, or a JSON file, read back into
// the typed report (report_from_json: size and depth capped, schema version migrated).
ReportDocument load_report_arg(const std::string& arg, const po::variables_map& vm) {
    std::string text;
    if (const auto id = run_id_arg(arg)) {
        auto json = open_history(vm)->report(*id);
        if (!json) {
            throw UsageError(json.error().message);
        }
        text = std::move(json).value();
    } else {
        std::string error;
        auto content = read_file(arg, detail::kMaxReportJsonBytes, error);
        if (!content) {
            throw UsageError("cannot read " + arg + ": " + error);
        }
        text = std::move(*content);
    }
    auto doc = report_from_json(text);
    if (!doc) {
        const std::string& error = doc.error().message;
        const bool located = !error.empty() && std::isdigit(static_cast<unsigned char>(error[0])) != 0;
        throw UsageError(located ? arg + ":" + error
                                 : error.rfind("not ", 0) == 0 ? arg + " is " + error : arg + ": " + error);
    }
    return std::move(doc).value();
}

}  // namespace lisa::cli
