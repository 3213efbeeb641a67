import { describePac, type PacView, type SidView, type VerifyPacKeys } from '../../pac/index.js';

/**
 * The PAC as `inspect` shows it: its buffer list (MS-PAC §2.3 PACTYPE, §2.4 PAC_INFO_BUFFER) and,
 * when the PAC decodes, the decoded buffers and each signature's status from pac's describePac
 * (verified when `keys` are given: the service key for the server signature, the krbtgt key for
 * the KDC, ticket and full signatures).
 *
 *   PACTYPE         = cBuffers u32le, Version u32le (0), Buffers[cBuffers] PAC_INFO_BUFFER
 *   PAC_INFO_BUFFER = ulType u32le, cbBufferSize u32le, Offset u64le (from the start of the PAC)
 */
export interface PacBufferJson {
  readonly type: number;
  /** Issue 4's JSON name for typeName. */
  readonly name: string;
  readonly typeName: string;
  readonly size: number;
  readonly offset: number;
}

export type PacJson = Partial<Omit<PacView, 'buffers'>> & {
  readonly version: number;
  readonly buffers: readonly PacBufferJson[];
  /** Set when the PAC's own structure is broken (the buffers read up to there are listed). */
  readonly error?: string;
};

/** MS-PAC §2.4 ulType values. */
export const PAC_BUFFER_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'LOGON_INFO',
  2: 'CREDENTIALS_INFO',
  6: 'SERVER_CHECKSUM',
  7: 'PRIVSVR_CHECKSUM',
  10: 'CLIENT_INFO',
  11: 'CONSTRAINED_DELEGATION_INFO',
  12: 'UPN_DNS_INFO',
  13: 'CLIENT_CLAIMS_INFO',
  14: 'DEVICE_INFO',
  15: 'DEVICE_CLAIMS_INFO',
  16: 'TICKET_CHECKSUM',
  17: 'ATTRIBUTES_INFO',
  18: 'REQUESTOR',
  19: 'FULL_CHECKSUM',
};

/** A real PAC has a handful of buffers; this bound stops a hostile count before the loop. */
const MAX_BUFFERS = 1024;

/** Does `bytes` look like a PAC: a sane buffer count, version 0, and every buffer inside the blob? */
export function looksLikePac(bytes: Uint8Array): boolean {
  const v = pacLayout(bytes);
  return v.error === undefined && v.buffers.length > 0;
}

export function pacView(pac: Uint8Array, keys: VerifyPacKeys = {}): PacJson {
  const listed = pacLayout(pac);
  if (listed.error !== undefined) return listed;
  try {
    const { buffers: _names, ...decoded } = describePac(pac, keys);
    return { ...listed, ...decoded };
  } catch (e) {
    return { ...listed, error: (e as Error).message };
  }
}

function pacLayout(pac: Uint8Array): PacJson {
  const dv = new DataView(pac.buffer, pac.byteOffset, pac.byteLength);
  if (pac.length < 8) return { version: 0, buffers: [], error: `PACTYPE at byte 0: ${pac.length} bytes, needs at least 8` };
  const count = dv.getUint32(0, true);
  const version = dv.getUint32(4, true);
  const buffers: PacBufferJson[] = [];
  if (version !== 0) return { version, buffers, error: `PACTYPE.Version at byte 4: ${version}, must be 0` };
  if (count > MAX_BUFFERS || 8 + count * 16 > pac.length) {
    return { version, buffers, error: `PACTYPE.cBuffers at byte 0: ${count} buffers do not fit in ${pac.length} bytes` };
  }
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    const type = dv.getUint32(at, true);
    const size = dv.getUint32(at + 4, true);
    const offset = dv.getBigUint64(at + 8, true);
    if (offset + BigInt(size) > BigInt(pac.length)) {
      return { version, buffers, error: `PAC_INFO_BUFFER[${i}] at byte ${at}: offset ${offset} + size ${size} is past the end (${pac.length})` };
    }
    const typeName = PAC_BUFFER_TYPE_NAMES[type] ?? `type-${type}`;
    buffers.push({ type, name: typeName, typeName, size, offset: Number(offset) });
  }
  return { version, buffers };
}

