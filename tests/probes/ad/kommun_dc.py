#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# The Samba AD DC of the AD suites: a municipality-shaped domain KOMMUN.TEST on loopback.
#
#   kommun_dc.py provision DIR     provision DIR (slow, ~25 s; the fixture caches the result,
#                                  keyed by a hash of this file) and load the population
#   kommun_dc.py age SMBCONF       set the time-relative attributes (pwdLastSet, whenCreated,
#                                  lastLogonTimestamp) relative to *now*: run on every copy,
#                                  so the tests' --as-of (today + N days) never meets a stale cache
#   kommun_dc.py variant NAME SMBCONF  change a copy for one suite (see variant())
#
# Runs with Debian's /usr/bin/python3 (the samba bindings live there). Nothing here talks to a
# network: everything is written offline into sam.ldb before `samba -i` starts.
import os
import socket
import subprocess
import sys
import time

REALM = "KOMMUN.TEST"
DOMAIN = "KOMMUN"
BASE = "DC=kommun,DC=test"
ADMIN_PASSWORD = "Adm1n-lisa-Test!"
USER_PASSWORD = "Anv-lisa-2026!x"
READER = "lisa-las"  # the read-only account lisa binds as (password and keytab)
READER_PASSWORD = "L4s-lisa-Konto!9"

UAC_NORMAL = 0x200
UAC_DISABLE = 0x2
UAC_DONT_EXPIRE = 0x10000
UAC_SMARTCARD = 0x40000
UAC_TRUSTED_FOR_DELEGATION = 0x80000
UAC_NOT_DELEGATED = 0x100000
UAC_DONT_REQ_PREAUTH = 0x400000
UAC_WORKSTATION = 0x1000

OUS = [
    "OU=Kommun",
    "OU=Socialförvaltningen,OU=Kommun",
    "OU=Äldreomsorg,OU=Socialförvaltningen,OU=Kommun",
    "OU=Individ- och familjeomsorg,OU=Socialförvaltningen,OU=Kommun",
    "OU=Utbildningsförvaltningen,OU=Kommun",
    "OU=IT-avdelningen,OU=Kommun",
    "OU=Administratörer,OU=IT-avdelningen,OU=Kommun",
    "OU=Tjänstekonton,OU=IT-avdelningen,OU=Kommun",
    "OU=Behörigheter,OU=Kommun",
    "OU=Datorer,OU=Kommun",
]
ADM_OU = "OU=Administratörer,OU=IT-avdelningen,OU=Kommun"
SVC_OU = "OU=Tjänstekonton,OU=IT-avdelningen,OU=Kommun"
ALDRE_OU = "OU=Äldreomsorg,OU=Socialförvaltningen,OU=Kommun"
IFO_OU = "OU=Individ- och familjeomsorg,OU=Socialförvaltningen,OU=Kommun"
GRP_OU = "OU=Behörigheter,OU=Kommun"

