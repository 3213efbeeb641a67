#!/usr/bin/env bash
# A throwaway Samba AD DC (realm SAMBA.TEST, host dc1.samba.test) in its own network namespace on
# 127.0.0.10, /etc untouched.
#
#   samba-dc.sh up   <dir>   provision, add test users and a [data] share, start samba, wait for it
#   samba-dc.sh down <dir>   SIGTERM samba's root pid, wait, delete the namespace (idempotent)
#
# Layout under <dir>: sam/ (provision targetdir: etc/smb.conf, private/, state/, …), share/ (the
# [data] share with hello.txt), krb5.conf (kdc = 127.0.0.10), client.conf (smb.conf for clients),
# samba.log, samba.pid and `env` (LAB_DIR, REALM, DOMAIN, NETNS, KDC_HOST, KRB5_CONFIG, SMB_CONF,
# CLIENT_SMB_CONF, ADMIN_PASSWORD, PASSWORD, DOMAIN_SID). Facts behind each step: samba-lab.md.
# Needs root, samba, samba-ad-dc, winbind, smbclient, krb5-user, python3-samba.
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(…) (template_for) must stop the bring-up too

usage() { echo "usage: $0 up <dir> | down <dir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

REALM=SAMBA.TEST
DOMAIN=SAMBA
HOST_IP=127.0.0.10
ADMIN_PASSWORD='Adm1n-Lab-Pw!'
PASSWORD='Us3r-Lab-Pw!'
# SAMBA_PROCESS_MODEL: `single` (default) or `prefork`/`standard`; README.md has the measurements.
# SAMBA_LAB_NETNS=<name>: run in that existing namespace (made by another lab script, e.g. the MIT
# realm's, so that one client reaches both KDCs) instead of a namespace of its own; 127.0.0.10 is
# added to its lo. `down` then stops only samba's processes and leaves the namespace to its owner.
# SAMBA_LAB_KDC_CONF=<file>: a krb5.conf for samba's own (Heimdal) KDC, given to samba as
# KRB5_CONFIG; e.g. `[kdc] max-kdc-datagram-reply-length = …` (default 1400 bytes: larger UDP
# replies become KRB_ERR_RESPONSE_TOO_BIG).

netns_for() {
  local abs
  abs=$(realpath -m "$1")
  echo "sambadc-$(printf '%s' "$abs" | sha256sum | cut -c1-10)"
}

# <dir>/netns-external, written by `up` under SAMBA_LAB_NETNS: "<namespace> <1 if up added 127.0.0.10>".
lab_netns() {
  if [ -f "$1/netns-external" ]; then cut -d' ' -f1 "$1/netns-external"; else netns_for "$1"; fi
}

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; }

wait_tcp() {
  local ns=$1 port=$2 seconds=$3 i
  for i in $(seq 1 $((seconds * 20))); do
    if ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$HOST_IP/$port" 2>/dev/null; then
      return 0
    fi
    if [ -n "${samba_pid:-}" ] && ! kill -0 "$samba_pid" 2>/dev/null; then
      echo "samba-dc: samba exited during start-up; see $dir/samba.log" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "samba-dc: nothing answered on $HOST_IP:$port in $ns within $seconds s" >&2
  return 1
}

down() {
  local dir=$1 ns pid i added comm
  ns=$(lab_netns "$dir")
  if [ -f "$dir/samba.pid" ]; then
    pid=$(cat "$dir/samba.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = samba ]; then
      # SIGTERM to the root samba process takes its whole tree down (1–2 s).
      kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 100); do
        [ -e "/proc/$pid" ] || break
        sleep 0.05
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/samba.pid"
  fi
  if [ -f "$dir/netns-external" ]; then
    # Someone else's namespace: only samba's own processes (left behind by a KILL) are ours.
    if ip netns list | grep -qw "^$ns"; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do
        comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
        case "$comm" in samba | smbd | winbindd | samba-dcerpcd | rpcd_*) kill -KILL "$pid" 2>/dev/null || true ;; esac
      done
      added=$(cut -d' ' -f2 "$dir/netns-external")
      if [ "$added" = 1 ]; then ip -n "$ns" addr del "$HOST_IP/8" dev lo 2>/dev/null || true; fi
    fi
    rm -f "$dir/netns-external"
  elif ip netns list | grep -qw "^$ns"; then
    # Whatever is left in the namespace was started by this lab (samba children, clients).
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$ns"
  fi
}

