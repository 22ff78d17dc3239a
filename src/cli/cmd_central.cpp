// SPDX-License-Identifier: Apache-2.0
// The central store (issue 17): lisa central, keys, push and aggregate. PostgreSQL only; see
// README "Running lisa for many municipalities".
#include "cli.hpp"
#include "lisa/report/central_store.hpp"

namespace lisa::cli {
namespace {

/// A store URL from --to/--history: must be postgresql://; a password in it is refused (exit 2)
/// by the driver before any connection, without echoing the URL.
std::string central_url(const po::variables_map& vm, const char* option) {
    if (!vm.count(option)) {
        throw UsageError(std::string("--") + option + " postgresql://USER@HOST/DATABASE is required");
    }
    const std::string url = vm[option].as<std::string>();
    if (!is_postgresql_url(url)) {
        throw UsageError(std::string("--") + option + " must be a postgresql:// URL (the central store is PostgreSQL)");
    }
    // A URL carrying a password is refused before anything else is read or opened, whatever else
    // is wrong on the line: the user learns first that the secret must leave the command line.
    if (auto problem = postgresql_url_problem(url)) {
        throw UsageError("central store: " + *problem);
    }
    return url;
}

std::unique_ptr<CentralStore> open_central(const std::string& url, int& exit_code) {
    auto store = CentralStore::open(url);
    if (!store) {
        const bool password = store.error().message.find("carries a password") != std::string::npos ||
                              store.error().message.find("not a valid PostgreSQL URL") != std::string::npos;
        std::cerr << "lisa: " << store.error().message << '\n';
        exit_code = password ? kExitUsage : kExitStore;
        return nullptr;
    }
    return std::move(store).value();
}

}  // namespace

int cmd_central(const std::vector<std::string>& args) {
    po::options_description desc("central options");
    desc.add_options()("help,h", "show this help")("action", po::value<std::string>(), "init")(
        "to", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE");
    po::positional_options_description pos;
    pos.add("action", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa central init --to postgresql://OWNER@HOST/DB", desc)) {
        return kExitOk;
    }
    if (!vm.count("action") || vm["action"].as<std::string>() != "init") {
        throw UsageError("lisa central takes 'init'");
    }
    int rc = kExitOk;
    auto store = open_central(central_url(vm, "to"), rc);
    if (!store) {
        return rc;
    }
    if (auto ok = store->init(); !ok) {
        std::cerr << "lisa: " << ok.error().message << '\n';
        return kExitStore;
    }
    std::cout << "central store ready: tables, and roles lisa_pusher, lisa_key_admin, lisa_reader\n";
    return kExitOk;
}


int cmd_keys(const std::vector<std::string>& args) {
    po::options_description desc("keys options");
    desc.add_options()("help,h", "show this help")("action", po::value<std::string>(), "add")(
        "key", po::value<std::string>(), "the municipality's public key (PEM)")(
        "municipality-code", po::value<std::string>(), "four-digit kommunkod")(
        "replace", po::bool_switch(), "replace the municipality's registered key")(
        "to", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE");
    po::positional_options_description pos;
    pos.add("action", 1).add("key", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa keys add --municipality-code 1234 PUB.pem --to postgresql://ADMIN@HOST/DB", desc)) {
        return kExitOk;
    }
    if (!vm.count("action") || vm["action"].as<std::string>() != "add" || !vm.count("key")) {
        throw UsageError("lisa keys takes 'add --municipality-code CODE PUB.pem --to URL'");
    }
    if (!vm.count("municipality-code")) {
        throw UsageError("--municipality-code CODE is required");
    }
    const std::string url = central_url(vm, "to");
    std::string error;
    auto pem = read_file(vm["key"].as<std::string>(), 1 << 16, error);
    if (!pem) {
        throw UsageError("cannot read " + vm["key"].as<std::string>() + ": " + error);
    }
    int rc = kExitOk;
    auto store = open_central(url, rc);
    if (!store) {
        return rc;
    }
    const std::string code = vm["municipality-code"].as<std::string>();
    if (auto ok = store->add_key(code, *pem, vm["replace"].as<bool>()); !ok) {
        std::cerr << "lisa: " << ok.error().message << '\n';
        const bool input = ok.error().message.find("four-digit") != std::string::npos ||
                           ok.error().message.find("not a PEM") != std::string::npos ||
                           ok.error().message.find("already has") != std::string::npos ||
                           ok.error().message.find("Ed25519 or ECDSA P-256 expected") != std::string::npos;
        return input ? kExitUsage : kExitStore;
    }
    std::cout << "key registered for municipality " << code << '\n';
    return kExitOk;
}


int cmd_push(const std::vector<std::string>& args) {
    po::options_description desc("push options");
    desc.add_options()("help,h", "show this help")(
        "profile", po::value<std::vector<std::string>>(), "central profile(s) (lisa scan --format central)")(
        "signature", po::value<std::string>(), "detached signature (default PROFILE.sig); one profile only")(
        "to", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE");
    po::positional_options_description pos;
    pos.add("profile", -1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa push PROFILE.json [--signature PROFILE.json.sig] --to postgresql://PUSHER@HOST/DB",
                   desc)) {
        return kExitOk;
    }
    if (!vm.count("profile")) {
        throw UsageError("lisa push needs a central profile (lisa scan --format central --sign KEY)");
    }
    const auto profiles = vm["profile"].as<std::vector<std::string>>();
    if (vm.count("signature") && profiles.size() != 1) {
        throw UsageError("--signature names the signature of one profile; several profiles use PROFILE.sig each");
    }
    const std::string url = central_url(vm, "to");
    int rc = kExitOk;
    auto store = open_central(url, rc);
    if (!store) {
        return rc;
    }
    for (const auto& path : profiles) {
        const std::string sig_path = vm.count("signature") ? vm["signature"].as<std::string>() : path + ".sig";
        std::string error;
        auto profile = read_file(path, kMaxInputFileBytes, error);
        if (!profile) {
            std::cerr << "lisa: cannot read " << path << ": " << error << '\n';
            rc = std::max(rc, static_cast<int>(kExitUsage));
            continue;
        }
        auto sig = read_file(sig_path, 1 << 16, error);
        if (!sig) {
            std::cerr << "lisa: cannot read the signature " << sig_path << ": " << error << '\n';
            rc = std::max(rc, static_cast<int>(kExitUsage));
            continue;
        }
        auto outcome = store->push(*profile, *sig);
        if (!outcome) {
            std::cerr << "lisa: " << path << ": " << outcome.error().message << '\n';
            return kExitStore;
        }
        if (outcome.value().status == PushOutcome::Status::Refused) {
            std::cerr << "lisa: " << path << ": refused: " << outcome.value().message << '\n';
            rc = std::max(rc, static_cast<int>(kExitUsage));
            continue;
        }
        std::cout << path << ": " << outcome.value().message << '\n';
    }
    return rc;
}


int cmd_aggregate(const std::vector<std::string>& args, const char* argv0) {
    po::options_description desc("aggregate options");
    desc.add_options()("help,h", "show this help")(
        "history", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE")(
        "as-of", po::value<std::string>(), "latest profile per municipality up to this date (default: today, UTC)")(
        "since", po::value<std::string>(), "list registered municipalities without a profile since this date "
                                           "(default: a year before --as-of)")(
        "format,f", po::value<std::string>()->default_value("text"), "text|csv|json|html (html: one self-contained Swedish page)")(
        "rules,r", po::value<std::string>(), "rule pack directory (Socialstyrelsen's figures)");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa aggregate --history postgresql://READER@HOST/DB [--as-of DATE] [--format text|csv|json|html]",
                   desc)) {
        return kExitOk;
    }
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "csv" && format != "json" && format != "html") {
        throw UsageError("--format must be text, csv, json or html");
    }
    const std::string url = central_url(vm, "history");
    const std::string as_of = parse_as_of(vm).value_or(*Date::parse(today_utc())).to_string();
    std::string since;
    if (vm.count("since")) {
        auto d = Date::parse(vm["since"].as<std::string>());
        if (!d) {
            throw UsageError("--since must be a date YYYY-MM-DD");
        }
        since = d->to_string();
    } else {
        since = std::to_string(std::stoi(as_of.substr(0, 4)) - 1) + as_of.substr(4);
        if (since.substr(5) == "02-29") {
            since = since.substr(0, 5) + "02-28";
        }
    }
    auto loaded = load("", vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0));
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }
    if (!loaded->benchmarks) {
        throw UsageError("the rule pack has no benchmarks/socialstyrelsen.yaml");
    }
    int rc = kExitOk;
    auto store = open_central(url, rc);
    if (!store) {
        return rc;
    }
    auto result = store->aggregate(as_of, since, *loaded->benchmarks);
    if (!result) {
        std::cerr << "lisa: " << result.error().message << '\n';
        return kExitStore;
    }
    if (format == "json") {
        write_aggregate_json(result.value(), std::cout);
    } else if (format == "csv") {
        write_aggregate_csv(result.value(), std::cout);
    } else if (format == "html") {
        write_aggregate_html(result.value(), std::cout);
    } else {
        write_aggregate_text(result.value(), std::cout);
    }
    return kExitOk;
}

}  // namespace lisa::cli
