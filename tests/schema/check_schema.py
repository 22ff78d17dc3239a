#!/usr/bin/env python3
# The inventory's JSON Schema (issue 16 item 2): a valid draft-07 schema; both example inventories
# validate against it; it refuses what lisa refuses (an unknown key, a verksamhetsområde outside
# Socialstyrelsen's list, a bad kommunkod); and docs/inventory.md is what the schema generates.
#   check_schema.py SOURCE_DIR
import json, os, subprocess, sys

import jsonschema
import yaml

root = sys.argv[1]
schema = json.load(open(os.path.join(root, "schema", "inventory.schema.json"), encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)


class Loader(yaml.SafeLoader):
    """YAML as editors see it: a date is a string (yaml-language-server does not make dates)."""


Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                  for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

failures = 0
for example in ("exempelkommun", "smakommun"):
    path = os.path.join(root, "examples", example, "inventory.yaml")
    errors = list(validator.iter_errors(yaml.load(open(path, encoding="utf-8"), Loader=Loader)))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failures += len(errors)
    print(f"{example}: {len(errors)} schema errors")

base = {"organization": {"name": "X", "population": 1}}

# Every key the loader accepts is in the schema (issue 14: kerberos and
# privileged_password_max_age_days were not, so editors flagged the README's own AD example) and
# the schema has no key the loader refuses: each check_map list in src/inventory/inventory.cpp,
# by the name it gives the map, against the schema object it describes.
import re
props = schema["properties"]
directory = props["directories"]["items"]["properties"]
system = props["systems"]["items"]["properties"]
schema_maps = {
    '"the inventory"': props, "\"'report'\"": props["report"]["properties"],
    "\"'organization'\"": props["organization"]["properties"], "\"'isms'\"": props["isms"]["properties"],
    '"a document"': schema["definitions"]["document"]["properties"],
    '"a system"': system, "\"'authentication'\"": system["authentication"]["properties"],
    "\"'classification'\"": system["classification"]["properties"],
    '"an endpoint"': system["endpoints"]["items"]["properties"], '"a directory"': directory,
    "\"'kerberos'\"": directory.get("kerberos", {}).get("properties", {}), "\"'strong_auth'\"": directory["strong_auth"]["properties"],
    '"an e-service"': props["e_services"]["items"]["properties"], '"a waiver"': props["waivers"]["items"]["properties"],
}
refused_spellings = {"kommunkod"}  # accepted by check_map only to be refused with "did you mean"
source = open(os.path.join(root, "src", "inventory", "inventory.cpp"), encoding="utf-8").read()
seen = set()
for keys, name in re.findall(r'check_map\(\w+,\s*\{([^}]*)\},\s*("[^"]*")\)', source):
    loader_keys = set(re.findall(r'"([^"]+)"', keys)) - refused_spellings
    if name not in schema_maps:
        print(f"check_schema.py: the loader's map {name} has no schema object here; add it to schema_maps")
        failures += 1
        continue
    seen.add(name)
    schema_keys = set(schema_maps[name])
    for key in sorted(loader_keys - schema_keys):
        print(f"{name}: the loader accepts '{key}', the schema does not")
        failures += 1
    for key in sorted(schema_keys - loader_keys):
        print(f"{name}: the schema allows '{key}', the loader refuses it")
        failures += 1
for name in sorted(set(schema_maps) - seen):
    print(f"check_schema.py: no check_map {name} found in the loader")
    failures += 1
# Access groups: the loader builds their list (directory only outside a directory's own list).
for where, keys in ((system["access_groups"]["items"]["properties"], {"id", "dn", "privileged", "directory"}),
                    (directory["privileged_groups"]["items"]["properties"], {"id", "dn", "privileged"})):
    if set(where) != keys:
        print(f"access group keys {sorted(where)} differ from the loader's {sorted(keys)}")
        failures += 1

# The README's AD example, and a directory using every key, validate.
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
ad_examples = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "kerberos:" in b]
if not ad_examples:
    print("README.md: no yaml example with kerberos: found")
    failures += 1
