// SPDX-License-Identifier: Apache-2.0
// Where `lisa init`, `lisa discover` and the report commands write (tester report 16 items 3 and
// 13): one rule (output_refusal) — never the file a command reads, even with --force; an existing
// draft only with --force; `-` is standard output; the success line only after the write
// succeeded; secrets in a register's URLs (user:pw@, ?access_token=…) never reach the inventory.
// The real binary; no servers (the refusals come before any directory is asked).
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process.hpp"

using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kDir = std::string(LISA_SOURCE_DIR) + "/tests/data/register/";

struct CliRun {
    int status = -1;
    std::string output;
};

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    args.insert(args.begin(), {"timeout", "-s", "KILL", "60"});
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

// Through a shell, for redirections (> /dev/full).
CliRun shell(const std::string& command) {
    CliRun r;
    r.status = run_command({"timeout", "-s", "KILL", "60", "sh", "-c", command}, &r.output);
    return r;
}

TEST(InitOutputTest, DashIsStandardOutputAndNoFileNamedDash) {
    TempDir dir;
    const CliRun r = shell("cd " + dir.path() + " && " + LISA_BINARY + " init --register " + kDir +
                           "systemforteckning.csv --output -");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("schema_version: 1"));
    EXPECT_THAT(r.output, HasSubstr("lisa init: 40 systems"));
    EXPECT_NE(::access(dir.file("-").c_str(), F_OK), 0) << "a file named '-' was written";
}

TEST(InitOutputTest, TheRegisterItselfIsNeverReplacedEvenWithForce) {
    TempDir dir;
    const std::string reg = dir.file("edge2.csv");
    const std::string original = read_file(kDir + "systemforteckning.csv");
    write_file(reg, original);
    ASSERT_EQ(::symlink(reg.c_str(), dir.file("link.yaml").c_str()), 0);
    ASSERT_EQ(::link(reg.c_str(), dir.file("hard.yaml").c_str()), 0);
    // The same path, a relative spelling, a symlink and a hard link to the register.
    for (const std::string& out : std::vector<std::string>{reg, dir.path() + "/./edge2.csv", dir.file("link.yaml"), dir.file("hard.yaml")}) {
        const CliRun r = lisa({"init", "--register", reg, "--output", out, "--force"});
        EXPECT_EQ(r.status, 2) << out << "\n" << r.output;
        EXPECT_THAT(r.output, HasSubstr("is the input '" + reg + "'")) << out;
        EXPECT_THAT(r.output, HasSubstr("--force does not change this"));
        EXPECT_THAT(r.output, Not(HasSubstr("lisa init: 40 systems")));
    }
    // The mapping file is an input too.
    write_file(dir.file("map.yaml"), "columns:\n  \"Systemnamn\": System\n");
    EXPECT_EQ(lisa({"init", "--register", reg, "--mapping", dir.file("map.yaml"), "--output", dir.file("map.yaml"),
                    "--force"}).status, 2);
    EXPECT_EQ(read_file(reg), original);
    EXPECT_EQ(read_file(dir.file("map.yaml")), "columns:\n  \"Systemnamn\": System\n");
}

TEST(InitOutputTest, SuccessLineOnlyAfterTheWriteSucceeded) {
    // Standard output on a full device: exit 5, the reason, and no success line.
    const CliRun full = shell(std::string(LISA_BINARY) + " init --register " + kDir + "systemforteckning.csv > /dev/full");
    EXPECT_EQ(full.status, 5) << full.output;
    EXPECT_THAT(full.output, HasSubstr("cannot write to standard output"));
    EXPECT_THAT(full.output, Not(HasSubstr("40 systems")));
    const CliRun dash = shell(std::string(LISA_BINARY) + " init --register " + kDir +
                              "systemforteckning.csv --output - > /dev/full");
    EXPECT_EQ(dash.status, 5) << dash.output;
    EXPECT_THAT(dash.output, Not(HasSubstr("40 systems")));
    // --output on the full device itself (written in place, never replaced).
    const CliRun device = lisa({"init", "--register", kDir + "systemforteckning.csv", "--output", "/dev/full"});
    EXPECT_EQ(device.status, 5) << device.output;
    EXPECT_THAT(device.output, HasSubstr("/dev/full"));
    EXPECT_THAT(device.output, Not(HasSubstr("40 systems")));
    // A directory that cannot be written (root ignores modes: a file where the directory should be).
    TempDir dir;
    write_file(dir.file("notadir"), "");
    const CliRun nodir = lisa({"init", "--register", kDir + "systemforteckning.csv", "--output", dir.file("notadir/inv.yaml")});
    EXPECT_EQ(nodir.status, 5) << nodir.output;
    EXPECT_THAT(nodir.output, Not(HasSubstr("40 systems")));
}

