import type { CommandModule } from './command.js';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
}

/** Import a command's module on demand; its file is src/cli/commands/<name>.ts. */
export function loadCommand(name: string): Promise<CommandModule> {
  // @vite-ignore: the specifier is resolved at run time (dist .js in production, .ts under vitest).
  return import(/* @vite-ignore */ `./commands/${name}.js`) as Promise<CommandModule>;
}

/**
 * Every `tgtbridge` sub-command. Each module is imported lazily by name (loadCommand), so start-up
 * never pays for the large modules behind the commands.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'serve', summary: 'run the bridge (passkey sign-in, minting) and the embedded exchange' },
  { name: 'login', summary: 'device agent: passkey sign-in through the browser, partial TGT into a ccache' },
  { name: 'exchange', summary: 'exchange the partial TGT in a ccache for a full TGT at the KDC' },
  { name: 'kvno', summary: 'get a service ticket for an SPN into the ccache' },
  { name: 'inspect', summary: 'decode and decrypt tickets, KDC messages, KRB-CRED, ccache, keytab, PAC' },
  { name: 'convert', summary: 'convert credentials between MIT ccache and .kirbi, losslessly' },
  { name: 'mint', summary: 'mint a partial TGT from the key set (KDC integration testing)' },
  { name: 'keys', summary: 'import, list and rotate krbtgt_N key versions' },
  { name: 'ad', summary: 'create and inspect the RODC-style object and krbtgt_N in AD over LDAP' },
  { name: 'users', summary: 'list and show directory users' },
  { name: 'tap', summary: 'issue temporary access passes' },
  { name: 'passkeys', summary: 'list and revoke registered passkeys' },
  { name: 'profiles', summary: 'explain which passkey profile admits or refuses a user' },
  { name: 'kdc', summary: 'run the embedded exchange KDC alone' },
  { name: 'probe', summary: 'run the KDC scenario suite against a KDC and print the matrix' },
  { name: 'doctor', summary: 'check config, keys, KDC reachability and policy' },
];
