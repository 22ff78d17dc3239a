#!/usr/bin/env bash
# scripts/check-layers: the tree itself has no back-edge, and the check does find one when a lower
# layer includes a higher one (so the CI step cannot pass by finding nothing).
set -euo pipefail
src="$1"
python3 "$src/scripts/check-layers" "$src"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scripts" "$work/src/rules" "$work/src/engine" "$work/include/lisa/engine" "$work/src/weird"
cp "$src/scripts/check-layers" "$work/scripts/"
printf '#pragma once\nstruct P {};\n' >"$work/include/lisa/engine/probe.hpp"
printf '#include "lisa/engine/probe.hpp"\n' >"$work/src/engine/ok.cpp"
printf '// fine\n#include "lisa/core/value.hpp"\n' >"$work/src/rules/fine.cpp"
python3 "$work/scripts/check-layers" "$work" >/dev/null
printf '#include <vector>\n#include "lisa/engine/probe.hpp"\n' >"$work/src/rules/bad.cpp"
if out=$(python3 "$work/scripts/check-layers" "$work"); then
  echo "check-layers passed a tree with rules -> engine" >&2; exit 1
fi
grep -q 'src/rules/bad.cpp:2: back-edge rules -> engine' <<<"$out"
grep -q '1 back-edges' <<<"$out"
rm "$work/src/rules/bad.cpp"
printf 'int x;\n' >"$work/src/weird/a.cpp"
if python3 "$work/scripts/check-layers" "$work" >/dev/null; then
  echo "check-layers passed a module with no layer" >&2; exit 1
fi
echo "check-layers: ok"
