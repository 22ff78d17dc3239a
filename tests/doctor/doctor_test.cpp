// SPDX-License-Identifier: Apache-2.0
// `lisa doctor` (issue 16 item 4) against real loopback servers the test starts and stops by pid:
// slapd (ldaps, the service account's bind), openssl s_server (an endpoint's port). One inventory
// that is right passes every check (exit 0); one that is wrong in every way the doctor knows gets
// each wrong thing on its own line with what to do, in one run (exit 3), and the bind password is
// never printed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <csignal>
#include <memory>

#include "process.hpp"
#include "slapd_fixture.hpp"
#include "test_http_server.hpp"
#include "test_pki.hpp"

namespace lt = lisa::ldap_test;
using lisa::testing_support::ChildProcess;
using lisa::testing_support::free_port;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::wait_for_port;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

struct CliRun {
    int status = -1;
    std::string output;
};

CliRun doctor(const std::string& inventory, const std::string& password) {
    CliRun r;
    r.status = run_command({"env", "LISA_DOCTOR_TEST_PW=" + password, "timeout", "-s", "KILL", "120", LISA_BINARY,
                            "doctor", "--inventory", inventory, "--timeout", "3"},
                           &r.output);
    return r;
}

class DoctorTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        signal(SIGPIPE, SIG_IGN);
        slapd_ = std::make_unique<lt::Slapd>(lt::SlapdOptions{}, lt::generated_directory().ldif);
        tls_port_ = free_port();
        const auto& c = lt::certificates();
        s_server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
            "openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(tls_port_), "-cert", c.cert_file, "-key",
            c.key_file, "-quiet", "-naccept", "1000"});
        ASSERT_TRUE(wait_for_port(tls_port_));
    }
    static void TearDownTestSuite() {
        s_server_.reset();
        slapd_.reset();
    }

    // An inventory with one endpoint, one directory and one evidence document.
    static std::string inventory(const std::string& evidence, const std::string& ca_file,
                                 int endpoint_port, const std::string& endpoint_host, const std::string& ldaps_url) {
        return "organization: { name: Exempelkommun, population: 12000 }\n"
               "isms:\n  documents:\n"
               "    - { id: policy, role: informationssakerhetspolicy, path: \"" + evidence + "\" }\n"
               "directories:\n"
               "  - id: katalog\n    url: \"" + ldaps_url + "\"\n    base_dn: \"" + lt::kBase + "\"\n"
               "    bind_dn: \"" + lt::kServiceDn + "\"\n    password_env: LISA_DOCTOR_TEST_PW\n"
               "    ca_file: \"" + ca_file + "\"\n"
               "systems:\n  - id: ifo\n    name: IFO\n    verksamhetsomraden: [\"Barn och unga\"]\n    roles: [utförare]\n"
               "    personal_data: true\n    sensitive_personal_data: true\n"
               "    endpoints:\n      - { id: web, url: \"https://" + endpoint_host + ":" + std::to_string(endpoint_port) +
               "/\", exposure: external, ca_file: \"" + ca_file + "\" }\n";
    }

    static std::unique_ptr<lt::Slapd> slapd_;
    static std::unique_ptr<ChildProcess> s_server_;
    static int tls_port_;
};
std::unique_ptr<lt::Slapd> DoctorTest::slapd_;
std::unique_ptr<ChildProcess> DoctorTest::s_server_;
int DoctorTest::tls_port_ = 0;

