/**
 * The validated shape of config/tgtbridge.yaml. Paths are absolute (resolved against the config
 * file's directory); durations are seconds.
 */

export const PASSKEY_TYPES = ['deviceBound', 'synced'] as const;
export type PasskeyType = (typeof PASSKEY_TYPES)[number];

export const USER_VERIFICATION = ['required', 'preferred', 'discouraged'] as const;
export type UserVerificationRule = (typeof USER_VERIFICATION)[number];

export type AaguidRule =
  | { readonly mode: 'any' }
  | { readonly mode: 'allow'; readonly aaguids: readonly string[] }
  | { readonly mode: 'block'; readonly aaguids: readonly string[] };

/**
 * A passkey profile (Entra "passkey profile"): rules for the users of its target groups.
 * `attestation: 'required'` is checked at registration only; `types` and `aaguid` at registration
 * and at every sign-in; `userVerification` at both.
 */
export interface PasskeyProfile {
  readonly name: string;
  /** Group names or SIDs whose (transitive) members this profile targets. */
  readonly groups: readonly string[];
  /** Members of these groups are not targeted by this profile even when in `groups`. */
  readonly excludeGroups: readonly string[];
  readonly types: readonly PasskeyType[];
  readonly attestation: 'off' | 'required';
  /** PEM text of each trusted attestation root (loaded from `trustedRoots` paths). */
  readonly trustedRoots: readonly string[];
  /** Also trust the attestation roots the FIDO metadata file lists for the claimed AAGUID. */
  readonly trustMetadata: boolean;
  readonly aaguid: AaguidRule;
  readonly userVerification: UserVerificationRule;
}

export interface PasskeysConfig {
  readonly profiles: readonly PasskeyProfile[];
  /** Name of the profile for users no other profile targets. */
  readonly default: string;
  /** Members of these groups may not use passkeys at all: exclusion beats every inclusion. */
  readonly excludeGroups: readonly string[];
  /** Optional FIDO MDS3 blob (JSON payload) for authenticator names. */
  readonly metadataFile: string | undefined;
}

export type HttpsConfig =
  | { readonly mode: 'off' }
  | { readonly mode: 'selfSigned' }
  | { readonly mode: 'files'; readonly cert: string; readonly key: string };

export interface BridgeConfig {
  readonly host: string;
  readonly port: number;
  readonly origin: string;
  readonly rpId: string;
  readonly rpName: string;
  readonly https: HttpsConfig;
  /** Seconds a WebAuthn challenge stays valid. */
  readonly challengeTtl: number;
  /**
   * Reverse proxies (addresses, CIDR ranges, or loopback / linklocal / uniquelocal) whose
   * X-Forwarded-For names the client. Empty: the peer of the TCP connection is the client.
   */
  readonly trustedProxies: readonly string[];
  /** Sign-in / TAP attempts per user and per source address in `rateLimit.window` seconds. */
  readonly rateLimit: { readonly perUser: number; readonly perAddress: number; readonly window: number };
}

export interface DirectoryConfig {
  readonly source: 'file';
  readonly path: string;
}

export interface TapConfig {
  readonly ttl: number;
  readonly maxTtl: number;
  readonly uses: number;
}

export interface SessionsConfig {
  readonly ttl: number;
  readonly cookieName: string;
  /** A session may register passkeys this long after its passkey sign-in (Entra: 5 minutes). */
  readonly registrationWindow: number;
}

export interface Config {
  readonly file: string;
  readonly realm: string;
  readonly dnsDomain: string;
  readonly netbiosDomain: string;
  readonly bridge: BridgeConfig;
  readonly directory: DirectoryConfig;
  readonly passkeys: PasskeysConfig;
  readonly tap: TapConfig;
  readonly sessions: SessionsConfig;
  /** Owned by the minting module; validated there. Only checked to be a mapping here. */
  readonly minting: Readonly<Record<string, unknown>>;
  /** Owned by the kdc module; validated there. Only checked to be a mapping here. */
  readonly kdc: Readonly<Record<string, unknown>>;
}
