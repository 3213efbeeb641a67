#!/usr/bin/env bash
# Regenerate the impacket silver-ticket fixtures (krb-fixtures/impacket/, or the directory given).
#
# Debian 12's python3-impacket ticketer.py makes two silver tickets for alice (RID 1105, groups
# 513 and 512, extra SID S-1-18-1) to cifs/fs.example.test in EXAMPLE.TEST, offline: one with the
# service's AES256 key (-aesKey), one with its NT hash (-nthash, RC4). impacket-silver.py pins the
# clock and the randomness, so the same impacket version writes the same bytes every time; the
# interop test (test/interop/pac-impacket.test.ts) regenerates into a temporary directory and
# compares. params.json records what made the files, and is what the unit test reads the keys from.
#
# usage: bash scripts/lab/impacket-silver.sh [OUTDIR]      (no root, no network)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../krb-fixtures/impacket}
mkdir -p "$out"
out=$(cd "$out" && pwd)

at=2026-11-27T12:00:00
seed=4
domain=example.test
domain_sid=S-1-5-21-1004336348-1177238915-682003330
spn=cifs/fs.example.test
aes256=6a1f3c5e7d9b2f4a8c0e1d3b5a7f9e2c4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a
nthash=8846f7eaee8fb117ad06bdd830b7586c  # NT hash (MD4 of UTF-16LE) of "password"
common=(-domain "$domain" -domain-sid "$domain_sid" -spn "$spn" -user-id 1105 -groups 513,512 -extra-sid S-1-18-1)
version=$(dpkg-query -W -f='${Version}' python3-impacket)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
silver() { # name, key option, key
  /usr/bin/python3 "$here/impacket-silver.py" --at "$at" --seed "$seed" --out "$work/$1" -- "$2" "$3" "${common[@]}" alice >/dev/null
  cp "$work/$1/alice.ccache" "$out/alice-$1.ccache"
}
silver aes256 -aesKey "$aes256"
silver rc4 -nthash "$nthash"

cat >"$out/params.json" <<EOF
{
  "tool": "python3-impacket $version, /usr/share/doc/python3-impacket/examples/ticketer.py",
  "pinned": { "utcnow": "$at", "seed": $seed },
  "ticketerArgs": "-domain $domain -domain-sid $domain_sid -spn $spn -user-id 1105 -groups 513,512 -extra-sid S-1-18-1 alice",
  "impacketVersion": "$version",
  "domain": "$domain",
  "domainSid": "$domain_sid",
  "spn": "$spn",
  "files": {
    "alice-aes256.ccache": { "keyOption": "-aesKey", "etype": 18, "key": "$aes256" },
    "alice-rc4.ccache": { "keyOption": "-nthash", "etype": 23, "key": "$nthash" }
  }
}
EOF
echo "wrote $out/alice-aes256.ccache $out/alice-rc4.ccache $out/params.json (impacket $version)"
