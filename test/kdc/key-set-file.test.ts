import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeKeytab } from '../../src/files/index.js';
import { keySetPath, loadKeySet, saveKeySet } from '../../src/kdc/index.js';
import { KeySet } from '../../src/ticket/index.js';
import { seededRandom } from '../ticket/support.js';

describe('key set file', () => {
  it('saves <data>/keys/krbtgt-rodc.keytab with mode 0600 and loads the same keys', async () => {
    const data = await mkdtemp(join(tmpdir(), 'tgtb-keys-'));
    const path = keySetPath(data);
    expect(path).toBe(join(data, 'keys', 'krbtgt-rodc.keytab'));
    expect((await loadKeySet(path)).size).toBe(0);
    const set = KeySet.empty().rotate(new Date('2026-11-01T00:00:00Z'), seededRandom(), { rodcNumber: 12, realm: 'DEMO.TEST' }).rotate(new Date('2026-11-02T00:00:00Z'), seededRandom('2'));
    await saveKeySet(path, set);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const back = await loadKeySet(path);
    expect(back.entries.map((e) => [e.kvno, e.created.toISOString()])).toEqual(set.entries.map((e) => [e.kvno, e.created.toISOString()]));
    expect(back.current().key.exportBytes()).toEqual(set.current().key.exportBytes());
  });

  it('refuses to load a keytab with a key the DC would not accept (ERR_KEY_SET)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-keys-'));
    const path = join(dir, 'bad.keytab');
    const bad = encodeKeytab({
      entries: [{ principal: { nameType: 1, components: ['krbtgt_12'], realm: 'DEMO.TEST' }, timestamp: new Date(0), kvno: ((12 << 16) | 1) >>> 0, key: { keytype: 23, keyvalue: new Uint8Array(16) } }],
    });
    await writeFile(path, bad, { mode: 0o600 });
    await expect(loadKeySet(path)).rejects.toMatchObject({ code: 'ERR_KEY_SET' });
  });

  it('refuses a key set other accounts can read or write (ERR_KEY_FILE_MODE naming the file) unless told to allow it', async () => {
    const data = await mkdtemp(join(tmpdir(), 'tgtb-keys-'));
    const path = keySetPath(data);
    const set = KeySet.empty().rotate(new Date('2026-11-01T00:00:00Z'), seededRandom(), { rodcNumber: 12, realm: 'DEMO.TEST' });
    await saveKeySet(path, set);
    for (const mode of [0o640, 0o604, 0o620, 0o644]) {
      await chmod(path, mode);
      await expect(loadKeySet(path)).rejects.toMatchObject({ code: 'ERR_KEY_FILE_MODE', message: expect.stringContaining(path) });
      expect((await loadKeySet(path, { openMode: 'allow' })).size).toBe(1);
    }
    await chmod(path, 0o400);
    expect((await loadKeySet(path)).size).toBe(1);
  });
});
