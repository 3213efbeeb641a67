export { NdrReader } from './ndr-reader.js';
export { NdrWriter } from './ndr-writer.js';
export { decodeTypeSerialization1, encodeTypeSerialization1, TYPE_SERIALIZATION_1 } from './type-serialization.js';
export {
  readRpcUnicodeString,
  writeRpcUnicodeString,
  rpcUnicodeString,
  utf16leToString,
  stringToUtf16le,
  drain,
  type RpcUnicodeString,
} from './rpc-unicode-string.js';
export {
  readRpcSid,
  writeRpcSid,
  checkSid,
  identifierAuthorityBytes,
  identifierAuthorityValue,
  SID_MAX_SUB_AUTHORITIES,
  type Sid,
} from './rpc-sid.js';
