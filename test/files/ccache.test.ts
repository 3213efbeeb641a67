import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import {
  ccacheConfigEntry,
  ccacheKdcTimeOffset,
  decodeCcache,
  encodeCcache,
  filePrincipalText,
  type CcacheCredential,
} from '../../src/files/index.js';
import { buildCcache, type TestCred } from './mit-builder.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const mitCcache = (): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, 'mit-alice.ccache')));

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

/** klist's "%m/%d/%y %H:%M:%S" in UTC (the fixture script runs klist with TZ=UTC LC_ALL=C). */
function klistTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** klist -f letters for the flags present in the fixture (MIT klist.c flags_string order). */
function klistFlags(f: number): string {
  const letters: [number, string][] = [
    [0x40000000, 'F'], [0x20000000, 'f'], [0x10000000, 'P'], [0x08000000, 'p'], [0x04000000, 'D'],
    [0x02000000, 'd'], [0x01000000, 'i'], [0x00800000, 'R'], [0x00400000, 'I'], [0x00100000, 'H'],
    [0x00200000, 'A'], [0x00080000, 'T'], [0x00040000, 'O'], [0x00008000, 'a'],
  ];
  return letters.filter(([bit]) => (f & bit) !== 0).map(([, l]) => l).join('');
}

const cred: TestCred = {
  client: ['alice'],
  server: ['krbtgt', 'EXAMPLE.TEST'],
  realm: 'EXAMPLE.TEST',
  enctype: 18,
  key: Array.from({ length: 32 }, (_, i) => i),
  times: [1_700_000_000, 1_700_000_001, 1_700_036_000, 0],
  flags: 0x40e10000,
  ticket: [0x61, 0x03, 0x02, 0x01, 0x05],
};

describe('MIT ccache: the real file from kinit/kvno (krb5 1.20.1)', () => {
  const cc = decodeCcache(mitCcache());
  const klist = readFileSync(join(FIXTURES, 'mit-alice.ccache.klist.txt'), 'utf8');

  it('is version 4, and its default principal is klist\'s', () => {
    expect(cc.version).toBe(4);
    expect(klist).toContain(`Default principal: ${filePrincipalText(cc.defaultPrincipal)}\n`);
  });

  it('lists the same tickets, times and flags as klist -e -f -C, in the same order', () => {
    const tickets = cc.credentials.filter((c) => !c.isConfigEntry);
    const rows = [...klist.matchAll(/^(\S+ \S+)\s+(\S+ \S+)\s+(\S+)\n\trenew until (\S+ \S+), Flags: (\S+)$/gm)];
    expect(tickets.length).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    tickets.forEach((c, i) => {
      const [, start, end, server, renew, flags] = rows[i]!;
      expect(klistTime(c.starttime)).toBe(start);
      expect(klistTime(c.endtime)).toBe(end);
      expect(filePrincipalText(c.server)).toBe(server);
      expect(klistTime(c.renewTill)).toBe(renew);
      expect(klistFlags(c.ticketFlags)).toBe(flags);
      expect(c.key.keytype).toBe(18); // "Etype (skey, tkt): aes256-cts-hmac-sha1-96, ..."
      expect(c.ticket[0]).toBe(0x61); // [APPLICATION 1] Ticket
    });
  });

  it('keeps the config entries klist -C shows, flagged and not counted as tickets', () => {
    const config = cc.credentials.filter((c) => c.isConfigEntry);
    const lines = [...klist.matchAll(/^config: (\S+)\((\S+)\) = (.*)$/gm)];
    expect(config.length).toBe(lines.length);
    expect(config.length).toBeGreaterThan(0);
    config.forEach((c, i) => {
      const [, key, principal, value] = lines[i]!;
      expect(c.server.components.slice(1)).toEqual([key, principal]);
      expect(Buffer.from(c.ticket).toString('utf8')).toBe(value);
      expect(c.endtime.getTime()).toBe(0);
    });
  });

  it('encodes back to the identical bytes', () => {
    expect(Buffer.from(encodeCcache(cc)).equals(Buffer.from(mitCcache()))).toBe(true);
  });
});

