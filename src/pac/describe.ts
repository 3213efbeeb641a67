import type { RpcUnicodeString } from '../ndr/index.js';
import { filetimeToDate, FILETIME_NEVER, isoSeconds } from '../util/index.js';
import type { ClaimsSetMetadata } from './claims.js';
import { pacBufferTypeName } from './pac-buffer-type.js';
import type { Pac } from './pac-type.js';
import type { GroupMembership, KerbSidAndAttributes } from './security-types.js';
import { formatSid, sidWithRid, wellKnownSidName, type Sid } from './sid.js';
import { verifyPac, type VerifyPacKeys } from './verify.js';

/** A SID for display: string form, attributes, and a well-known name when there is one. */
export interface SidView {
  readonly sid: string;
  readonly attributes?: number;
  readonly name?: string;
}

/**
 * A plain, JSON-able view of a PAC for `tgtbridge inspect` (issue 4's JSON names: `buffers[]`,
 * `logonInfo.userSid`, `logonInfo.groupSids[]`, `logonInfo.extraSids[]`, `clientInfo.name`,
 * `upnDnsInfo`, `requestorSid`, `signatures[]`). Times are ISO 8601 UTC, "never" is null.
 */
export interface PacView {
  readonly buffers: readonly { readonly type: number; readonly name: string; readonly size: number }[];
  readonly logonInfo?: {
    readonly effectiveName: string | null;
    readonly fullName: string | null;
    readonly logonServer: string | null;
    readonly logonDomainName: string | null;
    readonly domainSid: string | null;
    readonly userSid: string | null;
    readonly primaryGroupSid: string | null;
    readonly groupSids: readonly SidView[];
    readonly extraSids: readonly SidView[];
    readonly resourceGroupSids: readonly SidView[];
    readonly userFlags: number;
    readonly userAccountControl: number;
    readonly logonTime: string | null;
    readonly passwordLastSet: string | null;
  };
  readonly clientInfo?: { readonly name: string; readonly clientId: string | null };
  readonly upnDnsInfo?: {
    readonly upn: string;
    readonly dnsDomainName: string;
    readonly flags: number;
    readonly samName?: string;
    readonly sid?: string;
  };
  readonly requestorSid?: string;
  readonly requestorGuid?: string;
  readonly attributes?: { readonly flagsLength: number; readonly flags: readonly number[]; readonly pacWasRequested: boolean; readonly pacWasGivenImplicitly: boolean };
  readonly clientClaims?: ClaimsView;
  readonly deviceClaims?: ClaimsView;
  readonly deviceInfo?: { readonly userSid: string | null; readonly groupSids: readonly SidView[]; readonly extraSids: readonly SidView[] };
  readonly delegation?: { readonly s4u2proxyTarget: string | null; readonly transitedServices: readonly (string | null)[] };
  readonly signatures: readonly {
    readonly type: string;
    readonly checksumType: number;
    readonly rodcId: number | null;
    readonly verified: boolean | 'not-checked';
    readonly reason?: string;
  }[];
}

export interface ClaimsView {
  readonly compressed: boolean;
  readonly compressionFormat: number;
  readonly claims?: readonly { readonly id: string | null; readonly type: number; readonly values: readonly (string | null)[] }[];
}

const time = (ft: bigint): string | null => (ft === 0n || ft >= FILETIME_NEVER ? null : isoSeconds(filetimeToDate(ft)));
const str = (s: RpcUnicodeString): string | null => s.Buffer;
const sidView = (sid: Sid, attributes?: number): SidView => {
  const name = wellKnownSidName(sid);
  return { sid: formatSid(sid), ...(attributes !== undefined ? { attributes } : {}), ...(name !== undefined ? { name } : {}) };
};
const rids = (domain: Sid | null, groups: readonly GroupMembership[] | null): SidView[] =>
  domain === null ? [] : (groups ?? []).map((g) => sidView(sidWithRid(domain, g.RelativeId), g.Attributes));
const extras = (sids: readonly KerbSidAndAttributes[] | null): SidView[] =>
  (sids ?? []).flatMap((s) => (s.Sid === null ? [] : [sidView(s.Sid, s.Attributes)]));

