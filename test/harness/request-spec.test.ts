import { describe, expect, it } from 'vitest';
import { authorizationDataCodec, KDC_OPTIONS, tgsReqCodec, TICKET_FLAGS } from '../../src/asn1/index.js';
import { decrypt, KEY_USAGE } from '../../src/crypto/index.js';
import { buildProbeRequest, mintForProbe, type MintSpec, type RequestSpec } from '../../src/harness/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { clock, NOW, REALM, rodcKeys, seededRandom, USERS } from './fixtures.js';

const keys = rodcKeys();
const mint = (spec: MintSpec = {}) => mintForProbe(spec, { realm: REALM, keys: keys.ring, user: USERS.allowed!, other: USERS.other!, clock, random: seededRandom(7) });
const build = (request: RequestSpec) => {
  const minted = mint();
  const out = buildProbeRequest({ minted, realm: REALM, target: 'krbtgt', cifsSpn: 'cifs/dc1.samba.test', request, send: () => Promise.reject(new Error('unused')), clock, random: seededRandom(8) });
  return { minted, body: tgsReqCodec.decode(out.built.der).reqBody, kdcOptions: out.kdcOptions };
};

describe('scenario request and mint fields', () => {
  it('mint flags are set on top of the bridge\'s in the sealed ticket', () => {
    const plain = openTicket(mint().ticket, keys.ring.aes256).encTicketPart.flags;
    const forwarded = openTicket(mint({ flags: ['forwarded'] }).ticket, keys.ring.aes256).encTicketPart.flags;
    expect(plain & TICKET_FLAGS.forwarded).toBe(0);
    expect(forwarded).toBe((plain | TICKET_FLAGS.forwarded) >>> 0);
  });

  it('clientRealm other names OTHER.INVALID in the ticket; snameOneComponent sends the SPN as one component', () => {
    const minted = mint({ clientRealm: 'other' });
    expect(openTicket(minted.ticket, keys.ring.aes256).encTicketPart.crealm).toBe('OTHER.INVALID');
    expect(minted.encTicketPart.crealm).toBe('OTHER.INVALID');
    const out = buildProbeRequest({ minted: mint(), realm: REALM, target: 'cifs', cifsSpn: 'cifs/dc1.samba.test', request: { snameOneComponent: true }, send: () => Promise.reject(new Error('unused')), clock, random: seededRandom(8) });
    expect(tgsReqCodec.decode(out.built.der).reqBody.sname?.nameString).toEqual(['cifs/dc1.samba.test']);
  });

  it('fromSec puts from into the body, without POSTDATED; anonymous sets request-anonymous', () => {
    const { body } = build({ fromSec: 3600 });
    expect(body.from?.getTime()).toBe(NOW.getTime() + 3600_000);
    expect(body.kdcOptions & KDC_OPTIONS.postdated).toBe(0);
    expect(build({}).body.from).toBeUndefined();
    const anon = build({ anonymous: true });
    expect(anon.body.kdcOptions & KDC_OPTIONS['request-anonymous']).toBe(KDC_OPTIONS['request-anonymous']);
    expect(anon.kdcOptions).toBe(anon.body.kdcOptions);
  });

  it('enc-authorization-data variants: an AD under usage 5, or non-AD bytes under usage 4, both with the session key', () => {
    const five = build({ encAuthorizationData: 'usage-5-without-subkey' });
    const ad = authorizationDataCodec.decode(decrypt(five.minted.sessionKey, KEY_USAGE.TGS_REQ_AD_SUBKEY, five.body.encAuthorizationData!.cipher));
    expect(ad.map((e) => e.adType)).toEqual([1]);
    const junk = build({ encAuthorizationData: 'not-authorization-data' });
    const plain = decrypt(junk.minted.sessionKey, KEY_USAGE.TGS_REQ_AD_SESSION_KEY, junk.body.encAuthorizationData!.cipher);
    expect(() => authorizationDataCodec.decode(plain)).toThrow();
    expect(build({}).body.encAuthorizationData).toBeUndefined();
  });
});
