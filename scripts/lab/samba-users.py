#!/usr/bin/python3
# Creates the lab's test users and groups in a freshly provisioned (not yet running) Samba AD DC,
# straight in sam.ldb: one process instead of a dozen `samba-tool` runs (each ~1 s of start-up).
#
#   samba-users.py <smb.conf> <password>
#
# Users (all with <password>):
#   alice  member of Engineering, which is nested in Staff; allowed for RODC-style TGTs
#   bob    allowed
#   carol  allowed but disabled                          (the DC answers 12 KDC_ERR_POLICY)
#   dave   allowed but a Domain Admin                    (never-reveal wins: 20 KDC_ERR_TGT_REVOKED)
#   erin   not in Allowed RODC Password Replication Group (20 KDC_ERR_TGT_REVOKED)
# Prints `DOMAIN_SID=S-1-5-21-…` for the caller's env file.
import sys

from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

ALLOWED_RODC_GROUP = "Allowed RODC Password Replication Group"


def main() -> None:
    smbconf, password = sys.argv[1], sys.argv[2]
    lp = LoadParm()
    lp.load(smbconf)
    samdb = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)

    for user in ("alice", "bob", "carol", "dave", "erin"):
        samdb.newuser(user, password, useusernameascn=True)
        # No expiry: kinit would print a warning, and a long-kept lab must not age out.
        samdb.setexpiry(f"(sAMAccountName={user})", 0, no_expiry_req=True)
    samdb.newgroup("Staff")
    samdb.newgroup("Engineering")
    samdb.add_remove_group_members("Staff", ["Engineering"], add_members_operation=True)
    samdb.add_remove_group_members("Engineering", ["alice"], add_members_operation=True)
    samdb.add_remove_group_members("Domain Admins", ["dave"], add_members_operation=True)
    samdb.add_remove_group_members(
        ALLOWED_RODC_GROUP, ["alice", "bob", "carol", "dave"], add_members_operation=True
    )
    samdb.disable_account("(sAMAccountName=carol)")
    print(f"DOMAIN_SID={samdb.get_domain_sid()}")


if __name__ == "__main__":
    main()
