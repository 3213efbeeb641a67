import {
  decodeTypeSerialization1,
  drain,
  encodeTypeSerialization1,
  readRpcUnicodeString,
  writeRpcUnicodeString,
  type NdrReader,
  type NdrWriter,
  type RpcUnicodeString,
} from '../ndr/index.js';
import { readPointer } from './security-types.js';

/**
 * S4U_DELEGATION_INFO, MS-PAC §2.9 (ulType 11), NDR type serialization 1:
 *
 *   typedef struct _S4U_DELEGATION_INFO {
 *     RPC_UNICODE_STRING S4U2proxyTarget;
 *     ULONG TransitedListSize;
 *     [size_is(TransitedListSize)] PRPC_UNICODE_STRING S4UTransitedServices;
 *   } S4U_DELEGATION_INFO;
 */
export interface S4uDelegationInfo {
  readonly S4U2proxyTarget: RpcUnicodeString;
  readonly S4UTransitedServices: readonly RpcUnicodeString[] | null;
}

const ROOT = 'S4U_DELEGATION_INFO';

export function decodeS4uDelegationInfo(bytes: Uint8Array, base = 0): S4uDelegationInfo {
  return decodeTypeSerialization1(bytes, base, ROOT, readBody);
}

export function encodeS4uDelegationInfo(info: S4uDelegationInfo): Uint8Array {
  return encodeTypeSerialization1(info, writeBody);
}

function readBody(r: NdrReader): S4uDelegationInfo {
  const q: Array<() => void> = [];
  const S4U2proxyTarget = r.at('S4U2proxyTarget', () => readRpcUnicodeString(r, q));
  const size = r.at('TransitedListSize', () => r.u32());
  let S4UTransitedServices: RpcUnicodeString[] | null = null;
  const present = readPointer(r, 'S4UTransitedServices', q, () => readStringArray(r, size), (v) => (S4UTransitedServices = v));
  if (!present && size !== 0) r.at('TransitedListSize', () => r.fail(`TransitedListSize ${size} with a NULL array`));
  drain(q);
  return { S4U2proxyTarget, S4UTransitedServices };
}

function readStringArray(r: NdrReader, expect: number): RpcUnicodeString[] {
  const at = r.pos;
  const n = r.count(8);
  if (n !== expect) r.fail(`array size ${n} does not match TransitedListSize ${expect}`, at);
  const inner: Array<() => void> = [];
  const out: RpcUnicodeString[] = [];
  for (let i = 0; i < n; i++) out.push(r.at(i, () => readRpcUnicodeString(r, inner)));
  drain(inner);
  return out;
}

function writeBody(w: NdrWriter, info: S4uDelegationInfo): void {
  const q: Array<() => void> = [];
  writeRpcUnicodeString(w, info.S4U2proxyTarget, q);
  const list = info.S4UTransitedServices;
  w.u32(list?.length ?? 0);
  if (w.pointer(list !== null)) {
    q.push(() => {
      const inner: Array<() => void> = [];
      w.u32(list?.length ?? 0);
      for (const s of list ?? []) writeRpcUnicodeString(w, s, inner);
      drain(inner);
    });
  }
  drain(q);
}
