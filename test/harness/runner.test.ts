import { describe, expect, it } from 'vitest';
import { DerReader, krbErrorCodec, tgsReqCodec, type KdcReq } from '../../src/asn1/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';
import { EXCHANGE_SUITE, formatMatrix, formatSideBySide, runSuite, selector, unknownUser, type ProbeProgress, type RunSuiteInput } from '../../src/harness/index.js';
import { clock, DOMAIN, NOW, REALM, rodcKeys, seededRandom, USERS } from './fixtures.js';

/**
 * A stand-in KDC that refuses everything with one code, echoing the request's sname (RFC 4120
 * §5.9.1); a request that does not decode gets silence, as sendToKdc reports it.
 */
function refusingKdc(errorCode: number, seen: Uint8Array[] = []): (der: Uint8Array) => Promise<Uint8Array> {
  return async (der) => {
    seen.push(der);
    let req: KdcReq;
    try {
      // As MIT and Samba read it: the first DER element, octets after it ignored.
      req = tgsReqCodec.read(DerReader.of(der, 'TGS-REQ'));
    } catch {
      throw new TgtbridgeError('ERR_TRANSPORT', 'no KDC answered');
    }
    return krbErrorCodec.encode({ stime: NOW, susec: 0, errorCode, realm: REALM, sname: req.reqBody.sname!, eText: 'refused' });
  };
}

const base: RunSuiteInput = { realm: REALM, rodcKeys: rodcKeys().entries, users: USERS, cifsSpn: 'cifs/dc1.samba.test', clock, random: seededRandom(1), send: refusingKdc(20) };

