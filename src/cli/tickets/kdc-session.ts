import { readFile } from 'node:fs/promises';
import { ticketCodec, type Ticket } from '../../asn1/index.js';
import { Key } from '../../crypto/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import type { CliIo } from '../command.js';
import { ioRefusal } from '../io-refusal.js';
import { decodeCcache, encodeCcache, writeCredentialFile, type Ccache, type CcacheCredential } from '../../files/index.js';
import { FILE_INCLUDES, isResponseTooBig, KdcReplyError, krb5ConfPaths, loadKrb5Conf, parseKdcAddress, sendToKdc, type KdcAddress, type TgtCredential } from '../../kdc/index.js';

/**
 * The KDCs for `realm`: `--kdc host[:port]` when given, else the realm's `kdc` lines in the
 * krb5.conf MIT would read (KRB5_CONFIG honoured).
 */
export async function kdcsForRealm(realm: string, kdcFlag: string | undefined, env: NodeJS.ProcessEnv): Promise<KdcAddress[]> {
  if (kdcFlag !== undefined) return [parseKdcAddress(kdcFlag)];
  const paths = krb5ConfPaths(env);
  const conf = loadKrb5Conf(paths, FILE_INCLUDES);
  if (conf.readable.length === 0) throw new TgtbridgeError('ERR_CONFIG', `cannot read ${paths.join(':')} (no such file): set KRB5_CONFIG or pass --kdc host[:port]`);
  const kdcs = conf.kdcsFor(realm);
  if (kdcs.length === 0) throw new TgtbridgeError('ERR_CONFIG', `${conf.readable.join(', ')} (with their includes) name no kdc for realm ${realm} in [realms]; add one or pass --kdc host[:port]`);
  return kdcs;
}

/** UDP first, TCP when the reply is too big or UDP fails (RFC 4120 §7.2.1, src/kdc transport). */
export function sender(kdcs: readonly KdcAddress[], timeoutMs?: number): (der: Uint8Array) => Promise<Uint8Array> {
  return (der) => sendToKdc(kdcs, der, { isResponseTooBig, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}

export async function readCcacheFile(path: string): Promise<Ccache> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new TgtbridgeError('ERR_IO', `cannot read the credential cache ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return decodeCcache(bytes);
}

/**
 * Rewrite a ccache with 0600 atomically; version 4 whatever the input was. A file system refusal
 * (no such directory, no permission, a directory at the path, no space) is ERR_IO naming the file,
 * not a raw errno with a stack trace.
 */
export async function writeCcacheFile(path: string, cc: Omit<Ccache, 'version'>): Promise<void> {
  try {
    await writeCredentialFile(path, encodeCcache(cc));
  } catch (e) {
    throw ioRefusal(e, `the credential cache ${path}`);
  }
}

/** The TGS-REQ input view of a ccache credential. */
export function tgtFromCredential(c: CcacheCredential, ticket?: Ticket): TgtCredential {
  return {
    ticket: ticket ?? ticketCodec.decode(c.ticket),
    sessionKey: Key.fromBytes(c.key.keytype, c.key.keyvalue),
    crealm: c.client.realm,
    cname: { nameType: c.client.nameType, nameString: c.client.components },
  };
}

/** One line for the person: KDC refusals explained (exit 1), unusable input (exit 2), unreachable KDC (exit 1). */
export function failure(command: string, e: unknown, io: CliIo): number {
  if (e instanceof KdcReplyError) {
    io.stderr(`tgtbridge ${command}: the KDC refused: ${e.explanation}\n`);
    return 1;
  }
  if (e instanceof TgtbridgeError) {
    io.stderr(`tgtbridge ${command}: ${e.code}: ${e.message}\n`);
    return e.code === 'ERR_TRANSPORT' || e.krbCode !== undefined ? 1 : 2;
  }
  throw e;
}
