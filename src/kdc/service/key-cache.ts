import { Key } from '../../crypto/index.js';

/**
 * Session keys by value, so that one TGT's session key is one Key object across the TGS-REQs made
 * with it, and its derived keys (RFC 3961 §5.3 Ke/Ki/Kc for usages 6, 7, 8 — most of the crypto cost
 * of a TGS-REQ) are derived once rather than per request. Bounded, least recently used first out.
 * Holds keys the process holds anyway (each was just decrypted from a ticket); never leaves memory.
 */
export class SessionKeyCache {
  readonly #keys = new Map<string, Key>();
  readonly #max: number;

  constructor(max = 4096) {
    this.#max = max;
  }

  /** The Key for these bytes (Key.fromBytes rules: unsupported etype or bad length throw). */
  get(etype: number, bytes: Uint8Array): Key {
    const id = `${etype}:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')}`;
    const hit = this.#keys.get(id);
    if (hit !== undefined) {
      this.#keys.delete(id);
      this.#keys.set(id, hit);
      return hit;
    }
    const key = Key.fromBytes(etype, bytes);
    if (this.#keys.size >= this.#max) this.#keys.delete(this.#keys.keys().next().value as string);
    this.#keys.set(id, key);
    return key;
  }
}
