import type { DirectoryUser } from '../directory/index.js';
import type { CredentialRecord } from '../store/index.js';
import type { PasskeyService } from './passkey-service.js';
import { applicableProfiles, evaluateProfiles, type ProfileDecision } from './profiles.js';

export interface CredentialExplanation {
  readonly credential: CredentialRecord;
  readonly decision: ProfileDecision;
}

export interface ProfileExplanation {
  readonly user: DirectoryUser;
  readonly groupSids: readonly string[];
  readonly excluded: boolean;
  readonly applicable: readonly string[];
  /** Per registered credential: would it be admitted at sign-in now (UV assumed given)? */
  readonly credentials: readonly CredentialExplanation[];
}

/** What `tgtbridge profiles explain` prints: which profile admits or refuses, and why. */
export async function explainProfiles(svc: PasskeyService, user: DirectoryUser, credentialId?: string): Promise<ProfileExplanation> {
  const groupSids = await svc.directory.groupSidsOf(user);
  const excluded = groupSids.some((s) => svc.policy.excludeSids.has(s));
  const all = await svc.store.listCredentials(user.objectSid);
  const creds = credentialId === undefined ? all : all.filter((c) => c.id === credentialId);
  return {
    user,
    groupSids,
    excluded,
    applicable: excluded ? [] : applicableProfiles(svc.policy, groupSids).map((p) => p.profile.name),
    credentials: creds.map((credential) => ({
      credential,
      decision: evaluateProfiles(svc.policy, groupSids, { backupEligible: credential.backupEligible, aaguid: credential.aaguid, userVerified: true }, 'signIn'),
    })),
  };
}
