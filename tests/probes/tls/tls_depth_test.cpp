// SPDX-License-Identifier: Apache-2.0
// --tls-depth full (issue 15): each depth fact against a real server configured to have it and one
// configured not to — openssl s_server with each option, gnutls-serv for what OpenSSL cannot drop
// (secure renegotiation), an `openssl ocsp` responder for revocation — and, where neither can speak
// the old protocol any more (SSL 2.0/3.0, compression, ignoring TLS_FALLBACK_SCSV), a scripted
// wire-level peer that answers the probe's ClientHello as such a server does ("wire-level only").
#include <sys/socket.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lisa/probes/tls_probe.hpp"
#include "process.hpp"
#include "tls_connection.hpp"
#include "tls_scan.hpp"
#include "test_servers.hpp"

namespace lisa {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using testing_support::ChildProcess;
using testing_support::run_command;
using testing_support::ScriptedServer;
using testing_support::SServer;
using testing_support::TempDir;

Date today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return Date::from_ymd(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                          static_cast<unsigned>(tm.tm_mday));
}

std::string u16(unsigned value) {
    return {static_cast<char>((value >> 8U) & 0xFFU), static_cast<char>(value & 0xFFU)};
}

/// How the wire-level peer behaves.
struct PeerSpec {
    bool ssl2 = false;                  ///< answer an SSL 2.0 CLIENT-HELLO with a SERVER-HELLO
    unsigned min_version = 0x0301;      ///< 0x0300 = speaks SSL 3.0
    unsigned max_version = 0x0303;
    bool compress = false;              ///< choose DEFLATE when offered
    bool honour_fallback_scsv = false;  ///< refuse a downgraded hello (alert 86)
    bool secure_renegotiation = true;   ///< answer the SCSV with renegotiation_info
};

/**
 * A scripted TLS ≤ 1.2 server front: reads one ClientHello (or SSL 2.0 CLIENT-HELLO) and answers
 * with the ServerHello (or alert) a server with `spec` sends, then hangs up. It accepts
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F) and TLS_RSA_WITH_AES_128_CBC_SHA (0x002F).
 */
void wire_peer(int fd, const PeerSpec& spec) {
    unsigned char header[5];
    if (!testing_support::read_exact(fd, header, 2)) {
        return;
    }
    if ((header[0] & 0x80U) != 0) {  // SSL 2.0 record
        if (!spec.ssl2) {
            return;  // hang up, as TLS-only servers do
        }
        // SERVER-HELLO: no session hit, X.509, version 2, a 1-byte "certificate", one cipher kind
        // (SSL_CK_DES_192_EDE3_CBC_WITH_MD5), a 16-byte connection id.
        std::string message = std::string("\x04\x00\x01", 3) + u16(0x0002) + u16(1) + u16(3) +
                              u16(16) + std::string(1, '\x30') + std::string("\x07\x00\xC0", 3) +
                              std::string(16, '\x11');
        testing_support::write_all(fd, u16(0x8000U | static_cast<unsigned>(message.size())) + message);
        return;
    }
    if (header[0] != 22 || !testing_support::read_exact(fd, header + 2, 3)) {
        return;
    }
    std::string body((header[3] << 8) | header[4], '\0');
    if (!testing_support::read_exact(fd, body.data(), body.size()) || body.size() < 45) {
        return;
    }
    const auto byte = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(body[i])); };
    const unsigned client_version = (byte(4) << 8U) | byte(5);
    std::size_t offset = 4 + 2 + 32;
    offset += 1 + byte(offset);
    const std::size_t suites_size = (std::size_t{byte(offset)} << 8U) | byte(offset + 1);
    bool scsv_reneg = false;
    bool scsv_fallback = false;
    unsigned chosen = 0;
    for (std::size_t i = offset + 2; i + 1 < offset + 2 + suites_size && i + 1 < body.size(); i += 2) {
        const unsigned suite = (byte(i) << 8U) | byte(i + 1);
        scsv_reneg = scsv_reneg || suite == 0x00FF;
        scsv_fallback = scsv_fallback || suite == 0x5600;
        if (chosen == 0 && (suite == 0xC02F || suite == 0x002F)) {
            chosen = suite;
        }
    }
    offset += 2 + suites_size;
    bool deflate = false;
    if (offset < body.size()) {
        for (std::size_t i = 0; i < byte(offset) && offset + 1 + i < body.size(); ++i) {
            deflate = deflate || byte(offset + 1 + i) == 1;
        }
    }
    const auto alert = [&](unsigned description) {
        testing_support::write_all(fd, std::string("\x15\x03\x01\x00\x02\x02", 6) +
                                           std::string(1, static_cast<char>(description)));
    };
    const unsigned version = std::min(client_version, spec.max_version);
    if (version < spec.min_version) {
        alert(70);  // protocol_version
        return;
    }
    if (scsv_fallback && spec.honour_fallback_scsv && version < spec.max_version) {
        alert(86);  // inappropriate_fallback
        return;
    }
    if (chosen == 0) {
        alert(40);  // handshake_failure
        return;
    }
    std::string extensions;
    if (scsv_reneg && spec.secure_renegotiation && version > 0x0300) {
        extensions += u16(0xFF01) + u16(1) + std::string(1, '\0');
    }
    std::string hello = u16(version) + std::string(32, '\x01') + std::string(1, '\0') + u16(chosen) +
                        std::string(1, (spec.compress && deflate) ? '\x01' : '\0');
    if (!extensions.empty()) {
        hello += u16(static_cast<unsigned>(extensions.size())) + extensions;
    }
    const std::string message = std::string(1, '\x02') + std::string(1, '\0') +
                                u16(static_cast<unsigned>(hello.size())) + hello;
    testing_support::write_all(fd, std::string(1, '\x16') + u16(version) +
                                       u16(static_cast<unsigned>(message.size())) + message);
}