TEST_F(DoctorTest, EveryCheckPassesForAnInventoryThatIsRight) {
    TempDir dir;
    write_file(dir.file("policy.md"), "# Informationssäkerhetspolicy\n\nBeslutad av kommunfullmäktige 2025-03-10.\n");
    write_file(dir.file("inventory.yaml"), inventory("policy.md", lt::certificates().ca_file, tls_port_, "127.0.0.1",
                                                     slapd_->ldaps_url()));
    const CliRun r = doctor(dir.file("inventory.yaml"), lt::kServicePassword);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ok    evidence policy: policy.md (75 bytes, readable as evidence)"));
    EXPECT_THAT(r.output, HasSubstr("ok    password of katalog: $LISA_DOCTOR_TEST_PW is set"));
    EXPECT_THAT(r.output, HasSubstr("ok    name 127.0.0.1: resolves to 127.0.0.1"));
    EXPECT_THAT(r.output, HasSubstr("ok    port 127.0.0.1:" + std::to_string(tls_port_) + ": answers"));
    EXPECT_THAT(r.output, HasSubstr("ok    port 127.0.0.1:" + std::to_string(slapd_->ldaps_port()) + ": answers"));
    EXPECT_THAT(r.output, HasSubstr("certificates, 1 roots"));
    EXPECT_THAT(r.output, HasSubstr(std::string("ok    bind to katalog: bind as ") + lt::kServiceDn + " works"));
    EXPECT_THAT(r.output, HasSubstr(" 0 failed"));
    EXPECT_THAT(r.output, Not(HasSubstr(lt::kServicePassword)));
}

// Issue 14: every access group is read by its DN with the group filter, as the scan reads it:
// a DN that names no group (a typo, an account's DN) is found before the scan.
TEST_F(DoctorTest, EveryAccessGroupIsReadAsTheScanReadsIt) {
    TempDir dir;
    write_file(dir.file("policy.md"), "# Informationssäkerhetspolicy\n\nBeslutad av kommunfullmäktige 2025-03-10.\n");
    const std::string group = lt::generated_directory().nested_a;
    write_file(dir.file("inventory.yaml"),
               inventory("policy.md", lt::certificates().ca_file, tls_port_, "127.0.0.1", slapd_->ldaps_url()) +
                   "    access_groups:\n"
                   "      - { id: handlaggare, directory: katalog, dn: \"" + group + "\" }\n"
                   "      - { id: stavfel, directory: katalog, dn: \"cn=finns-inte,ou=groups,dc=example,dc=org\" }\n"
                   "      - { id: konto, directory: katalog, dn: \"" + lt::kServiceDn + "\" }\n");
    const CliRun r = doctor(dir.file("inventory.yaml"), lt::kServicePassword);
    EXPECT_EQ(r.status, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ok    access group ifo/handlaggare: " + group + ": a group the scan account reads"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  access group ifo/stavfel: cn=finns-inte,ou=groups,dc=example,dc=org: not "
                                    "found in directory as a group"));
    EXPECT_THAT(r.output, HasSubstr(std::string("FAIL  access group ifo/konto: ") + lt::kServiceDn +
                                    ": not found in directory as a group"));
    EXPECT_THAT(r.output, HasSubstr("correct the DN at inventory.yaml:"));
    EXPECT_THAT(r.output, HasSubstr(" 2 failed"));
}