# (sAMAccountName, cn, ou, extra uac bits, spn or None, adminCount)
# Ages (days before now) are in AGES below.
USERS = [
    # The model administrator: passes every per-member check.
    ("adm-anna", "Anna Andersson (adm)", ADM_OU, UAC_SMARTCARD | UAC_NOT_DELEGATED, None, 1),
    # Fails every per-member check: no smart card, delegable, AS-REP roastable, SPN,
    # password never expires, old password.
    ("adm-bo", "Bo Ek (adm)", ADM_OU, UAC_DONT_EXPIRE | UAC_DONT_REQ_PREAUTH, "HTTP/bo-test.kommun.test", 1),
    # Escaped comma and Swedish letters; a Domain Admin through a nested group; never logged
    # on although created long ago (stale).
    ("asa.oberg", "Öberg, Åsa", ADM_OU, UAC_SMARTCARD | UAC_NOT_DELEGATED, None, 1),
    # Created two days ago and not logged on yet: not stale.
    ("adm-ny", "Nils Nyström (adm)", ADM_OU, UAC_SMARTCARD | UAC_NOT_DELEGATED, None, 1),
    # A disabled Domain Admin: counted as a member but not judged.
    ("adm-gammal", "Gammal Admin", ADM_OU, UAC_DISABLE, None, 1),
    # Backup Operators: a service account with an SPN (Kerberoastable).
    ("svc-backup", "svc-backup", SVC_OU, UAC_DONT_EXPIRE, "MSSQLSvc/backup.kommun.test:1433", 1),
    # adminCount=1 left behind: no longer in any privileged group.
    ("fd-admin", "Före Detta Admin", ADM_OU, 0, None, 1),
    # A Domain Admin only through his primary group (primaryGroupID 512): Domain Admins'
    # `member` does not list him.
    ("adm-primar", "Primär Gruppsson (adm)", ADM_OU, UAC_SMARTCARD | UAC_NOT_DELEGATED, None, 1),
    # A service account (a user, not a computer) trusted for unconstrained delegation.
    ("svc-deleg", "svc-deleg", SVC_OU, UAC_DONT_EXPIRE | UAC_TRUSTED_FOR_DELEGATION, "HTTP/intranet.kommun.test", 0),
    # The read-only scan account.
    (READER, "lisa läskonto", SVC_OU, UAC_DONT_EXPIRE, None, 0),
    # Staff.
    ("karin.lof", "Karin Löf", ALDRE_OU, UAC_SMARTCARD, None, 0),
    ("goran.ang", "Göran Äng", ALDRE_OU, 0, None, 0),
    ("maja.sjo", "Maja Sjö", ALDRE_OU, 0, None, 0),
    ("per.aberg", "Åberg, Per", IFO_OU, UAC_SMARTCARD, None, 0),
    ("lisa.ostlund", "Lisa Östlund", IFO_OU, 0, None, 0),
]

# (cn, ou, members by sAMAccountName or "group:<cn>")
GROUPS = [
    ("IT-drift-admins", GRP_OU, ["asa.oberg"]),
    ("APP-Treserva-läs", GRP_OU, ["lisa.ostlund"]),
    ("APP-Treserva-handläggare", GRP_OU, ["karin.lof", "goran.ang", "adm-bo", "group:APP-Treserva-läs"]),
    ("APP-Procapita-handläggare", GRP_OU, ["per.aberg", "maja.sjo"]),
    ("Behorighet-Lifecare", GRP_OU, ["maja.sjo"]),
    ("Personal-Äldreomsorg", GRP_OU, ["karin.lof", "goran.ang", "maja.sjo"]),
]

# Built-in groups, by RID: members added (the Domain Admins group is renamed afterwards).
PRIVILEGED_MEMBERS = {
    "512": ["adm-anna", "adm-bo", "adm-ny", "adm-gammal", "adm-primar", "group:IT-drift-admins"],
    "S-1-5-32-551": ["svc-backup"],
    "525": ["adm-anna"],
}

# days before now: (whenCreated, pwdLastSet, lastLogonTimestamp or None)
AGES = {
    "adm-anna": (900, 30, 1),
    "adm-bo": (1500, 800, 3),
    "asa.oberg": (400, 400, None),
    "adm-ny": (2, 2, None),
    "adm-gammal": (2000, 1200, 700),
    "svc-backup": (1800, 1000, 1),
    "fd-admin": (1200, 100, 20),
    "adm-primar": (600, 30, 1),
    "svc-deleg": (700, 100, 1),
    READER: (300, 60, 1),
    "karin.lof": (700, 20, 1),
    "goran.ang": (700, 200, 2),
    "maja.sjo": (500, 40, 150),
    "per.aberg": (800, 10, 1),
    "lisa.ostlund": (60, 60, None),
    "krbtgt": (900, 900, None),
}

COMPUTERS = [
    # (name, uac)
    ("SRV-APP01", UAC_WORKSTATION | UAC_TRUSTED_FOR_DELEGATION),
    ("SRV-FIL01", UAC_WORKSTATION),
    ("PC-0001", UAC_WORKSTATION),
]


