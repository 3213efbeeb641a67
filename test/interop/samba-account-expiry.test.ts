import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { KDC_OPTIONS, NAME_TYPES, type PrincipalName } from '../../src/asn1/index.js';
import { ETYPE, randomKey } from '../../src/crypto/index.js';
import { decodeCcache } from '../../src/files/index.js';
import { mintForProbe, probeExchange, rodcKeyring, type RodcKeyring } from '../../src/harness/index.js';
import { isResponseTooBig, KdcReplyError, requestTgs, sendToKdc, type TgsResult } from '../../src/kdc/index.js';
import { buildAsRepForDelivery, openAsRep } from '../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../src/util/index.js';
import { useSambaDc } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';
import { CIFS_SPN, exportDirectory, prepareProbeLab, type ProbeLab } from './probe-lab.js';

/**
 * What Samba 4.17 AD DC does with ticket times when the client's accountExpires is near (docs/kdc.md
 * "Account expiry"), the figures the embedded KDC (test/kdc/service/account-expiry.test.ts) and the
 * bridge (test/ticket/as-rep-delivery.test.ts) are held to. The lab's ivan expires 2 h after
 * preparation (probe-lab.ts); alice never expires.
 */
const PYTHON = '/usr/bin/python3';

/** accountExpires of one lab user, as FILETIME text, straight into sam.ldb (the DC keeps running). */
const SET_EXPIRES = String.raw`
import sys, ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
lp = LoadParm(); lp.load(sys.argv[1])
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
m = ldb.Message(); m.dn = ldb.Dn(db, "CN=%s,CN=Users,%s" % (sys.argv[2], db.domain_dn()))
m["accountExpires"] = ldb.MessageElement(sys.argv[3], ldb.FLAG_MOD_REPLACE, "accountExpires")
db.modify(m)
`;

/** An AS exchange by impacket; the EncASRepPart opened with the password's key, printed as JSON. */
const AS_REP = String.raw`
import json, sys
from impacket.krb5 import constants
from impacket.krb5.asn1 import AS_REP, EncASRepPart
from impacket.krb5.crypto import _enctype_table
from impacket.krb5.kerberosv5 import getKerberosTGT
from impacket.krb5.types import Principal
from pyasn1.codec.der import decoder
user, password, realm, kdc = sys.argv[1:5]
tgt, _, _, _ = getKerberosTGT(Principal(user, type=constants.PrincipalNameType.NT_PRINCIPAL.value), password, realm, '', '', None, kdc)
rep = decoder.decode(tgt, asn1Spec=AS_REP())[0]
c = _enctype_table[int(rep['enc-part']['etype'])]
part = decoder.decode(c.decrypt(c.string_to_key(password, realm + user, None), 3, bytes(rep['enc-part']['cipher'])), asn1Spec=EncASRepPart())[0]
print(json.dumps({"lastReq": [[int(x['lr-type']), str(x['lr-value'])] for x in part['last-req']],
                  "keyExpiration": str(part['key-expiration']) if part['key-expiration'].hasValue() else None}))
`;

