import type { PasskeyProfile, PasskeysConfig } from '../config/index.js';
import type { Directory } from '../directory/index.js';
import { TgtbridgeError, type ProblemCode } from '../errors/index.js';

/** A profile whose target groups are resolved to SIDs, so evaluation is a pure set test. */
export interface ResolvedProfile {
  readonly profile: PasskeyProfile;
  readonly groupSids: ReadonlySet<string>;
  readonly excludeSids: ReadonlySet<string>;
  readonly isDefault: boolean;
}

export interface ResolvedPolicy {
  readonly profiles: readonly ResolvedProfile[];
  readonly excludeSids: ReadonlySet<string>;
}

/** What is known about a credential when a rule is applied. */
export interface CredentialFacts {
  readonly backupEligible: boolean;
  readonly aaguid: string;
  readonly userVerified: boolean;
  /** Registration only: attestation statement format (`none`, `packed`, …). */
  readonly attestationFormat?: string;
  /** Registration only: names of the profiles whose trusted roots the attestation chain reaches. */
  readonly trustedByProfiles?: ReadonlySet<string>;
}

export type Phase = 'registration' | 'signIn';

export interface ProfileReason {
  readonly profile: string | undefined;
  readonly code: ProblemCode;
  readonly detail: string;
}

export interface ProfileDecision {
  readonly admitted: boolean;
  /** The profile that admitted the credential, or the first one that refused it. */
  readonly profile: string | undefined;
  /** Every rule that failed, per profile (empty when admitted). */
  readonly reasons: readonly ProfileReason[];
  /** Names of the profiles that apply to the user. */
  readonly applicable: readonly string[];
}

/** Resolve group names in the passkey policy to SIDs; an unknown group is a config error. */
export async function resolvePolicy(passkeys: PasskeysConfig, directory: Directory): Promise<ResolvedPolicy> {
  const sids = async (refs: readonly string[], where: string): Promise<ReadonlySet<string>> => {
    const out = new Set<string>();
    for (const ref of refs) {
      const g = await directory.findGroup(ref);
      if (!g) throw new TgtbridgeError('ERR_CONFIG', `passkeys: ${where}: no group named ${ref} in the directory`);
      out.add(g.objectSid);
    }
    return out;
  };
  const profiles: ResolvedProfile[] = [];
  for (const p of passkeys.profiles) {
    profiles.push({
      profile: p,
      groupSids: await sids(p.groups, `profile ${p.name} groups`),
      excludeSids: await sids(p.excludeGroups, `profile ${p.name} excludeGroups`),
      isDefault: p.name === passkeys.default,
    });
  }
  return { profiles, excludeSids: await sids(passkeys.excludeGroups, 'excludeGroups') };
}

const meets = (groups: ReadonlySet<string>, targets: ReadonlySet<string>): boolean => [...targets].some((s) => groups.has(s));

/**
 * The profiles that target a user: every non-default profile one of whose groups the user is in
 * (and none of whose excluded groups); when none does, the default profile.
 */
export function applicableProfiles(policy: ResolvedPolicy, userGroupSids: readonly string[]): readonly ResolvedProfile[] {
  const groups = new Set(userGroupSids);
  const targeted = policy.profiles.filter((p) => !p.isDefault && meets(groups, p.groupSids) && !meets(groups, p.excludeSids));
  return targeted.length > 0 ? targeted : policy.profiles.filter((p) => p.isDefault);
}

/**
 * Entra passkey-profile semantics: excluded from the method → refused whatever else applies; else
 * admitted when at least one applicable profile is fully satisfied. Attestation is a registration
 * rule only (switching it on later does not lock out existing passkeys); types, AAGUID and user
 * verification rules apply at registration and at every sign-in.
 */
export function evaluateProfiles(policy: ResolvedPolicy, userGroupSids: readonly string[], facts: CredentialFacts, phase: Phase): ProfileDecision {
  if (meets(new Set(userGroupSids), policy.excludeSids)) {
    const reason: ProfileReason = { profile: undefined, code: 'passkey.excluded', detail: 'Your account is in a group that may not use passkeys here.' };
    return { admitted: false, profile: undefined, reasons: [reason], applicable: [] };
  }
  const candidates = applicableProfiles(policy, userGroupSids);
  const reasons: ProfileReason[] = [];
  for (const c of candidates) {
    const failed = profileFailures(c.profile, facts, phase);
    if (failed.length === 0) return { admitted: true, profile: c.profile.name, reasons: [], applicable: candidates.map((x) => x.profile.name) };
    reasons.push(...failed);
  }
  return { admitted: false, profile: candidates[0]?.profile.name, reasons, applicable: candidates.map((x) => x.profile.name) };
}

/** The guard list of one profile; each failure names its stable code. */
export function profileFailures(p: PasskeyProfile, f: CredentialFacts, phase: Phase): ProfileReason[] {
  const out: ProfileReason[] = [];
  const fail = (code: ProblemCode, detail: string): void => void out.push({ profile: p.name, code, detail });
  // Type rule: BE set at registration = synced (multi-device) passkey, else device-bound.
  if (f.backupEligible && !p.types.includes('synced')) {
    fail('passkey.synced_not_allowed', 'Synced passkeys (kept in a cloud account) are not allowed for you; use a device-bound passkey such as a security key.');
  }
  if (!f.backupEligible && !p.types.includes('deviceBound')) {
    fail('passkey.device_bound_not_allowed', 'Device-bound passkeys are not allowed for you; use a synced passkey.');
  }
  // Key restrictions: checked on every use, so removing an AAGUID locks out keys already registered.
  const aaguid = f.aaguid.toLowerCase();
  if (p.aaguid.mode === 'allow' && !p.aaguid.aaguids.includes(aaguid)) {
    fail('passkey.aaguid_not_allowed', 'This kind of authenticator is not on the list of allowed authenticators.');
  }
  if (p.aaguid.mode === 'block' && p.aaguid.aaguids.includes(aaguid)) {
    fail('passkey.aaguid_blocked', 'This kind of authenticator is blocked here.');
  }
  if (p.userVerification === 'required' && !f.userVerified) {
    fail('passkey.uv_required', 'Your authenticator did not verify you (PIN or biometric); it must.');
  }
  // Attestation: registration only (Entra: existing unattested passkeys keep working).
  if (phase === 'registration' && p.attestation === 'required') {
    if (f.attestationFormat === undefined || f.attestationFormat === 'none') {
      fail('passkey.attestation_required', 'Your authenticator must prove its make and model (attestation), and it did not.');
    } else if (!f.trustedByProfiles?.has(p.name)) {
      fail('passkey.attestation_untrusted', 'Your authenticator’s attestation does not come from a manufacturer trusted here.');
    }
  }
  return out;
}