every_directory_key = dict(base, directories=[
    {"id": "ad", "name": "AD", "owner": "IT", "url": "ldaps://dc1.kommun.se", "base_dn": "DC=kommun,DC=se",
     "ca_file": "ca.pem", "trust_intermediates": False, "flavour": "active_directory", "starttls": False,
     "kerberos": {"keytab": "lisa.keytab", "principal": "lisa@KOMMUN.SE"}, "shared_marker": "delat",
     "stale_days": 90, "privileged_password_max_age_days": 365,
     "strong_auth": {"mfa_groups": ["CN=MFA,DC=kommun,DC=se"], "attribute": "extensionAttribute1"},
     "privileged_groups": [{"id": "da", "dn": "CN=Domain Admins,CN=Users,DC=kommun,DC=se", "privileged": True}],
     "user_filter": "(objectClass=user)", "group_filter": "(objectClass=group)"},
    {"id": "ol", "url": "ldap://ldap.kommun.se", "base_dn": "dc=kommun,dc=se", "starttls": True,
     "bind_dn": "cn=lisa,dc=kommun,dc=se", "password_file": "lisa.pw"},
    {"id": "ol2", "url": "ldaps://ldap2.kommun.se", "base_dn": "dc=kommun,dc=se",
     "bind_dn": "cn=lisa,dc=kommun,dc=se", "password_env": "LISA_PW"},
    {"id": "kinit", "url": "ldap://dc2.kommun.se", "base_dn": "DC=kommun,DC=se", "kerberos": {}}])
used = set().union(*(d.keys() for d in every_directory_key["directories"]))
if used != set(directory):
    print(f"directory keys in only one of the schema and the every-key example: {sorted(used ^ set(directory))}")
    failures += 1
for what, doc in [("README.md AD example", dict(base, **yaml.load(b, Loader=Loader))) for b in ad_examples] + \
                 [("a directory with every key", every_directory_key)]:
    for e in validator.iter_errors(doc):
        print(f"{what}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += 1
refused = {
    "unknown top-level key": dict(base, sytems=[]),
    "area outside the list": dict(base, systems=[{"id": "a", "name": "A", "verksamhetsomraden": ["Skola"], "roles": [],
                                                   "personal_data": False, "sensitive_personal_data": False}]),
    "kommunkod not four digits": {"organization": {"name": "X", "population": 1, "municipality_code": "180"}},
    "unknown document role": dict(base, isms={"documents": [{"id": "p", "role": "polciy", "path": "p.md"}]}),
    "unknown isms role": dict(base, isms={"roles": {"informationssakerhetssamordnar": "A"}}),
    "unknown guideline topic": dict(base, isms={"documents": [{"id": "p", "role": "riktlinje", "path": "p.md",
                                                               "topics": ["logging"]}]}),
    "unknown kerberos key": dict(base, directories=[{"id": "a", "url": "ldap://a", "base_dn": "x",
                                                     "kerberos": {"keytab": "k", "realm": "R"}}]),
    "a privileged group naming a directory": dict(base, directories=[{"id": "a", "url": "ldap://a", "base_dn": "x",
        "privileged_groups": [{"id": "g", "dn": "CN=g", "directory": "a"}]}]),
}
for what, doc in refused.items():
    if validator.is_valid(doc):
        print(f"the schema accepts {what}")
        failures += 1
if not validator.is_valid(base):
    print("the schema refuses the smallest valid inventory")
    failures += 1

rc = subprocess.run([sys.executable, os.path.join(root, "scripts", "gen-inventory-doc"), "--check"]).returncode
if rc != 0:
    failures += 1
print("schema check:", "ok" if failures == 0 else f"{failures} failures")
sys.exit(1 if failures else 0)
