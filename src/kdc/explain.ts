import { krbErrorName } from '../errors/index.js';

/**
 * Words a person can act on for the KRB-ERRORs a writable DC answers to a partial-TGT exchange
 * or a service-ticket request. The codes are the ones Samba AD DC 4.17 and Windows give for each
 * case (shared/notes/samba-lab.md, "What the writable DC does with an RODC-issued TGT").
 */
const EXCHANGE_EXPLANATIONS: Readonly<Record<number, string>> = {
  1: 'the account has expired in the directory; an administrator must extend or clear its expiry date',
  6: 'the domain does not know this user; check that the bridge and the domain agree on the sAMAccountName',
  7: 'the domain does not know the requested service principal; check the SPN (e.g. cifs/host.domain) and that the server account carries it',
  12: 'the domain refused the request by policy: most often the account is disabled in the directory (an administrator must enable it); otherwise the tgtbridge RODC object is missing PARTIAL_SECRETS_ACCOUNT or its msDS-KrbTgtLink (run `tgtbridge ad show`)',
  13: 'the KDC refused an option in the request (for example renewable from a non-renewable ticket)',
  14: 'no common encryption type: the domain must allow AES256 (msDS-SupportedEncryptionTypes) for this exchange',
  18: 'the account is locked out; wait for the lockout to end or ask an administrator to unlock it',
  20: 'the domain refused this user for passkey sign-in: the password-replication policy of the tgtbridge RODC object does not allow this account. Either it is not in a reveal-on-demand group (by default Allowed RODC Password Replication Group: an administrator adds the user or one of their groups), or it is in a never-reveal group (Denied RODC Password Replication Group, which holds Domain Admins and the other privileged groups: privileged accounts are denied by design). `tgtbridge ad show` lists both sets. Samba also answers this when the partial TGT carries no valid requestor SID',
  23: 'the user must change their password before the domain issues tickets; change it, then sign in again',
  24: 'pre-authentication failed: wrong password or key',
  31: 'the domain could not decrypt or verify the partial TGT: the key the bridge used is not the key the domain has for krbtgt_N (re-export it and run `tgtbridge keys import`)',
  32: 'the partial TGT has expired; sign in with your passkey again',
  33: 'the ticket is not valid yet: the clocks of this device, the bridge and the domain controller disagree',
  34: 'the KDC saw this request before (replay); retry',
  35: 'the domain does not know the RODC number in the partial TGT: the krbtgt_N account was deleted or belongs to another domain',
  37: 'the clocks of this device and the domain controller differ by more than the allowed skew (usually 5 minutes); fix the time and retry',
  41: 'a checksum in the request did not match; the request was altered in transit or built wrongly',
  44: 'the domain has a different key version for krbtgt_N than the bridge used: after a key rotation, re-export the key and run `tgtbridge keys import` (only the AES256 key is accepted)',
  50: 'the KDC wanted a different checksum in the request authenticator (KRB_AP_ERR_INAPP_CKSUM)',
  60: 'the domain controller rejected the partial TGT as malformed (missing LOGON_INFO or CLIENT_INFO, or an encoding it cannot read)',
  68: 'wrong realm: the ticket is for another domain than this KDC serves',
};

/** One line for a KRB-ERROR: name, number, and what to do. e-text from the KDC is appended. */
export function explainKrbError(code: number, eText?: string): string {
  const name = krbErrorName(code) ?? 'unknown error';
  const why = EXCHANGE_EXPLANATIONS[code] ?? 'the KDC refused the request';
  const tail = eText ? ` (KDC said: ${eText})` : '';
  return `${name} (${code}): ${why}${tail}`;
}
