// SPDX-License-Identifier: Apache-2.0
// The tls probe against real servers: openssl s_server instances on 127.0.0.1 with certificates
// the test makes, a silent listener, a closed port, STARTTLS front ends and a fake TLS 1.2 server.
#include "lisa/probes/tls_probe.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <sys/stat.h>
#include <map>
#include <memory>
#include <mutex>

#include "process.hpp"
#include "test_pki.hpp"
#include "test_servers.hpp"
#include "probe_targets.hpp"

namespace lisa {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using testing_support::CertSpec;
using testing_support::ScriptedServer;
using testing_support::SServer;

Date today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return Date::from_ymd(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                          static_cast<unsigned>(tm.tm_mday));
}

std::string u16(std::uint16_t value) {
    return {static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
}

/// A fake TLS 1.2 server: picks RC4-SHA (0x0005) when offered, else ECDHE-RSA-AES128-GCM-SHA256
/// when offered (then hangs up), else sends a handshake_failure alert. No real TLS behind it.
void fake_rc4_server(int fd) {
    unsigned char header[5];
    if (!testing_support::read_exact(fd, header, sizeof header) || header[0] != 22) {
        return;
    }
    std::string body((header[3] << 8) | header[4], '\0');
    if (!testing_support::read_exact(fd, body.data(), body.size()) || body.size() < 45) {
        return;
    }
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(body[i]); };
    std::size_t offset = 4 + 2 + 32;
    offset += 1 + byte(offset);
    const std::size_t suites_size = (std::size_t{byte(offset)} << 8) | byte(offset + 1);
    bool rc4 = false;
    bool modern = false;
    for (std::size_t i = offset + 2; i + 1 < offset + 2 + suites_size && i + 1 < body.size();
         i += 2) {
        const unsigned suite = (unsigned{byte(i)} << 8) | byte(i + 1);
        rc4 = rc4 || suite == 0x0005;
        modern = modern || suite == 0xC02F;
    }
    if (!rc4 && !modern) {
        testing_support::write_all(fd, std::string("\x15\x03\x03\x00\x02\x02\x28", 7));
        return;
    }
    std::string hello = u16(0x0303) + std::string(32, '\x01') + std::string(1, '\0') +
                        u16(rc4 ? 0x0005 : 0xC02F) + std::string(1, '\0');
    std::string message = std::string(1, '\x02') + std::string(1, '\0') +
                          u16(static_cast<std::uint16_t>(hello.size())) + hello;
    testing_support::write_all(fd, std::string("\x16\x03\x03", 3) +
                                       u16(static_cast<std::uint16_t>(message.size())) + message);
}

/**
 * The servers of the suite: a CA, certificates, 14 s_server configurations and the fakes. Each is
 * started on first use and kept for the rest of the process, so the whole binary starts each once
 * and `ctest` (one process per test) starts only what a test needs. Thread-safe.
 */
class Servers {
public:
    Servers() = default;

    /// Port of the named s_server configuration, started on first use.
    int port(const std::string& name) {
        const std::lock_guard<std::mutex> lock(mutex_);
        return port_locked(name);
    }

    const std::string& ca_file() const { return pki_.ca_file(); }
    int silent_port() const { return silent_.port(); }
    int closed_port() const { return closed_port_; }

    /// LDAP StartTLS front end relaying to "modern".
    int ldap_front() {
        return scripted("ldap_front", [this] {
            const int modern = port_locked("modern");
            return [modern](int fd) {
                if (read_ldap_request(fd)) {
                    testing_support::write_all(fd, ldap_reply(0));
                    testing_support::relay_to(fd, modern);
                }
            };
        });
    }

    /// LDAP server answering StartTLS with protocolError (2).
    int ldap_refusing() {
        return scripted("ldap_refusing", [] {
            return [](int fd) {
                if (read_ldap_request(fd)) {
                    testing_support::write_all(fd, ldap_reply(2));
                }
            };
        });
    }

