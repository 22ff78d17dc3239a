// SPDX-License-Identifier: Apache-2.0
// lisa/inventory/url.hpp: URLs parsed by libcurl, host names converted by libidn2, LDAP URL
// extensions read by libldap.
#include "lisa/inventory/url.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace lisa {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(HostToAsciiTest, SwedishLabelsBecomeALabels) {
    EXPECT_EQ(url::host_to_ascii("e-tjänster.exempelkommun.se").value(),
              "xn--e-tjnster-y2a.exempelkommun.se");
    EXPECT_EQ(url::host_to_ascii("växjö.se").value(), "xn--vxj-qla6g.se");
    EXPECT_EQ(url::host_to_ascii("göteborg.se").value(), "xn--gteborg-90a.se");
    EXPECT_EQ(url::host_to_ascii("ärende.malmö.se").value(), "xn--rende-fra.xn--malm-8qa.se");
}

TEST(HostToAsciiTest, UpperCaseAndDecomposedFormsGiveTheSameALabel) {
    // UTS #46 maps upper case; NFC joins "a" + U+0308 COMBINING DIAERESIS into "ä".
    EXPECT_EQ(url::host_to_ascii("E-TJÄNSTER.exempelkommun.se").value(),
              "xn--e-tjnster-y2a.exempelkommun.se");
    EXPECT_EQ(url::host_to_ascii("e-tja\xCC\x88nster.exempelkommun.se").value(),
              "xn--e-tjnster-y2a.exempelkommun.se");
}

TEST(HostToAsciiTest, NonTransitionalKeepsSharpS) {
    // Transitional processing (IDNA 2003 compatibility) would turn "ß" into "ss": another host.
    EXPECT_EQ(url::host_to_ascii("straße.de").value(), "xn--strae-oqa.de");
}

TEST(HostToAsciiTest, AsciiHostsAndAddressesAreUnchanged) {
    for (const char* host : {"procapita.exempelby.se", "Procapita.Exempelby.SE", "127.0.0.1", "::1",
                             "[2001:db8::1]", "xn--vxj-qla6g.se"}) {
        EXPECT_EQ(url::host_to_ascii(host).value(), host);
    }
}

TEST(HostToAsciiTest, InvalidInternationalNamesAreErrorsThatDoNotRepeatTheInput) {
    // A disallowed symbol, a label starting with a combining mark, a label too long once encoded,
    // bytes that are not UTF-8.
    const std::string too_long = std::string(60, 'a') + "ö" + std::string(10, 'b') + ".se";
    for (const std::string& host : {std::string("bad☠name.se"), std::string("\xCC\x88" "abc.se"),
                                   too_long, std::string("v\xE4xj\xF6.se")}) {
        const auto ascii = url::host_to_ascii(host);
        ASSERT_FALSE(ascii) << host;
        EXPECT_THAT(ascii.error().message, HasSubstr("invalid internationalised host name"));
        EXPECT_THAT(ascii.error().message, Not(HasSubstr(host)));
    }
}

TEST(HostForDisplayTest, ALabelsAreShownInUnicode) {
    EXPECT_EQ(url::host_for_display("xn--e-tjnster-y2a.exempelkommun.se"),
              "e-tjänster.exempelkommun.se");
    EXPECT_EQ(url::host_for_display("e-tjänster.exempelkommun.se"), "e-tjänster.exempelkommun.se");
    EXPECT_EQ(url::host_for_display("127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(url::host_for_display("xn--zz-invalid-.se"), "xn--zz-invalid-.se");
}

TEST(ParseUrlTest, ReadsSchemeHostPortAndConvertsTheHost) {
    const auto parsed = url::parse("HTTPS://e-tjänster.växjö.se:8443/ansökan?x=1");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed.value().scheme, "https");
    EXPECT_EQ(parsed.value().host, "e-tjänster.växjö.se");
    EXPECT_EQ(parsed.value().ascii_host, "xn--e-tjnster-y2a.xn--vxj-qla6g.se");
    EXPECT_EQ(parsed.value().port, 8443);
    EXPECT_FALSE(parsed.value().has_credentials);
    EXPECT_THAT(parsed.value().ascii_url,
                HasSubstr("://xn--e-tjnster-y2a.xn--vxj-qla6g.se:8443/"));
    EXPECT_THAT(parsed.value().ascii_url, Not(HasSubstr("växjö")));
}

TEST(ParseUrlTest, AsciiUrlsStayByteForByte) {
    const std::string text = "ldaps://dc1.exempelby.se/dc=exempelby,dc=se?cn?sub";
    const auto parsed = url::parse(text);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed.value().ascii_url, text);
    EXPECT_EQ(parsed.value().port, 636);
    EXPECT_EQ(url::to_ascii_url(text), text);
}

TEST(ParseUrlTest, DefaultPortsIpv6AndCredentials) {
    EXPECT_EQ(url::parse("tls://mail.exempelby.se").value().port, 443);
    EXPECT_EQ(url::parse("smtps://mail.exempelby.se").value().port, 465);
    EXPECT_EQ(url::parse("ldap://dc1").value().port, 389);
    EXPECT_EQ(url::parse("gopher://x").value().port, 0) << "only lisa's schemes have defaults";
    const auto v6 = url::parse("https://[2001:db8::1]:8443/api");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6.value().host, "2001:db8::1");
    EXPECT_TRUE(url::parse("https://admin:S3cret@host.se/").value().has_credentials);
    EXPECT_TRUE(url::parse("https://admin@host.se/").value().has_credentials);
}

