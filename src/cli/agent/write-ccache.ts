import type { OpenedAsRep } from '../../ticket/index.js';
import { ccacheCredential, filePrincipal, singleCredentialCcache } from '../tickets/credential.js';
import { writeCcacheFile } from '../tickets/kdc-session.js';

/**
 * Write the delivered partial TGT the way kinit writes an initial ticket: a fresh v4 ccache whose
 * default principal is cname@crealm, holding the one krbtgt credential with the session key,
 * flags and times of the AS-REP's enc-part. Mode 0600 and atomic (writeCcacheFile: a refusal is ERR_IO).
 */
export async function writeLoginCcache(path: string, opened: OpenedAsRep): Promise<void> {
  const { asRep, encPart } = opened;
  const cred = ccacheCredential(filePrincipal(asRep.cname, asRep.crealm), asRep.ticket, encPart);
  await writeCcacheFile(path, singleCredentialCcache(cred));
}
