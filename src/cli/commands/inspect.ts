import { parsePrincipal } from '../../asn1/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { decodeKeytab } from '../../files/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { detect, type Detected } from '../inspect/detect.js';
import { inputErrorLine } from '../inspect/fail.js';
import {
  ccacheJson,
  ccacheText,
  keytabJson,
  keytabText,
  krbCredJson,
  krbCredText,
} from '../inspect/file-views.js';
import { readInput, type InputBytes } from '../inspect/input.js';
import { KeyRing } from '../inspect/keys.js';
import { krbErrorJson, krbErrorText } from '../inspect/krb-error-view.js';
import { apReqJson, apReqText, kdcRepJson, kdcRepText, kdcReqJson, kdcReqText } from '../inspect/message-views.js';
import { pacText, pacView } from '../inspect/pac-view.js';
import { ticketText, ticketView } from '../inspect/ticket-view.js';
import type { ViewOptions } from '../inspect/common-views.js';

const USAGE = `usage: tgtbridge inspect <file|-> [--keytab FILE]... [--key ETYPE:HEX]...
                         [--password PW (--salt S | --principal P)] [--krbtgt-key ETYPE:HEX]
                         [--json] [--show-keys]

Decodes a DER Ticket, AS-REQ, AS-REP, TGS-REQ, TGS-REP, AP-REQ, KRB-ERROR or KRB-CRED (.kirbi),
an MIT ccache or keytab, or a PAC; raw, hex or base64. Enc-parts are decrypted with the keys
given: keytab entries matching the principal, kvno and etype first, then every key of the etype.
--principal P gives the MIT default salt (realm followed by the name components).
A decrypted ticket's PAC signatures are checked: the server signature with the key that opened
the ticket, the KDC, ticket and full signatures with --krbtgt-key or a keytab's krbtgt/REALM key.
Session keys are shown only as their etype unless --show-keys.
--json prints one document (see docs/inspect-json.md).
Exit: 0 decoded (and, with keys, something decrypted); 1 keys given but nothing decrypted;
2 unreadable input or usage error.
`;

interface Options extends ViewOptions {
  readonly json: boolean;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('inspect', USAGE, argv, {
    allowPositionals: true,
    options: {
      keytab: { type: 'string', multiple: true },
      key: { type: 'string', multiple: true },
      password: { type: 'string' },
      salt: { type: 'string' },
      principal: { type: 'string' },
      'krbtgt-key': { type: 'string' },
      json: { type: 'boolean' },
      'show-keys': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) {
    io.stderr(`tgtbridge inspect: expected one input file (or - for stdin)\n${USAGE}`);
    return 2;
  }
  const o: Options = { json: v.json === true, showKeys: v['show-keys'] === true };

  const keys = new KeyRing();
  try {
    await loadKeys(keys, v, io);
  } catch (e) {
    if (!(e instanceof TgtbridgeError)) throw e;
    io.stderr(`tgtbridge inspect: ${e.message}\n`);
    return 2;
  }

  const path = parsed.positionals[0]!;
  let input: InputBytes;
  let found: Detected;
  let expected = 'Kerberos message, ccache, keytab or PAC';
  try {
    input = await readInput(path, io);
    found = detect(input.bytes, (what) => (expected = what));
  } catch (e) {
    io.stderr(`tgtbridge inspect: ${inputErrorLine(path === '-' ? '<stdin>' : path, expected, e)}\n`);
    return 2;
  }

  const { json, text } = view(found, keys, o);
  const keysGiven = !keys.isEmpty;
  if (o.json) {
    const doc = {
      kind: found.kind,
      input: { name: input.name, encoding: input.encoding, length: input.bytes.length },
      ...json,
      decryption: { keysGiven, encParts: keys.seen, attempted: keys.attempted, decrypted: keys.opened },
    };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    io.stdout(`${text.join('\n')}\n`);
  }
  if (keysGiven && keys.seen > 0 && keys.opened === 0) {
    io.stderr(
      `tgtbridge inspect: ${input.name}: nothing was decrypted with the keys given (${keys.seen} enc-part(s), ${keys.attempted} with keys of their etype to try)\n`,
    );
    return 1;
  }
  return 0;
}

/** The document body (under the kind's key) and the human lines, from one set of views. */
function view(found: Detected, keys: KeyRing, o: ViewOptions): { json: Record<string, unknown>; text: string[] } {
  switch (found.kind) {
    case 'ticket': {
      const t = ticketView(found.value, keys, o).json;
      return { json: { ticket: t }, text: ticketText(t) };
    }
    case 'as-req':
    case 'tgs-req': {
      const r = kdcReqJson(found.value, keys, o);
      return { json: { request: r }, text: kdcReqText(found.kind, r) };
    }
    case 'as-rep':
    case 'tgs-rep': {
      const r = kdcRepJson(found.value, found.kind === 'as-rep', keys, o);
      return { json: { reply: r }, text: kdcRepText(found.kind, r) };
    }
    case 'ap-req': {
      const a = apReqJson(found.value, keys, o);
      return { json: { apReq: a }, text: apReqText(a) };
    }
    case 'krb-error': {
      const e = krbErrorJson(found.value);
      return { json: { error: e }, text: krbErrorText(e) };
    }
    case 'krb-cred': {
      const c = krbCredJson(found.value, keys, o);
      return { json: { krbCred: c }, text: krbCredText(c) };
    }
    case 'ccache': {
      const c = ccacheJson(found.value, keys, o);
      return { json: { ccache: c }, text: ccacheText(c) };
    }
    case 'keytab': {
      const k = keytabJson(found.value, o);
      return { json: { keytab: k }, text: keytabText(k) };
    }
    case 'pac': {
      const krbtgt = keys.krbtgtKey();
      const p = pacView(found.value, krbtgt !== undefined ? { kdcKey: krbtgt } : {});
      return { json: { pac: p }, text: pacText(p) };
    }
  }
}

interface KeyOptions {
  readonly keytab?: string[] | undefined;
  readonly key?: string[] | undefined;
  readonly password?: string | undefined;
  readonly salt?: string | undefined;
  readonly principal?: string | undefined;
  readonly 'krbtgt-key'?: string | undefined;
}

async function loadKeys(keys: KeyRing, v: KeyOptions, io: CliIo): Promise<void> {
  for (const path of v.keytab ?? []) {
    const got = await readInput(path, io);
    try {
      keys.addKeytab(got.name, decodeKeytab(got.bytes));
    } catch (e) {
      throw new TgtbridgeError('ERR_USAGE', `--keytab ${inputErrorLine(got.name, 'keytab', e)}`);
    }
  }
  for (const spec of v.key ?? []) keys.addKey(spec);
  if (v['krbtgt-key'] !== undefined) keys.setKrbtgtKey(v['krbtgt-key']);
  if (v.password !== undefined) {
    if ((v.salt === undefined) === (v.principal === undefined)) {
      throw new TgtbridgeError('ERR_USAGE', '--password needs exactly one of --salt S or --principal P');
    }
    let salt = v.salt;
    if (salt === undefined) {
      const p = parsePrincipal(v.principal!);
      if (p.realm === undefined) throw new TgtbridgeError('ERR_USAGE', '--principal needs a realm (name@REALM) to make the salt');
      // MIT krb5_principal2salt: the realm, then every component, with no separators.
      salt = p.realm + p.name.nameString.join('');
    }
    keys.setPassword(v.password, salt);
  } else if (v.salt !== undefined || v.principal !== undefined) {
    throw new TgtbridgeError('ERR_USAGE', '--salt and --principal only go with --password');
  }
}
