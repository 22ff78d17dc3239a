// SPDX-License-Identifier: Apache-2.0
// Commands that live in their own files (src/cli/cmd_<name>.cpp), dispatched from main.cpp, and
// the option tables every command declares, as data: `lisa help`, the man page and the shell
// completions are generated from them (cmd_docs.cpp), so they cannot drift from the parser.
#pragma once

#include <boost/program_options.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace lisa::cli {

/// Command-line misuse or invalid input named on the command line: printed with a hint, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An output, report, signature or the history that could not be written: exit 5.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One option of a command as its boost::program_options table declares it.
struct OptionDoc {
    std::string long_name;    ///< without the dashes: "inventory"
    std::string short_name;   ///< one letter or empty: "i"
    std::string value_name;   ///< "FILE", "DIR", … ; empty for a switch
    std::string description;  ///< the table's help text (English, as the parser prints it)
    bool takes_value = false;
    bool repeatable = false;  ///< may be given more than once (a std::vector value)
};

/// One command: its name, its one-line summary from the usage text, its usage line, options and
/// positional arguments (names in order; "…" as the last one when it takes any number).
struct CommandDoc {
    std::string name;
    std::string summary;
    std::string usage;
    std::vector<OptionDoc> options;
    std::vector<std::string> positionals;
};

/// Thrown by parse_command_line() in describe mode: the command's option table, instead of a run.
struct Described {
    CommandDoc doc;
};

/// While true, parse_command_line() throws Described instead of parsing (used to collect every
/// command's table for `lisa help`, the man page and the completions; nothing runs).
void set_describe_mode(bool on) noexcept;

/// Parses `args` against a command's table. `--help`/`-h` anywhere turns off the required-option
/// check, so every command's help works without its required options (the command prints it).
/// A parse error is a UsageError (exit 2).
boost::program_options::variables_map parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& desc,
    const boost::program_options::positional_options_description& positional = {});

/// `lisa completion bash|zsh` and `lisa manpage`: the bash or zsh completion script, or the man
/// page (roff, section 1), generated from `commands`. Writes to standard output; exit 0, or 2 for
/// an unknown shell.
int cmd_completion(const std::vector<std::string>& args, const std::vector<CommandDoc>& commands);
int cmd_manpage(const std::vector<std::string>& args, const std::vector<CommandDoc>& commands);

/// Exit codes of the project's table (README "Exit codes"), for the commands in their own files.
enum CommandExit : int {
    kCmdOk = 0,
    kCmdGateFailed = 1,
    kCmdUsage = 2,
    kCmdIncomplete = 3,
    kCmdInternal = 4,
    kCmdOutput = 5,
};

/// `lisa init`: a starting inventory from a system register (cmd_init.cpp).
int cmd_init(const std::vector<std::string>& args, const char* argv0);
/// `lisa doctor --inventory FILE`: pre-flight checks without scanning (cmd_doctor.cpp).
int cmd_doctor(const std::vector<std::string>& args, const char* argv0);
/// "" when `path` is not a regular file readable by its group or others; else the warning (with
/// its mode and "chmod 600"), as `lisa validate`, `lisa scan` and `lisa doctor` print it.
std::string password_file_mode_problem(const std::string& path);

}  // namespace lisa::cli
