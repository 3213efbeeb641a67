export { KRB_ERROR_CODES, krbErrorName, type KrbErrorName } from './krb-error-codes.js';
export {
  TgtbridgeError,
  KrbError,
  DecodeError,
  IntegrityError,
  type ErrorCode,
  type LocalErrorCode,
} from './tgtbridge-error.js';
export { ProblemError, PROBLEM_CODES, type ProblemCode } from './problem-error.js';
