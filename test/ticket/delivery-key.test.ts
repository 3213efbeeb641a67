import { createECDH, generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asRepCodec } from '../../src/asn1/index.js';
import {
  buildAsRepForDelivery,
  DELIVERY_INFO_LABEL,
  deliveryKeyInfo,
  deriveDeliveryKey,
  encodeP256PublicKey,
  generateEphemeralP256,
  mintPartialTgt,
  openAsRep,
  parseP256PublicKey,
} from '../../src/ticket/index.js';
import { aes256, ALICE, clock, seededRandom } from './support.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function bothSides(realm = 'DEMO.TEST', cname: readonly string[] = ['alice']) {
  const agent = generateEphemeralP256();
  const bridge = generateEphemeralP256();
  const onBridge = deriveDeliveryKey({ sharedSecret: bridge.agree(agent.publicKey), codeChallenge: CHALLENGE, realm, cname, agentKey: agent.publicKey, bridgeKey: bridge.publicKey });
  const onAgent = deriveDeliveryKey({ sharedSecret: agent.agree(bridge.publicKey), codeChallenge: CHALLENGE, realm, cname, agentKey: agent.publicKey, bridgeKey: bridge.publicKey });
  return { agent, bridge, onBridge, onAgent };
}

describe('delivery key: ECDH P-256 + HKDF-SHA256 → aes256-cts-hmac-sha1-96', () => {
  it('agent and bridge derive the same AES256 key', () => {
    const { onBridge, onAgent } = bothSides();
    expect(onBridge.etype).toBe(18);
    expect(Buffer.from(onAgent.exportBytes())).toEqual(Buffer.from(onBridge.exportBytes()));
  });

  it('equals an independent WebCrypto computation (ECDH deriveBits, HKDF deriveBits) of the documented KDF', async () => {
    const agent = generateEphemeralP256();
    const bridge = generateEphemeralP256();
    const ours = deriveDeliveryKey({ sharedSecret: agent.agree(bridge.publicKey), codeChallenge: CHALLENGE, realm: 'D.T', cname: ['bob'], agentKey: agent.publicKey, bridgeKey: bridge.publicKey });
    // HKDF half: WebCrypto's HKDF over the same Z, salt and info.
    const z = bridge.agree(agent.publicKey);
    const hk = await webcrypto.subtle.importKey('raw', z, 'HKDF', false, ['deriveBits']);
    const info = Buffer.concat([Buffer.from(DELIVERY_INFO_LABEL), Buffer.from([0, 0, 3]), Buffer.from('D.T'), Buffer.from([0, 3]), Buffer.from('bob'), agent.publicKey, bridge.publicKey]);
    expect(Buffer.from(deliveryKeyInfo({ realm: 'D.T', cname: ['bob'], agentKey: agent.publicKey, bridgeKey: bridge.publicKey }))).toEqual(info);
    const okm = Buffer.from(await webcrypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: Buffer.from(CHALLENGE), info }, hk, 256));
    expect(Buffer.from(ours.exportBytes())).toEqual(okm);

    // ECDH itself against WebCrypto: a WebCrypto key pair and ours agree on Z.
    const wc = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const wcPub = new Uint8Array(await webcrypto.subtle.exportKey('raw', wc.publicKey));
    const ourPub = await webcrypto.subtle.importKey('raw', agent.publicKey, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
    const wcZ = Buffer.from(await webcrypto.subtle.deriveBits({ name: 'ECDH', public: ourPub }, wc.privateKey, 256));
    expect(Buffer.from(agent.agree(wcPub))).toEqual(wcZ);
  });

  it('any change of challenge, realm, cname or either public key gives another key', () => {
    const agent = generateEphemeralP256();
    const bridge = generateEphemeralP256();
    const other = generateEphemeralP256();
    const base = { codeChallenge: CHALLENGE, realm: 'D.T', cname: ['alice'], agentKey: agent.publicKey, bridgeKey: bridge.publicKey };
    const k = (change: Partial<typeof base>) => Buffer.from(deriveDeliveryKey({ sharedSecret: agent.agree(bridge.publicKey), ...base, ...change }).exportBytes()).toString('hex');
    const ref = k({});
    const variants = [
      k({ codeChallenge: `F${CHALLENGE.slice(1)}` }), k({ realm: 'D.U' }), k({ cname: ['alicf'] }), k({ cname: ['ali', 'ce'] }),
      // Length prefixes: moving a character between realm and cname changes the key.
      k({ realm: 'D.Ta', cname: ['lice'] }),
      k({ agentKey: other.publicKey }), k({ bridgeKey: other.publicKey }),
    ];
    expect(new Set([ref, ...variants]).size).toBe(variants.length + 1);
  });

  it('parses SPKI and JWK, compressed points too, and refuses off-curve points, other curves and private JWKs', () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const point = new Uint8Array(ecdh.getPublicKey());
    expect(Buffer.from(parseP256PublicKey(encodeP256PublicKey(point)))).toEqual(Buffer.from(point));
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    expect(parseP256PublicKey(Buffer.from(JSON.stringify(jwk)).toString('base64url'))).toHaveLength(65);
    // SPKI with a compressed point (RFC 5480 allows it); normalized to the uncompressed form.
    const compressed = new Uint8Array(ecdh.getPublicKey(null, 'compressed'));
    const spkiCompressed = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), compressed]).toString('base64url');
    expect(Buffer.from(parseP256PublicKey(spkiCompressed))).toEqual(Buffer.from(point));

    const offCurve = Uint8Array.from(point);
    offCurve[64]! ^= 1;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'der', type: 'spki' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
    const priv = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const bad = [
      Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'), offCurve]).toString('base64url'),
      Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'), new Uint8Array(65)]).toString('base64url'),
      Buffer.from(p384).toString('base64url'),
      Buffer.from(rsa).toString('base64url'),
      Buffer.from(JSON.stringify(priv)).toString('base64url'),
      Buffer.from(JSON.stringify({ kty: 'EC', crv: 'P-256', x: jwk.x })).toString('base64url'),
      Buffer.from('{not json').toString('base64url'),
      '', 'a+b/', 'A'.repeat(600),
    ];
    for (const text of bad) expect(() => parseP256PublicKey(text), text.slice(0, 20)).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }));
    expect(() => generateEphemeralP256().agree(offCurve)).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }));
  });

  it('never shows the private key when printed', () => {
    const k = generateEphemeralP256();
    expect(String(k)).toBe('[EphemeralP256]');
    expect(JSON.stringify(k)).not.toMatch(/"d"/);
  });
});

