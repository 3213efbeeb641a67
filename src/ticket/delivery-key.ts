import { createECDH, createPublicKey, hkdfSync, type JsonWebKey } from 'node:crypto';
import { ETYPE, randomToKey, type Key } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { utf8 } from '../util/index.js';

/**
 * The per-login client key of the device delivery (docs/device-login.md): the AS-REP's enc-part
 * (key usage 3) is encrypted under a key that agent and bridge agree by ephemeral-ephemeral ECDH
 * on P-256 (SEC 1 §3.3.1; NIST SP 800-56A C(2e, 0s)), then HKDF-SHA256 (RFC 5869):
 *
 *   Z    = x-coordinate of agentPriv · bridgePub  (= bridgePriv · agentPub), 32 bytes
 *   salt = ASCII(code_challenge)                   (the PKCE S256 challenge, RFC 7636 §4.2)
 *   info = "tgtbridge partial-tgt v1" ‖ 0x00 ‖ len16 ‖ realm ‖ len16 ‖ cname ‖ agentPub ‖ bridgePub
 *   OKM  = HKDF(salt, Z, info, 32) → random-to-key(aes256-cts-hmac-sha1-96)
 *
 * realm and cname are the AS-REP's unencrypted crealm/cname; putting them (length-prefixed, so
 * no two different pairs give the same bytes) and both public keys (65-byte uncompressed SEC 1
 * points) into info means a change to any of them gives another key and the enc-part fails its
 * integrity check: the plain header of the AS-REP is authenticated by the decryption.
 */
export const DELIVERY_KDF = 'ECDH-P256+HKDF-SHA256;salt=code_challenge;info=tgtbridge partial-tgt v1' as const;
export const DELIVERY_INFO_LABEL = 'tgtbridge partial-tgt v1' as const;

/** SEC 1 §2.3.3 uncompressed point: 0x04 ‖ X ‖ Y, 32 bytes each for P-256. */
export const P256_POINT_LENGTH = 65;

/** RFC 5480 §2: SubjectPublicKeyInfo { id-ecPublicKey, secp256r1 } up to the BIT STRING's point. */
const SPKI_P256_PREFIX = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
  0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
]);

function badKey(why: string): never {
  throw new TgtbridgeError('ERR_CRYPTO_KEY', `not a usable P-256 public key: ${why}`);
}

function pointFromJwk(jwk: JsonWebKey): Uint8Array {
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return badKey('JWK without x and y');
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y, 'base64url');
  if (x.length !== 32 || y.length !== 32) return badKey('coordinates are not 32 bytes');
  const point = new Uint8Array(P256_POINT_LENGTH);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  return point;
}

/**
 * Parse a P-256 public key as the agent or the bridge sends it: base64url of a DER
 * SubjectPublicKeyInfo (RFC 5480), or base64url of a JSON Web Key {kty EC, crv P-256, x, y}
 * (RFC 7518 §6.2.1). OpenSSL decodes the point and refuses one that is not on the curve (or the
 * point at infinity), so a small-subgroup or invalid-curve point never reaches the ECDH.
 * Returns the 65-byte uncompressed point; ERR_CRYPTO_KEY otherwise.
 */
export function parseP256PublicKey(text: string): Uint8Array {
  if (text.length === 0 || text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) return badKey('expected base64url');
  const bytes = Buffer.from(text, 'base64url');
  let key;
  try {
    if (bytes[0] === 0x7b /* '{' */) {
      const jwk: unknown = JSON.parse(bytes.toString('utf8'));
      if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return badKey('JWK is not an object');
      const j = jwk as Record<string, unknown>;
      if (j['kty'] !== 'EC' || j['crv'] !== 'P-256' || 'd' in j) return badKey('JWK is not a public EC P-256 key');
      key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: j['x'], y: j['y'] } as JsonWebKey, format: 'jwk' });
    } else {
      key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    }
  } catch (e) {
    if (e instanceof TgtbridgeError) throw e;
    return badKey('it does not decode as a point on the curve');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return badKey('not an EC key on P-256');
  return pointFromJwk(key.export({ format: 'jwk' }));
}

/** base64url DER SubjectPublicKeyInfo of an uncompressed P-256 point. */
export function encodeP256PublicKey(point: Uint8Array): string {
  if (point.length !== P256_POINT_LENGTH || point[0] !== 0x04) throw new RangeError('expected a 65-byte uncompressed P-256 point');
  return Buffer.concat([SPKI_P256_PREFIX, point]).toString('base64url');
}

/** An ephemeral P-256 key pair; the private half never leaves the object and is never printed. */
export interface EphemeralP256 {
  /** 65-byte uncompressed point. */
  readonly publicKey: Uint8Array;
  /** base64url SPKI of publicKey, as sent on the wire. */
  readonly publicKeyText: string;
  /** ECDH shared secret Z with the peer's uncompressed point (32 bytes); throws ERR_CRYPTO_KEY for a bad point. */
  agree(peerPoint: Uint8Array): Uint8Array;
}

export function generateEphemeralP256(): EphemeralP256 {
  const ecdh = createECDH('prime256v1');
  const publicKey = new Uint8Array(ecdh.generateKeys());
  return {
    publicKey,
    publicKeyText: encodeP256PublicKey(publicKey),
    agree(peer) {
      try {
        return new Uint8Array(ecdh.computeSecret(peer));
      } catch {
        return badKey('the peer point is not on the curve');
      }
    },
    toString: () => '[EphemeralP256]',
  } as EphemeralP256;
}

export interface DeliveryKeyInput {
  /** Z from EphemeralP256.agree. Zeroed after use. */
  readonly sharedSecret: Uint8Array;
  readonly codeChallenge: string;
  readonly realm: string;
  /** The client principal's name-string components (the AS-REP cname). */
  readonly cname: readonly string[];
  readonly agentKey: Uint8Array;
  readonly bridgeKey: Uint8Array;
}

function lengthPrefixed(text: string): Uint8Array {
  const b = utf8(text);
  if (b.length > 0xffff) throw new RangeError('delivery-key info field longer than 65535 bytes');
  const out = new Uint8Array(2 + b.length);
  out[0] = b.length >> 8;
  out[1] = b.length & 0xff;
  out.set(b, 2);
  return out;
}

/** The HKDF info of DELIVERY_KDF (exported for tests that recompute the key independently). */
export function deliveryKeyInfo(input: Omit<DeliveryKeyInput, 'sharedSecret' | 'codeChallenge'>): Uint8Array {
  if (input.agentKey.length !== P256_POINT_LENGTH || input.bridgeKey.length !== P256_POINT_LENGTH) throw new RangeError('public keys must be 65-byte points');
  return Buffer.concat([utf8(DELIVERY_INFO_LABEL), Uint8Array.of(0), lengthPrefixed(input.realm), lengthPrefixed(input.cname.join('/')), input.agentKey, input.bridgeKey]);
}

/** The AES256 client key of DELIVERY_KDF. Both sides call this with the same inputs. */
export function deriveDeliveryKey(input: DeliveryKeyInput): Key {
  if (input.sharedSecret.length !== 32) throw new RangeError('a P-256 shared secret is 32 bytes');
  const okm = new Uint8Array(hkdfSync('sha256', input.sharedSecret, utf8(input.codeChallenge), deliveryKeyInfo(input), 32));
  input.sharedSecret.fill(0);
  const key = randomToKey(ETYPE.AES256_CTS_HMAC_SHA1_96, okm);
  okm.fill(0);
  return key;
}
