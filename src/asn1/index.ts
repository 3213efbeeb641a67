/**
 * asn1: RFC 4120 / RFC 6113 / MS-KILE messages as typed records with strict DER codecs.
 * Every codec is a value with `encode(x): Uint8Array` and `decode(bytes): X`; decoding failures
 * are DecodeError('ERR_ASN1_DECODE') with a field path and byte offset.
 */
export type {
  PrincipalName,
  EncryptionKey,
  EncryptedData,
  Ticket,
  HostAddress,
  AuthorizationDataEntry,
  PaData,
} from './types.js';
export { DerReader, MAX_DEPTH, MAX_ELEMENTS, TAG, applicationTag, contextTag, type Tlv } from './der-reader.js';
export { type Codec, type Compact, type FieldDecoder } from './der-fields.js';
export { decodeKerberosTime, encodeKerberosTime, kerberosTimeString } from './kerberos-time.js';
export {
  TICKET_FLAGS,
  KDC_OPTIONS,
  AP_OPTIONS,
  PA_PAC_OPTIONS_FLAGS,
  flagBit,
  flagNames,
  flagsFrom,
  type TicketFlagName,
  type KdcOptionName,
  type ApOptionName,
  type PaPacOptionsFlagName,
} from './kerberos-flags.js';
export {
  NAME_TYPES,
  principalNameCodec,
  parsePrincipal,
  formatPrincipal,
  type NameTypeName,
  type ParsedPrincipal,
  type ParsePrincipalOptions,
} from './principal-name.js';
export { encryptionKeyCodec, encryptedDataCodec, splitKvno, rodcKvno } from './encryption-key.js';
export { ADDRESS_TYPES, hostAddressCodec, hostAddressesCodec } from './host-address.js';
export { checksumCodec, type Checksum } from './checksum.js';
export { APPLICATION_TAGS, KRB5_PVNO, ticketCodec, type ApplicationTagName } from './ticket.js';
export { encTicketPartCodec, encTicketPartVariants, type EncTicketPart, type TransitedEncoding } from './enc-ticket-part.js';
export {
  AD_TYPES,
  MAX_AD_NESTING,
  authorizationDataCodec,
  decodeAdIfRelevant,
  findPacs,
  extractPac,
  pacAuthorizationData,
  replacePac,
  type AdTypeName,
  type AuthorizationData,
  type PacLocation,
} from './authorization-data.js';
export {
  MESSAGE_TYPES,
  krbCredCodec,
  krbCredInfoCodec,
  encKrbCredPartCodec,
  type KrbCred,
  type KrbCredInfo,
  type EncKrbCredPart,
} from './krb-cred.js';
export {
  PA_DATA_TYPES,
  paDataCodec,
  methodDataCodec,
  findPaData,
  paEncTsEncCodec,
  etypeInfo2Codec,
  paPacRequestCodec,
  paPacOptionsCodec,
  type PaDataTypeName,
  type PaEncTsEnc,
  type EtypeInfo2Entry,
  type PaPacRequest,
  type PaPacOptions,
} from './pa-data.js';
export {
  kdcReqBodyCodec,
  asReqCodec,
  tgsReqCodec,
  type KdcReqBody,
  type KdcReq,
  type AsReq,
  type TgsReq,
} from './kdc-req.js';
export {
  asRepCodec,
  tgsRepCodec,
  encKdcRepPartCodec,
  type KdcRep,
  type AsRep,
  type TgsRep,
  type EncKdcRepPart,
  type EncKdcRepPartTag,
  type LastReqEntry,
} from './kdc-rep.js';
export { apReqCodec, authenticatorCodec, type ApReq, type Authenticator } from './ap-req.js';
export { apRepCodec, encApRepPartCodec, type ApRep, type EncApRepPart } from './ap-rep.js';
export {
  krbErrorCodec,
  KERB_ERROR_DATA_TYPES,
  kerbErrorDataCodec,
  decodeKerbExtError,
  encodeKerbExtError,
  classifyEData,
  kerbExtErrorOf,
  type KerbExtErrorSource,
  type KrbErrorMessage,
  type KerbErrorData,
  type KerbExtError,
  type EData,
} from './krb-error.js';
export { detectMessage, decodeMessage, type AnyMessage } from './detect.js';
export { KERB_KEY_LIST_PA_TYPES, kerbKeyListReqCodec, kerbKeyListRepCodec } from './kerb-key-list.js';