describe('AS-REP under the delivery key', () => {
  const minted = mintPartialTgt({ user: ALICE, realm: 'DEMO.TEST', rodcKey: { key: aes256(1), rodcNumber: 7, keyVersion: 1 }, clock, random: seededRandom() });

  it('the agent opens what the bridge built: same ticket, same session key', () => {
    const { onBridge, onAgent } = bothSides('DEMO.TEST', ['alice']);
    const bytes = buildAsRepForDelivery({ ticket: minted.ticket, encTicketPart: minted.encTicketPart, clientKey: onBridge, random: seededRandom('x') });
    const opened = openAsRep(bytes, onAgent);
    expect(Buffer.from(opened.sessionKey.exportBytes())).toEqual(Buffer.from(minted.sessionKey.exportBytes()));
    expect(opened.asRep.ticket).toEqual(minted.ticket);
    expect(opened.asRep.ticket.encPart.kvno).toBe(minted.kvno);
  });

  it('a rewritten clear cname makes the agent derive another key: integrity error, nothing opened', () => {
    const { agent, bridge, onBridge } = bothSides('DEMO.TEST', ['alice']);
    const bytes = buildAsRepForDelivery({ ticket: minted.ticket, encTicketPart: minted.encTicketPart, clientKey: onBridge, random: seededRandom('y') });
    const rep = asRepCodec.decode(bytes);
    const forged = asRepCodec.encode({ ...rep, cname: { ...rep.cname, nameString: ['mallory'] } });
    const agentKey = deriveDeliveryKey({ sharedSecret: agent.agree(bridge.publicKey), codeChallenge: CHALLENGE, realm: 'DEMO.TEST', cname: ['mallory'], agentKey: agent.publicKey, bridgeKey: bridge.publicKey });
    expect(() => openAsRep(forged, agentKey)).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
  });
});
