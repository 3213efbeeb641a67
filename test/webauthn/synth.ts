/**
 * WebAuthn responses synthesized in Node, for browser-free tests and the benchmark: a P-256
 * credential key, its COSE_Key (RFC 9053 §7.1.1), authenticator data (WebAuthn L3 §6.1), the
 * ES256 signature over authData ‖ SHA-256(clientDataJSON) (§6.3.3), and "none" or "packed"
 * attestation (§8.2) with an x5c chain to a test CA built with pkijs.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

// ---- minimal CBOR (RFC 8949) encoder: unsigned/negative ints, bytes, text, arrays, maps ----
type Cbor = number | string | Uint8Array | readonly Cbor[] | Map<Cbor, Cbor>;
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
}

const b64u = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export interface SynthCredential {
  readonly id: Buffer;
  readonly key: KeyObject;
  readonly cose: Buffer;
  /** user.id of the registration (base64url), kept as a discoverable credential keeps it and returned in assertions. */
  userHandle?: string;
}

export function newCredential(): SynthCredential {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  return { id: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))), key: privateKey, cose };
}

export interface Rp {
  readonly rpId: string;
  readonly origin: string;
}

export function aaguidBytes(aaguid: string): Buffer {
  return Buffer.from(aaguid.replace(/-/g, ''), 'hex');
}

export interface Attestation {
  /** Attestation private key and x5c (leaf first, DER). */
  readonly key: KeyObject;
  readonly x5c: readonly Uint8Array[];
}

export interface RegOptions {
  readonly flags?: number;
  readonly counter?: number;
  readonly aaguid?: string;
  readonly attestation?: Attestation | 'self';
  readonly origin?: string;
  readonly type?: string;
  /** More CollectedClientData members (WebAuthn L3 §5.8.1), e.g. crossOrigin or topOrigin. */
  readonly clientData?: Readonly<Record<string, unknown>>;
  /** The options' user.id: the credential keeps it, as a resident key does, and returns it when asserting. */
  readonly userId?: string;
}

/** user.id from creation options as the bridge's JSON API returns them (PublicKeyCredentialCreationOptionsJSON). */
export function userIdOf(options: Readonly<Record<string, unknown>>): string {
  const user = options['user'] as { id?: unknown } | undefined;
  if (typeof user?.id !== 'string') throw new Error('creation options without user.id');
  return user.id;
}

export function registrationResponse(rp: Rp, challenge: string, cred: SynthCredential, o: RegOptions = {}) {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: o.type ?? 'webauthn.create', challenge, origin: o.origin ?? rp.origin, crossOrigin: false, ...o.clientData }));
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(o.counter ?? 0);
  const idLen = Buffer.alloc(2);
  idLen.writeUInt16BE(cred.id.length);
  const flags = (o.flags ?? FLAGS.UP | FLAGS.UV) | FLAGS.AT;
  const authData = Buffer.concat([sha256(rp.rpId), Buffer.from([flags]), counter, aaguidBytes(o.aaguid ?? '00000000-0000-0000-0000-000000000000'), idLen, cred.id, cred.cose]);
  let fmt = 'none';
  let attStmt = new Map<Cbor, Cbor>();
  if (o.attestation !== undefined) {
    fmt = 'packed';
    const signer = o.attestation === 'self' ? cred.key : o.attestation.key;
    const sig = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), signer);
    attStmt = new Map<Cbor, Cbor>([['alg', -7], ['sig', sig]]);
    if (o.attestation !== 'self') attStmt.set('x5c', o.attestation.x5c.map((c) => new Uint8Array(c)));
  }
  const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', fmt], ['attStmt', attStmt], ['authData', authData]]));
  if (o.userId !== undefined) cred.userHandle = o.userId;
  return {
    id: b64u(cred.id), rawId: b64u(cred.id), type: 'public-key' as const, clientExtensionResults: {},
    response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ['internal'] },
  };
}