    /// SMTP STARTTLS front end relaying to "modern".
    int smtp_front() {
        return scripted("smtp_front", [this] {
            const int modern = port_locked("modern");
            return [modern](int fd) {
                testing_support::write_all(fd, "220 mx.test ESMTP\r\n");
                if (testing_support::read_line(fd).rfind("EHLO", 0) != 0) {
                    return;
                }
                testing_support::write_all(fd, "250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
                if (testing_support::read_line(fd) != "STARTTLS") {
                    return;
                }
                testing_support::write_all(fd, "220 2.0.0 ready to start TLS\r\n");
                testing_support::relay_to(fd, modern);
            };
        });
    }

    /// The fake TLS 1.2 server that accepts RC4-SHA.
    int fake_rc4() {
        return scripted("fake_rc4", [] { return fake_rc4_server; });
    }

private:
    struct Config {
        std::string cert;  ///< key into certificate_specs()
        std::vector<std::string> args;
        std::string cert2 = {};       ///< served for -servername (s_server -cert2/-key2)
        std::string dcert = {};       ///< a second certificate of another key type (-dcert/-dkey)
        std::string cert_chain = {};  ///< intermediate sent after the leaf (-cert_chain)
    };

public:
    /// The IDNA A-label of e-tjänster.exempelkommun.se, which "idn_sni" serves cert2 for.
    static constexpr const char* kIdnALabel = "xn--e-tjnster-y2a.exempelkommun.se";
    static constexpr const char* kIssuingCa = "Lisa Test Issuing CA";
    static constexpr const char* kShortIssuingCa = "Lisa Short-lived Issuing CA";

    /// A ca_file holding the root and the issuing CA (as municipalities often bundle them).
    std::string root_and_intermediate_file() {
        const std::lock_guard<std::mutex> lock(mutex_);
        const std::string path = dir_.file("root-and-intermediate.pem");
        testing_support::write_file(path, pki_.ca_pem() + intermediate_locked(kIssuingCa).cert_pem);
        return path;
    }

    /// A ca_file holding only the issuing CA (no root).
    std::string intermediate_only_file() {
        const std::lock_guard<std::mutex> lock(mutex_);
        return intermediate_locked(kIssuingCa).cert_file;
    }

private:
    const testing_support::Issued& intermediate_locked(const std::string& name) {
        auto it = intermediates_.find(name);
        if (it == intermediates_.end()) {
            // The short-lived issuing CA expires in 20 days, long before its leaves.
            it = intermediates_
                     .emplace(name, name == kShortIssuingCa ? pki_.issue_intermediate(name, -30, 20)
                                                            : pki_.issue_intermediate(name))
                     .first;
        }
        return it->second;
    }

    const testing_support::Issued& cert_locked(const std::string& name) {
        auto cert = certs_.find(name);
        if (cert == certs_.end()) {
            const CertSpec spec = certificate_specs().at(name);
            if (!spec.issuer.empty()) {
                (void)intermediate_locked(spec.issuer);
            }
            cert = certs_.emplace(name, pki_.issue(name, spec)).first;
        }
        return cert->second;
    }

    static std::map<std::string, CertSpec> certificate_specs() {
        CertSpec expired;
        expired.not_before_days = -60;
        expired.not_after_days = -3;
        CertSpec self;
        self.self_signed = true;
        CertSpec wrong_name;
        wrong_name.common_name = "other.example";
        wrong_name.dns_names = {"other.example"};
        wrong_name.ips = {};
        CertSpec weak_key;
        weak_key.key = CertSpec::Key::Rsa1024;
        CertSpec sha1;
        sha1.sha1 = true;
        CertSpec soon;
        soon.not_after_days = 10;
        CertSpec ec;
        ec.key = CertSpec::Key::EcP256;
        CertSpec ec_expired = ec;
        ec_expired.not_before_days = -60;
        ec_expired.not_after_days = -3;
        CertSpec ec_wrong_name = ec;
        ec_wrong_name.common_name = "other.example";
        ec_wrong_name.dns_names = {"other.example"};
        ec_wrong_name.ips = {};
        CertSpec idn;
        idn.common_name = kIdnALabel;
        idn.dns_names = {kIdnALabel};
        idn.ips = {};
        CertSpec issued_by_intermediate;
        issued_by_intermediate.issuer = kIssuingCa;
        CertSpec issued_by_short;
        issued_by_short.issuer = kShortIssuingCa;
        return {{"valid", CertSpec{}},
                {"expired", expired},
                {"self", self},
                {"wrong_name", wrong_name},
                {"weak_key", weak_key},
                {"sha1", sha1},
                {"soon", soon},
                {"ec", ec},
                {"ec_expired", ec_expired},
                {"ec_wrong_name", ec_wrong_name},
                {"idn", idn},
                {"by_intermediate", issued_by_intermediate},
                {"by_short_intermediate", issued_by_short}};
    }

    std::map<std::string, Config> configs() const {
        const std::string ca = pki_.ca_file();
        const std::vector<std::string> legacy_ok = {"-cipher", "DEFAULT:@SECLEVEL=0"};
        return {
            {"modern", {"valid", {"-min_protocol", "TLSv1.2"}}},
            {"legacy", {"valid", {"-min_protocol", "TLSv1", "-cipher", "ALL:eNULL:@SECLEVEL=0"}}},
            {"tls13", {"valid", {"-tls1_3"}}},
            {"req13", {"valid", {"-Verify", "1", "-CAfile", ca}}},
            {"req12", {"valid", {"-Verify", "1", "-CAfile", ca, "-no_tls1_3"}}},
            {"opt13", {"valid", {"-verify", "1", "-CAfile", ca}}},
            {"opt12", {"valid", {"-verify", "1", "-CAfile", ca, "-no_tls1_3"}}},
            {"expired", {"expired", {}}},
            {"self", {"self", {}}},
            {"wrong_name", {"wrong_name", {}}},
            {"weak_key", {"weak_key", legacy_ok}},
            {"sha1", {"sha1", legacy_ok}},
            {"soon", {"soon", {}}},
            {"ec", {"ec", {}}},
            // Issue 11 B: the A-label selects cert2, anything else gets the default certificate.
            {"idn_sni", {"valid", {"-servername", kIdnALabel}, "idn", "", ""}},
            // Issue 11 A: a leaf from an issuing CA, sent alone or with its intermediate.
            {"leaf_only", {"by_intermediate", {}, "", "", ""}},
            {"full_chain", {"by_intermediate", {}, "", "", kIssuingCa}},
            {"short_intermediate", {"by_short_intermediate", {}, "", "", kShortIssuingCa}},
            // Issue 11 A: an RSA and an ECDSA certificate side by side.
            {"dual_ec_expired", {"valid", {}, "", "ec_expired", ""}},
            {"dual_rsa_expired", {"expired", {}, "", "ec", ""}},
            {"dual_valid", {"valid", {}, "", "ec", ""}},
            {"dual_ec_wrong_name", {"valid", {}, "", "ec_wrong_name", ""}},
            // Issue 15 (an attacker's find): servers that speak only an old protocol. Debian's
            // OpenSSL needs security level 0 for TLS 1.0/1.1 on both sides.
            {"tls10_only", {"valid", {"-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"}}},
            {"tls11_only", {"valid", {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"}}},
        };
    }

    int port_locked(const std::string& name) {
        if (const auto it = servers_.find(name); it != servers_.end()) {
            return it->second->port();
        }
        const Config config = configs().at(name);
        const testing_support::Issued cert = cert_locked(config.cert);
        std::vector<std::string> args = config.args;
        if (!config.cert2.empty()) {
            const testing_support::Issued& second = cert_locked(config.cert2);
            args.insert(args.end(), {"-cert2", second.cert_file, "-key2", second.key_file});
        }
        if (!config.dcert.empty()) {
            const testing_support::Issued& second = cert_locked(config.dcert);
            args.insert(args.end(), {"-dcert", second.cert_file, "-dkey", second.key_file});
        }
        if (!config.cert_chain.empty()) {
            args.insert(args.end(), {"-cert_chain", intermediate_locked(config.cert_chain).cert_file});
        }
        auto server = std::make_unique<SServer>(cert.cert_file, cert.key_file, args,
                                                dir_.file(name + ".log"));
        const int started = server->port();
        servers_.emplace(name, std::move(server));
        return started;
    }

    template <typename MakeHandler>
    int scripted(const std::string& name, MakeHandler make_handler) {
        const std::lock_guard<std::mutex> lock(mutex_);
        auto it = scripted_.find(name);
        if (it == scripted_.end()) {
            it = scripted_.emplace(name, std::make_unique<ScriptedServer>(make_handler())).first;
        }
        return it->second->port();
    }

    static bool read_ldap_request(int fd) {
        unsigned char head[2];
        std::string body(64, '\0');
        return testing_support::read_exact(fd, head, 2) && head[0] == 0x30 && head[1] <= 64 &&
               testing_support::read_exact(fd, body.data(), head[1]);
    }

    /// An LDAP ExtendedResponse with the given resultCode.
    static std::string ldap_reply(int code) {
        std::string reply("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14);
        reply[9] = static_cast<char>(code);
        return reply;
    }

    std::mutex mutex_;
    testing_support::TempDir dir_;
    testing_support::TestPki pki_{dir_.path()};
    std::map<std::string, testing_support::Issued> certs_;
    std::map<std::string, testing_support::Issued> intermediates_;
    testing_support::SilentListener silent_;
    int closed_port_ = testing_support::free_port();
    std::map<std::string, std::unique_ptr<SServer>> servers_;
    // Declared last: stopped first, while the s_servers they relay to still run.
    std::map<std::string, std::unique_ptr<ScriptedServer>> scripted_;
};

/// The servers are shared by both suites below and stopped once, after the last test.
Servers* shared_servers = nullptr;

class ServersEnvironment : public ::testing::Environment {
public:
    void TearDown() override {
        delete shared_servers;
        shared_servers = nullptr;
    }
};

[[maybe_unused]] ::testing::Environment* const kServersEnvironment =
    ::testing::AddGlobalTestEnvironment(new ServersEnvironment);

class TlsProbeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (shared_servers == nullptr) {
            shared_servers = new Servers();
        }
        servers_ = shared_servers;
    }

    static TlsTarget target(int port, bool with_ca = true) {
        TlsTarget t;
        t.host = "127.0.0.1";
        t.port = port;
        if (with_ca) {
            t.ca_file = servers_->ca_file();
        }
        return t;
    }

    static ProbeContext context(std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
        ProbeContext c;
        c.as_of = today();
        c.timeout = timeout;
        return c;
    }

    static Facts collect(const std::string& server) {
        return collect_tls_facts(target(servers_->port(server)), context());
    }

    static Value value(const Facts& facts, const std::string& name) {
        const auto it = facts.find(name);
        return it == facts.end() ? Value{} : it->second.value;
    }

    static Servers* servers_;
};

Servers* TlsProbeTest::servers_ = nullptr;

TEST_F(TlsProbeTest, ModernServerAcceptsOnlyTls12And13) {
    const Facts facts = collect("modern");
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_0"), Value(false));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_1"), Value(false));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_2"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(true));
    EXPECT_EQ(value(facts, "tls.negotiated.protocol"), Value("TLSv1.3"));
    EXPECT_THAT(*value(facts, "tls.negotiated.cipher").as_string(), HasSubstr("TLS_AES"));
    EXPECT_EQ(value(facts, "tls.cipher.weak_accepted"), Value(StringList{}));
    EXPECT_EQ(facts.count("tls.error"), 0U);
    const Fact& fact = facts.at("tls.reachable");
    EXPECT_EQ(fact.provenance, Provenance::Probed);
    EXPECT_EQ(fact.source, "tls 127.0.0.1:" + std::to_string(servers_->port("modern")));
}

TEST_F(TlsProbeTest, ValidCertificateFacts) {
    const Facts facts = collect("modern");
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.verify_error"), Value("ok"));
    EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.key_type"), Value("RSA"));
    EXPECT_EQ(value(facts, "tls.cert.key_bits"), Value(2048));
    EXPECT_EQ(value(facts, "tls.cert.signature_algorithm"), Value("sha256WithRSAEncryption"));
    EXPECT_EQ(value(facts, "tls.cert.self_signed"), Value(false));
    EXPECT_EQ(value(facts, "tls.cert.subject"), Value("CN=localhost"));
    EXPECT_EQ(value(facts, "tls.cert.issuer"), Value("CN=Lisa Test CA,O=Växjö kommun"));
    EXPECT_EQ(value(facts, "tls.cert.san"), Value(StringList{"localhost", "127.0.0.1"}));
    EXPECT_THAT(*value(facts, "tls.cert.days_remaining").as_int(), AllOf(Ge(364), Le(366)));
    EXPECT_NE(value(facts, "tls.cert.not_after").as_date(), nullptr);
    EXPECT_EQ(value(facts, "tls.client_cert.requested"), Value(false));
    EXPECT_EQ(value(facts, "tls.client_cert.required"), Value(false));
    EXPECT_EQ(value(facts, "tls.client_cert.ca_names"), Value(StringList{}));
}

TEST_F(TlsProbeTest, ChainIsInvalidAgainstTheSystemStore) {
    const Facts facts = collect_tls_facts(target(servers_->port("modern"), false), context());
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(false));
    EXPECT_EQ(value(facts, "tls.cert.verify_error"),
              Value("unable to get local issuer certificate"));
}