describe('runSuite', () => {
  it('runs each scenario for krbtgt and cifs; passes exactly the ones expecting the code the KDC gave', async () => {
    const seen: Uint8Array[] = [];
    const results = await runSuite({ ...base, send: refusingKdc(20, seen) });
    const ran = results.filter((r) => r.status !== 'skip');
    expect(results).toHaveLength(EXCHANGE_SUITE.reduce((n, s) => n + (s.targets?.length ?? 2), 0));
    expect(seen).toHaveLength(ran.length);
    const silent = 'outer TGS-REQ length overruns the message';
    expect(ran.filter((r) => r.scenario === silent).map((r) => [r.target, r.expected, r.got, r.pass])).toEqual([
      ['krbtgt', 'no answer', 'no answer: ERR_TRANSPORT', true],
      ['cifs', 'no answer', 'no answer: ERR_TRANSPORT', true],
    ]);
    for (const r of ran.filter((x) => x.scenario !== silent)) {
      expect(r.got).toBe('KDC_ERR_TGT_REVOKED (20)');
      expect(r.pass).toBe(r.expected === 'KDC_ERR_TGT_REVOKED (20)');
      expect(r.status).toBe(r.pass ? 'pass' : 'fail');
      expect(r.detail).toContain('e-text: refused');
    }
    // The fixture's users only fill 'allowed' and 'other' ('unknown' is made up), and no cifsAccount is given: the rest are skipped, never passed.
    const skipped = results.filter((r) => r.status === 'skip');
    expect(new Set(skipped.map((r) => r.scenario))).toEqual(
      new Set(['user not in reveal-on-demand', 'user in never-reveal through nesting (Domain Admins)', 'disabled user', 'must change password', 'account expired', "account expiring before the TGT ends: the TGT's times", 'locked out', 'RODC object without PARTIAL_SECRETS_ACCOUNT', 'RODC object without msDS-KrbTgtLink', 'the service account named by its sAMAccountName']),
    );
    expect(skipped.every((r) => !r.pass && r.got === 'skipped')).toBe(true);
    expect(results.find((r) => r.scenario === 'unknown user')?.got).toBe('KDC_ERR_TGT_REVOKED (20)');
  });

  it('a KDC that cannot be reached is a failure of every scenario that ran, not a throw', async () => {
    const results = await runSuite({ ...base, only: 'no PAC', send: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(results.map((r) => [r.target, r.got, r.status])).toEqual([
      ['krbtgt', 'no answer: ERROR', 'fail'],
      ['cifs', 'no answer: ERROR', 'fail'],
    ]);
  });

  it('no answer passes only a scenario that expects none: a KRB-ERROR fails it, and so does a failure other than silence', async () => {
    const only = 'outer TGS-REQ length overruns the message · krbtgt';
    const [answered] = await runSuite({ ...base, only, send: async () => krbErrorCodec.encode({ stime: NOW, susec: 0, errorCode: 60, realm: REALM, sname: { nameType: 2, nameString: ['krbtgt', REALM] } }) });
    expect([answered?.got, answered?.pass]).toEqual(['KRB_ERR_GENERIC (60)', false]);
    const [broken] = await runSuite({ ...base, only, send: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect([broken?.got, broken?.pass]).toEqual(['no answer: ERROR', false]);
  });

  it('a reply that is not a Kerberos message is a failure with the decoder\'s code', async () => {
    const [r] = await runSuite({ ...base, only: 'no PAC · krbtgt', send: async () => Uint8Array.of(1, 2, 3) });
    expect(r?.got).toMatch(/^no answer: ERR_/);
  });

  it('setup hooks run around their scenario, and only with a setup is it run', async () => {
    const calls: string[] = [];
    const setup = { apply: async () => void calls.push('apply'), revert: async () => void calls.push('revert') };
    const results = await runSuite({ ...base, only: 'PARTIAL_SECRETS', setups: { 'rodc-without-partial-secrets': setup }, send: refusingKdc(12) });
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(calls).toEqual(['apply', 'revert', 'apply', 'revert']);
  });

  it('reports progress before and after each exchange', async () => {
    const events: ProbeProgress[] = [];
    await runSuite({ ...base, only: 'ticket expired', onProgress: (p) => events.push(p) });
    expect(events.map((e) => [e.done, e.total, e.target, e.result?.status])).toEqual([
      [0, 2, 'krbtgt', undefined],
      [1, 2, 'krbtgt', 'fail'],
      [1, 2, 'cifs', undefined],
      [2, 2, 'cifs', 'fail'],
    ]);
  });
});

describe('selector, unknownUser, matrices', () => {
  it('substring (case-insensitive) or /regex/', () => {
    expect(selector('CLIENT_info')('no CLIENT_INFO · cifs')).toBe(true);
    expect(selector('/^no (pac|requestor) · krbtgt$/')('no REQUESTOR · krbtgt')).toBe(true);
    expect(selector('/^no (pac|requestor) · krbtgt$/')('no REQUESTOR · cifs')).toBe(false);
    expect(selector(undefined)('anything')).toBe(true);
  });

  it('unknownUser keeps the domain and picks a RID no directory hands out', () => {
    expect(unknownUser(USERS.allowed!).sid).toBe(`${DOMAIN}-2147483632`);
  });

  it('formatMatrix aligns columns and counts; formatSideBySide marks differences', async () => {
    const results = await runSuite({ ...base, only: '/^no (PAC|LOGON_INFO) · krbtgt$/' });
    const text = formatMatrix(results);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+target\s+expected\s+got\s+pass$/);
    expect(lines[1]).toMatch(/^no PAC\s+krbtgt\s+KDC_ERR_TGT_REVOKED \(20\)\s+KDC_ERR_TGT_REVOKED \(20\)\s+yes$/);
    expect(lines[2]).toMatch(/\s+NO$/);
    expect(lines[0]!.indexOf('target')).toBe(lines[1]!.indexOf('krbtgt'));
    expect(text).toContain('1 passed, 1 failed, 0 skipped');
    // Why, below the count: the failed row with what the KDC said.
    expect(lines.filter((l) => l.startsWith('failed: '))).toEqual(['failed: no LOGON_INFO · krbtgt: e-text: refused']);
    const withSkips = formatMatrix(await runSuite({ ...base, only: '/^(disabled user|locked out|no PAC) · /' })).split('\n');
    expect(withSkips.filter((l) => l.startsWith('skipped: '))).toEqual(['skipped: no user for role disabled (2 rows)', 'skipped: no user for role locked-out (2 rows)']);
    const other = await runSuite({ ...base, only: '/^no (PAC|LOGON_INFO) · krbtgt$/', send: refusingKdc(60) });
    const side = formatSideBySide({ label: 'samba', results }, { label: 'embedded', results: other }).split('\n');
    expect(side[1]).toMatch(/KDC_ERR_TGT_REVOKED \(20\)\s+KRB_ERR_GENERIC \(60\)\s+NO$/);
  });
});
