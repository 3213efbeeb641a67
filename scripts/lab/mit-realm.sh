#!/usr/bin/env bash
# A throwaway MIT krb5 realm in its own network namespace, /etc untouched.
#
#   mit-realm.sh up   <dir> [REALM]   create the database, principals and keytabs; start krb5kdc
#   mit-realm.sh down <dir>           stop krb5kdc, delete the namespace (idempotent)
#
# Everything lives in <dir>: krb5.conf, kdc.conf, the database, the stash, keytabs/, kdc.log and
# `env` (KRB5_CONFIG=, KRB5_KDC_PROFILE=, NETNS=, REALM=, KDC_HOST=, PASSWORD=, LAB_DIR=), which
# callers source. Clients run as `ip netns exec $NETNS env KRB5_CONFIG=$KRB5_CONFIG kinit …`.
# Needs root (network namespaces) and krb5-kdc, krb5-admin-server, krb5-user.
set -euo pipefail

usage() { echo "usage: $0 up <dir> [REALM] | down <dir>" >&2; exit 2; }

# The namespace name is derived from the directory so that several labs can run side by side and
# `down` finds its namespace again from the directory alone.
netns_for() {
  local abs
  abs=$(realpath -m "$1")
  echo "mit-$(printf '%s' "$abs" | sha256sum | cut -c1-10)"
}

# The four AES enctypes MIT supports, in the order the KDC prefers them for ticket keys
# (a ticket's enc-part uses the service's first key in this order: mit-lab.md).
ALL_ETYPES="aes256-cts-hmac-sha1-96:normal,aes128-cts-hmac-sha1-96:normal,aes256-cts-hmac-sha384-192:normal,aes128-cts-hmac-sha256-128:normal"
etype_name() {
  case "$1" in
    17) echo aes128-cts-hmac-sha1-96 ;;
    18) echo aes256-cts-hmac-sha1-96 ;;
    19) echo aes128-cts-hmac-sha256-128 ;;
    20) echo aes256-cts-hmac-sha384-192 ;;
    *) echo "unknown etype $1" >&2; return 1 ;;
  esac
}

wait_port_88() {
  local ns=$1 pid=$2 dir=$3 i
  # 20 s: it takes ~0.05 s on an idle machine, far longer when every core is busy.
  for i in $(seq 1 400); do
    if ip netns exec "$ns" bash -c 'exec 3<>/dev/tcp/127.0.0.1/88' 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mit-realm: krb5kdc exited during start-up; see $dir/krb5kdc.out and $dir/kdc.log" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "mit-realm: krb5kdc did not answer on 127.0.0.1:88 in $ns within 20 s; see $dir/kdc.log" >&2
  return 1
}

down() {
  local dir=$1 ns pid comm i
  ns=$(netns_for "$dir")
  if [ -f "$dir/krb5kdc.pid" ]; then
    pid=$(cat "$dir/krb5kdc.pid" 2>/dev/null || true)
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$comm" = krb5kdc ]; then
      kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do
        [ -e "/proc/$pid" ] || break
        sleep 0.05
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/krb5kdc.pid"
  fi
  if ip netns list | grep -qw "^$ns"; then
    # Anything still inside the namespace was started by this lab (clients left behind by a test).
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$ns"
  fi
}

