// SPDX-License-Identifier: Apache-2.0
// CLI basics (issue 16 item 6): every command's --help works without the command's required
// options, `lisa help CMD` prints the same, and the man page and the bash/zsh completions are
// generated from the same option tables the parser uses (checked here against each command's own
// --help, so a new option missing from either fails). The real binary, no servers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;

namespace {

struct CliRun {
    int status = -1;
    std::string output;  // stdout and stderr together
};

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    args.insert(args.begin(), {"timeout", "-s", "KILL", "60"});
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

// The commands `lisa --help` lists (the usage text is the one list of commands).
std::vector<std::string> commands() {
    const CliRun r = lisa({"--help"});
    std::vector<std::string> out;
    std::istringstream in(r.output);
    std::string line;
    bool listing = false;
    while (std::getline(in, line)) {
        if (line == "commands:") {
            listing = true;
            continue;
        }
        if (listing && line.size() > 2 && line[0] == ' ' && line[2] != ' ') {
            std::istringstream words(line);
            std::string name;
            words >> name;
            out.push_back(name);
        } else if (listing && line.empty()) {
            break;
        }
    }
    return out;
}

// The options a --help lists: the option column of boost's table ("  -i [ --inventory ] arg",
// "  --rules arg"), not option names quoted in descriptions.
std::set<std::string> long_options_in(const std::string& text) {
    std::set<std::string> out;
    static const std::regex option(R"(^  (-[a-zA-Z] \[ )?--([a-z][a-z0-9-]+))");
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, option)) out.insert(m[2]);
    }
    return out;
}

// The options a man page section documents: its ".B" option lines (roff "\-\-name").
std::set<std::string> man_options_in(const std::string& section) {
    std::set<std::string> out;
    static const std::regex hyphen(R"(\\-)");
    static const std::regex option(R"(^\.B (-[a-zA-Z], )?--([a-z][a-z0-9-]+))");
    std::istringstream in(section);
    for (std::string line; std::getline(in, line);) {
        line = std::regex_replace(line, hyphen, "-");
        std::smatch m;
        if (std::regex_search(line, m, option)) out.insert(m[2]);
    }
    return out;
}

TEST(CliBasicsTest, UsageListsEveryCommand) {
    const auto list = commands();
    for (const char* expected : {"scan", "validate", "survey", "rules", "probes", "probe", "history", "diff",
                                 "report", "verify", "central", "keys", "push", "aggregate", "init", "doctor",
                                 "help", "completion", "manpage", "version"}) {
        EXPECT_NE(std::find(list.begin(), list.end(), expected), list.end()) << expected;
    }
}

// The issue's example (`lisa scan --help` exited 2 for want of --inventory) and every other
// command: help needs none of the command's required options or arguments.
TEST(CliBasicsTest, EveryCommandsHelpExitsZeroWithoutItsRequiredOptions) {
    for (const auto& command : commands()) {
        if (command == "version") {
            continue;
        }
        const CliRun r = lisa({command, "--help"});
        EXPECT_EQ(r.status, 0) << command << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("usage: lisa " + command)) << command;
        const CliRun short_form = lisa({command, "-h"});
        EXPECT_EQ(short_form.status, 0) << command << ": " << short_form.output;
        EXPECT_EQ(short_form.output, r.output) << command;
    }
    const CliRun scan = lisa({"scan", "--help"});
    EXPECT_THAT(scan.output, HasSubstr("--inventory"));
    // Help asked for beside an option that would be refused is still help.
    EXPECT_EQ(lisa({"verify", "--help", "--no-such-option"}).status, 0);
    EXPECT_EQ(lisa({"scan", "--timeout", "nan", "--help"}).status, 0);
}

TEST(CliBasicsTest, HelpCommandPrintsTheCommandsHelp) {
    for (const auto& command : commands()) {
        if (command == "version" || command == "help") {
            continue;
        }
        const CliRun direct = lisa({command, "--help"});
        const CliRun via_help = lisa({"help", command});
        EXPECT_EQ(via_help.status, 0) << command << ": " << via_help.output;
        EXPECT_EQ(via_help.output, direct.output) << command;
    }
    const CliRun overview = lisa({"help"});
    EXPECT_EQ(overview.status, 0);
    EXPECT_THAT(overview.output, HasSubstr("commands:"));
    EXPECT_EQ(lisa({"help", "no-such-command"}).status, 2);
    EXPECT_EQ(lisa({"help", "scan", "validate"}).status, 2);
    // Without a command lisa still prints the usage, but as a usage error.
    EXPECT_EQ(lisa({}).status, 2);
}

