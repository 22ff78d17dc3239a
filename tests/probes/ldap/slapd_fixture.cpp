// SPDX-License-Identifier: Apache-2.0
#include "slapd_fixture.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace lisa::ldap_test {
namespace ts = lisa::testing_support;

namespace {

void must_run(const std::vector<std::string>& argv) {
    std::string output;
    if (ts::run_command(argv, &output) != 0) {
        throw std::runtime_error(argv[0] + " failed: " + output);
    }
}

void make_ca(const ts::TempDir& dir, const std::string& name) {
    must_run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.file(name + ".key"), "-out",
              dir.file(name + ".pem"), "-days", "30", "-subj", "/CN=lisa test " + name});
}

// FILETIME computed here on its own (not with the probe's helpers): 100 ns ticks since 1601.
std::int64_t filetime_for(Date day, int hour) {
    const std::int64_t unix_seconds = day.days * 86400 + std::int64_t{hour} * 3600;
    return (unix_seconds + 11644473600LL) * 10000000LL;
}

std::string user_dn(std::size_t i, std::string* cn) {
    char number[8];
    std::snprintf(number, sizeof number, "%04zu", i);
    // The last ten accounts have DNs with characters that need escaping in DNs and filters.
    if (i >= 2190 && i < 2195) {
        *cn = std::string("Svensson, Anna (IT)* ") + number;
        return std::string("cn=Svensson\\, Anna (IT)* ") + number + ",ou=people," + kBase;
    }
    if (i >= 2195) {
        *cn = std::string("Back\\slash+Plus ") + number;
        return std::string("cn=Back\\\\slash\\+Plus ") + number + ",ou=people," + kBase;
    }
    *cn = std::string("u") + number;
    return "cn=" + *cn + ",ou=people," + kBase;
}

void add_range(std::set<std::size_t>& set, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i <= last; ++i) {
        set.insert(i);
    }
}

std::string group_entry(const std::string& dn, const std::string& cn,
                        const std::vector<std::string>& members) {
    std::string out = "dn: " + dn + "\nobjectClass: group\ncn: " + cn +
                      "\ngroupType: -2147483646\ninstanceType: 4\nnTSecurityDescriptor:: AA==\n"
                      "objectCategory: cn=Group,cn=Schema,cn=Configuration," +
                      kBase + "\n";
    for (const auto& m : members) {
        out += "member: " + m + "\n";
    }
    return out + "\n";
}

