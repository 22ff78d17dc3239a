// SPDX-License-Identifier: Apache-2.0
// lisa: compliance scanner for Swedish municipalities. Parses the command line, dispatches to
// one command (src/cli/cmd_<name>.cpp), maps the outcome to an exit code (DESIGN §5).
#include "cli.hpp"

namespace lisa::cli {
namespace {

const char* const kUsage = R"(usage: lisa <command> [options]

commands:
  scan      --inventory FILE   probe the municipality's systems and write a scored report
  validate  --inventory FILE   check an inventory and a rule pack; every problem, file:line:col
  survey    --inventory FILE   Socialstyrelsen's survey questions answered from the evidence
  rules     list | show ID     show the rule pack
  probes                       list every fact a probe or the inventory provides
  probe     KIND TARGET        run one probe and print its facts as JSON
  history                      list the stored scans
  diff      [OLD NEW]          what changed between two scans (default: the last two)
  report    REPORT.json        render a saved report (or a history run id) as html, csv, junit, sarif
  verify    REPORT.json        check a report's detached signature
  central   init --to URL      create the central store's tables and roles (PostgreSQL)
  keys      add --municipality-code CODE PUB.pem --to URL   register a municipality's key
  push      PROFILE.json --to URL   send a signed central profile to the central store
  aggregate --history URL      the survey's tables rebuilt from the central store
  version                      print the version

run 'lisa <command> --help' for the options of a command.
)";

// Standard output is an output too: a report or summary that could not be written there
// (ENOSPC on /dev/full, EPIPE on a closed pipe) is exit 5, never a truncated report with exit 0.
int finish_stdout(int code) {
    std::cout.flush();
    bool failed = !std::cout.good();
    failed = std::fflush(stdout) != 0 || failed;
    failed = std::ferror(stdout) != 0 || failed;
    failed = std::fclose(stdout) != 0 || failed;
    if (failed && (code == kExitOk || code == kExitGateFailed || code == kExitIncomplete)) {
        std::cerr << "lisa: cannot write to standard output: " << std::strerror(errno) << '\n';
        return kExitOutput;
    }
    return code;
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? kExitUsage : kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "scan") return cmd_scan(args, argv[0]);
    if (command == "survey") return cmd_scan(args, argv[0], true);
    if (command == "validate") return cmd_validate(args, argv[0]);
    if (command == "rules") return cmd_rules(args, argv[0]);
    if (command == "probes") return cmd_probes(args);
    if (command == "probe") return cmd_probe(args);
    if (command == "history") return cmd_history(args);
    if (command == "diff") return cmd_diff(args);
    if (command == "report") return cmd_report(args);
    if (command == "verify") return cmd_verify(args);
    if (command == "central") return cmd_central(args);
    if (command == "keys") return cmd_keys(args);
    if (command == "push") return cmd_push(args);
    if (command == "aggregate") return cmd_aggregate(args, argv[0]);
    if (command == "version" || command == "--version") {
        std::cout << "lisa " << kVersion << '\n';
        return kExitOk;
    }
    throw UsageError("unknown command '" + command + "'");
}

}  // namespace
}  // namespace lisa::cli

int main(int argc, char** argv) {
    // No core dumps: a crash must not write a bind password to disk.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    // A directory or web server that drops the connection must not kill the scan.
    std::signal(SIGPIPE, SIG_IGN);
    // A file-size limit (ulimit -f) must not kill lisa mid-report: the write fails with EFBIG
    // and is exit 5 with the path, like any other write error.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        return lisa::cli::finish_stdout(lisa::cli::run(argc, argv));
    } catch (const lisa::cli::UsageError& e) {
        std::cerr << "lisa: " << lisa::terminal_text(e.what(), false) << "\n(try 'lisa --help')\n";
        return lisa::cli::kExitUsage;
    } catch (const lisa::cli::OutputError& e) {
        std::cerr << "lisa: " << lisa::terminal_text(e.what(), false) << '\n';
        return lisa::cli::kExitOutput;
    } catch (const std::exception& e) {
        std::cerr << "lisa: internal error: " << lisa::terminal_text(e.what(), false) << '\n';
        return lisa::cli::kExitInternal;
    }
}

