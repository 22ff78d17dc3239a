// SPDX-License-Identifier: Apache-2.0
#include "cmd_discover_ad.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli.hpp"
#include "lisa/core/diagnostics.hpp"
#include "lisa/core/text.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/probes/ldap_probe.hpp"
#include "lisa/rules/loader.hpp"
#include "numbers.hpp"

namespace lisa::cli {
namespace {

// lisa's exit-code table (README): the same values main.cpp uses.
constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr int kIncomplete = 3;
constexpr int kOutput = 5;

constexpr const char* kUsageText =
    "usage: lisa discover ad --inventory FILE [--directory ID] [--pattern P]... [--output FILE]\n"
    "                        [--max-groups N] [--timeout SECONDS]\n"
    "  Lists the directory's privileged groups (by SID) and the groups whose cn matches a\n"
    "  pattern ('*' wildcard; default APP-*, Behorighet-*, Behörighet-*) with member counts, and\n"
    "  writes a draft privileged_groups:/access_groups: block marked '# GRANSKA:' for review.\n";

/// A YAML double-quoted scalar (DNs carry commas, backslashes, å/ä/ö).
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

/// An id from a group's cn: lower case ASCII letters, digits and '-'; å/ä→a, ö→o.
std::string id_of(const std::string& dn) {
    std::string cn = dn.substr(0, dn.find(','));
    if (const auto eq = cn.find('='); eq != std::string::npos) cn = cn.substr(eq + 1);
    std::string out;
    for (std::size_t i = 0; i < cn.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(cn[i]);
        if (c == 0xC3 && i + 1 < cn.size()) {
            const unsigned char d = static_cast<unsigned char>(cn[++i]);
            out += (d == 0xA5 || d == 0xA4 || d == 0x85 || d == 0x84) ? 'a'
                   : (d == 0xB6 || d == 0x96)                           ? 'o'
                                                                        : '-';
        } else if (std::isalnum(c)) {
            out += static_cast<char>(std::tolower(c));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "grupp" : out;
}

std::string members_note(const DiscoveredGroup& g) {
    return std::to_string(g.members) + " medlemmar (" + std::to_string(g.enabled) + " aktiva)" +
           (g.unreadable > 0 ? ", och " + std::to_string(g.unreadable) + " som läskontot inte kan läsa" : "");
}

/// Whether the draft leaves something out: groups cut by --max-groups, privileged groups or
/// members the scan account cannot read.
bool incomplete(const DiscoveredDirectory& d) {
    auto unreadable = [](const DiscoveredGroup& g) { return g.unreadable > 0; };
    return d.matched_total > d.matched.size() || !d.missing_privileged.empty() ||
           std::any_of(d.privileged.begin(), d.privileged.end(), unreadable) ||
           std::any_of(d.matched.begin(), d.matched.end(), unreadable);
}

}  // namespace

std::vector<std::string> review_markers(const std::string& path, const std::string& content) {
    std::vector<std::string> out;
    std::size_t line = 1;
    for (std::size_t start = 0; start <= content.size();) {
        const std::size_t end = std::min(content.find('\n', start), content.size());
        const std::string_view text(content.data() + start, end - start);
        if (const auto at = text.find(kReviewMarker); at != std::string_view::npos) {
            std::string_view note = text.substr(at + std::string_view(kReviewMarker).size());
            while (!note.empty() && note.front() == ' ') note.remove_prefix(1);
            out.push_back(path + ":" + std::to_string(line) + ":" + std::to_string(at + 1) +
                          ": review: " + std::string(note));
        }
        ++line;
        start = end + 1;
    }
    return out;
}

namespace {

/// What `lisa discover ad` was asked to do, from its arguments.
struct DiscoverRequest {
    std::string inventory_path;
    std::string directory_id;  ///< empty: the inventory's only directory
    std::string output;        ///< empty or "-": standard output
    std::vector<std::string> patterns;
    double timeout_seconds = 0;
    std::size_t max_groups = kMaxDiscoveredGroups;
};

/// The one option parser every command uses (options.cpp): --help without the required
/// options, and the table is what `lisa help`, the man page and the completions show.
po::options_description discover_options() {
    po::options_description desc("lisa discover ad options");
    desc.add_options()("help,h", "show this help")(
        "target", po::value<std::string>(), "what to discover: ad")(
        "inventory", po::value<std::string>(), "the inventory whose directory is read (required)")(
        "directory", po::value<std::string>(), "the directory's id (default: the inventory's only one)")(
        "pattern", po::value<std::vector<std::string>>()->composing(),
        "group names to list besides the privileged ones (repeatable; default APP-*, Behorighet-*)")(
        "output", po::value<std::string>(), "write the draft here; - or none: standard output")(
        "force", po::bool_switch(), "replace an existing --output file (never the inventory or a file it names)")(
        "max-groups", po::value<std::string>()->default_value(std::to_string(kMaxDiscoveredGroups)),
        "at most this many matching groups in the draft, the first by DN; more matching is exit 3")(
        "timeout", po::value<std::string>()->default_value("10"), "seconds per network operation (0.1 to 600)");
    return desc;
}

/// Parses and checks the arguments; an exit code when the command ends here (help, usage, refusal).
std::optional<int> parse_request(const std::vector<std::string>& args, DiscoverRequest& request) {
    const po::options_description desc = discover_options();
    po::positional_options_description pos;
    pos.add("target", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, kUsageText, desc)) {
        return kOk;
    }
    if (!vm.count("target")) {
        std::cerr << kUsageText;
        return kUsage;
    }
    if (vm["target"].as<std::string>() != "ad") {
        std::cerr << "lisa: unknown discover target '" << terminal_text(vm["target"].as<std::string>(), false)
                  << "' (expected: ad)\n" << kUsageText;
        return kUsage;
    }
    request.inventory_path = vm.count("inventory") ? vm["inventory"].as<std::string>() : "";
    request.directory_id = vm.count("directory") ? vm["directory"].as<std::string>() : "";
    request.output = vm.count("output") ? vm["output"].as<std::string>() : "";
    request.patterns =
        vm.count("pattern") ? vm["pattern"].as<std::vector<std::string>>() : std::vector<std::string>{};
    request.timeout_seconds = number_option(vm, "timeout", kTimeoutRange);
    request.max_groups = static_cast<std::size_t>(integer_option(vm, "max-groups", kMaxGroupsRange));
    if (request.inventory_path.empty()) {
        std::cerr << "lisa: discover ad needs --inventory FILE\n" << kUsageText;
        return kUsage;
    }
    if (request.patterns.empty()) {
        request.patterns = {"APP-*", "Behorighet-*", "Behörighet-*"};
    }
    // Checked before the inventory is read or the directory asked: the draft never replaces the
    // inventory it comes from, and an existing file only with --force (the rule `lisa init` has).
    if (auto refusal = output_refusal(request.output == "-" ? "" : request.output, {request.inventory_path},
                                      ExistingOutput::NeedsForce, vm["force"].as<bool>())) {
        std::cerr << "lisa: " << terminal_text(*refusal, false) << '\n';
        return kUsage;
    }
    return std::nullopt;
}

/// Reads and loads the inventory; prints its problems and returns nullopt when it has any.
std::optional<Inventory> load_inventory_file(const std::string& path, const std::string& base) {
    std::string error;
    auto content = read_file(path, kMaxInputFileBytes, error);
    if (!content) {
        std::cerr << terminal_text(path + ":1:1: " + error, false) << '\n';
        return std::nullopt;
    }
    Diagnostics diagnostics;
    Inventory inventory = load_inventory({path, *content}, base, diagnostics);
    if (!diagnostics.empty()) {
        diagnostics.sort();
        for (const auto& d : diagnostics.items()) {
            std::cerr << terminal_text(d.to_string(), false) << '\n';
        }
        std::cerr << "lisa: " << diagnostics.items().size() << " problem(s) found\n";
        return std::nullopt;
    }
    return inventory;
}

/// The directory named by --directory, else the inventory's only one; prints why not and
/// returns nullptr when there is none to choose.
const Subject* choose_directory(const Inventory& inventory, const std::string& directory_id) {
    const Subject* directory = nullptr;
    std::vector<std::string> ids;
    for (const auto& s : inventory.subjects) {
        if (s.kind != SubjectKind::Directory) continue;
        ids.push_back(s.id);
        if (directory_id.empty() ? directory == nullptr : s.id == directory_id) directory = &s;
    }
    if (directory == nullptr || (directory_id.empty() && ids.size() > 1)) {
        std::string list;
        for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
        std::cerr << "lisa: "
                  << (ids.empty() ? std::string("the inventory declares no directory")
                      : directory_id.empty()
                          ? "the inventory declares several directories (" + list + "): name one with --directory"
                          : "no directory '" + terminal_text(directory_id, false) + "' (" + list + ")")
                  << '\n';
        return nullptr;
    }
    return directory;
}

/// The draft privileged_groups:/access_groups: block, every guess marked for review.
std::string draft_text(const std::string& directory, const DiscoveredDirectory& d,
                       const std::vector<std::string>& patterns) {
    std::ostringstream out;
    out << "# lisa discover ad: directory '" << directory << "'\n"
        << "# GRANSKA: ett utkast. Kontrollera varje grupp och koppla behörighetsgrupperna till sina\n"
        << "# system (systems[].access_groups) innan du klistrar in det i inventariet.\n";
    if (!d.active_directory) {
        out << "# GRANSKA: katalogen är inte Active Directory (rootDSE): inga privilegierade grupper söktes.\n";
    }
    if (d.matched_total > d.matched.size()) {
        out << "# GRANSKA: " << d.matched_total << " grupper matchade mönstren; utkastet tar bara med de "
            << d.matched.size() << " första i DN-ordning. Kör igen med snävare --pattern för resten.\n";
    }
    if (!d.missing_privileged.empty()) {
        out << "# GRANSKA: de privilegierade grupperna ";
        for (std::size_t i = 0; i < d.missing_privileged.size(); ++i) out << (i ? ", " : "") << d.missing_privileged[i];
        out << " finns i varje sådan domän men hittades inte: läskontot får inte läsa dem.\n";
    }
    out << "directories:\n  - id: " << directory << "\n    privileged_groups:\n";
    if (d.privileged.empty()) out << "      []\n";
    for (const auto& g : d.privileged) {
        out << "      - { id: " << id_of(g.dn) << ", dn: " << quoted(g.dn) << " }  # GRANSKA: "
            << g.kind << (g.kind == "DnsAdmins" ? " (namn)" : " (SID)") << ", " << members_note(g) << '\n';
    }
    out << "access_groups:  # GRANSKA: flytta varje grupp till sitt systems access_groups\n";
    if (d.matched.empty()) out << "  []  # inga grupper matchade " << patterns.size() << " mönster\n";
    for (const auto& g : d.matched) {
        out << "  - { id: " << id_of(g.dn) << ", directory: " << directory
            << ", dn: " << quoted(g.dn) << " }  # GRANSKA: " << members_note(g) << '\n';
    }
    return out.str();
}

/// Writes the draft to standard output or to --output; the exit code: 3 when groups were left
/// out (the draft is written, and says so at its top).
int write_draft(const std::string& text, const std::string& output, const DiscoveredDirectory& d) {
    std::string error;
    if (output.empty() || output == "-") {
        if (!write_stdout(text, error)) {
            std::cerr << "lisa: " << terminal_text(error, false) << '\n';
            return kOutput;
        }
    } else {
        auto file = OutputFile::open(output, error);
        if (!file || !file->write(text, error) || !file->commit(error)) {
            std::cerr << "lisa: " << terminal_text(error, false) << '\n';
            return kOutput;
        }
        std::cerr << "lisa: wrote " << output << " (" << d.privileged.size() << " privileged, "
                  << d.matched.size() << " matched groups)\n";
    }
    if (d.matched_total > d.matched.size()) {
        std::cerr << "lisa: " << d.matched_total << " groups matched the patterns; the draft lists the first "
                  << d.matched.size() << " by DN: give narrower --pattern (or --max-groups) for the rest\n";
    }
    if (incomplete(d) && d.matched_total <= d.matched.size()) {
        std::cerr << "lisa: the scan account cannot read some privileged groups or members (see the draft's "
                     "GRANSKA notes): their member counts are incomplete\n";
    }
    return incomplete(d) ? kIncomplete : kOk;
}

}  // namespace

int cmd_discover(const std::vector<std::string>& args) {
    DiscoverRequest request;
    if (const auto done = parse_request(args, request)) {
        return *done;
    }
    std::error_code ec;
    const std::string base = std::filesystem::absolute(request.inventory_path, ec).parent_path().string();
    const auto inventory = load_inventory_file(request.inventory_path, base);
    if (!inventory) {
        return kUsage;
    }
    // Issue 14: nor any file the inventory names — the service account's password file, CA file
    // and keytab are what this command reads next; even with --force.
    if (auto refusal = output_refusal(request.output == "-" ? "" : request.output,
                                      files_the_inventory_names(*inventory, base), ExistingOutput::Replace, true)) {
        std::cerr << "lisa: " << terminal_text(*refusal, false) << '\n';
        return kUsage;
    }
    const Subject* directory = choose_directory(*inventory, request.directory_id);
    if (directory == nullptr) {
        return kUsage;
    }
    ProbeContext context;
    context.as_of = *Date::parse(today_utc());  // certificates are judged as of today, not 1970
    context.timeout = std::chrono::milliseconds(static_cast<long long>(request.timeout_seconds * 1000));
    context.base_dir = base;
    const auto& target = std::get<DirectoryTarget>(
        inventory->targets[static_cast<std::size_t>(directory - inventory->subjects.data())]);
    auto found = discover_directory_groups(*directory, target, request.patterns, context, request.max_groups);
    if (!found) {
        std::cerr << "lisa: directory '" << directory->id << "' could not be read: "
                  << terminal_text(context.secrets->redact(found.error().message), false) << '\n';
        return kIncomplete;
    }
    const DiscoveredDirectory& d = found.value();
    const std::string text = context.secrets->redact(draft_text(directory->id, d, request.patterns));
    return write_draft(text, request.output, d);
}

}  // namespace lisa::cli
