export { type FilePrincipal, filePrincipalText, filePrincipalEquals } from './file-principal.js';
export {
  type Ccache,
  type CcacheVersion,
  type CcacheHeaderTag,
  type CcacheCredential,
  CCACHE_TAG_KDC_TIME_OFFSET,
  CCACHE_CONFIG_REALM,
  CCACHE_CONFIG_COMPONENT,
  decodeCcache,
  encodeCcache,
  looksLikeCcache,
  isCcacheConfigPrincipal,
  ccacheKdcTimeOffset,
  ccacheConfigEntry,
} from './ccache.js';
export { type Keytab, type KeytabEntry, decodeKeytab, encodeKeytab, looksLikeKeytab } from './keytab.js';