TEST_F(TlsProbeTest, ResolvesNamesAndMatchesTheSniName) {
    TlsTarget t = target(servers_->port("modern"));
    t.host = "localhost";  // may resolve to ::1 first, where nothing listens
    const Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(true));
}

TEST_F(TlsProbeTest, LegacyServerShowsTls10And11) {
    const Facts facts = collect("legacy");
    EXPECT_EQ(value(facts, "tls.protocol.tls1_0"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_1"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_2"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(true));
    EXPECT_EQ(value(facts, "tls.negotiated.protocol"), Value("TLSv1.3"));
}

TEST_F(TlsProbeTest, LegacyServerShowsNullAndAnonymousCiphers) {
    const Facts facts = collect("legacy");
    EXPECT_EQ(value(facts, "tls.cipher.weak_accepted"), Value(StringList{"null", "anon"}));
}

TEST_F(TlsProbeTest, Tls13OnlyServer) {
    const Facts facts = collect("tls13");
    EXPECT_EQ(value(facts, "tls.protocol.tls1_0"), Value(false));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_1"), Value(false));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_2"), Value(false));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(true));
    EXPECT_EQ(value(facts, "tls.cipher.weak_accepted"), Value(StringList{}));
}

TEST_F(TlsProbeTest, ClientCertificateRequiredInTls13) {
    const Facts facts = collect("req13");
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.requested"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.required"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.ca_names"),
              Value(StringList{"CN=Lisa Test CA,O=Växjö kommun"}));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
}

