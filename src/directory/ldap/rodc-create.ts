import { TgtbridgeError } from '../../errors/index.js';
import { sameDn } from './dn.js';
import type { DomainContext } from './domain-context.js';
import type { LdapConnection } from './ldap-connection.js';
import { readKrbtgtAccount, readRodcObject, type RodcObject } from './rodc-object.js';
import {
  checkComputerName,
  computerAdd,
  computerDn,
  enableComputer,
  finalKrbtgtRdn,
  krbtgtAdd,
  linkKrbtgt,
  provisionalKrbtgtDn,
  type RodcNames,
} from './rodc-requests.js';

export interface CreateRodcOptions {
  readonly name: string;
  /** Default: `<name lower-cased>.<DNS domain>`. */
  readonly dnsHostName?: string;
  /** Called after each step that changed the directory (for progress output). */
  readonly onStep?: (text: string) => void;
}

export interface CreateRodcResult {
  /** false: the computer already existed and nothing was written. */
  readonly created: boolean;
  readonly object: RodcObject;
}

export interface RollbackOutcome {
  readonly dn: string;
  readonly deleted: boolean;
  readonly error?: string;
}

/**
 * create-rodc failed midway. `created` lists the DNs it had added (in order), `rollback` what
 * deleting them again gave. The cause is the LDAP error that stopped it.
 */
export class RodcCreateError extends TgtbridgeError {
  readonly created: readonly string[];
  readonly rollback: readonly RollbackOutcome[];
  readonly step: string;

  constructor(step: string, created: readonly string[], rollback: readonly RollbackOutcome[], cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('ERR_DIRECTORY', `create-rodc failed at "${step}": ${why}`, { cause });
    this.step = step;
    this.created = created;
    this.rollback = rollback;
  }
}

/**
 * Creates the computer object and its krbtgt_N (DESIGN.md "Key material"), in the order that keeps
 * the object unusable until it is complete: computer (disabled) → krbtgt with the RODC-join control
 * → read N → rename to krbtgt_N → msDS-KrbTgtLink → enable. If the computer already exists nothing
 * is written. On failure what was added is deleted again, newest first.
 */
export async function createRodc(conn: LdapConnection, domain: DomainContext, opts: CreateRodcOptions): Promise<CreateRodcResult> {
  checkComputerName(opts.name);
  const existing = await readRodcObject(conn, domain, opts.name);
  if (existing !== undefined) return { created: false, object: existing };

  const names: RodcNames = {
    domainDn: domain.domainDn,
    domainSid: domain.domainSid,
    name: opts.name,
    dnsHostName: opts.dnsHostName ?? `${opts.name.toLowerCase()}.${domain.dnsDomain}`,
  };
  const say = opts.onStep ?? ((): void => undefined);
  const created: string[] = [];
  let step = 'add computer';
  try {
    const computer = computerDn(names);
    await conn.add(computerAdd(names));
    created.push(computer);
    say(`added ${computer} (disabled until complete)`);

    step = 'add krbtgt account with the RODC-join control';
    const provisional = provisionalKrbtgtDn(names);
    await conn.add(krbtgtAdd(names));
    created.push(provisional);

    step = 'read msDS-SecondaryKrbTgtNumber';
    const account = await readKrbtgtAccount(conn, provisional);
    const n = account?.secondaryKrbTgtNumber;
    if (n === undefined) {
      throw new TgtbridgeError('ERR_DIRECTORY', 'the DC set no msDS-SecondaryKrbTgtNumber: it ignored the RODC-join control');
    }
    say(`added ${provisional}: the DC picked N = ${n} (sAMAccountName ${account?.sAMAccountName ?? '?'})`);

    step = `rename to ${finalKrbtgtRdn(n)}`;
    const finalDn = `${finalKrbtgtRdn(n)},CN=Users,${domain.domainDn}`;
    if (!sameDn(provisional, finalDn)) {
      await conn.rename(provisional, finalKrbtgtRdn(n));
      created[created.length - 1] = finalDn;
      say(`renamed it to ${finalDn}`);
    }

    step = 'set msDS-KrbTgtLink';
    await conn.modify(linkKrbtgt(computer, finalDn));
    step = 'enable the computer';
    await conn.modify(enableComputer(computer));
    say('set msDS-KrbTgtLink and enabled the computer');
  } catch (e) {
    throw new RodcCreateError(step, [...created], await rollBack(conn, created), e);
  }
  const object = await readRodcObject(conn, domain, opts.name);
  if (object === undefined) throw new TgtbridgeError('ERR_DIRECTORY', `${computerDn(names)} was created but cannot be read back`);
  return { created: true, object };
}

async function rollBack(conn: LdapConnection, created: readonly string[]): Promise<RollbackOutcome[]> {
  const out: RollbackOutcome[] = [];
  for (const dn of [...created].reverse()) {
    try {
      await conn.del(dn);
      out.push({ dn, deleted: true });
    } catch (e) {
      out.push({ dn, deleted: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
