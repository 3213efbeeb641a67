import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCcache } from '../../src/files/index.js';
import { checkImpacketSilverCcache, type ImpacketSilverExpectation } from '../support/impacket-silver.js';

/**
 * The python3-impacket ticketer.py silver tickets kept in krb-fixtures/impacket/ (made by
 * scripts/lab/impacket-silver.sh with a pinned clock and seed; the interop test regenerates them
 * byte for byte): decrypted, PAC decoded and re-encoded byte-identically, signatures verified as
 * impacket made them — both with the service key, the KDC one therefore not with a krbtgt key.
 */
const DIR = join(import.meta.dirname, '../../krb-fixtures/impacket');

interface Params {
  readonly domain: string;
  readonly domainSid: string;
  readonly spn: string;
  readonly pinned: { readonly utcnow: string };
  readonly files: Readonly<Record<string, { readonly etype: 18 | 23; readonly key: string }>>;
}
const params = JSON.parse(readFileSync(join(DIR, 'params.json'), 'utf8')) as Params;
const [service, host] = params.spn.split('/');

describe('impacket ticketer silver tickets (golden files)', () => {
  it('has the two files params.json describes', () => {
    expect(Object.keys(params.files).sort()).toEqual(['alice-aes256.ccache', 'alice-rc4.ccache']);
  });

  for (const [file, { etype, key }] of Object.entries(params.files)) {
    it(`${file}: etype ${etype} ticket, PAC and signatures`, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      const expectation: ImpacketSilverExpectation = { etype, keyHex: key, domain: params.domain, domainSid: params.domainSid, spn: [service!, host!] };
      checkImpacketSilverCcache(bytes, expectation);
      // The pinned clock is authtime and starttime; ticketer's default -duration is 3650 days.
      const cred = decodeCcache(bytes).credentials.find((c) => !c.isConfigEntry)!;
      const at = new Date(`${params.pinned.utcnow}Z`);
      expect(cred.authtime).toEqual(at);
      expect(cred.starttime).toEqual(at);
      expect(cred.endtime).toEqual(new Date(at.getTime() + 3650 * 86400_000));
    });
  }
});
