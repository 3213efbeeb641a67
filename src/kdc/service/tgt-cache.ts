import type { EncTicketPart } from '../../asn1/index.js';
import type { Key } from '../../crypto/index.js';
import type { PacView } from './pac-view.js';

/** What opening a presented TGT and checking its PAC signatures established. */
export interface VerifiedTgt {
  readonly enc: EncTicketPart;
  readonly sessionKey: Key;
  readonly pacBytes: Uint8Array;
  readonly pac: PacView;
}

interface Entry extends VerifiedTgt {
  readonly key: Key;
  readonly cipher: Uint8Array;
}

/**
 * Full TGTs this KDC issued, already decrypted and with their PAC signatures verified, by the exact
 * enc-part ciphertext and the key object that opened it. A client presents one TGT for every
 * service ticket it asks for during the TGT's life (RFC 4120 §3.3), and the same ciphertext under
 * the same key always decrypts to the same EncTicketPart, so the decryption, the DER decode and
 * the PAC checks (a fifth of a TGS-REQ's CPU, bench/profile-kdc.ts) need to be done once.
 *
 * Only successes are kept. Everything that depends on the clock or the directory (ticket times,
 * the account, the replication policy) is checked on every request as before. The lookup key is
 * 52 bits of the ciphertext's integrity tag (its last octets, an HMAC for every etype served here);
 * a hit also compares the whole ciphertext and the key object, so a collision or a rotated key is
 * a miss. Bounded; oldest first out.
 */
export class VerifiedTgtCache {
  readonly #entries = new Map<number, Entry>();
  readonly #max: number;

  constructor(max = 2048) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  find(key: Key, cipher: Uint8Array): VerifiedTgt | undefined {
    if (this.#max === 0) return undefined;
    const hit = this.#entries.get(lookupId(cipher));
    if (hit === undefined || hit.key !== key || !sameBytes(hit.cipher, cipher)) return undefined;
    return hit;
  }

  remember(key: Key, cipher: Uint8Array, verified: VerifiedTgt): void {
    if (this.#max === 0) return;
    const id = lookupId(cipher);
    if (!this.#entries.has(id) && this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as number);
    // A copy: the presented cipher may be a view into a request buffer its owner reuses.
    this.#entries.set(id, { ...verified, key, cipher: cipher.slice() });
  }
}

/** 52 bits of the integrity tag (its last 8 octets) as a number: no string per lookup. Shorter ciphers (never a ticket) use what there is. */
function lookupId(cipher: Uint8Array): number {
  const n = cipher.length;
  let hi = 0;
  let lo = 0;
  for (let i = Math.max(0, n - 8); i < n - 4; i++) hi = (hi << 8) | cipher[i]!;
  for (let i = Math.max(0, n - 4); i < n; i++) lo = ((lo << 8) | cipher[i]!) >>> 0;
  return (hi & 0xfffff) * 2 ** 32 + lo;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}
