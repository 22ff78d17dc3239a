// SPDX-License-Identifier: Apache-2.0
// Every read bounded (issue 11, kind D), end to end through the real binary:
// - a FIFO, socket or device named where lisa expects a file (inventory, rules, --sign key,
//   reports read back, signatures, evidence, password_file, ca_file) is refused with a clear
//   message at once, never waited on or read forever (a FIFO with no writer blocks a plain read);
// - inputs that fit under the size caps but would take unbounded memory (a YAML document with a
//   million keys, JSON nested a million deep) are refused with file:line:col and exit 2; the
//   child's peak RSS is printed for the record (not asserted as a time or size).
// Each run is wrapped in `timeout -s KILL`, so a regression fails (status 137) instead of hanging.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <string>
#include <vector>

#include "process.hpp"

using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

constexpr int kKillAfterSeconds = 20;

struct CliRun {
    int status = -1;
    std::string output;  // stdout and stderr together
    double seconds = 0;
};

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    args.insert(args.begin(), {"timeout", "-s", "KILL", std::to_string(kKillAfterSeconds)});
    CliRun r;
    const auto start = std::chrono::steady_clock::now();
    r.status = run_command(args, &r.output);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

std::string make_fifo(const TempDir& dir, const std::string& name) {
    const std::string path = dir.file(name);
    if (::mkfifo(path.c_str(), 0600) != 0) {
        throw std::runtime_error("mkfifo " + path);
    }
    return path;
}

/// A listening AF_UNIX socket at `path` (open() of it fails with ENXIO); closed with the object.
class UnixSocket {
public:
    explicit UnixSocket(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(fd_, 1) != 0) {
            throw std::runtime_error("cannot make a unix socket at " + path);
        }
    }
    ~UnixSocket() { ::close(fd_); }
    UnixSocket(const UnixSocket&) = delete;
    UnixSocket& operator=(const UnixSocket&) = delete;

private:
    int fd_;
};

const std::string kExample = std::string(LISA_SOURCE_DIR) + "/examples/exempelkommun/inventory.yaml";

void expect_refused_quickly(const CliRun& r, int status, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr("not a regular file")) << what;
    EXPECT_THAT(r.output, Not(HasSubstr("internal error"))) << what;
    EXPECT_LT(r.seconds, 10.0) << what;
}

TEST(BoundedInputsTest, FifoSocketOrDeviceAsALisaInputIsRefusedNotWaitedOn) {
    TempDir dir;
    const std::string fifo = make_fifo(dir, "pipe");
    const UnixSocket socket(dir.file("sock"));
    for (const std::string& special : {fifo, dir.file("sock"), std::string("/dev/zero"), std::string("/dev/null")}) {
        SCOPED_TRACE(special);
        expect_refused_quickly(lisa({"scan", "--inventory", special, "--no-history"}), 2, "--inventory");
        expect_refused_quickly(lisa({"validate", "--inventory", special}), 2, "validate --inventory");
        expect_refused_quickly(lisa({"validate", "--inventory", kExample, "--rules", special}), 2, "--rules");
        expect_refused_quickly(lisa({"report", special, "--format", "json"}), 2, "report FILE");
        expect_refused_quickly(lisa({"diff", special, special}), 2, "diff A B");
        expect_refused_quickly(lisa({"verify", special, "--public-key", kExample}), 2, "verify REPORT");
        write_file(dir.file("r.json"), "{}");
        expect_refused_quickly(lisa({"verify", dir.file("r.json"), "--signature", special, "--public-key", kExample}), 2,
                               "verify --signature");
        expect_refused_quickly(lisa({"verify", dir.file("r.json"), "--signature", dir.file("r.json"), "--public-key",
                                     special}),
                               2, "verify --public-key");
        expect_refused_quickly(lisa({"scan", "--inventory", kExample, "--no-history", "--format", "json", "--output",
                                     dir.file("out.json"), "--sign", special}),
                               2, "--sign");
    }
    // A FIFO among the rule pack's files is refused with its name, not skipped.
    std::filesystem::create_directories(dir.file("rules"));
    ASSERT_EQ(::mkfifo(dir.file("rules/extra.yaml").c_str(), 0600), 0);
    const CliRun pack = lisa({"validate", "--inventory", kExample, "--rules", dir.file("rules")});
    expect_refused_quickly(pack, 2, "FIFO in the rule pack");
    EXPECT_THAT(pack.output, HasSubstr("extra.yaml"));
    // The FIFO message says what it is.
    EXPECT_THAT(lisa({"scan", "--inventory", fifo}).output, HasSubstr("is not a regular file but a FIFO (named pipe)"));
}

