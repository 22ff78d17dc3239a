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
refused = {
    "unknown top-level key": dict(base, sytems=[]),
    "area outside the list": dict(base, systems=[{"id": "a", "name": "A", "verksamhetsomraden": ["Skola"], "roles": [],
                                                   "personal_data": False, "sensitive_personal_data": False}]),
    "kommunkod not four digits": {"organization": {"name": "X", "population": 1, "municipality_code": "180"}},
    "unknown document role": dict(base, isms={"documents": [{"id": "p", "role": "polciy", "path": "p.md"}]}),
    "unknown isms role": dict(base, isms={"roles": {"informationssakerhetssamordnar": "A"}}),
    "unknown guideline topic": dict(base, isms={"documents": [{"id": "p", "role": "riktlinje", "path": "p.md",
                                                               "topics": ["logging"]}]}),
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
