// SPDX-License-Identifier: Apache-2.0
// The pure half of the tls probe: certificate (PEM the test makes) -> tls.cert.* facts.
#include <sys/stat.h>

#include <ctime>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "process.hpp"
#include "test_pki.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::CertSpec;
using testing_support::TempDir;
using testing_support::TestPki;

// Today (UTC): the test certificates are made now, so every check runs as of today — never a
// fixed date, which would one day fall outside what was made at run time.
Date today() { return Date{static_cast<std::int64_t>(std::time(nullptr) / 86400)}; }
const Date kAsOf = today();

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

// Issue 15: a host-name mismatch names the certificate as it names itself — key type, every
// CN, the SANs (the first 10, then how many more) — so the message says which one to replace.
TEST_F(CertificateFactsTest, NamesACertificateByKeyTypeCnAndSans) {
    CertSpec spec;
    spec.common_name = "växjö.example";
    spec.dns_names = {"a.example", "b.example"};
    spec.ips = {"127.0.0.1"};
    const X509Ptr cert = make("described", spec);
    EXPECT_EQ(certificate_names(cert.get()), "RSA certificate CN=växjö.example, SAN a.example, b.example, 127.0.0.1");
    CertSpec many;
    many.key = CertSpec::Key::EcP256;
    many.dns_names.clear();
    for (int i = 1; i <= 12; ++i) {
        many.dns_names.push_back("n" + std::to_string(i) + ".example");
    }
    many.ips = {};
    const std::string text = certificate_names(make("many", many).get());
    EXPECT_THAT(text, HasSubstr("EC certificate CN=localhost, SAN n1.example, n2.example"));
    EXPECT_THAT(text, HasSubstr("n10.example (+2 more SANs)"));
    EXPECT_THAT(text, Not(HasSubstr("n11.example")));
    EXPECT_EQ(certificate_names(nullptr), "no certificate");
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

    // A FIFO named as ca_file is refused on the opened descriptor, never waited on.
    const std::string fifo = dir_->file("ca.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    verdict = verify_chain(valid.get(), nullptr, fifo, false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_THAT(verdict.error, HasSubstr("not a regular file"));
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

// Issue 11 A: what the server sends is judged apart from what lisa trusts. Only self-signed
// certificates of ca_file are anchors; its intermediates never complete a chain the server sent
// incomplete, and completeness is reported apart from validity.
TEST_F(CertificateFactsTest, CompletenessIsJudgedApartFromValidity) {
    const auto intermediate = pki_->issue_intermediate("Completeness Issuing CA");
    CertSpec expired;
    expired.issuer = "Completeness Issuing CA";
    expired.not_before_days = -30;
    expired.not_after_days = -2;
    const std::string leaf_pem = pki_->issue("complete-expired", expired).cert_pem;
    const X509Ptr leaf = parse_pem_certificate(leaf_pem);
    const std::string bundle = dir_->file("complete-bundle.pem");
    testing_support::write_file(bundle, pki_->ca_pem() + intermediate.cert_pem);

    // Leaf only, ca_file = root + intermediate: incomplete, and the hint names the gap.
    ChainVerdict verdict = verify_chain(leaf.get(), nullptr, bundle, false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_FALSE(verdict.complete);
    EXPECT_THAT(verdict.error, HasSubstr("does not send the intermediate"));

    // Leaf + intermediate sent, root trusted: complete, but invalid for the expiry alone.
    const X509StackPtr sent = parse_pem_chain(leaf_pem + intermediate.cert_pem);
    verdict = verify_chain(leaf.get(), sent.get(), pki_->ca_file(), false, today());
    EXPECT_FALSE(verdict.valid);
    EXPECT_TRUE(verdict.complete);
    EXPECT_EQ(verdict.error, "certificate has expired");

    // The intermediate pinned as an anchor: complete without being sent.
    verdict = verify_chain(leaf.get(), nullptr, intermediate.cert_file, true, today());
    EXPECT_TRUE(verdict.complete);
    EXPECT_EQ(verdict.error, "certificate has expired");
    verdict = verify_chain(leaf.get(), nullptr, intermediate.cert_file, false, today());
    EXPECT_FALSE(verdict.complete);
    EXPECT_THAT(verdict.error, HasSubstr("no self-signed (root) certificate"));
}

// Issue 11 A: the first expiry, weakest key and weakest signature over every certificate of
// every chain sent (one chain per key type the server holds).
TEST_F(CertificateFactsTest, ChainFactsCoverEveryCertificateSent) {
    const auto intermediate = pki_->issue_intermediate("Chain Facts Issuing CA", -30, 20);
    CertSpec leaf;
    leaf.issuer = "Chain Facts Issuing CA";
    const X509StackPtr chain =
        parse_pem_chain(pki_->issue("facts-leaf", leaf).cert_pem + intermediate.cert_pem);
    Facts facts = chain_facts({chain.get()}, today(), "test");
    EXPECT_THAT(*value(facts, "tls.chain.min_days_remaining").as_int(),
                ::testing::AllOf(::testing::Ge(19), ::testing::Le(21)));
    EXPECT_EQ(value(facts, "tls.chain.first_expiring_subject"),
              Value("CN=Chain Facts Issuing CA,O=Växjö kommun"));
    EXPECT_NE(value(facts, "tls.chain.first_expiry").as_date(), nullptr);
    EXPECT_EQ(value(facts, "tls.chain.weakest_key_type"), Value("RSA"));
    EXPECT_EQ(value(facts, "tls.chain.weakest_key_bits"), Value(2048));
    EXPECT_EQ(value(facts, "tls.chain.weakest_signature_algorithm"), Value("ecdsa-with-SHA256"));

    // A second certificate of the server, 1024-bit and SHA-1 signed, is the weakest.
    CertSpec weak;
    weak.key = CertSpec::Key::Rsa1024;
    weak.sha1 = true;
    const X509StackPtr other = parse_pem_chain(pki_->issue("facts-weak", weak).cert_pem);
    facts = chain_facts({chain.get(), other.get()}, today(), "test");
    EXPECT_EQ(value(facts, "tls.chain.weakest_key_bits"), Value(1024));
    EXPECT_EQ(value(facts, "tls.chain.weakest_signature_algorithm"),
              Value("sha1WithRSAEncryption"));
    EXPECT_THAT(*value(facts, "tls.chain.min_days_remaining").as_int(), ::testing::Le(21));

    // A sent root: its expiry and key count, its own SHA-1 signature does not (RFC 8446 §4.2.3).
    CertSpec root;
    root.self_signed = true;
    root.sha1 = true;
    root.not_after_days = 5;
    const X509StackPtr with_root = parse_pem_chain(pki_->issue("facts-leaf2", CertSpec{}).cert_pem +
                                                   pki_->issue("facts-root", root).cert_pem);
    facts = chain_facts({with_root.get()}, today(), "test");
    EXPECT_EQ(value(facts, "tls.chain.weakest_signature_algorithm"),
              Value("sha256WithRSAEncryption"));
    EXPECT_THAT(*value(facts, "tls.chain.min_days_remaining").as_int(),
                ::testing::AllOf(::testing::Ge(4), ::testing::Le(6)));

    EXPECT_TRUE(chain_facts({}, today(), "test").empty());
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
