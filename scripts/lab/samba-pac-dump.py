#!/usr/bin/python3
# Decrypts the tickets of a ccache with keys from keytabs and dumps each ticket's PAC, using only
# other people's code (impacket for RFC 3962 crypto and the RFC 4120 ASN.1, Samba's python NDR for
# MS-PAC), so the output can judge tgtbridge's own decoders.
#
#   samba-pac-dump.py <ccache> <outdir> <keytab>...
#
# For credential i (0-based, config entries skipped) writes <outdir>/<prefix>.pac (raw PAC_DATA
# bytes) and <prefix>.pac.ndr.txt (samba.ndr.ndr_print of krb5pac.PAC_DATA), where <prefix> is
# `tgt` for krbtgt/… and the service's first component otherwise (`cifs`). A key is chosen by the
# ticket's etype and kvno (each such key is tried). Exits 1 if a ticket cannot be opened or carries no PAC.
import os
import sys

from impacket.krb5.asn1 import AD_IF_RELEVANT, EncTicketPart, Ticket
from impacket.krb5.ccache import CCache
from impacket.krb5.crypto import InvalidChecksum, Key, _enctype_table
from impacket.krb5.keytab import Keytab
from pyasn1.codec.der import decoder
from samba.dcerpc import krb5pac
from samba.ndr import ndr_print, ndr_unpack

AD_IF_RELEVANT_TYPE = 1  # RFC 4120 §5.2.6.1
AD_WIN2K_PAC = 128  # MS-PAC §2.3 / RFC 4120 §7.5.4
KEY_USAGE_KDC_REP_TICKET = 2  # RFC 4120 §7.5.1


def load_keys(paths):
    keys = []
    for path in paths:
        for entry in Keytab.loadFile(path).entries:
            if entry.deleted:
                continue
            block = entry.main_part["keyblock"]
            keys.append((block["keytype"], entry.kvno, bytes(block["keyvalue"]["data"])))
    return keys


def find_pac(authorization_data):
    for element in authorization_data:
        if int(element["ad-type"]) == AD_IF_RELEVANT_TYPE:
            inner = decoder.decode(bytes(element["ad-data"]), asn1Spec=AD_IF_RELEVANT())[0]
            for sub in inner:
                if int(sub["ad-type"]) == AD_WIN2K_PAC:
                    return bytes(sub["ad-data"])
    return None


def main():
    ccache_path, outdir, keytabs = sys.argv[1], sys.argv[2], sys.argv[3:]
    keys = load_keys(keytabs)
    ccache = CCache.loadFile(ccache_path)
    for cred in ccache.credentials:
        server = cred["server"].prettyPrint().decode()
        if server.startswith("krb5_ccache_conf_data"):
            continue
        ticket = decoder.decode(cred.ticket["data"], asn1Spec=Ticket())[0]
        etype = int(ticket["enc-part"]["etype"])
        kvno = int(ticket["enc-part"]["kvno"]) & 0xFFFFFFFF
        candidates = [k for k in keys if k[0] == etype and (k[1] & 0xFFFFFFFF) == kvno]
        if not candidates:
            sys.exit(f"no key for {server} (etype {etype}, kvno {kvno})")
        # Keytab principal names need not match the ticket's sname (Samba exports the krbtgt key
        # as krbtgt@REALM): try every key of the right etype and kvno.
        plain = None
        for candidate in candidates:
            try:
                plain = _enctype_table[etype].decrypt(
                    Key(etype, candidate[2]), KEY_USAGE_KDC_REP_TICKET, bytes(ticket["enc-part"]["cipher"])
                )
                break
            except InvalidChecksum:
                continue
        if plain is None:
            sys.exit(f"no key opens the ticket for {server}")
        part = decoder.decode(plain, asn1Spec=EncTicketPart())[0]
        pac = find_pac(part["authorization-data"])
        if pac is None:
            sys.exit(f"{server}: no PAC")
        first = server.split("/")[0].split("@")[0]
        prefix = "tgt" if first == "krbtgt" else first
        with open(os.path.join(outdir, f"{prefix}.pac"), "wb") as f:
            f.write(pac)
        with open(os.path.join(outdir, f"{prefix}.pac.ndr.txt"), "w") as f:
            f.write(ndr_print(ndr_unpack(krb5pac.PAC_DATA, pac)))
        print(f"{server}: etype {etype} kvno {kvno}, PAC {len(pac)} bytes -> {prefix}.pac")


if __name__ == "__main__":
    main()
