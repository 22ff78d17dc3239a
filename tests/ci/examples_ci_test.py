#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""examples/ci/ as written (issue 16 item 11).

Parses the GitHub workflow and the GitLab pipeline, checks what each platform needs (the
workflow: a debian:12 container, `security-events: write`, the SARIF upload; GitLab: a junit
report, no `sast`), then runs their commands in a copy of the repository's examples (a directory
with a `.git`, as a CI checkout has) with the lisa under test, exactly as written, except the
steps that install lisa (id `prepare`/`install` in GitHub, the install-lisa.sh line in GitLab:
they need root and a network; their script is checked for what it uses). The SARIF the gate
writes is validated against the official SARIF 2.1.0 JSON Schema (tests/data/sarif, OASIS) and
its physical locations are checked against the inventory: each result points at the line that
declares its subject. No demo server is started: the examples must not need one (exit 3 fails).

Usage: examples_ci_test.py LISA_BINARY SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import jsonschema
import yaml

# The clock-ahead pass (scripts/test clock-ahead) preloads libfaketime into every test. Python's
# time.sleep, which subprocess uses to bound its waits, fails under it (EINVAL), so this driver
# runs on the real clock and hands the preload on to the lisa commands it runs: lisa still sees
# the moved clock.
if "faketime" in os.environ.get("LD_PRELOAD", ""):
    env = dict(os.environ, LISA_TEST_CHILD_PRELOAD=os.environ["LD_PRELOAD"])
    del env["LD_PRELOAD"]
    os.execvpe(sys.executable, [sys.executable] + sys.argv, env)


def child_env(extra=None):
    """The environment of a command this test runs: the clock-ahead preload restored, no history."""
    env = {k: v for k, v in os.environ.items() if k not in ("LISA_HISTORY", "LISA_TEST_CHILD_PRELOAD")}
    if os.environ.get("LISA_TEST_CHILD_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["LISA_TEST_CHILD_PRELOAD"]
    env.update(extra or {})
    return env


lisa, source = sys.argv[1], sys.argv[2]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def workspace():
    """A CI checkout in miniature: the examples the pipelines name, and a .git."""
    root = tempfile.mkdtemp(prefix="lisa-ci-example-")
    for part in ("examples/ci", "examples/smakommun"):
        shutil.copytree(os.path.join(source, part), os.path.join(root, part), symlinks=True)
    os.mkdir(os.path.join(root, ".git"))
    return root


def run(command, cwd):
    env = child_env({"LISA": lisa})
    p = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    print(f"$ {command}\n{p.stdout}(exit {p.returncode})")
    return p.returncode


def check_gate_exit(rc, where):
    # 0 deploy, 1 a gate failed: a complete scan. 3 would mean a check needed a server.
    check(rc in (0, 1), f"{where}: the gate exited {rc}; the example must complete without servers")


def check_sarif(path, inventory_uri, inventory_file):
    with open(os.path.join(source, "tests/data/sarif/sarif-schema-2.1.0.json"), encoding="utf-8") as f:
        schema = json.load(f)
    with open(path, encoding="utf-8") as f:
        sarif = json.load(f)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(sarif), key=lambda e: list(e.path))
    for e in errors:
        failures.append(f"{path}: SARIF 2.1.0 schema: {'/'.join(map(str, e.path))}: {e.message}")
    with open(inventory_file, encoding="utf-8") as f:
        lines = f.read().split("\n")
    results = sarif["runs"][0]["results"]
    check(results, f"{path}: no results: the example should show what code scanning reports")
    located = 0
    for r in results:
        loc = r["locations"][0]
        subject = loc["logicalLocations"][0]["name"]
        phys = loc.get("physicalLocation")
        if not check(phys is not None, f"{r['ruleId']} on {subject}: no physicalLocation"):
            continue
        located += 1
        check(phys["artifactLocation"]["uri"] == inventory_uri,
              f"{r['ruleId']} on {subject}: uri {phys['artifactLocation']['uri']!r}, expected {inventory_uri!r}")
        line = phys["region"]["startLine"]
        column = phys["region"].get("startColumn", 1)
        if not check(1 <= line <= len(lines), f"{r['ruleId']} on {subject}: line {line} outside the file"):
            continue
        # The declaring line names the subject's own id (the last part of a nested id), or it is
        # the organisation's block.
        text = lines[line - 1]
        own_id = subject.split("/")[-1]
        check(own_id in text or text.strip().startswith("organization") or "name:" in text,
              f"{r['ruleId']} on {subject}: line {line} ({text.strip()!r}) does not declare it")
        check(column >= 1 and text[column - 1:].strip() != "", f"{r['ruleId']} on {subject}: column {column}")
    print(f"{path}: {len(results)} results, {located} with a physical location, "
          f"{len(errors)} schema errors")


# --- GitHub Actions -------------------------------------------------------------------------
with open(os.path.join(source, "examples/ci/github-actions.yml"), encoding="utf-8") as f:
    workflow = yaml.safe_load(f)
