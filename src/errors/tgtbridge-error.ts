import { KRB_ERROR_CODES, type KrbErrorName } from './krb-error-codes.js';

/**
 * Local error codes: failures that have no RFC 4120 number (file formats, configuration, CLI input).
 * Tests assert these codes, never message prose.
 */
export type LocalErrorCode =
  | 'ERR_ASN1_DECODE'
  | 'ERR_ASN1_ENCODE'
  | 'ERR_NDR_DECODE'
  | 'ERR_PAC_FORMAT'
  | 'ERR_CCACHE_FORMAT'
  | 'ERR_KEYTAB_FORMAT'
  | 'ERR_KIRBI_FORMAT'
  | 'ERR_UNKNOWN_FORMAT'
  | 'ERR_CRYPTO_ETYPE'
  | 'ERR_CRYPTO_KEY'
  | 'ERR_CONFIG'
  | 'ERR_DIRECTORY'
  | 'ERR_IO'
  | 'ERR_TRANSPORT'
  | 'ERR_USAGE'
  | 'ERR_PRINCIPAL_SYNTAX'
  | 'ERR_STORE'
  | 'ERR_STORE_CONFLICT'
  | 'ERR_KEY_SET'
  /** A key file other accounts can read or write: refused, as ssh refuses such a private key. */
  | 'ERR_KEY_FILE_MODE'
  | 'ERR_LOGIN_REFUSED';

export type ErrorCode = KrbErrorName | LocalErrorCode;

/**
 * Base of every error tgtbridge raises on bad input. `code` is stable and switchable;
 * `krbCode` is the RFC 4120 §7.5.9 number when the failure has one (it is what a KDC puts on the
 * wire). Messages never carry key bytes or plaintext.
 */
export class TgtbridgeError extends Error {
  readonly code: ErrorCode;
  readonly krbCode: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.krbCode = code in KRB_ERROR_CODES ? KRB_ERROR_CODES[code as KrbErrorName] : undefined;
  }
}

/** A failure with an RFC 4120 error code: what a KDC answers with, or what a peer told us. */
export class KrbError extends TgtbridgeError {
  declare readonly code: KrbErrorName;
  declare readonly krbCode: number;
  /** Human text for KRB-ERROR.e-text; never secrets. */
  readonly eText: string | undefined;

  constructor(code: KrbErrorName, message: string, options?: { cause?: unknown; eText?: string }) {
    super(code, message, options);
    this.eText = options?.eText;
  }
}

/**
 * Bad bytes in a structured format. `path` names the field (e.g. `Ticket.enc-part.kvno`,
 * `KERB_VALIDATION_INFO.GroupIds[3]`), `offset` the absolute byte offset where decoding broke.
 */
export class DecodeError extends TgtbridgeError {
  readonly path: string;
  readonly offset: number;

  constructor(code: LocalErrorCode, path: string, offset: number, reason: string) {
    super(code, `${path} at byte ${offset}: ${reason}`);
    this.path = path;
    this.offset = offset;
  }
}

/**
 * Decryption or MAC failure. One fixed message for every cause (wrong key, flipped bit, bad
 * padding) so the error is no oracle.
 */
export class IntegrityError extends KrbError {
  constructor() {
    super('KRB_AP_ERR_BAD_INTEGRITY', 'integrity check on decrypted field failed');
  }
}
