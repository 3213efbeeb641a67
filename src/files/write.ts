import { writeFileAtomic } from '../util/index.js';

/**
 * Write a ccache, keytab or .kirbi: mode 0600 whatever the umask (smbclient and MIT ignore or
 * warn about group/world-readable ccaches; DESIGN.md), and atomically, so a crash leaves the old
 * file or the new one, never half of one.
 */
export function writeCredentialFile(path: string, bytes: Uint8Array): Promise<void> {
  return writeFileAtomic(path, bytes, 0o600);
}
