// SPDX-License-Identifier: Apache-2.0
// lisa probes: every probe and every fact it or the inventory provides.
#include "cli.hpp"
#include "lisa/probes/register_builtin.hpp"

namespace lisa::cli {
int cmd_probes(const std::vector<std::string>& args) {
    po::options_description desc("probes options");
    desc.add_options()("help,h", "show this help");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa probes", desc)) {
        return kExitOk;
    }
    ProbeRegistry registry;
    register_builtin_probes(registry);
    const FactCatalog catalog = build_fact_catalog(registry);
    std::string provider;
    for (const auto& probe : registry.probes()) {
        std::cout << "probe " << probe->spec().kind << ": " << probe->spec().description << '\n';
    }
    std::cout << '\n' << std::left << std::setw(44) << "FACT" << std::setw(9) << "TYPE"
              << std::setw(11) << "PROVIDER" << "MEANING\n";
    for (const auto& info : catalog.all()) {
        std::cout << std::left << std::setw(44) << info.name << std::setw(9) << to_string(info.type)
                  << std::setw(11) << info.provider << info.meaning << '\n';
    }
    return kExitOk;
}

}  // namespace lisa::cli
