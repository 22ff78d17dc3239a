// SPDX-License-Identifier: Apache-2.0
// Hostile networks (DESIGN §10): a port that accepts and never speaks, one that speaks garbage, a
// TLS server that stalls mid-handshake, one that closes at once, one that answers with a TLS
// alert and a refused port, scanned together with a healthy `openssl s_server`. The scan must end within a bound of --timeout, mark the hostile
// endpoints `error` with the reason, and judge the healthy one normally.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hostile_servers.hpp"
#include "lisa_run.hpp"
#include "process.hpp"

namespace {

using lisa::hostile::HostilePeer;
using lisa::hostile::Hostility;
using lisa::hostile::make_certificates;
using lisa::hostile::run_lisa;
using lisa::testing_support::today_iso;
using lisa::testing_support::ChildProcess;
using lisa::testing_support::free_port;
using lisa::testing_support::TempDir;
using lisa::testing_support::wait_for_port;
using lisa::testing_support::write_file;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using json = nlohmann::json;

constexpr double kScanTimeout = 2.0;   // --timeout of the scan, seconds
constexpr double kProbeTimeout = 1.0;  // --timeout of `lisa probe tls`, seconds

/// The bound a run must finish within. One probe call is not one network operation: the tls
/// probe runs a first handshake and then (when the peer said anything) a second, concurrent round
/// of handshakes, each step with its own --timeout; the scan runs probe calls side by side.
/// Generous on purpose (a shared, loaded machine); the measured figure is printed.
double bound_for(double timeout) { return 3 * timeout + 3; }

/// What `lisa probe` may take beyond its one --timeout: process start and exit. Under ASan +
/// UBSan (and libfaketime, which wraps every clock read in the sanitizer pass, see scripts/test)
/// start-up and each of a trickling peer's one-byte reads cost several times more, so the margin
/// is wider there; the bound being tested -- one --timeout, never an unbounded read -- is the same.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kStartMargin = 2.0;
#else
constexpr double kStartMargin = 1.0;
#endif

/// The reason a hostile peer's tls error must give (a regular expression for the whole text).
/// A peer closing at once is seen as "connection closed by peer before any tls answer",
/// "handshake failed: connection reset by peer" or "handshake failed: unexpected eof while
/// reading", depending on whether our ClientHello was already in its receive buffer.
std::string expected_reason(Hostility hostility) {
    switch (hostility) {
        case Hostility::Silent:
            return ".*handshake timeout \\(no answer\\) after [0-9]+ ms.*";
        case Hostility::StallTls:
            return ".*handshake timeout after [0-9]+ ms.*";
        case Hostility::Garbage:
            return ".*handshake failed.*";
        case Hostility::CloseAtOnce:
            return ".*(handshake failed|connection).*";
        case Hostility::TlsAlert:
            return ".*handshake failed: .*alert.*";
        case Hostility::Refused:
            return ".*connection refused.*";
        case Hostility::TrickleTls:
            return ".*handshake timeout after [0-9]+ ms.*";
        case Hostility::TrickleHttp:
            return ".*(timeout|timed out).*";
    }
    return "?";
}

const std::vector<Hostility> kHostilities = {Hostility::Silent,      Hostility::Garbage,
                                              Hostility::StallTls,    Hostility::CloseAtOnce,
                                              Hostility::TlsAlert,    Hostility::Refused};

/// `openssl s_server -www` on a free 127.0.0.1 port: the healthy endpoint.
class HealthyServer {
public:
    HealthyServer(const std::string& cert_file, const std::string& key_file, const std::string& log) {
        for (int attempt = 0; attempt < 5; ++attempt) {
            const int port = free_port();
            ChildProcess process({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port),
                                  "-cert", cert_file, "-key", key_file, "-www", "-quiet"},
                                 log);
            if (wait_for_port(port, std::chrono::seconds(10)) && process.running()) {
                process_ = std::move(process);
                port_ = port;
                return;
            }
        }
        throw std::runtime_error("openssl s_server did not start, see " + log);
    }
    [[nodiscard]] int port() const noexcept { return port_; }

private:
    ChildProcess process_;
    int port_ = 0;
};

