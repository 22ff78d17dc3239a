// SPDX-License-Identifier: Apache-2.0
// lisa_ldap_bench: runs the ldap probe once against a directory and prints the group facts,
// for scripts/bench.d/ldap. The bind password comes from the environment variable named by
// --password-env, never from the command line.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "lisa/probes/ldap_probe.hpp"

namespace {

constexpr const char* kUsage =
    "usage: lisa_ldap_bench --url URL --base DN [--bind-dn DN --password-env VAR]\n"
    "         --group DN... [--mfa-group DN...] [--flavour active_directory|openldap]\n"
    "         [--starttls] [--ca-file PEM] [--stale-days N] [--as-of YYYY-MM-DD]\n"
    "         [--shared-marker attr=value] [--strong-auth-attribute attr=value]\n"
    "         [--direct-lookup-limit N] [--timeout-ms N]\n";

int usage(const std::string& problem) {
    std::cerr << "lisa_ldap_bench: " << problem << '\n' << kUsage;
    return 2;
}

/// The bench's run, built from the arguments: the directory subject with its declared facts,
/// the groups to resolve, the probe's options and the context it runs in.
struct Bench {
    lisa::Subject directory;
    lisa::DirectoryTarget target;  ///< what the inventory loader would make of the same settings
    lisa::StringList groups;
    lisa::StringList mfa_groups;
    lisa::LdapProbeOptions options;
    lisa::ProbeContext context;
};

/// Applies one option (`next` takes its value); an exit code when the bench ends here.
template <typename Next>
std::optional<int> apply_option(const std::string& arg, Next&& next, Bench& bench) {
    using namespace lisa;
    if (arg == "--url") {
        auto parsed = Url::parse(next());
        if (!parsed) {
            return usage("--url: " + parsed.error().message);
        }
        bench.target.url = std::move(parsed).value();
    } else if (arg == "--base") {
        bench.target.base_dn = next();
    } else if (arg == "--bind-dn") {
        bench.target.bind_dn = next();
    } else if (arg == "--password-env") {
        bench.target.password_env = next();
    } else if (arg == "--group") {
        bench.groups.push_back(next());
    } else if (arg == "--mfa-group") {
        bench.mfa_groups.push_back(next());
    } else if (arg == "--flavour") {
        bench.target.flavour = next();
    } else if (arg == "--starttls") {
        bench.target.starttls = true;
    } else if (arg == "--ca-file") {
        bench.target.ca_file = next();
    } else if (arg == "--stale-days") {
        bench.target.stale_days = std::stoi(next());
    } else if (arg == "--shared-marker") {
        bench.target.shared_marker = next();
    } else if (arg == "--strong-auth-attribute") {
        bench.target.strong_auth_attribute = next();
    } else if (arg == "--as-of") {
        const auto date = Date::parse(next());
        if (!date) {
            return usage("--as-of needs YYYY-MM-DD");
        }
        bench.context.as_of = *date;
    } else if (arg == "--direct-lookup-limit") {
        bench.options.direct_lookup_limit = std::stoul(next());
    } else if (arg == "--timeout-ms") {
        bench.context.timeout = std::chrono::milliseconds(std::stol(next()));
    } else if (arg == "--help" || arg == "-h") {
        std::cout << kUsage;
        return 0;
    } else {
        return usage("unknown option " + arg);
    }
    return std::nullopt;
}

/// Reads the command line into `bench`; an exit code when the bench ends here.
std::optional<int> parse_args(int argc, char** argv, Bench& bench) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(arg + " needs a value");
            }
            return argv[++i];
        };
        try {
            if (const auto done = apply_option(arg, next, bench)) {
                return done;
            }
        } catch (const std::exception& e) {
            return usage(e.what());
        }
    }
    if (bench.groups.empty() || bench.target.url.written.empty() || bench.target.base_dn.empty()) {
        return usage("--url, --base and at least one --group are required");
    }
    bench.target.mfa_groups = bench.mfa_groups;
    return std::nullopt;
}

/// The directory first, then one access group subject per --group (its parent is the directory).
std::vector<lisa::Subject> bench_subjects(const Bench& bench) {
    using namespace lisa;
    std::vector<Subject> subjects{bench.directory};
    for (std::size_t i = 0; i < bench.groups.size(); ++i) {
        Subject group;
        group.kind = SubjectKind::AccessGroup;
        group.id = "group-" + std::to_string(i);
        group.parent = 0;
        subjects.push_back(std::move(group));
    }
    return subjects;
}

/// The directory's facts, then each group's scalar facts or its error.
void print_output(const lisa::ProbeOutput& output, const lisa::StringList& groups) {
    using namespace lisa;
    for (const auto& [name, fact] : output.facts) {
        std::cout << name << " = " << fact.value.to_display() << '\n';
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const int index = static_cast<int>(i + 1);
        std::cout << "[" << groups[i] << "]\n";
        if (const auto e = output.related_errors.find(index); e != output.related_errors.end()) {
            std::cout << "  error: " << e->second << '\n';
        }
        if (const auto f = output.related.find(index); f != output.related.end()) {
            for (const auto& [name, fact] : f->second) {
                if (fact.value.type() != ValueType::List) {
                    std::cout << "  " << name << " = " << fact.value.to_display() << '\n';
                }
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace lisa;
    signal(SIGPIPE, SIG_IGN);  // a server closing the socket must not kill us
    Bench bench;
    bench.directory.kind = SubjectKind::Directory;
    bench.directory.id = "bench";
    bench.target.flavour = "active_directory";
    bench.context.as_of = Date::parse("2025-01-01").value();
    bench.context.timeout = std::chrono::seconds(30);
    if (const auto done = parse_args(argc, argv, bench)) {
        return *done;
    }
    const std::vector<Subject> subjects = bench_subjects(bench);
    auto probe = make_ldap_probe(bench.options);
    std::vector<SubjectTarget> targets{bench.target};
    for (const std::string& dn : bench.groups) {
        targets.emplace_back(AccessGroupTarget{"bench", 0, dn, false});
    }
    const ProbeRequest request{subjects[0], 0, subjects, targets, bench.context};
    const auto start = std::chrono::steady_clock::now();
    auto result = probe->collect(request);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (!result) {
        std::cerr << "lisa_ldap_bench: " << result.error().message << '\n';
        return 1;
    }
    const ProbeOutput& output = result.value();
    print_output(output, bench.groups);
    std::cerr << "lisa_ldap_bench: " << elapsed.count() << " s\n";
    return output.error.empty() ? 0 : 1;
}
