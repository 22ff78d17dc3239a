// SPDX-License-Identifier: Apache-2.0
// Issue 16's acceptance (minus page one), scripted: from the municipality's register
// (tests/data/register/systemforteckning.xlsx, 40 systems) `lisa init` writes the starting
// inventory; `lisa validate` names each placeholder (exit 2); the answers a security officer
// fills in make it valid; the systems' addresses are pointed at servers on loopback (as a test
// network would) and the directory added; `lisa doctor` passes; the scan is complete (exit 0 or 1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

#include "process.hpp"
#include "slapd_fixture.hpp"

namespace lt = lisa::ldap_test;
using lisa::testing_support::ChildProcess;
using lisa::testing_support::free_port;
using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::wait_for_port;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;

namespace {

const std::string kHole = "\"<FYLL I>\"";

struct CliRun {
    int status = -1;
    std::string output;
};

CliRun lisa(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"env", std::string("ACCEPTANCE_LDAP_PW=") + lt::kServicePassword, "timeout", "-s",
                                     "KILL", "300", LISA_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    CliRun r;
    r.status = run_command(argv, &r.output);
    return r;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

TEST(AcceptanceTest, FromTheRegisterToACompleteScanWithOnlyWhatValidateAndDoctorSay) {
    signal(SIGPIPE, SIG_IGN);
    lt::Slapd slapd(lt::SlapdOptions{}, lt::generated_directory().ldif);
    const auto& certs = lt::certificates();
    const int port = free_port();
    ChildProcess s_server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                           certs.cert_file, "-key", certs.key_file, "-www", "-naccept", "100000"});
    ASSERT_TRUE(wait_for_port(port));

    TempDir dir;
    const std::string inv = dir.file("inventory.yaml");
    const CliRun init = lisa({"init", "--register", std::string(LISA_SOURCE_DIR) + "/tests/data/register/systemforteckning.xlsx",
                              "--output", inv});
    ASSERT_EQ(init.status, 0) << init.output;
    std::string text = read_file(inv);
    const std::size_t holes = count(text, kHole);

    const CliRun first = lisa({"validate", "--inventory", inv});
    EXPECT_EQ(first.status, 2);
    EXPECT_THAT(first.output, HasSubstr(std::to_string(holes) + " problems found"));
    EXPECT_EQ(count(first.output, "is still lisa init's placeholder"), holes);

    // The answers, as the validate output asks for them.
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"name: " + kHole, "name: \"Exempelkommun\""},
             {"municipality_code: " + kHole, "municipality_code: \"0999\""},
             {"population: " + kHole, "population: 31000"},
             {"verksamhetsomraden: [" + kHole + "]", "verksamhetsomraden: []"},
             {"roles: [" + kHole + "]", "roles: [utförare]"},
             {"owner: " + kHole, "owner: \"Kommunstyrelsen\""},
             {"personal_data: " + kHole, "personal_data: true"},
             {"date: " + kHole, "date: 2026-01-15"},
             {"exposure: " + kHole, "exposure: external"},
             {": " + kHole, ": 2"}}) {
        replace_all(text, from, to);
    }
    ASSERT_EQ(count(text, kHole), 0u);
    // The test network: every https address of the register is served on loopback, trusted
    // through the test CA; the directory is the slapd the test started.
    static const std::regex address(R"re(url: "https://([a-z0-9.-]+)/")re");
    text = std::regex_replace(text, address,
                              "url: \"https://127.0.0.1:" + std::to_string(port) + "/\", sni: \"$1\", ca_file: \"" +
                                  certs.ca_file + "\"");
    text += "directories:\n  - id: katalog\n    url: \"" + slapd.ldaps_url() + "\"\n    base_dn: \"" + lt::kBase +
            "\"\n    bind_dn: \"" + lt::kServiceDn + "\"\n    password_env: ACCEPTANCE_LDAP_PW\n    ca_file: \"" +
            certs.ca_file + "\"\n";
    write_file(inv, text);

    const CliRun valid = lisa({"validate", "--inventory", inv});
    ASSERT_EQ(valid.status, 0) << valid.output;
    const CliRun doctor = lisa({"doctor", "--inventory", inv, "--timeout", "5"});
    EXPECT_EQ(doctor.status, 0) << doctor.output;
    EXPECT_THAT(doctor.output, HasSubstr("bind to katalog: bind as"));
    const CliRun scan = lisa({"scan", "--inventory", inv, "--no-history", "--timeout", "10", "--format", "json",
                              "--output", dir.file("report.json")});
    EXPECT_TRUE(scan.status == 0 || scan.status == 1) << "exit " << scan.status << "\n" << scan.output;
}

}  // namespace
