import {
  decodeTypeSerialization1,
  drain,
  encodeTypeSerialization1,
  readRpcSid,
  readRpcUnicodeString,
  writeRpcSid,
  writeRpcUnicodeString,
  type NdrReader,
  type NdrWriter,
  type RpcUnicodeString,
  type Sid,
} from '../ndr/index.js';
import {
  readGroupMembershipArray,
  readPointer,
  readSidAndAttributesArray,
  writeGroupMembershipArray,
  writeSidAndAttributesArray,
  type GroupMembership,
  type KerbSidAndAttributes,
} from './security-types.js';

/**
 * KERB_VALIDATION_INFO, MS-PAC §2.5 (the LOGON_INFO buffer, ulType 1), NDR type serialization 1:
 *
 *   typedef struct _KERB_VALIDATION_INFO {
 *     FILETIME LogonTime; FILETIME LogoffTime; FILETIME KickOffTime;
 *     FILETIME PasswordLastSet; FILETIME PasswordCanChange; FILETIME PasswordMustChange;
 *     RPC_UNICODE_STRING EffectiveName; RPC_UNICODE_STRING FullName; RPC_UNICODE_STRING LogonScript;
 *     RPC_UNICODE_STRING ProfilePath; RPC_UNICODE_STRING HomeDirectory; RPC_UNICODE_STRING HomeDirectoryDrive;
 *     USHORT LogonCount; USHORT BadPasswordCount;
 *     ULONG UserId; ULONG PrimaryGroupId; ULONG GroupCount;
 *     [size_is(GroupCount)] PGROUP_MEMBERSHIP GroupIds;
 *     ULONG UserFlags; USER_SESSION_KEY UserSessionKey;
 *     RPC_UNICODE_STRING LogonServer; RPC_UNICODE_STRING LogonDomainName; PISID LogonDomainId;
 *     ULONG Reserved1[2]; ULONG UserAccountControl;
 *     ULONG SubAuthStatus; FILETIME LastSuccessfulILogon; FILETIME LastFailedILogon;
 *     ULONG FailedILogonCount; ULONG Reserved3;
 *     ULONG SidCount; [size_is(SidCount)] PKERB_SID_AND_ATTRIBUTES ExtraSids;
 *     PISID ResourceGroupDomainSid; ULONG ResourceGroupCount;
 *     [size_is(ResourceGroupCount)] PGROUP_MEMBERSHIP ResourceGroupIds;
 *   } KERB_VALIDATION_INFO;
 *
 * GroupCount, SidCount and ResourceGroupCount are the lengths of their arrays; an array is null
 * when its pointer is NULL (kept apart from a non-NULL empty array so re-encoding is exact).
 * FILETIMEs are bigint (MS-DTYP §2.3.3); "never" is 0x7FFFFFFFFFFFFFFF.
 */
export interface KerbValidationInfo {
  readonly LogonTime: bigint;
  readonly LogoffTime: bigint;
  readonly KickOffTime: bigint;
  readonly PasswordLastSet: bigint;
  readonly PasswordCanChange: bigint;
  readonly PasswordMustChange: bigint;
  readonly EffectiveName: RpcUnicodeString;
  readonly FullName: RpcUnicodeString;
  readonly LogonScript: RpcUnicodeString;
  readonly ProfilePath: RpcUnicodeString;
  readonly HomeDirectory: RpcUnicodeString;
  readonly HomeDirectoryDrive: RpcUnicodeString;
  readonly LogonCount: number;
  readonly BadPasswordCount: number;
  readonly UserId: number;
  readonly PrimaryGroupId: number;
  readonly GroupIds: readonly GroupMembership[] | null;
  readonly UserFlags: number;
  /** 16 bytes; MUST be zero outside NTLM (MS-PAC §2.5). */
  readonly UserSessionKey: Uint8Array;
  readonly LogonServer: RpcUnicodeString;
  readonly LogonDomainName: RpcUnicodeString;
  readonly LogonDomainId: Sid | null;
  readonly Reserved1: readonly [number, number];
  readonly UserAccountControl: number;
  readonly SubAuthStatus: number;
  readonly LastSuccessfulILogon: bigint;
  readonly LastFailedILogon: bigint;
  readonly FailedILogonCount: number;
  readonly Reserved3: number;
  readonly ExtraSids: readonly KerbSidAndAttributes[] | null;
  readonly ResourceGroupDomainSid: Sid | null;
  readonly ResourceGroupIds: readonly GroupMembership[] | null;
}

/** UserFlags bits valid for Kerberos, MS-PAC §2.5 (D and H in MS bit order). */
export const USER_FLAGS = {
  EXTRA_SIDS: 0x00000020,
  RESOURCE_GROUPS: 0x00000200,
} as const;

const ROOT = 'KERB_VALIDATION_INFO';

export function decodeKerbValidationInfo(bytes: Uint8Array, base = 0): KerbValidationInfo {
  return decodeTypeSerialization1(bytes, base, ROOT, readKerbValidationInfo);
}

export function encodeKerbValidationInfo(info: KerbValidationInfo): Uint8Array {
  return encodeTypeSerialization1(info, writeKerbValidationInfo);
}

