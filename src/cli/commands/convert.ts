import { resolve } from 'node:path';
import type { Key } from '../../crypto/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import {
  ccacheToKirbi,
  decodeCcache,
  decodeKeytab,
  decodeKirbi,
  encodeCcache,
  encodeKirbi,
  kirbiToCcache,
  looksLikeCcache,
  looksLikeKeytab,
  looksLikeKirbi,
  writeCredentialFile,
  type Ccache,
  type Converted,
  type Dropped,
  type Kirbi,
} from '../../files/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { inputErrorLine } from '../inspect/fail.js';
import { errnoText, readInput } from '../inspect/input.js';
import { parseKeyOption } from '../inspect/keys.js';

const USAGE = `usage: tgtbridge convert <in> <out> [--to ccache|kirbi] [--key ETYPE:HEX]

Converts every credential between an MIT ccache and a .kirbi (KRB-CRED with an unencrypted
enc-part). The input format is detected (a .kirbi may also be base64 or hex text); --to defaults
to kirbi when <out> ends in .kirbi, else ccache. Output is written atomically with mode 0600.
Anything the target format cannot hold (config entries, authdata, ...) is listed on stderr.
--key opens a KRB-CRED whose enc-part is encrypted (key usage 14); the output is unencrypted.
`;

type Format = 'ccache' | 'kirbi';

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('convert', USAGE, argv, { allowPositionals: true, options: { to: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, io);
  if (typeof parsed === 'number') return parsed;
  const [input, output, ...extra] = parsed.positionals;
  if (input === undefined || output === undefined || extra.length > 0) {
    io.stderr(`tgtbridge convert: expected <in> and <out>\n${USAGE}`);
    return 2;
  }
  const to = parsed.values.to ?? (output.toLowerCase().endsWith('.kirbi') ? 'kirbi' : 'ccache');
  if (to !== 'ccache' && to !== 'kirbi') {
    io.stderr(`tgtbridge convert: --to must be ccache or kirbi, not '${to}'\n`);
    return 2;
  }

  let key: Key | undefined;
  if (parsed.values.key !== undefined) {
    try {
      key = parseKeyOption('--key', parsed.values.key);
    } catch (e) {
      if (!(e instanceof TgtbridgeError)) throw e;
      io.stderr(`tgtbridge convert: ${e.message}\n`);
      return 2;
    }
  }

  let source: { format: Format; ccache?: Ccache; kirbi?: Kirbi };
  let name = input;
  try {
    const got = await readInput(input, io);
    name = got.name;
    source = decodeSource(got.bytes, key);
  } catch (e) {
    io.stderr(`tgtbridge convert: ${inputErrorLine(name, 'ccache or .kirbi', e)}\n`);
    return 2;
  }

  let bytes: Uint8Array;
  let count: number;
  let dropped: readonly Dropped[] = [];
  try {
    if (to === 'kirbi') {
      const k = source.kirbi ?? keep(ccacheToKirbi(source.ccache!), (d) => (dropped = d));
      bytes = encodeKirbi(k);
      count = k.tickets.length;
    } else {
      const cc = source.ccache ?? keep(kirbiToCcache(source.kirbi!), (d) => (dropped = d));
      bytes = encodeCcache(cc);
      count = cc.credentials.length;
    }
  } catch (e) {
    io.stderr(`tgtbridge convert: ${inputErrorLine(name, source.format, e)}\n`);
    return 2;
  }
  if (dropped.length > 0) {
    io.stderr(
      `tgtbridge convert: WARNING: a ${to === 'kirbi' ? 'KRB-CRED' : 'ccache'} cannot hold ${dropped.length} item(s) of ${name}; they are NOT in ${output}:\n` +
        dropped.map((d) => `  - ${d.detail}\n`).join(''),
    );
  }
  try {
    await writeCredentialFile(resolve(io.cwd, output), bytes);
  } catch (e) {
    io.stderr(`tgtbridge convert: ${output}: cannot write (${errnoText(e)})\n`);
    return 2;
  }
  io.stdout(`${name} (${source.format}) -> ${output} (${to}): ${count} credential(s)${dropped.length > 0 ? `, ${dropped.length} item(s) dropped` : ''}\n`);
  return 0;
}

function keep<T>(c: Converted<T>, onDropped: (d: readonly Dropped[]) => void): T {
  onDropped(c.dropped);
  return c.value;
}

function isKeytab(bytes: Uint8Array): boolean {
  try {
    decodeKeytab(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeSource(bytes: Uint8Array, key: Key | undefined): { format: Format; ccache?: Ccache; kirbi?: Kirbi } {
  if (looksLikeKirbi(bytes)) return { format: 'kirbi', kirbi: decodeKirbi(bytes, key) };
  if (looksLikeCcache(bytes)) {
    // 0x05 0x01/0x02 starts both a ccache (v1/v2) and a keytab; a keytab holds no tickets.
    try {
      return { format: 'ccache', ccache: decodeCcache(bytes) };
    } catch (e) {
      if (looksLikeKeytab(bytes) && isKeytab(bytes)) {
        throw new TgtbridgeError('ERR_UNKNOWN_FORMAT', 'a keytab holds keys, not tickets: nothing to convert');
      }
      throw e;
    }
  }
  throw new TgtbridgeError('ERR_UNKNOWN_FORMAT', `unknown format (first byte 0x${bytes[0]!.toString(16).padStart(2, '0')}); expected a ccache (05 01..04) or a .kirbi (DER KRB-CRED, 76)`);
}
