/**
 * pac: the Privilege Attribute Certificate (MS-PAC). decodePac/encodePac (PACTYPE layout, every
 * buffer type, byte-identical round trips), buildPac/kerbValidationInfoFor (minting), signPac /
 * verifyPac (MS-PAC §2.8 signatures, MIT/Heimdal order, RODC number), describePac (inspect's view),
 * SIDs. NDR marshalling lives in ../ndr.
 */
export { PAC_BUFFER_TYPE, pacBufferTypeName, SIGNATURE_BUFFER_TYPES, type PacBufferType, type PacBufferTypeName } from './pac-buffer-type.js';
export { decodePac, encodePac, pacBuffer, pacBufferOffsets, PAC_ALIGNMENT, PAC_MAX_BUFFERS, type Pac, type PacBuffer } from './pac-type.js';
export { decodePacBufferValue, encodePacBufferValue, type PacBufferValue } from './pac-buffer-value.js';
export { decodeKerbValidationInfo, encodeKerbValidationInfo, USER_FLAGS, type KerbValidationInfo } from './kerb-validation-info.js';
export { SE_GROUP, SE_GROUP_DEFAULT, type GroupMembership, type KerbSidAndAttributes } from './security-types.js';
export { decodePacClientInfo, encodePacClientInfo, type PacClientInfo } from './pac-client-info.js';
export { decodeUpnDnsInfo, encodeUpnDnsInfo, UPN_DNS_FLAGS, type UpnDnsInfo } from './upn-dns-info.js';
export { decodePacSignatureData, encodePacSignatureData, SIGNATURE_SIZE, type PacSignatureData } from './pac-signature-data.js';
export { decodePacAttributesInfo, encodePacAttributesInfo, PAC_ATTRIBUTE_FLAGS, type PacAttributesInfo } from './pac-attributes-info.js';
export {
  decodePacRequestor,
  encodePacRequestor,
  decodePacRequestorGuid,
  encodePacRequestorGuid,
  type PacRequestor,
  type PacRequestorGuid,
} from './pac-requestor.js';
export { decodePacCredentialInfo, encodePacCredentialInfo, type PacCredentialInfo } from './pac-credential-info.js';
export { decodeS4uDelegationInfo, encodeS4uDelegationInfo, type S4uDelegationInfo } from './s4u-delegation-info.js';
export { decodePacDeviceInfo, encodePacDeviceInfo, type PacDeviceInfo, type DomainGroupMembership } from './pac-device-info.js';
export {
  decodeClaimsSetMetadata,
  encodeClaimsSetMetadata,
  CLAIMS_COMPRESSION_FORMAT,
  CLAIM_TYPE,
  CLAIMS_SOURCE_TYPE,
  type ClaimsSetMetadata,
  type ClaimsSet,
  type ClaimsArray,
  type ClaimEntry,
} from './claims.js';
export { parseSid, formatSid, encodeSid, decodeSid, sidWithRid, sidEquals, wellKnownSidName, type Sid } from './sid.js';
export {
  layOutPacSignatures,
  signPac,
  writePacSignatures,
  type PacSignatureSlots,
  type PacSigningKeys,
  type SignPacOptions,
  type UnsignedPacLayout,
} from './sign.js';
export { makeAuthtimePacTemplate, fillAuthtimePacTemplate, type AuthtimePacTemplate } from './authtime-template.js';
export { verifyPac, type VerifyPacKeys, type PacSignatureReport, type PacVerification } from './verify.js';
export { buildPac, kerbValidationInfoFor, USER_ACCOUNT_CONTROL, type BuildPacInput, type ValidationInfoInput } from './build.js';
export { describePac, type PacView, type SidView, type ClaimsView } from './describe.js';
export { rpcUnicodeString, type RpcUnicodeString } from '../ndr/index.js';
