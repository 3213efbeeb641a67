#!/usr/bin/env bash
# Exports the current keys of one principal of the lab's Samba AD DC into an MIT keytab.
#
#   samba-export-keys.sh <dir> <principal> <keytab>
#
# <dir> is the lab directory of samba-dc.sh; <principal> as samba-tool takes it (`krbtgt`,
# `krbtgt_54271`, `alice`, `cifs/dc1.samba.test`, `DC1$`). Reads sam.ldb directly (works while the
# DC runs). An RODC krbtgt_N key comes out with the 32-bit kvno (N<<16)|v (samba-lab.md).
# The keytab is replaced, not appended to, and is mode 0600.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 <dir> <principal> <keytab>" >&2; exit 2; }
dir=$(realpath "$1")
principal=$2
keytab=$(realpath -m "$3")
smbconf="$dir/sam/etc/smb.conf"
[ -f "$smbconf" ] || { echo "samba-export-keys: no Samba lab in $dir (missing $smbconf)" >&2; exit 2; }

# Inside the lab's namespace when it is up: smb.conf binds to 127.0.0.10, which only exists there
# (outside, samba-tool warns that no interface is found, and still works).
run=()
ns=$(sed -n 's/^NETNS=//p' "$dir/env" 2>/dev/null || true)
if [ -n "$ns" ] && ip netns list | grep -qw "^$ns"; then run=(ip netns exec "$ns"); fi

rm -f "$keytab"
if ! out=$(umask 077; "${run[@]}" samba-tool domain exportkeytab "$keytab" -s "$smbconf" --principal="$principal" 2>&1); then
  echo "$out" >&2
  exit 1
fi
[ -s "$keytab" ] || { echo "samba-export-keys: samba-tool wrote no keys for $principal" >&2; exit 1; }
chmod 0600 "$keytab"