/// A CA, two leaves naming an OCSP responder on `ocsp_port`, their index, and a stapled response;
/// leaves naming only a CRL on `crl_port` and that CA's CRLs (crls()).
class DepthPki {
public:
    DepthPki(int ocsp_port, int crl_port) : ocsp_port_(ocsp_port), crl_port_(crl_port) {
        run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"),
             "-out", file("ca.pem"), "-days", "30", "-subj", "/CN=Lisa Depth Test CA"});
        const std::string ext = file("leaf.ext");
        testing_support::write_file(
            ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                 "authorityInfoAccess=OCSP;URI:http://127.0.0.1:" + std::to_string(ocsp_port) + "\n");
        for (const char* name : {"good", "revoked"}) {
            const std::string n = name;
            run({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", file(n + ".key"),
                 "-out", file(n + ".csr"), "-subj", "/CN=localhost"});
            run({"openssl", "x509", "-req", "-in", file(n + ".csr"), "-CA", file("ca.pem"), "-CAkey",
                 file("ca.key"), "-set_serial", n == "good" ? "4097" : "4098", "-days", "20",
                 "-extfile", ext, "-out", file(n + ".pem")});
        }
        // A good ECDSA leaf (a server may hold it beside a revoked RSA one) and a leaf that names
        // no OCSP responder (revocation cannot be checked by OCSP).
        run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
             file("ecgood.key"), "-out", file("ecgood.csr"), "-subj", "/CN=localhost"});
        run({"openssl", "x509", "-req", "-in", file("ecgood.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
             "-set_serial", "4099", "-days", "20", "-extfile", ext, "-out", file("ecgood.pem")});
        testing_support::write_file(file("noaia.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("noaia.key"), "-out",
             file("noaia.csr"), "-subj", "/CN=localhost"});
        run({"openssl", "x509", "-req", "-in", file("noaia.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
             "-set_serial", "4100", "-days", "20", "-extfile", file("noaia.ext"), "-out", file("noaia.pem")});
        // index.txt: status, expiry, revocation date, serial (hex), file, subject.
        testing_support::write_file(file("index.txt"),
                                    "V\t491231235959Z\t\t1001\tunknown\t/CN=localhost\n"
                                    "R\t491231235959Z\t240101000000Z\t1002\tunknown\t/CN=localhost\n"
                                    "V\t491231235959Z\t\t1003\tunknown\t/CN=localhost\n"
                                    "V\t491231235959Z\t\t1004\tunknown\t/CN=localhost\n");
        testing_support::write_file(file("index.txt.attr"), "unique_subject = no\n");
        // A response to staple: the responder's answer for the good leaf, made offline.
        run({"openssl", "ocsp", "-issuer", file("ca.pem"), "-cert", file("good.pem"), "-no_nonce",
             "-reqout", file("req.der")});
        run({"openssl", "ocsp", "-index", file("index.txt"), "-rsigner", file("ca.pem"), "-rkey",
             file("ca.key"), "-CA", file("ca.pem"), "-reqin", file("req.der"), "-respout",
             file("staple.der"), "-ndays", "1"});
        // Issue 15: a staple for another certificate (the revoked leaf's response, served with the
        // good leaf), and one the good leaf signed itself (not its issuer, no delegation).
        run({"openssl", "ocsp", "-issuer", file("ca.pem"), "-cert", file("revoked.pem"), "-no_nonce",
             "-reqout", file("other-req.der")});
        run({"openssl", "ocsp", "-index", file("index.txt"), "-rsigner", file("ca.pem"), "-rkey",
             file("ca.key"), "-CA", file("ca.pem"), "-reqin", file("other-req.der"), "-respout",
             file("other-staple.der"), "-ndays", "1"});
        run({"openssl", "ocsp", "-index", file("index.txt"), "-rsigner", file("good.pem"), "-rkey",
             file("good.key"), "-CA", file("ca.pem"), "-reqin", file("req.der"), "-respout",
             file("unsigned-staple.der"), "-ndays", "1"});
        crls();
    }
    [[nodiscard]] std::string file(const std::string& name) const { return dir_.file(name); }
    [[nodiscard]] int ocsp_port() const { return ocsp_port_; }
    [[nodiscard]] int crl_port() const { return crl_port_; }
    /// The CRL URL `name` on the test's CRL server.
    [[nodiscard]] std::string crl_url(const std::string& name) const {
        return "http://127.0.0.1:" + std::to_string(crl_port_) + "/" + name;
    }

    /// A leaf of the test CA (`key`: "rsa:2048" or "ec") whose only revocation pointer is the CRL
    /// distribution point `dp` (a URI, any scheme): no OCSP responder, as AD CS issues them.
    void crl_leaf(const std::string& name, const std::string& serial, const std::string& dp,
                  const std::string& key = "ec") const {
        testing_support::write_file(file(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                                         "crlDistributionPoints=URI:" + dp + "\n");
        std::vector<std::string> req = {"openssl", "req", "-newkey", key, "-nodes", "-keyout", file(name + ".key"),
                                        "-out", file(name + ".csr"), "-subj", "/CN=localhost"};
        if (key == "ec") {
            req.insert(req.begin() + 4, {"-pkeyopt", "ec_paramgen_curve:P-256"});
        }
        run(req);
        run({"openssl", "x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
             "-set_serial", serial, "-days", "20", "-extfile", file(name + ".ext"), "-out", file(name + ".pem")});
    }

private:
    // The CRL leaves and, by `openssl ca -gencrl`, in crl/ (served over HTTP): ca.crl (DER, crlrevoked
    // listed), stale.crl (PEM, its nextUpdate in 2024), forged.crl (a CA of the same name with another
    // key), big.crl (11 MiB, over the cap). crlgood and crlrevoked share ca.crl; crlgood is RSA so a
    // server can hold both.
    void crls() const {
        crl_leaf("crlgood", "4101", crl_url("ca.crl"), "rsa:2048");
        crl_leaf("crlrevoked", "4102", crl_url("ca.crl"));
        crl_leaf("crlstale", "4103", crl_url("stale.crl"));
        crl_leaf("crlforged", "4104", crl_url("forged.crl"));
        crl_leaf("crlbig", "4105", crl_url("big.crl"));
        crl_leaf("crlldap", "4106", "ldap:///CN=Lisa%20Depth%20Test%20CA?certificateRevocationList");
        testing_support::write_file(file("crl-index.txt"),
                                    "V\t491231235959Z\t\t1005\tunknown\t/CN=localhost\n"
                                    "R\t491231235959Z\t240101000000Z\t1006\tunknown\t/CN=localhost\n");
        testing_support::write_file(file("crl-index.txt.attr"), "unique_subject = no\n");
        testing_support::write_file(file("crlnumber"), "01\n");
        testing_support::write_file(file("crl.cnf"), "[ca]\ndefault_ca = crl_ca\n[crl_ca]\ndatabase = " +
                                                         file("crl-index.txt") + "\ncrlnumber = " + file("crlnumber") +
                                                         "\ndefault_md = sha256\ndefault_crl_days = 7\n");
        run({"mkdir", "-p", file("crl")});
        const std::vector<std::string> gencrl = {"openssl", "ca", "-gencrl", "-config", file("crl.cnf"), "-keyfile"};
        auto ca = gencrl;
        ca.insert(ca.end(), {file("ca.key"), "-cert", file("ca.pem"), "-out", file("ca-crl.pem")});
        run(ca);
        run({"openssl", "crl", "-in", file("ca-crl.pem"), "-outform", "DER", "-out", file("crl/ca.crl")});
        auto stale = gencrl;
        stale.insert(stale.end(), {file("ca.key"), "-cert", file("ca.pem"), "-crl_lastupdate", "20240101000000Z",
                                   "-crl_nextupdate", "20240108000000Z", "-out", file("crl/stale.crl")});
        run(stale);
        run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
             file("other-ca.key"), "-out", file("other-ca.pem"), "-days", "30", "-subj", "/CN=Lisa Depth Test CA"});
        auto forged = gencrl;
        forged.insert(forged.end(), {file("other-ca.key"), "-cert", file("other-ca.pem"), "-out", file("crl/forged.crl")});
        run(forged);
        testing_support::write_file(file("crl/big.crl"), std::string(11U * 1024U * 1024U, '\x30'));
    }

    static void run(const std::vector<std::string>& argv) {
        std::string output;
        if (run_command(argv, &output) != 0) {
            throw std::runtime_error(argv[0] + " " + argv[1] + " failed: " + output);
        }
    }
    TempDir dir_;
    int ocsp_port_;
    int crl_port_;
};

