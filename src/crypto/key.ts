import { inspect } from 'node:util';
import { TgtbridgeError } from '../errors/index.js';
import { KEY_LENGTH, etypeName } from './constants.js';

// Declared before the class: its static block assigns them while the class is being defined.

/** Module-internal (not exported from index.ts): the profiles read the bytes without a copy. */
export let readKeyBytes: (key: Key) => Uint8Array;

/**
 * Module-internal: the value derived from `key` for `slot` (a profile-chosen number, e.g. usage and
 * RFC 3961 constant byte), computed once per key.
 */
export let cachedDerivation: <T>(key: Key, slot: number, derive: (bytes: Uint8Array) => T) => T;

/**
 * A Kerberos protocol key (RFC 3961 §3: "protocol key") bound to its encryption type.
 *
 * The bytes live in a private field: toString, toJSON and util.inspect show the etype only, so a
 * key that ends up in a log line or a JSON dump reveals nothing. `exportBytes()` is the one
 * deliberate way out (keytab writers, KRB-CRED).
 *
 * A Key also caches the keys derived from it per (usage, purpose): RFC 3961 §5.3 derives Ke/Ki/Kc
 * from the base key for every key usage, and re-deriving them costs more than encrypting a ticket.
 */
export class Key {
  readonly etype: number;
  readonly #bytes: Uint8Array;
  readonly #derived = new Map<number, unknown>();

  static {
    readKeyBytes = (key) => key.#bytes;
    cachedDerivation = (key, slot, derive) => {
      const hit = key.#derived.get(slot);
      if (hit !== undefined) return hit as never;
      const value = derive(key.#bytes);
      // Usages come from our own code, so the map stays small; the bound only guards misuse.
      if (key.#derived.size >= 256) key.#derived.clear();
      key.#derived.set(slot, value);
      return value;
    };
  }

  private constructor(etype: number, bytes: Uint8Array) {
    this.etype = etype;
    this.#bytes = bytes;
  }

  /**
   * A key of `etype` from its raw bytes (copied). Unsupported etype → ERR_CRYPTO_ETYPE; a length
   * that is not the etype's key length → ERR_CRYPTO_KEY.
   */
  static fromBytes(etype: number, bytes: Uint8Array): Key {
    const length = KEY_LENGTH.get(etype);
    if (length === undefined) {
      throw new TgtbridgeError('ERR_CRYPTO_ETYPE', `unsupported encryption type ${etypeName(etype)}`);
    }
    if (bytes.length !== length) {
      throw new TgtbridgeError(
        'ERR_CRYPTO_KEY',
        `${etypeName(etype)} key must be ${length} bytes, got ${bytes.length}`,
      );
    }
    return new Key(etype, Uint8Array.from(bytes));
  }

  /** A copy of the key bytes. The only way to get them out. */
  exportBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  toString(): string {
    return `Key(${etypeName(this.etype)})`;
  }

  toJSON(): { etype: number } {
    return { etype: this.etype };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