/** KerberosTime text (YYYYMMDDHHMMSSZ) as a Date. */
function kerberosTime(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (m === null) throw new Error(`not a KerberosTime: ${s}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

const filetime = (d: Date): string => String((BigInt(Math.floor(d.getTime() / 1000)) + 11644473600n) * 10_000_000n);
const name = (s: string): PrincipalName => ({ nameType: NAME_TYPES['NT-SRV-INST'], nameString: s.split('/') });

describeWithPeers('Samba AD DC: ticket times against accountExpires', ['root', 'ip', 'samba', 'samba-tool', 'kinit', PYTHON], () => {
  const samba = useSambaDc();
  let lab: ProbeLab;
  let keys: RodcKeyring;
  let expires: Date;
  let send: (der: Uint8Array) => Promise<Uint8Array>;

  const setExpires = async (user: string, value: string) => {
    const r = await samba().exec([PYTHON, '-c', SET_EXPIRES, samba().smbConf, user, value]);
    if (r.code !== 0) throw new Error(`setting accountExpires failed: ${r.stderr}`);
  };
  /** ivan's partial TGT (10 h, renewable 7 d) exchanged for `target`. */
  const exchange = async (target: 'krbtgt' | 'cifs') => {
    const ivan = lab.users['expires-soon']!;
    const minted = mintForProbe({ user: 'expires-soon' }, { realm: lab.realm, keys, user: ivan, other: lab.users.allowed!, clock: systemClock, random: systemRandom });
    return { minted, outcome: await probeExchange({ minted, realm: lab.realm, target, cifsSpn: CIFS_SPN, request: { renewable: true }, send, clock: systemClock, random: systemRandom }) };
  };
  const fullTgtOfIvan = async (): Promise<TgsResult> => {
    const { outcome } = await exchange('krbtgt');
    if (outcome.kind !== 'reply') throw new Error(`no full TGT: ${JSON.stringify(outcome)}`);
    return outcome.result;
  };
  const tgs = (full: TgsResult, sname: string, kdcOptions: number) =>
    requestTgs({
      tgt: { ticket: full.ticket, sessionKey: full.sessionKey, crealm: lab.realm, cname: full.rep.cname },
      sname: name(sname),
      srealm: lab.realm,
      kdcOptions,
      till: new Date(Date.now() + 10 * 3600_000),
      send,
      clock: systemClock,
      random: systemRandom,
    });

  it('prepares the lab: ivan expires in 2 h', async () => {
    lab = await prepareProbeLab(samba());
    keys = rodcKeyring(lab.rodcKeys);
    const kdc = await samba().forwardKdc();
    send = (der) => sendToKdc([{ host: kdc.host, port: kdc.port }], der, { isResponseTooBig });
    const doc = (await exportDirectory(samba())) as { users: { sAMAccountName: string; accountExpires?: string }[] };
    expires = new Date(doc.users.find((u) => u.sAMAccountName === 'ivan')!.accountExpires!);
    expect(expires.getTime() - Date.now()).toBeGreaterThan(1.9 * 3600_000);
  });

  it('AS (MIT kinit -l 10h -r 7d): the full lifetime and renew time, not cut at accountExpires', async () => {
    const cc = join(samba().dir, 'krb5cc_ivan');
    const r = await samba().exec(['kinit', '-l', '10h', '-r', '7d', '-c', `FILE:${cc}`, `ivan@${lab.realm}`], { input: `${samba().password}\n` });
    expect(r.code, r.stderr).toBe(0);
    const tgt = decodeCcache(new Uint8Array(readFileSync(cc))).credentials.find((c) => c.server.components[0] === 'krbtgt')!;
    expect(tgt.endtime.getTime() - tgt.authtime.getTime()).toBe(10 * 3600_000);
    expect(tgt.renewTill.getTime() - tgt.authtime.getTime()).toBe(7 * 86400_000);
    expect(tgt.endtime.getTime()).toBeGreaterThan(expires.getTime());
  });

  it("the AS-REP tells accountExpires in last-req (7) and key-expiration, and the bridge's delivered AS-REP tells it alike", async () => {
    const asRep = async (user: string) => {
      const r = await samba().exec([PYTHON, '-c', AS_REP, user, samba().password, lab.realm, samba().kdcHost]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { lastReq: [number, string][]; keyExpiration: string | null };
    };
    const ivan = await asRep('ivan');
    expect(ivan.lastReq.map(([t, v]) => [t, kerberosTime(v).toISOString()])).toEqual([[7, expires.toISOString()]]);
    expect(ivan.keyExpiration && kerberosTime(ivan.keyExpiration).toISOString()).toBe(expires.toISOString());
    const alice = await asRep('alice');
    expect(alice.lastReq.map(([t]) => t)).toEqual([0]);
    expect(alice.keyExpiration).toBeNull();

    const minted = mintForProbe({ user: 'expires-soon' }, { realm: lab.realm, keys, user: lab.users['expires-soon']!, other: lab.users.allowed!, clock: systemClock, random: systemRandom });
    const clientKey = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
    const ours = openAsRep(buildAsRepForDelivery({ ticket: minted.ticket, encTicketPart: minted.encTicketPart, clientKey, accountExpires: expires, random: systemRandom }), clientKey);
    expect(ours.encPart.lastReq.map((l) => [l.lrType, l.lrValue.toISOString()])).toEqual([[7, expires.toISOString()]]);
    expect(ours.encPart.keyExpiration?.toISOString()).toBe(expires.toISOString());
  });

  it("TGS: the partial TGT's endtime and renew-till, for krbtgt and cifs, then for cifs and RENEW from the full TGT", async () => {
    for (const target of ['krbtgt', 'cifs'] as const) {
      const { minted, outcome } = await exchange(target);
      if (outcome.kind !== 'reply') throw new Error(`${target}: ${JSON.stringify(outcome)}`);
      expect(outcome.result.encPart.endtime).toEqual(minted.encTicketPart.endtime);
      expect(outcome.result.encPart.renewTill).toEqual(minted.encTicketPart.renewTill);
    }
    const full = await fullTgtOfIvan();
    const cifs = await tgs(full, CIFS_SPN, (KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable) >>> 0);
    expect(cifs.encPart.endtime).toEqual(full.encPart.endtime);
    expect(cifs.encPart.endtime.getTime()).toBeGreaterThan(expires.getTime());
    const renewed = await tgs(full, `krbtgt/${lab.realm}`, (KDC_OPTIONS.renew | KDC_OPTIONS.forwardable) >>> 0);
    expect(renewed.encPart.endtime.getTime()).toBeGreaterThan(expires.getTime());
  });

  it('refuses with 1 only after the second of accountExpires; a full TGT too', async () => {
    // Sent 150 ms into second E the exchange is served; 1.1 s after E it is refused. A slow answer
    // (the DC reads the clock when the request arrives) is retried rather than misread.
    const at = async (offsetMs: number): Promise<string> => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const e = new Date((Math.floor(Date.now() / 1000) + 2) * 1000);
        await setExpires('ivan', filetime(e));
        while (Date.now() < e.getTime() + offsetMs) await new Promise((r) => setTimeout(r, 10));
        const t0 = Date.now();
        const { outcome } = await exchange('cifs');
        if (Date.now() - e.getTime() < Math.floor(offsetMs / 1000) * 1000 + 1000 && Date.now() - t0 < 500) return outcome.kind === 'error' ? outcome.name : outcome.kind;
      }
      throw new Error('the DC never answered within the second measured');
    };
    expect(await at(150)).toBe('reply');
    expect(await at(1100)).toBe('KDC_ERR_NAME_EXP');

    await setExpires('ivan', filetime(new Date(Date.now() + 3600_000)));
    const full = await fullTgtOfIvan();
    await setExpires('ivan', filetime(new Date(Date.now() - 60_000)));
    const refused = async (p: Promise<unknown>) => p.then(() => 'reply', (e: unknown) => (e instanceof KdcReplyError ? e.code : String(e)));
    expect(await refused(tgs(full, CIFS_SPN, KDC_OPTIONS.forwardable))).toBe('KDC_ERR_NAME_EXP');
    expect(await refused(tgs(full, `krbtgt/${lab.realm}`, (KDC_OPTIONS.renew | KDC_OPTIONS.forwardable) >>> 0))).toBe('KDC_ERR_NAME_EXP');
  });
});
