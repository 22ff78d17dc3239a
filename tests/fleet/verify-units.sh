#!/usr/bin/env bash
# examples/fleet: the systemd template unit and timer pass `systemd-analyze verify` with ExecStart
# pointed at the built lisa (it must exist), a broken copy fails it (so this check can fail), and
# the Kubernetes CronJob parses as YAML with the scan-then-push command. Usage: verify-units.sh LISA SOURCE
set -euo pipefail
lisa="$1"; src="$2"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
sed "s#/usr/local/bin/lisa#$lisa#g" "$src/examples/fleet/lisa-audit@.service" >"$dir/lisa-audit@.service"
cp "$src/examples/fleet/lisa-audit@.timer" "$dir/"
grep -q "ExecStart=$lisa scan" "$dir/lisa-audit@.service"
out=$(cd "$dir" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$dir/lisa-audit@1234.service" "$dir/lisa-audit@1234.timer" 2>&1) || {
  echo "FAIL: systemd-analyze verify: $out"; exit 1; }
# Anything said about our own files is a finding (unknown keys, bad values).
if grep -q "lisa-audit@" <<<"$out"; then echo "FAIL: $out"; exit 1; fi
# A copy whose ExecStart names a missing binary must fail: the check is live.
sed "s#$lisa scan#/nonexistent/lisa scan#" "$dir/lisa-audit@.service" >"$dir/broken@.service"
if (cd "$dir" && systemd-analyze verify --man=no "$dir/broken@1234.service" >/dev/null 2>&1); then
  echo "FAIL: a unit with a missing ExecStart binary passed systemd-analyze verify"; exit 1
fi
python3 - "$src/examples/fleet/cronjob.yaml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
assert doc["kind"] == "CronJob" and doc["apiVersion"] == "batch/v1", doc["kind"]
c = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
cmd = " ".join(c["args"])
assert "--format central" in cmd and "--sign" in cmd and "lisa push" in cmd, cmd
assert not any("password" in (e.get("value") or "").lower() for e in c["env"]), c["env"]
# libpq ignores a group-readable pgpass; a Secret mounted with fsGroup is 0440 (try17 item 13)
pgpass = [e["value"] for e in c["env"] if e["name"] == "PGPASSFILE"][0]
assert ("install -m 0600" in cmd and pgpass in cmd), (pgpass, cmd)
PY
echo "ok: lisa-audit@.service and .timer verified; cronjob.yaml parsed"
