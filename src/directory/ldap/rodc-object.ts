import { escapeFilterValue } from './dn.js';
import type { DomainContext } from './domain-context.js';
import { allValues, firstValue, intValue, LDAP_RESULT_CODES, LdapError, type LdapConnection, type LdapEntry } from './ldap-connection.js';
import { sidFromBytes } from './sid-binary.js';

/** A group named in msDS-RevealOnDemandGroup / msDS-NeverRevealGroup, resolved to its SID and name. */
export interface PrpGroup {
  readonly dn: string;
  /** undefined when the DN could not be read (deleted object, no rights). */
  readonly sid: string | undefined;
  readonly name: string | undefined;
}

export interface RodcKrbtgtAccount {
  readonly dn: string;
  readonly sAMAccountName: string | undefined;
  /** msDS-SecondaryKrbTgtNumber: the RODC number N the DC picked. */
  readonly secondaryKrbTgtNumber: number | undefined;
  /** msDS-KeyVersionNumber (constructed): the v of kvno (N<<16)|v. */
  readonly keyVersionNumber: number | undefined;
  readonly userAccountControl: number | undefined;
}

/** The RODC-style computer object and what it points to, as read over LDAP. */
export interface RodcObject {
  readonly domain: DomainContext;
  readonly dn: string;
  readonly sAMAccountName: string;
  readonly userAccountControl: number | undefined;
  readonly dNSHostName: string | undefined;
  readonly supportedEncryptionTypes: number | undefined;
  readonly primaryGroupId: number | undefined;
  readonly krbTgtLink: string | undefined;
  /** The account msDS-KrbTgtLink names; undefined when there is no link or it points nowhere. */
  readonly krbtgt: RodcKrbtgtAccount | undefined;
  readonly revealOnDemand: readonly PrpGroup[];
  readonly neverReveal: readonly PrpGroup[];
}

const COMPUTER_ATTRS = [
  'sAMAccountName',
  'userAccountControl',
  'dNSHostName',
  'msDS-SupportedEncryptionTypes',
  'primaryGroupID',
  'msDS-KrbTgtLink',
  'msDS-RevealOnDemandGroup',
  'msDS-NeverRevealGroup',
];

const KRBTGT_ATTRS = ['sAMAccountName', 'msDS-SecondaryKrbTgtNumber', 'msDS-KeyVersionNumber', 'userAccountControl'];

/** Finds the computer `<name>$` anywhere in the domain and reads it with its krbtgt and PRP groups. */
export async function readRodcObject(conn: LdapConnection, domain: DomainContext, name: string): Promise<RodcObject | undefined> {
  const found = await conn.search({
    base: domain.domainDn,
    scope: 'sub',
    filter: `(&(objectClass=computer)(sAMAccountName=${escapeFilterValue(`${name}$`)}))`,
    attributes: COMPUTER_ATTRS,
  });
  const entry = found[0];
  if (entry === undefined) return undefined;
  const krbTgtLink = firstValue(entry, 'msDS-KrbTgtLink');
  return {
    domain,
    dn: entry.dn,
    sAMAccountName: firstValue(entry, 'sAMAccountName') ?? `${name}$`,
    userAccountControl: intValue(entry, 'userAccountControl'),
    dNSHostName: firstValue(entry, 'dNSHostName'),
    supportedEncryptionTypes: intValue(entry, 'msDS-SupportedEncryptionTypes'),
    primaryGroupId: intValue(entry, 'primaryGroupID'),
    krbTgtLink,
    krbtgt: krbTgtLink === undefined ? undefined : await readKrbtgtAccount(conn, krbTgtLink),
    revealOnDemand: await resolveGroups(conn, allValues(entry, 'msDS-RevealOnDemandGroup')),
    neverReveal: await resolveGroups(conn, allValues(entry, 'msDS-NeverRevealGroup')),
  };
}

/** Reads an RODC krbtgt account; undefined when the DN does not exist. */
export async function readKrbtgtAccount(conn: LdapConnection, dn: string): Promise<RodcKrbtgtAccount | undefined> {
  const entry = await readBase(conn, dn, KRBTGT_ATTRS);
  if (entry === undefined) return undefined;
  return {
    dn: entry.dn,
    sAMAccountName: firstValue(entry, 'sAMAccountName'),
    secondaryKrbTgtNumber: intValue(entry, 'msDS-SecondaryKrbTgtNumber'),
    keyVersionNumber: intValue(entry, 'msDS-KeyVersionNumber'),
    userAccountControl: intValue(entry, 'userAccountControl'),
  };
}

async function resolveGroups(conn: LdapConnection, dns: readonly string[]): Promise<PrpGroup[]> {
  const out: PrpGroup[] = [];
  for (const dn of dns) {
    const e = await readBase(conn, dn, ['objectSid', 'sAMAccountName'], ['objectSid']);
    const sidBytes = e?.binary['objectsid']?.[0];
    out.push({ dn, sid: sidBytes === undefined ? undefined : sidFromBytes(sidBytes), name: e === undefined ? undefined : firstValue(e, 'sAMAccountName') });
  }
  return out;
}

async function readBase(conn: LdapConnection, dn: string, attributes: readonly string[], binaryAttributes: readonly string[] = []): Promise<LdapEntry | undefined> {
  try {
    const [e] = await conn.search({ base: dn, scope: 'base', filter: '(objectClass=*)', attributes, binaryAttributes });
    return e;
  } catch (e) {
    if (e instanceof LdapError && e.resultCode === LDAP_RESULT_CODES.noSuchObject) return undefined;
    throw e;
  }
}
