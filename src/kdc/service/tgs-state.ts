import type { ApReq, Authenticator, AuthorizationDataEntry, EncTicketPart, KdcReq } from '../../asn1/index.js';
import type { Key } from '../../crypto/index.js';
import type { DirectoryUser } from '../../directory/index.js';
import type { KeySet } from '../../ticket/index.js';
import type { SessionKeyCache } from './key-cache.js';
import type { CopiedPacLayouts, DirectoryPacTemplates } from './pac-template.js';
import type { PacView } from './pac-view.js';
import type { VerifiedTgtCache } from './tgt-cache.js';
import type { ExchangeKdcOptions, RequestSource } from './types.js';

/** Which key the presented TGT was sealed with (DESIGN.md: kvno = (N << 16) | v). */
export type PresentedKind = 'partial' | 'full';

/**
 * One TGS-REQ as the guards see it. The guards run in order and fill in what they establish
 * (the opened ticket, the authenticator, the user); later guards read what earlier ones set.
 * Internal to the service: mutable on purpose, never leaves the request.
 */
export interface TgsState {
  readonly kdc: ResolvedKdc;
  readonly req: KdcReq;
  readonly source: RequestSource;
  readonly now: Date;
  apReq?: ApReq;
  kind?: PresentedKind;
  /** The key that opened the presented TGT: krbtgt_N's for a partial TGT, the realm krbtgt's otherwise. */
  ticketKey?: Key;
  rodcNumber?: number;
  enc?: EncTicketPart;
  sessionKey?: Key;
  authenticator?: Authenticator;
  /** The authenticator's subkey, when it carries one: the reply is then encrypted under it (usage 9). */
  subkey?: Key;
  pacBytes?: Uint8Array;
  pac?: PacView;
  user?: DirectoryUser;
  /** Every group SID of the user, transitively, plus the user's own SID (the PRP lists accounts too). */
  memberOf?: ReadonlySet<string>;
  /** The new ticket's authorization data after its PAC: the TGT's and the request's, KDC-issued types left out (authorization-data.ts). */
  carriedAuthorizationData?: readonly AuthorizationDataEntry[];
}

/** The KDC's options after start-up work: key sets by RODC number, krbtgt keys by kvno. */
export interface ResolvedKdc {
  readonly options: ExchangeKdcOptions;
  readonly realm: string;
  readonly rodcSets: ReadonlyMap<number, KeySet>;
  readonly krbtgtByKvno: ReadonlyMap<number, readonly { readonly kvno: number; readonly key: Key }[]>;
  /** The AES256 krbtgt key new TGTs are sealed and signed with (the highest kvno). */
  readonly krbtgtCurrent: { readonly kvno: number; readonly key: Key };
  readonly sessionKeys: SessionKeyCache;
  readonly pacTemplates: DirectoryPacTemplates;
  readonly copiedPacs: CopiedPacLayouts;
  readonly verifiedTgts: VerifiedTgtCache;
}

/** A guard checks one thing and throws KrbError with the DC's code when it does not hold. */
export type TgsGuard = (s: TgsState) => void | Promise<void>;

/** Narrow a field a previous guard set; reaching it unset is a bug in the guard order, not bad input. */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`guard order: ${what} not established`);
  return value;
}
