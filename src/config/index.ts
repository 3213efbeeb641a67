export { loadConfig, parseConfig } from './load-config.js';
export { parseDuration, Node as ConfigNode } from './reader.js';
export {
  PASSKEY_TYPES,
  USER_VERIFICATION,
  type AaguidRule,
  type BridgeConfig,
  type Config,
  type DirectoryConfig,
  type HttpsConfig,
  type PasskeyProfile,
  type PasskeyType,
  type PasskeysConfig,
  type SessionsConfig,
  type TapConfig,
  type UserVerificationRule,
} from './types.js';
