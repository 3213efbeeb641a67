import { rpcUnicodeString, type RpcUnicodeString, type Sid } from '../ndr/index.js';
import { dateToFiletime, FILETIME_NEVER } from '../util/index.js';
import type { ClaimsSetMetadata } from './claims.js';
import { USER_FLAGS, type KerbValidationInfo } from './kerb-validation-info.js';
import { PAC_ATTRIBUTE_FLAGS } from './pac-attributes-info.js';
import { pacBuffer, type Pac, type PacBuffer } from './pac-type.js';
import { SE_GROUP, SE_GROUP_DEFAULT, type GroupMembership, type KerbSidAndAttributes } from './security-types.js';
import type { UpnDnsInfo } from './upn-dns-info.js';

/** SAMR account flags as KERB_VALIDATION_INFO.UserAccountControl carries them (MS-SAMR §2.2.1.12). */
export const USER_ACCOUNT_CONTROL = {
  ACB_DISABLED: 0x00000001,
  ACB_NORMAL: 0x00000010,
  ACB_WSTRUST: 0x00000080,
  ACB_SVRTRUST: 0x00000100,
  ACB_PWNOEXP: 0x00000200,
  ACB_PARTIAL_SECRETS_ACCOUNT: 0x04000000,
} as const;

export interface ValidationInfoInput {
  readonly domainSid: Sid;
  readonly userRid: number;
  /** sAMAccountName (EffectiveName). */
  readonly effectiveName: string;
  readonly fullName?: string;
  /** NetBIOS name of the DC (LogonServer) and of the domain (LogonDomainName). */
  readonly logonServer: string;
  readonly logonDomainName: string;
  /** Defaults to 513 (Domain Users). */
  readonly primaryGroupRid?: number;
  /** Account-domain groups; attributes default to 7 (mandatory, enabled by default, enabled). */
  readonly groups?: readonly { readonly rid: number; readonly attributes?: number }[];
  /** SIDs outside the account domain (e.g. S-1-18-1); attributes default to 7. */
  readonly extraSids?: readonly { readonly sid: Sid; readonly attributes?: number }[];
  readonly resourceGroupDomainSid?: Sid;
  /** Attributes default to 0x20000007 (SE_GROUP_RESOURCE | 7). */
  readonly resourceGroups?: readonly { readonly rid: number; readonly attributes?: number }[];
  readonly logonTime?: Date;
  readonly passwordLastSet?: Date;
  readonly passwordMustChange?: Date;
  readonly logonCount?: number;
  readonly badPasswordCount?: number;
  /** SAMR ACB flags; defaults to ACB_NORMAL (0x10). */
  readonly userAccountControl?: number;
}

/** Windows sends LogonServer/LogonDomainName with room for a NUL: MaximumLength = Length + 2 (MS-PAC §3). */
function stringLarge(value: string): RpcUnicodeString {
  return { Length: value.length * 2, MaximumLength: value.length * 2 + 2, Buffer: value };
}

/**
 * KERB_VALIDATION_INFO from plain values, populated as MS-KILE §3.3.5.6.4.1 has a DC do it:
 * zero UserSessionKey and reserved fields, "never" (0x7FFFFFFFFFFFFFFF) logoff and kickoff times,
 * non-NULL empty strings where the account has no value (as in MS-PAC §3 and Samba's PACs), the
 * primary group among GroupIds, and the D / H UserFlags bits exactly when ExtraSids / resource
 * groups are present (MS-PAC §2.5).
 */