check(workflow.get("permissions", {}).get("security-events") == "write",
      "github-actions.yml: permissions lacks security-events: write (upload-sarif needs it)")
job = workflow["jobs"]["gate"]
container = job.get("container")
image = container.get("image") if isinstance(container, dict) else container
check(image == "debian:12", f"github-actions.yml: container {image!r}, expected debian:12")
steps = job["steps"]
upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
check(len(upload) == 1, "github-actions.yml: one upload-sarif step")
sarif_file = upload[0]["with"]["sarif_file"] if upload else "lisa-out/report.sarif"
check(upload and upload[0].get("if") == "always()", "github-actions.yml: upload the SARIF even when the gate fails")
check(any(str(s.get("uses", "")).startswith("actions/checkout@") for s in steps), "github-actions.yml: no checkout")
root = workspace()
try:
    ran = 0
    for s in steps:
        if "run" not in s or s.get("id") in ("prepare", "install"):
            continue
        rc = run(s["run"], root)
        ran += 1
        if s.get("id") == "gate":
            check_gate_exit(rc, "github-actions.yml")
        else:
            check(rc == 0, f"github-actions.yml: step {s.get('id') or s['run']!r} exited {rc}")
    check(ran >= 1, "github-actions.yml: no step ran")
    sarif_path = os.path.join(root, sarif_file)
    if check(os.path.isfile(sarif_path), f"github-actions.yml: the gate wrote no {sarif_file}"):
        check_sarif(sarif_path, "examples/smakommun/inventory.yaml",
                    os.path.join(root, "examples/smakommun/inventory.yaml"))
finally:
    shutil.rmtree(root, ignore_errors=True)

# --- Every kind of result against the schema: the golden exempelkommun report (fail, error,
# waived as an accepted suppression, probe notifications) re-rendered as SARIF in both languages.
for lang in ("sv", "en"):
    out = tempfile.mkdtemp(prefix="lisa-sarif-")
    try:
        p = subprocess.run([lisa, "report", os.path.join(source, "tests/data/expected/exempelkommun.json"), "--format",
                            "sarif", "--lang", lang, "--output", os.path.join(out, "r.sarif")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
                           env=child_env())
        if check(p.returncode == 0, f"lisa report --format sarif --lang {lang}: exit {p.returncode}: {p.stdout}"):
            check_sarif(os.path.join(out, "r.sarif"), "examples/exempelkommun/inventory.yaml",
                        os.path.join(source, "examples/exempelkommun/inventory.yaml"))
    finally:
        shutil.rmtree(out, ignore_errors=True)

# --- GitLab CI ------------------------------------------------------------------------------
with open(os.path.join(source, "examples/ci/gitlab-ci.yml"), encoding="utf-8") as f:
    pipeline = yaml.safe_load(f)
gate = pipeline["lisa-gate"]
check(gate.get("image") == "debian:12", "gitlab-ci.yml: image is not debian:12")
reports = gate.get("artifacts", {}).get("reports", {})
check("sast" not in reports, "gitlab-ci.yml: reports:sast needs GitLab's SAST report format, not SARIF")
check("junit" in reports, "gitlab-ci.yml: no reports:junit")
root = workspace()
try:
    for line in gate["script"]:
        if "install-lisa.sh" in line:
            continue
        rc = run(line, root)
        if "gate-deployment.sh" in line:
            check_gate_exit(rc, "gitlab-ci.yml")
        else:
            check(rc == 0, f"gitlab-ci.yml: {line!r} exited {rc}")
    junit = os.path.join(root, reports.get("junit", "lisa-out/report.junit.xml"))
    if check(os.path.isfile(junit), f"gitlab-ci.yml: the gate wrote no {reports.get('junit')}"):
        cases = ET.parse(junit).getroot().iter("testcase")
        check(sum(1 for _ in cases) > 0, "gitlab-ci.yml: the JUnit report has no testcase")
finally:
    shutil.rmtree(root, ignore_errors=True)

# --- What the skipped install step uses exists ----------------------------------------------
install = os.path.join(source, "examples/ci/install-lisa.sh")
check(subprocess.run(["bash", "-n", install]).returncode == 0, "install-lisa.sh: syntax error")
with open(install, encoding="utf-8") as f:
    text = f.read()
with open(os.path.join(source, "CMakePresets.json"), encoding="utf-8") as f:
    presets = [p["name"] for p in json.load(f)["configurePresets"]]
check("release" in presets and "--preset release" in text, "install-lisa.sh: the release preset")
check(os.access(os.path.join(source, "scripts/setup"), os.X_OK), "scripts/setup is missing")
with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
    check("include(CPack)" in f.read() and "cpack -G DEB" in text, "install-lisa.sh: the .deb comes from CPack")
check("apt-get install" in text and "lisa_*.deb" in text, "install-lisa.sh: installs the built .deb with apt-get")

for failure in failures:
    print("FAIL:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
