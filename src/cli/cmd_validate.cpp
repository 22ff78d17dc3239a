// SPDX-License-Identifier: Apache-2.0
// lisa validate: an inventory and a rule pack checked, every problem at file:line:col.
#include "cli.hpp"
#include "cmd_discover_ad.hpp"

namespace lisa::cli {
int cmd_validate(const std::vector<std::string>& args, const char* argv0) {
    po::options_description desc("validate options");
    desc.add_options()("help,h", "show this help")(
        "inventory,i", po::value<std::string>(), "inventory file (YAML)")(
        "rules,r", po::value<std::string>(), "rule pack directory or file (default: the shipped pack)")(
        "as-of", po::value<std::string>(), "date parameters are checked against (YYYY-MM-DD)");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa validate [--inventory FILE] [--rules DIR]", desc)) {
        return kExitOk;
    }
    const std::string rules_dir =
        vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0);
    const std::string inventory = vm.count("inventory") ? vm["inventory"].as<std::string>() : "";
    auto loaded = load(inventory, rules_dir);
    const Date as_of = parse_as_of(vm).value_or(*Date::parse(today_utc()));
    // Every problem in one run: the parameters are checked also when the inventory has other errors.
    if (!inventory.empty()) {
        apply_params(loaded->rules.rules, loaded->inventory.parameters,
                     loaded->inventory.parameter_locations, as_of, loaded->diagnostics);
    }
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }
    if (std::string error; !inventory.empty()) {  // drafts' review markers (cmd_discover_ad.cpp)
        for (const auto& m : review_markers(inventory, read_file(inventory, kMaxInputFileBytes, error).value_or(""))) {
            std::cerr << terminal_text(m, false) << '\n';
        }
    }
    std::cout << "ok: " << loaded->rules.rules.size() << " rules";
    if (!inventory.empty()) {
        std::cout << ", " << loaded->inventory.subjects.size() << " subjects, "
                  << loaded->inventory.waivers.size() << " waivers";
    }
    std::cout << '\n';
    return kExitOk;
}

}  // namespace lisa::cli
