import { drain, readRpcSid, writeRpcSid, type NdrReader, type NdrWriter, type Sid } from '../ndr/index.js';

/** GROUP_MEMBERSHIP, MS-PAC §2.2.2: `{ ULONG RelativeId; ULONG Attributes; }`. */
export interface GroupMembership {
  readonly RelativeId: number;
  readonly Attributes: number;
}

/** KERB_SID_AND_ATTRIBUTES, MS-PAC §2.2.1: `{ PISID Sid; ULONG Attributes; }`. */
export interface KerbSidAndAttributes {
  readonly Sid: Sid | null;
  readonly Attributes: number;
}

/**
 * SID attribute bits, MS-PAC §2.2.1 (letters A–E are MS bit order; these are the LSB values,
 * matching SE_GROUP_* in [SIDATT]). Windows sends 7 for ordinary groups and 0x20000007 for
 * resource (domain-local) groups — both visible in MS-PAC §3.
 */
export const SE_GROUP = {
  MANDATORY: 0x00000001,
  ENABLED_BY_DEFAULT: 0x00000002,
  ENABLED: 0x00000004,
  OWNER: 0x00000008,
  RESOURCE: 0x20000000,
} as const;

/** The attributes every AD group carries in a PAC: mandatory | enabled-by-default | enabled. */
export const SE_GROUP_DEFAULT = SE_GROUP.MANDATORY | SE_GROUP.ENABLED_BY_DEFAULT | SE_GROUP.ENABLED;

/** A deferred `[size_is(count)] PGROUP_MEMBERSHIP` array; its conformance must equal `count`. */
export function readGroupMembershipArray(r: NdrReader, count: number): GroupMembership[] {
  const at = r.pos;
  const n = r.count(8);
  if (n !== count) r.fail(`array size ${n} does not match its count field ${count}`, at);
  // count() has checked that n elements fit, so the element reads cannot fail: no per-field paths needed.
  const out: GroupMembership[] = new Array<GroupMembership>(n);
  for (let i = 0; i < n; i++) out[i] = { RelativeId: r.u32(), Attributes: r.u32() };
  return out;
}

export function writeGroupMembershipArray(w: NdrWriter, groups: readonly GroupMembership[]): void {
  w.u32(groups.length);
  for (const g of groups) {
    w.u32(g.RelativeId);
    w.u32(g.Attributes);
  }
}

/**
 * A deferred `[size_is(count)] PKERB_SID_AND_ATTRIBUTES` array: all elements' scalars, then each
 * element's SID pointee in order (C706 §14.3.12.3; MS-PAC §3 shows the 13 ExtraSids SIDs after the array).
 */
export function readSidAndAttributesArray(r: NdrReader, count: number): KerbSidAndAttributes[] {
  const at = r.pos;
  const n = r.count(8);
  if (n !== count) r.fail(`array size ${n} does not match its count field ${count}`, at);
  const out: { Sid: Sid | null; Attributes: number }[] = [];
  const queue: Array<() => void> = [];
  for (let i = 0; i < n; i++) {
    r.at(i, () => {
      const entry: { Sid: Sid | null; Attributes: number } = { Sid: null, Attributes: 0 };
      const ref = r.at('Sid', () => r.referent());
      entry.Attributes = r.at('Attributes', () => r.u32());
      if (ref !== 0) r.at('Sid', () => r.defer(queue, () => (entry.Sid = readRpcSid(r))));
      out.push(entry);
    });
  }
  drain(queue);
  return out;
}

export function writeSidAndAttributesArray(w: NdrWriter, sids: readonly KerbSidAndAttributes[]): void {
  w.u32(sids.length);
  const queue: Array<() => void> = [];
  for (const s of sids) {
    if (w.pointer(s.Sid !== null)) {
      const sid = s.Sid as Sid;
      queue.push(() => writeRpcSid(w, sid));
    }
    w.u32(s.Attributes);
  }
  drain(queue);
}

/** Read a pointer field and, when non-NULL, queue `read` for its pointee. */
export function readPointer<T>(r: NdrReader, field: string, queue: Array<() => void>, read: () => T, set: (v: T) => void): boolean {
  const ref = r.at(field, () => r.referent());
  if (ref === 0) return false;
  r.at(field, () => r.defer(queue, () => set(read())));
  return true;
}
