import {
  NEVER_REVEAL_BUILTIN_SIDS,
  PRIVILEGED_DOMAIN_RIDS,
  PRP_RIDS,
  SUPPORTED_ENCRYPTION_TYPES,
  USER_ACCOUNT_CONTROL,
} from './constants.js';
import type { RodcObject } from './rodc-object.js';

/**
 * What would make exchanges of partial TGTs fail (or make the bridge more powerful than it should
 * be), read off the object. The KDC-side consequences are the ones measured against Samba 4.17
 * (samba-lab.md): no PARTIAL_SECRETS_ACCOUNT or no msDS-KrbTgtLink → KDC_ERR_POLICY (12); user not
 * in the reveal-on-demand set → KDC_ERR_TGT_REVOKED (20).
 */
export const RODC_WARNING_CODES = [
  'NO_PARTIAL_SECRETS_ACCOUNT',
  'NOT_WORKSTATION_TRUST_ACCOUNT',
  'COMPUTER_DISABLED',
  'NO_KRBTGT_LINK',
  'KRBTGT_LINK_BROKEN',
  'NO_RODC_NUMBER',
  'REVEAL_ON_DEMAND_EMPTY',
  'PRIVILEGED_GROUP_REVEALED',
  'NEVER_REVEAL_INCOMPLETE',
  'NO_AES256',
] as const;
export type RodcWarningCode = (typeof RODC_WARNING_CODES)[number];

export interface RodcWarning {
  readonly code: RodcWarningCode;
  readonly message: string;
}

export function checkRodcObject(o: RodcObject): RodcWarning[] {
  const w: RodcWarning[] = [];
  const uac = o.userAccountControl ?? 0;
  // The KDC finds the RODC through krbtgt_N's back link and requires this bit on the computer.
  if ((uac & USER_ACCOUNT_CONTROL.PARTIAL_SECRETS_ACCOUNT) === 0) {
    w.push({ code: 'NO_PARTIAL_SECRETS_ACCOUNT', message: 'userAccountControl lacks PARTIAL_SECRETS_ACCOUNT (0x04000000): the DC answers KDC_ERR_POLICY to every exchange' });
  }
  if ((uac & USER_ACCOUNT_CONTROL.WORKSTATION_TRUST_ACCOUNT) === 0) {
    w.push({ code: 'NOT_WORKSTATION_TRUST_ACCOUNT', message: 'userAccountControl lacks WORKSTATION_TRUST_ACCOUNT (0x1000): this is not an RODC computer account' });
  }
  // Samba 4.17 still accepts TGTs of a disabled RODC object; creation enables it last, so a
  // disabled one is most likely a creation that stopped midway.
  if ((uac & USER_ACCOUNT_CONTROL.ACCOUNTDISABLE) !== 0) {
    w.push({ code: 'COMPUTER_DISABLED', message: 'the computer account is disabled (an unfinished create-rodc?)' });
  }
  // Without the link the DC cannot tie krbtgt_N to this object's password-replication policy.
  if (o.krbTgtLink === undefined) {
    w.push({ code: 'NO_KRBTGT_LINK', message: 'msDS-KrbTgtLink is not set: the DC answers KDC_ERR_POLICY to every exchange' });
  } else if (o.krbtgt === undefined) {
    w.push({ code: 'KRBTGT_LINK_BROKEN', message: `msDS-KrbTgtLink points to ${o.krbTgtLink}, which cannot be read` });
  } else if (o.krbtgt.secondaryKrbTgtNumber === undefined) {
    w.push({ code: 'NO_RODC_NUMBER', message: `${o.krbtgt.dn} has no msDS-SecondaryKrbTgtNumber: it was not created with the RODC-join control` });
  }
  if (o.revealOnDemand.length === 0) {
    w.push({ code: 'REVEAL_ON_DEMAND_EMPTY', message: 'msDS-RevealOnDemandGroup is empty: the DC refuses every user (KDC_ERR_TGT_REVOKED)' });
  }
  for (const g of o.revealOnDemand) {
    const why = privilegedName(g.sid, o.domain.domainSid);
    if (why !== undefined) {
      w.push({ code: 'PRIVILEGED_GROUP_REVEALED', message: `msDS-RevealOnDemandGroup allows ${why} (${g.sid ?? g.dn})` });
    }
  }
  const never = new Set(o.neverReveal.map((g) => g.sid));
  const required = [`${o.domain.domainSid}-${PRP_RIDS.deniedRodcPasswordReplicationGroup}`, ...NEVER_REVEAL_BUILTIN_SIDS];
  const missing = required.filter((sid) => !never.has(sid));
  if (missing.length > 0) {
    w.push({ code: 'NEVER_REVEAL_INCOMPLETE', message: `msDS-NeverRevealGroup lacks ${missing.join(', ')}: privileged accounts may get tickets through the bridge` });
  }
  // DESIGN.md: only the AES256 key of krbtgt_N is accepted in a partial TGT.
  const enc = o.supportedEncryptionTypes;
  if (enc === undefined || (enc & SUPPORTED_ENCRYPTION_TYPES.AES256_CTS_HMAC_SHA1_96) === 0) {
    w.push({ code: 'NO_AES256', message: `msDS-SupportedEncryptionTypes is ${enc ?? 'unset'}, without AES256 (0x10)` });
  }
  return w;
}

function privilegedName(sid: string | undefined, domainSid: string): string | undefined {
  if (sid === undefined) return undefined;
  if ((NEVER_REVEAL_BUILTIN_SIDS as readonly string[]).includes(sid)) return 'a privileged BUILTIN group';
  if (!sid.startsWith(`${domainSid}-`)) return undefined;
  const rid = Number(sid.slice(domainSid.length + 1));
  if (rid === PRP_RIDS.deniedRodcPasswordReplicationGroup) return 'Denied RODC Password Replication Group';
  return rid in PRIVILEGED_DOMAIN_RIDS ? PRIVILEGED_DOMAIN_RIDS[rid as keyof typeof PRIVILEGED_DOMAIN_RIDS] : undefined;
}

/** kvno of an RODC key: (N << 16) | v as the unsigned 32-bit number keytabs carry. */
export function rodcKvnoOf(n: number, keyVersion: number): number {
  return ((n << 16) | (keyVersion & 0xffff)) >>> 0;
}
