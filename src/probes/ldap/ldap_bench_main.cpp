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

}  // namespace

int main(int argc, char** argv) {
    using namespace lisa;
    signal(SIGPIPE, SIG_IGN);  // a server closing the socket must not kill us
    Subject directory;
    directory.kind = SubjectKind::Directory;
    directory.id = "bench";
    DirectoryTarget target;  // what the inventory loader would make of the same settings
    target.flavour = "active_directory";
    StringList groups;
    StringList mfa_groups;
    LdapProbeOptions options;
    ProbeContext context;
    context.as_of = Date::parse("2025-01-01").value();
    context.timeout = std::chrono::seconds(30);
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(arg + " needs a value");
            }
            return argv[++i];
        };
        try {
            if (arg == "--url") {
                auto parsed = Url::parse(next());
                if (!parsed) {
                    return usage("--url: " + parsed.error().message);
                }
                target.url = std::move(parsed).value();
            } else if (arg == "--base") {
                target.base_dn = next();
            } else if (arg == "--bind-dn") {
                target.bind_dn = next();
            } else if (arg == "--password-env") {
                target.password_env = next();
            } else if (arg == "--group") {
                groups.push_back(next());
            } else if (arg == "--mfa-group") {
                mfa_groups.push_back(next());
            } else if (arg == "--flavour") {
                target.flavour = next();
            } else if (arg == "--starttls") {
                target.starttls = true;
            } else if (arg == "--ca-file") {
                target.ca_file = next();
            } else if (arg == "--stale-days") {
                target.stale_days = std::stoi(next());
            } else if (arg == "--shared-marker") {
                target.shared_marker = next();
            } else if (arg == "--strong-auth-attribute") {
                target.strong_auth_attribute = next();
            } else if (arg == "--as-of") {
                const auto date = Date::parse(next());
                if (!date) {
                    return usage("--as-of needs YYYY-MM-DD");
                }
                context.as_of = *date;
            } else if (arg == "--direct-lookup-limit") {
                options.direct_lookup_limit = std::stoul(next());
            } else if (arg == "--timeout-ms") {
                context.timeout = std::chrono::milliseconds(std::stol(next()));
            } else if (arg == "--help" || arg == "-h") {
                std::cout << kUsage;
                return 0;
            } else {
                return usage("unknown option " + arg);
            }
        } catch (const std::exception& e) {
            return usage(e.what());
        }
    }
    if (groups.empty() || target.url.written.empty() || target.base_dn.empty()) {
        return usage("--url, --base and at least one --group are required");
    }
    target.mfa_groups = mfa_groups;

    std::vector<Subject> subjects{directory};
    std::vector<SubjectTarget> targets{target};
    for (std::size_t i = 0; i < groups.size(); ++i) {
        Subject group;
        group.kind = SubjectKind::AccessGroup;
        group.id = "group-" + std::to_string(i);
        group.parent = 0;
        subjects.push_back(std::move(group));
        targets.emplace_back(AccessGroupTarget{"bench", 0, groups[i], false});
    }

    auto probe = make_ldap_probe(options);
    const ProbeRequest request{subjects[0], 0, subjects, targets, context};
    const auto start = std::chrono::steady_clock::now();
    auto result = probe->collect(request);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (!result) {
        std::cerr << "lisa_ldap_bench: " << result.error().message << '\n';
        return 1;
    }
    const ProbeOutput& output = result.value();
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
    std::cerr << "lisa_ldap_bench: " << elapsed.count() << " s\n";
    return output.error.empty() ? 0 : 1;
}