std::string endpoint_yaml(const std::string& id, int port, const std::string& extra = {}) {
    return "      - id: " + id + "\n        url: https://127.0.0.1:" + std::to_string(port) +
           "/\n        exposure: external\n        authentication: strong\n" + extra;
}

std::string inventory_yaml(const std::vector<std::unique_ptr<HostilePeer>>& peers, int healthy_port,
                           const std::string& ca_file) {
    std::string yaml = R"(schema_version: 1
organization:
  name: Fientliga nät
  municipality_code: "9998"
  population: 12000
systems:
  - id: hostile
    name: "Verksamhetssystem bakom fientliga nät"
    owner: "Socialnämnden"
    verksamhetsomraden: ["Barn och unga"]
    roles: [myndighetsutövning]
    personal_data: true
    sensitive_personal_data: true
    classification: { confidentiality: 3, integrity: 3, availability: 2, date: 2026-01-15, method: KLASSA }
    authentication: { external: strong, internal: strong }
    endpoints:
)";
    for (const auto& peer : peers) {
        yaml += endpoint_yaml(to_string(peer->hostility()), peer->port());
    }
    yaml += endpoint_yaml("healthy", healthy_port,
                          "        sni: healthy.test\n        ca_file: \"" + ca_file + "\"\n");
    return yaml;
}

/// Findings of the TLS rules for one subject: rule -> {status, message}.
std::map<std::string, std::pair<std::string, std::string>> tls_findings(const json& report,
                                                                         const std::string& subject) {
    std::map<std::string, std::pair<std::string, std::string>> out;
    for (const auto& f : report.at("findings")) {
        const std::string rule = f.at("rule").get<std::string>();
        if (f.at("subject") == subject && rule.rfind("TLS-", 0) == 0) {
            out[rule] = {f.at("status").get<std::string>(),
                         f.value("message", json()).is_string() ? f.at("message").get<std::string>() : ""};
        }
    }
    return out;
}

std::string probe_error(const json& report, const std::string& probe, const std::string& subject) {
    for (const auto& p : report.at("probes")) {
        if (p.at("probe") == probe && p.at("subject") == subject) {
            return p.at("error").is_string() ? p.at("error").get<std::string>() : "";
        }
    }
    return "<no " + probe + " probe run for " + subject + ">";
}

