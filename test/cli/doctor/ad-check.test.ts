import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAd } from '../../../src/cli/doctor/ad-check.js';
import { checkConfig, type Finding, type Loaded } from '../../../src/cli/doctor/checks.js';
import { ETYPE, randomKey } from '../../../src/crypto/index.js';
import { LdapError, type LdapConnection, type LdapEntry, type LdapSearchRequest } from '../../../src/directory/index.js';
import { keySetPath, saveKeySet } from '../../../src/kdc/index.js';
import { KeySet } from '../../../src/ticket/index.js';
import { systemRandom } from '../../../src/util/index.js';

/**
 * checkAd against a scripted, in-memory directory shaped as `tgtbridge ad create-rodc` leaves a
 * Samba AD DC (samba-lab.md). It proves the comparison with the key set and the wording paths;
 * test/interop/samba-ad.test.ts is where the object is read from a real DC.
 */
const DOMAIN_DN = 'DC=demo,DC=test';
const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';
const N = 4242;

/** MS-DTYP 2.4.2.2 SID in binary: revision, count, 48-bit authority big-endian, sub-authorities little-endian. */
function sidBytes(sid: string): Uint8Array {
  const [, rev, auth, ...subs] = sid.split('-');
  const out = new Uint8Array(8 + 4 * subs.length);
  const dv = new DataView(out.buffer);
  out[0] = Number(rev);
  out[1] = subs.length;
  dv.setUint16(2, 0);
  dv.setUint32(4, Number(auth));
  subs.forEach((s, i) => dv.setUint32(8 + 4 * i, Number(s), true));
  return out;
}

interface Obj {
  readonly attrs: Record<string, string[]>;
  readonly sid?: string;
}

class ScriptedAd implements LdapConnection {
  readonly objects = new Map<string, Obj>();
  constructor(domainSid: string, rodc: { uac?: number; n?: number; v?: number } = {}) {
    const g = (rid: string) => `CN=G${rid},CN=Users,${DOMAIN_DN}`;
    this.objects.set('', { attrs: { defaultnamingcontext: [DOMAIN_DN] } });
    this.objects.set(DOMAIN_DN, { attrs: {}, sid: domainSid });
    const never = [['572', `${DOMAIN_SID}-572`], ['544', 'S-1-5-32-544'], ['549', 'S-1-5-32-549'], ['551', 'S-1-5-32-551'], ['548', 'S-1-5-32-548']] as const;
    for (const [rid, sid] of [['571', `${DOMAIN_SID}-571`], ...never] as const) this.objects.set(g(rid), { attrs: { samaccountname: [`G${rid}`] }, sid });
    this.objects.set(`CN=TGTBRIDGE,OU=Domain Controllers,${DOMAIN_DN}`, {
      attrs: {
        samaccountname: ['TGTBRIDGE$'],
        useraccountcontrol: [String(rodc.uac ?? 0x05001000)],
        'msds-supportedencryptiontypes': ['24'],
        primarygroupid: ['521'],
        'msds-krbtgtlink': [`CN=krbtgt_${rodc.n ?? N},CN=Users,${DOMAIN_DN}`],
        'msds-revealondemandgroup': [g('571')],
        'msds-neverrevealgroup': never.map(([rid]) => g(rid)),
      },
    });
    this.objects.set(`CN=krbtgt_${rodc.n ?? N},CN=Users,${DOMAIN_DN}`, {
      attrs: { samaccountname: [`krbtgt_${rodc.n ?? N}`], 'msds-secondarykrbtgtnumber': [String(rodc.n ?? N)], 'msds-keyversionnumber': [String(rodc.v ?? 1)], useraccountcontrol: ['514'] },
    });
  }

  private entry(dn: string, o: Obj): LdapEntry {
    return { dn, attributes: o.attrs, binary: o.sid === undefined ? {} : { objectsid: [sidBytes(o.sid)] } };
  }

  search(req: LdapSearchRequest): Promise<readonly LdapEntry[]> {
    if (req.scope === 'base') {
      const o = this.objects.get(req.base);
      return o === undefined ? Promise.reject(new LdapError('search', 32, 'no such object')) : Promise.resolve([this.entry(req.base, o)]);
    }
    const sam = /sAMAccountName=([^)]*)\)/.exec(req.filter)?.[1];
    return Promise.resolve([...this.objects].filter(([, o]) => o.attrs['samaccountname']?.[0] === sam).map(([dn, o]) => this.entry(dn, o)));
  }
  add(): Promise<void> {
    return Promise.reject(new Error('read-only'));
  }
  modify(): Promise<void> {
    return Promise.reject(new Error('read-only'));
  }
  rename(): Promise<void> {
    return Promise.reject(new Error('read-only'));
  }
  del(): Promise<void> {
    return Promise.reject(new Error('read-only'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('doctor: the RODC object in AD against the key set', () => {
  let loaded: Loaded;
  let dataDir: string;

  beforeAll(async () => {
    loaded = checkConfig(join(import.meta.dirname, '..', '..', '..', 'config', 'tgtbridge.yaml'), [])!;
    dataDir = join(mkdtempSync(join(tmpdir(), 'tgtb-doctor-ad-')), 'data');
    const key = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, systemRandom);
    await saveKeySet(keySetPath(dataDir), KeySet.of([{ realm: 'DEMO.TEST', rodcNumber: N, keyVersion: 1, kvno: ((N << 16) | 1) >>> 0, key, created: new Date() }]));
  });

  async function run(ad: ScriptedAd, name = 'TGTBRIDGE'): Promise<Finding[]> {
    const out: Finding[] = [];
    await checkAd(loaded, dataDir, { url: 'ldaps://dc.demo.test', bindDn: 'CN=Administrator', connect: async () => ad }, name, out);
    return out;
  }
  const statuses = (f: readonly Finding[]) => f.map((x) => x.status);

  it('an object as create-rodc leaves it, for the key set’s krbtgt_N and version: ok', async () => {
    expect(statuses(await run(new ScriptedAd(DOMAIN_SID)))).toEqual(['ok']);
  });

  it('another RODC number than the key set: fail', async () => {
    const f = await run(new ScriptedAd(DOMAIN_SID, { n: 4243 }));
    expect(statuses(f)).toEqual(['fail']);
    expect(f[0]!.text).toContain('krbtgt_4242');
  });

  it('a newer key version at the DC (reset after the export): fail', async () => {
    expect(statuses(await run(new ScriptedAd(DOMAIN_SID, { v: 2 })))).toEqual(['fail']);
  });

  it('another domain SID than the directory’s: fail', async () => {
    expect(statuses(await run(new ScriptedAd('S-1-5-21-1-2-3')))).toContain('fail');
  });

  it('a computer without PARTIAL_SECRETS_ACCOUNT: checkRodcObject’s warning as a failure', async () => {
    const f = await run(new ScriptedAd(DOMAIN_SID, { uac: 0x01001000 }));
    expect(f.some((x) => x.status === 'fail' && x.text.includes('NO_PARTIAL_SECRETS_ACCOUNT'))).toBe(true);
  });

  it('no such computer, and a DC that refuses the bind: fail', async () => {
    expect(statuses(await run(new ScriptedAd(DOMAIN_SID), 'OTHER'))).toEqual(['fail']);
    const out: Finding[] = [];
    await checkAd(loaded, dataDir, { url: 'ldaps://dc.demo.test', bindDn: 'CN=x', connect: () => Promise.reject(new LdapError('bind', 49, 'invalid credentials')) }, 'TGTBRIDGE', out);
    expect(statuses(out)).toEqual(['fail']);
  });
});
