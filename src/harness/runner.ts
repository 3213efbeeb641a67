import { KRB_ERROR_CODES, type KrbErrorName } from '../errors/index.js';
import { isResponseTooBig, sendToKdc, type KdcAddress } from '../kdc/index.js';
import { parseSid, formatSid, sidWithRid } from '../pac/index.js';
import type { KeytabEntryLike } from '../ticket/index.js';
import { systemClock, systemRandom, type Clock, type RandomSource } from '../util/index.js';
import { probeExchange, type ExchangeOutcome } from './exchange.js';
import { mintForProbe, rodcKeyring } from './mint.js';
import type { ProbeUser } from './pac-variants.js';
import { checkReply, versionedKeys, type ReplyKeys } from './reply-checks.js';
import { PROBE_TARGETS, type Expectation, type ProbeTarget, type Scenario, type SetupName, type UserRole } from './scenario.js';
import { EXCHANGE_SUITE } from './suite.js';

export type ProbeUsers = Readonly<Partial<Record<UserRole, ProbeUser>>>;

/** A directory change a scenario needs, made before it runs and undone after. */
export interface ProbeSetup {
  apply(): Promise<void>;
  revert(): Promise<void>;
}

export interface RunSuiteInput {
  readonly kdc?: KdcAddress;
  /** How a DER request reaches the KDC; default sendToKdc([kdc]) (UDP, TCP when too big). */
  readonly send?: (der: Uint8Array) => Promise<Uint8Array>;
  readonly realm: string;
  /** Keytab entries of krbtgt_N (samba-tool exportkeytab --principal=krbtgt_N). */
  readonly rodcKeys: readonly KeytabEntryLike[];
  /** Keytab entries of the realm's krbtgt: with them full TGTs are opened and their PACs checked. */
  readonly krbtgtKeys?: readonly KeytabEntryLike[];
  /** Keytab entries of the cifs service: with them service tickets are opened and checked. */
  readonly serviceKeys?: readonly KeytabEntryLike[];
  readonly users: ProbeUsers;
  /** The cifs SPN without realm, e.g. cifs/dc1.samba.test. */
  readonly cifsSpn: string;
  /** The sAMAccountName of the account holding it (DC1$): scenarios that name it so are skipped without. */
  readonly cifsAccount?: string;
  readonly scenarios?: readonly Scenario[];
  /** Case-insensitive substring of "scenario · target", or /regex/. */
  readonly only?: string;
  readonly setups?: Readonly<Partial<Record<SetupName, ProbeSetup>>>;
  readonly onProgress?: (progress: ProbeProgress) => void;
  readonly clock?: Clock;
  readonly random?: RandomSource;
}

export interface ProbeProgress {
  readonly done: number;
  readonly total: number;
  readonly scenario: string;
  readonly target: ProbeTarget;
  /** Set once this one has finished. */
  readonly result?: ProbeResult;
}

export type ProbeStatus = 'pass' | 'fail' | 'skip';

export interface ProbeResult {
  readonly scenario: string;
  readonly target: ProbeTarget;
  readonly expected: string;
  readonly got: string;
  readonly status: ProbeStatus;
  readonly pass: boolean;
  readonly detail: string;
  /** Wall time of the exchange, ms (0 when skipped). */
  readonly ms: number;
}

/** `KDC_ERR_TGT_REVOKED (20)` */
export function errorLabel(name: KrbErrorName | string, code?: number): string {
  const n = code ?? (KRB_ERROR_CODES as Readonly<Record<string, number>>)[name];
  return n === undefined ? name : `${name} (${n})`;
}

export function expectationLabel(e: Expectation): string {
  return 'error' in e ? errorLabel(e.error) : 'noAnswer' in e ? 'no answer' : 'reply';
}

function outcomeLabel(o: ExchangeOutcome): string {
  switch (o.kind) {
    case 'error':
      return errorLabel(o.name, o.code);
    case 'reply':
      return 'reply';
    case 'failure':
      return `no answer: ${o.code}`;
  }
}

/** `only` as a predicate: `/re/flags` is a regular expression, anything else a case-insensitive substring. */
export function selector(only: string | undefined): (text: string) => boolean {
  if (only === undefined || only === '') return () => true;
  const re = /^\/(.*)\/([a-z]*)$/.exec(only);
  if (re) {
    const r = new RegExp(re[1]!, re[2]!.includes('i') ? re[2] : `${re[2]}i`);
    return (t) => r.test(t);
  }
  const needle = only.toLowerCase();
  return (t) => t.toLowerCase().includes(needle);
}

/** A name and SID under the domain of `like` that no directory holds (RID 0x7ffffff0). */
export function unknownUser(like: ProbeUser): ProbeUser {
  const sid = parseSid(like.sid);
  const domain = { ...sid, SubAuthority: sid.SubAuthority.slice(0, -1) };
  return { name: 'tgtbridge-probe-nobody', sid: formatSid(sidWithRid(domain, 0x7ffffff0)) };
}

interface Job {
  readonly scenario: Scenario;
  readonly target: ProbeTarget;
}

