// SPDX-License-Identifier: Apache-2.0
// The pure half of the tls probe: certificate (PEM the test makes) -> tls.cert.* facts.
#include <ctime>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "process.hpp"
#include "test_pki.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {
namespace {

using ::testing::HasSubstr;
using testing_support::CertSpec;
using testing_support::TempDir;
using testing_support::TestPki;

const Date kAsOf = Date::from_ymd(2030, 1, 1);

// Today (UTC): the test certificates are made now, so chain checks run as of today.
Date today() { return Date{static_cast<std::int64_t>(std::time(nullptr) / 86400)}; }

class CertificateFactsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        pki_ = new TestPki(dir_->path());
    }
    static void TearDownTestSuite() {
        delete pki_;
        delete dir_;
        pki_ = nullptr;
        dir_ = nullptr;
    }

    static X509Ptr make(const std::string& name, const CertSpec& spec) {
        return parse_pem_certificate(pki_->issue(name, spec).cert_pem);
    }

    static Facts facts_of(X509* cert, std::string_view expected = "localhost") {
        return certificate_facts(cert, expected, kAsOf, "test");
    }

    static const Value& value(const Facts& facts, const std::string& name) {
        static const Value none;
        const auto it = facts.find(name);
        return it == facts.end() ? none : it->second.value;
    }

    static TempDir* dir_;
    static TestPki* pki_;
};

TempDir* CertificateFactsTest::dir_ = nullptr;
TestPki* CertificateFactsTest::pki_ = nullptr;

TEST_F(CertificateFactsTest, DescribesAValidRsaCertificate) {
    const X509Ptr cert = make("valid", CertSpec{});
    ASSERT_NE(cert, nullptr);
    const Facts facts = facts_of(cert.get());
    EXPECT_EQ(value(facts, "tls.cert.key_type"), Value("RSA"));
    EXPECT_EQ(value(facts, "tls.cert.key_bits"), Value(2048));
    EXPECT_EQ(value(facts, "tls.cert.signature_algorithm"), Value("sha256WithRSAEncryption"));
    EXPECT_EQ(value(facts, "tls.cert.self_signed"), Value(false));
    EXPECT_EQ(value(facts, "tls.cert.hostname_match"), Value(true));
    EXPECT_EQ(value(facts, "tls.cert.subject"), Value("CN=localhost"));
    EXPECT_EQ(value(facts, "tls.cert.issuer"), Value("CN=Lisa Test CA,O=Växjö kommun"));
    EXPECT_EQ(value(facts, "tls.cert.san"), Value(StringList{"localhost", "127.0.0.1"}));
    EXPECT_EQ(value(facts, "tls.cert.fingerprint_sha256").as_string()->size(), 64U);
    const auto it = facts.find("tls.cert.key_type");
    ASSERT_NE(it, facts.end());
    EXPECT_EQ(it->second.provenance, Provenance::Probed);
    EXPECT_EQ(it->second.source, "test");
}

TEST_F(CertificateFactsTest, CountsDaysRemainingFromAsOf) {
    const X509Ptr cert = make("dated", CertSpec{});
    const Facts facts = facts_of(cert.get());
    const Date* not_after = value(facts, "tls.cert.not_after").as_date();
    ASSERT_NE(not_after, nullptr);
    EXPECT_EQ(value(facts, "tls.cert.days_remaining"),
              Value(std::int64_t{not_after->days - kAsOf.days}));
    // Relative to a date after expiry the count is negative.
    const Facts later =
        certificate_facts(cert.get(), "localhost", Date{not_after->days + 5}, "test");
    EXPECT_EQ(value(later, "tls.cert.days_remaining"), Value(std::int64_t{-5}));
}

TEST_F(CertificateFactsTest, MatchesHostnamesAndIpAddresses) {
    const X509Ptr cert = make("names", CertSpec{});
    EXPECT_EQ(value(facts_of(cert.get(), "127.0.0.1"), "tls.cert.hostname_match"), Value(true));
    EXPECT_EQ(value(facts_of(cert.get(), "127.0.0.2"), "tls.cert.hostname_match"), Value(false));
    EXPECT_EQ(value(facts_of(cert.get(), "www.example.se"), "tls.cert.hostname_match"),
              Value(false));

    CertSpec wildcard;
    wildcard.common_name = "kommun.example";
    wildcard.dns_names = {"*.kommun.example"};
    wildcard.ips = {};
    const X509Ptr wild = make("wildcard", wildcard);
    EXPECT_EQ(value(facts_of(wild.get(), "e.kommun.example"), "tls.cert.hostname_match"),
              Value(true));
    EXPECT_EQ(value(facts_of(wild.get(), "a.b.kommun.example"), "tls.cert.hostname_match"),
              Value(false));
}

