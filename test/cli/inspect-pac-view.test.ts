import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pacText, pacView } from '../../src/cli/inspect/pac-view.js';
import { Key } from '../../src/crypto/index.js';
import { decodeKeytab } from '../../src/files/index.js';
import { runCli } from './run-cli.js';

const FIX = join(import.meta.dirname, '..', '..', 'krb-fixtures');
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(join(FIX, p)));

describe('inspect: decoded PAC view (issue 4 JSON names)', () => {
  const tgt = read('lab/samba-alice-tgt.pac');

  it('lists buffers and decoded fields; signatures not checked without keys', () => {
    const v = pacView(tgt);
    expect(v.error).toBeUndefined();
    expect(v.buffers.map((b) => [b.type, b.name, b.size])).toEqual([
      [1, 'LOGON_INFO', 456],
      [10, 'CLIENT_INFO', 20],
      [12, 'UPN_DNS_INFO', 120],
      [17, 'ATTRIBUTES_INFO', 8],
      [18, 'REQUESTOR', 28],
      [6, 'SERVER_CHECKSUM', 16],
      [7, 'PRIVSVR_CHECKSUM', 16],
    ]);
    expect(v.logonInfo?.userSid).toBe('S-1-5-21-1882948272-2805576772-1729273947-1103');
    expect(v.logonInfo?.groupSids.find((g) => g.name === 'Allowed RODC Password Replication Group')?.sid).toBe('S-1-5-21-1882948272-2805576772-1729273947-571');
    expect(v.clientInfo?.name).toBe('alice');
    expect(v.upnDnsInfo?.samName).toBe('alice');
    expect(v.requestorSid).toBe('S-1-5-21-1882948272-2805576772-1729273947-1103');
    expect(v.signatures?.map((s) => s.verified)).toEqual(['not-checked', 'not-checked']);
    expect(pacText(v).some((l) => l.includes('requestor SID: S-1-5-21-1882948272-2805576772-1729273947-1103'))).toBe(true);
  });

  it('verifies with the krbtgt key and prints the status', () => {
    const e = decodeKeytab(read('lab/samba-krbtgt.keytab')).entries.find((x) => x.key.keytype === 18)!;
    const krbtgt = Key.fromBytes(18, e.key.keyvalue);
    const v = pacView(tgt, { serverKey: krbtgt, kdcKey: krbtgt });
    expect(v.signatures?.map((s) => [s.type, s.checksumType, s.rodcId, s.verified])).toEqual([
      ['SERVER_CHECKSUM', 16, null, true],
      ['PRIVSVR_CHECKSUM', 16, null, true],
    ]);
    expect(pacText(v).filter((l) => l.endsWith(': verified'))).toHaveLength(2);
  });

  it('keeps the buffer list and reports the error when a buffer does not decode', () => {
    const broken = Uint8Array.from(tgt);
    broken[120 + 16] = 0; // LOGON_INFO's top-level referent → NULL
    broken[120 + 17] = 0;
    broken[120 + 18] = 0;
    const v = pacView(broken);
    expect(v.buffers).toHaveLength(7);
    expect(v.error).toContain('KERB_VALIDATION_INFO');
    expect(v.logonInfo).toBeUndefined();
  });
});

describe('inspect: PAC signatures of a decrypted ticket', () => {
  const ccache = join(FIX, 'lab', 'samba-alice.ccache');
  const cifs = join(FIX, 'lab', 'samba-cifs.keytab');
  const krbtgt = join(FIX, 'lab', 'samba-krbtgt.keytab');
  type Json = Record<string, unknown>;
  const signaturesOf = (doc: unknown): unknown[][] => {
    const out: unknown[][] = [];
    const walk = (o: unknown): void => {
      if (Array.isArray(o)) o.forEach(walk);
      else if (o !== null && typeof o === 'object') {
        const pac = (o as Json)['pac'] as Json | undefined;
        if (pac !== undefined && Array.isArray(pac['signatures'])) out.push((pac['signatures'] as Json[]).map((s) => [s['type'], s['verified']]));
        Object.values(o).forEach(walk);
      }
    };
    walk(doc);
    return out;
  };

  it('verifies the server signature with the service key and the rest with the keytab’s krbtgt key', async () => {
    const r = await runCli(['inspect', ccache, '--keytab', cifs, '--keytab', krbtgt, '--json']);
    expect(r.code).toBe(0);
    expect(signaturesOf(JSON.parse(r.stdout))).toEqual([
      [
        ['SERVER_CHECKSUM', true],
        ['PRIVSVR_CHECKSUM', true],
      ],
      [
        ['SERVER_CHECKSUM', true],
        ['PRIVSVR_CHECKSUM', true],
        ['TICKET_CHECKSUM', true],
        ['FULL_CHECKSUM', true],
      ],
    ]);
  });

  it('reports a wrong --krbtgt-key as failed and no krbtgt key as not checked', async () => {
    const wrong = await runCli(['inspect', ccache, '--keytab', cifs, '--krbtgt-key', `18:${'00'.repeat(32)}`, '--json']);
    expect(signaturesOf(JSON.parse(wrong.stdout))[0]).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', false],
      ['TICKET_CHECKSUM', false],
      ['FULL_CHECKSUM', false],
    ]);
    const none = await runCli(['inspect', ccache, '--keytab', cifs]);
    expect(none.stdout).toContain('PRIVSVR_CHECKSUM checksum type 16: not checked (no krbtgt key)');
    expect(none.stdout).toContain('SERVER_CHECKSUM  checksum type 16: verified');
  });
});
