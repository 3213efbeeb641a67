import { pacBuffer, PAC_BUFFER_TYPE, parseSid, type Pac, type PacBuffer } from '../pac/index.js';
import { partialTgtPac } from '../ticket/index.js';
import { dateToFiletime } from '../util/index.js';
import type { PacVariant } from './scenario.js';

/** An account as a scenario needs it: the name for cname/CLIENT_INFO and the objectSid. */
export interface ProbeUser {
  readonly name: string;
  readonly sid: string;
  /** Group SIDs (transitive, account domain) the rebuilt PAC must carry; checked when given. */
  readonly groupSids?: readonly string[];
}

const T = PAC_BUFFER_TYPE;

function without(pac: Pac, ulType: number): Pac {
  return { ...pac, Buffers: pac.Buffers.filter((b) => b.ulType !== ulType) };
}

function replacing(pac: Pac, ulType: number, buffer: PacBuffer): Pac {
  return { ...pac, Buffers: pac.Buffers.map((b) => (b.ulType === ulType ? buffer : b)) };
}

/**
 * The unsigned PAC of a partial TGT for one variant, or undefined for `no-pac`. Every variant starts
 * from ticket's partialTgtPac — the PAC the bridge really mints — and changes one buffer, so a
 * refusal is caused by that change alone. `other` is a second account (REQUESTOR / CLIENT_INFO of
 * someone else).
 */
export function partialPacVariant(variant: PacVariant, user: ProbeUser, other: ProbeUser, realm: string, authtime: Date): Pac | undefined {
  if (variant === 'no-pac') return undefined;
  const windows = variant === 'windows';
  const pac = partialTgtPac({ samAccountName: user.name, sid: user.sid }, realm, authtime, { upnDnsInfo: windows, attributesInfo: windows });
  const clientInfo = (name: string, time: Date): PacBuffer => pacBuffer({ type: 'CLIENT_INFO', value: { ClientId: dateToFiletime(time), Name: name } });
  switch (variant) {
    case 'minimal':
    case 'windows':
    case 'bad-server-checksum':
    case 'full-checksum-inside':
      // The last two differ in signing, not in content (mint.ts).
      return pac;
    case 'no-requestor':
      return without(pac, T.REQUESTOR);
    case 'requestor-of-other-user':
      return replacing(pac, T.REQUESTOR, pacBuffer({ type: 'REQUESTOR', value: { Sid: parseSid(other.sid) } }));
    case 'no-logon-info':
      return without(pac, T.LOGON_INFO);
    case 'no-client-info':
      return without(pac, T.CLIENT_INFO);
    case 'client-info-name-mismatch':
      // MS-PAC §2.7: Name must be the client's name; here another account's.
      return replacing(pac, T.CLIENT_INFO, clientInfo(other.name, authtime));
    case 'client-info-time-mismatch':
      // MS-PAC §2.7: ClientId must equal authtime; one second off.
      return replacing(pac, T.CLIENT_INFO, clientInfo(user.name, new Date(authtime.getTime() + 1000)));
  }
}
