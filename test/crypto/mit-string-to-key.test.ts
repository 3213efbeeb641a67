import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { etypeName, stringToKey } from '../../src/crypto/index.js';
import { toHex } from '../../src/util/index.js';

/**
 * Our string-to-key against MIT's: krb-fixtures/files/mit-alice.keytab was made by
 * `kadmin ktadd -norandkey alice` on a realm where alice's password is known (see
 * krb-fixtures/README.md); klist -k -K -e printed its keys. MIT's default salt is realm ‖ name
 * components, and its default iteration counts are 4096 (RFC 3962) and 32768 (RFC 8009).
 */
const DIR = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const password = readFileSync(join(DIR, 'mit-alice.password.txt'), 'utf8').trim();
const rows = [...readFileSync(join(DIR, 'mit-alice.keytab.klist.txt'), 'utf8').matchAll(/alice@MIT\.TEST \(([a-z0-9-]+)\)\s+\(0x([0-9a-f]+)\)/g)];

describe('string-to-key equals MIT krb5 (kadmin ktadd -norandkey keys)', () => {
  it('the fixture lists the four AES etypes', () => expect(rows.map((r) => r[1]).sort()).toHaveLength(4));
  for (const etype of [17, 18, 19, 20]) {
    it(etypeName(etype), () => {
      const row = rows.find((r) => r[1] === etypeName(etype));
      expect(row).toBeDefined();
      expect(toHex(stringToKey(etype, password, 'MIT.TESTalice').exportBytes())).toBe(row![2]);
    });
  }
});