class TlsDepthTest : public ::testing::Test {
protected:
    // Made on first use (a failure there fails the test, never skips it) and kept for the process.
    void SetUp() override {
        if (pki_ == nullptr) {
            pki_ = new DepthPki(testing_support::free_port(), testing_support::free_port());
        }
        if (responder_ == nullptr) {
            start_responder();
        }
        if (crl_server_ == nullptr) {
            // A real HTTP server for the CRLs, stopped by its pid when the suite ends; its log has
            // one line per GET.
            crl_server_ = new ChildProcess({"python3", "-m", "http.server", std::to_string(pki_->crl_port()), "--bind",
                                            "127.0.0.1", "--directory", pki_->file("crl")},
                                           pki_->file("crl-server.log"));
            ASSERT_TRUE(testing_support::wait_for_port(pki_->crl_port())) << "python3 -m http.server did not start";
        }
    }
    /// How many GETs of `name` the CRL server has logged.
    static int crl_fetches(const std::string& name) {
        const std::string log = testing_support::read_file(pki_->file("crl-server.log"));
        int count = 0;
        for (std::size_t at = log.find("GET /" + name); at != std::string::npos; at = log.find("GET /" + name, at + 1)) {
            ++count;
        }
        return count;
    }
    static void start_responder() {
        // `openssl ocsp` as the real responder (it listens on every address; the test asks on
        // 127.0.0.1, the URL in the leaves).
        responder_ = new ChildProcess(
            {"openssl", "ocsp", "-index", pki_->file("index.txt"), "-port",
             std::to_string(pki_->ocsp_port()), "-rsigner", pki_->file("ca.pem"), "-rkey",
             pki_->file("ca.key"), "-CA", pki_->file("ca.pem"), "-ignore_err"},
            pki_->file("ocsp.log"));
        // Not wait_for_port: `openssl ocsp` serves one connection at a time and stalls on one
        // that closes without a request. Its log says when it listens.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (testing_support::read_file(pki_->file("ocsp.log"))
                       .find("waiting for OCSP client connections") == std::string::npos) {
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "openssl ocsp did not start";
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    static void TearDownTestSuite() {
        delete crl_server_;
        crl_server_ = nullptr;
        delete responder_;
        responder_ = nullptr;
        delete pki_;
        pki_ = nullptr;
    }

    /// An s_server with the "good" leaf and `args`.
    static std::unique_ptr<SServer> server(const std::vector<std::string>& args,
                                           const std::string& leaf = "good") {
        return std::make_unique<SServer>(pki_->file(leaf + ".pem"), pki_->file(leaf + ".key"), args,
                                         pki_->file("s_server.log"));
    }

    /// The facts and the problems of one scan of 127.0.0.1:`port` with the test CA.
    static tls_detail::TlsScan scan(int port, bool full = true,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
        TlsTarget target;
        target.host = "127.0.0.1";
        target.port = port;
        target.ca_file = pki_->file("ca.pem");
        target.full_depth = full;
        ProbeContext context;
        context.as_of = today();
        context.timeout = timeout;
        return tls_detail::scan_tls(target, context);
    }

    static Facts deep(int port, bool full = true) { return scan(port, full).facts; }

    /// A full-depth scan whose revocation could not be checked: no status, and a problem saying
    /// `why`.
    static void expect_could_not_check(int port, const std::string& why,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
        const tls_detail::TlsScan result = scan(port, true, timeout);
        EXPECT_EQ(find_value(result.facts, "tls.revocation.status"), nullptr) << why;
        EXPECT_THAT(testing::PrintToString(result.problems), HasSubstr(why));
    }

    static bool flag(const Facts& facts, const std::string& name) {
        const Value* value = find_value(facts, name);
        if (value == nullptr || value->as_bool() == nullptr) {
            ADD_FAILURE() << name << " missing";
            return false;
        }
        return *value->as_bool();
    }
    static std::string text(const Facts& facts, const std::string& name) {
        const Value* value = find_value(facts, name);
        if (value == nullptr || value->as_string() == nullptr) {
            ADD_FAILURE() << name << " missing";
            return {};
        }
        return *value->as_string();
    }
    static StringList list(const Facts& facts, const std::string& name) {
        const Value* value = find_value(facts, name);
        if (value == nullptr || value->as_list() == nullptr) {
            ADD_FAILURE() << name << " missing";
            return {};
        }
        return *value->as_list();
    }

    static DepthPki* pki_;
    static ChildProcess* responder_;
    static ChildProcess* crl_server_;
};

DepthPki* TlsDepthTest::pki_ = nullptr;
ChildProcess* TlsDepthTest::responder_ = nullptr;
ChildProcess* TlsDepthTest::crl_server_ = nullptr;

TEST_F(TlsDepthTest, DefaultDepthCollectsNoDepthFacts) {
    const auto s = server({"-min_protocol", "TLSv1.2"});
    const Facts facts = deep(s->port(), false);
    EXPECT_TRUE(flag(facts, "tls.reachable"));
    for (const char* name : {"tls.depth", "tls.protocol.ssl3", "tls.cipher.suites.tls1_2",
                             "tls.kx.groups", "tls.kx.dhe_group", "tls.revocation.status", "tls.fallback_scsv"}) {
        EXPECT_EQ(find_value(facts, name), nullptr) << name;
    }
}

TEST_F(TlsDepthTest, EverySuitePerVersionByElimination) {
    const auto s = server({"-min_protocol", "TLSv1.2", "-cipher",
                           "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:ECDHE-RSA-CHACHA20-POLY1305",
                           "-ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"});
    const Facts facts = deep(s->port());
    EXPECT_EQ(text(facts, "tls.depth"), "full");
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_2"),
                UnorderedElementsAre("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                     "TLS_RSA_WITH_AES_256_CBC_SHA",
                                     "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_3"),
                UnorderedElementsAre("TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"));
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_0"), IsEmpty());
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_1"), IsEmpty());
    EXPECT_FALSE(flag(facts, "tls.protocol.tls1_0"));
    EXPECT_TRUE(flag(facts, "tls.protocol.tls1_2"));
    EXPECT_TRUE(flag(facts, "tls.protocol.tls1_3"));
    EXPECT_THAT(list(facts, "tls.cipher.weak_accepted"), IsEmpty());
    // The floor: accepted + 1 per accepted version (the TLS 1.3 elimination starts from the
    // default handshake), 1 per refused one, SSL 2/3, groups, order, fallback, key types.
    const Value* connections = find_value(facts, "tls.depth.connections");
    ASSERT_NE(connections, nullptr);
    EXPECT_LE(*connections->as_int(), 40);
}

TEST_F(TlsDepthTest, LegacyVersionsAndWeakClassesComeFromTheEnumeration) {
    const auto s = server({"-min_protocol", "TLSv1", "-max_protocol", "TLSv1.2", "-cipher",
                           "AES128-SHA:NULL-SHA:@SECLEVEL=0"});  // Debian's OpenSSL has no 3DES
    const Facts facts = deep(s->port());
    EXPECT_TRUE(flag(facts, "tls.protocol.tls1_0"));
    EXPECT_TRUE(flag(facts, "tls.protocol.tls1_1"));
    EXPECT_FALSE(flag(facts, "tls.protocol.tls1_3"));
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_0"),
                UnorderedElementsAre("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_NULL_SHA"));
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_2"),
                UnorderedElementsAre("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_NULL_SHA"));
    EXPECT_THAT(list(facts, "tls.cipher.weak_accepted"), ElementsAre("null"));
    EXPECT_FALSE(flag(facts, "tls.cipher.fs_offered"));
    EXPECT_FALSE(flag(facts, "tls.cipher.aead_offered"));  // CBC-only
}

