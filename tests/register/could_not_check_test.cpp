// SPDX-License-Identifier: Apache-2.0
// A first run offline (issue 16 item 5): the text summary groups "could not check" by cause —
// "31 checks could not run", then one line per cause naming the names or addresses and what to
// do — instead of one line per rule and subject. A real scan of an inventory whose names do not
// resolve (RFC 6761 .invalid) and whose ports are closed; plus the cause of each probe message the
// probes write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/report/could_not_check.hpp"
#include "process.hpp"

using lisa::testing_support::free_port;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

namespace {

TEST(CouldNotCheckTest, ProbeMessagesAreSortedIntoCauses) {
    using lisa::Cause;
    EXPECT_EQ(lisa::cause_of("cannot resolve a.invalid: name or service not known"), Cause::Resolve);
    EXPECT_EQ(lisa::cause_of("cannot resolve a.invalid: temporary failure in name resolution"), Cause::Resolve);
    EXPECT_EQ(lisa::cause_of("connection refused"), Cause::Connect);
    EXPECT_EQ(lisa::cause_of("cannot connect to ldaps://127.0.0.1:1: Can't contact LDAP server"), Cause::Connect);
    EXPECT_EQ(lisa::cause_of("host unreachable"), Cause::Connect);
    EXPECT_EQ(lisa::cause_of("connect timeout"), Cause::Timeout);
    EXPECT_EQ(lisa::cause_of("cannot use ca_file: no certificate"), Cause::CaFile);
    EXPECT_EQ(lisa::cause_of("environment variable LDAP_PW is not set"), Cause::Secret);
    EXPECT_EQ(lisa::cause_of("password file (directory.password_file): no such file"), Cause::Secret);
    EXPECT_EQ(lisa::cause_of("bind failed: Invalid credentials (49)"), Cause::Bind);
    EXPECT_EQ(lisa::cause_of("evidence/policy.pdf: no such file"), Cause::File);
    EXPECT_EQ(lisa::cause_of("discovery document is not valid json"), Cause::Other);
    EXPECT_EQ(lisa::cause_text(Cause::Resolve, 3, "en"), "3 names do not resolve");
    EXPECT_EQ(lisa::cause_text(Cause::Resolve, 1, "en"), "1 name does not resolve");
    EXPECT_EQ(lisa::cause_text(Cause::Resolve, 3, "sv"), "3 namn går inte att slå upp");
}

TEST(CouldNotCheckTest, TheOfflineSummaryGroupsByCauseAndSaysWhatToDo) {
    TempDir dir;
    const int closed = free_port();
    write_file(dir.file("inventory.yaml"),
               "organization: { name: Exempelkommun, population: 12000 }\n"
               "directories:\n"
               "  - { id: katalog, url: \"ldap://127.0.0.1:" + std::to_string(closed) + "\", base_dn: \"dc=x\", "
               "bind_dn: \"cn=svc,dc=x\", password_env: LISA_TEST_UNSET_PASSWORD }\n"
               "systems:\n"
               "  - id: ifo\n    name: IFO\n    verksamhetsomraden: [\"Barn och unga\"]\n    roles: [utförare]\n"
               "    personal_data: true\n    sensitive_personal_data: true\n"
               "    endpoints:\n"
               "      - { id: a, url: \"https://a.lisa-test.invalid/\", exposure: external }\n"
               "      - { id: b, url: \"https://b.lisa-test.invalid/\", exposure: external }\n"
               "      - { id: c, url: \"https://127.0.0.1:" + std::to_string(closed) + "/\", exposure: internal }\n");
    std::string out;
    const int rc = run_command({"env", "-u", "LISA_TEST_UNSET_PASSWORD", "timeout", "-s", "KILL", "120", LISA_BINARY, "scan",
                                "--inventory", dir.file("inventory.yaml"), "--no-history", "--timeout", "3", "--lang", "en"},
                               &out);
    EXPECT_EQ(rc, 3) << out;
    EXPECT_THAT(out, MatchesRegex("(.|\n)*Could not check: [0-9]+ checks could not run\n(.|\n)*"));
    EXPECT_THAT(out, HasSubstr("    2 names do not resolve: a.lisa-test.invalid:443, b.lisa-test.invalid:443 ("));
    EXPECT_THAT(out, HasSubstr("– check the spelling in the inventory and that this machine reaches the municipality's DNS"));
    // The directory and the endpoint on the closed port: the ldap probe names its host, the tls
    // probe host and port.
    EXPECT_THAT(out, HasSubstr("    2 addresses do not answer: 127.0.0.1, 127.0.0.1:" + std::to_string(closed) + " ("));
    EXPECT_THAT(out, HasSubstr("– check the port and the firewall, or run lisa from a network that reaches the address"));
    // No more one line per rule and subject: no rule id is printed in that section.
    const auto section = out.substr(out.find("Could not check"));
    EXPECT_THAT(section.substr(0, section.find("\n\n")), Not(MatchesRegex("(.|\n)*[A-Z]+-[0-9]{3} (.|\n)*")));
}

}  // namespace
