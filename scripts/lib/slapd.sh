# shellcheck shell=bash
# A throwaway slapd on 127.0.0.1 for benchmarks and demos (the tests start their own from C++).
# Source this file, then:
#   slapd_free_port                      -> prints a free loopback TCP port
#   slapd_start DIR LDIF PORT [LDAPS_PORT CERT KEY CA]
#       writes DIR/slapd.conf (core, cosine, inetorgperson, nis and msuser schemas; mdb in
#       DIR/db; anonymous read allowed; no size limit), bulk-loads LDIF with slapadd -q, starts
#       slapd in the foreground (-d 0) in the background of this shell and waits for the port.
#       Sets SLAPD_PID. The root DN is cn=admin,<suffix> with the password in $SLAPD_ROOTPW
#       (default "bench-secret"); the suffix is $SLAPD_SUFFIX (default dc=example,dc=org).
#   slapd_stop                           -> stops the instance started by slapd_start
# Needs the Debian packages slapd and ldap-utils (scripts/setup installs them); never touches a
# system slapd.

SLAPD_BIN="${SLAPD_BIN:-/usr/sbin/slapd}"
SLAPADD_BIN="${SLAPADD_BIN:-/usr/sbin/slapadd}"
SLAPD_PID=""

slapd_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

slapd_start() {
  local dir="$1" ldif="$2" port="$3" ldaps_port="${4:-}" cert="${5:-}" key="${6:-}" ca="${7:-}"
  local suffix="${SLAPD_SUFFIX:-dc=example,dc=org}"
  local rootpw="${SLAPD_ROOTPW:-bench-secret}"
  mkdir -p "$dir/db"
  {
    for schema in core cosine inetorgperson nis msuser; do
      echo "include /etc/ldap/schema/$schema.schema"
    done
    echo "pidfile $dir/slapd.pid"
    echo "argsfile $dir/slapd.args"
    echo "modulepath /usr/lib/ldap"
    echo "moduleload back_mdb"
    if [ -n "$cert" ]; then
      echo "TLSCACertificateFile $ca"
      echo "TLSCertificateFile $cert"
      echo "TLSCertificateKeyFile $key"
    fi
    echo "sizelimit unlimited"
    echo "database mdb"
    echo "suffix \"$suffix\""
    echo "rootdn \"cn=admin,$suffix\""
    echo "rootpw $rootpw"
    echo "directory $dir/db"
    echo "maxsize 4294967296"
    echo "index objectClass eq"
    echo "access to attrs=userPassword by anonymous auth by * none"
    echo "access to * by * read"
  } > "$dir/slapd.conf"
  "$SLAPADD_BIN" -q -f "$dir/slapd.conf" -l "$ldif"
  local urls="ldap://127.0.0.1:$port/"
  if [ -n "$ldaps_port" ]; then urls="$urls ldaps://127.0.0.1:$ldaps_port/"; fi
  "$SLAPD_BIN" -f "$dir/slapd.conf" -h "$urls" -d 0 > "$dir/slapd.log" 2>&1 &
  SLAPD_PID=$!
  local i
  for i in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$SLAPD_PID" 2>/dev/null; then
      echo "slapd exited: $(cat "$dir/slapd.log")" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "slapd did not open port $port" >&2
  return 1
}

slapd_stop() {
  if [ -n "$SLAPD_PID" ]; then
    kill "$SLAPD_PID" 2>/dev/null || true
    wait "$SLAPD_PID" 2>/dev/null || true
    SLAPD_PID=""
  fi
}
