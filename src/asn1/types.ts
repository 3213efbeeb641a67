/**
 * The RFC 4120 records every layer shares. Times are `Date` with whole seconds (KerberosTime,
 * RFC 4120 §5.2.3); flag sets (TicketFlags, KDCOptions, APOptions) are an unsigned 32-bit number in
 * the wire's bit order, bit 0 = 0x80000000 — the same numbers MIT's ccache stores.
 */

/** PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString } */
export interface PrincipalName {
  readonly nameType: number;
  readonly nameString: readonly string[];
}

/** EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING } */
export interface EncryptionKey {
  readonly keytype: number;
  readonly keyvalue: Uint8Array;
}

/** EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING } — kvno encoded as a signed 32-bit INTEGER (AD RODC kvnos). */
export interface EncryptedData {
  readonly etype: number;
  readonly kvno?: number;
  /**
   * Set on decode when kvno arrived as a 5-octet unsigned INTEGER (MIT's form for values ≥ 2^31).
   * AD DCs (Samba 4.17 measured) refuse that form with KRB_ERR_GENERIC; a KDC playing a DC checks
   * this. Never encoded: encode always writes the signed 32-bit form.
   */
  readonly kvnoUnsignedForm?: true;
  readonly cipher: Uint8Array;
}

/** Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] 5, realm [1] Realm, sname [2] PrincipalName, enc-part [3] EncryptedData } */
export interface Ticket {
  readonly tktVno: number;
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly encPart: EncryptedData;
}

/** HostAddress ::= SEQUENCE { addr-type [0] Int32, address [1] OCTET STRING } */
export interface HostAddress {
  readonly addrType: number;
  readonly address: Uint8Array;
}

/** One element of AuthorizationData ::= SEQUENCE OF SEQUENCE { ad-type [0] Int32, ad-data [1] OCTET STRING } */
export interface AuthorizationDataEntry {
  readonly adType: number;
  readonly adData: Uint8Array;
}

/** PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING } */
export interface PaData {
  readonly padataType: number;
  readonly padataValue: Uint8Array;
}
