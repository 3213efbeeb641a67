import { DerReader, PA_DATA_TYPES, type Authenticator } from '../asn1/index.js';
import { parseDer, replaceChild, serializeDer, type DerNode } from './der-tree.js';
import type { Mutation } from './scenario.js';

/**
 * Named mutations. Each is one small change a scenario names in its `mutate` list; they run after
 * minting and never touch keys, so a scenario's outcome is the KDC's answer to exactly that change.
 */

/**
 * EncryptedData.kvno without the RODC number in the high 16 bits: the DC then looks for its own
 * krbtgt key of that version, which did not encrypt the ticket (samba-lab.md: → 31).
 */
export const kvnoWithoutRodcNumber: Mutation = {
  name: 'kvno-without-rodc-number',
  ticket: (ticket, minted) => ({ ...ticket, encPart: { ...ticket.encPart, kvno: minted.keyVersion } }),
};

/** The authenticator without its checksum over KDC-REQ-BODY (RFC 4120 §7.2's body checksum, usage 6). */
export const dropAuthenticatorChecksum: Mutation = {
  name: 'drop-authenticator-checksum',
  authenticator: (a: Authenticator): Authenticator => {
    const { cksum: _dropped, ...rest } = a;
    return rest;
  },
};

// Identifier octets of the elements on the way to the ticket's kvno (RFC 4120 §5.4.1, §5.5.1, §5.3, §5.2.9).
const ID = {
  TGS_REQ: 0x6c,
  AP_REQ: 0x6e,
  TICKET: 0x61,
  SEQUENCE: 0x30,
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  ctx: (n: number): number => 0xa0 | n,
} as const;

/** Rewrite the ticket's EncryptedData.kvno INTEGER inside a DER AP-REQ. */
function rewriteApReqKvno(apReq: DerNode, content: (old: Uint8Array) => Uint8Array): DerNode {
  const path = 'AP-REQ.ticket.enc-part.kvno';
  const kvno = (encData: DerNode): DerNode =>
    replaceChild(encData, ID.ctx(1), path, (explicit) =>
      replaceChild(explicit, ID.INTEGER, path, (int) => ({ tag: ID.INTEGER, content: content(int.content ?? new Uint8Array(0)) })),
    );
  const encPart = (t: DerNode): DerNode => replaceChild(t, ID.ctx(3), path, (e) => replaceChild(e, ID.SEQUENCE, path, kvno));
  const ticket = (t: DerNode): DerNode => replaceChild(t, ID.TICKET, path, (app) => replaceChild(app, ID.SEQUENCE, path, encPart));
  return replaceChild(apReq, ID.SEQUENCE, path, (s) => replaceChild(s, ID.ctx(3), path, ticket));
}

/** Apply `f` to the DER AP-REQ inside the PA-TGS-REQ of a DER TGS-REQ (RFC 4120 §5.2.7.1). */
export function editPaTgsReq(tgsReq: Uint8Array, f: (apReq: DerNode) => DerNode): Uint8Array {
  const root = parseDer(tgsReq);
  const path = 'TGS-REQ.padata';
  const isPaTgsReq = (pa: DerNode): boolean => {
    const int = pa.children?.find((c) => c.tag === ID.ctx(1))?.children?.[0]?.content;
    return int !== undefined && int.length === 1 && int[0] === PA_DATA_TYPES['PA-TGS-REQ'];
  };
  const editPa = (pa: DerNode): DerNode =>
    replaceChild(pa, ID.ctx(2), path, (value) =>
      replaceChild(value, ID.OCTET_STRING, path, (os) => ({ tag: ID.OCTET_STRING, content: serializeDer(f(parseDer(os.content ?? new Uint8Array(0)))) })),
    );
  const out = replaceChild(root, ID.SEQUENCE, path, (s) =>
    replaceChild(s, ID.ctx(3), path, (padata) =>
      replaceChild(padata, ID.SEQUENCE, path, (list) => ({ tag: list.tag, children: (list.children ?? []).map((pa) => (isPaTgsReq(pa) ? editPa(pa) : pa)) })),
    ),
  );
  return serializeDer(out);
}

