// SPDX-License-Identifier: Apache-2.0
// lisa: compliance scanner for Swedish municipalities. Parses the command line, dispatches to
// one command (src/cli/cmd_<name>.cpp), maps the outcome to an exit code (DESIGN §5).
#include "cli.hpp"
#include "cmd_discover_ad.hpp"

#include <malloc.h>

#include <cstdlib>

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
  init      --register FILE    a starting inventory from the system register (CSV or XLSX)
  doctor    --inventory FILE   pre-flight: files, secrets, names, ports, CA files, directory bind
  discover  ad --inventory FILE   a draft of the directory's privileged and access groups
  help      COMMAND            the options of a command (as 'lisa COMMAND --help')
  completion bash|zsh          the shell completion script
  manpage                      the man page (roff)
  version                      print the version

run 'lisa <command> --help' or 'lisa help <command>' for the options of a command.
)";

// Standard output is an output too: a report or summary that could not be written there
// (ENOSPC on /dev/full, EPIPE on a closed pipe) is exit 5, never a truncated report with exit 0.
int finish_stdout(int code) {
    // A write that failed while the command ran left its reason in errno (output is buffered, so
    // that is where a full disk shows); kept only when it is a reason a write fails for.
    const int earlier = errno;
    const bool write_reason = earlier == ENOSPC || earlier == EPIPE || earlier == EIO || earlier == EFBIG ||
                              earlier == EDQUOT;
    errno = 0;
    std::cout.flush();
    int error = errno != 0 ? errno : (write_reason ? earlier : 0);
    bool failed = !std::cout.good();
    const auto note = [&error](bool failed_now) {
        if (failed_now && error == 0) error = errno;
        return failed_now;
    };
    failed = note(std::fflush(stdout) != 0) || failed;
    failed = note(std::ferror(stdout) != 0) || failed;
    failed = note(std::fclose(stdout) != 0) || failed;
    if (failed && (code == kExitOk || code == kExitGateFailed || code == kExitIncomplete)) {
        std::cerr << "lisa: cannot write to standard output: "
                  << (error != 0 ? std::strerror(error) : "the write failed (the disk may be full)") << '\n';
        return kExitOutput;
    }
    return code;
}

int dispatch(const std::string& command, const std::vector<std::string>& args, const char* argv0);

// Every command's option table, collected by running each command in describe mode (nothing runs):
// the source of `lisa help`, the man page and the completions. Names and summaries from kUsage.
std::vector<CommandDoc> command_docs(const char* argv0) {
    std::vector<CommandDoc> docs;
    std::istringstream usage(kUsage);
    std::string line;
    bool in_commands = false;
    while (std::getline(usage, line)) {
        if (line == "commands:") {
            in_commands = true;
            continue;
        }
        if (!in_commands || line.size() < 3 || line[0] != ' ' || line[2] == ' ') {
            in_commands = in_commands && !line.empty();
            continue;
        }
        CommandDoc doc;
        std::istringstream words(line);
        words >> doc.name;
        std::string rest;
        std::getline(words, rest);
        rest = rest.substr(std::min(rest.find_first_not_of(' '), rest.size()));
        // "SYNOPSIS   summary": the summary follows the last run of three spaces.
        const auto gap = rest.rfind("   ");
        doc.summary = gap == std::string::npos ? rest : rest.substr(rest.find_first_not_of(' ', gap));
        doc.usage = gap == std::string::npos ? "" : rest.substr(0, rest.find_last_not_of(' ', gap) + 1);
        if (doc.name != "help" && doc.name != "completion" && doc.name != "manpage" && doc.name != "version") {
            set_describe_mode(true);
            try {
                dispatch(doc.name, {}, argv0);
            } catch (Described& d) {
                doc.options = std::move(d.doc.options);
                doc.positionals = std::move(d.doc.positionals);
            }
            set_describe_mode(false);
        }
        docs.push_back(std::move(doc));
    }
    return docs;
}

int dispatch(const std::string& command, const std::vector<std::string>& args, const char* argv0) {
    if (command == "scan") return cmd_scan(args, argv0);
    if (command == "survey") return cmd_scan(args, argv0, true);
    if (command == "validate") return cmd_validate(args, argv0);
    if (command == "rules") return cmd_rules(args, argv0);
    if (command == "probes") return cmd_probes(args);
    if (command == "probe") return cmd_probe(args);
    if (command == "history") return cmd_history(args);
    if (command == "diff") return cmd_diff(args);
    if (command == "report") return cmd_report(args);
    if (command == "verify") return cmd_verify(args);
    if (command == "central") return cmd_central(args);
    if (command == "keys") return cmd_keys(args);
    if (command == "push") return cmd_push(args);
    if (command == "aggregate") return cmd_aggregate(args, argv0);
    if (command == "init") return cmd_init(args, argv0);
    if (command == "doctor") return cmd_doctor(args, argv0);
    if (command == "discover") return cmd_discover(args);  // cmd_discover_ad.cpp
    if (command == "completion") return cmd_completion(args, command_docs(argv0));
    if (command == "manpage") return cmd_manpage(args, command_docs(argv0));
    if (command == "help") {
        if (args.empty() || args[0] == "--help" || args[0] == "-h") {
            std::cout << (args.empty() ? "" : "usage: lisa help COMMAND   (the options of a command)\n\n") << kUsage;
            return kExitOk;
        }
        if (args.size() != 1 || args[0] == "help" || args[0] == "version" || args[0].rfind('-', 0) == 0) {
            throw UsageError("lisa help takes one command name");
        }
        return dispatch(args[0], {"--help"}, argv0);
    }
    if (command == "version" || command == "--version") {
        std::cout << "lisa " << kVersion << '\n';
        return kExitOk;
    }
    throw UsageError("unknown command '" + command + "'");
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kUsage;
        return args.empty() ? kExitUsage : kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    return dispatch(command, args, argv[0]);
}

}  // namespace
}  // namespace lisa::cli

int main(int argc, char** argv) {
    // No core dumps: a crash must not write a bind password to disk.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    // Two malloc arenas, not glibc's 8 per core: a scan's many short-lived probe threads each
    // took an arena and left it fragmented. At 1,000 systems / 3,000 endpoints peak RSS
    // 151.5 → 126.4 MB, wall and CPU unchanged (scripts/bench scale-tls, README "Scale
    // figures"). MALLOC_ARENA_MAX in the environment still decides when set.
    if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
        ::mallopt(M_ARENA_MAX, 2);
    }
    // A directory or web server that drops the connection must not kill the scan.
    std::signal(SIGPIPE, SIG_IGN);
    // A file-size limit (ulimit -f) must not kill lisa mid-report: the write fails with EFBIG
    // and is exit 5 with the path, like any other write error.
    std::signal(SIGXFSZ, SIG_IGN);
    // No message reaches the terminal with a control sequence in it (a file name, a code or a
    // value quoted from hostile input): standard error passes the terminal sanitiser.
    const lisa::cli::StderrSanitiser sanitised_stderr;
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

