#!/usr/bin/env python3
"""Extract the PAC test vectors of MIT krb5's src/lib/krb5/krb/t_pac.c into mit-t-pac.json.

    extract-mit-t-pac.py <krb5 git dir> <commit>  > krb-fixtures/pac/mit-t-pac.json

Reads the C source with `git show`, takes the byte arrays, key blocks and the Windows Server 2022
ticket literally (no interpretation beyond turning C literals into hex), and prints JSON.
"""
import json
import re
import subprocess
import sys


def c_bytes(src, name):
    m = re.search(r"static const unsigned char %s\[\] = \{(.*?)\};" % re.escape(name), src, re.S)
    return bytes(int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{2})", m.group(1))).hex()


def c_string_bytes(body):
    out = bytearray()
    for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', body):
        i = 0
        while i < len(lit):
            if lit[i] == "\\" and lit[i + 1] == "x":
                j = i + 2
                while j < len(lit) and j < i + 4 and lit[j] in "0123456789abcdefABCDEF":
                    j += 1
                out.append(int(lit[i + 2 : j], 16))
                i = j
            elif lit[i] == "\\":
                raise ValueError("unexpected escape")
            else:
                out.append(ord(lit[i]))
                i += 1
    return bytes(out)


def keyblock(src, name):
    m = re.search(r"static const krb5_keyblock %s = \{\s*0, (\w+),\s*(\d+), U\((.*?)\)\s*\};" % re.escape(name), src, re.S)
    etypes = {"ENCTYPE_ARCFOUR_HMAC": 23, "ENCTYPE_AES256_CTS_HMAC_SHA1_96": 18}
    key = c_string_bytes(m.group(3))
    assert len(key) == int(m.group(2))
    return {"etype": etypes[m.group(1)], "key": key.hex()}


def main():
    git_dir, commit = sys.argv[1], sys.argv[2]
    src = subprocess.check_output(["git", "--git-dir", git_dir, "show", f"{commit}:src/lib/krb5/krb/t_pac.c"]).decode()
    ticket = re.search(r"static const krb5_data ticket_data = \{\s*\.length = (\d+), \.data =(.*?)\};", src, re.S)
    ticket_bytes = c_string_bytes(ticket.group(2))
    assert len(ticket_bytes) == int(ticket.group(1))
    s4u = re.findall(r"\{ (\d+), (\d), (\d), (s4u_pac_\w+), sizeof", src)
    out = {
        "source": f"krb5/krb5 src/lib/krb5/krb/t_pac.c at {commit}",
        "saved_pac": {
            "note": "Windows 2003 PAC from Samba's torture suite (t_pac.c: 'created by Andrew Bartlet')",
            "pac": c_bytes(src, "saved_pac"),
            "authtime": int(re.search(r"static time_t authtime = (\d+);", src).group(1)),
            "user": re.search(r'static const char \*user = "([^"]+)";', src).group(1),
            "kdc_key": keyblock(src, "kdc_keyblock"),
            "server_key": keyblock(src, "member_keyblock"),
        },
        "s4u_pacs": {
            "note": "S4U2Self PACs from a Windows 2008 KDC (t_pac.c)",
            "server_key": keyblock(src, "s4u_srv_key"),
            "xrealm_server_key": keyblock(src, "s4u_tgt_srv_key"),
            "pacs": [
                {"name": name, "authtime": int(t), "is_enterprise": e == "1", "is_xrealm": x == "1", "pac": c_bytes(src, name)}
                for t, e, x, name in s4u
            ],
        },
        "fuzz": {"note": "problematic PACs found by fuzzing MIT (t_pac.c)", "fuzz1": c_bytes(src, "fuzz1"), "fuzz2": c_bytes(src, "fuzz2")},
        "w2022_ticket": {
            "note": "A cifs ticket issued by Windows Server 2022 AD with a PAC with ticket and full checksums (t_pac.c)",
            "ticket": ticket_bytes.hex(),
            "server_key": keyblock(src, "ticket_sig_server_key"),
            "krbtgt_key": keyblock(src, "ticket_sig_krbtgt_key"),
            "client": "administrator@W2022-L7.BASE",
            "server": "cifs/w2022-118.w2022-l7.base@W2022-L7.BASE",
        },
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