TEST_F(CertificateFactsTest, DescribesEcSha1SmallAndSelfSignedCertificates) {
    CertSpec ec;
    ec.key = CertSpec::Key::EcP256;
    const Facts ec_facts = facts_of(make("ec", ec).get());
    EXPECT_EQ(value(ec_facts, "tls.cert.key_type"), Value("EC"));
    EXPECT_EQ(value(ec_facts, "tls.cert.key_bits"), Value(256));

    CertSpec sha1;
    sha1.sha1 = true;
    EXPECT_EQ(value(facts_of(make("sha1", sha1).get()), "tls.cert.signature_algorithm"),
              Value("sha1WithRSAEncryption"));

    CertSpec small;
    small.key = CertSpec::Key::Rsa1024;
    EXPECT_EQ(value(facts_of(make("small", small).get()), "tls.cert.key_bits"), Value(1024));

    CertSpec self;
    self.self_signed = true;
    const Facts self_facts = facts_of(make("self", self).get());
    EXPECT_EQ(value(self_facts, "tls.cert.self_signed"), Value(true));
    EXPECT_EQ(value(self_facts, "tls.cert.issuer"), Value("CN=localhost"));
}

TEST_F(CertificateFactsTest, NullCertificateGivesNoFacts) {
    EXPECT_TRUE(certificate_facts(nullptr, "localhost", kAsOf, "test").empty());
    EXPECT_EQ(parse_pem_certificate("not a certificate"), nullptr);
}

TEST_F(CertificateFactsTest, VerifiesChainsAgainstTheGivenCa) {
    const X509Ptr valid = make("chain-valid", CertSpec{});
    ChainVerdict verdict = verify_chain(valid.get(), nullptr, pki_->ca_file(), false, today());
    EXPECT_TRUE(verdict.valid);
    EXPECT_EQ(verdict.error, "ok");

    CertSpec expired;
    expired.not_before_days = -30;
    expired.not_after_days = -2;
    verdict = verify_chain(make("chain-expired", expired).get(), nullptr, pki_->ca_file(), false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_EQ(verdict.error, "certificate has expired");

    CertSpec self;
    self.self_signed = true;
    verdict = verify_chain(make("chain-self", self).get(), nullptr, pki_->ca_file(), false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_THAT(verdict.error, HasSubstr("self-signed"));

    // The test CA is not in the system store.
    verdict = verify_chain(valid.get(), nullptr, "", false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_EQ(verdict.error, "unable to get local issuer certificate");

    verdict = verify_chain(valid.get(), nullptr, dir_->file("missing.pem"), false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_THAT(verdict.error, HasSubstr("cannot load ca_file"));
}

TEST_F(CertificateFactsTest, JudgesTheChainAsOfTheAuditDateNotTheWallClock) {
    // --as-of fixes validity like every other date: a report for a later date sees the expiry.
    CertSpec short_lived;
    short_lived.not_before_days = -1;
    short_lived.not_after_days = 10;
    const X509Ptr cert = make("chain-short", short_lived);
    EXPECT_TRUE(verify_chain(cert.get(), nullptr, pki_->ca_file(), false, today()).valid);
    const ChainVerdict later = verify_chain(cert.get(), nullptr, pki_->ca_file(), false, Date{today().days + 30});
    EXPECT_FALSE(later.valid);
    EXPECT_EQ(later.error, "certificate has expired");
    const ChainVerdict earlier = verify_chain(cert.get(), nullptr, pki_->ca_file(), false, Date{today().days - 30});
    EXPECT_FALSE(earlier.valid);
    EXPECT_EQ(earlier.error, "certificate is not yet valid");
}

TEST_F(CertificateFactsTest, ParsesPemChainsInOrder) {
    const std::string pem = pki_->issue("chain-a", CertSpec{}).cert_pem + pki_->ca_pem();
    const X509StackPtr chain = parse_pem_chain(pem);
    ASSERT_EQ(sk_X509_num(chain.get()), 2);
    EXPECT_EQ(name_to_string(X509_get_subject_name(sk_X509_value(chain.get(), 1))),
              "CN=Lisa Test CA,O=Växjö kommun");
}

TEST(IpLiteralTest, RecognisesV4AndV6Only) {
    EXPECT_TRUE(is_ip_literal("127.0.0.1"));
    EXPECT_TRUE(is_ip_literal("::1"));
    EXPECT_FALSE(is_ip_literal("localhost"));
    EXPECT_FALSE(is_ip_literal("1.2.3"));
    EXPECT_FALSE(is_ip_literal(""));
}

}  // namespace
}  // namespace lisa::tls_detail