function claimsView(m: ClaimsSetMetadata): ClaimsView {
  const base = { compressed: m.usCompressionFormat !== 0, compressionFormat: m.usCompressionFormat };
  if (m.claimsSet === undefined) return base;
  const claims = (m.claimsSet.ClaimsArrays ?? []).flatMap((a) =>
    (a.ClaimEntries ?? []).map((e) => ({ id: e.Id, type: e.Type, values: (e.Values ?? []).map((v) => (v === null ? null : String(v))) })),
  );
  return { ...base, claims };
}

/** Describe decoded PAC bytes; with keys, each signature is verified (see verifyPac). */
export function describePac(bytes: Uint8Array, keys: VerifyPacKeys = {}): PacView {
  const { pac, signatures } = verifyPac(bytes, keys);
  return {
    ...describeBuffers(pac),
    signatures: signatures.map((s) => ({
      type: s.type,
      checksumType: s.checksumType,
      rodcId: s.rodcId ?? null,
      verified: s.verified,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
    })),
  };
}

function describeBuffers(pac: Pac): Omit<PacView, 'signatures'> {
  const view: Record<string, unknown> = {
    buffers: pac.Buffers.map((b) => ({ type: b.ulType, name: pacBufferTypeName(b.ulType), size: b.data.length })),
  };
  const seen = new Set<string>();
  for (const b of pac.Buffers) {
    const v = b.value;
    // MS-PAC §2.4: only the first buffer of a type counts.
    if (v === undefined || seen.has(v.type)) continue;
    seen.add(v.type);
    switch (v.type) {
      case 'LOGON_INFO': {
        const i = v.value;
        const d = i.LogonDomainId;
        view.logonInfo = {
          effectiveName: str(i.EffectiveName),
          fullName: str(i.FullName),
          logonServer: str(i.LogonServer),
          logonDomainName: str(i.LogonDomainName),
          domainSid: d === null ? null : formatSid(d),
          userSid: d === null ? null : formatSid(sidWithRid(d, i.UserId)),
          primaryGroupSid: d === null ? null : formatSid(sidWithRid(d, i.PrimaryGroupId)),
          groupSids: rids(d, i.GroupIds),
          extraSids: extras(i.ExtraSids),
          resourceGroupSids: rids(i.ResourceGroupDomainSid, i.ResourceGroupIds),
          userFlags: i.UserFlags,
          userAccountControl: i.UserAccountControl,
          logonTime: time(i.LogonTime),
          passwordLastSet: time(i.PasswordLastSet),
        };
        break;
      }
      case 'CLIENT_INFO':
        view.clientInfo = { name: v.value.Name, clientId: time(v.value.ClientId) };
        break;
      case 'UPN_DNS_INFO': {
        const u = v.value;
        view.upnDnsInfo = {
          upn: u.Upn,
          dnsDomainName: u.DnsDomainName,
          flags: u.Flags,
          ...(u.SamName !== undefined ? { samName: u.SamName } : {}),
          ...(u.Sid !== undefined ? { sid: formatSid(u.Sid) } : {}),
        };
        break;
      }
      case 'REQUESTOR':
        view.requestorSid = formatSid(v.value.Sid);
        break;
      case 'REQUESTOR_GUID':
        view.requestorGuid = v.value.Guid;
        break;
      case 'ATTRIBUTES_INFO': {
        const f = v.value.Flags[0] ?? 0;
        view.attributes = { flagsLength: v.value.FlagsLength, flags: v.value.Flags, pacWasRequested: (f & 1) !== 0, pacWasGivenImplicitly: (f & 2) !== 0 };
        break;
      }
      case 'CLIENT_CLAIMS_INFO':
        view.clientClaims = claimsView(v.value);
        break;
      case 'DEVICE_CLAIMS_INFO':
        view.deviceClaims = claimsView(v.value);
        break;
      case 'DEVICE_INFO': {
        const d = v.value;
        view.deviceInfo = {
          userSid: d.AccountDomainId === null ? null : formatSid(sidWithRid(d.AccountDomainId, d.UserId)),
          groupSids: rids(d.AccountDomainId, d.AccountGroupIds),
          extraSids: extras(d.ExtraSids),
        };
        break;
      }
      case 'CONSTRAINED_DELEGATION':
        view.delegation = {
          s4u2proxyTarget: str(v.value.S4U2proxyTarget),
          transitedServices: (v.value.S4UTransitedServices ?? []).map(str),
        };
        break;
      default:
        break;
    }
  }
  return view as unknown as Omit<PacView, 'signatures'>;
}
