// SPDX-License-Identifier: Apache-2.0
// Every byte lisa writes is where it says, complete, and no more readable than it should be
// (issue 11 E; exit codes of issue 10): real lisa processes writing into /dev/full, a FIFO with a
// reader, /dev/stdout, a closed pipe, under umask 027 and 077, over an existing 0640 file, killed
// with SIGKILL in the middle of a large report; --sign with a bad key; a history that cannot be
// stored. The example's servers are started by cli_test.cpp's environment (same binary).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "process.hpp"

namespace fs = std::filesystem;
using lisa::testing_support::ChildProcess;
using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kSource = LISA_SOURCE_DIR;
const std::string kExample = kSource + "/examples/exempelkommun/inventory.yaml";

struct LisaRun {
    int status = -1;
    std::string output;  // stdout and stderr together
};

// A scan of the example, dated today (no fixed date beside the servers' certificates); exit
// codes are the writing's, not the findings': --allow-incomplete, no gate.
std::vector<std::string> scan(std::vector<std::string> more) {
    std::vector<std::string> args = {LISA_BINARY, "scan", "--inventory", kExample, "--allow-incomplete"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

LisaRun run(const std::vector<std::string>& argv) {
    LisaRun r;
    r.status = run_command(argv, &r.output);
    return r;
}

// The same under a shell line: "$@" is the lisa command; `script` says what to do with it.
LisaRun shell(const std::string& script, const std::vector<std::string>& argv) {
    std::vector<std::string> full = {"/bin/bash", "-c", script, "lisa-test"};
    full.insert(full.end(), argv.begin(), argv.end());
    return run(full);
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

std::set<std::string> entries(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        names.insert(e.path().filename().string());
    }
    return names;
}

TEST(OutputTest, OutputToDevFullIsExitFiveAndTheDeviceIsNeverReplaced) {
    const LisaRun r = run(scan({"--no-history", "--format", "json", "--output", "/dev/full"}));
    EXPECT_EQ(r.status, 5) << r.output;
    EXPECT_THAT(r.output, HasSubstr("cannot write /dev/full: No space left on device"));
    struct stat st {};
    ASSERT_EQ(::stat("/dev/full", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full was replaced by a regular file";
    // The same device node made in a private directory: still a device afterwards, no file beside it.
    TempDir dir;
    const std::string node = dir.file("full");
    ASSERT_EQ(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 7)), 0) << "tests run as root";
    const LisaRun again = run(scan({"--no-history", "--format", "html", "--output", node}));
    EXPECT_EQ(again.status, 5) << again.output;
    ASSERT_EQ(::stat(node.c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_EQ(entries(dir.path()), std::set<std::string>{"full"});
    // --output-dir with a device where a report goes, and --output /dev/null (written, exit 0).
    EXPECT_EQ(run(scan({"--no-history", "--format", "json", "--output", "/dev/null"})).status, 0);
}

TEST(OutputTest, StandardOutputThatCannotBeWrittenIsExitFive) {
    // The JSON report and the text summary on a full device, and the report into a closed pipe.
    for (const std::string format : {"json", "text", "csv"}) {
        const LisaRun full = shell("\"$@\" > /dev/full", scan({"--no-history", "--format", format}));
        EXPECT_EQ(full.status, 5) << format << ": " << full.output;
        EXPECT_THAT(full.output, HasSubstr("cannot write to standard output")) << format;
    }
    const LisaRun pipe = shell("set -o pipefail; \"$@\" | true", scan({"--no-history", "--format", "json"}));
    EXPECT_EQ(pipe.status, 5) << pipe.output;
    // Commands other than scan too.
    EXPECT_EQ(shell("\"$@\" > /dev/full", {LISA_BINARY, "rules", "list"}).status, 5);
    // Written in full: exit 0.
    EXPECT_EQ(shell("\"$@\" > /dev/null", scan({"--no-history", "--format", "json"})).status, 0);
}

TEST(OutputTest, FifoWithAReaderGetsTheWholeReportAndStaysAFifo) {
    TempDir dir;
    const std::string fifo = dir.file("report.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    ChildProcess reader({"/bin/sh", "-c", "cat \"$0\" > \"$1\"", fifo, dir.file("received.json")});
    const LisaRun r = run(scan({"--no-history", "--format", "json", "--output", fifo}));
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(reader.wait(), 0);
    const std::string received = read_file(dir.file("received.json"));
    EXPECT_EQ(received.rfind("{\n  \"schema_version\": 1", 0), 0U) << received.substr(0, 200);
    EXPECT_EQ(received.substr(received.size() - 2), "}\n");
    EXPECT_GT(received.size(), 100000U);
    struct stat st {};
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(OutputTest, FifoWithoutAReaderIsExitFiveAfterABoundedWait) {
    // Nobody ever opens the FIFO for reading: lisa waits at most 30 s (kOutputStallSeconds),
    // then says so and exits 5 — it neither hangs nor replaces the FIFO with a file.
    TempDir dir;
    const std::string fifo = dir.file("nobody-reads.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto start = std::chrono::steady_clock::now();
    const LisaRun r = run(scan({"--no-history", "--format", "json", "--output", fifo}));
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.status, 5) << r.output;
    EXPECT_THAT(r.output, HasSubstr("no process reads this FIFO"));
    EXPECT_LT(seconds, 60.0);
    struct stat st {};
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(OutputTest, DevStdoutIsWrittenIntoBesideTheSummaryNeverReplaced) {
    TempDir dir;
    const std::string out = dir.file("out.txt");
    const LisaRun r2 = shell("\"$@\" > " + out, scan({"--no-history", "--format", "text", "--format", "json",
                                                   "--output", "/dev/stdout", "--lang", "en"}));
    EXPECT_EQ(r2.status, 0) << r2.output;
    const std::string text = read_file(out);
    const auto summary = text.find("Score ");
    const auto json = text.find("\"schema_version\": 1");
    ASSERT_NE(summary, std::string::npos);
    ASSERT_NE(json, std::string::npos);
    // Both whole, one after the other (formats in name order: json, then text): neither wrote
    // over the other.
    EXPECT_EQ(json, 4U);
    EXPECT_NE(text.find("\n}\nlisa "), std::string::npos) << "the summary was written over the report";
    struct stat st {};
    ASSERT_EQ(::lstat("/dev/stdout", &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << "/dev/stdout was replaced";
    // No file is ever created under /dev.
    const LisaRun none = run(scan({"--no-history", "--format", "json", "--output", "/dev/lisa-no-such-node"}));
    EXPECT_EQ(none.status, 5) << none.output;
    EXPECT_FALSE(fs::exists("/dev/lisa-no-such-node"));
}

TEST(OutputTest, NewReportsHonourTheUmaskAndExistingFilesKeepTheirMode) {
    TempDir dir;
    for (const auto& [mask, want] : std::vector<std::pair<std::string, mode_t>>{{"027", 0640}, {"077", 0600}, {"022", 0644}}) {
        const std::string out_dir = dir.file("u" + mask);
        const LisaRun r = shell("umask " + mask + " && exec \"$@\"",
                            scan({"--no-history", "--format", "json", "--format", "html", "--format", "csv",
                                  "--output-dir", out_dir}));
        ASSERT_EQ(r.status, 0) << r.output;
        for (const std::string name : {"report.json", "report.html", "findings.csv"}) {
            EXPECT_EQ(mode_of(out_dir + "/" + name), want) << "umask " << mask << " " << name;
        }
    }
    // An existing 0640 report (and a 0604 one) keeps its mode under a permissive umask.
    for (const mode_t existing : {mode_t{0640}, mode_t{0604}}) {
        const std::string path = dir.file("existing.json");
        write_file(path, "old");
        ASSERT_EQ(::chmod(path.c_str(), existing), 0);
        const LisaRun r = shell("umask 000 && exec \"$@\"", scan({"--no-history", "--format", "json", "--output", path}));
        ASSERT_EQ(r.status, 0) << r.output;
        EXPECT_EQ(mode_of(path), existing);
        EXPECT_NE(read_file(path), "old");
    }
    // The history database is created 0600 whatever the umask (in a directory that exists: lisa
    // creates the directories of the default location only).
    fs::create_directory(dir.file("hist"));
    const std::string db = dir.file("hist/history.db");
    ASSERT_EQ(shell("umask 000 && exec \"$@\"", scan({"--history", db, "--format", "json", "--output", dir.file("h.json")})).status, 0);
    EXPECT_EQ(mode_of(db), 0600);
}

TEST(OutputTest, ASymlinkedReportReplacesTheFileItPointsToNotTheLink) {
    TempDir dir;
    write_file(dir.file("real.json"), "old");
    fs::create_symlink(dir.file("real.json"), dir.file("link.json"));
    ASSERT_EQ(run(scan({"--no-history", "--format", "json", "--output", dir.file("link.json")})).status, 0);
    EXPECT_TRUE(fs::is_symlink(dir.file("link.json")));
    EXPECT_THAT(read_file(dir.file("real.json")), HasSubstr("\"schema_version\""));
    // A directory is refused with exit 5, and left alone.
    fs::create_directory(dir.file("adir"));
    const LisaRun d = run(scan({"--no-history", "--format", "json", "--output", dir.file("adir")}));
    EXPECT_EQ(d.status, 5) << d.output;
    EXPECT_THAT(d.output, HasSubstr("it is a directory"));
}

// A large inventory: many systems, each judged by many rules, so the report takes a while to write.
std::string large_inventory(std::size_t systems) {
    std::string yaml = "schema_version: 1\norganization: { name: Storkommun, municipality_code: \"9997\", population: 90000 }\nsystems:\n";
    for (std::size_t i = 0; i < systems; ++i) {
        yaml += "  - id: system-" + std::to_string(i) + "\n    name: \"System " + std::to_string(i) +
                " med ett långt namn för att rapporten ska bli stor\"\n    owner: \"Nämnd " +
                std::to_string(i % 7) + "\"\n    verksamhetsomraden: [\"Barn och unga\"]\n"
                "    roles: [myndighetsutövning]\n    personal_data: true\n    sensitive_personal_data: true\n"
                "    authentication: { external: password, internal: password }\n";
    }
    return yaml;
}

TEST(OutputTest, SigkillWhileALargeReportIsWrittenLeavesNoTemporaryFile) {
    TempDir dir;
    const std::string inventory = dir.file("inventory.yaml");
    write_file(inventory, large_inventory(3000));
    const std::string out_dir = dir.file("out");
    fs::create_directory(out_dir);
    const std::set<std::string> finished = {"report.json", "report.html", "report.junit.xml", "report.sarif",
                                            "findings.csv", "actionplan.csv"};
    int caught = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        ChildProcess lisa({LISA_BINARY, "scan", "--inventory", inventory, "--no-history", "--allow-incomplete",
                           "--format", "json", "--format", "html", "--format", "junit", "--format", "sarif",
                           "--format", "csv", "--format", "actionplan-csv", "--output-dir", out_dir});
        // Watch the process's open files; the moment one is in the output directory, it is a
        // report being written: SIGKILL then.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        bool killed = false;
        while (!killed && lisa.running() && std::chrono::steady_clock::now() < deadline) {
            std::error_code ec;
            for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(lisa.pid()) + "/fd", ec)) {
                std::error_code link_ec;
                const std::string target = fs::read_symlink(fd.path(), link_ec).string();
                if (!link_ec && target.rfind(out_dir + "/", 0) == 0) {
                    ::kill(lisa.pid(), SIGKILL);
                    killed = true;
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));  // leave lisa the CPU
        }
        EXPECT_EQ(lisa.wait(), killed ? 128 + SIGKILL : 0);
        caught += killed ? 1 : 0;
        for (const auto& name : entries(out_dir)) {
            EXPECT_TRUE(finished.count(name) == 1) << "stray file after SIGKILL: " << name;
        }
    }
    EXPECT_GT(caught, 0) << "never caught lisa while it was writing a report";
}

TEST(OutputTest, BadSigningKeyExitsTwoBeforeScanningAndKeepsThePreviousSignedReport) {
    TempDir dir;
    const std::string key = dir.file("key.pem");
    const std::string pub = dir.file("pub.pem");
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "ED25519", "-out", key}), 0);
    ASSERT_EQ(run_command({"openssl", "pkey", "-in", key, "-pubout", "-out", pub}), 0);
    const std::string json = dir.file("signed.json");
    ASSERT_EQ(run(scan({"--no-history", "--format", "json", "--output", json, "--sign", key})).status, 0);
    const std::string report = read_file(json);
    const std::string signature = read_file(json + ".sig");
    EXPECT_EQ(run({LISA_BINARY, "verify", json, "--public-key", pub}).status, 0);
    // Not a key, a public key, an unsupported key type, and an empty file: each exit 2.
    write_file(dir.file("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    write_file(dir.file("empty.pem"), "");
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "X25519", "-out", dir.file("x25519.pem")}), 0);
    for (const std::string& bad : {dir.file("garbage.pem"), pub, dir.file("x25519.pem"), dir.file("empty.pem")}) {
        const std::string db = dir.file("never.db");
        const LisaRun r = run(scan({"--history", db, "--format", "json", "--output", json, "--sign", bad}));
        EXPECT_EQ(r.status, 2) << bad << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("signing key")) << bad;
        EXPECT_FALSE(fs::exists(db)) << "a scan ran before the key was checked: " << bad;
        EXPECT_EQ(read_file(json), report) << bad;
        EXPECT_EQ(read_file(json + ".sig"), signature) << bad;
    }
    EXPECT_EQ(run({LISA_BINARY, "verify", json, "--public-key", pub}).status, 0);
    // A signed report cannot go to a device (its .sig would go under /dev).
    EXPECT_EQ(run(scan({"--no-history", "--format", "json", "--output", "/dev/stdout", "--sign", key})).status, 2);
}

