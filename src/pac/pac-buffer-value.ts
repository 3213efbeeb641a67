import { decodeClaimsSetMetadata, encodeClaimsSetMetadata, type ClaimsSetMetadata } from './claims.js';
import { decodeKerbValidationInfo, encodeKerbValidationInfo, type KerbValidationInfo } from './kerb-validation-info.js';
import { decodePacAttributesInfo, encodePacAttributesInfo, type PacAttributesInfo } from './pac-attributes-info.js';
import { PAC_BUFFER_TYPE } from './pac-buffer-type.js';
import { decodePacClientInfo, encodePacClientInfo, type PacClientInfo } from './pac-client-info.js';
import { decodePacCredentialInfo, encodePacCredentialInfo, type PacCredentialInfo } from './pac-credential-info.js';
import { decodePacDeviceInfo, encodePacDeviceInfo, type PacDeviceInfo } from './pac-device-info.js';
import {
  decodePacRequestor,
  decodePacRequestorGuid,
  encodePacRequestor,
  encodePacRequestorGuid,
  type PacRequestor,
  type PacRequestorGuid,
} from './pac-requestor.js';
import { decodePacSignatureData, encodePacSignatureData, type PacSignatureData } from './pac-signature-data.js';
import { decodeS4uDelegationInfo, encodeS4uDelegationInfo, type S4uDelegationInfo } from './s4u-delegation-info.js';
import { decodeUpnDnsInfo, encodeUpnDnsInfo, type UpnDnsInfo } from './upn-dns-info.js';

/** A decoded PAC buffer, tagged by its MS-PAC §2.4 type name. */
export type PacBufferValue =
  | { readonly type: 'LOGON_INFO'; readonly value: KerbValidationInfo }
  | { readonly type: 'CREDENTIALS_INFO'; readonly value: PacCredentialInfo }
  | { readonly type: 'SERVER_CHECKSUM'; readonly value: PacSignatureData }
  | { readonly type: 'PRIVSVR_CHECKSUM'; readonly value: PacSignatureData }
  | { readonly type: 'TICKET_CHECKSUM'; readonly value: PacSignatureData }
  | { readonly type: 'FULL_CHECKSUM'; readonly value: PacSignatureData }
  | { readonly type: 'CLIENT_INFO'; readonly value: PacClientInfo }
  | { readonly type: 'CONSTRAINED_DELEGATION'; readonly value: S4uDelegationInfo }
  | { readonly type: 'UPN_DNS_INFO'; readonly value: UpnDnsInfo }
  | { readonly type: 'CLIENT_CLAIMS_INFO'; readonly value: ClaimsSetMetadata }
  | { readonly type: 'DEVICE_CLAIMS_INFO'; readonly value: ClaimsSetMetadata }
  | { readonly type: 'DEVICE_INFO'; readonly value: PacDeviceInfo }
  | { readonly type: 'ATTRIBUTES_INFO'; readonly value: PacAttributesInfo }
  | { readonly type: 'REQUESTOR'; readonly value: PacRequestor }
  | { readonly type: 'REQUESTOR_GUID'; readonly value: PacRequestorGuid };

/** Decode a buffer's bytes by type; undefined for a type MS-PAC does not define. `base` is its PAC offset. */
export function decodePacBufferValue(ulType: number, data: Uint8Array, base: number): PacBufferValue | undefined {
  const T = PAC_BUFFER_TYPE;
  switch (ulType) {
    case T.LOGON_INFO:
      return { type: 'LOGON_INFO', value: decodeKerbValidationInfo(data, base) };
    case T.CREDENTIALS_INFO:
      return { type: 'CREDENTIALS_INFO', value: decodePacCredentialInfo(data, base) };
    case T.SERVER_CHECKSUM:
      return { type: 'SERVER_CHECKSUM', value: decodePacSignatureData(data, base) };
    case T.PRIVSVR_CHECKSUM:
      return { type: 'PRIVSVR_CHECKSUM', value: decodePacSignatureData(data, base) };
    case T.TICKET_CHECKSUM:
      return { type: 'TICKET_CHECKSUM', value: decodePacSignatureData(data, base) };
    case T.FULL_CHECKSUM:
      return { type: 'FULL_CHECKSUM', value: decodePacSignatureData(data, base) };
    case T.CLIENT_INFO:
      return { type: 'CLIENT_INFO', value: decodePacClientInfo(data, base) };
    case T.CONSTRAINED_DELEGATION:
      return { type: 'CONSTRAINED_DELEGATION', value: decodeS4uDelegationInfo(data, base) };
    case T.UPN_DNS_INFO:
      return { type: 'UPN_DNS_INFO', value: decodeUpnDnsInfo(data, base) };
    case T.CLIENT_CLAIMS_INFO:
      return { type: 'CLIENT_CLAIMS_INFO', value: decodeClaimsSetMetadata(data, base) };
    case T.DEVICE_CLAIMS_INFO:
      return { type: 'DEVICE_CLAIMS_INFO', value: decodeClaimsSetMetadata(data, base) };
    case T.DEVICE_INFO:
      return { type: 'DEVICE_INFO', value: decodePacDeviceInfo(data, base) };
    case T.ATTRIBUTES_INFO:
      return { type: 'ATTRIBUTES_INFO', value: decodePacAttributesInfo(data, base) };
    case T.REQUESTOR:
      return { type: 'REQUESTOR', value: decodePacRequestor(data, base) };
    case T.REQUESTOR_GUID:
      return { type: 'REQUESTOR_GUID', value: decodePacRequestorGuid(data, base) };
    default:
      return undefined;
  }
}

/** Encode a typed buffer the way Windows and Samba lay it out; returns its ulType and bytes. */
export function encodePacBufferValue(v: PacBufferValue): { ulType: number; data: Uint8Array } {
  const ulType = PAC_BUFFER_TYPE[v.type];
  switch (v.type) {
    case 'LOGON_INFO':
      return { ulType, data: encodeKerbValidationInfo(v.value) };
    case 'CREDENTIALS_INFO':
      return { ulType, data: encodePacCredentialInfo(v.value) };
    case 'SERVER_CHECKSUM':
    case 'PRIVSVR_CHECKSUM':
    case 'TICKET_CHECKSUM':
    case 'FULL_CHECKSUM':
      return { ulType, data: encodePacSignatureData(v.value) };
    case 'CLIENT_INFO':
      return { ulType, data: encodePacClientInfo(v.value) };
    case 'CONSTRAINED_DELEGATION':
      return { ulType, data: encodeS4uDelegationInfo(v.value) };
    case 'UPN_DNS_INFO':
      return { ulType, data: encodeUpnDnsInfo(v.value) };
    case 'CLIENT_CLAIMS_INFO':
    case 'DEVICE_CLAIMS_INFO':
      return { ulType, data: encodeClaimsSetMetadata(v.value) };
    case 'DEVICE_INFO':
      return { ulType, data: encodePacDeviceInfo(v.value) };
    case 'ATTRIBUTES_INFO':
      return { ulType, data: encodePacAttributesInfo(v.value) };
    case 'REQUESTOR':
      return { ulType, data: encodePacRequestor(v.value) };
    case 'REQUESTOR_GUID':
      return { ulType, data: encodePacRequestorGuid(v.value) };
  }
}