// The man page documents every option every command's --help shows, and nothing else.
TEST(CliBasicsTest, ManPageHasEveryOptionOfEveryCommand) {
    const CliRun man = lisa({"manpage"});
    ASSERT_EQ(man.status, 0) << man.output;
    EXPECT_THAT(man.output, HasSubstr(".TH LISA 1"));
    // Sections per command; options as roff (\-\-name).
    std::map<std::string, std::string> sections;
    std::string current;
    std::istringstream in(man.output);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(".SS ", 0) == 0) {
            std::istringstream words(line.substr(4));
            words >> current;
        }
        if (line.rfind(".SH ", 0) == 0) {
            current.clear();
        }
        if (!current.empty()) {
            sections[current] += line + "\n";
        }
    }
    for (const auto& command : commands()) {
        ASSERT_TRUE(sections.count(command)) << "no man page section for " << command;
        if (command == "help") {
            continue;  // its --help is the command list, naming other commands' options
        }
        const CliRun help = lisa({command, "--help"});
        const auto expected = long_options_in(help.output);
        const auto documented = man_options_in(sections[command]);
        for (const auto& option : documented) {
            EXPECT_TRUE(expected.count(option)) << command << ": man page has --" << option
                                                 << " that --help does not";
        }
        // Positional carriers (rules' action/id, …) are shown as arguments on the .SS line.
        const std::string title = sections[command].substr(0, sections[command].find('\n'));
        for (const auto& option : expected) {
            if (documented.count(option) || title.find("\\fI" + option + "\\fR") != std::string::npos) {
                continue;
            }
            ADD_FAILURE() << command << ": --" << option << " from --help is not in the man page";
        }
    }
    // Valid roff as man(1) reads it: no warnings from groff's checker.
    TempDir dir;
    write_file(dir.file("lisa.1"), man.output);
    std::string warnings;
    const int rc = run_command({"sh", "-c", "groff -man -Tutf8 -ww -z \"$0\" 2>&1", dir.file("lisa.1")}, &warnings);
    EXPECT_EQ(rc, 0) << warnings;
    EXPECT_EQ(warnings, "");
}

std::string complete_bash(const std::string& script, const std::vector<std::string>& words) {
    std::string line = "source \"$0\"; COMP_WORDS=(";
    for (const auto& w : words) {
        line += "'" + w + "' ";
    }
    line += "); COMP_CWORD=" + std::to_string(words.size() - 1) + "; _lisa; printf '%s\\n' \"${COMPREPLY[@]}\"";
    std::string out;
    run_command({"bash", "-c", line, script}, &out);
    return out;
}

TEST(CliBasicsTest, BashCompletionOffersCommandsAndEachCommandsOptions) {
    const CliRun gen = lisa({"completion", "bash"});
    ASSERT_EQ(gen.status, 0) << gen.output;
    TempDir dir;
    write_file(dir.file("lisa.bash"), gen.output);
    EXPECT_EQ(complete_bash(dir.file("lisa.bash"), {"lisa", "sc"}), "scan\n");
    EXPECT_EQ(complete_bash(dir.file("lisa.bash"), {"lisa", "scan", "--output"}), "--output\n--output-dir\n");
    EXPECT_EQ(complete_bash(dir.file("lisa.bash"), {"lisa", "init", "--reg"}), "--register\n");
    EXPECT_EQ(complete_bash(dir.file("lisa.bash"), {"lisa", "help", "doc"}), "doctor\n");
    // Every option of every command is offered after "--".
    for (const auto& command : commands()) {
        if (command == "help") {
            continue;
        }
        const CliRun help = lisa({command, "--help"});
        const std::string offered = complete_bash(dir.file("lisa.bash"), {"lisa", command, "--"});
        for (const auto& option : long_options_in(help.output)) {
            if (offered.find("--" + option + "\n") == std::string::npos) {
                // Positional carriers are not offered as options; every other option is.
                const CliRun man = lisa({"manpage"});
                EXPECT_NE(man.output.find("\\fI" + option + "\\fR"), std::string::npos)
                    << command << ": --" << option << " is neither completed nor a positional";
            }
        }
    }
    EXPECT_EQ(lisa({"completion", "fish"}).status, 2);
}

TEST(CliBasicsTest, ZshCompletionLoadsAndListsCommands) {
    const CliRun gen = lisa({"completion", "zsh"});
    ASSERT_EQ(gen.status, 0) << gen.output;
    EXPECT_EQ(gen.output.rfind("#compdef lisa\n", 0), 0u);
    TempDir dir;
    write_file(dir.file("_lisa"), gen.output);
    std::string out;
    EXPECT_EQ(run_command({"zsh", "-n", dir.file("_lisa")}, &out), 0) << out;
    EXPECT_THAT(gen.output, HasSubstr("'scan:probe the municipality"));
    EXPECT_THAT(gen.output, HasSubstr("--inventory"));
}

}  // namespace
