/**
 * Stable codes of the bridge's refusals. Each becomes an RFC 9457 problem+json response; the
 * HTTP status for each code is decided in one place, the bridge's problem table.
 */
export const PROBLEM_CODES = [
  'passkey.synced_not_allowed',
  'passkey.device_bound_not_allowed',
  'passkey.aaguid_blocked',
  'passkey.aaguid_not_allowed',
  'passkey.attestation_required',
  'passkey.attestation_untrusted',
  'passkey.uv_required',
  'passkey.counter_regressed',
  'passkey.be_changed',
  'passkey.challenge_invalid',
  'passkey.unknown_credential',
  'passkey.no_credentials',
  'passkey.verification_failed',
  'passkey.excluded',
  'passkey.already_registered',
  'passkey.not_found',
  'tap.invalid',
  'tap.expired',
  'tap.used_up',
  'user.unknown',
  'user.disabled',
  'user.locked_out',
  'user.expired',
  'session.required',
  'session.stale',
  'request.invalid',
  'request.forbidden_origin',
  'request.content_type',
  'request.too_large',
  'rate_limited',
  'not_found',
  'internal',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * A refusal a person will read: `code` is stable (tests and clients switch on it), `detail` is one
 * sentence saying what happened and what to do. Never carries secrets.
 */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly detail: string;

  constructor(code: ProblemCode, detail: string, options?: { cause?: unknown }) {
    super(`${code}: ${detail}`, options);
    this.name = 'ProblemError';
    this.code = code;
    this.detail = detail;
  }
}
