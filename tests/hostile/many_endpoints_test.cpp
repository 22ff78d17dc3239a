// SPDX-License-Identifier: Apache-2.0
// `--concurrency` and `--per-host` hold under a 1,000-endpoint scan: a counting TLS server on 50
// loopback addresses (127.0.0.1 … 127.0.0.50, one port) counts the connections it holds open at
// once, in total and per address, while the real binary scans 1,000 endpoints spread over them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "hostile_servers.hpp"
#include "lisa_run.hpp"
#include "process.hpp"

namespace {

using lisa::hostile::ConnectionCounts;
using lisa::hostile::CountingTlsServer;
using lisa::hostile::loopback_addresses;
using lisa::hostile::make_certificates;
using lisa::hostile::run_lisa;
using lisa::testing_support::today_iso;
using lisa::testing_support::read_file;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using json = nlohmann::json;

/**
 * H: the most connections one probe call for one endpoint can hold open at once. The scan's pool
 * (src/engine/scan.cpp) bounds probe *calls* — `--concurrency` in all, `--per-host` per
 * host:port — but a call opens several connections concurrently:
 *  - tls (src/probes/tls/tls_probe.cpp, scan_tls): phase 1 is one default handshake, joined before
 *    phase 2; phase 2 runs, at once, one handshake pinned to each TLS version the first one did not
 *    already show (at most 4), one per key type the server may hold a certificate for
 *    (ECDSA/EdDSA, RSA: 2, issue 11 A), plus two weak-cipher eliminations that each hold one
 *    connection at a time (classes this OpenSSL offers; classes sent as a raw ClientHello): at
 *    most 4 + 2 + 2 = 8. Against a TLS 1.3 server the 1.3 pin is skipped: at most 7.
 *  - http (src/probes/http/http_probe.cpp, scan_http): the page, its plain-http twin and the OIDC
 *    discovery document, concurrently: at most 3 (2 here, no IdP).
 * So H = max(8, 3) = 8.
 */
constexpr std::size_t kMaxConnectionsPerProbeCall = 8;

constexpr std::size_t kHosts = 50;
constexpr std::size_t kEndpoints = 1000;
constexpr std::size_t kSystems = 10;
constexpr std::size_t kConcurrency = 8;
constexpr std::size_t kPerHost = 2;

/// "HOST:PORT" of endpoint i: spread round-robin over every address and port of the server.
std::vector<std::string> spread(const std::vector<std::string>& addresses, const std::vector<int>& ports,
                                std::size_t endpoints) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < endpoints; ++i) {
        const std::size_t slot = i % (addresses.size() * ports.size());
        out.push_back(addresses[slot % addresses.size()] + ":" +
                      std::to_string(ports[slot / addresses.size()]));
    }
    return out;
}

std::string inventory_yaml(const std::vector<std::string>& targets, const std::string& ca_file,
                           std::size_t systems) {
    std::string yaml = R"(schema_version: 1
organization:
  name: Tusenkommun
  municipality_code: "9997"
  population: 250000
systems:
)";
    const std::size_t per_system = (targets.size() + systems - 1) / systems;
    std::size_t index = 0;
    for (std::size_t s = 0; s < systems && index < targets.size(); ++s) {
        yaml += "  - id: system-" + std::to_string(s + 1) +
                "\n    name: \"System " + std::to_string(s + 1) +
                "\"\n    owner: \"Socialnämnden\"\n    verksamhetsomraden: [\"Barn och unga\"]\n"
                "    roles: [myndighetsutövning]\n    personal_data: true\n"
                "    sensitive_personal_data: true\n"
                "    classification: { confidentiality: 3, integrity: 3, availability: 2, date: "
                "2026-01-15, method: KLASSA }\n"
                "    authentication: { external: strong, internal: strong }\n    endpoints:\n";
        for (std::size_t e = 0; e < per_system && index < targets.size(); ++e, ++index) {
            const std::string base = targets[index] + "/";
            yaml += "      - id: e" + std::to_string(index + 1) + "\n        url: https://" + base +
                    "\n        http_url: http://" + base +
                    "\n        exposure: external\n        authentication: strong\n"
                    "        ca_file: \"" + ca_file + "\"\n";
        }
    }
    return yaml;
}