TEST(InitOutputTest, SecretsInTheRegistersUrlsNeverReachTheInventory) {
    TempDir dir;
    write_file(dir.file("tok.csv"),
               "System;Systemägare;URL\n"
               "Portal;KS;https://portal.exempelkommun.se/login?access_token=HEMLIG1&lang=sv\n"
               "Karta;KS;https://karta.exempelkommun.se/wms?service=WMS&api_key=HEMLIG2&X-Amz-Signature=HEMLIG3\n"
               "Lagring;KS;https://lagring.exempelkommun.se/blob/fil.pdf?sv=2022-11-02&sig=HEMLIG4&se=2030-01-01\n"
               "Inloggning;KS;https://sso.exempelkommun.se/cb#access_token=HEMLIG5&token_type=bearer\n"
               "Gammal;KS;https://anvandare:HEMLIG6@gammal.exempelkommun.se/\n"
               "Ftp;KS;ftp://ftp.exempelkommun.se/?password=HEMLIG7\n"
               "Katalog;KS;ldap://dc.exempelkommun.se/??bindname=cn=x,X-BINDPW=HEMLIG8\n"
               "Katalog2;KS;ldaps://dc.exempelkommun.se/?x-bindpw=HEMLIG9\n"
               "Sok;KS;https://sok.exempelkommun.se/?q=key&monkey=1&page=2\n");
    const CliRun r = lisa({"init", "--register", dir.file("tok.csv"), "--output", dir.file("inv.yaml")});
    ASSERT_EQ(r.status, 0) << r.output;
    const std::string inv = read_file(dir.file("inv.yaml"));
    for (const char* secret : {"HEMLIG1", "HEMLIG2", "HEMLIG3", "HEMLIG4", "HEMLIG5", "HEMLIG6", "HEMLIG7",
                               "HEMLIG8", "HEMLIG9"}) {
        EXPECT_THAT(inv, Not(HasSubstr(secret))) << inv;
        EXPECT_THAT(r.output, Not(HasSubstr(secret))) << r.output;
    }
    // The rest of each URL is kept, the parameters named (never their values), and a warning at row:column.
    EXPECT_THAT(inv, HasSubstr("url: \"https://portal.exempelkommun.se/login?lang=sv\""));
    EXPECT_THAT(inv, HasSubstr("url: \"https://karta.exempelkommun.se/wms?service=WMS\""));
    EXPECT_THAT(inv, HasSubstr("url: \"https://lagring.exempelkommun.se/blob/fil.pdf?sv=2022-11-02&se=2030-01-01\""));
    EXPECT_THAT(inv, HasSubstr("url: \"https://sso.exempelkommun.se/cb\""));
    EXPECT_THAT(inv, HasSubstr("secret parameters, left out: api_key, X-Amz-Signature"));
    EXPECT_THAT(r.output, HasSubstr("tok.csv:2:3: warning: the URL of 'Portal' carries access_token"));
    EXPECT_THAT(r.output, HasSubstr("tok.csv:6:3: warning: the URL of 'Gammal' holds a user name or password"));
    // Names that only look alike are not secrets: the URL is unchanged.
    EXPECT_THAT(inv, HasSubstr("url: \"https://sok.exempelkommun.se/?q=key&monkey=1&page=2\""));
    EXPECT_THAT(r.output, Not(HasSubstr("'Sok' carries")));
}

