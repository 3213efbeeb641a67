import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Attribute, Change, Client, Control, ResultCodeError } from 'ldapts';
import { TgtbridgeError } from '../../errors/index.js';
import {
  LdapError,
  type LdapAddRequest,
  type LdapConnection,
  type LdapEntry,
  type LdapModifyRequest,
  type LdapSearchRequest,
} from './ldap-connection.js';

export interface LdapConnectOptions {
  /** ldaps://host[:port]. Plain ldap:// is refused: the simple bind would send the password in clear. */
  readonly url: string;
  readonly bindDn: string;
  readonly password: string;
  /** PEM file with the CA(s) that issued the DC's certificate; default: Node's CA store. */
  readonly caFile?: string;
  /** Skip certificate verification (labs with self-signed certificates only). */
  readonly insecureTls?: boolean;
  readonly timeoutMs?: number;
}

/** Opens an LDAPS connection with ldapts 8 and simple-binds. */
export async function connectLdap(opts: LdapConnectOptions): Promise<LdapConnection> {
  if (!/^ldaps:\/\//i.test(opts.url)) {
    throw new TgtbridgeError('ERR_USAGE', `--ldap must be an ldaps:// URL (a simple bind over ${opts.url.split(':')[0]}:// would send the password in clear)`);
  }
  const tlsOptions: ConnectionOptions = {};
  if (opts.insecureTls === true) {
    tlsOptions.rejectUnauthorized = false;
  } else if (opts.caFile !== undefined) {
    let ca: string;
    try {
      ca = readFileSync(opts.caFile, 'utf8');
    } catch (e) {
      throw new TgtbridgeError('ERR_IO', `cannot read --ca-file ${opts.caFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    tlsOptions.ca = ca;
  }
  const timeout = opts.timeoutMs ?? 15_000;
  const client = new Client({ url: opts.url, tlsOptions, timeout, connectTimeout: timeout });
  try {
    await client.bind(opts.bindDn, opts.password);
  } catch (e) {
    await client.unbind().catch(() => undefined);
    throw wrap('bind', opts.bindDn, e);
  }
  return new LdaptsConnection(client);
}

function wrap(operation: string, dn: string, e: unknown): LdapError {
  if (e instanceof ResultCodeError) {
    return new LdapError(operation, e.code, `LDAP ${operation} ${dn}: result ${e.code} (${e.message.split('\n')[0] ?? ''})`, { cause: e });
  }
  const text = e instanceof Error ? e.message : String(e);
  return new LdapError(operation, undefined, `LDAP ${operation} ${dn}: ${text}`, { cause: e });
}

class LdaptsConnection implements LdapConnection {
  readonly #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  async search(req: LdapSearchRequest): Promise<readonly LdapEntry[]> {
    const binary = (req.binaryAttributes ?? []).map((a) => a.toLowerCase());
    try {
      const res = await this.#client.search(req.base, {
        scope: req.scope,
        filter: req.filter,
        attributes: [...req.attributes],
        explicitBufferAttributes: [...(req.binaryAttributes ?? [])],
      });
      return res.searchEntries.map((e) => {
        const attributes: Record<string, string[]> = {};
        const bin: Record<string, Uint8Array[]> = {};
        for (const [k, v] of Object.entries(e)) {
          if (k === 'dn') continue;
          const key = k.toLowerCase();
          const values = Array.isArray(v) ? v : [v];
          if (binary.includes(key)) bin[key] = values.map((x) => (Buffer.isBuffer(x) ? new Uint8Array(x) : new TextEncoder().encode(String(x))));
          else attributes[key] = values.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
        }
        return { dn: e.dn, attributes, binary: bin };
      });
    } catch (e) {
      throw wrap('search', req.base, e);
    }
  }

  async add(req: LdapAddRequest): Promise<void> {
    const attrs = Object.entries(req.attributes).map(([type, values]) => new Attribute({ type, values: [...values] }));
    const controls = req.controls.map((c) => new Control(c.oid, { critical: c.critical }));
    try {
      await this.#client.add(req.dn, attrs, controls);
    } catch (e) {
      throw wrap('add', req.dn, e);
    }
  }

  async modify(req: LdapModifyRequest): Promise<void> {
    const changes = req.changes.map(
      (c) => new Change({ operation: c.operation, modification: new Attribute({ type: c.type, values: [...c.values] }) }),
    );
    try {
      await this.#client.modify(req.dn, changes);
    } catch (e) {
      throw wrap('modify', req.dn, e);
    }
  }

  async rename(dn: string, newRdn: string): Promise<void> {
    try {
      await this.#client.modifyDN(dn, newRdn);
    } catch (e) {
      throw wrap('modifyDN', dn, e);
    }
  }

  async del(dn: string): Promise<void> {
    try {
      await this.#client.del(dn);
    } catch (e) {
      throw wrap('delete', dn, e);
    }
  }

  async close(): Promise<void> {
    await this.#client.unbind().catch(() => undefined);
  }
}