TEST(BoundedInputsTest, FifoAsEvidencePasswordOrCaFileIsAnErrorFindingNotAHang) {
    TempDir dir;
    const std::string fifo = make_fifo(dir, "pipe");
    // Evidence document.
    CliRun r = lisa({"probe", "document", fifo});
    expect_refused_quickly(r, 3, "evidence");
    EXPECT_THAT(r.output, HasSubstr("FIFO"));
    // ca_file of each probe that verifies a peer (read before any connection is made).
    r = lisa({"probe", "http", "https://127.0.0.1:9/", "--ca-file", fifo, "--timeout", "1"});
    expect_refused_quickly(r, 3, "http ca_file");
    EXPECT_THAT(r.output, HasSubstr("ca_file"));
    r = lisa({"probe", "ldap", "ldaps://127.0.0.1:9", "--base", "dc=x", "--ca-file", fifo, "--timeout", "1"});
    expect_refused_quickly(r, 3, "ldap ca_file");
    EXPECT_THAT(r.output, HasSubstr("directory.ca_file"));
    // Not reported as unreachable: lisa did not look.
    EXPECT_THAT(r.output, Not(HasSubstr("ldap.reachable")));
    // A scan of an inventory whose evidence is a FIFO ends, with the error finding (exit 3).
    write_file(dir.file("inv.yaml"), "organization: { name: X, population: 5000 }\nisms:\n  documents:\n"
                                     "    - { id: policy, role: informationssakerhetspolicy, path: pipe }\n");
    // (In English: the "e.g." line quotes the probe's own words; the Swedish one says it in Swedish.)
    r = lisa({"scan", "--inventory", dir.file("inv.yaml"), "--no-history", "--lang", "en"});
    expect_refused_quickly(r, 3, "scan with FIFO evidence");
}

/// A run of lisa with the peak resident set size of the process tree (wait4's rusage).
struct MeasuredRun {
    int status = -1;
    std::string output;
    long max_rss_kb = 0;
    double seconds = 0;
};

MeasuredRun run_measured(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"timeout", "-s", "KILL", std::to_string(kKillAfterSeconds), LISA_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    int out[2];
    if (::pipe(out) != 0) {
        throw std::runtime_error("pipe");
    }
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> c;
        for (auto& a : argv) {
            c.push_back(a.data());
        }
        c.push_back(nullptr);
        ::execvp(c[0], c.data());
        ::_exit(127);
    }
    ::close(out[1]);
    MeasuredRun r;
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) {
        r.output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.max_rss_kb = usage.ru_maxrss;
    return r;
}

void report(const char* what, const MeasuredRun& r) {
    std::printf("[ measured ] %s: exit %d in %.2f s, peak RSS %ld KiB\n", what, r.status, r.seconds, r.max_rss_kb);
}

const char* const kOrganization = "organization: { name: X, population: 5000 }\n";

/// A flow map of `count` distinct keys with null values ("{a, b, ...}"): 5 bytes a key, so
/// 700,000 keys fit under the 4 MiB cap of every YAML input.
std::string flow_map_of_keys(int count) {
    static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out = "{";
    for (int i = 0; i < count; ++i) {
        std::string key;
        for (int v = i; ; v /= 36) {
            key.insert(key.begin(), kDigits[v % 36]);
            if (v < 36) {
                break;
            }
        }
        out += (i ? "," : "") + std::string("k") + key;
    }
    return out + "}";
}