// Personuppgifter as registers write them: ja, nej and "delvis" are answers; "kanske", "vet ej" and
// a "nej" beside känsliga "ja" are for a person to decide — the placeholder, the register's word
// beside it, and a warning at the cell.
TEST(InitOutputTest, PersonalDataLisaCannotDecideIsLeftToAPersonWithTheRegistersWord) {
    TempDir dir;
    write_file(dir.file("pu.csv"),
               "System;Systemägare;Personuppgifter;Känsliga personuppgifter\n"
               "Procapita;Socialchef;kanske;\n"
               "Lifecare;Vårdchef;nej;ja\n"
               "Webb;IT-chef;delvis;nej\n"
               "Ekonomi;Ekonomichef;Nej;vet ej\n");
    const CliRun r = lisa({"init", "--register", dir.file("pu.csv"), "--output", dir.file("inv.yaml")});
    ASSERT_EQ(r.status, 0) << r.output;
    const std::string inv = read_file(dir.file("inv.yaml"));
    EXPECT_THAT(inv, HasSubstr("personal_data: \"<FYLL I>\"  # register: 'kanske'"));
    EXPECT_THAT(inv, HasSubstr("personal_data: \"<FYLL I>\"  # register: 'nej'\n    sensitive_personal_data: true"));
    EXPECT_THAT(inv, HasSubstr("personal_data: true\n    sensitive_personal_data: false"));
    EXPECT_THAT(inv, HasSubstr("personal_data: false\n    sensitive_personal_data: \"<FYLL I>\"  # register: 'vet ej'"));
    EXPECT_THAT(r.output, HasSubstr("pu.csv:2:3: warning: system 'Procapita': Personuppgifter 'kanske' is neither ja nor nej"));
    EXPECT_THAT(r.output, HasSubstr("pu.csv:3:3: warning: system 'Lifecare': Personuppgifter says 'nej' but Känsliga "
                                    "personuppgifter 'ja' (sensitive data are personal data)"));
    EXPECT_THAT(r.output, HasSubstr("pu.csv:5:4: warning: system 'Ekonomi': Känsliga personuppgifter 'vet ej'"));
    // The draft is still an inventory: validate lists each placeholder with its line (exit 2).
    const CliRun v = lisa({"validate", "--inventory", dir.file("inv.yaml")});
    EXPECT_EQ(v.status, 2) << v.output;
    EXPECT_THAT(v.output, HasSubstr("personal_data"));
}

TEST(DiscoverOutputTest, NeverReplacesItsInventoryNorAnExistingFileWithoutForce) {
    TempDir dir;
    // 470 lines in the trial; the content does not matter: the refusal comes before it is read.
    const std::string inventory = dir.file("inv-ad.yaml");
    std::string text = "schema_version: 1\n";
    for (int i = 0; i < 470; ++i) text += "# rad " + std::to_string(i) + "\n";
    write_file(inventory, text);
    for (const std::vector<std::string>& extra : {std::vector<std::string>{}, std::vector<std::string>{"--force"}}) {
        std::vector<std::string> args = {"discover", "ad", "--inventory", inventory, "--directory", "ad-ok", "--output", inventory};
        args.insert(args.end(), extra.begin(), extra.end());
        const CliRun r = lisa(args);
        EXPECT_EQ(r.status, 2) << r.output;
        EXPECT_THAT(r.output, HasSubstr("is the input"));
    }
    write_file(dir.file("draft.yaml"), "mitt utkast\n");
    const CliRun exists = lisa({"discover", "ad", "--inventory", inventory, "--output", dir.file("draft.yaml")});
    EXPECT_EQ(exists.status, 2) << exists.output;
    EXPECT_THAT(exists.output, HasSubstr("give --force to replace it"));
    EXPECT_EQ(read_file(inventory), text);
    EXPECT_EQ(read_file(dir.file("draft.yaml")), "mitt utkast\n");
}

// Issue 14: `discover ad --output F --force` with F the directory's password file, CA file or
// keytab wrote its draft over the service account's files (exit 0). Every file the inventory
// names is an input: refused, even with --force, before the directory is asked.
TEST(DiscoverOutputTest, NeverReplacesAFileTheInventoryNamesEvenWithForce) {
    TempDir dir;
    write_file(dir.file("lisa.pw"), "Kommun#Treserva1\n");
    write_file(dir.file("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n");
    write_file(dir.file("lisa.keytab"), std::string("\x05\x02\0\0keytab bytes", 16));
    write_file(dir.file("password.yaml"), R"(organization: { name: X, population: 5000 }
directories:
  - id: ad
    url: ldaps://127.0.0.1:1
    base_dn: "DC=kommun,DC=test"
    bind_dn: "CN=svc-lisa,DC=kommun,DC=test"
    password_file: lisa.pw
    ca_file: ca.pem
)");
    write_file(dir.file("kerberos.yaml"), R"(organization: { name: X, population: 5000 }
directories:
  - id: ad
    url: ldaps://127.0.0.1:1
    base_dn: "DC=kommun,DC=test"
    ca_file: ca.pem
    kerberos: { keytab: lisa.keytab, principal: lisa@KOMMUN.TEST }
)");
    const struct {
        const char* inventory;
        const char* file;
    } cases[] = {{"password.yaml", "lisa.pw"}, {"password.yaml", "ca.pem"}, {"kerberos.yaml", "lisa.keytab"}};
    for (const auto& c : cases) {
        const std::string before = read_file(dir.file(c.file));
        const CliRun r = lisa({"discover", "ad", "--inventory", dir.file(c.inventory), "--output", dir.file(c.file),
                               "--force", "--timeout", "1"});
        EXPECT_EQ(r.status, 2) << c.file << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("is the input")) << c.file;
        EXPECT_THAT(r.output, HasSubstr("--force does not change this")) << c.file;
        EXPECT_THAT(r.output, Not(HasSubstr("could not be read"))) << c.file;  // refused before asking
        EXPECT_EQ(read_file(dir.file(c.file)), before) << c.file;
    }
}

