import { PA_DATA_TYPES, classifyEData, decodeKerbExtError, formatPrincipal, type KrbErrorMessage, type PaData } from '../../asn1/index.js';
import { krbErrorName } from '../../errors/index.js';
import { time } from './common-views.js';

/** NTSTATUS values Windows and Samba KDCs put in KERB-EXT-ERROR (MS-ERREF §2.3.1). */
const NTSTATUS_NAMES: Readonly<Record<number, string>> = {
  0x00000000: 'STATUS_SUCCESS',
  0xc000006d: 'STATUS_LOGON_FAILURE',
  0xc000006e: 'STATUS_ACCOUNT_RESTRICTION',
  0xc000006f: 'STATUS_INVALID_LOGON_HOURS',
  0xc0000070: 'STATUS_INVALID_WORKSTATION',
  0xc0000071: 'STATUS_PASSWORD_EXPIRED',
  0xc0000072: 'STATUS_ACCOUNT_DISABLED',
  0xc0000064: 'STATUS_NO_SUCH_USER',
  0xc000006a: 'STATUS_WRONG_PASSWORD',
  0xc0000133: 'STATUS_TIME_DIFFERENCE_AT_DC',
  0xc0000193: 'STATUS_ACCOUNT_EXPIRED',
  0xc0000224: 'STATUS_PASSWORD_MUST_CHANGE',
  0xc0000234: 'STATUS_ACCOUNT_LOCKED_OUT',
  0xc000015b: 'STATUS_LOGON_TYPE_NOT_GRANTED',
  0xc00002f9: 'STATUS_PKINIT_NAME_MISMATCH',
  0xc0000388: 'STATUS_DOWNGRADE_DETECTED',
  0xc0000413: 'STATUS_AUTHENTICATION_FIREWALL_FAILED',
  0xc000035b: 'STATUS_NO_KERB_KEY',
  0xc0000022: 'STATUS_ACCESS_DENIED',
  0xc00000bb: 'STATUS_NOT_SUPPORTED',
  0xc0000001: 'STATUS_UNSUCCESSFUL',
};

export interface KrbErrorJson {
  readonly errorCode: number;
  readonly errorName: string;
  readonly stime: string;
  readonly susec: number;
  readonly ctime?: string;
  readonly cusec?: number;
  readonly crealm?: string;
  readonly cname?: string;
  readonly realm: string;
  readonly sname: string;
  readonly eText?: string;
  readonly eData?: {
    readonly kind: string;
    readonly length: number;
    readonly dataType?: number;
    readonly ntstatus?: string;
    readonly ntstatusName?: string;
    /** Where the NTSTATUS was: KERB-ERROR-DATA (MS-KILE §2.2.1) or a KERB-EXT-ERROR in PA-PW-SALT. */
    readonly ntstatusSource?: 'KERB-ERROR-DATA' | 'PA-PW-SALT';
    readonly padataTypes?: readonly number[];
    readonly error?: string;
  };
}

export function krbErrorJson(e: KrbErrorMessage): KrbErrorJson {
  const out: { -readonly [K in keyof KrbErrorJson]: KrbErrorJson[K] } = {
    errorCode: e.errorCode,
    errorName: krbErrorName(e.errorCode) ?? `error-${e.errorCode}`,
    stime: time(e.stime)!,
    susec: e.susec,
    realm: e.realm,
    sname: formatPrincipal(e.sname),
  };
  if (e.ctime) out.ctime = time(e.ctime)!;
  if (e.cusec !== undefined) out.cusec = e.cusec;
  if (e.crealm !== undefined) out.crealm = e.crealm;
  if (e.cname) out.cname = formatPrincipal(e.cname);
  if (e.eText !== undefined) out.eText = e.eText;
  if (e.eData) out.eData = eDataJson(e.eData);
  return out;
}

function eDataJson(raw: Uint8Array): NonNullable<KrbErrorJson['eData']> {
  try {
    const d = classifyEData(raw);
    if (d.kind === 'METHOD-DATA') {
      const base = { kind: d.kind, length: raw.length, padataTypes: d.methodData.map((p) => p.padataType) };
      const status = statusInPwSalt(d.methodData);
      return status === undefined ? base : { ...base, ...ntstatusJson(status), ntstatusSource: 'PA-PW-SALT' };
    }
    if (d.kind === 'KERB-ERROR-DATA') {
      const ext = d.errorData.extError;
      if (!ext) return { kind: d.kind, length: raw.length, dataType: d.errorData.dataType };
      return { kind: d.kind, length: raw.length, dataType: d.errorData.dataType, ...ntstatusJson(ext.status), ntstatusSource: 'KERB-ERROR-DATA' };
    }
    return { kind: 'unknown', length: raw.length };
  } catch (err) {
    return { kind: 'malformed', length: raw.length, error: (err as Error).message };
  }
}

function ntstatusJson(status: number): { ntstatus: string; ntstatusName: string } {
  const s = status >>> 0;
  return { ntstatus: `0x${s.toString(16).padStart(8, '0')}`, ntstatusName: NTSTATUS_NAMES[s] ?? 'unknown NTSTATUS' };
}

/**
 * Samba's AD DC (measured: 4.17, KDC_ERR_CLIENT_REVOKED for a disabled account) and Windows put
 * the KERB-EXT-ERROR (status, reserved, flags; 12 octets little-endian, MS-KILE §2.2.2) in a
 * PA-PW-SALT of the METHOD-DATA instead of in KERB-ERROR-DATA. A real salt could be 12 octets
 * too, so only the exact shape counts: reserved 0, flags 1, an error-severity status.
 */
function statusInPwSalt(methodData: readonly PaData[]): number | undefined {
  const salt = methodData.find((p) => p.padataType === PA_DATA_TYPES['PA-PW-SALT']);
  if (salt === undefined || salt.padataValue.length !== 12) return undefined;
  const ext = decodeKerbExtError(salt.padataValue);
  return ext.reserved === 0 && ext.flags === 1 && ext.status >>> 30 === 3 ? ext.status : undefined;
}

export function krbErrorText(j: KrbErrorJson): string[] {
  const out = [
    `KRB-ERROR ${j.errorName} (${j.errorCode})`,
    `  server time: ${j.stime} + ${j.susec} µs`,
    `  server:      ${j.sname}@${j.realm}`,
  ];
  if (j.cname !== undefined) out.push(`  client:      ${j.cname}@${j.crealm ?? ''}`);
  if (j.ctime !== undefined) out.push(`  client time: ${j.ctime}`);
  if (j.eText !== undefined) out.push(`  e-text:      ${j.eText}`);
  const d = j.eData;
  if (d) {
    if (d.padataTypes) out.push(`  e-data:      METHOD-DATA, padata types ${d.padataTypes.join(', ')}`);
    if (d.ntstatus !== undefined) {
      out.push(`  NTSTATUS:    ${d.ntstatus} ${d.ntstatusName} (${d.ntstatusSource === 'PA-PW-SALT' ? 'KERB-EXT-ERROR in PA-PW-SALT' : `KERB-ERROR-DATA type ${d.dataType}`})`);
    } else if (!d.padataTypes) {
      out.push(`  e-data:      ${d.kind}, ${d.length} bytes${d.dataType === undefined ? '' : ` (data-type ${d.dataType})`}${d.error ? `: ${d.error}` : ''}`);
    }
  }
  return out;
}