TEST_F(TlsProbeTest, ClientCertificateRequiredInTls12) {
    const Facts facts = collect("req12");
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_2"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(false));
    EXPECT_EQ(value(facts, "tls.client_cert.requested"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.required"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.ca_names"),
              Value(StringList{"CN=Lisa Test CA,O=Växjö kommun"}));
    EXPECT_EQ(value(facts, "tls.negotiated.protocol"), Value("TLSv1.2"));
    EXPECT_EQ(value(facts, "tls.cert.key_bits"), Value(2048));
}

// On an LDAP endpoint lisa asks the server something ("Who am I?", RFC 4532) right after a
// TLS 1.3 handshake with an empty certificate, so a DC that sends no session ticket answers at
// once. The ping must not change the verdict: a server that insists on a certificate still
// refuses (its alert comes before any answer), and one that only asks still accepts.
TEST_F(TlsProbeTest, ClientCertificateVerdictOnAnLdapEndpointInTls13IsTheSame) {
    for (const auto& [server, required] : {std::pair<const char*, bool>{"req13", true}, {"opt13", false}}) {
        SCOPED_TRACE(server);
        TlsTarget t = target(servers_->port(server));
        t.ldap = true;
        const Facts facts = collect_tls_facts(t, context());
        EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
        EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(true));
        EXPECT_EQ(value(facts, "tls.client_cert.requested"), Value(true));
        EXPECT_EQ(value(facts, "tls.client_cert.required"), Value(required));
        EXPECT_THAT(*value(facts, "tls.client_cert.ca_names").as_list(), Contains("CN=Lisa Test CA,O=Växjö kommun"));
    }
}

TEST_F(TlsProbeTest, ClientCertificateOptionalInTls13) {
    const Facts facts = collect("opt13");
    EXPECT_EQ(value(facts, "tls.client_cert.requested"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.required"), Value(false));
    EXPECT_THAT(*value(facts, "tls.client_cert.ca_names").as_list(),
                Contains("CN=Lisa Test CA,O=Växjö kommun"));
}

TEST_F(TlsProbeTest, ClientCertificateOptionalInTls12) {
    const Facts facts = collect("opt12");
    EXPECT_EQ(value(facts, "tls.client_cert.requested"), Value(true));
    EXPECT_EQ(value(facts, "tls.client_cert.required"), Value(false));
    EXPECT_EQ(value(facts, "tls.negotiated.protocol"), Value("TLSv1.2"));
}

TEST_F(TlsProbeTest, ExpiredCertificate) {
    const Facts facts = collect("expired");
    EXPECT_THAT(*value(facts, "tls.cert.days_remaining").as_int(), AllOf(Ge(-4), Le(-2)));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(false));
    EXPECT_EQ(value(facts, "tls.cert.verify_error"), Value("certificate has expired"));
}

TEST_F(TlsProbeTest, CertificateExpiringSoon) {
    const Facts facts = collect("soon");
    EXPECT_THAT(*value(facts, "tls.cert.days_remaining").as_int(), AllOf(Ge(9), Le(11)));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
}

TEST_F(TlsProbeTest, SelfSignedCertificate) {
    const Facts facts = collect("self");
    EXPECT_EQ(value(facts, "tls.cert.self_signed"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(false));
    EXPECT_THAT(*value(facts, "tls.cert.verify_error").as_string(), HasSubstr("self-signed"));
}

TEST_F(TlsProbeTest, WrongNameUnlessTheSniNameMatches) {
    Facts facts = collect("wrong_name");
    EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(false));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
    // Issue 15 (an attacker's find): which certificate, as the server sent it, so IT knows which
    // one to replace — TLS-006's message and evidence show this fact.
    EXPECT_EQ(value(facts, "tls.cert.hostname_mismatch"),
              Value(StringList{"RSA certificate CN=other.example, SAN other.example"}));

    TlsTarget t = target(servers_->port("wrong_name"));
    t.sni = "other.example";
    facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(true));
    EXPECT_EQ(facts.count("tls.cert.hostname_mismatch"), 0U);
}