// Issue 14: the scan's and the report's other inputs — the rule pack's files, --labels,
// --action-plan, a file in a document's discover folder — are refused as outputs too.
TEST(ReportOutputTest, AReportNeverReplacesTheRulesLabelsActionPlanOrADiscoveredDocument) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("pack/labels"));
    std::filesystem::create_directories(dir.file("pack/frameworks"));
    std::filesystem::create_directories(dir.file("styrdokument"));
    write_file(dir.file("pack/rules.yaml"), "rules: []\n");
    write_file(dir.file("pack/labels/labels.yaml"), "sv: {}\n");
    write_file(dir.file("pack/frameworks/nis2.yaml"), "framework: nis2\n");
    write_file(dir.file("labels.yaml"), "sv: {}\n");
    write_file(dir.file("plan.xlsx"), "the municipality's filled-in plan");
    write_file(dir.file("styrdokument/policy.md"), "---\nbeslutad: 2026-01-01\n---\nPolicy\n");
    write_file(dir.file("r.json"), "{}");
    const std::string inventory = dir.file("inv.yaml");
    write_file(inventory, R"(organization: { name: X, population: 5000 }
isms:
  documents:
    - { id: funna, discover: styrdokument, require_roles: [policy] }
)");
    const struct {
        std::vector<std::string> args;
        std::string file;
    } cases[] = {
        {{"scan", "--inventory", inventory, "--no-history", "--rules", dir.file("pack"), "--format", "json", "--output",
          dir.file("pack/rules.yaml")}, "pack/rules.yaml"},
        {{"scan", "--inventory", inventory, "--no-history", "--rules", dir.file("pack"), "--format", "csv", "--output",
          dir.file("pack/labels/labels.yaml")}, "pack/labels/labels.yaml"},
        {{"scan", "--inventory", inventory, "--no-history", "--rules", dir.file("pack"), "--format", "json", "--output",
          dir.file("pack/frameworks/nis2.yaml")}, "pack/frameworks/nis2.yaml"},
        {{"scan", "--inventory", inventory, "--no-history", "--labels", dir.file("labels.yaml"), "--format", "json",
          "--output", dir.file("labels.yaml")}, "labels.yaml"},
        {{"scan", "--inventory", inventory, "--no-history", "--action-plan", dir.file("plan.xlsx"), "--format",
          "actionplan-xlsx", "--output", dir.file("plan.xlsx")}, "plan.xlsx"},
        {{"survey", "--inventory", inventory, "--labels", dir.file("labels.yaml"), "--format", "csv", "--output",
          dir.file("labels.yaml")}, "labels.yaml"},
        {{"scan", "--inventory", inventory, "--no-history", "--as-of", "2026-11-22", "--format", "json", "--output",
          dir.file("styrdokument/policy.md")}, "styrdokument/policy.md"},
        {{"report", dir.file("r.json"), "--labels", dir.file("labels.yaml"), "--format", "json", "--output",
          dir.file("labels.yaml")}, "labels.yaml"},
        {{"report", dir.file("r.json"), "--action-plan", dir.file("plan.xlsx"), "--format", "actionplan-xlsx",
          "--output", dir.file("plan.xlsx")}, "plan.xlsx"},
        {{"report", dir.file("r.json"), "--rules", dir.file("pack"), "--format", "json", "--output",
          dir.file("pack/labels/labels.yaml")}, "pack/labels/labels.yaml"},
    };
    for (const auto& c : cases) {
        const std::string before = read_file(dir.file(c.file));
        const CliRun r = lisa(c.args);
        EXPECT_EQ(r.status, 2) << c.args[0] << " " << c.file << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("is the input")) << c.args[0] << " " << c.file;
        EXPECT_EQ(read_file(dir.file(c.file)), before) << c.args[0] << " " << c.file;
    }
}