TEST_F(DoctorTest, EveryProblemOnItsOwnLineWithWhatToDoInOneRun) {
    TempDir dir;
    write_file(dir.file("garbage.pem"), "not a certificate\n");
    // A name under .invalid never resolves (RFC 6761); a port nobody listens on; a CA file that
    // is not PEM; evidence that is not there; the right directory with the wrong password.
    const int closed = free_port();
    write_file(dir.file("inventory.yaml"),
               inventory("saknas.pdf", dir.file("garbage.pem"), closed, "127.0.0.1", slapd_->ldaps_url()) +
                   "  - id: gone\n    name: Gone\n    verksamhetsomraden: []\n    roles: []\n    personal_data: false\n"
                   "    sensitive_personal_data: false\n"
                   "    endpoints: [{ id: web, url: \"https://ingen-sadan-vard.invalid/\", exposure: external }]\n");
    const std::string wrong = "Fel-Losenord-4711";
    const CliRun r = doctor(dir.file("inventory.yaml"), wrong);
    EXPECT_EQ(r.status, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr("FAIL  evidence policy: saknas.pdf: no such file — put the file there or correct "
                                    "'path' at inventory.yaml:4"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  name ingen-sadan-vard.invalid: does not resolve"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  port 127.0.0.1:" + std::to_string(closed) + ": does not answer: Connection refused"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  CA file " + dir.file("garbage.pem") + ": holds no PEM certificate — give ca_file"));
    // The directory's CA file is garbage too, so the bind cannot verify the server: it fails,
    // and says so; the password is never echoed.
    EXPECT_THAT(r.output, HasSubstr("FAIL  bind to katalog:"));
    EXPECT_THAT(r.output, Not(HasSubstr(wrong)));
    EXPECT_THAT(r.output, HasSubstr(" failed: a scan now would be incomplete"));
}

TEST_F(DoctorTest, AWrongPasswordIsAFailedBindAndAnUnsetVariableIsNamed) {
    TempDir dir;
    write_file(dir.file("policy.md"), "# Policy\n\nBeslutad av kommunfullmäktige 2025-03-10.\n");
    write_file(dir.file("inventory.yaml"), inventory("policy.md", lt::certificates().ca_file, tls_port_, "127.0.0.1",
                                                     slapd_->ldaps_url()));
    const std::string wrong = "Fel-Losenord-4711";
    const CliRun bad = doctor(dir.file("inventory.yaml"), wrong);
    EXPECT_EQ(bad.status, 3) << bad.output;
    EXPECT_THAT(bad.output, HasSubstr("FAIL  bind to katalog: bind as the directory's bind_dn failed: "
                                      "Invalid credentials (49)"));
    // The DN can name a person: not in a message that reaches SARIF and JUnit.
    EXPECT_THAT(bad.output, Not(HasSubstr(lt::kServiceDn)));
    EXPECT_THAT(bad.output, HasSubstr("— check what the message names in the directory at inventory.yaml:"));
    EXPECT_THAT(bad.output, Not(HasSubstr(wrong)));
    const CliRun unset = doctor(dir.file("inventory.yaml"), "");
    EXPECT_EQ(unset.status, 3) << unset.output;
    EXPECT_THAT(unset.output, HasSubstr("FAIL  password of katalog: $LISA_DOCTOR_TEST_PW is not set — export "
                                        "LISA_DOCTOR_TEST_PW=… in the environment lisa runs in"));
}

// adfix items 4/5: doctor says why, in the scan's own words (check_directory_access): an
// untrusted certificate names the CA problem (not "Can't contact LDAP server"), a directory
// that refuses paged searches is a failed check saying what to change.
TEST_F(DoctorTest, SaysWhyTlsFailsAndThatPagingIsRefused) {
    TempDir dir;
    write_file(dir.file("policy.md"), "# Policy\n\nBeslutad av kommunfullmäktige 2025-03-10.\n");
    write_file(dir.file("inventory.yaml"), inventory("policy.md", lt::certificates().other_ca_file, tls_port_,
                                                     "127.0.0.1", slapd_->ldaps_url()));
    const CliRun untrusted = doctor(dir.file("inventory.yaml"), lt::kServicePassword);
    EXPECT_EQ(untrusted.status, 3) << untrusted.output;
    EXPECT_THAT(untrusted.output, HasSubstr("FAIL  bind to katalog: tls to the directory failed: the certificate is "
                                            "not trusted by directory.ca_file"));
    EXPECT_THAT(untrusted.output, Not(HasSubstr("Can't contact")));
    // Judged as of today: a valid certificate is never called "not yet valid" (as of 1970).
    EXPECT_THAT(untrusted.output, Not(HasSubstr("not yet valid")));
    EXPECT_THAT(untrusted.output, HasSubstr("(self-signed certificate in certificate chain)"));

    lt::SlapdOptions options;
    options.database_config = {"limits * size.prtotal=disabled"};
    lt::Slapd no_paging(options, lt::generated_directory().ldif);
    write_file(dir.file("inventory.yaml"), inventory("policy.md", lt::certificates().ca_file, tls_port_, "127.0.0.1",
                                                     no_paging.ldaps_url()));
    const CliRun refused = doctor(dir.file("inventory.yaml"), lt::kServicePassword);
    EXPECT_EQ(refused.status, 3) << refused.output;
    EXPECT_THAT(refused.output, HasSubstr("FAIL  bind to katalog: a paged search (as the scan makes) failed"));
    EXPECT_THAT(refused.output, HasSubstr("the directory refuses paged searches"));
    EXPECT_THAT(refused.output, HasSubstr("MaxPageSize"));
}

// adfix item 1: a password bind over ldap:// without starttls is an invalid inventory — doctor
// refuses it (exit 2, file:line:col) and connects to nothing.
TEST_F(DoctorTest, RefusesAPasswordBindOverCleartext) {
    TempDir dir;
    write_file(dir.file("policy.md"), "# Policy\n\nBeslutad av kommunfullmäktige 2025-03-10.\n");
    std::string inv = inventory("policy.md", lt::certificates().ca_file, tls_port_, "127.0.0.1", slapd_->url());
    write_file(dir.file("inventory.yaml"), inv);
    const CliRun r = doctor(dir.file("inventory.yaml"), lt::kServicePassword);
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:7:10: directory 'katalog': a simple bind with a password over "
                                    "ldap:// without starttls would send the password unencrypted"));
    EXPECT_THAT(r.output, Not(HasSubstr("bind to katalog")));
    // With starttls: true the same directory is fine.
    const auto at = inv.find("    base_dn:");
    inv.insert(at, "    starttls: true\n");
    write_file(dir.file("inventory.yaml"), inv);
    const CliRun ok = doctor(dir.file("inventory.yaml"), lt::kServicePassword);
    EXPECT_EQ(ok.status, 0) << ok.output;
    EXPECT_THAT(ok.output, HasSubstr("works (starttls; paged searches allowed)"));
}