// Issue 11 B: e-tjänster.<kommun>.se used to go out as raw UTF-8 SNI, got the default
// certificate and two false high findings (chain for the wrong name, hostname mismatch).
TEST_F(TlsProbeTest, SwedishSniNameIsSentAndMatchedAsItsALabel) {
    TlsTarget t = target(servers_->port("idn_sni"));
    for (const char* name : {"e-tjänster.exempelkommun.se", "E-TJÄNSTER.Exempelkommun.SE",
                             "e-tja\xCC\x88nster.exempelkommun.se", Servers::kIdnALabel}) {
        t.sni = name;
        const Facts facts = collect_tls_facts(t, context());
        EXPECT_EQ(value(facts, "tls.cert.subject"), Value(std::string("CN=") + Servers::kIdnALabel))
            << name;
        EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(true)) << name;
        EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true)) << name;
    }
    // Without the umlaut it is another name: the default certificate, which does not match.
    t.sni = "e-tjanster.exempelkommun.se";
    const Facts other = collect_tls_facts(t, context());
    EXPECT_EQ(value(other, "tls.cert.subject"), Value("CN=localhost"));
    EXPECT_EQ(value(other, "tls.cert.hostname_match"), Value(false));
}

TEST_F(TlsProbeTest, InvalidInternationalNameIsAnErrorNotAGuess) {
    TlsTarget t = target(servers_->port("idn_sni"));
    t.sni = "e-tjänster☠.exempelkommun.se";
    const Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(facts.count("tls.reachable"), 0U);
    EXPECT_EQ(facts.count("tls.cert.hostname_match"), 0U);
    EXPECT_THAT(*value(facts, "tls.error").as_string(),
                HasSubstr("sni: invalid internationalised host name"));
    t.sni.clear();
    t.host = "växjö☠.se";
    EXPECT_THAT(*value(collect_tls_facts(t, context()), "tls.error").as_string(),
                HasSubstr("host: invalid internationalised host name"));
}

// Issue 11 A, the example: a server that sends only its leaf, while ca_file bundles root and
// intermediate, was reported chain_valid. Every client that trusts only the root fails on it.
TEST_F(TlsProbeTest, LeafOnlyServerIsIncompleteEvenWhenCaFileHoldsTheIntermediate) {
    TlsTarget t = target(servers_->port("leaf_only"));
    t.ca_file = servers_->root_and_intermediate_file();
    Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(false));
    EXPECT_EQ(value(facts, "tls.chain.complete"), Value(false));
    EXPECT_THAT(*value(facts, "tls.cert.verify_error").as_string(),
                AllOf(HasSubstr("unable to get local issuer certificate"),
                      HasSubstr("does not send the intermediate")));

    // Root only in ca_file: the same verdict, without the hint.
    facts = collect_tls_facts(target(servers_->port("leaf_only")), context());
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(false));
    EXPECT_EQ(value(facts, "tls.chain.complete"), Value(false));
    EXPECT_EQ(value(facts, "tls.cert.verify_error"),
              Value("unable to get local issuer certificate"));

    // A municipality that pins its issuing CA says so: then the intermediate is an anchor.
    t.trust_intermediates = true;
    facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
    EXPECT_EQ(value(facts, "tls.chain.complete"), Value(true));
}

TEST_F(TlsProbeTest, ServerSendingItsIntermediateIsCompleteAndValid) {
    for (const std::string& ca_file :
         {servers_->ca_file(), servers_->root_and_intermediate_file()}) {
        TlsTarget t = target(servers_->port("full_chain"));
        t.ca_file = ca_file;
        const Facts facts = collect_tls_facts(t, context());
        EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true)) << ca_file;
        EXPECT_EQ(value(facts, "tls.chain.complete"), Value(true)) << ca_file;
        EXPECT_EQ(value(facts, "tls.cert.verify_error"), Value("ok"));
    }
}

TEST_F(TlsProbeTest, CaFileWithoutARootTrustsNothingUnlessTrustIntermediatesIsSet) {
    TlsTarget t = target(servers_->port("full_chain"));
    t.ca_file = servers_->intermediate_only_file();
    // No anchor to judge against: the chain is not judged (the probe's error says why; see
    // AnUnusableCaFileIsTheProbesErrorNeverAFailedChain), never a failed chain.
    Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(facts.count("tls.cert.chain_valid"), 0U);
    EXPECT_EQ(facts.count("tls.chain.complete"), 0U);
    t.trust_intermediates = true;
    facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
    EXPECT_EQ(value(facts, "tls.chain.complete"), Value(true));
}

