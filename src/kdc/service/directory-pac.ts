import { domainOf, ridOf, type DirectoryUser, type DomainInfo } from '../../directory/index.js';
import {
  buildPac,
  kerbValidationInfoFor,
  PAC_ATTRIBUTE_FLAGS,
  parseSid,
  UPN_DNS_FLAGS,
  USER_ACCOUNT_CONTROL,
  type Pac,
} from '../../pac/index.js';

/** S-1-18-1, "Authentication authority asserted identity" (MS-DTYP §2.4.2.4): what an AD DC adds for a password/PKINIT logon. */
export const AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY = 'S-1-18-1';

export interface DirectoryPacInput {
  readonly user: DirectoryUser;
  readonly domain: DomainInfo;
  /** Every group SID the user is in, transitively (the directory's groupSidsOf). */
  readonly groupSids: Iterable<string>;
  readonly authtime: Date;
  readonly logonServer: string;
  /** A TGT's PAC carries ATTRIBUTES_INFO and REQUESTOR; a service ticket's does not (Samba 4.17's cifs PAC, krb-fixtures/samba). */
  readonly forTgt: boolean;
  /** PAC_ATTRIBUTES_INFO flags to carry over from the presented TGT; default PAC_WAS_GIVEN_IMPLICITLY. */
  readonly attributes?: number;
  /**
   * CLIENT_INFO.Name: the ticket's cname as the client spelt it (MS-PAC §2.7), which the next TGS-REQ
   * compares with that cname; default sAMAccountName. Samba 4.17 writes "ALICE" for cname ALICE (measured).
   */
  readonly clientName?: string;
}

/**
 * The PAC a writable DC builds for an RODC-issued TGT (MS-KILE §3.3.5.7.1, samba-lab.md): not the
 * RODC's groups but the directory's. LOGON_INFO with every account-domain group the user is in
 * (attributes 7, primary group included) and ExtraSids S-1-18-1 (which sets the D user flag),
 * CLIENT_INFO (authtime, sAMAccountName), UPN_DNS_INFO in the S form (SamName + Sid), and for a
 * TGT ATTRIBUTES_INFO and REQUESTOR. Unsigned: the caller signs it for the ticket it goes into.
 * BUILTIN aliases are not carried (a DC expands them on the resource side), nor groups of other domains.
 */
export function directoryPac(input: DirectoryPacInput): Pac {
  const { user, domain } = input;
  const userSid = parseSid(user.objectSid);
  const domainSid = parseSid(domain.sid);
  const groups = [...new Set(input.groupSids)]
    .filter((g) => g !== user.objectSid && domainOf(g) === domain.sid)
    .map((g) => ridOf(g))
    .sort((a, b) => (a === user.primaryGroupId ? -1 : b === user.primaryGroupId ? 1 : a - b))
    .map((rid) => ({ rid }));
  return buildPac({
    logonInfo: kerbValidationInfoFor({
      domainSid,
      userRid: ridOf(user.objectSid),
      effectiveName: user.sAMAccountName,
      fullName: user.displayName,
      logonServer: input.logonServer,
      logonDomainName: domain.netbiosName.toUpperCase(),
      primaryGroupRid: user.primaryGroupId,
      groups,
      extraSids: [{ sid: parseSid(AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY) }],
      logonTime: input.authtime,
      ...(user.passwordLastSet !== undefined ? { passwordLastSet: user.passwordLastSet } : {}),
      userAccountControl: USER_ACCOUNT_CONTROL.ACB_NORMAL,
    }),
    clientInfo: { authtime: input.authtime, name: input.clientName ?? user.sAMAccountName },
    upnDnsInfo: {
      Upn: user.userPrincipalName,
      DnsDomainName: domain.dnsDomain.toUpperCase(),
      Flags: UPN_DNS_FLAGS.S,
      SamName: user.sAMAccountName,
      Sid: userSid,
    },
    ...(input.forTgt ? { attributes: input.attributes ?? PAC_ATTRIBUTE_FLAGS.PAC_WAS_GIVEN_IMPLICITLY, requestorSid: userSid } : {}),
  });
}
