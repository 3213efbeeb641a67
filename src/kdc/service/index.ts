/**
 * The embedded exchange KDC (issue 6): what a writable AD DC does with RODC-issued partial TGTs,
 * on UDP and TCP. createExchangeKdc → { handle, listen }.
 */
export { createExchangeKdc, TGS_GUARDS, type ExchangeKdc } from './exchange-kdc.js';
export { listenExchangeKdc, type ListenOptions, type Listening, type KdcHandler } from './listen.js';
export { MemoryReplayCache } from './replay-cache.js';
export { TokenBuckets, type RateLimitOptions } from './rate-limit.js';
export { directoryPac, AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY, type DirectoryPacInput } from './directory-pac.js';
export { krbErrorReply } from './krb-error-reply.js';
export { defaultExchangePolicy, DEFAULT_MAX_LIFETIME_SEC, DEFAULT_MAX_RENEW_SEC, DEFAULT_CLOCK_SKEW_SEC } from './policy.js';
export type { ExchangeKdcOptions, ExchangePolicy, ReplayCache, RequestSource, ServiceKeyTable, VersionedKey } from './types.js';
export { parseKdcSettings, type KdcSettings } from './settings.js';
export { ensureEmbeddedKeys, loadEmbeddedKeys, KRBTGT_KEYTAB, SERVICE_KEYTAB_DIR, type EmbeddedKeys, type EmbeddedKeyPaths } from './embedded-keys.js';
export { startEmbeddedKdc, type EmbeddedKdc, type EmbeddedKdcInput } from './embedded.js';
