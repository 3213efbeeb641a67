import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TgtbridgeError } from '../../errors/index.js';
import type { CliIo } from '../command.js';

/** How the bytes were written in the input: raw binary, or text holding hex or base64. */
export type InputEncoding = 'binary' | 'hex' | 'base64';

export interface InputBytes {
  /** The name used in messages: the path as given, or `<stdin>`. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly encoding: InputEncoding;
}

/** Inputs larger than this are not Kerberos files; refuse before reading them into memory. */
export const MAX_INPUT = 64 * 1024 * 1024;

/**
 * Read `path` (or stdin for `-`) and undo a hex or base64 text wrapping. Every failure is an
 * ERR_IO TgtbridgeError whose message names the file and says what is wrong with it.
 */
export async function readInput(path: string, io: CliIo): Promise<InputBytes> {
  const name = path === '-' ? '<stdin>' : path;
  let raw: Uint8Array;
  if (path === '-') {
    // The reader stops a little past the bound, so an endless pipe cannot fill memory.
    raw = await io.readStdin(MAX_INPUT);
    if (raw.length > MAX_INPUT) throw new TgtbridgeError('ERR_IO', `${name}: more than ${MAX_INPUT} bytes is too large for a Kerberos file`);
  } else {
    const full = resolve(io.cwd, path);
    let info;
    try {
      info = await stat(full);
    } catch (e) {
      throw new TgtbridgeError('ERR_IO', `${name}: cannot read (${errnoText(e)})`);
    }
    if (info.isDirectory()) throw new TgtbridgeError('ERR_IO', `${name}: is a directory, expected a Kerberos file`);
    if (!info.isFile()) throw new TgtbridgeError('ERR_IO', `${name}: not a regular file`);
    if (info.size > MAX_INPUT) throw new TgtbridgeError('ERR_IO', `${name}: ${info.size} bytes is too large for a Kerberos file`);
    try {
      raw = new Uint8Array(await readFile(full));
    } catch (e) {
      throw new TgtbridgeError('ERR_IO', `${name}: cannot read (${errnoText(e)})`);
    }
  }
  if (raw.length === 0) throw new TgtbridgeError('ERR_IO', `${name}: empty, expected a Kerberos file`);
  return unwrapText(name, raw);
}

export function errnoText(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    const known: Record<string, string> = {
      ENOENT: 'no such file',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
      ENOTDIR: 'a path component is not a directory',
    };
    return known[e.code] ?? e.code;
  }
  return 'unknown error';
}

/**
 * Binary input starts with a DER tag, 0x05 (ccache/keytab) or a PAC's little-endian buffer count:
 * bytes outside printable ASCII. Text that is only hex digits is hex (checked first: every hex
 * string is also valid base64); else base64 (standard or URL-safe alphabet, padding optional).
 */
export function unwrapText(name: string, raw: Uint8Array): InputBytes {
  const isText = raw.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  if (!isText) return { name, bytes: raw, encoding: 'binary' };
  const text = Buffer.from(raw).toString('latin1').replace(/\s+/g, '');
  if (text.length === 0) throw new TgtbridgeError('ERR_IO', `${name}: only whitespace, expected a Kerberos file`);
  const hex = text.replace(/^0x/i, '');
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    if (hex.length % 2 !== 0) throw new TgtbridgeError('ERR_IO', `${name}: odd number of hex digits (${hex.length})`);
    return { name, bytes: new Uint8Array(Buffer.from(hex, 'hex')), encoding: 'hex' };
  }
  const b64 = /^[A-Za-z0-9+/]+={0,2}$/.test(text) || /^[A-Za-z0-9_-]+={0,2}$/.test(text);
  if (b64 && text.replace(/=+$/, '').length % 4 !== 1) {
    const bytes = new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
    if (bytes.length > 0) return { name, bytes, encoding: 'base64' };
  }
  const at = text.search(/[^A-Za-z0-9+/=_-]/);
  throw new TgtbridgeError(
    'ERR_IO',
    `${name}: text that is neither hex nor base64${at >= 0 ? ` (character ${JSON.stringify(text[at])} after ${at} non-space characters)` : ''}; expected a Kerberos message, ccache, keytab or PAC`,
  );
}
