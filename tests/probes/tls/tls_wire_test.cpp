// SPDX-License-Identifier: Apache-2.0
// The byte formats the tls probe speaks itself: ClientHello/ServerHello, LDAP StartTLS, SMTP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <openssl/bn.h>

#include "tls_detail.hpp"

namespace lisa::tls_detail {
namespace {

using Bytes = std::vector<std::uint8_t>;

/// A ServerHello record; `versions_ext` adds supported_versions.
Bytes server_hello_record(std::uint16_t legacy, std::uint16_t suite, std::uint16_t versions_ext = 0,
                          bool retry = false) {
    Bytes body = {static_cast<std::uint8_t>(legacy >> 8), static_cast<std::uint8_t>(legacy)};
    static constexpr std::uint8_t kRetry[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11,
                                                0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
                                                0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E,
                                                0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
    for (int i = 0; i < 32; ++i) {
        body.push_back(retry ? kRetry[i] : static_cast<std::uint8_t>(i));
    }
    body.push_back(0);  // session id
    body.push_back(static_cast<std::uint8_t>(suite >> 8));
    body.push_back(static_cast<std::uint8_t>(suite));
    body.push_back(0);  // compression
    if (versions_ext != 0) {
        body.insert(body.end(), {0x00, 0x06, 0x00, 0x2B, 0x00, 0x02,
                                 static_cast<std::uint8_t>(versions_ext >> 8),
                                 static_cast<std::uint8_t>(versions_ext)});
    }
    // One buffer, sized up front and filled in place: GCC 12 at -O3 reports a false
    // array-bounds overflow (memcpy "offset 5 out of [0, 5]") when a vector built from a 5-byte
    // initializer list is grown by insert(), which stopped `scripts/bench` (release, -Werror).
    const std::size_t message_size = 4 + body.size();
    Bytes record(5 + message_size);
    const std::array<std::uint8_t, 9> header = {
        22, 3, 3, static_cast<std::uint8_t>(message_size >> 8),
        static_cast<std::uint8_t>(message_size), 2, 0,
        static_cast<std::uint8_t>(body.size() >> 8), static_cast<std::uint8_t>(body.size())};
    std::copy(header.begin(), header.end(), record.begin());
    std::copy(body.begin(), body.end(), record.begin() + 9);
    return record;
}

bool contains_suite(const Bytes& hello, std::uint16_t suite) {
    // cipher suites start after record(5) + handshake header(4) + version(2) + random(32) + sid(1)
    const std::size_t start = 5 + 4 + 2 + 32 + 1;
    const std::size_t length = (std::size_t{hello[start]} << 8) | hello[start + 1];
    for (std::size_t i = start + 2; i < start + 2 + length; i += 2) {
        if (((std::uint16_t{hello[i]} << 8) | hello[i + 1]) == suite) {
            return true;
        }
    }
    return false;
}

TEST(ClientHelloTest, OffersExactlyTheGivenSuitesPlusScsv) {
    std::array<std::uint8_t, 32> random{};
    const Bytes hello = build_client_hello({0x0005, 0x000A}, "mail.kommun.example", random);
    ASSERT_GT(hello.size(), 60U);
    EXPECT_EQ(hello[0], 22);  // handshake record
    EXPECT_EQ(((hello[3] << 8) | hello[4]) + 5, static_cast<int>(hello.size()));
    EXPECT_EQ(hello[5], 1);  // client_hello
    EXPECT_TRUE(contains_suite(hello, 0x0005));
    EXPECT_TRUE(contains_suite(hello, 0x000A));
    EXPECT_TRUE(contains_suite(hello, 0x00FF));
    EXPECT_FALSE(contains_suite(hello, 0xC02F));
    const std::string text(hello.begin(), hello.end());
    EXPECT_NE(text.find("mail.kommun.example"), std::string::npos);
}

TEST(ClientHelloTest, SendsNoServerNameForIpLiterals) {
    const Bytes hello = build_client_hello(std::vector<std::uint16_t>{0x0005}, "127.0.0.1", {});
    const std::string text(hello.begin(), hello.end());
    EXPECT_EQ(text.find("127.0.0.1"), std::string::npos);
}

TEST(ServerReplyTest, DecodesAServerHello) {
    const Bytes record = server_hello_record(kTls12, 0x0005);
    const ServerReply reply = parse_server_reply(record.data(), record.size());
    ASSERT_EQ(reply.kind, ServerReply::Kind::Hello);
    EXPECT_EQ(reply.hello.version, kTls12);
    EXPECT_EQ(reply.hello.suite, 0x0005);
    EXPECT_FALSE(reply.hello.retry_request);
}

TEST(ServerReplyTest, NeedsMoreUntilTheRecordIsComplete) {
    const Bytes record = server_hello_record(kTls12, 0x0005);
    for (std::size_t size : {std::size_t{0}, std::size_t{3}, std::size_t{5}, record.size() - 1}) {
        EXPECT_EQ(parse_server_reply(record.data(), size).kind, ServerReply::Kind::NeedMore)
            << size;
    }
}

TEST(ServerReplyTest, DecodesAlertsAndRejectsNonTls) {
    const Bytes alert = {21, 3, 3, 0, 2, 2, 40};
    const ServerReply reply = parse_server_reply(alert.data(), alert.size());
    EXPECT_EQ(reply.kind, ServerReply::Kind::Alert);
    EXPECT_EQ(reply.alert, 40);
    const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
    EXPECT_EQ(
        parse_server_reply(reinterpret_cast<const std::uint8_t*>(http.data()), http.size()).kind,
        ServerReply::Kind::Invalid);
}

/// A TLS 1.2 handshake record holding the given messages (type, body size; bodies are zeros
/// except a ServerKeyExchange's named-curve header for secp256r1).
Bytes flight_record(const std::vector<std::pair<std::uint8_t, std::size_t>>& messages) {
    Bytes payload;
    for (const auto& [type, size] : messages) {
        const std::array<std::uint8_t, 4> header = {type, 0, static_cast<std::uint8_t>(size >> 8),
                                                    static_cast<std::uint8_t>(size)};
        payload.insert(payload.end(), header.begin(), header.end());
        Bytes body(size, 0);
        if (type == 12 && size >= 3) {
            body[0] = 3;  // named_curve
            body[2] = 0x17;  // secp256r1
        }
        payload.insert(payload.end(), body.begin(), body.end());
    }
    // Sized up front, as server_hello_record (GCC 12's false array-bounds warning).
    Bytes record(5 + payload.size());
    const std::array<std::uint8_t, 5> header = {22, 3, 3, static_cast<std::uint8_t>(payload.size() >> 8),
                                                static_cast<std::uint8_t>(payload.size())};
    std::copy(header.begin(), header.end(), record.begin());
    std::copy(payload.begin(), payload.end(), record.begin() + 5);
    return record;
}

// The version hellos of a scan whose default handshake completed read a TLS 1.2 flight to its
// ServerHelloDone to see a CertificateRequest (issue 15); the other reads stop where they did.
TEST(ServerReplyTest, ReadsTheFlightAsFarAsAsked) {
    Bytes with_request = server_hello_record(kTls12, 0xC02F);
    const Bytes rest = flight_record({{11, 40}, {12, 70}, {13, 12}, {14, 0}});
    with_request.insert(with_request.end(), rest.begin(), rest.end());
    Bytes without = server_hello_record(kTls12, 0xC02F);
    const Bytes plain = flight_record({{11, 40}, {12, 70}, {14, 0}});
    without.insert(without.end(), plain.begin(), plain.end());

    const ServerReply hello = parse_server_reply(with_request.data(), with_request.size(), ReadTo::Hello);
    ASSERT_EQ(hello.kind, ServerReply::Kind::Hello);
    EXPECT_FALSE(hello.cert_request);
    const ServerReply kx = parse_server_reply(with_request.data(), with_request.size(), ReadTo::KeyExchange);
    ASSERT_EQ(kx.kind, ServerReply::Kind::Hello);
    EXPECT_EQ(kx.ske_group, 0x0017);
    EXPECT_FALSE(kx.cert_request);
    const ServerReply done = parse_server_reply(with_request.data(), with_request.size(), ReadTo::HelloDone);
    ASSERT_EQ(done.kind, ServerReply::Kind::Hello);
    EXPECT_TRUE(done.cert_request);
    EXPECT_EQ(done.ske_group, 0x0017);
    const ServerReply none = parse_server_reply(without.data(), without.size(), ReadTo::HelloDone);
    ASSERT_EQ(none.kind, ServerReply::Kind::Hello);
    EXPECT_FALSE(none.cert_request);
    // Until the ServerHelloDone has arrived the flight is not over.
    EXPECT_EQ(parse_server_reply(with_request.data(), with_request.size() - 4, ReadTo::HelloDone).kind,
              ServerReply::Kind::NeedMore);
    // A TLS 1.3 ServerHello ends the read: the rest of its flight is encrypted.
    const Bytes tls13 = server_hello_record(kTls12, 0x1301, kTls13);
    EXPECT_EQ(parse_server_reply(tls13.data(), tls13.size(), ReadTo::HelloDone).kind, ServerReply::Kind::Hello);
}

TEST(ServerHelloTest, PrefersSupportedVersionsAndSpotsHelloRetryRequest) {
    const Bytes tls13 = server_hello_record(kTls12, 0x1302, kTls13);
    auto hello = parse_server_hello_message(tls13.data() + 5, tls13.size() - 5);
    ASSERT_TRUE(hello);
    EXPECT_EQ(hello->version, kTls13);
    EXPECT_EQ(hello->suite, 0x1302);

    const Bytes retry = server_hello_record(kTls12, 0x1302, kTls13, true);
    hello = parse_server_hello_message(retry.data() + 5, retry.size() - 5);
    ASSERT_TRUE(hello);
    EXPECT_TRUE(hello->retry_request);

    EXPECT_FALSE(parse_server_hello_message(tls13.data() + 5, 20));
}

// A DHE prime is named by the standard group it is (OpenSSL's own copies), else "unknown"; its
// size is the prime's, a leading zero byte (allowed on the wire) not counted.
TEST(DhGroupTest, NamesStandardPrimesAndSizesAnyPrime) {
    BIGNUM* oakley2 = BN_get_rfc2409_prime_1024(nullptr);
    ASSERT_NE(oakley2, nullptr);
    Bytes prime(static_cast<std::size_t>(BN_num_bytes(oakley2)));
    BN_bn2bin(oakley2, prime.data());
    BN_free(oakley2);
    EXPECT_EQ(dh_group(prime).name, "modp_1024");
    EXPECT_EQ(dh_group(prime).bits, 1024);
    Bytes padded = prime;
    padded.insert(padded.begin(), 0);
    EXPECT_EQ(dh_group(padded).name, "modp_1024");
    EXPECT_EQ(dh_group(padded).bits, 1024);
    prime.back() ^= 0x02;  // any other prime of the same size
    EXPECT_EQ(dh_group(prime).name, "unknown");
    EXPECT_EQ(dh_group(prime).bits, 1024);
    EXPECT_EQ(dh_group(Bytes{0x01, 0x00}).bits, 9);
    EXPECT_EQ(dh_group(Bytes{}).bits, 0);
}

TEST(WeakClassTest, ClassifiesSuitesIntoEveryClassTheyBelongTo) {
    EXPECT_EQ(weak_classes_of(0x0005), bit(WeakClass::Rc4));
    EXPECT_EQ(weak_classes_of(0x000A), bit(WeakClass::TripleDes));
    EXPECT_EQ(weak_classes_of(0x0009), bit(WeakClass::Des));
    EXPECT_EQ(weak_classes_of(0x0017),
              bit(WeakClass::Anon) | bit(WeakClass::Export) | bit(WeakClass::Rc4));
    EXPECT_EQ(weak_classes_of(0xC015), bit(WeakClass::Null) | bit(WeakClass::Anon));
    EXPECT_EQ(weak_classes_of(0xC02F), 0U);  // ECDHE-RSA-AES128-GCM-SHA256
    EXPECT_EQ(to_string(WeakClass::TripleDes), "3des");
    for (const WeakClass weak : kWeakClasses) {
        EXPECT_FALSE(iana_suites(weak).empty());
    }
}

TEST(LdapStartTlsTest, EncodesTheExtendedRequest) {
    const Bytes request = ldap_starttls_request(1);
    const std::string oid = "1.3.6.1.4.1.1466.20037";
    Bytes expected = {0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16};
    expected.insert(expected.end(), oid.begin(), oid.end());
    EXPECT_EQ(request, expected);
}

TEST(LdapStartTlsTest, DecodesSuccessRefusalAndPartialReplies) {
    const Bytes ok = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07,
                      0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
    LdapReply reply = parse_ldap_extended_response(ok.data(), ok.size());
    EXPECT_EQ(reply.kind, LdapReply::Kind::Done);
    EXPECT_EQ(reply.result_code, 0);
    EXPECT_EQ(reply.consumed, ok.size());

    EXPECT_EQ(parse_ldap_extended_response(ok.data(), ok.size() - 1).kind,
              LdapReply::Kind::NeedMore);

    // protocolError (2) with a diagnostic, and a long-form length.
    const Bytes refused = {0x30, 0x81, 0x12, 0x02, 0x01, 0x01, 0x78, 0x0d, 0x0a, 0x01, 0x02,
                           0x04, 0x00, 0x04, 0x06, 'n',  'o',  ' ',  't',  'l',  's'};
    reply = parse_ldap_extended_response(refused.data(), refused.size());
    EXPECT_EQ(reply.kind, LdapReply::Kind::Done);
    EXPECT_EQ(reply.result_code, 2);
    EXPECT_EQ(reply.diagnostic, "no tls");

    const Bytes garbage = {0x04, 0x02, 'h', 'i'};
    EXPECT_EQ(parse_ldap_extended_response(garbage.data(), garbage.size()).kind,
              LdapReply::Kind::Invalid);
}

TEST(SmtpReplyTest, ReadsMultiLineReplies) {
    const SmtpReply reply =
        parse_smtp_reply("250-mail.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
    EXPECT_TRUE(reply.complete);
    EXPECT_EQ(reply.code, 250);
    EXPECT_THAT(reply.lines, ::testing::ElementsAre("mail.example", "PIPELINING", "STARTTLS"));
    EXPECT_FALSE(parse_smtp_reply("250-mail.example\r\n250 STAR").complete);
    const SmtpReply garbage = parse_smtp_reply("hello\r\n");
    EXPECT_TRUE(garbage.complete);
    EXPECT_EQ(garbage.code, 0);
    EXPECT_EQ(parse_smtp_reply("220 ready\n").code, 220);
}

}  // namespace
}  // namespace lisa::tls_detail
