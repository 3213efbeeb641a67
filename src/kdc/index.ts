export { FILE_INCLUDES, parseProfile, profileValues, readKrb5Conf, loadKrb5Conf, parseKdcAddress, krb5ConfPath, krb5ConfPaths, formatKrb5Conf, type IncludeReader, type Krb5Conf, type KdcAddress, type ProfileNode } from './krb5-conf.js';
export { sendToKdc, sendUdp, sendTcp, frameTcp, UDP_PREFERENCE_LIMIT, MAX_REPLY_BYTES, type SendOptions } from './transport.js';
export { explainKrbError } from './explain.js';
export { keySetPath, loadKeySet, saveKeySet, KEY_SET_FILE } from './key-set-file.js';
export { buildTgsRequest, kdcOptionsFor, randomNonce, DEFAULT_TGS_ETYPES, type TgtCredential, type TgsRequestInput, type BuiltTgsRequest } from './tgs-request.js';
export { requestTgs, openTgsReply, isResponseTooBig, KdcReplyError, type TgsResult, type RequestTgsInput } from './tgs-client.js';
export {
  createExchangeKdc,
  listenExchangeKdc,
  MemoryReplayCache,
  TokenBuckets,
  directoryPac,
  krbErrorReply,
  defaultExchangePolicy,
  TGS_GUARDS,
  AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY,
  type ExchangeKdc,
  type ExchangeKdcOptions,
  type ExchangePolicy,
  type ReplayCache,
  type RequestSource,
  type ServiceKeyTable,
  type VersionedKey,
  type ListenOptions,
  type Listening,
  type RateLimitOptions,
  parseKdcSettings,
  ensureEmbeddedKeys,
  loadEmbeddedKeys,
  startEmbeddedKdc,
  KRBTGT_KEYTAB,
  SERVICE_KEYTAB_DIR,
  type KdcSettings,
  type EmbeddedKeys,
  type EmbeddedKeyPaths,
  type EmbeddedKdc,
  type EmbeddedKdcInput,
} from './service/index.js';