TEST(ReportOutputTest, AReportNeverReplacesTheFilesTheScanReads) {
    TempDir dir;
    const std::string inventory = dir.file("inv.yaml");
    const std::string original = "schema_version: 1\n# the inventory a scan reads\n";
    write_file(inventory, original);
    const CliRun scan = lisa({"scan", "--inventory", inventory, "--no-history", "--format", "json", "--output", inventory});
    EXPECT_EQ(scan.status, 2) << scan.output;
    EXPECT_THAT(scan.output, HasSubstr("is the input"));
    const CliRun survey = lisa({"survey", "--inventory", inventory, "--format", "csv", "--output", inventory});
    EXPECT_EQ(survey.status, 2) << survey.output;
    EXPECT_THAT(survey.output, HasSubstr("is the input"));
    // --output-dir: the format's file there is the history the scan writes to.
    write_file(dir.file("report.json"), "{}");
    const CliRun dirscan2 = lisa({"scan", "--inventory", inventory, "--history", dir.file("report.json"), "--format",
                                  "json", "--output-dir", dir.path()});
    EXPECT_EQ(dirscan2.status, 2) << dirscan2.output;
    EXPECT_THAT(dirscan2.output, HasSubstr("is the input"));
    EXPECT_EQ(read_file(dir.file("report.json")), "{}");
    EXPECT_EQ(read_file(inventory), original);
    // lisa report: the report it re-renders.
    write_file(dir.file("r.json"), "{}");
    const CliRun report = lisa({"report", dir.file("r.json"), "--format", "json", "--output", dir.file("r.json")});
    EXPECT_EQ(report.status, 2) << report.output;
    EXPECT_THAT(report.output, HasSubstr("is the input"));
    EXPECT_EQ(read_file(dir.file("r.json")), "{}");
}

TEST(ReportOutputTest, AReportNeverReplacesAFileTheInventoryNames) {
    // The evidence documents, their sidecars, CA and password files the inventory names are read
    // by the scan too: a report named like one of them (directly or through --output-dir) is
    // refused before anything is probed, and the municipality's file stays as it was.
    TempDir dir;
    std::filesystem::create_directories(dir.file("bevis"));
    write_file(dir.file("bevis/policy.md"), "---\nbeslutad: 2026-01-01\n---\nPolicy\n");
    write_file(dir.file("bevis/policy.md.lisa.yaml"), "sha256: 00\n");
    write_file(dir.file("report.html"), "<p>the municipality's own page</p>");
    write_file(dir.file("ca.pem"), "not a certificate");
    const std::string inventory = dir.file("inv.yaml");
    write_file(inventory, R"(organization: { name: X, population: 5000 }
isms:
  documents:
    - { id: policy, role: informationssakerhetspolicy, path: bevis/policy.md }
    - { id: sida, role: riktlinje, path: report.html }
systems:
  - id: s
    name: S
    verksamhetsomraden: ["Barn och unga"]
    roles: [myndighetsutövning]
    personal_data: false
    sensitive_personal_data: false
    endpoints:
      - { id: e, url: "https://127.0.0.1:1/", exposure: internal, ca_file: ca.pem }
)");
    const struct {
        std::vector<std::string> output;
        std::string file;
    } cases[] = {
        {{"--format", "json", "--output", dir.file("bevis/policy.md")}, "bevis/policy.md"},
        {{"--format", "csv", "--output", dir.file("bevis/policy.md.lisa.yaml")}, "bevis/policy.md.lisa.yaml"},
        {{"--format", "html", "--output-dir", dir.path()}, "report.html"},
        {{"--format", "json", "--output", dir.file("ca.pem")}, "ca.pem"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args = {"scan", "--inventory", inventory, "--no-history", "--as-of", "2026-11-22"};
        args.insert(args.end(), c.output.begin(), c.output.end());
        const std::string before = read_file(dir.file(c.file));
        const CliRun scan = lisa(args);
        EXPECT_EQ(scan.status, 2) << c.output.back() << ": " << scan.output;
        EXPECT_THAT(scan.output, HasSubstr("is the input")) << c.output.back();
        EXPECT_EQ(read_file(dir.file(c.file)), before) << c.file;
    }
}

}  // namespace
