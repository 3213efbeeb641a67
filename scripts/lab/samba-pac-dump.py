#!/usr/bin/python3
# Decrypts the tickets of a ccache with keys from keytabs and dumps each ticket's PAC, using only
# other people's code (impacket for RFC 3962 crypto and the RFC 4120 ASN.1, Samba's python NDR for
# MS-PAC), so the output can judge tgtbridge's own decoders.
#
#   samba-pac-dump.py <ccache> <outdir> <keytab>...
#   samba-pac-dump.py --json < pac.hex      (one PAC_DATA in hex on stdin; JSON of its fields on stdout)
#
# For credential i (0-based, config entries skipped) writes <outdir>/<prefix>.pac (raw PAC_DATA
# bytes) and <prefix>.pac.ndr.txt (samba.ndr.ndr_print of krb5pac.PAC_DATA), where <prefix> is
# `tgt` for krbtgt/… and the service's first component otherwise (`cifs`). A key is chosen by the
# ticket's etype and kvno (each such key is tried). Exits 1 if a ticket cannot be opened or carries no PAC.
import json
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


def rid_attrs(array):
    """samr_RidWithAttributeArray / PAC_DOMAIN_GROUP_MEMBERSHIP groups -> [[rid, attributes], ...]."""
    if array is None or array.rids is None:
        return None
    return [[g.rid, g.attributes] for g in array.rids]


def logon_info_json(ctr):
    """PAC_LOGON_INFO (netr_SamInfo3 + resource groups) as tgtbridge names the same fields (MS-PAC 2.5)."""
    info = ctr.info
    b = info.info3.base
    res = info.resource_groups
    return {
        "LogonTime": str(b.logon_time),
        "LogoffTime": str(b.logoff_time),
        "KickOffTime": str(b.kickoff_time),
        "PasswordLastSet": str(b.last_password_change),
        "PasswordCanChange": str(b.allow_password_change),
        "PasswordMustChange": str(b.force_password_change),
        "EffectiveName": b.account_name.string,
        "FullName": b.full_name.string,
        "LogonScript": b.logon_script.string,
        "ProfilePath": b.profile_path.string,
        "HomeDirectory": b.home_directory.string,
        "HomeDirectoryDrive": b.home_drive.string,
        "LogonCount": b.logon_count,
        "BadPasswordCount": b.bad_password_count,
        "UserId": b.rid,
        "PrimaryGroupId": b.primary_gid,
        "GroupIds": rid_attrs(b.groups),
        "UserFlags": b.user_flags,
        "LogonServer": b.logon_server.string,
        "LogonDomainName": b.logon_domain.string,
        "LogonDomainId": None if b.domain_sid is None else str(b.domain_sid),
        "UserAccountControl": b.acct_flags,
        "SubAuthStatus": b.sub_auth_status,
        "LastSuccessfulILogon": str(b.last_successful_logon),
        "LastFailedILogon": str(b.last_failed_logon),
        "FailedILogonCount": b.failed_logon_count,
        "ExtraSids": None if info.info3.sids is None else [[str(s.sid), s.attributes] for s in info.info3.sids],
        "ResourceGroupDomainSid": None if res.domain_sid is None else str(res.domain_sid),
        "ResourceGroupIds": rid_attrs(res.groups) if res.domain_sid is not None else None,
    }


def upn_dns_info_json(u):
    out = {"Upn": u.upn_name, "DnsDomainName": u.dns_domain_name, "Flags": u.flags}
    if u.flags & krb5pac.PAC_UPN_DNS_FLAG_HAS_SAM_NAME_AND_SID:
        out["SamName"] = u.ex.samaccountname
        out["Sid"] = str(u.ex.objectsid)
    return out


def pac_json(blob):
    """The fields of a PAC as Samba's own NDR (krb5pac.PAC_DATA) reads them."""
    pac = ndr_unpack(krb5pac.PAC_DATA, blob)
    out = {"Version": pac.version, "Buffers": [], "Signatures": []}
    for buf in pac.buffers:
        t, info = buf.type, buf.info
        out["Buffers"].append({"ulType": t, "cbBufferSize": buf._ndr_size})
        if t == krb5pac.PAC_TYPE_LOGON_INFO:
            out["LogonInfo"] = logon_info_json(info)
        elif t == krb5pac.PAC_TYPE_LOGON_NAME:
            out["ClientInfo"] = {"ClientId": str(info.logon_time), "Name": info.account_name}
        elif t == krb5pac.PAC_TYPE_UPN_DNS_INFO:
            out["UpnDnsInfo"] = upn_dns_info_json(info)
        elif t == krb5pac.PAC_TYPE_ATTRIBUTES_INFO:
            out["AttributesInfo"] = {"FlagsLength": info.flags_length, "Flags": [info.flags]}
        elif t == krb5pac.PAC_TYPE_REQUESTER_SID:
            out["RequestorSid"] = str(info.sid)
        elif t in (krb5pac.PAC_TYPE_SRV_CHECKSUM, krb5pac.PAC_TYPE_KDC_CHECKSUM,
                   krb5pac.PAC_TYPE_TICKET_CHECKSUM, krb5pac.PAC_TYPE_FULL_CHECKSUM):
            # Samba's PAC_SIGNATURE_DATA keeps the optional RODC identifier inside `signature`.
            out["Signatures"].append({"ulType": t, "SignatureType": info.type, "Signature": bytes(info.signature).hex()})
    return out


def main():
    if sys.argv[1:] == ["--json"]:
        blob = bytes.fromhex("".join(sys.stdin.read().split()))
        json.dump(pac_json(blob), sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return
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