TEST(HostileNetworkTest, ScanOfHostilePeersEndsInTimeWithErrorsAndJudgesTheHealthyEndpoint) {
    TempDir dir;
    const auto certs = make_certificates(dir.path(), {"healthy.test"}, {"127.0.0.1"});
    const HealthyServer healthy(certs.cert_file, certs.key_file, dir.file("s_server.log"));
    std::vector<std::unique_ptr<HostilePeer>> peers;
    for (const Hostility hostility : kHostilities) {
        peers.push_back(std::make_unique<HostilePeer>(hostility));
    }
    write_file(dir.file("inventory.yaml"), inventory_yaml(peers, healthy.port(), certs.ca_file));

    const auto run = run_lisa({"scan", "--inventory", dir.file("inventory.yaml"), "--as-of", today_iso(),
                               "--timeout", "2", "--format", "json", "--output", dir.file("report.json"),
                               "--no-history"});
    std::cout << "[ measured ] hostile scan: " << run.seconds << " s with --timeout " << kScanTimeout
              << " (bound " << bound_for(kScanTimeout) << " s)\n";
    ::testing::Test::RecordProperty("hostile_scan_seconds", std::to_string(run.seconds));
    EXPECT_LE(run.seconds, bound_for(kScanTimeout));
    ASSERT_EQ(run.status, 3) << "expected an incomplete scan (exit 3)\n" << run.output;

    const json report = json::parse(lisa::testing_support::read_file(dir.file("report.json")));
    EXPECT_EQ(report.at("run").at("complete"), false);

    for (const auto& peer : peers) {
        const std::string name = to_string(peer->hostility());
        const std::string subject = "hostile/" + name;
        SCOPED_TRACE(subject);
        if (peer->hostility() != Hostility::Refused) {
            EXPECT_GE(peer->counts().accepted, 1U) << "the scan never reached the " << name << " peer";
        }
        const auto findings = tls_findings(report, subject);
        ASSERT_FALSE(findings.empty());
        // TLS-001 (K3: versions), TLS-003 (K3: weak ciphers), TLS-005..009 (certificate) read
        // facts a hostile peer never gives: error, with the probe's reason.
        for (const char* rule : {"TLS-001", "TLS-003", "TLS-005", "TLS-006", "TLS-007", "TLS-008",
                                 "TLS-009", "TLS-010"}) {
            ASSERT_EQ(findings.count(rule), 1U) << rule;
            const auto& [status, message] = findings.at(rule);
            EXPECT_EQ(status, "error") << rule << ": " << message;
            EXPECT_THAT(message, HasSubstr("tls: ")) << rule;
            EXPECT_THAT(message, MatchesRegex(expected_reason(peer->hostility()))) << rule;
            EXPECT_THAT(message, MatchesRegex(".*(timeout|handshake|connection).*")) << rule;
        }
        for (const auto& [rule, finding] : findings) {
            EXPECT_THAT(finding.first, AnyOf("error", "not_applicable"))
                << rule << " judged a hostile endpoint: " << finding.second;
        }
        const std::string error = probe_error(report, "tls", subject);
        EXPECT_THAT(error, MatchesRegex(expected_reason(peer->hostility())));
        std::cout << "[ measured ] " << name << ": tls error \"" << error << "\"; http error \""
                  << probe_error(report, "http", subject) << "\"\n";
    }

    // The healthy endpoint is judged normally, whatever its neighbours do.
    const auto healthy_findings = tls_findings(report, "hostile/healthy");
    std::cout << "[ measured ] healthy:";
    for (const auto& [rule, finding] : healthy_findings) {
        std::cout << " " << rule << "=" << finding.first;
    }
    std::cout << "\n";
    for (const char* rule : {"TLS-001", "TLS-003", "TLS-005", "TLS-006", "TLS-007", "TLS-008",
                             "TLS-009", "TLS-010"}) {
        ASSERT_EQ(healthy_findings.count(rule), 1U) << rule;
        const auto& [status, message] = healthy_findings.at(rule);
        EXPECT_THAT(status, AnyOf("pass", "fail")) << rule << ": " << message;
    }
    // The CA file, the SNI name and the certificate are all in order.
    EXPECT_EQ(healthy_findings.at("TLS-005").first, "pass") << healthy_findings.at("TLS-005").second;
    EXPECT_EQ(healthy_findings.at("TLS-006").first, "pass") << healthy_findings.at("TLS-006").second;
    EXPECT_EQ(healthy_findings.at("TLS-007").first, "pass") << healthy_findings.at("TLS-007").second;
    EXPECT_EQ(probe_error(report, "tls", "hostile/healthy"), "");
}

TEST(HostileNetworkTest, ProbeTlsAgainstEachHostilePeerReturnsWithinTheBound) {
    for (const Hostility hostility : kHostilities) {
        const HostilePeer peer(hostility);
        const std::string name = to_string(hostility);
        SCOPED_TRACE(name);
        const auto run = run_lisa({"probe", "tls", "127.0.0.1:" + std::to_string(peer.port()), "--timeout", "1"});
        std::cout << "[ measured ] lisa probe tls, " << name << " peer: " << run.seconds
                  << " s with --timeout " << kProbeTimeout << "\n";
        EXPECT_LE(run.seconds, bound_for(kProbeTimeout));
        EXPECT_EQ(run.status, 3) << run.output;
        json facts;
        ASSERT_NO_THROW(facts = json::parse(run.output).at("facts")) << run.output;
        ASSERT_TRUE(facts.contains("tls.reachable")) << run.output;
        EXPECT_EQ(facts.at("tls.reachable").at("value"), false);
        ASSERT_TRUE(facts.contains("tls.error")) << run.output;
        const std::string error = facts.at("tls.error").at("value").get<std::string>();
        EXPECT_THAT(error, MatchesRegex(expected_reason(hostility)));
        std::cout << "[ measured ] tls.error: \"" << error << "\"\n";
        // Nothing else is claimed about a peer that never completed a handshake.
        EXPECT_FALSE(facts.contains("tls.protocol.tls1_2")) << run.output;
        EXPECT_FALSE(facts.contains("tls.cert.chain_valid")) << run.output;
    }
}

