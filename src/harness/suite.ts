import { dropAuthenticatorChecksum, kvnoAboveInt32Max, kvnoAsFiveByteUnsigned, kvnoWithoutRodcNumber, outerLengthOverrun, trailingOctet } from './mutations.js';
import { error, noAnswer, reply, scenario as s, TIMES, type Scenario } from './scenario.js';

/**
 * What a writable DC does with an RODC-issued TGT — samba-lab.md's measurements against Samba 4.17
 * AD DC, one scenario per case; each runs for krbtgt/REALM and for the cifs SPN. The embedded
 * exchange (src/kdc/service) must answer the same (test/interop/probe-differential.test.ts).
 */
const revoked = error('KDC_ERR_TGT_REVOKED');
const generic = error('KRB_ERR_GENERIC');
const badKeyVersion = error('KRB_AP_ERR_BADKEYVER');
const badIntegrity = error('KRB_AP_ERR_BAD_INTEGRITY');
const policy = error('KDC_ERR_POLICY');

export const EXCHANGE_SUITE: readonly Scenario[] = [
  // Accepted: the DC rebuilds the PAC from the directory (groups, S-1-18-1).
  s('minimal PAC is exchanged', {}, reply({ pacRebuilt: true })),
  s('Windows-like PAC (UPN_DNS_INFO, ATTRIBUTES_INFO) is exchanged', { pac: 'windows' }, reply({ pacRebuilt: true })),
  s('FULL_CHECKSUM inside the partial TGT is tolerated', { pac: 'full-checksum-inside' }, reply()),

  // Password-replication policy and PAC identity → 20.
  s('no PAC', { pac: 'no-pac' }, revoked),
  s('no REQUESTOR', { pac: 'no-requestor' }, revoked),
  s('REQUESTOR is another user', { pac: 'requestor-of-other-user' }, revoked),
  s('user not in reveal-on-demand', { user: 'not-allowed' }, revoked),
  s('user in never-reveal through nesting (Domain Admins)', { user: 'never-reveal' }, revoked),

  // PAC structure → 60.
  s('no LOGON_INFO', { pac: 'no-logon-info' }, generic),
  s('no CLIENT_INFO', { pac: 'no-client-info' }, generic),
  s('CLIENT_INFO name is not cname', { pac: 'client-info-name-mismatch' }, generic),
  s('CLIENT_INFO time is not authtime', { pac: 'client-info-time-mismatch' }, generic),

  // Keys and key version numbers.
  s('unknown RODC number', { rodcNumber: 'unknown' }, error('KRB_AP_ERR_NOT_US')),
  s('unknown key version', { keyVersion: 'unknown' }, badKeyVersion),
  s('AES128 key of krbtgt_N', { key: 'rodc-aes128' }, badKeyVersion),
  s('wrong key', { key: 'wrong' }, badIntegrity),
  s('kvno without the RODC number', {}, badIntegrity, { mutate: [kvnoWithoutRodcNumber] }),
  s('server checksum with a wrong key', { pac: 'bad-server-checksum' }, badIntegrity),
  s('kvno as a 5-byte unsigned INTEGER', {}, generic, { mutate: [kvnoAsFiveByteUnsigned] }),
  s('kvno as a 5-byte INTEGER above 2^31 - 1', {}, generic, { mutate: [kvnoAboveInt32Max] }),

  // The outer TGS-REQ does not decode: no answer at all (MIT and Samba both stay silent; a KRB-ERROR
  // to a forged UDP source would make the KDC a reflector).
  s('outer TGS-REQ length overruns the message', {}, noAnswer(), { mutate: [outerLengthOverrun] }),
  // An octet after the TGS-REQ's DER element is ignored by both.
  s('one octet after the TGS-REQ', {}, reply({ pacRebuilt: true }), { mutate: [trailingOctet] }),

  // Account state.
  s('disabled user', { user: 'disabled' }, policy),
  s('must change password', { user: 'must-change-password' }, error('KDC_ERR_KEY_EXPIRED')),
  s('account expired', { user: 'expired' }, error('KDC_ERR_NAME_EXP')),
  s('locked out', { user: 'locked-out' }, error('KDC_ERR_CLIENT_REVOKED')),
  // An expiry still ahead cuts nothing: endtime and renew-till stay the TGT's, however soon the account expires.
  s("account expiring before the TGT ends: the TGT's times", { user: 'expires-soon' }, reply({ pacRebuilt: true, times: 'tgt' }), { request: { renewable: true } }),
  s('unknown user', { user: 'unknown' }, error('KDC_ERR_C_PRINCIPAL_UNKNOWN')),

  // Times and options.
  s('ticket expired', { times: TIMES.expired }, error('KRB_AP_ERR_TKT_EXPIRED')),
  s('starttime in the future', { times: TIMES.postdated }, error('KRB_AP_ERR_TKT_NYV')),
  s('renewable asked of a non-renewable TGT', { renewable: false }, error('KDC_ERR_BADOPTION'), { request: { renewable: true } }),
  s('authenticator without body checksum', {}, error('KRB_AP_ERR_INAPP_CKSUM'), { mutate: [dropAuthenticatorChecksum] }),
  // RFC 4120 §2.6: tickets from a forwarded TGT are marked forwarded too.
  s('a ticket from a FORWARDED TGT is FORWARDED', { flags: ['forwarded'] }, reply({ pacRebuilt: true, flags: ['forwarded'] })),
  // A start beyond the clock skew without POSTDATED is a postdating request the DC refuses (10).
  s('from an hour ahead without POSTDATED', {}, error('KDC_ERR_CANNOT_POSTDATE'), { request: { fromSec: 3600 } }),
  s('REQUEST-ANONYMOUS from a named TGT', {}, policy, { request: { anonymous: true } }),
  // The options a TGS-REQ may ask are bounded by the TGT's flags → 13 (Heimdal's check_tgs_flags).
  s('FORWARDABLE asked of a TGT that is not forwardable', { clearFlags: ['forwardable'] }, error('KDC_ERR_BADOPTION')),
  s('PROXIABLE asked of a TGT that is not proxiable', {}, error('KDC_ERR_BADOPTION'), { request: { proxiable: true } }),
  // FORWARDED (credential delegation) and PROXY take the addresses the request names.
  s('FORWARDED from a forwardable TGT', {}, reply({ pacRebuilt: true, flags: ['forwarded'] }), { request: { readdress: 'forwarded' } }),
  s('PROXY from a proxiable TGT', { flags: ['proxiable'] }, reply({ pacRebuilt: true, flags: ['proxy'] }), { request: { readdress: 'proxy' }, targets: ['cifs'] }),
  s('PROXIABLE asked of a proxiable TGT', { flags: ['proxiable'] }, reply({ pacRebuilt: true, flags: ['proxiable'] }), { request: { proxiable: true } }),
  // enc-authorization-data: the subkey usage without a subkey, or bytes that are no AuthorizationData → 31.
  s('enc-authorization-data under usage 5 without a subkey', {}, badIntegrity, { request: { encAuthorizationData: 'usage-5-without-subkey' } }),
  s('enc-authorization-data that is no AuthorizationData', {}, badIntegrity, { request: { encAuthorizationData: 'not-authorization-data' } }),
  // Names: a client of a realm the DC does not serve → 6; the SPN as one component with its '/' → 7.
  s('client of another realm', { clientRealm: 'other' }, error('KDC_ERR_C_PRINCIPAL_UNKNOWN')),
  s('the realm asked for in lower case', {}, reply({ pacRebuilt: true }), { request: { realmInLowerCase: true } }),
  s('SPN spelt as one component', {}, error('KDC_ERR_S_PRINCIPAL_UNKNOWN'), { request: { snameOneComponent: true }, targets: ['cifs'] }),
  // The computer account holding the SPN, named by its sAMAccountName (DC1$): a ticket under its key.
  s('the service account named by its sAMAccountName', {}, reply({ pacRebuilt: true }), { request: { snameAccount: true }, targets: ['cifs'] }),

  // The RODC object itself (needs the directory changed: a setup hook).
  s('RODC object without PARTIAL_SECRETS_ACCOUNT', {}, policy, { setup: 'rodc-without-partial-secrets' }),
  s('RODC object without msDS-KrbTgtLink', {}, policy, { setup: 'rodc-without-krbtgt-link' }),
];
