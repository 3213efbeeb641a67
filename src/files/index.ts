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
export { type Kirbi, KIRBI_NULL_ETYPE, encodeKirbi, decodeKirbi, looksLikeKirbi } from './kirbi.js';
export { type Converted, type Dropped, type DroppedField, ccacheToKirbi, kirbiToCcache } from './convert.js';
export { writeCredentialFile } from './write.js';