TEST_F(TlsDepthTest, ServerOrderEnforcedOrNot) {
    const std::vector<std::string> base = {"-max_protocol", "TLSv1.2", "-cipher",
                                           "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA"};
    auto with = base;
    with.push_back("-serverpref");
    const auto enforcing = server(with);
    const auto following = server(base);
    EXPECT_TRUE(flag(deep(enforcing->port()), "tls.cipher.server_order"));
    EXPECT_FALSE(flag(deep(following->port()), "tls.cipher.server_order"));
}

TEST_F(TlsDepthTest, ForwardSecrecyOnlyOfferedOrNone) {
    const auto only = server({"-max_protocol", "TLSv1.2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"});
    const auto mixed = server({"-max_protocol", "TLSv1.2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256"});
    const auto none = server({"-max_protocol", "TLSv1.2", "-cipher", "AES128-GCM-SHA256:AES256-SHA"});
    const Facts f_only = deep(only->port());
    const Facts f_mixed = deep(mixed->port());
    const Facts f_none = deep(none->port());
    EXPECT_TRUE(flag(f_only, "tls.cipher.fs_only"));
    EXPECT_TRUE(flag(f_only, "tls.cipher.fs_offered"));
    EXPECT_FALSE(flag(f_mixed, "tls.cipher.fs_only"));
    EXPECT_TRUE(flag(f_mixed, "tls.cipher.fs_offered"));
    EXPECT_FALSE(flag(f_none, "tls.cipher.fs_offered"));
    EXPECT_TRUE(flag(f_none, "tls.cipher.aead_offered"));
}