def run(argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def provision(target):
    target = os.path.abspath(target)
    run(["samba-tool", "domain", "provision", "--targetdir=" + target, "--realm=" + REALM,
         "--domain=" + DOMAIN, "--adminpass=" + ADMIN_PASSWORD, "--server-role=dc",
         "--dns-backend=NONE", "--host-name=dc1", "--use-rfc2307",
         "--option=interfaces=lo", "--option=bind interfaces only=yes"])
    tls = os.path.join(target, "tls")
    os.makedirs(tls)
    # A CA of the test domain and an LDAPS certificate for localhost. Ten years: the suite
    # also runs with the clock a year ahead.
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
         "-subj", "/CN=Kommun Test CA", "-keyout", tls + "/ca.key", "-out", tls + "/ca.pem"])
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-keyout", tls + "/key.pem", "-out", tls + "/req.pem"])
    # libldap checks the certificate of a "localhost" URL against this machine's own host name
    # (ldap_pvt_get_fqdn), so that name is in the certificate too.
    names = ["localhost"]
    for n in (socket.gethostname(), socket.getfqdn()):
        if n and n not in names:
            names.append(n)
    with open(tls + "/ext.cnf", "w") as f:
        # Not 127.0.0.1: ldaps://127.0.0.1 is the tests' name mismatch.
        f.write("subjectAltName=" + ",".join("DNS:" + n for n in names) + "\n")
    run(["openssl", "x509", "-req", "-in", tls + "/req.pem", "-CA", tls + "/ca.pem",
         "-CAkey", tls + "/ca.key", "-CAcreateserial", "-days", "3650",
         "-extfile", tls + "/ext.cnf", "-out", tls + "/cert.pem"])
    os.chmod(tls + "/key.pem", 0o600)
    conf = os.path.join(target, "etc", "smb.conf")
    with open(conf) as f:
        text = f.read()
    # allow_sasl_over_tls: strong auth required as by default (no simple bind in cleartext), and a
    # Kerberos bind inside TLS without sign/seal accepted -- what Windows AD does. Samba's default
    # ("yes") refuses every SASL bind inside TLS (with sign/seal and without).
    extra = ("\tldap server require strong auth = allow_sasl_over_tls\n"
             "\tserver services = ldap, kdc\n"
             "\tlog file = " + target + "/log.samba\n"
             "\tpid directory = " + target + "\n"
             "\ttls enabled = yes\n"
             "\ttls keyfile = " + tls + "/key.pem\n"
             "\ttls certfile = " + tls + "/cert.pem\n"
             "\ttls cafile = " + tls + "/ca.pem\n")
    text = text.replace("\tserver services = ", "\t# provisioned services = ")
    text = text.replace("[global]\n", "[global]\n" + extra, 1)
    with open(conf, "w") as f:
        f.write(text)
    # Kerberos for the tests: the KDC on 127.0.0.1, no reverse DNS (the SPN is ldap/localhost).
    with open(os.path.join(target, "krb5.conf"), "w") as f:
        f.write("[libdefaults]\n\tdefault_realm = %s\n\tdns_lookup_realm = false\n"
                "\tdns_lookup_kdc = false\n\trdns = false\n\tdns_canonicalize_hostname = false\n"
                "[realms]\n\t%s = {\n\t\tkdc = 127.0.0.1\n\t}\n"
                "[domain_realm]\n\tlocalhost = %s\n" % (REALM, REALM, REALM))
    populate(conf)
    keytab = os.path.join(target, "lisa-las.keytab")
    run(["samba-tool", "domain", "exportkeytab", keytab, "--principal=%s@%s" % (READER, REALM),
         "-s", conf])


