/**
 * ticket: mint and open tickets (RFC 4120 §5.3), sign the PAC inside a ticket (MS-PAC §2.8), mint
 * the partial TGT of an RODC-style krbtgt_N, deliver it as an AS-REP, the minting policy, and the
 * key set of krbtgt_N versions. Pure functions: clock and randomness are passed in.
 */
export { sealTicket, sealEncodedTicket, openTicket, type SealTicketInput, type OpenedTicket } from './seal.js';
export { signTicketPac, ticketChecksumInput, shouldHaveTicketSignature, type SignTicketPacInput } from './sign-ticket-pac.js';
export {
  mintPartialTgt,
  partialTgtPac,
  checkRodcKey,
  DEFAULT_TGT_LIFETIME_SEC,
  DEFAULT_RENEW_LIFETIME_SEC,
  PARTIAL_TGT_FLAGS,
  type MintPartialTgtInput,
  type MintedTgt,
  type PartialTgtUser,
  type PartialTgtPacOptions,
  type RodcKey,
} from './partial-tgt.js';
export {
  checkMintPolicy,
  defaultDeniedGroupSids,
  MintRefusedError,
  MINT_REFUSAL,
  DEFAULT_DENIED_RIDS,
  DEFAULT_DENIED_BUILTIN_SIDS,
  type MintPolicy,
  type MintPolicyUser,
  type MintRefusalReason,
} from './mint-policy.js';
export { buildAsRepForDelivery, openAsRep, type AsRepDeliveryInput, type OpenedAsRep } from './as-rep-delivery.js';
export {
  KeySet,
  keySetPrincipal,
  keytabEntryProblem,
  type KeySetEntry,
  type KeytabEntryLike,
} from './key-set.js';
export {
  parseMintingSettings,
  parseDurationSeconds,
  resolveGroupSids,
  DEFAULT_MINTING_SETTINGS,
  type MintingSettings,
} from './minting-settings.js';
export {
  DELIVERY_KDF,
  DELIVERY_INFO_LABEL,
  P256_POINT_LENGTH,
  parseP256PublicKey,
  encodeP256PublicKey,
  generateEphemeralP256,
  deliveryKeyInfo,
  deriveDeliveryKey,
  type EphemeralP256,
  type DeliveryKeyInput,
} from './delivery-key.js';
export { buildKrbCred, openKrbCred, krbCredInfo, type CredentialPart } from './krb-cred.js';