// Issue 11 A: an issuing CA that expires before the leaf must be seen by the expiry rule.
TEST_F(TlsProbeTest, AnIssuingCaThatExpiresFirstIsTheChainsFirstExpiry) {
    const Facts facts = collect("short_intermediate");
    EXPECT_THAT(*value(facts, "tls.cert.days_remaining").as_int(), AllOf(Ge(364), Le(366)));
    EXPECT_THAT(*value(facts, "tls.chain.min_days_remaining").as_int(), AllOf(Ge(19), Le(21)));
    EXPECT_EQ(value(facts, "tls.chain.first_expiring_subject"),
              Value(std::string("CN=") + Servers::kShortIssuingCa + ",O=Växjö kommun"));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
    EXPECT_EQ(value(facts, "tls.chain.weakest_key_type"), Value("RSA"));
    EXPECT_EQ(value(facts, "tls.chain.weakest_key_bits"), Value(2048));

    // As of a month from now the leaf still has 11 months, but the chain has expired.
    ProbeContext later = context();
    later.as_of = Date{today().days + 30};
    const Facts then = collect_tls_facts(target(servers_->port("short_intermediate")), later);
    EXPECT_THAT(*value(then, "tls.cert.days_remaining").as_int(), Ge(330));
    EXPECT_THAT(*value(then, "tls.chain.min_days_remaining").as_int(), Le(-9));
    EXPECT_EQ(value(then, "tls.cert.chain_valid"), Value(false));
    EXPECT_EQ(value(then, "tls.cert.verify_error"), Value("certificate has expired"));
}

// Issue 11 A: a server holding an RSA and an ECDSA certificate shows both (one handshake per
// key type); an expired one beside a valid one is seen whichever a default client gets.
TEST_F(TlsProbeTest, EveryCertificateTheServerHoldsIsJudged) {
    for (const char* server : {"dual_ec_expired", "dual_rsa_expired"}) {
        const Facts facts = collect(server);
        const std::string expired_type = std::string(server) == "dual_ec_expired" ? "EC" : "RSA";
        EXPECT_EQ(value(facts, "tls.certs.key_types"), Value(StringList{"EC", "RSA"})) << server;
        EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(false)) << server;
        EXPECT_EQ(value(facts, "tls.cert.verify_error"),
                  Value("certificate has expired (" + expired_type + " certificate)"))
            << server;
        EXPECT_THAT(*value(facts, "tls.chain.min_days_remaining").as_int(), AllOf(Ge(-4), Le(-2)))
            << server;
        EXPECT_EQ(value(facts, "tls.chain.complete"), Value(true)) << server;
    }
    const Facts both_valid = collect("dual_valid");
    EXPECT_EQ(value(both_valid, "tls.certs.key_types"), Value(StringList{"EC", "RSA"}));
    EXPECT_EQ(value(both_valid, "tls.cert.chain_valid"), Value(true));
    EXPECT_THAT(*value(both_valid, "tls.chain.min_days_remaining").as_int(), Ge(364));
    // RSA 2048 (112-bit strength) is weaker than P-256 (128).
    EXPECT_EQ(value(both_valid, "tls.chain.weakest_key_type"), Value("RSA"));
    EXPECT_EQ(value(both_valid, "tls.chain.weakest_key_bits"), Value(2048));

    EXPECT_EQ(value(both_valid, "tls.cert.hostname_match"), Value(true));

    // An ECDSA certificate for another name beside the right RSA one: clients that get it fail.
    const Facts wrong_name = collect("dual_ec_wrong_name");
    EXPECT_EQ(value(wrong_name, "tls.certs.key_types"), Value(StringList{"EC", "RSA"}));
    EXPECT_EQ(value(wrong_name, "tls.cert.hostname_match"), Value(false));
    // Issue 15: the one for another name is named — the ECDSA one, not the RSA one a default
    // client gets.
    EXPECT_EQ(value(wrong_name, "tls.cert.hostname_mismatch"),
              Value(StringList{"EC certificate CN=other.example, SAN other.example"}));
    EXPECT_EQ(both_valid.count("tls.cert.hostname_mismatch"), 0U);

    const Facts single = collect("modern");
    EXPECT_EQ(value(single, "tls.certs.key_types"), Value(StringList{"RSA"}));
}

TEST_F(TlsProbeTest, SmallRsaKey) {
    const Facts facts = collect("weak_key");
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.key_type"), Value("RSA"));
    EXPECT_EQ(value(facts, "tls.cert.key_bits"), Value(1024));
}

TEST_F(TlsProbeTest, Sha1Signature) {
    const Facts facts = collect("sha1");
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.signature_algorithm"), Value("sha1WithRSAEncryption"));
}

TEST_F(TlsProbeTest, EcKey) {
    const Facts facts = collect("ec");
    EXPECT_EQ(value(facts, "tls.cert.key_type"), Value("EC"));
    EXPECT_EQ(value(facts, "tls.cert.key_bits"), Value(256));
}

TEST_F(TlsProbeTest, SilentPortTimesOutWithinTheTimeout) {
    const auto started = std::chrono::steady_clock::now();
    const Facts facts =
        collect_tls_facts(target(servers_->silent_port()), context(std::chrono::milliseconds(300)));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(value(facts, "tls.reachable"), Value(false));
    EXPECT_THAT(*value(facts, "tls.error").as_string(), HasSubstr("timeout"));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500));  // one timeout, not one per handshake
}

TEST_F(TlsProbeTest, ClosedPortIsRefused) {
    const Facts facts = collect_tls_facts(target(servers_->closed_port()), context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(false));
    EXPECT_EQ(value(facts, "tls.error"), Value("connection refused"));
    EXPECT_EQ(facts.size(), 2U);
}

TEST_F(TlsProbeTest, UnresolvableHost) {
    TlsTarget t = target(443);
    t.host = "no-such-host.invalid";
    const Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(false));
    EXPECT_THAT(*value(facts, "tls.error").as_string(), HasSubstr("cannot resolve"));
}

