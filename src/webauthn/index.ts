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
