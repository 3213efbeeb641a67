import { formatSid, type KerbValidationInfo, type Pac } from '../../src/pac/index.js';
import { toHex } from '../../src/util/index.js';

/**
 * Our decoded PAC in the shape scripts/lab/samba-pac-dump.py --json prints from Samba's python NDR
 * (spec field names, strings for bigints and SIDs), so the two can be compared key by key.
 */
export function asSambaJson(pac: Pac): Record<string, unknown> {
  const out: Record<string, unknown> = { Version: pac.Version, Buffers: pac.Buffers.map((b) => ({ cbBufferSize: b.data.length, ulType: b.ulType })) };
  const signatures: unknown[] = [];
  for (const b of pac.Buffers) {
    const v = b.value;
    if (v === undefined) continue;
    switch (v.type) {
      case 'LOGON_INFO':
        out.LogonInfo = logonJson(v.value);
        break;
      case 'CLIENT_INFO':
        out.ClientInfo = { ClientId: String(v.value.ClientId), Name: v.value.Name };
        break;
      case 'UPN_DNS_INFO':
        out.UpnDnsInfo = {
          DnsDomainName: v.value.DnsDomainName,
          Flags: v.value.Flags,
          SamName: v.value.SamName,
          Sid: v.value.Sid && formatSid(v.value.Sid),
          Upn: v.value.Upn,
        };
        break;
      case 'ATTRIBUTES_INFO':
        out.AttributesInfo = { Flags: v.value.Flags, FlagsLength: v.value.FlagsLength };
        break;
      case 'REQUESTOR':
        out.RequestorSid = formatSid(v.value.Sid);
        break;
      case 'SERVER_CHECKSUM':
      case 'PRIVSVR_CHECKSUM':
      case 'TICKET_CHECKSUM':
      case 'FULL_CHECKSUM':
        signatures.push({ Signature: toHex(v.value.Signature), SignatureType: v.value.SignatureType, ulType: b.ulType });
        break;
      default:
        break;
    }
  }
  out.Signatures = signatures;
  return out;
}

function logonJson(i: KerbValidationInfo): Record<string, unknown> {
  const sid = (s: KerbValidationInfo['LogonDomainId']): string | null => (s === null ? null : formatSid(s));
  return {
    BadPasswordCount: i.BadPasswordCount,
    EffectiveName: i.EffectiveName.Buffer,
    ExtraSids: i.ExtraSids === null ? null : i.ExtraSids.map((s) => [sid(s.Sid), s.Attributes]),
    FailedILogonCount: i.FailedILogonCount,
    FullName: i.FullName.Buffer,
    GroupIds: i.GroupIds === null ? null : i.GroupIds.map((g) => [g.RelativeId, g.Attributes]),
    HomeDirectory: i.HomeDirectory.Buffer,
    HomeDirectoryDrive: i.HomeDirectoryDrive.Buffer,
    KickOffTime: String(i.KickOffTime),
    LastFailedILogon: String(i.LastFailedILogon),
    LastSuccessfulILogon: String(i.LastSuccessfulILogon),
    LogoffTime: String(i.LogoffTime),
    LogonCount: i.LogonCount,
    LogonDomainId: sid(i.LogonDomainId),
    LogonDomainName: i.LogonDomainName.Buffer,
    LogonScript: i.LogonScript.Buffer,
    LogonServer: i.LogonServer.Buffer,
    LogonTime: String(i.LogonTime),
    PasswordCanChange: String(i.PasswordCanChange),
    PasswordLastSet: String(i.PasswordLastSet),
    PasswordMustChange: String(i.PasswordMustChange),
    PrimaryGroupId: i.PrimaryGroupId,
    ProfilePath: i.ProfilePath.Buffer,
    ResourceGroupDomainSid: sid(i.ResourceGroupDomainSid),
    ResourceGroupIds: i.ResourceGroupIds === null ? null : i.ResourceGroupIds.map((g) => [g.RelativeId, g.Attributes]),
    SubAuthStatus: i.SubAuthStatus,
    UserAccountControl: i.UserAccountControl,
    UserFlags: i.UserFlags,
    UserId: i.UserId,
  };
}

