// SPDX-License-Identifier: Apache-2.0
// Numbers on the command line (issue 11, kind G): one parser (src/cli/numbers.cpp) for every
// numeric option and run id. Every out-of-range or non-finite value is refused with exit 2 and a
// message naming the option and its range: never an internal error, never a silently disabled
// gate. The binary is run end to end; nothing here needs a server (a refused value stops lisa
// before anything is probed), and `timeout` kills a run that would hang.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "numbers.hpp"
#include "process.hpp"

using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

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

const std::string kExample = std::string(LISA_SOURCE_DIR) + "/examples/exempelkommun/inventory.yaml";

struct Refusal {
    std::vector<std::string> args;
    std::string option;  ///< how the message names the option
    std::string range;   ///< the allowed range as the message states it
};

void expect_refused(const Refusal& c) {
    const CliRun r = lisa(c.args);
    std::string shown;
    for (const auto& a : c.args) {
        shown += a + " ";
    }
    EXPECT_EQ(r.status, 2) << shown << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.option + " must be")) << shown;
    EXPECT_THAT(r.output, HasSubstr(c.range)) << shown;
    EXPECT_THAT(r.output, Not(HasSubstr("internal error"))) << shown;
}

std::vector<std::string> scan_with(const std::string& option, const std::string& value) {
    return {"scan", "--inventory", kExample, "--no-history", option, value};
}

TEST(NumericOptionsTest, ScanRefusesEveryNonFiniteOrOutOfRangeNumber) {
    const std::string timeout_range = "from 0.1 to 600";
    const std::string score_range = "from 0 to 100";
    const std::vector<Refusal> cases = {
        // The examples.
        {scan_with("--fail-under", "nan"), "--fail-under", score_range},
        {scan_with("--timeout", "1e-9"), "--timeout", timeout_range},
        {scan_with("--fail-under", "101"), "--fail-under", score_range},
        {scan_with("--timeout", "inf"), "--timeout", timeout_range},
        {scan_with("--concurrency", "-1"), "--concurrency", "from 1 to 256"},
        {scan_with("--concurrency", "99999999999999999999"), "--concurrency", "from 1 to 256"},
        {scan_with("--per-host", "-3"), "--per-host", "from 1 to 64"},
        {scan_with("--per-host", "4294967297"), "--per-host", "from 1 to 64"},
        // Same kind: other spellings of "not a finite number in range".
        {scan_with("--fail-under", "-nan"), "--fail-under", score_range},
        {scan_with("--fail-under", "NaN"), "--fail-under", score_range},
        {scan_with("--fail-under", "-0.5"), "--fail-under", score_range},
        {scan_with("--fail-under", "1e400"), "--fail-under", score_range},
        {scan_with("--fail-under", "50%"), "--fail-under", score_range},
        {scan_with("--fail-under", ""), "--fail-under", score_range},
        {scan_with("--timeout", "-inf"), "--timeout", timeout_range},
        {scan_with("--timeout", "infinity"), "--timeout", timeout_range},
        {scan_with("--timeout", "0"), "--timeout", timeout_range},
        {scan_with("--timeout", "0x10"), "--timeout", timeout_range},
        {scan_with("--timeout", " 5"), "--timeout", timeout_range},
        {scan_with("--timeout", "601"), "--timeout", timeout_range},
        {scan_with("--timeout", "1e-320"), "--timeout", timeout_range},
        {scan_with("--concurrency", "0"), "--concurrency", "from 1 to 256"},
        {scan_with("--concurrency", "2.5"), "--concurrency", "from 1 to 256"},
        {scan_with("--concurrency", "1e3"), "--concurrency", "from 1 to 256"},
        {scan_with("--per-host", "0"), "--per-host", "from 1 to 64"},
        {scan_with("--per-host", "65"), "--per-host", "from 1 to 64"},
    };
    for (const auto& c : cases) {
        expect_refused(c);
    }
}

