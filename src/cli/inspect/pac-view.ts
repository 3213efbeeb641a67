/**
 * The PAC as `inspect` shows it: for now its buffer list (MS-PAC §2.3 PACTYPE, §2.4
 * PAC_INFO_BUFFER). This file is the one place to hook a decoded view of the buffers into
 * (LOGON_INFO, CLIENT_INFO, signatures …): replace `pacView` and `pacText`, keep their signatures.
 *
 *   PACTYPE         = cBuffers u32le, Version u32le (0), Buffers[cBuffers] PAC_INFO_BUFFER
 *   PAC_INFO_BUFFER = ulType u32le, cbBufferSize u32le, Offset u64le (from the start of the PAC)
 */
export interface PacBufferJson {
  readonly type: number;
  readonly typeName: string;
  readonly size: number;
  readonly offset: number;
}

export interface PacJson {
  readonly version: number;
  readonly buffers: readonly PacBufferJson[];
  /** Set when the PAC's own structure is broken (the buffers read up to there are listed). */
  readonly error?: string;
}

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
  const v = pacView(bytes);
  return v.error === undefined && v.buffers.length > 0;
}

export function pacView(pac: Uint8Array): PacJson {
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
    buffers.push({ type, typeName: PAC_BUFFER_TYPE_NAMES[type] ?? `type-${type}`, size, offset: Number(offset) });
  }
  return { version, buffers };
}

/** Human lines for the PAC, indented by the caller. */
export function pacText(v: PacJson): string[] {
  const lines = [`PAC version ${v.version}, ${v.buffers.length} buffer(s):`];
  for (const b of v.buffers) lines.push(`  ${String(b.type).padStart(2)} ${b.typeName.padEnd(27)} ${b.size} bytes at ${b.offset}`);
  if (v.error !== undefined) lines.push(`  PAC is malformed: ${v.error}`);
  return lines;
}
