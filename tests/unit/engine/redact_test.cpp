// SPDX-License-Identifier: Apache-2.0
// SecretRedactor and redact_output: every string a probe returns loses every known secret.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/engine/probe.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecretRedactor, ReplacesEveryOccurrenceOfEverySecretLongestFirst) {
    SecretRedactor r;
    r.add("hemligt");
    r.add("hemligt-lösen-2026");
    r.add("");  // ignored
    EXPECT_EQ(r.redact("bind with 'hemligt-lösen-2026' failed; hemligt again, hemligthemligt"),
              "bind with '[redacted]' failed; [redacted] again, [redacted]");
    EXPECT_EQ(r.redact("nothing secret"), "nothing secret");
}

TEST(SecretRedactor, QuotedFormsOfTheSecretAreRedactedToo) {
    SecretRedactor r;
    r.add("p@ss wo(r)d,=1");
    EXPECT_EQ(r.redact("referral ldap://x/CN=p%40ss%20wo%28r%29d%2C%3D1"), "referral ldap://x/CN=[redacted]");
    EXPECT_EQ(r.redact("filter (cn=p@ss wo\\28r\\29d,=1)"), "filter (cn=[redacted])");
    EXPECT_EQ(r.redact("matched CN=p@ss wo(r)d\\,\\=1,DC=x"), "matched CN=[redacted],DC=x");
    EXPECT_EQ(r.redact("raw p@ss wo(r)d,=1"), "raw [redacted]");
}

TEST(SecretRedactor, SecretContainingTheMarkDoesNotLoop) {
    SecretRedactor r;
    r.add("[redacted]x");
    r.add("d]");
    EXPECT_EQ(r.redact("a[redacted]xb"), "a[redacted]b");
}

// fix11 item 2: what a peer makes of the secret — truncated, upper-cased, base64, hex — is the
// secret too.
TEST(SecretRedactor, TransformedFormsOfTheSecretAreRedacted) {
    SecretRedactor r;
    const std::string secret = "Hemligt#Lösen(1)*";
    r.add(secret);
    // Truncated: a prefix or suffix of at least max(8, ⌈2/3 of 17⌉) = 12 characters (counted as
    // characters, not bytes); shorter ends and inner runs are ordinary text (issue 14).
    static_assert(shortest_redacted_end(17) == 12);
    EXPECT_EQ(r.redact("sent 'Hemligt#Löse…'"), "sent '[redacted]…'");
    EXPECT_EQ(r.redact("tail gt#Lösen(1)* here"), "tail [redacted] here");
    EXPECT_EQ(r.redact("tail t#Lösen(1)* here"), "tail t#Lösen(1)* here");  // 11 characters
    EXPECT_EQ(r.redact("Hemligt#Lös"), "Hemligt#Lös");                      // 11 characters
    EXPECT_EQ(r.redact("Hemlig and ligt#Lösen"), "Hemlig and ligt#Lösen");  // short, inner
    // Any case, Swedish letters included.
    EXPECT_EQ(r.redact("PASSWORD HEMLIGT#LÖSEN(1)* REJECTED"), "PASSWORD [redacted] REJECTED");
    EXPECT_EQ(r.redact("hemligt#lösen(1)*"), "[redacted]");
    // base64 (padded or not, standard or url alphabet) and hex (either case) of its bytes.
    EXPECT_EQ(r.redact("b64 SGVtbGlndCNMw7ZzZW4oMSkq"), "b64 [redacted]");
    EXPECT_EQ(r.redact("hex 48656d6c696774234cc3b673656e2831292a!"), "hex [redacted]!");
    EXPECT_EQ(r.redact("HEX 48656D6C696774234CC3B673656E2831292A"), "HEX [redacted]");
    // A short secret: only the whole of it.
    SecretRedactor short_secret;
    short_secret.add("abc");
    EXPECT_EQ(short_secret.redact("ab ABC abc"), "ab [redacted] [redacted]");
}

// Issue 14: a word inside the password is not the password. With "Kommun#Treserva1" every
// "kommun" in a DN used to read "[redacted]" (and told the report's reader the password held it).
TEST(SecretRedactor, WordsInsideThePasswordStayReadable) {
    SecretRedactor r;
    r.add("Kommun#Treserva1");
    static_assert(shortest_redacted_end(16) == 11);
    EXPECT_EQ(r.redact("OU=Kommun,DC=kommun,DC=test"), "OU=Kommun,DC=kommun,DC=test");
    EXPECT_EQ(r.redact("Treserva and KOMMUN#T"), "Treserva and KOMMUN#T");
    EXPECT_EQ(r.redact("bind 'Kommun#Treserva1' refused"), "bind '[redacted]' refused");
    EXPECT_EQ(r.redact("upper KOMMUN#TRESERVA1."), "upper [redacted].");
    EXPECT_EQ(r.redact("truncated 'Kommun#Trese…'"), "truncated '[redacted]…'");  // 12-character prefix
    EXPECT_EQ(r.redact("OU=Kommun,CN=Kommun#Treserva1,DC=kommun"), "OU=Kommun,CN=[redacted],DC=kommun");
    // Short secrets: the whole only; 8 characters is the floor below which no end is redacted.
    static_assert(shortest_redacted_end(7) == 7 && shortest_redacted_end(9) == 8 && shortest_redacted_end(0) == 0);
    SecretRedactor nine;
    nine.add("abcdefghi");
    EXPECT_EQ(nine.redact("abcdefgh bcdefghi abcdefg"), "[redacted] [redacted] abcdefg");
}

TEST(RedactOutput, FactsListsSourcesErrorsAndRelatedSubjects) {
    SecretRedactor r;
    r.add("S3cret!");
    ProbeOutput out;
    out.facts["ldap.diagnostic"] = probed(Value("server said S3cret!"), "ldap://h/CN=S3cret!");
    out.facts["group.dns"] = probed(Value(StringList{"CN=S3cret!,DC=x", "CN=ok"}), "ldap");
    out.facts["n"] = probed(Value(3), "ldap");
    out.error = "bind failed: invalid credentials (49): password 'S3cret!' rejected";
    out.related[1]["group.enabled.dns"] = probed(Value(StringList{"S3cret!"}), "ldap");
    out.related_errors[2] = "referral to ldap://x/S3cret!";
    redact_output(out, r);
    EXPECT_EQ(*out.facts.at("ldap.diagnostic").value.as_string(), "server said [redacted]");
    EXPECT_EQ(out.facts.at("ldap.diagnostic").source, "ldap://h/CN=[redacted]");
    EXPECT_EQ(*out.facts.at("group.dns").value.as_list(), (StringList{"CN=[redacted],DC=x", "CN=ok"}));
    EXPECT_EQ(out.facts.at("n").value, Value(3));
    EXPECT_THAT(out.error, Not(HasSubstr("S3cret!")));
    EXPECT_EQ(*out.related.at(1).at("group.enabled.dns").value.as_list(), StringList{"[redacted]"});
    EXPECT_EQ(out.related_errors.at(2), "referral to ldap://x/[redacted]");
}

TEST(RedactOutput, ContextsShareOneRedactorAndStartEmpty) {
    ProbeContext context;
    ASSERT_NE(context.secrets, nullptr);
    EXPECT_TRUE(context.secrets->empty());
    const ProbeContext copy = context;  // what a probe sees is the run's redactor
    copy.secrets->add("pw-1234");
    EXPECT_EQ(context.secrets->redact("pw-1234"), "[redacted]");
}

}  // namespace
}  // namespace lisa
