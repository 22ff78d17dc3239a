// SPDX-License-Identifier: Apache-2.0
// Test support for the tls and http probe suites: a throw-away CA and the server certificates the
// tests need (valid, expired, self-signed, wrong name, 1024-bit RSA, SHA-1 signed, expiring soon,
// EC), made with the OpenSSL API in a temp dir. Never use outside tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace lisa::testing_support {

/// What a server certificate should look like.
struct CertSpec {
    enum class Key { Rsa2048, Rsa1024, EcP256 };
    std::string common_name = "localhost";
    std::vector<std::string> dns_names = {"localhost"};
    std::vector<std::string> ips = {"127.0.0.1"};
    long not_before_days = -1;  ///< relative to now
    long not_after_days = 365;  ///< relative to now; negative = expired
    Key key = Key::Rsa2048;
    bool sha1 = false;         ///< sign with SHA-1 instead of SHA-256
    bool self_signed = false;  ///< sign with its own key instead of the CA's
    std::string issuer;        ///< an intermediate made by issue_intermediate; empty = the root
};

/// Files of one issued certificate.
struct Issued {
    std::string cert_file;  ///< PEM certificate
    std::string key_file;   ///< PEM private key (unencrypted)
    std::string cert_pem;
};

/**
 * A test CA ("CN=Lisa Test CA,O=Växjö kommun", RSA 2048) writing into `dir`. RSA key generation
 * is the slow part (up to a second on a busy machine), so the throw-away RSA keys are kept in
 * `key_cache_dir` when given (default: LISA_TEST_KEY_CACHE_DIR, set to the build tree by CMake)
 * and reused by later test processes; certificates are always made fresh.
 */
class TestPki {
public:
    explicit TestPki(std::string dir, std::string key_cache_dir = default_key_cache_dir());
    /// LISA_TEST_KEY_CACHE_DIR when compiled in, else empty (no cache).
    static std::string default_key_cache_dir();
    TestPki(const TestPki&) = delete;
    TestPki& operator=(const TestPki&) = delete;
    ~TestPki();

    /// Issues (or self-signs) a certificate; files are dir/<name>.pem and dir/<name>.key.
    Issued issue(const std::string& name, const CertSpec& spec);

    /**
     * An intermediate (issuing) CA "CN=<name>,O=Växjö kommun" signed by the root: EC P-256,
     * CA:TRUE with pathlen 0, valid from not_before_days to not_after_days relative to now.
     * Leaves name it in CertSpec::issuer. Files are dir/<name>.pem and dir/<name>.key.
     */
    Issued issue_intermediate(const std::string& name, long not_before_days = -30,
                              long not_after_days = 1825);

    [[nodiscard]] const std::string& ca_file() const noexcept { return ca_file_; }
    [[nodiscard]] const std::string& ca_pem() const noexcept { return ca_pem_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string dir_;
    std::string key_cache_dir_;
    std::string ca_file_;
    std::string ca_pem_;
};

}  // namespace lisa::testing_support
