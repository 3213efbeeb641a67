import {
  decodeTypeSerialization1,
  drain,
  encodeTypeSerialization1,
  readRpcSid,
  writeRpcSid,
  type NdrReader,
  type NdrWriter,
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

/** DOMAIN_GROUP_MEMBERSHIP, MS-PAC §2.2.3: `{ PISID DomainId; ULONG GroupCount; [size_is(GroupCount)] PGROUP_MEMBERSHIP GroupIds; }`. */
export interface DomainGroupMembership {
  readonly DomainId: Sid | null;
  readonly GroupIds: readonly GroupMembership[] | null;
}

/**
 * PAC_DEVICE_INFO, MS-PAC §2.12 (ulType 14), NDR type serialization 1:
 *
 *   typedef struct _PAC_DEVICE_INFO {
 *     ULONG UserId; ULONG PrimaryGroupId; PISID AccountDomainId;
 *     ULONG AccountGroupCount; [size_is(AccountGroupCount)] PGROUP_MEMBERSHIP AccountGroupIds;
 *     ULONG SidCount; [size_is(SidCount)] PKERB_SID_AND_ATTRIBUTES ExtraSids;
 *     ULONG DomainGroupCount; [size_is(DomainGroupCount)] PDOMAIN_GROUP_MEMBERSHIP DomainGroup;
 *   } PAC_DEVICE_INFO;
 */
export interface PacDeviceInfo {
  readonly UserId: number;
  readonly PrimaryGroupId: number;
  readonly AccountDomainId: Sid | null;
  readonly AccountGroupIds: readonly GroupMembership[] | null;
  readonly ExtraSids: readonly KerbSidAndAttributes[] | null;
  readonly DomainGroup: readonly DomainGroupMembership[] | null;
}

const ROOT = 'PAC_DEVICE_INFO';

export function decodePacDeviceInfo(bytes: Uint8Array, base = 0): PacDeviceInfo {
  return decodeTypeSerialization1(bytes, base, ROOT, readBody);
}

export function encodePacDeviceInfo(info: PacDeviceInfo): Uint8Array {
  return encodeTypeSerialization1(info, writeBody);
}

function counted<T>(r: NdrReader, q: Array<() => void>, countField: string, field: string, read: (n: number) => T[], set: (v: T[]) => void): void {
  const n = r.at(countField, () => r.u32());
  if (!readPointer(r, field, q, () => read(n), set) && n !== 0) r.at(countField, () => r.fail(`${countField} ${n} with NULL ${field}`));
}

function readBody(r: NdrReader): PacDeviceInfo {
  const q: Array<() => void> = [];
  const out: { -readonly [K in keyof PacDeviceInfo]: PacDeviceInfo[K] } = {
    UserId: r.at('UserId', () => r.u32()),
    PrimaryGroupId: r.at('PrimaryGroupId', () => r.u32()),
    AccountDomainId: null,
    AccountGroupIds: null,
    ExtraSids: null,
    DomainGroup: null,
  };
  readPointer(r, 'AccountDomainId', q, () => readRpcSid(r), (v) => (out.AccountDomainId = v));
  counted(r, q, 'AccountGroupCount', 'AccountGroupIds', (n) => readGroupMembershipArray(r, n), (v) => (out.AccountGroupIds = v));
  counted(r, q, 'SidCount', 'ExtraSids', (n) => readSidAndAttributesArray(r, n), (v) => (out.ExtraSids = v));
  counted(r, q, 'DomainGroupCount', 'DomainGroup', (n) => readDomainGroups(r, n), (v) => (out.DomainGroup = v));
  drain(q);
  return out;
}

function readDomainGroups(r: NdrReader, expect: number): DomainGroupMembership[] {
  const at = r.pos;
  const n = r.count(12);
  if (n !== expect) r.fail(`array size ${n} does not match DomainGroupCount ${expect}`, at);
  const inner: Array<() => void> = [];
  const out: { DomainId: Sid | null; GroupIds: GroupMembership[] | null }[] = [];
  for (let i = 0; i < n; i++) {
    r.at(i, () => {
      const d: { DomainId: Sid | null; GroupIds: GroupMembership[] | null } = { DomainId: null, GroupIds: null };
      readPointer(r, 'DomainId', inner, () => readRpcSid(r), (v) => (d.DomainId = v));
      counted(r, inner, 'GroupCount', 'GroupIds', (c) => readGroupMembershipArray(r, c), (v) => (d.GroupIds = v));
      out.push(d);
    });
  }
  drain(inner);
  return out;
}

function writeBody(w: NdrWriter, info: PacDeviceInfo): void {
  const q: Array<() => void> = [];
  w.u32(info.UserId);
  w.u32(info.PrimaryGroupId);
  if (w.pointer(info.AccountDomainId !== null)) q.push(() => writeRpcSid(w, info.AccountDomainId as Sid));
  w.u32(info.AccountGroupIds?.length ?? 0);
  if (w.pointer(info.AccountGroupIds !== null)) q.push(() => writeGroupMembershipArray(w, info.AccountGroupIds ?? []));
  w.u32(info.ExtraSids?.length ?? 0);
  if (w.pointer(info.ExtraSids !== null)) q.push(() => writeSidAndAttributesArray(w, info.ExtraSids ?? []));
  const domains = info.DomainGroup;
  w.u32(domains?.length ?? 0);
  if (w.pointer(domains !== null)) {
    q.push(() => {
      const inner: Array<() => void> = [];
      w.u32(domains?.length ?? 0);
      for (const d of domains ?? []) {
        if (w.pointer(d.DomainId !== null)) inner.push(() => writeRpcSid(w, d.DomainId as Sid));
        w.u32(d.GroupIds?.length ?? 0);
        if (w.pointer(d.GroupIds !== null)) inner.push(() => writeGroupMembershipArray(w, d.GroupIds ?? []));
      }
      drain(inner);
    });
  }
  drain(q);
}
