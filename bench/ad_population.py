#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# The directory of `scripts/bench ad`: a county-sized municipality's Active Directory, written as
# LDIF for `ldbadd` straight into a provisioned Samba DC's sam.ldb (offline, one transaction; far
# faster than LDAP adds one by one).
#
#   ad_population.py USERS GROUPS BASE > population.ldif
#   ad_population.py USERS GROUPS BASE --chunk N DIR    the same in DIR/0000.ldif, ... of N
#                                                       entries each, in load order
#
# Shape (deterministic, no randomness): one OU per förvaltning with its staff; every 50th account
# an administrator in OU=Administratörer; application access groups APP-<system>-<roll> in
# OU=Behörigheter, nested up to three levels (roll groups inside an APP group inside an umbrella
# group), most with 5-200 members, a few large ones (every user of a förvaltning; "Alla
# anställda" with every account through its förvaltning groups). userAccountControl flags spread
# so every privileged-access check has accounts on both sides. No passwords (hashing 20,000
# Kerberos keys would dominate the load); accounts carry PASSWD_NOTREQD instead.
import sys

FORVALTNINGAR = ["Socialförvaltningen", "Utbildningsförvaltningen", "Kultur- och fritidsförvaltningen",
                 "Samhällsbyggnadsförvaltningen", "Kommunledningsförvaltningen", "Miljöförvaltningen",
                 "Tekniska förvaltningen", "Äldreförvaltningen"]
FIRST = ["Anna", "Åsa", "Örjan", "Björn", "Märta", "Göran", "Karin", "Per", "Lena", "Jörgen"]
LAST = ["Andersson", "Öberg", "Åkesson", "Ström", "Lindqvist", "Ek", "Sjöberg", "Häll", "Nyström"]

UAC_NORMAL, UAC_DISABLE, UAC_PASSWD_NOTREQD = 0x200, 0x2, 0x20
UAC_DONT_EXPIRE, UAC_SMARTCARD, UAC_NOT_DELEGATED, UAC_DONT_REQ_PREAUTH = 0x10000, 0x40000, 0x100000, 0x400000


class Chunked:
    """Writes entries (each ending in a blank line) into DIR/NNNN.ldif, N entries per file."""

    def __init__(self, per_file, folder):
        self.per_file, self.folder, self.count, self.out = per_file, folder, 0, None

    def write(self, entry):
        if self.count % self.per_file == 0:
            if self.out:
                self.out.close()
            self.out = open(f"{self.folder}/{self.count // self.per_file:04d}.ldif", "w", encoding="utf-8")
        self.out.write(entry)
        self.count += 1

    def close(self):
        if self.out:
            self.out.close()


def main():
    if len(sys.argv) not in (4, 7) or len(sys.argv) == 7 and sys.argv[4] != "--chunk":
        sys.exit("usage: ad_population.py USERS GROUPS BASE [--chunk N DIR]")
    n_users, n_groups, base = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    sink = Chunked(int(sys.argv[5]), sys.argv[6]) if len(sys.argv) == 7 else sys.stdout
    w = sink.write  # every call writes exactly one entry
    root = "OU=Bench," + base
    behorigheter = "OU=Behörigheter," + root
    w(f"dn: {root}\nobjectClass: organizationalUnit\n\n")
    w(f"dn: {behorigheter}\nobjectClass: organizationalUnit\n\n")
    for f in FORVALTNINGAR + ["Administratörer"]:
        w(f"dn: OU={f},{root}\nobjectClass: organizationalUnit\n\n")
    users = []
    for i in range(n_users):
        admin = i % 50 == 7
        ou = "Administratörer" if admin else FORVALTNINGAR[i % len(FORVALTNINGAR)]
        cn = f"{LAST[i % len(LAST)]}\\, {FIRST[(i // 7) % len(FIRST)]} {i:05d}"
        sam = f"{'adm' if admin else 'u'}{i:05d}"
        dn = f"CN={cn},OU={ou},{root}"
        uac = UAC_NORMAL | UAC_PASSWD_NOTREQD
        if i % 10 == 3:
            uac |= UAC_DISABLE
        if i % 4 == 1:
            uac |= UAC_DONT_EXPIRE
        if i % 3 == 0 or admin and i % 100 != 7:
            uac |= UAC_SMARTCARD
        if admin and i % 200 != 57:
            uac |= UAC_NOT_DELEGATED
        if i % 997 == 5:
            uac |= UAC_DONT_REQ_PREAUTH
        e = [f"dn: {dn}", "objectClass: user", f"sAMAccountName: {sam}",
             f"userPrincipalName: {sam}@kommun.test", f"displayName: {cn.replace(chr(92), '')}",
             f"userAccountControl: {uac}"]
        if i % 499 == 11:
            e.append(f"servicePrincipalName: HTTP/app{i}.kommun.test")
        if admin:
            e.append("adminCount: 1")
        if i % 29 == 6:
            e.append("employeeType: shared")
        w("\n".join(e) + "\n\n")
        users.append((dn, ou, admin))

    # Groups: leaves first, then the groups that nest them (ldbadd needs members to exist).
    def group(cn, members):
        lines = [f"dn: CN={cn},{behorigheter}", "objectClass: group", f"sAMAccountName: {cn}"]
        lines += [f"member: {m}" for m in members]
        w("\n".join(lines) + "\n\n")
        return f"CN={cn},{behorigheter}"

    by_forv = {f: [dn for dn, ou, _ in users if ou == f] for f in FORVALTNINGAR}
    admins = [dn for dn, _, admin in users if admin]
    made = 0
    # Large groups: every user of a förvaltning, and "Alla anställda" nesting them.
    forv_groups = []
    for f in FORVALTNINGAR:
        forv_groups.append(group(f"Personal-{f}", by_forv[f]))
        made += 1
    alla = group("Alla anställda", forv_groups)
    made += 1
    admin_group = group("Bench-IT-drift-admins", admins)
    made += 1
    # Application groups: each system has an umbrella group nesting 3 role groups; role groups
    # hold 5-200 users of one förvaltning; every 10th umbrella also nests a whole förvaltning
    # (a large membership) and every 25th the admins.
    k = 0
    remaining = n_groups - made
    systems = remaining // 4
    for s in range(systems):
        roles = []
        for r, roll in enumerate(("läs", "handläggare", "admin")):
            pool = by_forv[FORVALTNINGAR[(s + r) % len(FORVALTNINGAR)]]
            size = 5 + (s * 37 + r * 53) % 196
            start = (s * 101 + r * 17) % max(1, len(pool))
            members = [pool[(start + j) % len(pool)] for j in range(min(size, len(pool)))]
            roles.append(group(f"APP-System{s:03d}-{roll}", members))
            k += 1
        extra = []
        if s % 10 == 0:
            extra.append(forv_groups[s % len(forv_groups)])
        if s % 25 == 0:
            extra.append(admin_group)
        group(f"APP-System{s:03d}", roles + extra)
        made += 4
    # The rest (to exactly GROUPS): small mail-list-like groups of ten.
    for g in range(n_groups - made):
        group(f"Lista-{g:03d}", [users[(g * 131 + j * 7) % len(users)][0] for j in range(10)])
    del alla, k
    if sink is not sys.stdout:
        sink.close()


if __name__ == "__main__":
    main()
