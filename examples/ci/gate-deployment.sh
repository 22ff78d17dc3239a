#!/usr/bin/env bash
# Gate a deployment of one system on lisa's verdict. Exit codes (README): 0 = deploy,
# 1 = a high or critical rule fails on this system, 2 = the inventory or rules are broken,
# 3 = some checks could not run (treated as "do not deploy": unknown is not compliant),
# 4 = internal error in lisa, 5 = a report could not be written (both: do not deploy).
#
#   examples/ci/gate-deployment.sh SYSTEM-ID [INVENTORY]
set -uo pipefail
system="${1:?usage: gate-deployment.sh SYSTEM-ID [INVENTORY]}"
inventory="${2:-examples/exempelkommun/inventory.yaml}"
out="${LISA_OUT:-lisa-out}"
lisa="${LISA:-lisa}"

"$lisa" scan --inventory "$inventory" --system "$system" --fail-on high \
  --format text --format junit --format sarif --output-dir "$out" --no-history
rc=$?
case $rc in
  0) echo "lisa: $system may be deployed";;
  1) echo "lisa: $system has failing high/critical rules: deployment blocked";;
  3) echo "lisa: some checks on $system could not run: deployment blocked";;
  4) echo "lisa: internal error: deployment blocked (exit 4)";;
  5) echo "lisa: a report could not be written to $out: deployment blocked (exit 5)";;
  *) echo "lisa: invalid inventory or rules (exit $rc)";;
esac
exit $rc