// A password file its group or others can read: doctor (and validate, scan) warn, like ssh.
TEST_F(DoctorTest, WarnsAboutAPasswordFileOthersCanRead) {
    TempDir dir;
    write_file(dir.file("policy.md"), "# Policy\n\nBeslutad av kommunfullmäktige 2025-03-10.\n");
    write_file(dir.file("pw"), std::string(lt::kServicePassword) + "\n");
    std::string inv = inventory("policy.md", lt::certificates().ca_file, tls_port_, "127.0.0.1", slapd_->ldaps_url());
    const std::string env_line = "    password_env: LISA_DOCTOR_TEST_PW\n";
    inv.replace(inv.find(env_line), env_line.size(), "    password_file: pw\n");
    write_file(dir.file("inventory.yaml"), inv);
    for (const mode_t mode : {0644, 0640, 0604}) {
        ASSERT_EQ(chmod(dir.file("pw").c_str(), mode), 0);
        const CliRun r = doctor(dir.file("inventory.yaml"), "");
        EXPECT_EQ(r.status, 0) << r.output;  // a warning, not a failure
        EXPECT_THAT(r.output, HasSubstr("warn  password of katalog: password_file " + dir.file("pw") + " is readable by"))
            << mode;
        EXPECT_THAT(r.output, HasSubstr("chmod 600")) << mode;
        std::string out;
        EXPECT_EQ(run_command({LISA_BINARY, "validate", "--inventory", dir.file("inventory.yaml")}, &out), 0) << out;
        EXPECT_THAT(out, HasSubstr("warning: directory 'katalog': password_file")) << mode;
        EXPECT_THAT(out, Not(HasSubstr(lt::kServicePassword)));
    }
    ASSERT_EQ(chmod(dir.file("pw").c_str(), 0600), 0);
    const CliRun tight = doctor(dir.file("inventory.yaml"), "");
    EXPECT_EQ(tight.status, 0) << tight.output;
    EXPECT_THAT(tight.output, Not(HasSubstr("warn  ")));
}

