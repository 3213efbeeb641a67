import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import type { CliIo } from '../../src/cli/index.js';
import { openBridgeEnvironment } from '../../src/bridge/index.js';
import { FLAGS, newCredential, registrationResponse } from '../webauthn/synth.js';

const CONFIG = join(import.meta.dirname, '..', '..', 'config', 'tgtbridge.yaml');

async function cli(args: string[], data: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => new Uint8Array(), env: { USER: 'tester' }, cwd: process.cwd() };
  const [command, ...rest] = args;
  const code = await main([command!, '--config', CONFIG, '--data', data, ...rest], io);
  return { code, out, err };
}

/** Register a passkey for a demo user directly through the service (as the browser would). */
async function seedPasskey(data: string, user: string, flags: number): Promise<string> {
  const env = await openBridgeEnvironment(CONFIG, data);
  try {
    const u = await env.findUser(user);
    const { handle, options } = await env.passkeys.startRegistration(u, { address: undefined });
    const rp = { rpId: env.config.bridge.rpId, origin: env.config.bridge.origin };
    const rec = await env.passkeys.finishRegistration(u, handle, registrationResponse(rp, options.challenge, newCredential(), { userId: options.user.id, flags, aaguid: '01020304-0506-0708-0102-030405060708' }), 'Seeded', { address: undefined });
    return rec.id;
  } finally {
    await env.close();
  }
}

describe('admin commands on the demo config', () => {
  it('users list and show', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'tgtb-cli-')), 'data');
    const list = await cli(['users', 'list'], data);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^alice\s+user\s+yes/m);
    expect(list.out).toMatch(/^FS1\$\s+computer/m);
    const show = await cli(['users', 'show', 'alice', '--json'], data);
    const info = JSON.parse(show.out) as { groups: string[]; primaryGroupId: number };
    expect(info.primaryGroupId).toBe(513);
    expect(info.groups).toEqual(expect.arrayContaining([expect.stringMatching(/^Staff /), expect.stringMatching(/^Allowed RODC Password Replication Group /)]));
    expect((await cli(['users', 'show', 'nobody'], data)).code).toBe(2);
    expect((await cli(['users'], data)).code).toBe(2);
  });

  it('tap issue prints a pass once and stores only its hash', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'tgtb-cli-')), 'data');
    const r = await cli(['tap', 'issue', 'bob', '--ttl', '2h', '--uses', '2'], data);
    expect(r.code).toBe(0);
    const code = /^ {4}(\S+)$/m.exec(r.out)![1]!;
    expect(code).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    const env = await openBridgeEnvironment(CONFIG, data);
    const taps = await env.store.listTaps((await env.findUser('bob')).objectSid);
    await env.close();
    expect(taps).toHaveLength(1);
    expect(taps[0]!.usesLeft).toBe(2);
    expect(JSON.stringify(taps)).not.toContain(code.replace(/-/g, ''));
    expect((await cli(['tap', 'issue', 'bob', '--ttl', '30d'], data)).code).toBe(2);
    expect((await cli(['tap', 'issue', 'carol'], data)).code).toBe(1);
  });

  it('passkeys list/revoke and profiles explain', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'tgtb-cli-')), 'data');
    const bobKey = await seedPasskey(data, 'bob', FLAGS.UP | FLAGS.UV | FLAGS.BE);
    const list = await cli(['passkeys', 'list', 'bob'], data);
    expect(list.out).toContain(bobKey);
    expect(list.out).toContain('type: synced');
    expect(list.out).toContain('Chromium virtual authenticator');

    const ok = await cli(['profiles', 'explain', 'bob'], data);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('admitted by profile everyone');

    const aliceKey = await seedPasskey(data, 'alice', FLAGS.UP | FLAGS.UV);
    const alice = await cli(['profiles', 'explain', 'alice', `--credential=${aliceKey}`, '--json'], data);
    expect(JSON.parse(alice.out)).toMatchObject({ applicable: ['engineering-device-bound'], credentials: [{ admitted: true, profile: 'engineering-device-bound' }] });

    const erin = await cli(['profiles', 'explain', 'erin'], data);
    expect(erin.code).toBe(1);
    expect(erin.out).toContain('excluded');

    expect((await cli(['passkeys', 'revoke', 'bob'], data)).code).toBe(2);
    const revoke = await cli(['passkeys', 'revoke', 'bob', `--credential=${bobKey}`], data);
    expect(revoke.code).toBe(0);
    expect((await cli(['passkeys', 'list', 'bob'], data)).out).toContain('no passkeys');
    expect((await cli(['passkeys', 'revoke', 'bob', '--', bobKey], data)).code).toBe(1);
    expect((await cli(['passkeys', 'list', 'bob', '--bogus'], data)).code).toBe(2);
  });
});