def populate(conf):
    import ldb
    from samba.auth import system_session
    from samba.param import LoadParm
    from samba.samdb import SamDB
    from samba.dcerpc import security  # noqa: F401
    lp = LoadParm()
    lp.load(conf)
    db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    domain_sid = str(db.get_domain_sid())
    for ou in reversed(list(reversed(OUS))):
        db.add({"dn": ou + "," + BASE, "objectClass": "organizationalUnit"})
    dns = {}
    for sam, cn, ou, bits, spn, admin_count in USERS:
        dn = "CN=%s,%s,%s" % (cn.replace(",", "\\,"), ou, BASE)
        password = READER_PASSWORD if sam == READER else USER_PASSWORD
        db.newuser(sam, password, userou=ou, givenname=cn.split(" ")[0], surname=None)
        # newuser names the entry CN=<sam>; give it its display name (with å/ä/ö, commas)
        db.rename("CN=%s,%s,%s" % (sam, ou, BASE), dn)
        m = {"dn": dn, "userAccountControl": str(UAC_NORMAL | bits), "displayName": cn}
        if spn:
            m["servicePrincipalName"] = spn
        if admin_count:
            m["adminCount"] = "1"
        msg = ldb.Message.from_dict(db, m, ldb.FLAG_MOD_REPLACE)
        db.modify(msg)
        dns[sam] = dn
    for name, bits in COMPUTERS:
        dn = "CN=%s,OU=Datorer,OU=Kommun,%s" % (name, BASE)
        db.add({"dn": dn, "objectClass": "computer", "sAMAccountName": name + "$",
                "userAccountControl": str(bits)})
    for cn, ou, members in GROUPS:
        dn = "CN=%s,%s,%s" % (cn, ou, BASE)
        db.add({"dn": dn, "objectClass": "group", "sAMAccountName": cn})
        dns["group:" + cn] = dn
    for cn, ou, members in GROUPS:
        add_members(db, dns["group:" + cn], [dns[m] for m in members])
    for rid, members in PRIVILEGED_MEMBERS.items():
        sid = rid if rid.startswith("S-") else domain_sid + "-" + rid
        res = db.search(BASE, expression="(objectSid=%s)" % sid, attrs=["dn"])
        add_members(db, str(res[0].dn), [dns[m] for m in members])
    # Members that are not accounts: a mail contact (in an access group and in Schema Admins:
    # nothing to log on with, never "unreadable"), Authenticated Users (a foreign security
    # principal Samba provisions) in Print Operators, Domain Guests nested in Server Operators:
    # broad principals in privileged groups (AD-019). (Not in Administrators: the scan account,
    # an authenticated user, would then read what a least-privilege account may not.)
    contact = "CN=Extern Kontakt,%s,%s" % (GRP_OU, BASE)
    db.add({"dn": contact, "objectClass": "contact"})
    add_members(db, dns["group:APP-Treserva-läs"], [contact])
    add_members(db, sid_dn(db, domain_sid + "-518"), [contact])
    add_members(db, sid_dn(db, "S-1-5-32-550"), ["CN=S-1-5-11,CN=ForeignSecurityPrincipals," + BASE])
    add_members(db, sid_dn(db, "S-1-5-32-549"), [sid_dn(db, domain_sid + "-514")])
    # adm-primar's primary group becomes Domain Admins: Samba (as AD) then drops him from the
    # group's `member` (he had to be a member first).
    db.modify(ldb.Message.from_dict(db, {"dn": dns["adm-primar"], "primaryGroupID": "512"},
                                    ldb.FLAG_MOD_REPLACE))
    # A Swedish installation's name for Domain Admins: lisa must find it by its SID (…-512).
    res = db.search(BASE, expression="(objectSid=%s-512)" % domain_sid, attrs=["dn"])
    new_dn = "CN=Domänadministratörer,CN=Users," + BASE
    db.rename(str(res[0].dn), new_dn)
    db.modify(ldb.Message.from_dict(db, {"dn": new_dn, "sAMAccountName": "Domänadministratörer"},
                                    ldb.FLAG_MOD_REPLACE))
    # A fine-grained password policy applying to the Domain Admins group.
    db.add({"dn": "CN=PSO-Administratörer,CN=Password Settings Container,CN=System," + BASE,
            "objectClass": "msDS-PasswordSettings",
            "msDS-PasswordSettingsPrecedence": "10",
            "msDS-PasswordReversibleEncryptionEnabled": "FALSE",
            "msDS-PasswordHistoryLength": "24",
            "msDS-PasswordComplexityEnabled": "TRUE",
            "msDS-MinimumPasswordLength": "15",
            "msDS-MinimumPasswordAge": "-864000000000",
            "msDS-MaximumPasswordAge": "-0",
            "msDS-LockoutThreshold": "5",
            "msDS-LockoutObservationWindow": "-18000000000",
            "msDS-LockoutDuration": "-18000000000",
            "msDS-PSOAppliesTo": new_dn})
    # The DC's LDAP SPN for the tests' Kerberos bind to "localhost".
    dc = db.search(BASE, expression="(sAMAccountName=DC1$)", attrs=["servicePrincipalName"])[0]
    db.modify(ldb.Message.from_dict(db, {"dn": str(dc.dn), "servicePrincipalName": "ldap/localhost"},
                                    ldb.FLAG_MOD_ADD))