/**
 * The kvno as a 5-byte unsigned INTEGER (00 ‖ 4 octets), as an encoder that treats UInt32 as
 * unsigned writes N ≥ 0x8000 RODC kvnos. RFC 4120 §5.2.4 bounds it to a signed 32-bit range;
 * samba-lab.md measured → 60 ("ASN.1 encoding ended unexpectedly"). For N ≥ 0x8000 the result is
 * minimal DER of a value above 2^31 - 1; for N < 0x8000 it is also non-minimal (X.690 §8.3.2), so
 * a lenient decoder may accept the first and refuse the second: the outcome can depend on N.
 */
/** The kvno INTEGER's contents as an unsigned 32-bit number (two's complement undone). */
function unsignedOf(contents: Uint8Array): number {
  let v = contents.length > 0 && (contents[0]! & 0x80) !== 0 ? -1 : 0;
  for (const b of contents) v = v * 256 + b;
  return v < 0 ? v + 2 ** 32 : v;
}

function fiveByteKvno(name: string, value: (kvno: number) => number): Mutation {
  return {
    name,
    wire: (tgsReq) =>
      editPaTgsReq(tgsReq, (apReq) =>
        rewriteApReqKvno(apReq, (old) => {
          const u = value(unsignedOf(old));
          return Uint8Array.of(0, (u >>> 24) & 0xff, (u >>> 16) & 0xff, (u >>> 8) & 0xff, u & 0xff);
        }),
      ),
  };
}

export const kvnoAsFiveByteUnsigned: Mutation = fiveByteKvno('kvno-5-byte-unsigned', (kvno) => kvno);

/**
 * A 5-byte kvno whose value is above 2^31 - 1 whatever N is (the top bit set): minimal DER of a
 * number outside RFC 4120 §5.2.4's Int32 range. The same refusal as kvno-5-byte-unsigned is
 * expected, but this one does not depend on the RODC number the DC picked.
 */
export const kvnoAboveInt32Max: Mutation = fiveByteKvno('kvno-above-int32-max', (kvno) => (kvno | 0x80000000) >>> 0);

/** Octets the overrun mutation's request reaches at least: past MIT's udp_preference_limit (1465), so sendToKdc uses TCP at once. */
const OVERRUN_MIN_BYTES = 1600;
/** How many octets the outer length claims beyond what is there. */
const OVERRUN_CLAIM = 64;

/**
 * The outer [APPLICATION 12] length claims 64 octets more than the message holds (X.690 §8.1.3),
 * zero padding first bringing it over 1465 octets. Nothing inside is touched, so what the KDC
 * meets is an outer structure that cannot decode: MIT krb5kdc 1.20 and Samba 4.17 send nothing
 * back for that (over TCP they close the connection). Large on purpose: sent over TCP, the silence
 * shows as an immediate close instead of a UDP timeout.
 */
export const outerLengthOverrun: Mutation = {
  name: 'outer-length-overrun',
  wire: (tgsReq) => {
    const body = tgsReq.subarray(DerReader.of(tgsReq, 'TGS-REQ').read(ID.TGS_REQ, 'TGS-REQ').contentStart);
    if (body.length + OVERRUN_CLAIM > 0xffff) throw new RangeError('outer-length-overrun: a TGS-REQ over 64 KiB');
    const padded = new Uint8Array(Math.max(body.length, OVERRUN_MIN_BYTES));
    padded.set(body);
    const claimed = padded.length + OVERRUN_CLAIM;
    const out = new Uint8Array(4 + padded.length);
    out.set([ID.TGS_REQ, 0x82, claimed >>> 8, claimed & 0xff]);
    out.set(padded, 4);
    return out;
  },
};

/**
 * One zero octet after the TGS-REQ's DER element, inside the same datagram or TCP frame. No DER
 * value includes it (X.690 §8.1.1), no checksum covers it; MIT krb5kdc 1.20 and Samba 4.17 answer
 * as if it were not there (measured), so a strict decoder that refused it would differ from them.
 */
export const trailingOctet: Mutation = {
  name: 'trailing-octet',
  wire: (tgsReq) => {
    const out = new Uint8Array(tgsReq.length + 1);
    out.set(tgsReq);
    return out;
  },
};