TEST_F(TlsDepthTest, KeyExchangeGroupsInTls13AndTls12) {
    const auto tls13 = server({"-groups", "P-256:X25519"});
    const auto tls12 = server({"-max_protocol", "TLSv1.2", "-groups", "P-384:P-521", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"});
    EXPECT_THAT(list(deep(tls13->port()), "tls.kx.groups"), UnorderedElementsAre("x25519", "secp256r1"));
    EXPECT_THAT(list(deep(tls12->port()), "tls.kx.groups"), UnorderedElementsAre("secp384r1", "secp521r1"));
}

// The finite-field group behind DHE (testssl.sh's "DH group offered"): a 1024-bit prime of the
// server's own (Logjam-sized, only at OpenSSL's security level 0), RFC 7919's ffdhe3072, OpenSSL's
// own default (RFC 3526's 2048-bit MODP group), and a server without DHE, which says none.
TEST_F(TlsDepthTest, DheGroupNamedWithItsSizeOrNone) {
    TempDir dir;
    ASSERT_EQ(run_command({"openssl", "dhparam", "-out", dir.file("dh1024.pem"), "1024"}), 0);
    ASSERT_EQ(run_command({"openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe3072", "-out",
                           dir.file("ffdhe3072.pem")}),
              0);
    const auto own = server({"-max_protocol", "TLSv1.2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-dhparam",
                             dir.file("dh1024.pem")});
    const auto standard = server({"-max_protocol", "TLSv1.2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
                                  "-dhparam", dir.file("ffdhe3072.pem")});
    const auto builtin = server({"-max_protocol", "TLSv1.2", "-cipher", "DHE-RSA-AES256-GCM-SHA384"});
    const auto none = server({"-max_protocol", "TLSv1.2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"});
    const Facts f_own = deep(own->port());
    EXPECT_EQ(text(f_own, "tls.kx.dhe_group"), "unknown");
    EXPECT_EQ(find_value(f_own, "tls.kx.dhe_bits") ? *find_value(f_own, "tls.kx.dhe_bits")->as_int() : 0, 1024);
    const Facts f_standard = deep(standard->port());
    EXPECT_EQ(text(f_standard, "tls.kx.dhe_group"), "ffdhe3072");
    EXPECT_EQ(find_value(f_standard, "tls.kx.dhe_bits") ? *find_value(f_standard, "tls.kx.dhe_bits")->as_int() : 0, 3072);
    EXPECT_EQ(text(deep(builtin->port()), "tls.kx.dhe_group"), "modp_2048");
    const Facts f_none = deep(none->port());
    EXPECT_EQ(text(f_none, "tls.kx.dhe_group"), "none");
    EXPECT_EQ(find_value(f_none, "tls.kx.dhe_bits"), nullptr);
    // A server speaking only TLS 1.0 and 1.1 is asked at its newest version, not said to have none.
    const auto legacy = server({"-min_protocol", "TLSv1", "-max_protocol", "TLSv1.1", "-cipher",
                                "DHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0", "-dhparam", dir.file("dh1024.pem")});
    const Facts f_legacy = deep(legacy->port());
    EXPECT_FALSE(flag(f_legacy, "tls.protocol.tls1_2"));
    EXPECT_EQ(text(f_legacy, "tls.kx.dhe_group"), "unknown");
    EXPECT_EQ(find_value(f_legacy, "tls.kx.dhe_bits") ? *find_value(f_legacy, "tls.kx.dhe_bits")->as_int() : 0, 1024);
}

TEST_F(TlsDepthTest, OcspStapledOrNot) {
    const auto stapling = server({"-status_file", pki_->file("staple.der")});
    const auto plain = server({});
    const Facts stapled = deep(stapling->port());
    EXPECT_TRUE(flag(stapled, "tls.ocsp.stapled"));
    EXPECT_EQ(text(stapled, "tls.ocsp.staple"), "good");
    const Facts none = deep(plain->port());
    EXPECT_FALSE(flag(none, "tls.ocsp.stapled"));
    EXPECT_EQ(text(none, "tls.ocsp.staple"), "none");
}

// Issue 15 (an attacker's find): a server stapling the OCSP response of another certificate was
// counted as stapling. The staple is judged against the leaf it came with — the CertID, then the
// signature against the issuer — and a wrong one is no staple; its status never becomes the leaf's.
TEST_F(TlsDepthTest, AStapleForAnotherCertificateOrNotSignedByTheIssuerIsNoStaple) {
    const auto other = server({"-status_file", pki_->file("other-staple.der")});
    const Facts f_other = deep(other->port());
    EXPECT_FALSE(flag(f_other, "tls.ocsp.stapled"));
    EXPECT_EQ(text(f_other, "tls.ocsp.staple"), "other_certificate");
    EXPECT_EQ(text(f_other, "tls.revocation.status"), "good");  // the responder's word, not the staple's "revoked"
    const auto unsigned_staple = server({"-status_file", pki_->file("unsigned-staple.der")});
    const Facts f_unsigned = deep(unsigned_staple->port());
    EXPECT_FALSE(flag(f_unsigned, "tls.ocsp.stapled"));
    EXPECT_EQ(text(f_unsigned, "tls.ocsp.staple"), "unverified");
}

// Issue 15: a server that speaks only TLS 1.0 refuses the modern client, which carried the
// status_request; the staple is then read from a legacy handshake, and nothing is could-not-check
// (the leaf names a responder that answers).
TEST_F(TlsDepthTest, ALegacyOnlyServerIsObservedInFullWithItsStaple) {
    const auto legacy = server({"-tls1", "-cipher", "DEFAULT:@SECLEVEL=0", "-status_file", pki_->file("staple.der")});
    const tls_detail::TlsScan result = scan(legacy->port());
    EXPECT_THAT(result.problems, IsEmpty());
    EXPECT_TRUE(flag(result.facts, "tls.protocol.tls1_0"));
    EXPECT_FALSE(flag(result.facts, "tls.protocol.tls1_2"));
    EXPECT_EQ(text(result.facts, "tls.negotiated.protocol"), "none");
    EXPECT_TRUE(flag(result.facts, "tls.ocsp.stapled"));
    EXPECT_EQ(text(result.facts, "tls.revocation.status"), "good");
}

TEST_F(TlsDepthTest, LeafRevocationFromTheOcspResponder) {
    const auto good = server({}, "good");
    const auto revoked = server({}, "revoked");
    EXPECT_EQ(text(deep(good->port()), "tls.revocation.status"), "good");
    EXPECT_EQ(text(deep(revoked->port()), "tls.revocation.status"), "revoked");
}

// Every certificate the server holds is asked about, not only the one a default client gets: a
// revoked RSA leaf beside a good ECDSA one is revoked (clients that negotiate RSA get it).
TEST_F(TlsDepthTest, RevocationOfEveryCertificateTheServerHolds) {
    const auto dual = server({"-dcert", pki_->file("ecgood.pem"), "-dkey", pki_->file("ecgood.key")}, "revoked");
    const Facts facts = deep(dual->port());
    EXPECT_THAT(list(facts, "tls.certs.key_types"), UnorderedElementsAre("EC", "RSA"));
    EXPECT_EQ(text(facts, "tls.revocation.status"), "revoked");
    const auto both_good = server({"-dcert", pki_->file("ecgood.pem"), "-dkey", pki_->file("ecgood.key")}, "good");
    EXPECT_EQ(text(deep(both_good->port()), "tls.revocation.status"), "good");
}

// A certificate that names neither an OCSP responder nor a CRL: its revocation could not be
// checked, which is a problem with its reason, never a status a rule could pass.
TEST_F(TlsDepthTest, NoResponderIsCouldNotCheckNeverAStatus) {
    const auto noaia = server({}, "noaia");
    expect_could_not_check(noaia->port(), "names neither an OCSP responder (Authority Information Access) nor a CRL");
}

// Issue 15: a certificate naming only a CRL (as AD CS issues them) is checked against it: the CRL
// made by `openssl ca -gencrl`, fetched from a real HTTP server, lists the revoked leaf's serial.
TEST_F(TlsDepthTest, RevocationFromTheCrlWhenNoResponderIsNamed) {
    const auto good = server({}, "crlgood");
    const auto revoked = server({}, "crlrevoked");
    const tls_detail::TlsScan good_scan = scan(good->port());
    EXPECT_THAT(good_scan.problems, IsEmpty());
    EXPECT_EQ(text(good_scan.facts, "tls.revocation.status"), "good");
    EXPECT_THAT(list(good_scan.facts, "tls.revocation.source"), ElementsAre("crl"));
    const Facts revoked_facts = deep(revoked->port());
    EXPECT_EQ(text(revoked_facts, "tls.revocation.status"), "revoked");
    EXPECT_THAT(list(revoked_facts, "tls.revocation.source"), ElementsAre("crl"));
    // An OCSP leaf's source says so.
    const auto ocsp = server({}, "good");
    EXPECT_THAT(list(deep(ocsp->port()), "tls.revocation.source"), ElementsAre("ocsp"));
}

// One CRL fetch per URL per scan: a server holding two certificates with the same CRL (a good RSA
// and a revoked ECDSA one) costs one GET, and the revoked one is not hidden by the good one.
TEST_F(TlsDepthTest, OneCrlFetchPerUrlPerScan) {
    const auto dual = server({"-dcert", pki_->file("crlrevoked.pem"), "-dkey", pki_->file("crlrevoked.key")}, "crlgood");
    const int before = crl_fetches("ca.crl");
    const Facts facts = deep(dual->port());
    EXPECT_THAT(list(facts, "tls.certs.key_types"), UnorderedElementsAre("EC", "RSA"));
    EXPECT_EQ(text(facts, "tls.revocation.status"), "revoked");
    EXPECT_EQ(crl_fetches("ca.crl") - before, 1);
    // A second scan is a new scan: it fetches again (a CRL is not kept past its scan).
    static_cast<void>(deep(dual->port()));
    EXPECT_EQ(crl_fetches("ca.crl") - before, 2);
}

// A stale CRL (its nextUpdate passed) or one signed by another key (a CA of the same name) says
// nothing about the certificate: a problem, never good.
TEST_F(TlsDepthTest, StaleOrForeignCrlIsAProblemNeverGood) {
    const auto stale = server({}, "crlstale");
    expect_could_not_check(stale->port(), "stale.crl is stale: its nextUpdate 2024-01-08 00:00:00Z has passed");
    const auto forged = server({}, "crlforged");
    expect_could_not_check(forged->port(), "forged.crl is not signed by the certificate's issuer");
}

// A CRL that cannot be had — nothing listening, over the 10 MiB cap, a server that never answers —
// is a problem, never good; the silent one costs the probe's timeout, not more.
TEST_F(TlsDepthTest, UnreachableOversizedOrSilentCrlIsAProblemWithinTheBound) {
    const auto big = server({}, "crlbig");
    expect_could_not_check(big->port(), "big.crl is larger than 10 MiB");

    const int closed = testing_support::free_port();
    pki_->crl_leaf("crldown", "4107", "http://127.0.0.1:" + std::to_string(closed) + "/ca.crl");
    const auto down = server({}, "crldown");
    expect_could_not_check(down->port(), "connection refused");

    testing_support::SilentListener silent;
    pki_->crl_leaf("crlsilent", "4108", "http://127.0.0.1:" + std::to_string(silent.port()) + "/ca.crl");
    const auto waiting = server({}, "crlsilent");
    const auto started = std::chrono::steady_clock::now();
    expect_could_not_check(waiting->port(), "did not arrive within 1000 ms", std::chrono::seconds(1));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_LT(elapsed, std::chrono::seconds(4));  // the 1 s bound plus the scan's own handshakes
}

// AD CS often names its CRL by LDAP first or only: lisa fetches http(s) only, and says so by scheme.
TEST_F(TlsDepthTest, LdapOnlyCrlIsCouldNotCheckNamingTheScheme) {
    const auto ldap = server({}, "crlldap");
    expect_could_not_check(ldap->port(), "uses the URL scheme ldap, which lisa does not fetch");
}

TEST_F(TlsDepthTest, UnreachableResponderIsAProblemNeverAStatus) {
    // The same leaf, with the responder stopped: could not check, never "good".
    const auto good = server({}, "good");
    responder_->stop();
    // Nothing listens there any more: said as such, not as a time-out.
    expect_could_not_check(good->port(), "refused", std::chrono::seconds(1));
    // Restart for the other tests of this process.
    delete responder_;
    responder_ = nullptr;
    start_responder();
}

TEST_F(TlsDepthTest, FallbackScsvHonouredByOpenSslIgnoredByTheWirePeer) {
    const auto openssl = server({"-min_protocol", "TLSv1.2"});
    EXPECT_TRUE(flag(deep(openssl->port()), "tls.fallback_scsv"));
    // Wire-level only: OpenSSL and GnuTLS always honour the SCSV.
    ScriptedServer ignoring([](int fd) { wire_peer(fd, PeerSpec{}); });
    EXPECT_FALSE(flag(deep(ignoring.port()), "tls.fallback_scsv"));
    PeerSpec honouring_spec;
    honouring_spec.honour_fallback_scsv = true;
    ScriptedServer honouring([honouring_spec](int fd) { wire_peer(fd, honouring_spec); });
    EXPECT_TRUE(flag(deep(honouring.port()), "tls.fallback_scsv"));
    // One version only: nothing to fall back to.
    const auto single = server({"-min_protocol", "TLSv1.3"});
    EXPECT_TRUE(flag(deep(single->port()), "tls.fallback_scsv"));
}

TEST_F(TlsDepthTest, Ssl3AndSsl2WireLevelOnly) {
    const auto openssl = server({"-min_protocol", "TLSv1", "-cipher", "ALL:@SECLEVEL=0"});
    const Facts modern = deep(openssl->port());
    EXPECT_FALSE(flag(modern, "tls.protocol.ssl3"));
    EXPECT_FALSE(flag(modern, "tls.protocol.ssl2"));
    PeerSpec old;
    old.ssl2 = true;
    old.min_version = 0x0300;
    ScriptedServer legacy([old](int fd) { wire_peer(fd, old); });
    const Facts facts = deep(legacy.port());
    EXPECT_TRUE(flag(facts, "tls.protocol.ssl3"));
    EXPECT_TRUE(flag(facts, "tls.protocol.ssl2"));
    EXPECT_TRUE(flag(facts, "tls.protocol.tls1_0"));
    EXPECT_THAT(list(facts, "tls.cipher.suites.tls1_2"),
                UnorderedElementsAre("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                     "TLS_RSA_WITH_AES_128_CBC_SHA"));
}

TEST_F(TlsDepthTest, CompressionWireLevelOnly) {
    const auto openssl = server({});
    EXPECT_FALSE(flag(deep(openssl->port()), "tls.compression"));
    PeerSpec compressing;
    compressing.compress = true;
    ScriptedServer deflate([compressing](int fd) { wire_peer(fd, compressing); });
    EXPECT_TRUE(flag(deep(deflate.port()), "tls.compression"));
}

TEST_F(TlsDepthTest, SecureRenegotiationOpenSslAndGnutlsWithoutIt) {
    const auto openssl = server({"-max_protocol", "TLSv1.2"});
    EXPECT_TRUE(flag(deep(openssl->port()), "tls.renegotiation.secure"));
    // GnuTLS can drop RFC 5746 entirely (%DISABLE_SAFE_RENEGOTIATION): a real server without it.
    const int port = testing_support::free_port();
    ChildProcess gnutls({"gnutls-serv", "--http", "-p", std::to_string(port), "--x509certfile",
                         pki_->file("good.pem"), "--x509keyfile", pki_->file("good.key"),
                         "--priority", "NORMAL:-VERS-TLS1.3:%DISABLE_SAFE_RENEGOTIATION"},
                        pki_->file("gnutls.log"));
    ASSERT_TRUE(testing_support::wait_for_port(port));
    const Facts facts = deep(port);
    EXPECT_FALSE(flag(facts, "tls.renegotiation.secure"));
    EXPECT_TRUE(flag(facts, "tls.protocol.tls1_2"));
}

// Issue 15 (an attacker's find): lisa's own hellos lacked the signature schemes of RSA-PSS and
// Ed448 certificates, so such a server refused them and TLS 1.2 read as refused — at the default
// depth too, where the versions are asked with raw hellos once the default handshake completes.
// The hellos now offer every scheme and every group lisa names (kind: what a server may need).
TEST_F(TlsDepthTest, EveryCertificateKindAndGroupIsAnsweredByLisasOwnHellos) {
    for (const std::string kind : {"rsa-pss", "ed448"}) {
        const std::string key = pki_->file(kind + ".key");
        const std::string cert = pki_->file(kind + ".pem");
        std::string output;
        ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", kind == "ed448" ? "ED448" : "RSA-PSS", "-out", key},
                              &output), 0) << output;
        ASSERT_EQ(run_command({"openssl", "req", "-x509", "-key", key, "-out", cert, "-days", "2", "-subj",
                               "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"}, &output), 0) << output;
        SServer both(cert, key, {}, pki_->file("s_server.log"));
        const tls_detail::TlsScan standard = scan(both.port(), false);
        EXPECT_TRUE(flag(standard.facts, "tls.protocol.tls1_3")) << kind;
        EXPECT_TRUE(flag(standard.facts, "tls.protocol.tls1_2")) << kind;
        EXPECT_FALSE(flag(standard.facts, "tls.protocol.tls1_1")) << kind;
        SServer tls12(cert, key, {"-tls1_2"}, pki_->file("s_server.log"));
        const Facts full = deep(tls12.port());
        EXPECT_TRUE(flag(full, "tls.protocol.tls1_2")) << kind;
        EXPECT_THAT(list(full, "tls.cipher.suites.tls1_2"), Not(IsEmpty())) << kind;
        EXPECT_TRUE(flag(full, "tls.cipher.aead_offered")) << kind;
    }
    // A server whose only group is one the hellos used to lack: every TLS 1.3 suite still counts.
    const auto ffdhe = server({"-groups", "ffdhe4096"});
    const Facts facts = deep(ffdhe->port());
    EXPECT_THAT(list(facts, "tls.kx.groups"), ElementsAre("ffdhe4096"));
    EXPECT_EQ(list(facts, "tls.cipher.suites.tls1_3").size(), 3U);
}

// Issue 15 (an attacker's find): a server that answers a hello with a ServerHello at that version
// and then breaks off (an alert, a hang-up) answered the version; the read keeps the hello and
// says the flight was cut short. The wire peer answers with a ServerHello and hangs up.
TEST_F(TlsDepthTest, AServerHelloFollowedByAHangUpStillAnswersTheVersion) {
    ScriptedServer peer([](int fd) { wire_peer(fd, PeerSpec{}); });
    tls_detail::Endpoint endpoint;
    endpoint.target.host = "127.0.0.1";
    endpoint.target.port = peer.port();
    endpoint.timeout = std::chrono::seconds(3);
    auto addresses = tls_detail::resolve("127.0.0.1", peer.port(), std::chrono::steady_clock::now() + endpoint.timeout);
    ASSERT_TRUE(addresses && !addresses.value().empty());
    endpoint.address = addresses.value().front();
    tls_detail::HelloSpec spec;
    spec.version = tls_detail::kTls12;
    spec.suites = tls_detail::enumeration_suites_tls12();
    const tls_detail::RawHelloOutcome out = tls_detail::raw_hello(endpoint, spec, tls_detail::ReadTo::HelloDone);
    EXPECT_EQ(out.stage, tls_detail::Stage::Done);
    ASSERT_TRUE(out.hello.has_value());
    EXPECT_EQ(out.hello->version, tls_detail::kTls12);
    EXPECT_FALSE(out.flight_complete);
    EXPECT_FALSE(out.cert_request);
}

// Issue 15 (an attacker's find): a TLS 1.0-only server that insists on a client certificate
// refused the modern client, and because no legacy handshake "completed" that refusal was the
// probe's error. Getting as far as the server insisting shows the server works: observed, as
// with an optional certificate.
TEST_F(TlsDepthTest, ALegacyOnlyServerInsistingOnACertificateIsObservedNotAnError) {
    const auto legacy = server({"-tls1", "-cipher", "ALL:@SECLEVEL=0", "-Verify", "1", "-CAfile", pki_->file("ca.pem")});
    const tls_detail::TlsScan result = scan(legacy->port(), false);
    EXPECT_THAT(result.problems, IsEmpty());
    EXPECT_EQ(text(result.facts, "tls.negotiated.protocol"), "none");
    EXPECT_TRUE(flag(result.facts, "tls.protocol.tls1_0"));
    EXPECT_FALSE(flag(result.facts, "tls.protocol.tls1_2"));
    EXPECT_TRUE(flag(result.facts, "tls.client_cert.required"));
}

// Issue 15 (an attacker's find): at full depth a TLS 1.2 server insisting on a client certificate
// ends every handshake, but its staple came in its flight before the request: it is judged.
TEST_F(TlsDepthTest, AStapleBeforeACertificateDemandIsJudged) {
    const auto strict = server({"-tls1_2", "-status_file", pki_->file("staple.der"), "-Verify", "1", "-CAfile",
                                pki_->file("ca.pem")});
    const Facts facts = deep(strict->port());
    EXPECT_EQ(text(facts, "tls.ocsp.staple"), "good");
    EXPECT_TRUE(flag(facts, "tls.ocsp.stapled"));
    EXPECT_TRUE(flag(facts, "tls.client_cert.required"));
}

// Issue 15 (an attacker's find): a responder that answers at once, but with an HTTP error, was
// reported as not answering in time. The answer is named.
TEST_F(TlsDepthTest, AResponderAnsweringWithAnHttpErrorIsNamedNotATimeout) {
    const auto good = server({}, "good");
    responder_->stop();
    // python3's http.server refuses a POST with 501 at once.
    const std::string empty = pki_->file("empty-dir");
    std::string output;
    ASSERT_EQ(run_command({"mkdir", "-p", empty}, &output), 0);
    {
        ChildProcess web({"python3", "-m", "http.server", std::to_string(pki_->ocsp_port()), "--bind", "127.0.0.1",
                          "--directory", empty},
                         pki_->file("junk-responder.log"));
        ASSERT_TRUE(testing_support::wait_for_port(pki_->ocsp_port()));
        const tls_detail::TlsScan result = scan(good->port(), true, std::chrono::seconds(2));
        EXPECT_EQ(find_value(result.facts, "tls.revocation.status"), nullptr);
        const std::string problems = testing::PrintToString(result.problems);
        EXPECT_THAT(problems, HasSubstr("answered, but not with an OCSP response"));
        EXPECT_THAT(problems, HasSubstr("501"));
        EXPECT_THAT(problems, Not(HasSubstr("did not answer")));
    }
    delete responder_;
    responder_ = nullptr;
    start_responder();
}

// Issue 15 (an attacker's find): a port answering in plain HTTP gave OpenSSL's "wrong version
// number", which names a TLS detail; the error now says the answer is not TLS.
TEST_F(TlsDepthTest, APortSpeakingPlainHttpIsNamedAsNotTls) {
    ScriptedServer http([](int fd) {
        unsigned char header[5];
        if (testing_support::read_exact(fd, header, sizeof header)) {
            testing_support::write_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    const tls_detail::TlsScan result = scan(http.port(), false);
    EXPECT_FALSE(flag(result.facts, "tls.reachable"));
    EXPECT_THAT(text(result.facts, "tls.error"), HasSubstr("the answer is not TLS"));
}

/// The first bytes a client sent (its ClientHello), left unread for whoever answers it.
std::string peek_hello(int fd) {
    char peek[8192];
    const ssize_t got = ::recv(fd, peek, sizeof peek, MSG_PEEK);
    return std::string(peek, got > 0 ? static_cast<std::size_t>(got) : 0U);
}

/// A front that relays to 127.0.0.1:`backend_port` the hellos offering OpenSSL's client's three
/// EC point formats (lisa's own hello offers one) and answers every other hello with a
/// handshake_failure alert, or by hanging up: a server wanting something lisa's hello lacks.
ScriptedServer::Handler relay_only_openssl_hellos(int backend_port, bool hang_up) {
    return [backend_port, hang_up](int fd) {
        const std::string hello = peek_hello(fd);
        if (hello.find(std::string("\x00\x0b\x00\x04\x03\x00\x01\x02", 8)) != std::string::npos) {
            testing_support::relay_to(fd, backend_port);
        } else if (!hang_up) {
            testing_support::write_all(fd, std::string("\x15\x03\x03\x00\x02\x02\x28", 7));
        }
    };
}

// Issue 15: a server that completes OpenSSL's handshake but refuses lisa's own hellos (here: it
// insists on the EC point formats OpenSSL's client offers and lisa's hello does not) would
// read as "no suites": the version is accepted (the handshake says so), and its suites and
// everything derived from them are a problem, never an empty list a rule could pass.
TEST_F(TlsDepthTest, AServerRefusingLisasOwnHellosIsAProblemNeverAnEmptyList) {
    const auto backend = server({"-tls1_2"});
    const int backend_port = backend->port();
    ScriptedServer picky(relay_only_openssl_hellos(backend_port, false));
    const tls_detail::TlsScan result = scan(picky.port());
    EXPECT_EQ(text(result.facts, "tls.negotiated.protocol"), "TLSv1.2");
    EXPECT_TRUE(flag(result.facts, "tls.protocol.tls1_2"));
    for (const char* name : {"tls.cipher.suites.tls1_2", "tls.cipher.aead_offered", "tls.cipher.fs_only",
                             "tls.cipher.weak_accepted", "tls.renegotiation.secure", "tls.compression"}) {
        EXPECT_EQ(find_value(result.facts, name), nullptr) << name;
    }
    EXPECT_THAT(testing::PrintToString(result.problems), HasSubstr("refused lisa's own hello"));
    // At the default depth a version hello the server hangs up on is decided by OpenSSL's
    // complete handshake at that version.
    const auto both = server({});
    const int both_port = both->port();
    ScriptedServer picky_both(relay_only_openssl_hellos(both_port, true));
    const tls_detail::TlsScan standard = scan(picky_both.port(), false);
    EXPECT_THAT(standard.problems, IsEmpty());
    EXPECT_EQ(text(standard.facts, "tls.negotiated.protocol"), "TLSv1.3");
    EXPECT_TRUE(flag(standard.facts, "tls.protocol.tls1_2"));
    EXPECT_FALSE(flag(standard.facts, "tls.protocol.tls1_1"));
}

/// Answers a TLS ≤ 1.2 ClientHello (already peeked, not read) with a ServerHello at the client's
/// version, a CertificateRequest and a ServerHelloDone — no certificate: a server whose older
/// versions ask for a client certificate and cannot complete a handshake.
void certificate_request_flight(int fd) {
    char record[5];
    if (!testing_support::read_exact(fd, record, sizeof record)) {
        return;
    }
    std::string body(static_cast<std::size_t>((static_cast<unsigned char>(record[3]) << 8U) |
                                              static_cast<unsigned char>(record[4])),
                     '\0');
    if (body.size() < 6 || !testing_support::read_exact(fd, body.data(), body.size())) {
        return;
    }
    const unsigned version = (static_cast<unsigned char>(body[4]) << 8U) | static_cast<unsigned char>(body[5]);
    const std::string hello_body = u16(version) + std::string(32, '\x02') + std::string(1, '\0') + u16(0xC02F) +
                                   std::string(1, '\0');
    std::string request_body = std::string("\x01\x01", 2);  // certificate_types: rsa_sign
    if (version >= 0x0303) {
        request_body += u16(2) + u16(0x0401);  // supported_signature_algorithms
    }
    request_body += u16(0);  // certificate_authorities: none
    const auto message = [](unsigned type, const std::string& content) {
        return std::string(1, static_cast<char>(type)) + std::string(1, '\0') +
               u16(static_cast<unsigned>(content.size())) + content;
    };
    const std::string flight = message(2, hello_body) + message(13, request_body) + message(14, "");
    testing_support::write_all(fd, std::string(1, '\x16') + u16(version) + u16(static_cast<unsigned>(flight.size())) +
                                       flight);
}

// Issue 15 (an attacker's find): a certificate request seen in a version hello's flight, when the
// complete handshake at that version then failed, was dropped: the server asks, so requested is
// true, and whether it insists and which CAs it names are a problem, never "not asked". The front
// relays TLS 1.3 hellos to a real server and answers the older ones with such a flight.
TEST_F(TlsDepthTest, ACertificateRequestInAVersionHelloIsNeverDropped) {
    const auto modern = server({"-tls1_3"});
    const int modern_port = modern->port();
    ScriptedServer front([modern_port](int fd) {
        const std::string hello = peek_hello(fd);
        const auto versions = hello.find(std::string("\x00\x2b\x00", 3));
        if (versions != std::string::npos && hello.find(std::string("\x03\x04", 2), versions) < versions + 16) {
            testing_support::relay_to(fd, modern_port);
        } else {
            certificate_request_flight(fd);
        }
    });
    const tls_detail::TlsScan result = scan(front.port(), false);
    EXPECT_EQ(text(result.facts, "tls.negotiated.protocol"), "TLSv1.3");
    EXPECT_TRUE(flag(result.facts, "tls.protocol.tls1_2"));
    EXPECT_TRUE(flag(result.facts, "tls.client_cert.requested"));
    EXPECT_EQ(find_value(result.facts, "tls.client_cert.required"), nullptr);
    EXPECT_EQ(find_value(result.facts, "tls.client_cert.ca_names"), nullptr);
    EXPECT_THAT(testing::PrintToString(result.problems), HasSubstr("asked for a client certificate at TLSv1.2"));
}

/// A self-signed certificate for 127.0.0.1 with the key `genpkey_args` make (openssl genpkey),
/// as dir/<name>.pem and dir/<name>.key.
void self_signed(const std::string& name, const std::vector<std::string>& genpkey_args, const std::string& key,
                 const std::string& cert) {
    std::vector<std::string> argv = {"openssl", "genpkey"};
    argv.insert(argv.end(), genpkey_args.begin(), genpkey_args.end());
    argv.insert(argv.end(), {"-out", key});
    std::string output;
    ASSERT_EQ(run_command(argv, &output), 0) << name << ": " << output;
    ASSERT_EQ(run_command({"openssl", "req", "-x509", "-key", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                           "-addext", "subjectAltName=IP:127.0.0.1"},
                          &output),
              0)
        << name << ": " << output;
}

// Issue 15 (a second attacker's finds): servers that OpenSSL's default and key-type handshakes
// cannot complete with — a brainpool EC certificate, a DSA key, a brainpool-only group, a TLS
// 1.3 server with only CCM suites — lost their certificate facts (or every fact) at one depth or
// both. The legacy handshakes offer every group and TLS 1.3 suite OpenSSL has, and full depth
// asks the newest accepted version with one when nothing else showed a certificate.
TEST_F(TlsDepthTest, ServersOnlyALegacyClientCompletesWithKeepTheirCertificateFacts) {
    std::string output;
    const std::string params = pki_->file("dsa-params.pem");
    ASSERT_EQ(run_command({"openssl", "genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024",
                           "-out", params},
                          &output),
              0)
        << output;
    self_signed("brainpool", {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:brainpoolP256r1"},
                pki_->file("bp.key"), pki_->file("bp.pem"));
    self_signed("dsa", {"-paramfile", params}, pki_->file("dsa.key"), pki_->file("dsa.pem"));
    struct Case {
        std::string cert;
        std::vector<std::string> args;
        std::string key_type;
    };
    const std::vector<Case> cases = {
        {"bp", {"-cipher", "ALL:@SECLEVEL=0"}, "EC"},
        {"dsa", {"-cipher", "ALL:@SECLEVEL=0"}, "DSA"},
        {"good", {"-groups", "brainpoolP256r1"}, "RSA"},
    };
    for (const Case& c : cases) {
        SServer s(pki_->file(c.cert + ".pem"), pki_->file(c.cert + ".key"), c.args, pki_->file("s_server.log"));
        for (const bool full : {false, true}) {
            const tls_detail::TlsScan result = scan(s.port(), full);
            EXPECT_EQ(text(result.facts, "tls.cert.key_type"), c.key_type) << c.cert << " full=" << full;
            EXPECT_TRUE(flag(result.facts, "tls.protocol.tls1_2")) << c.cert << " full=" << full;
            EXPECT_THAT(testing::PrintToString(result.problems), Not(HasSubstr("no server certificate observed")))
                << c.cert << " full=" << full;
        }
    }
    const auto ccm = server({"-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256"});
    const tls_detail::TlsScan result = scan(ccm->port(), false);
    EXPECT_TRUE(flag(result.facts, "tls.reachable"));
    EXPECT_TRUE(flag(result.facts, "tls.protocol.tls1_3"));
    EXPECT_FALSE(flag(result.facts, "tls.protocol.tls1_2"));
    EXPECT_EQ(text(result.facts, "tls.cert.key_type"), "RSA");
}

// Issue 15 (a second attacker's find): at full depth, which makes no pinned handshakes, a TLS
// 1.0-only server insisting on a client certificate read as "not asked": the key-type
// handshakes' view counts too. And where no handshake got through the server's flight, whether
// it asks is unknown — a problem, never "false".
TEST_F(TlsDepthTest, ClientCertificateFactsAtFullDepthAndWhenNothingGotThrough) {
    const auto legacy = server({"-tls1", "-cipher", "ALL:@SECLEVEL=0", "-Verify", "1", "-CAfile", pki_->file("ca.pem")});
    const Facts facts = deep(legacy->port());
    EXPECT_TRUE(flag(facts, "tls.client_cert.requested"));
    EXPECT_TRUE(flag(facts, "tls.client_cert.required"));
    ScriptedServer flight_only([](int fd) { certificate_request_flight(fd); });
    for (const bool full : {false, true}) {
        const tls_detail::TlsScan result = scan(flight_only.port(), full);
        EXPECT_EQ(find_value(result.facts, "tls.client_cert.requested"), nullptr) << full;
        EXPECT_THAT(testing::PrintToString(result.problems), HasSubstr("whether it asks for a client certificate is unknown"))
            << full;
    }
}

}  // namespace
}  // namespace lisa