const sidLine = (s: SidView): string => `${s.sid}${s.name !== undefined ? ` (${s.name})` : ''}${s.attributes !== undefined ? ` attributes 0x${s.attributes.toString(16)}` : ''}`;

/** Human lines for the PAC, indented by the caller. */
export function pacText(v: PacJson): string[] {
  const lines = [`PAC version ${v.version}, ${v.buffers.length} buffer(s):`];
  for (const b of v.buffers) lines.push(`  ${String(b.type).padStart(2)} ${b.typeName.padEnd(27)} ${b.size} bytes at ${b.offset}`);
  if (v.error !== undefined) lines.push(`  PAC is malformed: ${v.error}`);
  const l = v.logonInfo;
  if (l !== undefined) {
    lines.push(`  user:          ${l.logonDomainName ?? ''}\\${l.effectiveName ?? ''} (${l.userSid ?? 'no SID'})`);
    if (l.fullName) lines.push(`  full name:     ${l.fullName}`);
    lines.push(`  domain SID:    ${l.domainSid ?? '(none)'}`, `  logon server:  ${l.logonServer ?? ''}`, `  primary group: ${l.primaryGroupSid ?? ''}`);
    lines.push(`  groups (${l.groupSids.length}):`, ...l.groupSids.map((g) => `    ${sidLine(g)}`));
    if (l.extraSids.length > 0) lines.push(`  extra SIDs (${l.extraSids.length}):`, ...l.extraSids.map((g) => `    ${sidLine(g)}`));
    if (l.resourceGroupSids.length > 0) lines.push(`  resource groups (${l.resourceGroupSids.length}):`, ...l.resourceGroupSids.map((g) => `    ${sidLine(g)}`));
    lines.push(`  user flags 0x${l.userFlags.toString(16)}, account control 0x${l.userAccountControl.toString(16)}, logon time ${l.logonTime ?? '(not set)'}`);
  }
  if (v.clientInfo !== undefined) lines.push(`  client info:   ${v.clientInfo.name}, ${v.clientInfo.clientId ?? '(no time)'}`);
  const u = v.upnDnsInfo;
  if (u !== undefined) {
    lines.push(`  UPN:           ${u.upn}${(u.flags & 1) !== 0 ? ' (constructed)' : ''}`, `  DNS domain:    ${u.dnsDomainName}`);
    if (u.samName !== undefined) lines.push(`  SAM name:      ${u.samName}`, `  SID:           ${u.sid ?? ''}`);
  }
  if (v.requestorSid !== undefined) lines.push(`  requestor SID: ${v.requestorSid}`);
  if (v.attributes !== undefined) {
    const names = [v.attributes.pacWasRequested ? 'PAC_WAS_REQUESTED' : '', v.attributes.pacWasGivenImplicitly ? 'PAC_WAS_GIVEN_IMPLICITLY' : ''].filter((n) => n !== '');
    lines.push(`  attributes:    ${names.join(' ') || '(none)'}`);
  }
  for (const [label, c] of [['client claims', v.clientClaims], ['device claims', v.deviceClaims]] as const) {
    if (c === undefined) continue;
    if (c.compressed) lines.push(`  ${label}: compressed (format ${c.compressionFormat}), not decoded`);
    else lines.push(`  ${label}:`, ...(c.claims ?? []).map((e) => `    ${e.id ?? '(no id)'} = ${e.values.join(', ')}`));
  }
  for (const s of v.signatures ?? []) {
    const status = s.verified === true ? 'verified' : s.verified === false ? 'FAILED' : `not checked${s.reason !== undefined ? ` (${s.reason})` : ''}`;
    lines.push(`  ${s.type.padEnd(16)} checksum type ${s.checksumType}${s.rodcId !== null ? `, RODC ${s.rodcId}` : ''}: ${status}`);
  }
  return lines;
}