describe('MIT ccache: odd but valid files from MIT 1.20.1 (scripts/fixtures/mit-odd-files.sh)', () => {
  const odd = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

  for (const version of [1, 2, 3] as const) {
    it(`version ${version} written by MIT (ccache_type = ${version}): the tickets, times and flags klist -e -f -C lists`, () => {
      const cc = decodeCcache(odd(`mit-odd-v${version}.ccache`));
      const klist = readFileSync(join(FIXTURES, `mit-odd-v${version}.ccache.klist.txt`), 'utf8');
      expect(cc.version).toBe(version);
      expect(klist).toContain(`Default principal: ${filePrincipalText(cc.defaultPrincipal)}\n`);
      const rows = [...klist.matchAll(/^(\S+ \S+)\s+(\S+ \S+)\s+(\S+)\n\trenew until (\S+ \S+), Flags: (\S+)$/gm)];
      const tickets = cc.credentials.filter((c) => !c.isConfigEntry);
      expect(tickets.length).toBe(rows.length);
      expect(rows.length).toBe(3);
      tickets.forEach((c, i) => {
        const [, start, end, server, renew, flags] = rows[i]!;
        expect([klistTime(c.starttime), klistTime(c.endtime), filePrincipalText(c.server), klistTime(c.renewTill), klistFlags(c.ticketFlags)]).toEqual([start, end, server, renew, flags]);
      });
      expect(cc.credentials.filter((c) => c.isConfigEntry).map((c) => c.server.components[1])).toEqual(['fast_avail']);
      // Written back as version 4, every credential field is kept.
      expect(decodeCcache(encodeCcache(cc)).credentials).toEqual(cc.credentials);
    });
  }

  it('a user-to-user ticket (kvno --u2u): is_skey stored as 8 reads as set, bob\'s TGT is the second ticket, the bytes come back', () => {
    const bytes = odd('mit-odd-u2u.ccache');
    const cc = decodeCcache(bytes);
    const klist = readFileSync(join(FIXTURES, 'mit-odd-u2u.ccache.klist.txt'), 'utf8');
    const u2u = cc.credentials.find((c) => filePrincipalText(c.server) === 'bob@MIT.TEST')!;
    expect(klist).toContain('  bob@MIT.TEST\n');
    expect(u2u.isSkey).toBe(true);
    // MIT's get_creds stores the KDC option it asked with: KDC_OPT_ENC_TKT_IN_SKEY (0x8).
    const skeyAt = bytes.length - (4 + 4 + 4 + 4 + u2u.ticket.length + 4 + u2u.secondTicket.length) - 1;
    expect(bytes[skeyAt]).toBe(8);
    expect(u2u.secondTicket[0]).toBe(0x61);
    expect(cc.credentials.at(-1)).toBe(u2u);
    expect(cc.credentials.filter((c) => c !== u2u).every((c) => !c.isSkey)).toBe(true);
    expect(Buffer.from(encodeCcache(cc)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('MIT ccache: versions 1 to 4 from the format text', () => {
  for (const version of [1, 2, 3, 4] as const) {
    it(`reads version ${version}`, () => {
      const cc = decodeCcache(buildCcache(version, ['alice'], 'EXAMPLE.TEST', [cred, { ...cred, server: ['cifs', 'fs.example.test'] }]));
      expect(cc.version).toBe(version);
      expect(cc.defaultPrincipal).toEqual({ nameType: version === 1 ? 0 : 1, components: ['alice'], realm: 'EXAMPLE.TEST' });
      expect(cc.credentials.length).toBe(2);
      const c = cc.credentials[0]!;
      expect(c.server.components).toEqual(['krbtgt', 'EXAMPLE.TEST']);
      expect(c.key.keytype).toBe(18);
      expect([...c.key.keyvalue]).toEqual(cred.key);
      expect(c.authtime.getTime()).toBe(1_700_000_000_000);
      expect(c.starttime.getTime()).toBe(1_700_000_001_000);
      expect(c.endtime.getTime()).toBe(1_700_036_000_000);
      expect(c.renewTill.getTime()).toBe(0);
      expect(c.ticketFlags).toBe(0x40e10000);
      expect(c.addresses).toEqual([{ addrType: 2, address: Uint8Array.from([127, 0, 0, 1]) }]);
      expect([...c.ticket]).toEqual(cred.ticket);
      expect(cc.credentials[1]!.server.components).toEqual(['cifs', 'fs.example.test']);
    });
  }

  it('writes version 4 from an older version, keeping every credential field', () => {
    const v3 = decodeCcache(buildCcache(3, ['alice'], 'EXAMPLE.TEST', [cred]));
    const v4 = decodeCcache(encodeCcache(v3));
    expect(v4.version).toBe(4);
    expect(v4.credentials).toEqual(v3.credentials);
    expect(v4.defaultPrincipal).toEqual(v3.defaultPrincipal);
  });

  it('refuses a version-3 keyblock whose repeated enctype differs', () => {
    const bytes = buildCcache(3, ['alice'], 'EXAMPLE.TEST', [cred]);
    const at = Buffer.from(bytes).indexOf(Buffer.from([0x00, 0x12, 0x00, 0x12]));
    bytes[at + 3] = 0x11;
    const e = decodeError(() => decodeCcache(bytes));
    expect(e.code).toBe('ERR_CCACHE_FORMAT');
    expect(e.path).toMatch(/enctype2$/);
    expect(e.offset).toBe(at + 2);
  });
});

describe('MIT ccache: v4 header tags', () => {
  const offsetTag = [0, 1, 0, 8, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0x01, 0xf4];
  const unknownTag = [0x12, 0x34, 0, 3, 9, 8, 7];

  it('keeps the KDC time offset (signed) and unknown tags, and writes them back', () => {
    const bytes = buildCcache(4, ['alice'], 'EXAMPLE.TEST', [cred], [...offsetTag, ...unknownTag]);
    const cc = decodeCcache(bytes);
    expect(ccacheKdcTimeOffset(cc)).toEqual({ seconds: -2, microseconds: 500 });
    expect(cc.headerTags.map((t) => t.tag)).toEqual([1, 0x1234]);
    expect([...cc.headerTags[1]!.value]).toEqual([9, 8, 7]);
    expect(Buffer.from(encodeCcache(cc)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a KDC time offset that is not 8 bytes', () => {
    const e = decodeError(() => decodeCcache(buildCcache(4, ['a'], 'R', [], [0, 1, 0, 4, 0, 0, 0, 0])));
    expect(e.code).toBe('ERR_CCACHE_FORMAT');
    expect(e.offset).toBe(4);
  });

  it('refuses a tag that runs past the header length', () => {
    const e = decodeError(() => decodeCcache(buildCcache(4, ['a'], 'R', [], [0, 2, 0, 9, 1])));
    expect(e.code).toBe('ERR_CCACHE_FORMAT');
  });
});

describe('MIT ccache: config entries', () => {
  it('are flagged, kept and written back', () => {
    const client = { nameType: 1, components: ['alice'], realm: 'EXAMPLE.TEST' };
    const entry = ccacheConfigEntry(client, 'pa_type', Buffer.from('153'), 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST');
    const bytes = encodeCcache({ headerTags: [], defaultPrincipal: client, credentials: [entry] });
    const cc = decodeCcache(bytes);
    expect(cc.credentials).toEqual([entry]);
    expect(cc.credentials[0]!.isConfigEntry).toBe(true);
    expect(cc.credentials[0]!.server.realm).toBe('X-CACHECONF:');
  });
});

describe('MIT ccache: hostile input', () => {
  const good = mitCcache();

  it('every truncation gives ERR_CCACHE_FORMAT at an offset inside the file, never a crash', () => {
    // Cutting exactly at a credential boundary leaves a valid, shorter cache; every other cut must fail.
    const boundaries = new Set<number>();
    const cc = decodeCcache(good);
    let failures = 0;
    for (let len = 0; len < good.length; len++) {
      try {
        const part = decodeCcache(good.subarray(0, len));
        boundaries.add(len);
        expect(part.credentials.length).toBeLessThan(cc.credentials.length);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        expect((e as DecodeError).code).toBe('ERR_CCACHE_FORMAT');
        expect((e as DecodeError).offset).toBeLessThanOrEqual(len);
        failures++;
      }
    }
    expect(boundaries.size).toBe(cc.credentials.length); // one valid cut after the principal and after each credential but the last
    expect(failures).toBe(good.length - boundaries.size);
  });

  it('refuses lengths and counts larger than the file', () => {
    const withCount = (patch: (b: Uint8Array) => void): DecodeError => {
      const b = buildCcache(4, ['alice'], 'EXAMPLE.TEST', [cred]);
      patch(b);
      return decodeError(() => decodeCcache(b));
    };
    // default principal count at offset 2 (magic) + 2 (hlen) + 4 (name type)
    const count = withCount((b) => b.set([0xff, 0xff, 0xff, 0xff], 8));
    expect(count.code).toBe('ERR_CCACHE_FORMAT');
    expect(count.path).toBe('ccache.defaultPrincipal.count');
    expect(count.offset).toBe(8);
    const realmLen = withCount((b) => b.set([0x7f, 0xff, 0xff, 0xff], 12));
    expect(realmLen.path).toBe('ccache.defaultPrincipal.realm');
  });

  it('refuses a bad magic, an unknown version and non-UTF-8 names', () => {
    expect(decodeError(() => decodeCcache(Uint8Array.from([4, 4, 0, 0]))).offset).toBe(0);
    expect(decodeError(() => decodeCcache(Uint8Array.from([5, 5, 0, 0]))).offset).toBe(1);
    const bad = buildCcache(4, ['alice'], 'EXAMPLE.TEST', []);
    bad[bad.length - 1] = 0xff;
    expect(decodeError(() => decodeCcache(bad)).path).toBe('ccache.defaultPrincipal.components[0]');
  });
});

describe('MIT ccache: every credential field written back', () => {
  it('is_skey is a krb5_boolean: any non-zero octet is set, and is written back as it was', () => {
    const b = buildCcache(4, ['alice'], 'EXAMPLE.TEST', [cred]);
    // After is_skey: flags 4, one address 14, authdata count 4, ticket 4+5, second ticket 4.
    const skeyAt = b.length - (4 + 14 + 4 + 9 + 4) - 1;
    for (const octet of [1, 2, 0xff]) {
      b[skeyAt] = octet;
      const cc = decodeCcache(b);
      expect(cc.credentials[0]!.isSkey).toBe(true);
      expect(Buffer.from(encodeCcache(cc)).equals(Buffer.from(b))).toBe(true);
    }
    const cleared = decodeCcache(b).credentials[0]!;
    const written = encodeCcache({ headerTags: [], defaultPrincipal: cleared.client, credentials: [{ ...cleared, isSkey: false }] });
    expect(decodeCcache(written).credentials[0]!.isSkey).toBe(false);
  });

  it('authdata, addresses, is_skey and a second ticket survive a v4 round trip byte for byte', () => {
    const base = decodeCcache(buildCcache(4, ['alice'], 'EXAMPLE.TEST', [cred])).credentials[0]!;
    const c: CcacheCredential = {
      ...base,
      isSkey: true,
      addresses: [...base.addresses, { addrType: 24, address: new Uint8Array(16).fill(0xfe) }],
      authdata: [{ adType: 1, adData: Uint8Array.of(0x30, 0x00) }, { adType: 0xffff, adData: new Uint8Array(0) }],
      secondTicket: Uint8Array.of(0x61, 0x00),
    };
    const bytes = encodeCcache({ headerTags: [], defaultPrincipal: c.client, credentials: [c] });
    const again = decodeCcache(bytes);
    expect(again.credentials[0]).toEqual(c);
    expect(Buffer.from(encodeCcache(again)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('MIT ccache: times', () => {
  it('keeps a zero time as the epoch and writes it back as 0', () => {
    const c: CcacheCredential = decodeCcache(buildCcache(4, ['a'], 'R', [cred])).credentials[0]!;
    expect(c.renewTill.getTime()).toBe(0);
    const again = encodeCcache({ headerTags: [], defaultPrincipal: c.client, credentials: [c] });
    expect(decodeCcache(again).credentials[0]!.renewTill.getTime()).toBe(0);
  });
});