# Provisions a complete DC that has never run into <base>/sam: smb.conf with the lab's settings,
# the [data] share at <base>/share, the test users (samba-users.py). Writes <base>/users.out
# (DOMAIN_SID=…). The only absolute paths it leaves behind are in sam/etc/smb.conf, which is what
# lets a copy of it run from another directory.
provision() {
  local base=$1 sam priv smbconf
  sam="$base/sam"
  priv="$sam/private"
  smbconf="$sam/etc/smb.conf"
  rm -rf "$sam"
  mkdir -p "$sam/etc"
  # samba-tool reads /etc/samba/smb.conf unless told otherwise and copies its shares and log
  # settings into the new smb.conf: give it a base file of our own instead.
  printf '[global]\n\tnetbios name = DC1\n' >"$base/provision-base.conf"
  samba-tool domain provision -s "$base/provision-base.conf" -q \
    --use-rfc2307 --dns-backend=SAMBA_INTERNAL --server-role=dc \
    --realm="$REALM" --domain="$DOMAIN" --host-name=dc1 --host-ip="$HOST_IP" \
    --adminpass="$ADMIN_PASSWORD" --targetdir="$sam" \
    --option="interfaces=$HOST_IP" --option="bind interfaces only=yes" \
    --option="netbios name=DC1" >"$base/provision.log" 2>&1

  # Everything samba writes at run time goes under the lab dir. The ntp_signd directory must
  # exist with mode 0750 or samba aborts at start.
  mkdir -p "$priv/run" "$priv/log" "$priv/ncalrpc" "$priv/winbindd" "$priv/ntp_signd"
  chmod 0750 "$priv/ntp_signd"
  # provision wrote a dns forwarder from the host's resolv.conf; nothing outside is reachable here.
  sed -i '/^\s*dns forwarder\s*=/d' "$smbconf"
  sed -i "/^\[global\]/a\\
\\tpid directory = $priv/run\\
\\tlog file = $priv/log/log.%m\\
\\tncalrpc dir = $priv/ncalrpc\\
\\twinbindd socket directory = $priv/winbindd\\
\\tntp signd socket directory = $priv/ntp_signd\\
\\tload printers = no\\
\\tprinting = bsd\\
\\tprintcap name = /dev/null\\
\\tdisable spoolss = yes" "$smbconf"
  grep -q "^	pid directory = $priv/run" "$smbconf"
  cat >>"$smbconf" <<EOF

[data]
	path = $base/share
	read only = no
EOF
  /usr/bin/python3 "$here/samba-users.py" "$smbconf" "$PASSWORD" >"$base/users.out" 2>"$base/users.log"
  grep -q '^DOMAIN_SID=S-1-5-21-' "$base/users.out"
}

# Provisioning is most of the bring-up (≈ 5 s idle, 10–13 s on a busy machine) and gives the same
# DC every time but for random keys and SIDs, so one never-started DC is kept per Samba version and
# content of these scripts, and each lab starts from a copy of it. SAMBA_LAB_TEMPLATE=0 turns this
# off; SAMBA_LAB_CACHE moves it (default: the repo's .tmp/lab-cache, which git ignores).
template_for() {
  local cache key tpl
  cache=${SAMBA_LAB_CACHE:-$here/../../.tmp/lab-cache}
  mkdir -p "$cache"
  cache=$(realpath "$cache")
  key=$( { samba --version; cat "$here/samba-dc.sh" "$here/samba-users.py"; } | sha256sum | cut -c1-16)
  tpl="$cache/samba-$key"
  (
    flock 9
    if [ ! -f "$tpl/ready" ]; then
      rm -rf "$tpl"
      mkdir -p "$tpl"
      provision "$tpl" >&2
      touch "$tpl/ready"
      # Templates of earlier versions of these scripts, unused for an hour, are only disk space.
      find "$cache" -maxdepth 1 -name 'samba-*' ! -name "samba-$key*" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
    fi
  ) 9>"$cache/samba-$key.lock"
  echo "$tpl"
}

# smbd listens on 445 before winbindd is ready: measured on 4.17 with a freshly provisioned DC, the
# first Kerberos session setup then fails with NT_STATUS_INTERNAL_ERROR and one a second later
# works. The lab is up when a real one works: alice's TGT, then an `ls` of [data].
wait_smb_session() {
  local ns=$1 dir=$2 cc="$2/krb5cc_readiness" i
  printf '%s\n' "$PASSWORD" | ip netns exec "$ns" env KRB5_CONFIG="$dir/krb5.conf" kinit -c "FILE:$cc" "alice@$REALM" >/dev/null
  for i in $(seq 1 150); do
    if ip netns exec "$ns" env KRB5_CONFIG="$dir/krb5.conf" KRB5CCNAME="FILE:$cc" \
      smbclient -s "$dir/client.conf" "//dc1.${REALM,,}/data" -I "$HOST_IP" --use-kerberos=required -N -c ls >/dev/null 2>&1; then
      rm -f "$cc"
      return 0
    fi
    sleep 0.2
  done
  rm -f "$cc"
  echo "samba-dc: no Kerberos SMB session to [data] after 30 s" >&2
  return 1
}

