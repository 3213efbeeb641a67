/**
 * AAGUID → authenticator name, for the "Security info" page only: names are display hints, never
 * a security decision (without attestation an AAGUID can be spoofed). The shipped map is small;
 * a FIDO MDS3 payload (metadataFile) adds every certified authenticator's description.
 */
export type AaguidNames = ReadonlyMap<string, string>;

/**
 * Source: the community list github.com/passkeydeveloper/passkey-authenticator-aaguids
 * (aaguid.json) and FIDO MDS3 descriptions; 01020304-… is Chromium's virtual authenticator
 * (measured, see the project's notes on Chromium).
 */
const BUILT_IN: Readonly<Record<string, string>> = {
  '01020304-0506-0708-0102-030405060708': 'Chromium virtual authenticator',
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
  'cb69481e-8ff7-4039-93ec-0a2729a154a8': 'YubiKey 5 Series',
  'ee882879-721c-4913-9775-3dfcce97072a': 'YubiKey 5 NFC',
  '00000000-0000-0000-0000-000000000000': 'Unknown authenticator (no AAGUID given)',
};

export function builtInAaguidNames(): AaguidNames {
  return new Map(Object.entries(BUILT_IN));
}
