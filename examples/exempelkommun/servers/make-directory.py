#!/usr/bin/env python3
"""Writes Exempelkommun's demo directory as LDIF (AD-shaped: objectClass user + extensibleObject,
userAccountControl, lastLogonTimestamp as FILETIME) to stdout. Deterministic: the same bytes
every run, with logon times relative to a fixed date, so reports for a given --as-of repeat.

Profile (what the scan should find):
  IFO-Handlaggare      60 case workers, all smartcard-required            -> all strong
  Omsorg-Handlaggare   80 case workers, 70 in MFA-Users                    -> partly
  Hemtjanst-Personal  600 carers (+ nested Hemtjanst-Natt 100), 45 % MFA, a shared tablet
                      account, 25 stale accounts                           -> partly
  SABO-Personal       300 carers, nobody strong                            -> no staff
  LSS-Personal        200 staff, all but 12 in MFA-Users                   -> partly
  AMI-Personal         40 staff, all in MFA-Users                          -> all strong
  HSL-Legitimerad     120 nurses, smartcard (SITHS), one password-not-required account
  Domain Admins         4 admins, one without smartcard
DEMO ONLY."""
import random

BASE = "DC=exempelkommun,DC=se"
REFERENCE_DAYS = 20758          # 2026-11-01 as days since 1970-01-01
FILETIME_EPOCH = 11644473600    # seconds from 1601-01-01 to 1970-01-01
NORMAL, DISABLED, PWD_NOT_REQ, DONT_EXPIRE, SMARTCARD = 0x200, 0x2, 0x20, 0x10000, 0x40000
rng = random.Random(20261122)
out = []


def filetime(days_before_reference):
    seconds = (REFERENCE_DAYS - days_before_reference) * 86400 + 8 * 3600
    return (seconds + FILETIME_EPOCH) * 10_000_000


def entry(dn, *lines):
    out.append("dn: " + dn + "\n" + "\n".join(lines) + "\n")


def user(name, uac=NORMAL, last_logon=3, employee_type=None):
    dn = f"CN={name},OU=Users,{BASE}"
    lines = ["objectClass: user", "objectClass: extensibleObject", f"cn: {name}", f"sn: {name}",
             "instanceType: 4", "nTSecurityDescriptor:: AA==",
             f"objectCategory: CN=Person,CN=Schema,CN=Configuration,{BASE}",
             f"sAMAccountName: {name}", f"userPrincipalName: {name}@exempelkommun.se",
             f"userAccountControl: {uac}", f"pwdLastSet: {filetime(60)}"]
    if last_logon is not None:
        lines.append(f"lastLogonTimestamp: {filetime(last_logon)}")
    if employee_type:
        lines.append(f"employeeType: {employee_type}")
    entry(dn, *lines)
    return dn


def group(cn, members, ou="OU=Groups"):
    dn = f"CN={cn},{ou},{BASE}"
    entry(dn, "objectClass: group", f"cn: {cn}", "groupType: -2147483646",
          "instanceType: 4", "nTSecurityDescriptor:: AA==",
          f"objectCategory: CN=Group,CN=Schema,CN=Configuration,{BASE}",
          *[f"member: {m}" for m in members])
    return dn


entry(BASE, "objectClass: dcObject", "objectClass: organization", "o: Exempelkommun", "dc: exempelkommun")
for ou in ("Users", "Groups", "Service"):
    entry(f"OU={ou},{BASE}", "objectClass: organizationalUnit", f"ou: {ou}")
entry(f"CN=Users,{BASE}", "objectClass: organizationalRole", "cn: Users")
# The read-only account lisa binds with (its password comes from LISA_DEMO_AD_PASSWORD).
entry(f"CN=svc-lisa,OU=Service,{BASE}", "objectClass: user", "objectClass: extensibleObject",
      "cn: svc-lisa", "sn: svc-lisa", "instanceType: 4", "nTSecurityDescriptor:: AA==",
      f"objectCategory: CN=Person,CN=Schema,CN=Configuration,{BASE}",
      "sAMAccountName: svc-lisa", "userPassword: demo-only-not-a-secret",
      f"userAccountControl: {NORMAL | DONT_EXPIRE}")

mfa = []


def staff(prefix, count, strong_share=0.0, smartcard=False, stale=0, disabled=0):
    members = []
    for i in range(count):
        uac = NORMAL | (SMARTCARD if smartcard else 0)
        if i < disabled:
            uac |= DISABLED
        last = 200 if count - i <= stale else rng.randint(0, 20)
        dn = user(f"{prefix}{i:04d}", uac, last)
        members.append(dn)
        if not smartcard and rng.random() < strong_share:
            mfa.append(dn)
    return members


ifo = staff("ifo", 60, smartcard=True, disabled=2)
omsorg = staff("oms", 80)
mfa.extend(omsorg[:70])
hemtjanst = staff("htj", 600, strong_share=0.45, stale=25, disabled=5)
natt = staff("htn", 100, strong_share=0.45)
hemtjanst.append(user("hemtjanst-surfplatta", employee_type="shared"))
sabo = staff("sab", 300, disabled=3)
lss = staff("lss", 200)
mfa.extend(lss[:188])
ami = staff("ami", 40)
mfa.extend(ami)
hsl = staff("hsl", 120, smartcard=True)
hsl.append(user("hsl-vikarie", NORMAL | PWD_NOT_REQ))
admins = [user(f"adm{i}", NORMAL | SMARTCARD) for i in range(3)] + [user("adm-legacy", NORMAL | DONT_EXPIRE)]

natt_dn = group("Hemtjanst-Natt", natt)
group("IFO-Handlaggare", ifo)
group("Omsorg-Handlaggare", omsorg)
group("Hemtjanst-Personal", hemtjanst + [natt_dn])
group("SABO-Personal", sabo)
group("LSS-Personal", lss)
group("AMI-Personal", ami)
group("HSL-Legitimerad", hsl)
group("MFA-Users", sorted(set(mfa)))
group("Domain Admins", admins, ou="CN=Users")
print("\n".join(out))