TEST(ParseUrlTest, RefusesWhatIsNotAnAbsoluteUrlWithoutEchoingIt) {
    for (const char* text : {"procapita.se", "https://", "https://host.se:99999/",
                             "https://host.se:0/", "https://bad☠name.se/", "//host.se/"}) {
        const auto parsed = url::parse(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_THAT(parsed.error().message, Not(HasSubstr("host.se"))) << text;
    }
}

// fix11 item 5: one host-name check for every probe and the inventory: STD3 rules, no empty
// label, no port, valid A-labels; the trailing dot is stripped, never sent in SNI.
TEST(HostToAsciiTest, ValidatesEveryHostName) {
    for (const char* bad : {"ä.se:443", "bad_ä..se", "bad_host.se", "a..se", ".se", "xn--zz.se",
                            "-bad.se", "bad-.se", "ä_ö.se"}) {
        EXPECT_FALSE(url::host_to_ascii(bad)) << bad;
    }
    EXPECT_EQ(url::host_to_ascii("e-tjänster.växjö.se.").value(), "xn--e-tjnster-y2a.xn--vxj-qla6g.se");
    EXPECT_EQ(url::host_to_ascii("host.example.se.").value(), "host.example.se");
    EXPECT_EQ(url::host_to_ascii("xn--e-tjnster-y2a.xn--vxj-qla6g.se").value(),
              "xn--e-tjnster-y2a.xn--vxj-qla6g.se");
    EXPECT_EQ(url::host_to_ascii("127.0.0.1").value(), "127.0.0.1");
    EXPECT_EQ(url::host_to_ascii("::1").value(), "::1");
    EXPECT_EQ(url::host_to_ascii("localhost").value(), "localhost");
    EXPECT_FALSE(url::parse("https://bad_ä..se/"));
    EXPECT_EQ(url::parse("https://e-tjänster.växjö.se./").value().ascii_host,
              "xn--e-tjnster-y2a.xn--vxj-qla6g.se");
}

TEST(LdapExtensionCredentialsTest, RefusesEveryCredentialCarryingExtension) {
    for (const char* text :
         {"ldap://dc1.exempelby.se/dc=x????X-BINDPW=S3cretPw",
          "ldaps://dc1.exempelby.se/dc=x????" "!x-bindpw=S3cretPw",
          "ldap://dc1.exempelby.se/????bindname=cn=admin%2cdc=x,x-bindpw=S3cretPw",
          "ldap://dc1.exempelby.se/????bindname=cn=admin%2cdc=x",
          "ldap://dc1.exempelby.se/????X-PASSWORD=S3cretPw",
          "LDAP://dc1.exempelby.se/????e-Password=S3cretPw",
          "ldap://dc1.exempelby.se/????adminPW=S3cretPw",
          "ldap://dc1.exempelby.se/????1.2.3,x-Pw",
          // fix11 item 6: any type naming a secret (pw, pass, secret, token, key, cred).
          "ldap://dc1.exempelby.se/????x-passwd=S3cretPw",
          "ldap://dc1.exempelby.se/????X-Secret=S3cretPw",
          "ldap://dc1.exempelby.se/????x-token=S3cretPw",
          "ldap://dc1.exempelby.se/????" "!x-apikey=S3cretPw",
          "ldap://dc1.exempelby.se/????x-credentials=S3cretPw",
          "ldap://dc1.exempelby.se/????X-PASSPHRASE=S3cretPw"}) {
        const auto problem = url::ldap_extension_credentials(text);
        ASSERT_TRUE(problem.has_value()) << text;
        EXPECT_THAT(*problem, Not(HasSubstr("S3cretPw"))) << text;
        EXPECT_THAT(*problem, Not(HasSubstr("admin%2c"))) << text;
        EXPECT_THAT(*problem, HasSubstr("bind_dn with password_env or password_file"));
    }
    EXPECT_THAT(*url::ldap_extension_credentials("ldap://h/????X-BINDPW=S3cretPw"),
                HasSubstr("'X-BINDPW'"));
    EXPECT_THAT(*url::ldap_extension_credentials("ldap://h/????x-token=S3cretPw"),
                AllOf(HasSubstr("'x-token'"), Not(HasSubstr("S3cretPw"))));
}

TEST(LdapExtensionCredentialsTest, AcceptsHarmlessExtensionsAndOtherSchemes) {
    EXPECT_FALSE(url::ldap_extension_credentials("ldap://dc1.exempelby.se/dc=x").has_value());
    EXPECT_FALSE(url::ldap_extension_credentials("ldap://dc1.exempelby.se/????" "!StartTLS"));
    EXPECT_FALSE(url::ldap_extension_credentials("ldap://dc1.exempelby.se/????x-timeout=5"));
    EXPECT_FALSE(url::ldap_extension_credentials("https://h.se/????X-BINDPW=S3cretPw"));
}

// Issue 15: a CRL distribution point's scheme, also for AD CS's host-less LDAP URLs.
TEST(SchemeOfTest, CurlReadsHostsLibldapReadsHostlessLdapUrls) {
    EXPECT_EQ(url::scheme_of("HTTP://pki.kommun.se/ca.crl"), "http");
    EXPECT_EQ(url::scheme_of("https://pki.kommun.se/ca.crl"), "https");
    EXPECT_EQ(url::scheme_of("ldap://dc1.kommun.se/CN=Kommun-CA,CN=CDP?certificateRevocationList?base"), "ldap");
    EXPECT_EQ(url::scheme_of("ldap:///CN=Kommun-CA,CN=CDP,DC=kommun,DC=se?certificateRevocationList"), "ldap");
    EXPECT_EQ(url::scheme_of("not a url"), "");
    EXPECT_EQ(url::scheme_of(std::string("http://a\0b", 10)), "");
}

}  // namespace
}  // namespace lisa