/** Run the suite (default EXCHANGE_SUITE) against one KDC, one exchange at a time, in order. */
export async function runSuite(input: RunSuiteInput): Promise<readonly ProbeResult[]> {
  const realm = input.realm.toUpperCase();
  const clock = input.clock ?? systemClock;
  const random = input.random ?? systemRandom;
  const keys = rodcKeyring(input.rodcKeys);
  const replyKeys: ReplyKeys = {
    ...(input.krbtgtKeys ? { krbtgt: versionedKeys(input.krbtgtKeys) } : {}),
    ...(input.serviceKeys ? { service: versionedKeys(input.serviceKeys) } : {}),
  };
  const send = input.send ?? defaultSend(input.kdc);
  const pick = selector(input.only);
  const jobs: Job[] = (input.scenarios ?? EXCHANGE_SUITE).flatMap((scenario) =>
    (scenario.targets ?? PROBE_TARGETS).filter((target) => pick(`${scenario.name} · ${target}`)).map((target) => ({ scenario, target })),
  );
  const allowed = input.users.allowed;
  const users: ProbeUsers = allowed !== undefined && input.users.unknown === undefined ? { ...input.users, unknown: unknownUser(allowed) } : input.users;

  const results: ProbeResult[] = [];
  for (const [i, job] of jobs.entries()) {
    input.onProgress?.({ done: i, total: jobs.length, scenario: job.scenario.name, target: job.target });
    const result = await runOne(job, { realm, keys, replyKeys, send, users, clock, random, cifsSpn: input.cifsSpn, cifsAccount: input.cifsAccount, setups: input.setups ?? {} });
    results.push(result);
    input.onProgress?.({ done: i + 1, total: jobs.length, scenario: job.scenario.name, target: job.target, result });
  }
  return results;
}

function defaultSend(kdc: KdcAddress | undefined): (der: Uint8Array) => Promise<Uint8Array> {
  if (kdc === undefined) throw new RangeError('runSuite needs `kdc` or `send`');
  // RFC 4120 §7.2.1: a KRB_ERR_RESPONSE_TOO_BIG over UDP is retried over TCP (rebuilt PACs are big).
  return (der) => sendToKdc([kdc], der, { isResponseTooBig });
}

interface RunContext {
  readonly realm: string;
  readonly keys: ReturnType<typeof rodcKeyring>;
  readonly replyKeys: ReplyKeys;
  readonly send: (der: Uint8Array) => Promise<Uint8Array>;
  readonly users: ProbeUsers;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly cifsSpn: string;
  readonly cifsAccount: string | undefined;
  readonly setups: Readonly<Partial<Record<SetupName, ProbeSetup>>>;
}

async function runOne({ scenario, target }: Job, ctx: RunContext): Promise<ProbeResult> {
  const expected = expectationLabel(scenario.expect);
  const base = { scenario: scenario.name, target, expected };
  const skip = (why: string): ProbeResult => ({ ...base, got: 'skipped', status: 'skip', pass: false, detail: why, ms: 0 });
  const role = scenario.mint.user ?? 'allowed';
  const user = ctx.users[role];
  if (user === undefined) return skip(`no user for role ${role}`);
  const other = ctx.users.other ?? ctx.users.allowed;
  if (other === undefined || other.sid === user.sid) return skip('no second user for role other');
  const setup = scenario.setup === undefined ? undefined : ctx.setups[scenario.setup];
  if (scenario.setup !== undefined && setup === undefined) return skip(`needs setup ${scenario.setup}`);
  if (scenario.request?.snameAccount === true && ctx.cifsAccount === undefined) return skip('no account name for the cifs SPN (cifsAccount)');

  const minted = mintForProbe(scenario.mint, { realm: ctx.realm, keys: ctx.keys, user, other, clock: ctx.clock, random: ctx.random });
  await setup?.apply();
  const t0 = performance.now();
  let outcome: ExchangeOutcome;
  try {
    outcome = await probeExchange({
      minted,
      realm: ctx.realm,
      target,
      cifsSpn: ctx.cifsSpn,
      ...(ctx.cifsAccount !== undefined ? { cifsAccount: ctx.cifsAccount } : {}),
      ...(scenario.request !== undefined ? { request: scenario.request } : {}),
      ...(scenario.mutate !== undefined ? { mutations: scenario.mutate } : {}),
      send: ctx.send,
      clock: ctx.clock,
      random: ctx.random,
    });
  } finally {
    await setup?.revert();
  }
  const ms = performance.now() - t0;
  const got = outcomeLabel(outcome);
  const notes = [...(scenario.mutate ?? []).map((m) => `mutation ${m.name}`), ...minted.notes];
  if (outcome.kind === 'error' && outcome.eText !== undefined) notes.push(`e-text: ${outcome.eText}`);
  if (outcome.kind === 'failure') notes.push(outcome.message);
  let pass: boolean;
  if ('error' in scenario.expect) {
    pass = outcome.kind === 'error' && outcome.name === scenario.expect.error;
  } else if ('noAnswer' in scenario.expect) {
    // Silence is a transport outcome (no datagram back, the connection closed); anything else that failed is not it.
    pass = outcome.kind === 'failure' && outcome.code === 'ERR_TRANSPORT';
  } else if (outcome.kind === 'reply') {
    const check = checkReply(outcome.result, target, user, scenario.expect.reply, ctx.replyKeys, minted.encTicketPart);
    notes.push(...check.failures, ...check.notes);
    pass = check.failures.length === 0;
  } else {
    pass = false;
  }
  return { ...base, got, status: pass ? 'pass' : 'fail', pass, detail: notes.join('; '), ms };
}