TEST_F(TlsProbeTest, LdapStartTls) {
    TlsTarget t = target(servers_->ldap_front());
    t.starttls = StartTls::Ldap;
    const Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_1"), Value(false));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_2"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
    EXPECT_EQ(value(facts, "tls.cipher.weak_accepted"), Value(StringList{}));
}

TEST_F(TlsProbeTest, LdapStartTlsRefused) {
    TlsTarget t = target(servers_->ldap_refusing());
    t.starttls = StartTls::Ldap;
    const Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(false));
    EXPECT_EQ(value(facts, "tls.error"), Value("ldap starttls refused: result code 2"));
}

TEST_F(TlsProbeTest, SmtpStartTls) {
    TlsTarget t = target(servers_->smtp_front());
    t.starttls = StartTls::Smtp;
    const Facts facts = collect_tls_facts(t, context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(true));
}

TEST_F(TlsProbeTest, StartTlsAgainstAPlainTlsServerFails) {
    TlsTarget t = target(servers_->port("modern"));
    t.starttls = StartTls::Smtp;
    const Facts facts = collect_tls_facts(t, context(std::chrono::milliseconds(500)));
    EXPECT_EQ(value(facts, "tls.reachable"), Value(false));
    EXPECT_THAT(*value(facts, "tls.error").as_string(), HasSubstr("starttls timeout"));
}

TEST_F(TlsProbeTest, DetectsSuitesOpenSslNoLongerOffersWithARawHello) {
    const Facts facts = collect_tls_facts(target(servers_->fake_rc4()), context());
    EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
    EXPECT_EQ(value(facts, "tls.cipher.weak_accepted"), Value(StringList{"rc4"}));
}

TEST_F(TlsProbeTest, ConcurrentCallsGiveTheSameFacts) {
    const std::vector<std::string> names = {"modern", "legacy", "req13", "tls13", "ec", "self"};
    std::map<std::string, std::future<Facts>> running;
    for (const auto& name : names) {
        running[name] = std::async(std::launch::async, [name] { return collect(name); });
    }
    for (const auto& name : names) {
        Facts concurrent = running[name].get();
        Facts sequential = collect(name);
        ASSERT_EQ(concurrent.size(), sequential.size()) << name;
        for (const auto& [fact_name, fact] : sequential) {
            EXPECT_EQ(concurrent.at(fact_name).value, fact.value) << name << " " << fact_name;
        }
    }
}

// ---------------------------------------------------------------- the Probe interface

Fact declared(Value v) { return Fact{std::move(v), Provenance::Declared, "inventory.yaml"}; }

class TlsProbeInterfaceTest : public TlsProbeTest {
protected:
    struct Call {
        Subject subject;
        Facts visible;
        std::vector<Subject> subjects;
        ProbeContext ctx;

        std::vector<SubjectTarget> targets;

        ProbeRequest request() {
            subject.facts = visible;
            subjects = {subject};
            targets = testing_support::targets_of(subjects);
            return ProbeRequest{subjects[0], 0, subjects, targets, ctx};
        }
    };

    static Call endpoint(const std::string& scheme, int port, bool starttls = false) {
        Call call;
        call.subject.kind = SubjectKind::Endpoint;
        call.subject.id = "sys/ep";
        call.visible = {
            {"endpoint.url", declared(scheme + "://127.0.0.1:" + std::to_string(port))},
            {"endpoint.scheme", declared(scheme)},
            {"endpoint.host", declared("127.0.0.1")},
            {"endpoint.port", declared(std::int64_t{port})},
            {"endpoint.exposure", declared("external")},
            {"endpoint.ca_file", declared(servers_->ca_file())},
            {"system.classification.confidentiality", declared(std::int64_t{3})},
        };
        if (starttls) {
            call.visible["endpoint.starttls"] = declared(true);
        }
        call.subjects = {call.subject};
        call.ctx = context();
        return call;
    }
};

TEST_F(TlsProbeInterfaceTest, PublishesItsFacts) {
    const auto probe = make_tls_probe();
    const ProbeSpec& spec = probe->spec();
    EXPECT_EQ(spec.kind, "tls");
    EXPECT_EQ(spec.subjects, std::vector<SubjectKind>{SubjectKind::Endpoint});
    std::map<std::string, ValueType> types;
    for (const auto& fact : spec.facts) {
        types[fact.name] = fact.type;
    }
    EXPECT_EQ(types.at("tls.cipher.weak_accepted"), ValueType::List);
    EXPECT_EQ(types.at("tls.cert.not_after"), ValueType::Date);
    EXPECT_EQ(types.at("tls.cert.days_remaining"), ValueType::Integer);
    // Every fact a real scan produces is published, with the published type.
    for (const auto& [name, fact] : collect("req13")) {
        ASSERT_EQ(types.count(name), 1U) << name;
        EXPECT_EQ(types.at(name), fact.value.type()) << name;
    }
}

TEST_F(TlsProbeInterfaceTest, AppliesToTlsUrlsAndStartTls) {
    const auto probe = make_tls_probe();
    for (const char* scheme : {"https", "ldaps", "tls", "smtps"}) {
        Call call = endpoint(scheme, 1);
        EXPECT_TRUE(probe->applies_to(call.request())) << scheme;
    }
    Call plain_ldap = endpoint("ldap", 389);
    EXPECT_FALSE(probe->applies_to(plain_ldap.request()));
    Call starttls_ldap = endpoint("ldap", 389, true);
    EXPECT_TRUE(probe->applies_to(starttls_ldap.request()));
    Call http = endpoint("http", 80);
    EXPECT_FALSE(probe->applies_to(http.request()));
    EXPECT_EQ(probe->target(http.request()), "127.0.0.1:80");
}

