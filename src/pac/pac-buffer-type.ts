/**
 * PAC_INFO_BUFFER.ulType values, MS-PAC §2.4. Names are the spec's descriptions shortened the way
 * Samba and Wireshark print them.
 */
export const PAC_BUFFER_TYPE = {
  LOGON_INFO: 1,
  CREDENTIALS_INFO: 2,
  SERVER_CHECKSUM: 6,
  PRIVSVR_CHECKSUM: 7,
  CLIENT_INFO: 10,
  CONSTRAINED_DELEGATION: 11,
  UPN_DNS_INFO: 12,
  CLIENT_CLAIMS_INFO: 13,
  DEVICE_INFO: 14,
  DEVICE_CLAIMS_INFO: 15,
  TICKET_CHECKSUM: 16,
  ATTRIBUTES_INFO: 17,
  REQUESTOR: 18,
  FULL_CHECKSUM: 19,
  REQUESTOR_GUID: 20,
} as const;

export type PacBufferTypeName = keyof typeof PAC_BUFFER_TYPE;
export type PacBufferType = (typeof PAC_BUFFER_TYPE)[PacBufferTypeName];

const NAMES = new Map<number, PacBufferTypeName>(
  (Object.entries(PAC_BUFFER_TYPE) as [PacBufferTypeName, number][]).map(([n, v]) => [v, n]),
);

/** The buffer's name, or `UNKNOWN_<n>` for a type MS-PAC does not define (kept raw, MS-PAC §2.4). */
export function pacBufferTypeName(ulType: number): string {
  return NAMES.get(ulType) ?? `UNKNOWN_${ulType}`;
}

/** The buffers that hold a PAC_SIGNATURE_DATA (MS-PAC §2.8). */
export const SIGNATURE_BUFFER_TYPES: readonly number[] = [
  PAC_BUFFER_TYPE.SERVER_CHECKSUM,
  PAC_BUFFER_TYPE.PRIVSVR_CHECKSUM,
  PAC_BUFFER_TYPE.TICKET_CHECKSUM,
  PAC_BUFFER_TYPE.FULL_CHECKSUM,
];
