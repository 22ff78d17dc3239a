// SPDX-License-Identifier: Apache-2.0
// A real Active Directory peer for the AD suites: Debian's Samba AD DC (4.17), provisioned by
// kommun_dc.py as the domain KOMMUN.TEST with a municipality-shaped population, on loopback.
//
// Provisioning takes ~25 s, so it happens once per build directory: the provisioned folder is
// cached under <build>/ad-cache/<hash of kommun_dc.py and this host's name>/ (under a file lock,
// so concurrent test processes provision once). Each SambaDc copies the cached folder, sets the
// time-relative attributes (pwdLastSet, whenCreated, lastLogonTimestamp) relative to *now*, starts
// `samba -i` in its own process group and waits (at most 60 s) until LDAPS answers a bind. The
// destructor kills the process group by pid, also when a test failed. Samba's ports are fixed
// (389, 636, 88): every suite using this fixture holds the ctest RESOURCE_LOCK "samba-ad-dc".
// Missing samba is a test failure (an exception), never a skip.
#pragma once

#include <string>

#include "process.hpp"

namespace lisa::ad_test {

inline constexpr const char* kRealm = "KOMMUN.TEST";
inline constexpr const char* kBase = "DC=kommun,DC=test";
inline constexpr const char* kLdapsUrl = "ldaps://localhost";
inline constexpr const char* kLdapUrl = "ldap://localhost";
/// The read-only scan account (kommun_dc.py READER), by DN, UPN and Kerberos principal.
inline constexpr const char* kReaderDn =
    "CN=lisa läskonto,OU=Tjänstekonton,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kReaderPrincipal = "lisa-las@KOMMUN.TEST";
inline constexpr const char* kReaderPassword = "L4s-lisa-Konto!9";

/// DNs of the population (kommun_dc.py), as the tests name them.
inline constexpr const char* kDomainAdmins = "CN=Domänadministratörer,CN=Users,DC=kommun,DC=test";
inline constexpr const char* kTreserva =
    "CN=APP-Treserva-handläggare,OU=Behörigheter,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kProcapita =
    "CN=APP-Procapita-handläggare,OU=Behörigheter,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kAdmOu = "OU=Administratörer,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kAnna =
    "CN=Anna Andersson (adm),OU=Administratörer,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kBo =
    "CN=Bo Ek (adm),OU=Administratörer,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kAsa =
    "CN=Öberg\\, Åsa,OU=Administratörer,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kNy =
    "CN=Nils Nyström (adm),OU=Administratörer,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kFdAdmin =
    "CN=Före Detta Admin,OU=Administratörer,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";
inline constexpr const char* kSvcBackup =
    "CN=svc-backup,OU=Tjänstekonton,OU=IT-avdelningen,OU=Kommun,DC=kommun,DC=test";

/// A running Samba AD DC on 127.0.0.1 / ::1 (ports 389, 636, 88).
class SambaDc {
public:
    /// `variant`: "" for the domain as provisioned, else a kommun_dc.py variant applied to this
    /// copy before samba starts ("hidden": a Domain Admin the scan account cannot read).
    explicit SambaDc(const std::string& variant = {});
    SambaDc(const SambaDc&) = delete;
    SambaDc& operator=(const SambaDc&) = delete;
    ~SambaDc();

    [[nodiscard]] std::string ca_file() const { return dir_.file("dc/tls/ca.pem"); }
    /// A CA that did not sign the DC's certificate.
    [[nodiscard]] std::string other_ca_file() const { return dir_.file("other-ca.pem"); }
    [[nodiscard]] std::string keytab() const { return dir_.file("dc/lisa-las.keytab"); }
    /// krb5.conf naming the KDC on 127.0.0.1, rdns = false.
    [[nodiscard]] std::string krb5_conf() const { return dir_.file("dc/krb5.conf"); }
    /// The reader's password in a 0600 file (directory.password_file).
    [[nodiscard]] std::string password_file() const { return dir_.file("reader.pw"); }
    [[nodiscard]] std::string smb_conf() const { return dir_.file("dc/etc/smb.conf"); }
    [[nodiscard]] std::string log() const;
    [[nodiscard]] int pid() const noexcept { return process_.pid(); }

private:
    testing_support::TempDir dir_;
    testing_support::ChildProcess process_;
};

/// The cached, provisioned DC folder (provisioned on first use). Throws when samba is missing
/// or provisioning fails, with the script's output.
const std::string& provisioned_dc();

}  // namespace lisa::ad_test
