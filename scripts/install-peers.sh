#!/usr/bin/env bash
# Installs the Debian packages the interop tests talk to, and only those missing.
# Idempotent; needs root. Peers: MIT krb5 (KDC + clients), Samba AD DC, smbclient, tshark,
# python3-impacket, Chromium (for WebAuthn virtual authenticators), iproute2 (network namespaces).
# samba-ad-provision holds the AD schema files `samba-tool domain provision` needs (samba-ad-dc
# only recommends it, and recommends are not installed here).
set -euo pipefail

PACKAGES=(
  krb5-kdc krb5-admin-server krb5-user
  samba samba-ad-dc samba-ad-provision winbind smbclient ldb-tools python3-samba
  tshark python3-impacket
  chromium
  iproute2 util-linux
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-peers: must run as root (apt-get, network namespaces)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: all ${#PACKAGES[@]} peer packages present"
  exit 0
fi

echo "install-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Debian's krb5-config and wireshark-common ask questions; answer them before they are asked.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
# The packaged daemons must not run on the host: the tests start their own in namespaces.
for svc in krb5-kdc krb5-admin-server samba-ad-dc smbd nmbd winbind; do
  systemctl disable --now "$svc" >/dev/null 2>&1 || true
  service "$svc" stop >/dev/null 2>&1 || true
done
echo "install-peers: done"