export function kerbValidationInfoFor(input: ValidationInfoInput): KerbValidationInfo {
  const primary = input.primaryGroupRid ?? 513;
  const groups: GroupMembership[] = (input.groups ?? []).map((g) => ({ RelativeId: g.rid, Attributes: g.attributes ?? SE_GROUP_DEFAULT }));
  if (!groups.some((g) => g.RelativeId === primary)) groups.unshift({ RelativeId: primary, Attributes: SE_GROUP_DEFAULT });
  const extra: KerbSidAndAttributes[] = (input.extraSids ?? []).map((s) => ({ Sid: s.sid, Attributes: s.attributes ?? SE_GROUP_DEFAULT }));
  const resource: GroupMembership[] = (input.resourceGroups ?? []).map((g) => ({
    RelativeId: g.rid,
    Attributes: g.attributes ?? (SE_GROUP.RESOURCE | SE_GROUP_DEFAULT),
  }));
  const hasResource = resource.length > 0 || input.resourceGroupDomainSid !== undefined;
  if (resource.length > 0 && input.resourceGroupDomainSid === undefined) throw new RangeError('resource groups need resourceGroupDomainSid');
  const time = (d: Date | undefined, otherwise: bigint): bigint => (d === undefined ? otherwise : dateToFiletime(d));
  return {
    LogonTime: time(input.logonTime, 0n),
    LogoffTime: FILETIME_NEVER,
    KickOffTime: FILETIME_NEVER,
    PasswordLastSet: time(input.passwordLastSet, 0n),
    PasswordCanChange: 0n,
    PasswordMustChange: time(input.passwordMustChange, FILETIME_NEVER),
    EffectiveName: rpcUnicodeString(input.effectiveName),
    FullName: rpcUnicodeString(input.fullName ?? ''),
    LogonScript: rpcUnicodeString(''),
    ProfilePath: rpcUnicodeString(''),
    HomeDirectory: rpcUnicodeString(''),
    HomeDirectoryDrive: rpcUnicodeString(''),
    LogonCount: input.logonCount ?? 0,
    BadPasswordCount: input.badPasswordCount ?? 0,
    UserId: input.userRid,
    PrimaryGroupId: primary,
    GroupIds: groups,
    UserFlags: (extra.length > 0 ? USER_FLAGS.EXTRA_SIDS : 0) | (hasResource ? USER_FLAGS.RESOURCE_GROUPS : 0),
    UserSessionKey: new Uint8Array(16),
    LogonServer: stringLarge(input.logonServer),
    LogonDomainName: stringLarge(input.logonDomainName),
    LogonDomainId: input.domainSid,
    Reserved1: [0, 0],
    UserAccountControl: input.userAccountControl ?? USER_ACCOUNT_CONTROL.ACB_NORMAL,
    SubAuthStatus: 0,
    LastSuccessfulILogon: 0n,
    LastFailedILogon: 0n,
    FailedILogonCount: 0,
    Reserved3: 0,
    ExtraSids: extra.length > 0 ? extra : null,
    ResourceGroupDomainSid: input.resourceGroupDomainSid ?? null,
    ResourceGroupIds: resource.length > 0 ? resource : null,
  };
}

export interface BuildPacInput {
  readonly logonInfo: KerbValidationInfo;
  /** CLIENT_INFO: ClientId is the TGT's authtime (whole seconds), Name the client name (MS-PAC §2.7). */
  readonly clientInfo: { readonly authtime: Date; readonly name: string };
  readonly upnDnsInfo?: UpnDnsInfo;
  /** PAC_ATTRIBUTES_INFO flags (MS-PAC §2.14), e.g. PAC_WAS_REQUESTED; absent → no buffer. */
  readonly attributes?: number;
  readonly requestorSid?: Sid;
  readonly clientClaims?: ClaimsSetMetadata;
  /** Further buffers, written after the ones above and before the signatures. */
  readonly extraBuffers?: readonly PacBuffer[];
}

/**
 * An unsigned PAC with the buffers in the order Windows uses: LOGON_INFO, CLIENT_INFO,
 * UPN_DNS_INFO, (client claims), ATTRIBUTES_INFO, REQUESTOR. signPac appends the signatures.
 */
export function buildPac(input: BuildPacInput): Pac {
  const buffers: PacBuffer[] = [
    pacBuffer({ type: 'LOGON_INFO', value: input.logonInfo }),
    pacBuffer({ type: 'CLIENT_INFO', value: { ClientId: dateToFiletime(new Date(Math.floor(input.clientInfo.authtime.getTime() / 1000) * 1000)), Name: input.clientInfo.name } }),
  ];
  if (input.upnDnsInfo !== undefined) buffers.push(pacBuffer({ type: 'UPN_DNS_INFO', value: input.upnDnsInfo }));
  if (input.clientClaims !== undefined) buffers.push(pacBuffer({ type: 'CLIENT_CLAIMS_INFO', value: input.clientClaims }));
  if (input.attributes !== undefined) {
    buffers.push(pacBuffer({ type: 'ATTRIBUTES_INFO', value: { FlagsLength: 2, Flags: [input.attributes] } }));
  }
  if (input.requestorSid !== undefined) buffers.push(pacBuffer({ type: 'REQUESTOR', value: { Sid: input.requestorSid } }));
  buffers.push(...(input.extraBuffers ?? []));
  return { Version: 0, Buffers: buffers };
}

export { PAC_ATTRIBUTE_FLAGS };