// A file that is there and readable is not yet evidence: the doctor reads each document as the scan
// does, so a damaged PDF or one over the size limit fails here, before a scan ends incomplete.
TEST(DoctorDocumentsTest, ADocumentTheScanCannotReadFailsWithWhatToDo) {
    TempDir dir;
    write_file(dir.file("policy.md"), "---\nbeslutad: 2025-01-01\n---\n# Policy\n");
    write_file(dir.file("trasig.pdf"), "%PDF-1.7\nthis is not a PDF body at all\n");
    ASSERT_EQ(run_command({"truncate", "-s", "40M", dir.file("stor.pdf")}), 0);
    write_file(dir.file("inventory.yaml"),
               "organization: { name: X, population: 5000 }\nisms:\n  documents:\n"
               "    - { id: policy, role: informationssakerhetspolicy, path: policy.md }\n"
               "    - { id: trasig, role: riktlinje, path: trasig.pdf }\n"
               "    - { id: stor, role: riktlinje, path: stor.pdf }\n");
    const CliRun r = doctor(dir.file("inventory.yaml"), "");
    EXPECT_EQ(r.status, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ok    evidence policy: policy.md ("));
    // The reader's reason, naming the file once.
    EXPECT_THAT(r.output, HasSubstr("FAIL  evidence trasig: trasig.pdf: damaged PDF"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  evidence stor: evidence file stor.pdf is 41943040 bytes, over the limit"));
    EXPECT_THAT(r.output, HasSubstr("save the document again as a PDF with a text layer"));
    EXPECT_THAT(r.output, HasSubstr("lisa doctor: 3 checks, 2 failed"));

    // One check is one check.
    write_file(dir.file("inventory.yaml"), "organization: { name: X, population: 5000 }\nisms:\n  documents:\n"
                                           "    - { id: policy, role: informationssakerhetspolicy, path: policy.md }\n");
    const CliRun one = doctor(dir.file("inventory.yaml"), "");
    EXPECT_EQ(one.status, 0) << one.output;
    EXPECT_THAT(one.output, HasSubstr("lisa doctor: 1 check, 0 failed"));
}

// A published document is fetched and read as the scan reads it (a 404 fails here, not only in the
// scan), and a discover folder is listed; over a real HTTPS server on loopback with a test CA.
TEST(DoctorDocumentsTest, PublishedAndDiscoveredDocumentsAreReadAsTheScanReadsThem) {
    TempDir dir;
    lisa::testing_support::TestPki pki(dir.path());
    const auto cert = pki.issue("www", lisa::testing_support::CertSpec{});
    std::map<std::string, std::string> routes;
    routes["/policy.pdf"] = lisa::testing_support::http_response(
        "200 OK", "Content-Type: application/pdf\r\n",
        lisa::testing_support::read_file(std::string(LISA_SOURCE_DIR) + "/tests/data/documents/policy.pdf"));
    lisa::testing_support::HttpTestServer site(routes, cert.cert_file, cert.key_file);
    write_file(dir.file("inventory.yaml"),
               "organization: { name: X, population: 5000 }\nisms:\n  documents:\n"
               "    - { id: publicerad, role: informationssakerhetspolicy, url: \"" + site.base() + "/policy.pdf\", ca_file: \"" +
                   pki.ca_file() + "\" }\n"
               "    - { id: borta, role: riktlinje, url: \"" + site.base() + "/saknas.pdf\", ca_file: \"" + pki.ca_file() + "\" }\n"
               "    - { id: mapp, role: riktlinje, discover: finnsinte/ }\n");
    const CliRun r = doctor(dir.file("inventory.yaml"), "");
    EXPECT_EQ(r.status, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ok    evidence publicerad: " + site.base() + "/policy.pdf (readable as evidence)"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  evidence borta: "));
    EXPECT_THAT(r.output, HasSubstr("404"));
    EXPECT_THAT(r.output, HasSubstr("FAIL  evidence mapp: "));
}

TEST(DoctorUsageTest, AnInvalidInventoryIsExit2AndScansNothing) {
    TempDir dir;
    write_file(dir.file("inventory.yaml"), "organization: { name: X, population: \"<FYLL I>\" }\n");
    const CliRun r = doctor(dir.file("inventory.yaml"), "");
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("inventory.yaml:1:38: 'organization.population' is still lisa init's placeholder"));
    EXPECT_THAT(r.output, HasSubstr("fix what 'lisa validate' reports first"));
    EXPECT_EQ(run_command({LISA_BINARY, "doctor"}), 2);
}

}  // namespace