// fix11 item 7: a file-size limit is a write error (exit 5 naming the path), not SIGXFSZ (153).
TEST(OutputTest, FileSizeLimitIsExitFiveNamingThePathNotASignal) {
    TempDir dir;
    const std::string json = dir.file("big.json");
    const LisaRun r = shell("ulimit -f 1; exec \"$@\"",
                            scan({"--no-history", "--format", "json", "--output", json}));
    EXPECT_EQ(r.status, 5) << r.output;
    EXPECT_THAT(r.output, HasSubstr(json));
}

// fix11 items 3 and 4: an encrypted key never prompts (not even on a terminal: run under
// `script`, a pty) and is exit 2 at once; only Ed25519 and ECDSA P-256 keys sign.
TEST(OutputTest, EncryptedOrUndocumentedSigningKeysExitTwoWithoutPrompting) {
    TempDir dir;
    const std::string json = dir.file("r.json");
    const std::string pkcs8 = dir.file("encrypted-pkcs8.pem");
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-aes256", "-pass", "pass:hemligt", "-out", pkcs8}), 0);
    const std::string legacy = dir.file("encrypted-legacy.pem");
    ASSERT_EQ(run_command({"openssl", "pkey", "-in", pkcs8, "-passin", "pass:hemligt", "-aes256", "-passout",
                           "pass:hemligt", "-traditional", "-out", legacy}), 0);
    for (const std::string& key : {pkcs8, legacy}) {
        const auto started = std::chrono::steady_clock::now();
        const LisaRun r = run(scan({"--no-history", "--format", "json", "--output", json, "--sign", key}));
        EXPECT_EQ(r.status, 2) << key << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("encrypted keys are not supported")) << key;
        EXPECT_THAT(r.output, Not(HasSubstr("pass phrase"))) << key;
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20)) << key;
        // On a terminal too: OpenSSL's default callback would prompt there and wait forever.
        std::vector<std::string> argv = scan({"--no-history", "--format", "json", "--output", json, "--sign", key});
        const LisaRun tty = shell(R"sh(timeout 30 script -qec "$(printf '%q ' "$@")" /dev/null </dev/null)sh", argv);
        EXPECT_EQ(tty.status, 2) << key << ": " << tty.output;
        EXPECT_THAT(tty.output, Not(HasSubstr("pass phrase"))) << key;
    }
    const std::vector<std::vector<std::string>> undocumented = {
        {"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512"},
        {"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"},
        {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"},
        {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"},
        {"-algorithm", "ED448"}};
    int n = 0;
    for (const auto& options : undocumented) {
        const std::string key = dir.file("undocumented" + std::to_string(n++) + ".pem");
        std::vector<std::string> gen = {"openssl", "genpkey"};
        gen.insert(gen.end(), options.begin(), options.end());
        gen.insert(gen.end(), {"-out", key});
        ASSERT_EQ(run_command(gen), 0) << options[1];
        const LisaRun r = run(scan({"--no-history", "--format", "json", "--output", json, "--sign", key}));
        EXPECT_EQ(r.status, 2) << options.back() << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("only Ed25519 or ECDSA P-256")) << options.back();
    }
    EXPECT_FALSE(fs::exists(json));
}

