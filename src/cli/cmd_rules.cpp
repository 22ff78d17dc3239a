// SPDX-License-Identifier: Apache-2.0
// lisa rules list | show ID.
#include "cli.hpp"

namespace lisa::cli {
namespace {

std::string render_condition(const Condition& c, int indent) {
    const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    if (c.kind == Condition::Kind::Compare) {
        std::string operand = c.param.empty() ? c.operand.to_display() : "$" + c.param;
        return pad + c.fact + " " + std::string(to_string(c.op)) + " " + operand + "\n";
    }
    std::string out = pad + (c.kind == Condition::Kind::All   ? "all:"
                             : c.kind == Condition::Kind::Any ? "any:"
                                                              : "none:") + "\n";
    for (const auto& child : c.children) {
        out += render_condition(child, indent + 1);
    }
    return out;
}

}  // namespace

int cmd_rules(const std::vector<std::string>& args, const char* argv0) {
    po::options_description desc("rules options");
    desc.add_options()("help,h", "show this help")(
        "rules,r", po::value<std::string>(), "rule pack directory or file")(
        "lang", po::value<std::string>()->default_value("sv"), "title language: sv|en")(
        "action", po::value<std::string>(), "list | show")("id", po::value<std::string>(), "rule id");
    po::positional_options_description pos;
    pos.add("action", 1).add("id", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa rules list | lisa rules show ID", desc)) {
        return kExitOk;
    }
    const std::string action = vm.count("action") ? vm["action"].as<std::string>() : "list";
    if (action != "list" && action != "show") {
        throw UsageError("lisa rules takes 'list' or 'show ID'");
    }
    const std::string rules_dir =
        vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0);
    auto loaded = load("", rules_dir);
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }
    const std::string lang = vm["lang"].as<std::string>();
    std::ostringstream text;  // printed through the terminal sanitiser: the pack is input
    if (action == "list") {
        text << std::left << std::setw(12) << "ID" << std::setw(16) << "AREA" << std::setw(10)
                  << "SEVERITY" << std::setw(14) << "FOR EACH" << "TITLE\n";
        for (const auto& rule : loaded->rules.rules) {
            text << std::left << std::setw(12) << rule.id << std::setw(16) << rule.area
                      << std::setw(10) << to_string(rule.severity) << std::setw(14)
                      << to_string(rule.for_each) << rule.title.in(lang) << '\n';
        }
        text << loaded->rules.rules.size() << " rules\n";
        std::cout << terminal_text(text.str());
        return kExitOk;
    }
    if (!vm.count("id")) {
        throw UsageError("lisa rules show needs a rule id");
    }
    const Rule* rule = loaded->rules.find(vm["id"].as<std::string>());
    if (rule == nullptr) {
        std::cerr << "lisa: no rule '" << terminal_text(vm["id"].as<std::string>(), false) << "' in "
                  << terminal_text(rules_dir, false) << '\n';
        return kExitUsage;
    }
    text << rule->id << "  [" << to_string(rule->severity) << ", " << rule->area << "]\n"
              << "  sv: " << rule->title.sv << "\n  en: " << rule->title.en << "\n"
              << "for each: " << to_string(rule->for_each) << '\n';
    if (!rule->indicator.empty()) {
        text << "indicator: " << rule->indicator << '\n';
    }
    if (rule->require) {
        text << "requires: " << to_string(*rule->require) << " evidence\n";
    }
    if (!rule->references.empty()) {
        text << "references:\n";
        for (const auto& ref : rule->references) {
            text << "  - " << ref << '\n';
        }
    }
    if (!rule->params.empty()) {
        text << "parameters:\n";
        for (const auto& [name, value] : rule->params) {
            text << "  " << name << " = " << value.to_display() << '\n';
        }
    }
    if (rule->where) {
        text << "where:\n" << render_condition(*rule->where, 1);
    }
    text << "expect:\n" << render_condition(rule->expect, 1);
    text << "remediation:\n  sv: " << rule->remediation.sv << "\n  en: " << rule->remediation.en
              << '\n'
              << "defined at " << rule->location.file << ":" << rule->location.line << '\n';
    std::cout << terminal_text(text.str());
    return kExitOk;
}

}  // namespace lisa::cli
