import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { parseConfig } from '../src/config/index.js';
import { parseFileDirectory } from '../src/directory/index.js';
import { SqliteStore, hmacSecretHasher } from '../src/store/index.js';
import { PasskeyService } from '../src/webauthn/index.js';
import { DIRECTORY_DOC, RP, configDoc } from '../test/webauthn/fixture.js';
import { assertionResponse, newCredential, registrationResponse } from '../test/webauthn/synth.js';
import type { BenchResult } from './result.js';

/**
 * Sign-in verifications per second (issue 3): the service's own path — take the single-use
 * challenge from SQLite, look up the credential, user and groups, verify with
 * @simplewebauthn/server, BE/counter/profile guards, compare-and-set the counter and append the
 * audit row in one transaction — next to `verifyAuthenticationResponse` alone, on the same
 * synthesized ES256 assertions, alternating assertion by assertion. Goal: the service keeps ≥ 0.8 of the
 * bare library's rate. Challenge creation (the options request) is outside the timed loop.
 */
const ROUNDS = 5;
const BARE = 'verifyAuthenticationResponse alone';

export async function benchWebauthn(): Promise<BenchResult[]> {
  const perRound = Number(process.env['BENCH_WEBAUTHN_OPS'] ?? 300);
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtb-bench-'));
  const store = SqliteStore.open(dataDir);
  try {
    const config = parseConfig(configDoc(undefined), join(dataDir, 't.yaml'));
    const directory = parseFileDirectory(DIRECTORY_DOC, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
    const svc = await PasskeyService.create({ config, directory, store, hasher: hmacSecretHasher(new Uint8Array(32).fill(1)) });
    const ctx = { address: '127.0.0.1' };
    const alice = (await directory.findUser('alice'))!;
    const cred = newCredential();
    const reg = await svc.startRegistration(alice, ctx);
    const rec = await svc.finishRegistration(alice, reg.handle, registrationResponse(RP, reg.options.challenge, cred), 'bench', ctx);

    let counter = 0;
    const bareOps: number[] = [];
    const svcOps: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // The same assertions for both sides: each signed over its own stored challenge.
      const batch: { handle: string; challenge: string; response: ReturnType<typeof assertionResponse> }[] = [];
      for (let i = 0; i < perRound; i++) {
        const start = await svc.startAuthentication(undefined, ctx);
        batch.push({ handle: start.handle, challenge: start.options.challenge, response: assertionResponse(RP, start.options.challenge, cred, { counter: ++counter }) });
      }
      // Interleaved per assertion, the same object to both sides, so a load change on a shared
      // machine hits both sides alike.
      let bareNs = 0n;
      let svcNs = 0n;
      for (const a of batch) {
        const t0 = process.hrtime.bigint();
        const v = await verifyAuthenticationResponse({
          response: a.response, expectedChallenge: a.challenge, expectedOrigin: RP.origin, expectedRPID: RP.rpId,
          credential: { id: rec.id, publicKey: new Uint8Array(rec.publicKey), counter: 0 },
        });
        const t1 = process.hrtime.bigint();
        if (!v.verified) throw new Error('bench: bare verification failed');
        await svc.finishAuthentication(a.handle, a.response, ctx);
        svcNs += process.hrtime.bigint() - t1;
        bareNs += t1 - t0;
      }
      const bare = perRound / (Number(bareNs) / 1e9);
      const full = perRound / (Number(svcNs) / 1e9);
      bareOps.push(bare);
      svcOps.push(full);
      ratios.push(bare / full);
    }
    const ratio = median(ratios);
    return [
      { name: `${BARE} (ES256, sequential)`, opsPerSec: median(bareOps), note: `${perRound} assertions x ${ROUNDS} rounds` },
      {
        name: 'service sign-in: store + verify + profile + audit',
        opsPerSec: median(svcOps),
        ratio: { against: BARE, value: ratio },
        note: `keeps ${(1 / ratio).toFixed(2)} of the bare rate (goal >= 0.80); SQLite WAL file store`,
      },
    ];
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