GeneratedDirectory generate() {
    GeneratedDirectory d;
    // Today: the generated certificates are valid now, and the tls facts are judged at the
    // audit date; the logon times below are relative to it, so the counts do not depend on it.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    d.as_of = Date{std::chrono::duration_cast<std::chrono::hours>(now).count() / 24};
    const std::string base = kBase;
    std::string ldif = "dn: " + base +
                       "\nobjectClass: dcObject\nobjectClass: organization\no: Example\n"
                       "dc: example\n\n";
    for (const char* ou : {"people", "groups", "service"}) {
        ldif += std::string("dn: ou=") + ou + "," + base +
                "\nobjectClass: organizationalUnit\nou: " + ou + "\n\n";
    }
    ldif += std::string("dn: ") + kServiceDn + "\nobjectClass: person\ncn: svc-lisa\nsn: svc\n" +
            "userPassword: " + kServicePassword + "\n\n";

    constexpr std::size_t kUsers = 2200;
    for (std::size_t i = 0; i < kUsers; ++i) {
        GeneratedUser u;
        std::string cn;
        u.dn = user_dn(i, &cn);
        if (i % 10 == 3) u.uac |= 0x2;
        if (i % 17 == 5) u.uac |= 0x20;
        if (i % 7 == 2) u.uac |= 0x10000;
        if (i % 5 == 1) u.uac |= 0x40000;
        u.shared = i % 23 == 4;
        u.mfa_attribute = i % 29 == 6;
        switch (i % 13) {
            case 0:
                u.logon_days_ago = std::nullopt;
                break;
            case 1:
                u.logon_days_ago = 200;
                break;
            case 2:
                u.logon_days_ago = 91;
                break;  // just stale
            case 3:
                u.logon_days_ago = 90;
                break;  // just not stale
            default:
                u.logon_days_ago = static_cast<int>(i % 60);
        }
        ldif += "dn: " + u.dn + "\nobjectClass: user\nobjectClass: extensibleObject\ncn: " + cn +
                "\nsn: " + cn + "\ninstanceType: 4\nnTSecurityDescriptor:: AA==\n" +
                "objectCategory: cn=Person,cn=Schema,cn=Configuration," + base +
                "\nsAMAccountName: user" + std::to_string(i) + "\nuid: user" + std::to_string(i) +
                "\nuserAccountControl: " + std::to_string(u.uac) +
                "\npwdLastSet: " + std::to_string(filetime_for(Date{d.as_of.days - 400}, 8)) + "\n";
        if (u.logon_days_ago) {
            ldif += "lastLogonTimestamp: " +
                    std::to_string(filetime_for(Date{d.as_of.days - *u.logon_days_ago}, 13)) + "\n";
        }
        if (u.shared) ldif += "employeeType: shared\n";
        if (u.mfa_attribute) ldif += "businessCategory: mfa-enrolled\n";
        ldif += "\n";
        d.users.push_back(std::move(u));
    }

    auto g = [&](const char* cn) { return std::string("cn=") + cn + ",ou=groups," + base; };
    d.big = g("big");
    d.nested_a = g("nested-a");
    d.nested_b = g("nested-b");
    d.nested_c = g("nested-c");
    d.empty = g("empty");
    d.mfa = g("mfa");
    d.mfa_sub = g("mfa-sub");
    d.admins = g("Domain Admins");
    d.dangling = g("dangling");
    d.special = "cn=Access (Procapita)\\, read*,ou=groups," + base;
    d.missing = g("does-not-exist");

    auto users = [&](std::size_t first, std::size_t last) {
        std::vector<std::string> out;
        for (std::size_t i = first; i <= last; ++i) {
            out.push_back(d.users[i].dn);
        }
        return out;
    };
    auto plus = [](std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    ldif += group_entry(d.big, "big", users(0, 1599));
    ldif += group_entry(d.nested_a, "nested-a", plus(users(1600, 1649), {d.nested_b}));
    ldif += group_entry(d.nested_b, "nested-b", plus(users(1640, 1699), {d.nested_c, d.nested_a}));
    ldif +=
        group_entry(d.nested_c, "nested-c", plus(users(1700, 1719), {d.users[1600].dn, d.empty}));
    ldif += group_entry(d.empty, "empty", {});
    ldif += group_entry(d.mfa, "mfa", plus(users(0, 799), {d.mfa_sub}));
    ldif += group_entry(d.mfa_sub, "mfa-sub", users(1600, 1619));
    ldif += group_entry(d.admins, "Domain Admins", plus(users(2100, 2109), users(2190, 2199)));
    ldif += group_entry(d.dangling, "dangling",
                        plus(users(2000, 2009), {"cn=ghost,ou=people," + base}));
    ldif += group_entry(d.special, "Access (Procapita), read*",
                        plus(users(2150, 2159), users(2190, 2192)));
    d.ldif = std::move(ldif);

    // The expected memberships, from the specification above.
    add_range(d.expected_members[d.big], 0, 1599);
    for (const auto* nested : {&d.nested_a, &d.nested_b}) {
        add_range(d.expected_members[*nested], 1600, 1719);  // a ∪ b ∪ c, through the cycle
    }
    add_range(d.expected_members[d.nested_c], 1700, 1719);
    d.expected_members[d.nested_c].insert(1600);
    d.expected_members[d.empty];
    add_range(d.expected_members[d.mfa], 0, 799);
    add_range(d.expected_members[d.mfa], 1600, 1619);
    add_range(d.expected_members[d.mfa_sub], 1600, 1619);
    add_range(d.expected_members[d.admins], 2100, 2109);
    add_range(d.expected_members[d.admins], 2190, 2199);
    add_range(d.expected_members[d.dangling], 2000, 2009);
    add_range(d.expected_members[d.special], 2150, 2159);
    add_range(d.expected_members[d.special], 2190, 2192);
    d.mfa_members = d.expected_members[d.mfa];
    return d;
}

}  // namespace

const Certificates& certificates() {
    static ts::TempDir dir;
    static const Certificates certs = [] {
        make_ca(dir, "ca");
        make_ca(dir, "other-ca");
        must_run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-keyout", dir.file("server.key"), "-out", dir.file("server.csr"),
                  "-subj", "/CN=localhost"});
        ts::write_file(dir.file("ext.cnf"),
                       "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                       "keyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\n");
        must_run({"openssl", "x509", "-req", "-in", dir.file("server.csr"), "-CA",
                  dir.file("ca.pem"), "-CAkey", dir.file("ca.key"), "-CAcreateserial", "-out",
                  dir.file("server.pem"), "-days", "30", "-extfile", dir.file("ext.cnf")});
        return Certificates{dir.file("ca.pem"), dir.file("server.pem"), dir.file("server.key"),
                            dir.file("other-ca.pem")};
    }();
    return certs;
}