// The issue's criterion is stricter than the bound above: "The scan finishes within `--timeout`
// plus a small margin" (and DESIGN §10: "… become `error` findings with the reason, within the
// timeout"). A peer that is silent, speaks garbage, alerts, refuses or closes costs one timeout at
// most; a TLS server that stalls mid-handshake must not cost more.
TEST(HostileNetworkTest, EachHostilePeerCostsTheTlsProbeAtMostOneTimeout) {
    constexpr double kTimeout = 2.0;
    constexpr double kMargin = kStartMargin;
    for (const Hostility hostility : kHostilities) {
        const HostilePeer peer(hostility);
        SCOPED_TRACE(to_string(hostility));
        const auto run = run_lisa({"probe", "tls", "127.0.0.1:" + std::to_string(peer.port()), "--timeout", "2"});
        EXPECT_EQ(run.status, 3) << run.output;
        EXPECT_LE(run.seconds, kTimeout + kMargin)
            << "lisa probe tls --timeout 2 against the " << to_string(hostility) << " peer took "
            << run.seconds << " s: " << run.output;
    }
}

// A peer that never stops answering: every read the client makes returns a byte, so a timeout
// per read never fires. Only an overall deadline per operation ends it (issue 11, kind D): the
// tls probe's handshake deadline, libcurl's CURLOPT_TIMEOUT for the whole transfer.
TEST(HostileNetworkTest, TricklingPeersAreCutOffAtTheTimeoutNotReadForever) {
    constexpr double kTimeout = 2.0;
    constexpr double kMargin = kStartMargin;
    struct Case {
        Hostility hostility;
        std::string kind;
        std::string scheme;
        std::string error_fact;
    };
    for (const Case& c : {Case{Hostility::TrickleTls, "tls", "", "tls.error"},
                          Case{Hostility::TrickleTls, "http", "https://", "http.error"},
                          Case{Hostility::TrickleHttp, "http", "http://", "http.error"}}) {
        const HostilePeer peer(c.hostility);
        SCOPED_TRACE(std::string(to_string(c.hostility)) + " / " + c.kind);
        const std::string target = c.scheme + "127.0.0.1:" + std::to_string(peer.port()) + (c.scheme.empty() ? "" : "/");
        const auto run = run_lisa({"probe", c.kind, target, "--timeout", "2"});
        std::cout << "[ measured ] lisa probe " << c.kind << " " << target << ", " << to_string(c.hostility)
                  << " peer: " << run.seconds << " s with --timeout " << kTimeout << "\n";
        EXPECT_EQ(run.status, 3) << run.output;
        EXPECT_LE(run.seconds, kTimeout + kMargin) << run.output;
        json facts;
        ASSERT_NO_THROW(facts = json::parse(run.output).at("facts")) << run.output;
        ASSERT_TRUE(facts.contains(c.error_fact)) << run.output;
        const std::string error = facts.at(c.error_fact).at("value").get<std::string>();
        std::cout << "[ measured ] " << c.error_fact << ": \"" << error << "\"\n";
        EXPECT_THAT(error, MatchesRegex(c.kind == "tls" ? expected_reason(c.hostility) : ".*(timeout|timed out).*"));
    }
}

}  // namespace
