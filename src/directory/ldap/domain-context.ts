import { TgtbridgeError } from '../../errors/index.js';
import { dnsNameOfDomainDn } from './dn.js';
import { firstValue, type LdapConnection } from './ldap-connection.js';
import { sidFromBytes } from './sid-binary.js';

export interface DomainContext {
  /** defaultNamingContext of the RootDSE (RFC 4512 §5.1; AD's rootDSE names the domain NC there). */
  readonly domainDn: string;
  /** objectSid of the domain NC head. */
  readonly domainSid: string;
  /** DNS name of the domain, from the DC= components. */
  readonly dnsDomain: string;
}

export async function readDomainContext(conn: LdapConnection): Promise<DomainContext> {
  const [root] = await conn.search({ base: '', scope: 'base', filter: '(objectClass=*)', attributes: ['defaultNamingContext'] });
  const domainDn = root === undefined ? undefined : firstValue(root, 'defaultNamingContext');
  if (domainDn === undefined) throw new TgtbridgeError('ERR_DIRECTORY', 'the RootDSE has no defaultNamingContext: is this an AD domain controller?');
  const [head] = await conn.search({ base: domainDn, scope: 'base', filter: '(objectClass=*)', attributes: ['objectSid'], binaryAttributes: ['objectSid'] });
  const sidBytes = head?.binary['objectsid']?.[0];
  if (sidBytes === undefined) throw new TgtbridgeError('ERR_DIRECTORY', `${domainDn} has no objectSid: not an AD domain naming context`);
  return { domainDn, domainSid: sidFromBytes(sidBytes), dnsDomain: dnsNameOfDomainDn(domainDn) };
}