Slapd::Slapd(const SlapdOptions& options, const std::string& ldif) {
    const Certificates& certs = certificates();
    port_ = ts::free_port();
    ldaps_port_ = ts::free_port();
    while (ldaps_port_ == port_) {
        ldaps_port_ = ts::free_port();
    }
    const std::string db = dir_.file("db");
    if (mkdir(db.c_str(), 0700) != 0) {
        throw std::runtime_error("cannot create " + db);
    }
    std::string conf;
    for (const char* schema : {"core", "cosine", "inetorgperson", "nis", "msuser"}) {
        conf += std::string("include /etc/ldap/schema/") + schema + ".schema\n";
    }
    conf += "pidfile " + dir_.file("slapd.pid") + "\nargsfile " + dir_.file("slapd.args") +
            "\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\n";
    if (options.tls) {
        conf += "TLSCACertificateFile " + certs.ca_file + "\nTLSCertificateFile " +
                certs.cert_file + "\nTLSCertificateKeyFile " + certs.key_file + "\n";
    }
    if (!options.anonymous_bind) {
        conf += "disallow bind_anon\n";
    }
    if (options.refuse_cleartext) {
        conf += "security simple_bind=128\n";
    }
    for (const auto& line : options.global_config) {
        conf += line + "\n";
    }
    // Paged searches of every account: no per-search or per-page limit gets in the way.
    conf += "sizelimit unlimited\n";
    conf += "database mdb\nsuffix \"" + std::string(kBase) + "\"\nrootdn \"cn=admin," + kBase +
            "\"\nrootpw not-used-by-tests\ndirectory " + db + "\nmaxsize 268435456\n";
    for (const auto& line : options.database_config) {
        conf += line + "\n";
    }
    conf += "access to attrs=userPassword by anonymous auth by * none\n";
    conf += options.anonymous_read ? "access to * by * read\n"
                                   : "access to * by users read by anonymous auth\n";
    const std::string conf_file = dir_.file("slapd.conf");
    ts::write_file(conf_file, conf);
    const std::string ldif_file = dir_.file("data.ldif");
    ts::write_file(ldif_file, ldif);
    must_run({"/usr/sbin/slapadd", "-q", "-f", conf_file, "-l", ldif_file});
    const std::string urls =
        "ldap://127.0.0.1:" + std::to_string(port_) + "/" +
        (options.tls ? " ldaps://127.0.0.1:" + std::to_string(ldaps_port_) + "/" : std::string());
    process_ = ts::ChildProcess({"/usr/sbin/slapd", "-f", conf_file, "-h", urls, "-d", "0"},
                                dir_.file("slapd.log"));
    if (!ts::wait_for_port(port_) || (options.tls && !ts::wait_for_port(ldaps_port_))) {
        throw std::runtime_error("slapd did not start: " + log());
    }
}

std::string Slapd::log() const {
    try {
        return ts::read_file(dir_.file("slapd.log"));
    } catch (const std::exception&) {
        return {};
    }
}

const GeneratedDirectory& generated_directory() {
    static const GeneratedDirectory directory = generate();
    return directory;
}

ExpectedCounts expected_counts(const GeneratedDirectory& dir, const std::string& group_dn,
                               int stale_days) {
    ExpectedCounts c;
    for (const std::size_t i : dir.expected_members.at(group_dn)) {
        const GeneratedUser& u = dir.users[i];
        ++c.members;
        if (u.uac & 0x2) {
            ++c.disabled;
            continue;
        }
        ++c.enabled;
        const bool smartcard = (u.uac & 0x40000) != 0;
        if (!smartcard && !u.mfa_attribute && dir.mfa_members.count(i) == 0) {
            ++c.without_strong;
            c.without_strong_dns.push_back(u.dn);
        }
        if (smartcard) ++c.smartcard;
        if (!u.logon_days_ago || *u.logon_days_ago > stale_days) {
            ++c.stale;
            c.stale_dns.push_back(u.dn);
        }
        if (u.uac & 0x10000) ++c.never_expires;
        if (u.uac & 0x20) ++c.not_required;
        if (u.shared) ++c.shared;
    }
    return c;
}

const Value* fact(const Facts& facts, const std::string& name) {
    const auto it = facts.find(name);
    return it == facts.end() ? nullptr : &it->second.value;
}

std::int64_t int_of(const Facts& facts, const std::string& name) {
    const Value* v = fact(facts, name);
    if (v == nullptr || v->as_int() == nullptr) {
        ADD_FAILURE() << "no integer fact " << name;
        return -1;
    }
    return *v->as_int();
}

void expect_group_counts(const Facts& f, const ExpectedCounts& want) {
    EXPECT_EQ(int_of(f, "group.members"), want.members);
    EXPECT_EQ(int_of(f, "group.enabled"), want.enabled);
    EXPECT_EQ(int_of(f, "group.disabled"), want.disabled);
    EXPECT_EQ(int_of(f, "group.enabled_without_strong_auth"), want.without_strong);
    EXPECT_EQ(int_of(f, "group.enabled_smartcard_required"), want.smartcard);
    EXPECT_EQ(int_of(f, "group.enabled_without_smartcard"), want.enabled - want.smartcard);
    EXPECT_EQ(int_of(f, "group.enabled_stale"), want.stale);
    EXPECT_EQ(int_of(f, "group.enabled_password_never_expires"), want.never_expires);
    EXPECT_EQ(int_of(f, "group.enabled_password_not_required"), want.not_required);
    EXPECT_EQ(int_of(f, "group.enabled_shared"), want.shared);
}

}  // namespace lisa::ldap_test