def variant(name, conf):
    """A variant of the domain for one suite, written offline into a copy before samba starts.

    hidden: a Domain Admin (adm-dold), also in APP-Procapita-handläggare, in an OU whose
    contents the scan account may not list (a deny ACE for LC, RP and LO): the groups' `member`
    still shows his DN, but a read of it answers noSuchObject -- as on a Windows DC. And Schema
    Admins itself denied to the scan account: the SID search does not return it."""
    import ldb
    from samba import sd_utils
    from samba.auth import system_session
    from samba.param import LoadParm
    from samba.samdb import SamDB
    if name != "hidden":
        sys.exit("unknown variant " + name)
    lp = LoadParm()
    lp.load(conf)
    db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    domain_sid = str(db.get_domain_sid())
    ou = "OU=Dolda,OU=IT-avdelningen,OU=Kommun," + BASE
    db.add({"dn": ou, "objectClass": "organizationalUnit"})
    db.newuser("adm-dold", USER_PASSWORD, userou="OU=Dolda,OU=IT-avdelningen,OU=Kommun")
    hidden = "CN=adm-dold," + ou
    domain_admins = str(db.search(BASE, expression="(objectSid=%s-512)" % domain_sid, attrs=["dn"])[0].dn)
    add_members(db, domain_admins, [hidden])
    add_members(db, "CN=APP-Procapita-handläggare,%s,%s" % (GRP_OU, BASE), [hidden])
    reader = db.search(BASE, expression="(sAMAccountName=%s)" % READER, attrs=["objectSid"])[0]
    reader_sid = db.schema_format_value("objectSid", reader["objectSid"][0]).decode()
    sd_utils.SDUtils(db).dacl_add_ace(ou, "(D;CI;LCRPLO;;;%s)" % reader_sid)
    sd_utils.SDUtils(db).dacl_add_ace(sid_dn(db, domain_sid + "-518"), "(D;;RPLCLORC;;;%s)" % reader_sid)


def sid_dn(db, sid):
    return str(db.search(BASE, expression="(objectSid=%s)" % sid, attrs=["dn"])[0].dn)


def add_members(db, group_dn, member_dns):
    import ldb
    if member_dns:
        db.modify(ldb.Message.from_dict(db, {"dn": group_dn, "member": member_dns},
                                        ldb.FLAG_MOD_ADD))


def filetime(days_ago):
    return str(int((time.time() - days_ago * 86400 + 11644473600) * 10**7))


def generalized(days_ago):
    return time.strftime("%Y%m%d%H%M%S.0Z", time.gmtime(time.time() - days_ago * 86400))


def age(conf):
    """Ages relative to now, written below the DSDB modules (which allow pwdLastSet only 0/-1)
    straight into the domain partition. Only these three attributes of these entries change."""
    import ldb
    from samba.param import LoadParm
    lp = LoadParm()
    lp.load(conf)
    partition = lp.private_path("sam.ldb.d/DC=KOMMUN,DC=TEST.ldb")
    import samba
    # samba.Ldb: Samba's UTF-8 case folding of DNs ("Öberg"), without the DSDB module stack.
    db = samba.Ldb(url=partition, lp=lp, options=["modules:"])
    for sam, (created, pwd, logon) in AGES.items():
        res = db.search(BASE, scope=ldb.SCOPE_SUBTREE, expression="(sAMAccountName=%s)" % sam,
                        attrs=["dn"])
        m = ldb.Message()
        m.dn = res[0].dn
        m["whenCreated"] = ldb.MessageElement(generalized(created), ldb.FLAG_MOD_REPLACE, "whenCreated")
        m["pwdLastSet"] = ldb.MessageElement(filetime(pwd), ldb.FLAG_MOD_REPLACE, "pwdLastSet")
        if logon is None:
            m["lastLogonTimestamp"] = ldb.MessageElement([], ldb.FLAG_MOD_DELETE, "lastLogonTimestamp")
        else:
            m["lastLogonTimestamp"] = ldb.MessageElement(filetime(logon), ldb.FLAG_MOD_REPLACE,
                                                         "lastLogonTimestamp")
        try:
            db.modify(m)
        except ldb.LdbError:
            if logon is not None:
                raise
            del m["lastLogonTimestamp"]
            db.modify(m)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "variant":
        variant(sys.argv[2], sys.argv[3])
    elif len(sys.argv) != 3 or sys.argv[1] not in ("provision", "age"):
        sys.exit("usage: kommun_dc.py provision DIR | age SMBCONF | variant NAME SMBCONF")
    elif sys.argv[1] == "provision":
        provision(sys.argv[2])
    else:
        age(sys.argv[2])