TEST_F(TlsProbeInterfaceTest, CollectsThroughTheProbeInterface) {
    const auto probe = make_tls_probe();
    Call call = endpoint("https", servers_->port("legacy"));
    const auto output = probe->collect(call.request());
    ASSERT_TRUE(output.has_value()) << output.error().message;
    EXPECT_EQ(output.value().error, "");
    EXPECT_EQ(value(output.value().facts, "tls.protocol.tls1_0"), Value(true));
    EXPECT_EQ(value(output.value().facts, "tls.cert.chain_valid"), Value(true));
}

// Issue 15 (an attacker's find): a server that speaks only TLS 1.0 or only TLS 1.1 refuses the
// modern default client. That refusal is what lisa observed (TLS 1.0 offered is a finding, not a
// failed probe): the protocol facts stand, the modern client's outcome is "none", and the probe
// has no error — `lisa probe tls` exited 3 ("could not check") on such a server.
TEST_F(TlsProbeInterfaceTest, AServerSpeakingOnlyAnOldProtocolIsObservedNotAnError) {
    const auto probe = make_tls_probe();
    for (const auto& [server, tls10] : {std::pair<const char*, bool>{"tls10_only", true}, {"tls11_only", false}}) {
        SCOPED_TRACE(server);
        Call call = endpoint("https", servers_->port(server));
        const auto output = probe->collect(call.request());
        ASSERT_TRUE(output.has_value()) << output.error().message;
        EXPECT_EQ(output.value().error, "");
        const Facts& facts = output.value().facts;
        EXPECT_EQ(value(facts, "tls.reachable"), Value(true));
        EXPECT_EQ(value(facts, "tls.protocol.tls1_0"), Value(tls10));
        EXPECT_EQ(value(facts, "tls.protocol.tls1_1"), Value(!tls10));
        EXPECT_EQ(value(facts, "tls.protocol.tls1_2"), Value(false));
        EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(false));
        EXPECT_EQ(value(facts, "tls.negotiated.protocol"), Value("none"));
        EXPECT_EQ(value(facts, "tls.negotiated.cipher"), Value("none"));
        EXPECT_EQ(value(facts, "tls.cert.chain_valid"), Value(true));
        EXPECT_EQ(value(facts, "tls.cipher.weak_accepted"), Value(StringList{}));
    }
    // A port where nothing answers in TLS is still "could not check", never "none".
    const auto silent = probe->collect(endpoint("https", servers_->closed_port()).request());
    ASSERT_TRUE(silent.has_value());
    EXPECT_NE(silent.value().error, "");
    EXPECT_EQ(value(silent.value().facts, "tls.negotiated.protocol"), Value{});
}

// Issue 11 (fix11, item 1): a ca_file lisa cannot use — missing, a FIFO, a directory, text that
// holds no certificate, intermediates without a root — against a server that sends its full chain:
// the probe's error names the file ("could not check"), and no chain fact is produced, so
// TLS-005/TLS-012 end in `error`, never in a false fail.
TEST_F(TlsProbeInterfaceTest, AnUnusableCaFileIsTheProbesErrorNeverAFailedChain) {
    testing_support::TempDir dir;
    const std::string fifo = dir.file("ca.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string garbage = dir.file("garbage.pem");
    {
        std::ofstream out(garbage);
        out << "this is not a certificate\n-----BEGIN CERTIFICATE-----\nnope\n";
    }
    const std::vector<std::pair<std::string, std::string>> cases = {
        {dir.file("missing.pem"), "no such file"},
        {fifo, "not a regular file"},
        {dir.path(), "not a regular file"},
        {garbage, "no PEM certificate"},
        {servers_->intermediate_only_file(), "no self-signed (root) certificate"},
    };
    const auto probe = make_tls_probe();
    for (const auto& [ca_file, reason] : cases) {
        Call call = endpoint("https", servers_->port("full_chain"));
        call.visible["endpoint.ca_file"] = declared(ca_file);
        const auto started = std::chrono::steady_clock::now();
        const auto output = probe->collect(call.request());
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20)) << ca_file;
        ASSERT_TRUE(output.has_value()) << ca_file;
        EXPECT_THAT(output.value().error,
                    AllOf(HasSubstr("could not check the certificate chain"), HasSubstr(ca_file),
                          HasSubstr(reason)))
            << ca_file;
        const Facts& facts = output.value().facts;
        EXPECT_EQ(facts.count("tls.cert.chain_valid"), 0U) << ca_file;
        EXPECT_EQ(facts.count("tls.chain.complete"), 0U) << ca_file;
        EXPECT_EQ(facts.count("tls.cert.verify_error"), 0U) << ca_file;
        EXPECT_EQ(value(facts, "tls.protocol.tls1_3"), Value(true)) << ca_file;  // the rest is seen
    }
}

TEST_F(TlsProbeInterfaceTest, ReportsUnreachableAsAnOutputError) {
    const auto probe = make_tls_probe();
    Call call = endpoint("https", servers_->closed_port());
    const auto output = probe->collect(call.request());
    ASSERT_TRUE(output.has_value());
    EXPECT_EQ(output.value().error, "connection refused");
    EXPECT_EQ(value(output.value().facts, "tls.reachable"), Value(false));
}

TEST_F(TlsProbeInterfaceTest, LdapStartTlsThroughTheProbeInterface) {
    const auto probe = make_tls_probe();
    Call call = endpoint("ldap", servers_->ldap_front(), true);
    const auto output = probe->collect(call.request());
    ASSERT_TRUE(output.has_value());
    EXPECT_EQ(value(output.value().facts, "tls.reachable"), Value(true));
}

}  // namespace
}  // namespace lisa
