// SPDX-License-Identifier: Apache-2.0
// The one command-line parser every command goes through (commands.hpp): --help without the
// required options, and the option tables as data for the generated help, man page and completions.
#include <algorithm>
#include <cctype>

#include "commands.hpp"

namespace po = boost::program_options;

namespace lisa::cli {
namespace {

bool g_describe = false;

// The value's placeholder in help, man page and completion: the long name in capitals, with a few
// names that say what the value is.
std::string value_name_for(const std::string& long_name) {
    static const std::pair<const char*, const char*> kNames[] = {
        {"inventory", "FILE"}, {"rules", "DIR"},    {"output", "FILE"},    {"output-dir", "DIR"},
        {"history", "PATH|URL"}, {"to", "URL"},     {"sign", "KEY"},      {"public-key", "PEM"},
        {"as-of", "YYYY-MM-DD"}, {"timeout", "SECONDS"}, {"mapping", "FILE"}, {"register", "FILE"},
        {"action-plan", "FILE"}, {"encoding", "ENCODING"}, {"lang", "sv|en"}, {"labels", "FILE"},
        {"csv-dialect", "rfc4180|excel-sv"},
    };
    for (const auto& [name, value] : kNames) {
        if (long_name == name) {
            return value;
        }
    }
    std::string out = long_name;
    for (auto& c : out) {
        c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

CommandDoc describe(const po::options_description& desc, const po::positional_options_description& positional) {
    CommandDoc doc;
    std::vector<std::string> positional_names;
    const unsigned total = positional.max_total_count();
    for (unsigned i = 0; i < total && i < 16; ++i) {
        const std::string& name = positional.name_for_position(i);
        if (positional_names.empty() || positional_names.back() != name) {
            positional_names.push_back(name);
        }
    }
    if (total > 16) {
        positional_names.push_back("…");
    }
    for (const auto& option : desc.options()) {
        const std::string& long_name = option->long_name();
        // Options that only carry a positional argument are shown as positionals, not as options.
        if (std::find(positional_names.begin(), positional_names.end(), long_name) != positional_names.end()) {
            continue;
        }
        OptionDoc o;
        o.long_name = long_name;
        const std::string shown = option->canonical_display_name(po::command_line_style::allow_dash_for_short);
        if (shown.size() == 2 && shown[0] == '-') {
            o.short_name = shown.substr(1);
        }
        o.description = option->description();
        o.takes_value = option->semantic()->max_tokens() > 0;
        o.repeatable = option->semantic()->is_composing() || option->semantic()->max_tokens() > 1;
        if (o.takes_value) {
            o.value_name = value_name_for(long_name);
        }
        doc.options.push_back(std::move(o));
    }
    doc.positionals = std::move(positional_names);
    return doc;
}

}  // namespace

void set_describe_mode(bool on) noexcept { g_describe = on; }

po::variables_map parse_command_line(const std::vector<std::string>& args, const po::options_description& desc,
                                     const po::positional_options_description& positional) {
    if (g_describe) {
        throw Described{describe(desc, positional)};
    }
    const bool help = std::any_of(args.begin(), args.end(),
                                  [](const std::string& a) { return a == "--help" || a == "-h"; });
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
        if (!help) {
            po::notify(vm);  // the required-option check; help needs none of them
        }
    } catch (const po::error& e) {
        if (help && desc.find_nothrow("help", false) != nullptr) {
            // Help was asked for: any other problem on the line does not stand in its way.
            po::variables_map only_help;
            only_help.insert({"help", po::variable_value(true, false)});
            return only_help;
        }
        throw UsageError(e.what());
    }
    return vm;
}

}  // namespace lisa::cli