TEST(OutputTest, SignatureCoversExactlyTheBytesLinkedIntoPlace) {
    TempDir dir;
    const std::string key = dir.file("key.pem");
    const std::string pub = dir.file("pub.pem");
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key}), 0);
    ASSERT_EQ(run_command({"openssl", "pkey", "-in", key, "-pubout", "-out", pub}), 0);
    const std::string out_dir = dir.file("out");
    ASSERT_EQ(run(scan({"--no-history", "--format", "json", "--format", "html", "--output-dir", out_dir, "--sign", key})).status, 0);
    EXPECT_EQ(run({LISA_BINARY, "verify", out_dir + "/report.json", "--public-key", pub}).status, 0);
    EXPECT_EQ(entries(out_dir), (std::set<std::string>{"report.html", "report.json", "report.json.sig"}));
}

TEST(OutputTest, HistoryThatCannotBeStoredIsExitFiveUnlessOptional) {
    TempDir dir;
    write_file(dir.file("not-a-dir"), "x");
    const std::string db = dir.file("not-a-dir/history.db");  // its parent is a file
    const LisaRun r = run(scan({"--history", db, "--format", "json", "--output", dir.file("r.json")}));
    EXPECT_EQ(r.status, 5) << r.output;
    EXPECT_THAT(r.output, HasSubstr("scan not stored in the history"));
    EXPECT_TRUE(fs::exists(dir.file("r.json"))) << "the report is still written";
    const LisaRun optional = run(scan({"--history", db, "--history-optional", "--format", "json", "--output", dir.file("r2.json")}));
    EXPECT_EQ(optional.status, 0) << optional.output;
    EXPECT_THAT(optional.output, HasSubstr("warning: scan not stored in the history"));
    // A history that is not a database.
    write_file(dir.file("garbage.db"), std::string(4096, 'x'));
    EXPECT_EQ(run(scan({"--history", dir.file("garbage.db"), "--format", "json", "--output", dir.file("r3.json")})).status, 5);
}

TEST(OutputTest, UsageErrorsStayTwo) {
    EXPECT_EQ(run({LISA_BINARY, "scan", "--inventory", kExample, "--format", "nope"}).status, 2);
    EXPECT_EQ(run({LISA_BINARY, "frobnicate"}).status, 2);
}

}  // namespace
