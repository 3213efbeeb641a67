export {
  evaluateProfiles,
  applicableProfiles,
  profileFailures,
  resolvePolicy,
  type CredentialFacts,
  type Phase,
  type ProfileDecision,
  type ProfileReason,
  type ResolvedPolicy,
  type ResolvedProfile,
} from './profiles.js';
export {
  PasskeyService,
  type CeremonyStart,
  type PasskeyServiceOptions,
  type RequestContext,
  type SignedIn,
} from './passkey-service.js';
export { TapService, type IssuedTap } from './tap-service.js';
export { explainProfiles, type CredentialExplanation, type ProfileExplanation } from './explain.js';
export { builtInAaguidNames, type AaguidNames } from './aaguid-names.js';
export { loadFidoMetadata, type FidoMetadata } from './fido-metadata.js';
export { chainReachesRoots, parsePemCertificates } from './attestation-trust.js';
export { newTapCode, normalizeTapCode } from './tap-code.js';
export { assertAccountUsable } from './account-state.js';
export { isoDate } from './format.js';
export { cleanPasskeyName, PASSKEY_NAME_MAX } from './passkey-name.js';
export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