up() {
  local dir=$1 ns t0 t1 smbconf priv tpl=''
  t0=$(date +%s.%N)
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  # smbd opens share files as the mapped domain user, who must be able to traverse <dir> to reach
  # share/ (mkdtemp makes 0700 directories). Secrets inside stay 0600/0700 on their own.
  chmod 0755 "$dir"
  down "$dir"
  ns=$(netns_for "$dir")
  rm -rf "$dir/sam" "$dir/share" "$dir/env" "$dir/samba.log"
  # EXIT, not ERR: an ERR trap does not reach into functions (provision, waits) without set -E.
  # The trap runs after up() has returned, when its locals are gone: keep the dir in a global.
  failed_dir=$dir
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then echo "samba-dc: bring-up failed, tearing down" >&2; down "$failed_dir"; fi' EXIT

  if [ -n "${SAMBA_LAB_NETNS:-}" ]; then
    ns=$SAMBA_LAB_NETNS
    ip netns list | grep -qw "^$ns" || { echo "samba-dc: no network namespace $ns" >&2; false; }
    ip -n "$ns" link set lo up
    if ip -n "$ns" -4 addr show dev lo | grep -qw "inet $HOST_IP/8"; then
      echo "$ns 0" >"$dir/netns-external"
    else
      echo "$ns 1" >"$dir/netns-external"
      ip -n "$ns" addr add "$HOST_IP/8" dev lo
    fi
  else
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$HOST_IP/8" dev lo
  fi

  if [ "${SAMBA_LAB_TEMPLATE:-1}" = 0 ]; then
    provision "$dir"
  else
    tpl=$(template_for)
    # -a keeps owners, modes and the xattrs (security.NTACL on sysvol) that provision set.
    cp -a "$tpl/sam" "$dir/sam"
    cp "$tpl/users.out" "$dir/users.out"
    sed -i "s|$tpl/|$dir/|g" "$dir/sam/etc/smb.conf"
    if grep -q "$tpl/" "$dir/sam/etc/smb.conf"; then false; fi
  fi
  t1=$(date +%s.%N)
  smbconf="$dir/sam/etc/smb.conf"
  priv="$dir/sam/private"

  mkdir -p "$dir/share"
  chmod 0755 "$dir/share"
  echo "tgtbridge lab share" >"$dir/share/hello.txt"
  chmod 0644 "$dir/share/hello.txt"
  local domain_sid
  domain_sid=$(sed -n 's/^DOMAIN_SID=//p' "$dir/users.out")
  [ -n "$domain_sid" ]

  cat >"$dir/krb5.conf" <<EOF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	forwardable = true
	default_ccache_name = FILE:$dir/krb5cc_default

[realms]
	$REALM = {
		kdc = $HOST_IP
		admin_server = $HOST_IP
	}

[domain_realm]
	.samba.test = $REALM
	samba.test = $REALM
EOF
  cat >"$dir/client.conf" <<EOF
[global]
	workgroup = $DOMAIN
	realm = $REALM
	client min protocol = SMB2
	load printers = no
	log level = 0
EOF

  # smbd finds winbindd only at /run/samba/winbindd: give samba a private /run (tmpfs, mount -n
  # so the host's /run/mount/utab is untouched) with the lab's winbindd dir bound there.
  local kdc_env=()
  if [ -n "${SAMBA_LAB_KDC_CONF:-}" ]; then kdc_env=("KRB5_CONFIG=$(realpath "$SAMBA_LAB_KDC_CONF")"); fi
  setsid ip netns exec "$ns" env "${kdc_env[@]}" unshare --mount --propagation private -- bash -c '
      set -e
      mount -n -t tmpfs -o mode=0755 tmpfs /run
      mkdir -p /run/samba/winbindd
      mount -n --bind "$1" /run/samba/winbindd
      exec samba -F --no-process-group --debug-stdout -d 1 -M "$3" -s "$2"
    ' samba-lab "$priv/winbindd" "$smbconf" "${SAMBA_PROCESS_MODEL:-single}" </dev/null >"$dir/samba.log" 2>&1 &
  samba_pid=$!
  echo "$samba_pid" >"$dir/samba.pid"
  # The pid of `setsid … &` becomes samba's after the execs; wait for that to have happened so
  # that `down` recognises it.
  for _ in $(seq 1 100); do
    [ "$(cat "/proc/$samba_pid/comm" 2>/dev/null || true)" = samba ] && break
    sleep 0.02
  done
  wait_tcp "$ns" 88 90
  wait_tcp "$ns" 636 90
  wait_tcp "$ns" 445 90
  wait_smb_session "$ns" "$dir"

  cat >"$dir/env" <<EOF
LAB_DIR=$dir
REALM=$REALM
DOMAIN=$DOMAIN
NETNS=$ns
KDC_HOST=$HOST_IP
KRB5_CONFIG=$dir/krb5.conf
SMB_CONF=$smbconf
CLIENT_SMB_CONF=$dir/client.conf
ADMIN_PASSWORD=$ADMIN_PASSWORD
PASSWORD=$PASSWORD
DOMAIN_SID=$domain_sid
EOF
  trap - EXIT
  echo "samba-dc: $REALM up in netns $ns (provision${tpl:+ copied from template} $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, total $(elapsed "$t0") s)"
}

[ "$(id -u)" -eq 0 ] || { echo "samba-dc: must run as root (network namespaces)" >&2; exit 1; }
cmd=${1:-}; [ $# -eq 2 ] || usage
case "$cmd" in
  up) up "$2" ;;
  down) [ -d "$2" ] || exit 0; down "$(realpath "$2")" ;;
  *) usage ;;
esac
