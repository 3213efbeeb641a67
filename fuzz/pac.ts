import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ETYPE, Key } from '../src/crypto/index.js';
import { DecodeError, TgtbridgeError } from '../src/errors/index.js';
import {
  buildPac,
  decodeClaimsSetMetadata,
  decodePac,
  describePac,
  encodePac,
  kerbValidationInfoFor,
  pacBuffer,
  parseSid,
  sidWithRid,
  signPac,
} from '../src/pac/index.js';
import { fromHex } from '../src/util/index.js';
import { seededRandom } from './seeded-random.js';

/**
 * Mutation fuzzing of the PAC decoder (issue 4: "each decode or fail with a typed error; none crash
 * or hang; decoding is bounded in time and memory whatever the declared sizes say").
 *
 * Each mutation of a corpus PAC must either decode — and then re-encode to exactly its input — or
 * throw DecodeError / TgtbridgeError. Anything else (TypeError, RangeError, a hang) is a failure.
 */
export interface PacFuzzResult {
  readonly iterations: number;
  readonly decoded: number;
  readonly rejected: number;
  readonly failures: readonly { readonly seed: number; readonly iteration: number; readonly error: string; readonly input: string }[];
  readonly ms: number;
}


const INTERESTING_U32 = [0, 1, 2, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x00020000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** One random mutation: bit flip, byte set, truncation, insertion, deletion, or a length-field tweak. */
export function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(random() * n);
  const b = Uint8Array.from(input);
  const kind = pick(8);
  const at = pick(Math.max(1, b.length));
  switch (kind) {
    case 0:
      if (b.length > 0) b[at]! ^= 1 << pick(8);
      return b;
    case 1:
      if (b.length > 0) b[at] = [0, 0xff, 0x7f, 0x80, 1, pick(256)][pick(6)]!;
      return b;
    case 2:
      return b.slice(0, at);
    case 3: {
      const n = 1 + pick(16);
      const out = new Uint8Array(b.length + n);
      out.set(b.subarray(0, at));
      for (let i = 0; i < n; i++) out[at + i] = pick(256);
      out.set(b.subarray(at), at + n);
      return out;
    }
    case 4: {
      const end = Math.min(b.length, at + 1 + pick(16));
      const out = new Uint8Array(b.length - (end - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(end), at);
      return out;
    }
    case 5:
    case 6: {
      // Length, count and offset fields are 4-byte aligned u32s in PACTYPE and NDR: tweak one.
      const pos = at & ~3;
      if (pos + 4 > b.length) return b;
      const view = new DataView(b.buffer);
      const old = view.getUint32(pos, true);
      const value = pick(3) === 0 ? (old + [1, -1, 8, -8, 4][pick(5)]!) >>> 0 : INTERESTING_U32[pick(INTERESTING_U32.length)]!;
      view.setUint32(pos, value, true);
      return b;
    }
    default: {
      const pos = at & ~1;
      if (pos + 2 > b.length) return b;
      new DataView(b.buffer).setUint16(pos, [0, 1, 0xffff, 0x7fff, 0x8000, pick(0x10000)][pick(6)]!, true);
      return b;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function attempt(
  input: Uint8Array,
  i: number,
  options: { describeEvery?: number; keys?: { serverKey: Key; kdcKey: Key } },
): 'decoded' | 'rejected' | { error: string } {
  try {
    const pac = decodePac(input);
    if (!sameBytes(encodePac(pac), input)) throw new Error('decoded PAC does not re-encode to its input');
    if (options.describeEvery !== undefined && i % options.describeEvery === 0) describePac(input, options.keys ?? {});
    return 'decoded';
  } catch (e) {
    if (e instanceof DecodeError || e instanceof TgtbridgeError) return 'rejected';
    return { error: String(e instanceof Error ? (e.stack ?? e.message) : e) };
  }
}

/** Run `iterations` mutations over `corpus` (stacking up to three mutations each). */
export function fuzzPac(options: { corpus: readonly Uint8Array[]; iterations: number; seed: number; describeEvery?: number; keys?: { serverKey: Key; kdcKey: Key } }): PacFuzzResult {
  const random = seededRandom(options.seed);
  const failures: { seed: number; iteration: number; error: string; input: string }[] = [];
  let decoded = 0;
  let rejected = 0;
  const t0 = performance.now();
  // Three in four mutations are rejected, and capturing a stack per DecodeError is most of the cost
  // of a run; stacks are only wanted for failures, which are decoded again with stacks on.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (let i = 0; i < options.iterations; i++) {
      let input = options.corpus[i % options.corpus.length]!;
      const rounds = 1 + Math.floor(random() * 3);
      for (let k = 0; k < rounds; k++) input = mutate(input, random);
      const outcome = attempt(input, i, options);
      if (outcome === 'decoded') decoded++;
      else if (outcome === 'rejected') rejected++;
      else if (failures.length < 20) {
        Error.stackTraceLimit = stackTraceLimit;
        const again = attempt(input, i, options);
        Error.stackTraceLimit = 0;
        const error = typeof again === 'string' ? outcome.error : again.error;
        failures.push({ seed: options.seed, iteration: i, error, input: Buffer.from(input).toString('base64') });
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { iterations: options.iterations, decoded, rejected, failures, ms: performance.now() - t0 };
}

/**
 * The seed corpus: MS-PAC §3's example, a Samba-issued PAC, a PAC we build and sign that holds
 * every other buffer type (UPN_DNS_INFO S form, attributes, requestor SID and GUID, S4U delegation,
 * device info, client and device claims, credentials, ticket and full signatures, RODC number),
 * Windows 2003/2008 PACs from MIT's t_pac.c, and the lab's Samba TGT and cifs PACs.
 */
export function pacCorpus(repoRoot: string): { corpus: Uint8Array[]; keys: { serverKey: Key; kdcKey: Key } } {
  const dir = join(repoRoot, 'krb-fixtures', 'pac');
  const dump = readFileSync(join(dir, 'ms-pac-3-example.hex'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/).slice(1).join(''))
    .join('');
  const msExample = fromHex(dump).slice(0x16);
  const samba = new Uint8Array(Buffer.from(readFileSync(join(dir, 'samba-upn-dns-info-ex.b64'), 'utf8').trim(), 'base64'));
  const claims = decodeClaimsSetMetadata(fromHex(readFileSync(join(dir, 'samba-uncompressed-claims.hex'), 'utf8')));
  const compressed = decodeClaimsSetMetadata(fromHex(readFileSync(join(dir, 'samba-compressed-claims.hex'), 'utf8')));
  const domain = parseSid('S-1-5-21-1-2-3');
  const serverKey = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, new Uint8Array(32).fill(1));
  const kdcKey = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, new Uint8Array(32).fill(2));
  const rich = buildPac({
    logonInfo: kerbValidationInfoFor({
      domainSid: domain,
      userRid: 1105,
      effectiveName: 'bob',
      logonServer: 'DC1',
      logonDomainName: 'EXAMPLE',
      groups: [{ rid: 512 }, { rid: 1200 }],
      extraSids: [{ sid: parseSid('S-1-18-1') }],
      resourceGroupDomainSid: parseSid('S-1-5-21-9-8-7'),
      resourceGroups: [{ rid: 1300 }],
    }),
    clientInfo: { authtime: new Date(0), name: 'bob' },
    upnDnsInfo: { Upn: 'bob@example.com', DnsDomainName: 'EXAMPLE.COM', Flags: 0, SamName: 'bob', Sid: sidWithRid(domain, 1105) },
    attributes: 1,
    requestorSid: sidWithRid(domain, 1105),
    clientClaims: claims,
    extraBuffers: [
      pacBuffer({ type: 'REQUESTOR_GUID', value: { Guid: '01234567-89ab-cdef-0123-456789abcdef' } }),
      pacBuffer({ type: 'CONSTRAINED_DELEGATION', value: { S4U2proxyTarget: { Length: 6, MaximumLength: 6, Buffer: 'svc' }, S4UTransitedServices: [{ Length: 2, MaximumLength: 2, Buffer: 'a' }] } }),
      pacBuffer({
        type: 'DEVICE_INFO',
        value: {
          UserId: 1500,
          PrimaryGroupId: 515,
          AccountDomainId: domain,
          AccountGroupIds: [{ RelativeId: 515, Attributes: 7 }],
          ExtraSids: [{ Sid: parseSid('S-1-18-1'), Attributes: 7 }],
          DomainGroup: [{ DomainId: parseSid('S-1-5-21-4-5-6'), GroupIds: [{ RelativeId: 1000, Attributes: 0x20000007 }] }],
        },
      }),
      pacBuffer({ type: 'DEVICE_CLAIMS_INFO', value: compressed }),
      pacBuffer({ type: 'CREDENTIALS_INFO', value: { Version: 0, EncryptionType: 18, SerializedData: new Uint8Array(40).fill(0xab) } }),
    ],
  });
  const signed = signPac({ pac: rich, serverKey, kdcKey, rodcId: 42, ticketChecksumInput: new Uint8Array([0x30, 0]), includeFullChecksum: true });
  // Real Samba 4.17 TGT and service-ticket PACs from the lab golden files, when they are there.
  const lab = ['samba-alice-tgt.pac', 'samba-alice-cifs.pac']
    .map((f) => join(repoRoot, 'krb-fixtures', 'lab', f))
    .filter((f) => existsSync(f))
    .map((f) => new Uint8Array(readFileSync(f)));
  // Windows 2003 and 2008 PACs from MIT's t_pac.c.
  const mit = JSON.parse(readFileSync(join(dir, 'mit-t-pac.json'), 'utf8')) as { saved_pac: { pac: string }; s4u_pacs: { pacs: { pac: string }[] } };
  const windows = [mit.saved_pac.pac, ...mit.s4u_pacs.pacs.slice(0, 2).map((p) => p.pac)].map(fromHex);
  return { corpus: [msExample, samba, signed, ...windows, ...lab], keys: { serverKey, kdcKey } };
}