up() {
  local dir=$1 realm=${2:-MIT.TEST} ns lower t0 e
  t0=$(date +%s.%N)
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  ns=$(netns_for "$dir")
  lower=$(echo "$realm" | tr '[:upper:]' '[:lower:]')
  # A realm left over from an earlier run in the same directory is replaced, never reused.
  down "$dir"
  rm -rf "$dir/db" "$dir/keytabs" "$dir/env" "$dir/kdc.log" "$dir/krb5kdc.out"
  mkdir -p "$dir/db" "$dir/keytabs"
  chmod 700 "$dir/db" "$dir/keytabs"
  # EXIT, not ERR: an ERR trap does not reach into functions (provision, waits) without set -E.
  # The trap runs after up() has returned, when its locals are gone: keep the dir in a global.
  failed_dir=$dir
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then echo "mit-realm: bring-up failed, tearing down" >&2; down "$failed_dir"; fi' EXIT

  cat >"$dir/krb5.conf" <<EOF
[libdefaults]
	default_realm = $realm
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	allow_rc4 = false
	forwardable = true
	ticket_lifetime = 10h
	renew_lifetime = 7d
	default_ccache_name = FILE:$dir/krb5cc_default
	default_keytab_name = FILE:$dir/keytabs/default.keytab

[realms]
	$realm = {
		kdc = 127.0.0.1
		admin_server = 127.0.0.1
	}

[domain_realm]
	.$lower = $realm
	$lower = $realm
EOF

  cat >"$dir/kdc.conf" <<EOF
[kdcdefaults]
	kdc_listen = 127.0.0.1:88
	kdc_tcp_listen = 127.0.0.1:88
	# The default backlog of 5 drops SYNs with more than ~5 concurrent TCP clients (mit-lab.md).
	kdc_tcp_listen_backlog = 128

[realms]
	$realm = {
		database_name = $dir/db/principal
		key_stash_file = $dir/db/stash
		acl_file = $dir/kadm5.acl
		max_life = 10h 0m 0s
		max_renewable_life = 7d 0h 0m 0s
		master_key_type = aes256-cts-hmac-sha1-96
		supported_enctypes = ${ALL_ETYPES//,/ }
	}

[logging]
	kdc = FILE:$dir/kdc.log
	admin_server = FILE:$dir/kadmin.log
	default = FILE:$dir/krb5lib.log
EOF
  : >"$dir/kadm5.acl"

  export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
  local password=tgtbridge-lab-pw
  kdb5_util create -s -r "$realm" -P "master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >/dev/null

  # One batch for kadmin.local: much faster than a process per principal.
  local q="$dir/kadmin-setup.txt"
  {
    echo "addprinc -e $ALL_ETYPES -pw $password alice"
    echo "addprinc -e $ALL_ETYPES -pw $password bob"
    for e in 17 18 19 20; do
      echo "addprinc -e $(etype_name $e):normal -pw $password alice$e"
      echo "addprinc -e $(etype_name $e):normal -randkey host/svc$e.$lower"
    done
    echo "addprinc -e $ALL_ETYPES -randkey cifs/fs.$lower"
    # krbtgt keys are created locked (krb5 >= 1.17); unlock them so that ktadd -norandkey can export.
    echo "modprinc -lockdown_keys krbtgt/$realm"
  } >"$q"
  kadmin.local -r "$realm" <"$q" >"$dir/kadmin-setup.log" 2>&1
  if grep -qiE 'error|failed|while ' "$dir/kadmin-setup.log"; then
    echo "mit-realm: kadmin.local reported errors:" >&2
    grep -iE 'error|failed|while ' "$dir/kadmin-setup.log" >&2
    false
  fi

  {
    echo "ktadd -norandkey -k $dir/keytabs/krbtgt.keytab krbtgt/$realm"
    echo "ktadd -norandkey -k $dir/keytabs/alice.keytab alice"
    echo "ktadd -norandkey -k $dir/keytabs/bob.keytab bob"
    echo "ktadd -norandkey -k $dir/keytabs/cifs.keytab cifs/fs.$lower"
    for e in 17 18 19 20; do
      echo "ktadd -norandkey -k $dir/keytabs/alice$e.keytab alice$e"
      echo "ktadd -norandkey -k $dir/keytabs/svc$e.keytab host/svc$e.$lower"
    done
  } >"$q"
  kadmin.local -r "$realm" <"$q" >>"$dir/kadmin-setup.log" 2>&1
  if grep -qiE 'error|failed|while ' "$dir/kadmin-setup.log"; then
    echo "mit-realm: kadmin.local ktadd reported errors:" >&2
    grep -iE 'error|failed|while ' "$dir/kadmin-setup.log" >&2
    false
  fi
  rm -f "$q"

  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # setsid: the KDC must not die with the shell or the test runner's process group.
  setsid ip netns exec "$ns" env KRB5_CONFIG="$KRB5_CONFIG" KRB5_KDC_PROFILE="$KRB5_KDC_PROFILE" \
    krb5kdc -n -r "$realm" -P "$dir/krb5kdc.pid" </dev/null >"$dir/krb5kdc.out" 2>&1 &
  local spawned=$!
  wait_port_88 "$ns" "$spawned" "$dir"
  # krb5kdc -n writes the pid file itself; fall back to the spawned pid (same process after exec).
  for _ in $(seq 1 20); do [ -s "$dir/krb5kdc.pid" ] && break; sleep 0.05; done
  [ -s "$dir/krb5kdc.pid" ] || echo "$spawned" >"$dir/krb5kdc.pid"

  cat >"$dir/env" <<EOF
LAB_DIR=$dir
REALM=$realm
NETNS=$ns
KDC_HOST=127.0.0.1
KRB5_CONFIG=$dir/krb5.conf
KRB5_KDC_PROFILE=$dir/kdc.conf
PASSWORD=$password
EOF
  trap - EXIT
  echo "mit-realm: $realm up in netns $ns ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s)"
}

[ "$(id -u)" -eq 0 ] || { echo "mit-realm: must run as root (network namespaces)" >&2; exit 1; }
cmd=${1:-}; [ $# -ge 2 ] || usage
case "$cmd" in
  up) up "$2" "${3:-MIT.TEST}" ;;
  down) [ -d "$2" ] || exit 0; down "$(realpath "$2")" ;;
  *) usage ;;
esac