TEST(NumericOptionsTest, ProbeRefusesOutOfRangeTimeoutAndStaleDays) {
    TempDir dir;
    write_file(dir.file("doc.md"), "# Policy\n");
    const std::vector<Refusal> cases = {
        {{"probe", "document", dir.file("doc.md"), "--timeout", "1e-9"}, "--timeout", "from 0.1 to 600"},
        {{"probe", "document", dir.file("doc.md"), "--timeout", "nan"}, "--timeout", "from 0.1 to 600"},
        {{"probe", "ldap", "ldap://127.0.0.1:1", "--stale-days", "-1"}, "--stale-days", "from 1 to 3650"},
        {{"probe", "ldap", "ldap://127.0.0.1:1", "--stale-days", "99999999999"}, "--stale-days",
         "from 1 to 3650"},
    };
    for (const auto& c : cases) {
        expect_refused(c);
    }
}

TEST(NumericOptionsTest, RunIdsBeyondSixtyFourBitsAreRefusedNotAnInternalError) {
    TempDir dir;
    const std::string history = dir.file("history.db");
    const std::string huge = "1234567890123456789012345";  // the 25 digits
    const std::string just_over = "9223372036854775808";   // INT64_MAX + 1
    const std::vector<Refusal> cases = {
        {{"report", huge, "--history", history, "--format", "json"}, "run id", "from 1 to 9223372036854775807"},
        {{"report", just_over, "--history", history, "--format", "json"}, "run id", "from 1 to 9223372036854775807"},
        {{"report", "0", "--history", history, "--format", "json"}, "run id", "from 1 to 9223372036854775807"},
        {{"diff", "1", huge, "--history", history}, "run id", "from 1 to 9223372036854775807"},
        {{"diff", huge, "2", "--history", history}, "run id", "from 1 to 9223372036854775807"},
    };
    for (const auto& c : cases) {
        expect_refused(c);
    }
}

TEST(NumericOptionsTest, ValuesInsideTheRangeAreAccepted) {
    TempDir dir;
    write_file(dir.file("doc.md"), "# Policy\n\nBeslutad av kommunstyrelsen 2024-01-10.\n");
    // The range's ends are inside it.
    for (const char* timeout : {"0.1", "600", "5", "2.5", "1e1"}) {
        const CliRun r = lisa({"probe", "document", dir.file("doc.md"), "--timeout", timeout});
        EXPECT_EQ(r.status, 0) << timeout << "\n" << r.output;
    }
    const std::string history = dir.file("history.db");
    // A run id in range reaches the history, which says it has no such run (not a number error).
    const CliRun r = lisa({"report", "9223372036854775807", "--history", history, "--format", "json"});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, Not(HasSubstr("must be")));
}

// The parser itself, on the values of every kind above and their edges.
TEST(NumericOptionsTest, ParserAcceptsOnlyFiniteDecimalsInRange) {
    using lisa::cli::parse_integer;
    using lisa::cli::parse_number;
    std::string error;
    const lisa::cli::NumberRange percent{0, 100, "points"};
    EXPECT_EQ(parse_number("--x", "0", percent, error), 0.0);
    EXPECT_EQ(parse_number("--x", "100", percent, error), 100.0);
    EXPECT_EQ(parse_number("--x", "99.5", percent, error), 99.5);
    EXPECT_EQ(parse_number("--x", "-0", percent, error), 0.0);
    for (const char* bad : {"nan", "-nan", "inf", "-inf", "infinity", "1e999", "100.0001", "-1", "+5", " 1",
                            "1 ", "0x1p3", "1,5", "", "e", ".", "--1"}) {
        error.clear();
        EXPECT_FALSE(parse_number("--x", bad, percent, error)) << bad;
        EXPECT_EQ(error, "--x must be a number of points from 0 to 100, not '" + std::string(bad) + "'");
    }
    const lisa::cli::IntegerRange count{1, 256, ""};
    EXPECT_EQ(parse_integer("--n", "1", count, error), 1);
    EXPECT_EQ(parse_integer("--n", "256", count, error), 256);
    for (const char* bad : {"0", "257", "-1", "1.0", "1e2", "18446744073709551617", "+1", "", "0x10"}) {
        error.clear();
        EXPECT_FALSE(parse_integer("--n", bad, count, error)) << bad;
        EXPECT_EQ(error, "--n must be a whole number from 1 to 256, not '" + std::string(bad) + "'");
    }
    // Control characters of a hostile argument do not reach the terminal.
    EXPECT_FALSE(parse_integer("--n", "1\x1b[2J", count, error));
    EXPECT_EQ(error.find('\x1b'), std::string::npos);
}

}  // namespace