export interface AssertOptions {
  readonly flags?: number;
  readonly counter?: number;
  /** Default: the handle the credential kept at registration; null sends none. */
  readonly userHandle?: string | null;
  readonly origin?: string;
  readonly badSignature?: boolean;
  /** More CollectedClientData members (WebAuthn L3 §5.8.1), e.g. crossOrigin or topOrigin. */
  readonly clientData?: Readonly<Record<string, unknown>>;
}

export function assertionResponse(rp: Rp, challenge: string, cred: SynthCredential, o: AssertOptions = {}) {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: o.origin ?? rp.origin, crossOrigin: false, ...o.clientData }));
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(o.counter ?? 0);
  const authData = Buffer.concat([sha256(rp.rpId), Buffer.from([o.flags ?? FLAGS.UP | FLAGS.UV]), counter]);
  const sig = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), cred.key);
  if (o.badSignature) sig[sig.length - 1]! ^= 1;
  const userHandle = o.userHandle === null ? undefined : (o.userHandle ?? cred.userHandle);
  return {
    id: b64u(cred.id), rawId: b64u(cred.id), type: 'public-key' as const, clientExtensionResults: {},
    response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authData), signature: b64u(sig), ...(userHandle !== undefined ? { userHandle } : {}) },
  };
}

// ---- test CA (pkijs) ----
pkijs.setEngine('node', new pkijs.CryptoEngine({ crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }));
const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export interface TestCert {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly cert: pkijs.Certificate;
  readonly keys: CryptoKeyPair;
  readonly nodeKey: KeyObject;
}

/** A Name with one attribute per RDN (RFC 5280 §4.1.2.4): the library reads one value per SET. */
function dn(attrs: readonly [string, string][]): pkijs.RelativeDistinguishedNames {
  const oids: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };
  const name = new asn1js.Sequence({
    value: attrs.map(([k, v]) => new asn1js.Set({
      value: [new pkijs.AttributeTypeAndValue({
        type: oids[k]!, value: k === 'C' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
      }).toSchema()],
    })),
  });
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(name.toBER(false)).result });
}

/** Issue a certificate; `issuer` undefined = self-signed. */
export async function issueCert(subject: readonly [string, string][], ca: boolean, issuer?: TestCert, aaguid?: string, validity?: { from: Date; to: Date }): Promise<TestCert> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: Math.floor(Math.random() * 1e9) + 1 });
  cert.subject = dn(subject);
  cert.issuer = issuer ? issuer.cert.subject : dn(subject);
  cert.notBefore.value = validity?.from ?? new Date(Date.now() - 86400_000);
  cert.notAfter.value = validity?.to ?? new Date(Date.now() + 365 * 86400_000);
  const extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: ca }).toSchema().toBER(false), parsedValue: new pkijs.BasicConstraints({ cA: ca }) }),
  ];
  if (aaguid) {
    // id-fido-gen-ce-aaguid (WebAuthn §8.2.1): OCTET STRING wrapping the 16-byte AAGUID.
    extensions.push(new pkijs.Extension({ extnID: '1.3.6.1.4.1.45724.1.1.4', extnValue: new asn1js.OctetString({ valueHex: aaguidBytes(aaguid) }).toBER(false) }));
  }
  cert.extensions = extensions;
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(issuer ? issuer.keys.privateKey : keys.privateKey, 'SHA-256');
  const der = new Uint8Array(cert.toSchema().toBER(false));
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { der, pem, cert, keys, nodeKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) };
}

/** A test CA and a packed-attestation leaf (WebAuthn §8.2.1 certificate requirements). */
export async function testAttestationCa(aaguid: string): Promise<{ root: TestCert; leaf: TestCert; attestation: Attestation }> {
  const root = await issueCert([['C', 'DE'], ['O', 'tgtbridge test CA'], ['CN', 'Test Attestation Root']], true);
  const leaf = await issueCert([['C', 'DE'], ['O', 'tgtbridge test'], ['OU', 'Authenticator Attestation'], ['CN', 'Test Authenticator']], false, root, aaguid);
  return { root, leaf, attestation: { key: leaf.nodeKey, x5c: [leaf.der] } };
}
