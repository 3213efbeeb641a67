import { TgtbridgeError } from '../../errors/index.js';

/**
 * The few LDAP operations the AD tooling needs (RFC 4511 §4.5–4.9), as a port: the ldapts adapter
 * implements it for real directories; request building and the create/show logic only see this.
 */

export interface LdapControlSpec {
  readonly oid: string;
  readonly critical: boolean;
}

export interface LdapAddRequest {
  readonly dn: string;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  readonly controls: readonly LdapControlSpec[];
}

export interface LdapChange {
  readonly operation: 'add' | 'delete' | 'replace';
  readonly type: string;
  readonly values: readonly string[];
}

export interface LdapModifyRequest {
  readonly dn: string;
  readonly changes: readonly LdapChange[];
}

export interface LdapEntry {
  readonly dn: string;
  /** Keys lower-cased; every value as text. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** Keys lower-cased; only the attributes asked for as binary (objectSid). */
  readonly binary: Readonly<Record<string, readonly Uint8Array[]>>;
}

export interface LdapSearchRequest {
  readonly base: string;
  readonly scope: 'base' | 'one' | 'sub';
  readonly filter: string;
  readonly attributes: readonly string[];
  readonly binaryAttributes?: readonly string[];
}

export interface LdapConnection {
  search(req: LdapSearchRequest): Promise<readonly LdapEntry[]>;
  add(req: LdapAddRequest): Promise<void>;
  modify(req: LdapModifyRequest): Promise<void>;
  /** Renames within the same parent: `newRdn` is `CN=…`. */
  rename(dn: string, newRdn: string): Promise<void>;
  del(dn: string): Promise<void>;
  close(): Promise<void>;
}

/** RFC 4511 §4.1.9 result codes the tooling reacts to. */
export const LDAP_RESULT_CODES = {
  success: 0,
  strongerAuthRequired: 8,
  unavailableCriticalExtension: 12,
  confidentialityRequired: 13,
  noSuchAttribute: 16,
  noSuchObject: 32,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
  constraintViolation: 19,
  entryAlreadyExists: 68,
} as const;

/**
 * An LDAP operation the directory refused (or a connection that failed: `resultCode` undefined).
 * The message names the operation and the DN, never the bind password.
 */
export class LdapError extends TgtbridgeError {
  readonly resultCode: number | undefined;
  readonly operation: string;

  constructor(operation: string, resultCode: number | undefined, message: string, options?: { cause?: unknown }) {
    super('ERR_DIRECTORY', message, options);
    this.operation = operation;
    this.resultCode = resultCode;
  }
}

export function firstValue(entry: LdapEntry, attr: string): string | undefined {
  return entry.attributes[attr.toLowerCase()]?.[0];
}

export function allValues(entry: LdapEntry, attr: string): readonly string[] {
  return entry.attributes[attr.toLowerCase()] ?? [];
}

export function intValue(entry: LdapEntry, attr: string): number | undefined {
  const v = firstValue(entry, attr);
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}