TEST(BoundedInputsTest, YamlWithMoreNodesThanTheCapIsRefusedWithItsLocation) {
    TempDir dir;
    // 1.5 million list items in 3 MB: under the 4 MiB size cap, over the node cap.
    std::string huge_list = std::string(kOrganization) + "parameters:\n  x: [0";
    for (int i = 1; i < 1'500'000; ++i) {
        huge_list += ",0";
    }
    huge_list += "]\n";
    ASSERT_LT(huge_list.size(), 4U * 1024 * 1024);
    write_file(dir.file("list.yaml"), huge_list);
    // 700,000 distinct keys (the "million keys" kind) in under 4 MiB.
    const std::string many_keys = std::string(kOrganization) + "parameters: " + flow_map_of_keys(700'000) + "\n";
    ASSERT_LT(many_keys.size(), 4U * 1024 * 1024);
    write_file(dir.file("keys.yaml"), many_keys);
    for (const std::string name : {"list.yaml", "keys.yaml"}) {
        const MeasuredRun r = run_measured({"validate", "--inventory", dir.file(name)});
        report(("validate of " + name).c_str(), r);
        EXPECT_EQ(r.status, 2) << r.output;
        // file:line:col of the first node over the cap.
        EXPECT_THAT(r.output, ::testing::MatchesRegex(".*" + dir.file(name) +
                                                      ":[0-9]+:[0-9]+: YAML document holds more than 100000 "
                                                      "nodes.*"));
        EXPECT_THAT(r.output, Not(HasSubstr("internal error")));
    }
    // The same cap for a rule pack file.
    std::filesystem::create_directories(dir.file("rules"));
    write_file(dir.file("rules/big.yaml"), huge_list);
    const MeasuredRun rules = run_measured({"validate", "--inventory", dir.file("keys.yaml"), "--rules", dir.file("rules")});
    report("validate of a huge rule file", rules);
    EXPECT_EQ(rules.status, 2);
    EXPECT_THAT(rules.output, HasSubstr("big.yaml:3:"));
    EXPECT_THAT(rules.output, HasSubstr("more than 100000 nodes"));
    // Under the cap, the same shape is read as usual.
    std::string fine = std::string(kOrganization) + "parameters:\n  x: [0";
    for (int i = 1; i < 1000; ++i) {
        fine += ",0";
    }
    write_file(dir.file("fine.yaml"), fine + "]\n");
    EXPECT_THAT(run_measured({"validate", "--inventory", dir.file("fine.yaml")}).output, Not(HasSubstr("nodes")));
}

TEST(BoundedInputsTest, FrontMatterWithHundredsOfThousandsOfKeysIsAnErrorNotAGigabyte) {
    TempDir dir;
    const std::string doc = "---\nextra: " + flow_map_of_keys(700'000) + "\n---\n# Policy\n";
    ASSERT_LT(doc.size(), 4U * 1024 * 1024);
    write_file(dir.file("policy.md"), doc);
    const MeasuredRun r = run_measured({"probe", "document", dir.file("policy.md")});
    report("probe document with 700,000 front-matter keys", r);
    // The document probe's error (exit 3, could not check), located in the file.
    EXPECT_THAT(r.output, HasSubstr("\"error\": \"front matter: " + dir.file("policy.md") + ":2:"));
    EXPECT_THAT(r.output, HasSubstr("more than 100000 nodes"));
    EXPECT_EQ(r.status, 3) << "killed (137) means it did not end";
    // Far below the 1.2 GB the unbounded parse took: the tree is never built.
    EXPECT_LT(r.max_rss_kb, 512 * 1024);
}

TEST(BoundedInputsTest, JsonReadBackIsDepthAndSizeCapped) {
    TempDir dir;
    // A million '[' (1 MB): nested far deeper than any report.
    write_file(dir.file("deep.json"), std::string(1'000'000, '['));
    // An object opening a report, then nesting in a string-free way.
    std::string deep_object = "{\"schema_version\": 1, \"findings\": ";
    for (int i = 0; i < 100; ++i) {
        deep_object += "{\"a\":";
    }
    write_file(dir.file("deep-object.json"), deep_object);
    for (const std::string name : {"deep.json", "deep-object.json"}) {
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"report", dir.file(name), "--format", "json"},
              std::vector<std::string>{"diff", dir.file(name), dir.file(name)}}) {
            const MeasuredRun r = run_measured(args);
            report((args[0] + " of " + name).c_str(), r);
            EXPECT_EQ(r.status, 2) << r.output;
            EXPECT_THAT(r.output, HasSubstr("JSON nested deeper than 64 levels"));
            EXPECT_THAT(r.output, HasSubstr(dir.file(name) + ":1:"));
        }
    }
    // The level the message names: byte 65 of the '[' run opens level 65.
    EXPECT_THAT(run_measured({"report", dir.file("deep.json")}).output, HasSubstr("deep.json:1:65: JSON nested"));
    // Over the size cap: refused on fstat, before a byte is read (a sparse file of 65 MiB).
    write_file(dir.file("big.json"), "");
    ASSERT_EQ(::truncate(dir.file("big.json").c_str(), 65L * 1024 * 1024), 0);
    const MeasuredRun big = run_measured({"report", dir.file("big.json"), "--format", "json"});
    report("report of a 65 MiB file", big);
    EXPECT_EQ(big.status, 2);
    EXPECT_THAT(big.output, HasSubstr("over the limit of 67108864"));
    // Against the same binary doing nothing (a sanitizer build starts near 100 MiB): refusing the
    // file costs far less than reading it would.
    const MeasuredRun idle = run_measured({"--version"});
    EXPECT_LT(big.max_rss_kb - idle.max_rss_kb, 32 * 1024) << "idle peak RSS " << idle.max_rss_kb << " KiB";
}

}  // namespace
