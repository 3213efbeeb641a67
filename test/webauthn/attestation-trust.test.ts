import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainReachesRoots, parsePemCertificates } from '../../src/webauthn/index.js';
import { issueCert, testAttestationCa } from './synth.js';

const AG = 'ee882879-721c-4913-9775-3dfcce97072a';
const LEAF_DN: [string, string][] = [['C', 'DE'], ['O', 'x'], ['OU', 'Authenticator Attestation'], ['CN', 'Key']];
const x509 = (der: Uint8Array) => new X509Certificate(der);

describe('chainReachesRoots', () => {
  it('accepts leaf → root, leaf → intermediate → root, and a chain that includes the root', async () => {
    const { root, leaf } = await testAttestationCa(AG);
    const now = new Date();
    expect(chainReachesRoots([leaf.der], [x509(root.der)], now)).toBe(true);
    expect(chainReachesRoots([leaf.der, root.der], [x509(root.der)], now)).toBe(true);
    const mid = await issueCert([['C', 'DE'], ['O', 'x'], ['CN', 'Mid']], true, root);
    const leaf2 = await issueCert(LEAF_DN, false, mid, AG);
    expect(chainReachesRoots([leaf2.der, mid.der], [x509(root.der)], now)).toBe(true);
    expect(chainReachesRoots([leaf2.der], [x509(root.der)], now)).toBe(false);
  });

  it('refuses another root, a non-CA intermediate, expired certificates, garbage and empty input', async () => {
    const { root, leaf } = await testAttestationCa(AG);
    const other = await testAttestationCa(AG);
    const now = new Date();
    expect(chainReachesRoots([leaf.der], [x509(other.root.der)], now)).toBe(false);
    const notCa = await issueCert([['C', 'DE'], ['O', 'x'], ['CN', 'NotCA']], false, root);
    const under = await issueCert(LEAF_DN, false, notCa, AG);
    expect(chainReachesRoots([under.der, notCa.der], [x509(root.der)], now)).toBe(false);
    const old = await issueCert(LEAF_DN, false, root, AG, { from: new Date('2020-01-01'), to: new Date('2021-01-01') });
    expect(chainReachesRoots([old.der], [x509(root.der)], now)).toBe(false);
    expect(chainReachesRoots([leaf.der], [x509(root.der)], new Date(Date.now() + 400 * 86400_000))).toBe(false);
    expect(chainReachesRoots([new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])], [x509(root.der)], now)).toBe(false);
    expect(chainReachesRoots([], [x509(root.der)], now)).toBe(false);
    expect(chainReachesRoots([leaf.der], [], now)).toBe(false);
  });

  it('reads every certificate of a PEM bundle', async () => {
    const a = await testAttestationCa(AG);
    const b = await testAttestationCa(AG);
    expect(parsePemCertificates(a.root.pem + b.root.pem)).toHaveLength(2);
  });
});
