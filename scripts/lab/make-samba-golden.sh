#!/usr/bin/env bash
# Regenerates krb-fixtures/lab/: tickets a real Samba AD DC issued, the keys that open them, and
# what other people's tools (MIT klist, impacket + Samba's python NDR) say about them — golden
# data for unit tests that must not need a running DC.
#
#   make-samba-golden.sh [outdir]      (default: krb-fixtures/lab; root; ≈ 15 s)
#
# Brings up a throwaway DC with samba-dc.sh, `kinit alice` + `kvno cifs/dc1.samba.test`, exports
# the krbtgt and cifs/dc1 keys, and tears the DC down again. Every run makes new keys and SIDs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../../krb-fixtures/lab}")
mkdir -p "$out"
lab=$(mktemp -d /tmp/tgtbridge-golden-XXXXXX)
trap 'bash "$here/samba-dc.sh" down "$lab" >/dev/null 2>&1 || true; rm -rf "$lab"' EXIT

bash "$here/samba-dc.sh" up "$lab"
set -a; . "$lab/env"; set +a
cc="$lab/cc"
echo "$PASSWORD" | ip netns exec "$NETNS" kinit -c "FILE:$cc" alice >/dev/null
ip netns exec "$NETNS" kvno -c "FILE:$cc" cifs/dc1.samba.test >/dev/null

install -m 0600 "$cc" "$out/samba-alice.ccache"
bash "$here/samba-export-keys.sh" "$lab" krbtgt "$out/samba-krbtgt.keytab"
bash "$here/samba-export-keys.sh" "$lab" cifs/dc1.samba.test "$out/samba-cifs.keytab"

export TZ=UTC LC_ALL=C
klist -e -f -C -c "FILE:$out/samba-alice.ccache" | sed 1d >"$out/samba-alice.ccache.klist.txt"
for k in krbtgt cifs; do
  klist -k -t -K -e "$out/samba-$k.keytab" | sed 1d >"$out/samba-$k.keytab.klist.txt"
done

dump="$lab/dump"
mkdir -p "$dump"
/usr/bin/python3 "$here/samba-pac-dump.py" "$out/samba-alice.ccache" "$dump" \
  "$out/samba-krbtgt.keytab" "$out/samba-cifs.keytab"
for t in tgt cifs; do
  cp "$dump/$t.pac" "$out/samba-alice-$t.pac"
  cp "$dump/$t.pac.ndr.txt" "$out/samba-alice-$t.pac.ndr.txt"
done

{
  echo "samba: $(samba --version)"
  echo "realm: $REALM"
  echo "domain-sid: $DOMAIN_SID"
  echo "user: alice (Engineering ⊂ Staff; Allowed RODC Password Replication Group)"
  echo "password: $PASSWORD"
} >"$out/samba-lab.txt"
echo "make-samba-golden: wrote $(ls "$out" | wc -l) files to $out"