struct ScanFigures {
    int status = -1;
    double seconds = 0;
    ConnectionCounts counts;
    json report;
};

ScanFigures scan(const TempDir& dir, CountingTlsServer& server, const std::string& ca_file,
                 const std::vector<std::string>& targets, std::size_t systems,
                 std::size_t concurrency, std::size_t per_host) {
    write_file(dir.file("inventory.yaml"), inventory_yaml(targets, ca_file, systems));
    const auto run = run_lisa({"scan", "--inventory", dir.file("inventory.yaml"), "--as-of", today_iso(),
                               "--concurrency", std::to_string(concurrency), "--per-host",
                               std::to_string(per_host), "--timeout", "5", "--format", "json",
                               "--output", dir.file("report.json"), "--no-history"});
    ScanFigures figures;
    figures.status = run.status;
    figures.seconds = run.seconds;
    figures.counts = server.counts();
    if (run.status == 0 || run.status == 3) {
        figures.report = json::parse(read_file(dir.file("report.json")));
    }
    return figures;
}

std::size_t max_of(const std::vector<std::size_t>& values) {
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

TEST(PolitenessTest, OneEndpointAloneOpensAtMostHConnectionsAtOnce) {
    TempDir dir;
    const auto certs = make_certificates(dir.path(), {}, {"127.0.0.1"});
    CountingTlsServer server({"127.0.0.1"}, certs.cert_file, certs.key_file);
    const auto addresses = loopback_addresses(1);
    const auto figures = scan(dir, server, certs.ca_file, spread(addresses, server.ports(), 1), 1, 1, 1);
    std::cout << "[ measured ] one endpoint alone (tls then http): " << figures.counts.max_open_total
              << " connections open at once at most, " << figures.counts.accepted
              << " in all (" << figures.counts.max_held_total
              << " counting until the server closed its end); H = " << kMaxConnectionsPerProbeCall << "\n";
    ::testing::Test::RecordProperty("one_endpoint_max_open", std::to_string(figures.counts.max_open_total));
    ASSERT_EQ(figures.status, 0) << figures.report.dump(1).substr(0, 4000);
    EXPECT_LE(figures.counts.max_open_total, kMaxConnectionsPerProbeCall);
    EXPECT_GE(figures.counts.accepted, 3U);  // at least: default handshake, page, plain twin
}

TEST(PolitenessTest, ThousandEndpointsKeepConcurrencyAndPerHostLimits) {
    TempDir dir;
    const auto addresses = loopback_addresses(kHosts);
    const auto certs = make_certificates(dir.path(), {}, addresses);
    CountingTlsServer server(addresses, certs.cert_file, certs.key_file);
    const auto figures = scan(dir, server, certs.ca_file, spread(addresses, server.ports(), kEndpoints),
                              kSystems, kConcurrency, kPerHost);

    const ConnectionCounts& counts = figures.counts;
    const std::size_t max_per_host = max_of(counts.max_open_per_address);
    const std::size_t min_per_host =
        *std::min_element(counts.max_open_per_address.begin(), counts.max_open_per_address.end());
    std::cout << "[ measured ] " << kEndpoints << " endpoints on " << kHosts << " hosts, --concurrency "
              << kConcurrency << " --per-host " << kPerHost << ": " << figures.seconds << " s; "
              << counts.accepted << " connections (" << server.tls_handshakes() << " TLS handshakes, "
              << server.https_requests() << " https + " << server.plain_requests()
              << " plain requests); max open at once: " << counts.max_open_total << " in total (bound "
              << kConcurrency * kMaxConnectionsPerProbeCall << "), " << max_per_host
              << " per host (bound " << kPerHost * kMaxConnectionsPerProbeCall << ", lowest host max "
              << min_per_host << "); counting until the server closed its end: "
              << counts.max_held_total << " in total, " << max_of(counts.max_held_per_address)
              << " per host\n";
    ::testing::Test::RecordProperty("thousand_endpoints_seconds", std::to_string(figures.seconds));
    ::testing::Test::RecordProperty("max_open_total", std::to_string(counts.max_open_total));
    ::testing::Test::RecordProperty("max_open_per_host", std::to_string(max_per_host));

    // The scan completed: every endpoint judged, nothing in error.
    ASSERT_EQ(figures.status, 0) << "the 1,000-endpoint scan did not complete cleanly";
    const json& report = figures.report;
    EXPECT_EQ(report.at("run").at("complete"), true);
    EXPECT_EQ(report.at("score").at("findings_by_status").at("error"), 0);
    std::map<std::string, std::string> tls001;  // endpoint -> status
    std::size_t probe_errors = 0;
    std::size_t probe_runs = 0;
    for (const auto& f : report.at("findings")) {
        if (f.at("rule") == "TLS-001") {
            tls001[f.at("subject").get<std::string>()] = f.at("status").get<std::string>();
        }
    }
    for (const auto& p : report.at("probes")) {
        ++probe_runs;
        if (p.at("error").is_string() && !p.at("error").get<std::string>().empty()) {
            ++probe_errors;
            if (probe_errors <= 5) {
                ADD_FAILURE() << "probe error: " << p.dump();
            }
        }
    }
    EXPECT_EQ(tls001.size(), kEndpoints);
    EXPECT_EQ(std::count_if(tls001.begin(), tls001.end(),
                            [](const auto& entry) { return entry.second == "pass"; }),
              static_cast<long>(kEndpoints));
    EXPECT_EQ(probe_runs, 2 * kEndpoints);  // tls and http for every endpoint
    EXPECT_EQ(probe_errors, 0U);
    EXPECT_EQ(server.https_requests(), kEndpoints);
    EXPECT_EQ(server.plain_requests(), kEndpoints);

    // The limits hold, as the servers saw them.
    EXPECT_LE(max_per_host, kPerHost * kMaxConnectionsPerProbeCall);
    EXPECT_LE(counts.max_open_total, kConcurrency * kMaxConnectionsPerProbeCall);
    // And they were not met by accident: more was open at once than one host may take.
    EXPECT_GT(counts.max_open_total, kPerHost * kMaxConnectionsPerProbeCall);
    // Every connection ends with the scan (the server's threads may need a moment to notice).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.counts().open_now != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(server.counts().open_now, 0U) << "connections still open after the scan";
}

// README ("at most --per-host … against one host"), include/lisa/engine/probe.hpp ("the network
// host … for politeness limits") and `lisa scan --help` ("probe calls at once against one host")
// promise a limit per host. Endpoints on several ports of one host must share it.
TEST(PolitenessTest, PerHostLimitHoldsAcrossPortsOfOneHost) {
    constexpr std::size_t kPorts = 8;
    constexpr std::size_t kPerPort = 4;
    TempDir dir;
    const auto certs = make_certificates(dir.path(), {}, {"127.0.0.1"});
    CountingTlsServer server({"127.0.0.1"}, certs.cert_file, certs.key_file, kPorts);
    const auto figures = scan(dir, server, certs.ca_file,
                              spread({"127.0.0.1"}, server.ports(), kPorts * kPerPort), 2,
                              kConcurrency, kPerHost);
    std::cout << "[ measured ] " << kPorts * kPerPort << " endpoints on " << kPorts
              << " ports of 127.0.0.1, --concurrency " << kConcurrency << " --per-host " << kPerHost
              << ": " << figures.counts.max_open_per_address.at(0)
              << " connections open at once on the host (bound " << kPerHost * kMaxConnectionsPerProbeCall
              << ")\n";
    ASSERT_EQ(figures.status, 0);
    EXPECT_LE(figures.counts.max_open_per_address.at(0), kPerHost * kMaxConnectionsPerProbeCall)
        << "--per-host is applied per host:port (the probes' target()), not per host";
}

}  // namespace
