// SPDX-License-Identifier: Apache-2.0
// Option parsing shared by the commands.
#include <sys/stat.h>

#include <cstdio>

#include "cli.hpp"

namespace lisa::cli {
std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string now_iso() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Overwrites a string's bytes before it is released (signing keys).
void wipe_secret(std::string& s) {
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) {
        p[i] = 0;
    }
    s.clear();
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& desc,
                        const po::positional_options_description& positional) {
    return parse_command_line(args, desc, positional);
}

// Numeric options are declared as strings and read here, each against its range (numbers.hpp).
double number_option(const po::variables_map& vm, const char* option, const NumberRange& range) {
    std::string error;
    const auto v = parse_number(std::string("--") + option, vm[option].as<std::string>(), range, error);
    if (!v) {
        throw UsageError(error);
    }
    return *v;
}

std::int64_t integer_option(const po::variables_map& vm, const char* option, const IntegerRange& range) {
    std::string error;
    const auto v = parse_integer(std::string("--") + option, vm[option].as<std::string>(), range, error);
    if (!v) {
        throw UsageError(error);
    }
    return *v;
}

bool tls_full_depth_option(const po::variables_map& vm) {
    const std::string depth = vm["tls-depth"].as<std::string>();
    if (depth != "standard" && depth != "full") {
        throw UsageError("--tls-depth must be standard|full, not '" + depth + "'");
    }
    return depth == "full";
}

std::chrono::milliseconds timeout_option(const po::variables_map& vm) {
    return std::chrono::milliseconds(std::llround(number_option(vm, "timeout", kTimeoutRange) * 1000));
}

bool wants_help(const po::variables_map& vm, const std::string& usage,
                const po::options_description& desc) {
    if (vm.count("help") == 0) {
        return false;
    }
    std::cout << usage << '\n' << desc;
    return true;
}

int print_diagnostics(Diagnostics& diagnostics) {
    diagnostics.sort();
    for (const auto& d : diagnostics.items()) {
        std::cerr << terminal_text(d.to_string(), false) << '\n';  // file names and keys are input
    }
    std::cerr << "lisa: " << diagnostics.items().size()
              << (diagnostics.items().size() == 1 ? " problem" : " problems") << " found\n";
    return kExitUsage;
}

std::optional<Date> parse_as_of(const po::variables_map& vm) {
    if (vm.count("as-of") == 0) {
        return std::nullopt;
    }
    const auto text = vm["as-of"].as<std::string>();
    auto d = Date::parse(text);
    if (!d) {
        throw UsageError("--as-of must be a date YYYY-MM-DD, not '" + text + "'");
    }
    return d;
}

std::string password_file_mode_problem(const std::string& path) {
    struct stat st{};
    if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return {};  // missing or odd: the probe and doctor say so
    }
    if ((st.st_mode & 077) == 0) {
        return {};
    }
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return "password_file " + path + " is readable by " +
           ((st.st_mode & 070) != 0 && (st.st_mode & 07) != 0 ? std::string("its group and others")
            : (st.st_mode & 070) != 0                         ? std::string("its group")
                                                              : std::string("others")) +
           " (mode " + mode + "): chmod 600 it so only the account lisa runs as can read the password";
}

std::unique_ptr<AuditInputs> load(const std::string& inventory, const std::string& rules_dir) {
    auto inputs = load_audit(inventory, rules_dir);
    auto warn = [](const SourceLocation& at, const std::string& message) {
        std::cerr << terminal_text(at.file + ":" + std::to_string(at.line) + ":" +
                                       std::to_string(at.column) + ": warning: " + message,
                                   false)
                  << '\n';
    };
    for (const auto& w : inputs->inventory.warnings.items) {
        warn(w.location, w.message);
    }
    // Like ssh with a private key: a password file others can read is said, not refused.
    for (const auto& s : inputs->inventory.subjects) {
        if (s.kind != SubjectKind::Directory) continue;
        if (const Value* v = find_value(s.facts, "directory.password_file"); v && v->as_string()) {
            if (const std::string problem = password_file_mode_problem(*v->as_string()); !problem.empty()) {
                warn(s.location, "directory '" + s.id + "': " + problem);
            }
        }
    }
    return inputs;
}

}  // namespace lisa::cli
