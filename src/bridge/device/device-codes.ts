import type { DeviceAuthorizeRequest } from './authorize-request.js';
import { DEVICE_CLIENT_ID } from './authorize-request.js';

/**
 * What the store's one-time-code table holds for the device flow, under two hash purposes so a
 * pending-request id can never be redeemed as a code (SecretHasher binds the purpose).
 */
export const HASH_PURPOSE = { request: 'device_request', code: 'device_code' } as const;

/** Pending authorization requests wait this long for the person to sign in. */
export const PENDING_REQUEST_TTL_SEC = 600;
/** Codes live 60 s: the agent redeems within a second of the redirect (RFC 6749 §4.1.2: ≤ 10 min). */
export const CODE_TTL_SEC = 60;

export interface PendingRequestData extends DeviceAuthorizeRequest {
  readonly kind: 'device_request';
}

/**
 * An issued code: bound to the PKCE challenge, the agent's key and the redirect URI. The minted
 * ticket is kept as DER — encrypted under krbtgt_N and useless without its session key, which is
 * never stored: at redemption the bridge re-opens its own ticket with the key set.
 */
export interface IssuedCodeData {
  readonly kind: 'device_code';
  readonly clientId: typeof DEVICE_CLIENT_ID;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly agentKey: string;
  readonly userSid: string;
  readonly kvno: number;
  /** base64 DER Ticket. */
  readonly ticket: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (r: Record<string, unknown>, k: string): boolean => typeof r[k] === 'string';

export function asPendingRequest(v: unknown): PendingRequestData | undefined {
  if (!isRecord(v) || v['kind'] !== 'device_request' || v['clientId'] !== DEVICE_CLIENT_ID) return undefined;
  if (!['redirectUri', 'state', 'codeChallenge', 'agentKey'].every((k) => str(v, k))) return undefined;
  if (v['loginHint'] !== undefined && v['loginHint'] !== null && !str(v, 'loginHint')) return undefined;
  return { ...(v as unknown as PendingRequestData), loginHint: typeof v['loginHint'] === 'string' ? v['loginHint'] : undefined };
}

export function asIssuedCode(v: unknown): IssuedCodeData | undefined {
  if (!isRecord(v) || v['kind'] !== 'device_code' || v['clientId'] !== DEVICE_CLIENT_ID) return undefined;
  if (!['redirectUri', 'codeChallenge', 'agentKey', 'userSid', 'ticket'].every((k) => str(v, k))) return undefined;
  if (typeof v['kvno'] !== 'number' || !Number.isInteger(v['kvno'])) return undefined;
  return v as unknown as IssuedCodeData;
}
