import { parseConfig, type Config } from '../../src/config/index.js';
import { parseFileDirectory } from '../../src/directory/index.js';
import { ProblemError } from '../../src/errors/index.js';
import { SqliteStore, hmacSecretHasher } from '../../src/store/index.js';
import { PasskeyService, TapService } from '../../src/webauthn/index.js';

export const AG_VIRTUAL = '01020304-0506-0708-0102-030405060708';
export const AG_OTHER = 'ee882879-721c-4913-9775-3dfcce97072a';
export const RP = { rpId: 'localhost', origin: 'http://localhost:8443' } as const;

/** The request context the services are called with. */
export const ctx = { address: '127.0.0.1' };

/** The problem code a service call is refused with, or 'no error'. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProblemError) return e.code;
    throw e;
  }
  return 'no error';
}

export const DIRECTORY_DOC = {
  domain: { sid: 'S-1-5-21-1-2-3' },
  groups: [
    { name: 'Eng', rid: 2000 }, { name: 'Attested', rid: 2001 }, { name: 'Keys', rid: 2002 },
    { name: 'NoVirtual', rid: 2003 }, { name: 'Temps', rid: 2004 }, { name: 'Relaxed', rid: 2005 },
  ],
  users: [
    { sAMAccountName: 'alice', rid: 1104 },
    { sAMAccountName: 'bob', rid: 1105 },
    { sAMAccountName: 'carol', rid: 1106, enabled: false },
    { sAMAccountName: 'eve', rid: 1107, groups: ['Eng'] },
    { sAMAccountName: 'ann', rid: 1108, groups: ['Attested'] },
    { sAMAccountName: 'kim', rid: 1109, groups: ['Keys'] },
    { sAMAccountName: 'nov', rid: 1110, groups: ['NoVirtual'] },
    { sAMAccountName: 'tim', rid: 1111, groups: ['Temps'] },
    { sAMAccountName: 'rex', rid: 1112, groups: ['Relaxed'] },
  ],
};

/** A config document with one profile per rule, so each test picks its rule by the user's group. */
export function configDoc(rootPem: string | undefined, bridge: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    realm: 'D.T',
    bridge: { rpId: RP.rpId, origin: RP.origin, challengeTtl: '60s', ...bridge },
    passkeys: {
      default: 'all',
      excludeGroups: ['Temps'],
      profiles: [
        { name: 'all' },
        { name: 'eng', groups: ['Eng'], types: ['deviceBound'] },
        { name: 'keys', groups: ['Keys'], aaguids: { allow: [AG_OTHER] } },
        { name: 'novirtual', groups: ['NoVirtual'], aaguids: { block: [AG_VIRTUAL] } },
        { name: 'relaxed', groups: ['Relaxed'], userVerification: 'discouraged' },
        ...(rootPem ? [{ name: 'attested', groups: ['Attested'], attestation: 'required', trustedRoots: ['root.pem'] }] : []),
      ],
    },
  };
}

export interface Harness {
  readonly config: Config;
  readonly svc: PasskeyService;
  readonly taps: TapService;
  readonly store: SqliteStore;
  readonly clock: { t: number; now(): Date };
}

export async function harness(configure: (doc: Record<string, unknown>) => Config = (d) => parseConfig(d, '/x/t.yaml')): Promise<Harness> {
  const config = configure(configDoc(undefined));
  const directory = parseFileDirectory(DIRECTORY_DOC, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
  const store = SqliteStore.open(':memory:');
  const clock = { t: Date.parse('2026-11-27T10:00:00Z'), now() { return new Date(this.t); } };
  const opts = { config, directory, store, hasher: hmacSecretHasher(new Uint8Array(32).fill(7)), clock };
  const svc = await PasskeyService.create(opts);
  return { config, svc, taps: new TapService(opts, svc), store, clock };
}