function readKerbValidationInfo(r: NdrReader): KerbValidationInfo {
  const q: Array<() => void> = [];
  const f = <T>(name: string, read: () => T): T => r.at(name, read);
  const str = (name: string): RpcUnicodeString => f(name, () => readRpcUnicodeString(r, q));
  const out: Record<string, unknown> = {};
  out.LogonTime = f('LogonTime', () => r.filetime());
  out.LogoffTime = f('LogoffTime', () => r.filetime());
  out.KickOffTime = f('KickOffTime', () => r.filetime());
  out.PasswordLastSet = f('PasswordLastSet', () => r.filetime());
  out.PasswordCanChange = f('PasswordCanChange', () => r.filetime());
  out.PasswordMustChange = f('PasswordMustChange', () => r.filetime());
  out.EffectiveName = str('EffectiveName');
  out.FullName = str('FullName');
  out.LogonScript = str('LogonScript');
  out.ProfilePath = str('ProfilePath');
  out.HomeDirectory = str('HomeDirectory');
  out.HomeDirectoryDrive = str('HomeDirectoryDrive');
  out.LogonCount = f('LogonCount', () => r.u16());
  out.BadPasswordCount = f('BadPasswordCount', () => r.u16());
  out.UserId = f('UserId', () => r.u32());
  out.PrimaryGroupId = f('PrimaryGroupId', () => r.u32());
  const groupCount = f('GroupCount', () => r.u32());
  out.GroupIds = null;
  const hasGroups = readPointer(r, 'GroupIds', q, () => readGroupMembershipArray(r, groupCount), (v) => (out.GroupIds = v));
  if (!hasGroups && groupCount !== 0) f('GroupCount', () => r.fail(`GroupCount ${groupCount} with NULL GroupIds`));
  out.UserFlags = f('UserFlags', () => r.u32());
  out.UserSessionKey = f('UserSessionKey', () => r.bytes(16));
  out.LogonServer = str('LogonServer');
  out.LogonDomainName = str('LogonDomainName');
  out.LogonDomainId = null;
  readPointer(r, 'LogonDomainId', q, () => readRpcSid(r), (v) => (out.LogonDomainId = v));
  out.Reserved1 = [f('Reserved1', () => r.u32()), f('Reserved1', () => r.u32())];
  out.UserAccountControl = f('UserAccountControl', () => r.u32());
  out.SubAuthStatus = f('SubAuthStatus', () => r.u32());
  out.LastSuccessfulILogon = f('LastSuccessfulILogon', () => r.filetime());
  out.LastFailedILogon = f('LastFailedILogon', () => r.filetime());
  out.FailedILogonCount = f('FailedILogonCount', () => r.u32());
  out.Reserved3 = f('Reserved3', () => r.u32());
  const sidCount = f('SidCount', () => r.u32());
  out.ExtraSids = null;
  const hasSids = readPointer(r, 'ExtraSids', q, () => readSidAndAttributesArray(r, sidCount), (v) => (out.ExtraSids = v));
  if (!hasSids && sidCount !== 0) f('SidCount', () => r.fail(`SidCount ${sidCount} with NULL ExtraSids`));
  out.ResourceGroupDomainSid = null;
  readPointer(r, 'ResourceGroupDomainSid', q, () => readRpcSid(r), (v) => (out.ResourceGroupDomainSid = v));
  const resourceCount = f('ResourceGroupCount', () => r.u32());
  out.ResourceGroupIds = null;
  const hasResource = readPointer(r, 'ResourceGroupIds', q, () => readGroupMembershipArray(r, resourceCount), (v) => (out.ResourceGroupIds = v));
  if (!hasResource && resourceCount !== 0) f('ResourceGroupCount', () => r.fail(`ResourceGroupCount ${resourceCount} with NULL ResourceGroupIds`));
  drain(q);
  return out as unknown as KerbValidationInfo;
}

function writeKerbValidationInfo(w: NdrWriter, v: KerbValidationInfo): void {
  const q: Array<() => void> = [];
  const str = (s: RpcUnicodeString): void => writeRpcUnicodeString(w, s, q);
  w.filetime(v.LogonTime);
  w.filetime(v.LogoffTime);
  w.filetime(v.KickOffTime);
  w.filetime(v.PasswordLastSet);
  w.filetime(v.PasswordCanChange);
  w.filetime(v.PasswordMustChange);
  str(v.EffectiveName);
  str(v.FullName);
  str(v.LogonScript);
  str(v.ProfilePath);
  str(v.HomeDirectory);
  str(v.HomeDirectoryDrive);
  w.u16(v.LogonCount);
  w.u16(v.BadPasswordCount);
  w.u32(v.UserId);
  w.u32(v.PrimaryGroupId);
  w.u32(v.GroupIds?.length ?? 0);
  if (w.pointer(v.GroupIds !== null)) q.push(() => writeGroupMembershipArray(w, v.GroupIds ?? []));
  w.u32(v.UserFlags);
  if (v.UserSessionKey.length !== 16) throw new RangeError('UserSessionKey must be 16 bytes');
  w.bytes(v.UserSessionKey);
  str(v.LogonServer);
  str(v.LogonDomainName);
  if (w.pointer(v.LogonDomainId !== null)) q.push(() => writeRpcSid(w, v.LogonDomainId as Sid));
  w.u32(v.Reserved1[0]);
  w.u32(v.Reserved1[1]);
  w.u32(v.UserAccountControl);
  w.u32(v.SubAuthStatus);
  w.filetime(v.LastSuccessfulILogon);
  w.filetime(v.LastFailedILogon);
  w.u32(v.FailedILogonCount);
  w.u32(v.Reserved3);
  w.u32(v.ExtraSids?.length ?? 0);
  if (w.pointer(v.ExtraSids !== null)) q.push(() => writeSidAndAttributesArray(w, v.ExtraSids ?? []));
  if (w.pointer(v.ResourceGroupDomainSid !== null)) q.push(() => writeRpcSid(w, v.ResourceGroupDomainSid as Sid));
  w.u32(v.ResourceGroupIds?.length ?? 0);
  if (w.pointer(v.ResourceGroupIds !== null)) q.push(() => writeGroupMembershipArray(w, v.ResourceGroupIds ?? []));
  drain(q);
}
