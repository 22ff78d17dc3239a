#!/usr/bin/env bash
# The Debian package end to end (issue 16 item 6): `cpack -G DEB` from this build, installed with
# apt-get as a user would, then the installed binary: --version, the man page and completions in
# place, and a scan with the installed rule pack (from a directory outside the source tree, with
# $LISA_RULES_DIR unset). The package is purged in a trap, whatever happens.
# Usage: deb_install_test.sh BUILD_DIR SOURCE_DIR VERSION
# Labelled `package`: plain CI pass only (scripts/test skips it under ASan and the moved clock).
set -euo pipefail
build="$1"; source="$2"; version="$3"
if [ "$(id -u)" -ne 0 ]; then echo "deb_install_test: needs root to install a package" >&2; exit 1; fi
if dpkg-query -W -f='${Status}' lisa 2>/dev/null | grep -q "install ok installed"; then
  echo "deb_install_test: a lisa package is already installed; refusing to replace it" >&2; exit 1
fi
work="$(mktemp -d)"
cleanup() {
  apt-get purge -y -q -o DPkg::Lock::Timeout=300 lisa >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work"/pkg/lisa_"$version"_*.deb)
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb --field "$deb" Depends | grep -q 'libldap' || { echo "Depends lacks libldap (shlibdeps)" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "$deb" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; exit 1; }

unset LISA_RULES_DIR LISA_HISTORY LISA_TEMPLATES_DIR
test "$(command -v lisa)" = /usr/bin/lisa
test "$(/usr/bin/lisa --version)" = "lisa $version"
for f in /usr/share/man/man1/lisa.1.gz /usr/share/bash-completion/completions/lisa \
         /usr/share/zsh/vendor-completions/_lisa /usr/share/lisa/rules/README.md \
         /usr/share/lisa/templates/html/page_one.mustache; do
  test -s "$f" || { echo "missing from the package: $f" >&2; exit 1; }
done
# Every HTML template the source tree has (the report reads them at run time: none may be left out).
for t in "$source"/templates/html/*.mustache; do
  f=/usr/share/lisa/templates/html/$(basename "$t")
  test -s "$f" || { echo "missing from the package: $f" >&2; exit 1; }
done
for f in /usr/share/lisa/schema/inventory.schema.json; do
  if [ -e "$source/schema/inventory.schema.json" ]; then test -s "$f" || { echo "missing: $f" >&2; exit 1; }; fi
done
# The document reader is a program of its own (src/probes/document/reader_main.cpp), found by the
# installed lisa in /usr/libexec/lisa/ with no environment variable telling it where.
unset LISA_DOCUMENT_READER
test -x /usr/libexec/lisa/lisa-document-reader || { echo "missing from the package: /usr/libexec/lisa/lisa-document-reader" >&2; exit 1; }
/usr/bin/lisa probe document "$source/tests/data/documents/policy.pdf" >"$work/probe.json"
python3 - "$work/probe.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
text = json.dumps(out, ensure_ascii=False)
assert "cannot start the document reader" not in text, text[:400]
assert "beslutad" in text, "the installed reader read no facts from policy.pdf: " + text[:400]
PY
zcat /usr/share/man/man1/lisa.1.gz | grep -q '^\.SS scan' || { echo "man page has no scan section" >&2; exit 1; }
bash -n /usr/share/bash-completion/completions/lisa
# The completion offers scan's options.
words=$(bash -c 'source /usr/share/bash-completion/completions/lisa; COMP_WORDS=(lisa scan --inv); COMP_CWORD=2; _lisa; echo "${COMPREPLY[*]}"')
test "$words" = "--inventory" || { echo "completion of 'lisa scan --inv' gave '$words'" >&2; exit 1; }

# A scan with the installed rule pack, run from a directory with no rules/ anywhere above it.
cd "$work"
cp -r "$source/examples/smakommun" "$work/smakommun"
rc=0
/usr/bin/lisa scan --inventory "$work/smakommun/inventory.yaml" --no-history --format json \
  --output "$work/report.json" >"$work/scan.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then cat "$work/scan.log" >&2; echo "installed scan exited $rc" >&2; exit 1; fi
installed_pack=$(/usr/bin/lisa rules list --rules /usr/share/lisa/rules | wc -l)
default_pack=$(/usr/bin/lisa rules list | wc -l)
test "$installed_pack" = "$default_pack"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"], "no findings in the installed scan"
print(f"installed scan: {len(r['findings'])} findings, exit ok")
PY
# The HTML report comes from the installed templates (share/lisa/templates): page one and the rest.
/usr/bin/lisa report "$work/report.json" --format html --output "$work/report.html"
grep -q '<section class="page-one"' "$work/report.html" || { echo "the installed HTML report has no page one" >&2; exit 1; }
for id in action-plan survey summary areas trend failing errors waivers appendix; do
  grep -q "<section id=\"$id\">" "$work/report.html" || { echo "the installed HTML report has no $id section" >&2; exit 1; }
done
echo "deb install test: ok"
