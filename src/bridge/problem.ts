import type { Response } from 'express';
import { ProblemError, type ProblemCode } from '../errors/index.js';

/**
 * The one place a refusal code becomes an HTTP status (CONVENTIONS.md §6). Titles are short and
 * fixed per code; the `detail` of each ProblemError is the sentence a person reads.
 */
export const PROBLEM_STATUS: Readonly<Record<ProblemCode, readonly [status: number, title: string]>> = {
  'passkey.synced_not_allowed': [403, 'Synced passkeys are not allowed'],
  'passkey.device_bound_not_allowed': [403, 'Device-bound passkeys are not allowed'],
  'passkey.aaguid_blocked': [403, 'Authenticator blocked'],
  'passkey.aaguid_not_allowed': [403, 'Authenticator not allowed'],
  'passkey.attestation_required': [403, 'Attestation required'],
  'passkey.attestation_untrusted': [403, 'Attestation not trusted'],
  'passkey.uv_required': [403, 'User verification required'],
  'passkey.counter_regressed': [403, 'Signature counter went backwards'],
  'passkey.be_changed': [403, 'Backup eligibility changed'],
  'passkey.challenge_invalid': [400, 'Challenge expired or already used'],
  'passkey.unknown_credential': [401, 'Unknown passkey'],
  'passkey.no_credentials': [404, 'No passkey registered'],
  'passkey.verification_failed': [401, 'Passkey verification failed'],
  'passkey.excluded': [403, 'Passkeys not allowed for this account'],
  'passkey.already_registered': [409, 'Passkey already registered'],
  'passkey.not_found': [404, 'No such passkey'],
  'tap.invalid': [401, 'Invalid temporary access pass'],
  'tap.expired': [401, 'Temporary access pass expired'],
  'tap.used_up': [401, 'Temporary access pass already used'],
  'user.unknown': [401, 'Unknown account'],
  'user.disabled': [403, 'Account disabled'],
  'user.locked_out': [403, 'Account locked'],
  'user.expired': [403, 'Account expired'],
  'session.required': [401, 'Sign-in required'],
  'session.stale': [403, 'Recent sign-in required'],
  'request.invalid': [400, 'Invalid request'],
  'request.forbidden_origin': [403, 'Cross-origin request refused'],
  'request.content_type': [415, 'JSON required'],
  'request.too_large': [413, 'Request too large'],
  rate_limited: [429, 'Too many attempts'],
  not_found: [404, 'Not found'],
  internal: [500, 'Internal error'],
};

/** RFC 9457 problem details; `code` is the stable extension member clients switch on. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
}

export function problemBody(e: ProblemError): ProblemBody {
  const [status, title] = PROBLEM_STATUS[e.code];
  return { type: `urn:tgtbridge:problem:${e.code}`, title, status, detail: e.detail, code: e.code };
}

export function sendProblem(res: Response, e: ProblemError, retryAfterSeconds?: number): void {
  const body = problemBody(e);
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}
