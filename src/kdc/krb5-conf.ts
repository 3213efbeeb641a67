import { TgtbridgeError } from '../errors/index.js';

/**
 * A reader for MIT's profile format (krb5.conf(5)): `[section]` headers, `tag = value` relations,
 * `tag = { … }` sub-sections, `#`/`;` comments, and `*` after a closing brace or value marking it
 * final. Only what the device agent needs is interpreted (default_realm, realms' kdc entries);
 * the rest is kept as a tree so later readers can look up any relation.
 */
export interface ProfileNode {
  readonly relations: Map<string, (string | ProfileNode)[]>;
}

function newNode(): ProfileNode {
  return { relations: new Map() };
}

function add(node: ProfileNode, tag: string, value: string | ProfileNode): void {
  const list = node.relations.get(tag);
  if (list) list.push(value);
  else node.relations.set(tag, [value]);
}

export function parseProfile(text: string, source = 'krb5.conf'): ProfileNode {
  const root = newNode();
  let section: ProfileNode | undefined;
  const stack: ProfileNode[] = [];
  // `tag =` with nothing after it: MIT's parser (prof_parse.c) then wants the sub-section's `{`
  // as the next line, and refuses anything else (PROF_MISSING_OBRACE).
  let awaitingBrace: { readonly tag: string; readonly line: number } | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const fail = (why: string): never => {
      throw new TgtbridgeError('ERR_CONFIG', `${source} line ${index + 1}: ${why}`);
    };
    const header = /^\[([^\]]+)\]\s*\*?$/.exec(line);
    if (header) {
      if (stack.length > 0) fail('section header inside an open { } block');
      section = newNode();
      add(root, header[1]!.trim(), section);
      return;
    }
    if (!section) {
      // MIT ignores `include`/`includedir` directives only when outside sections; we do too.
      if (/^include(dir)?\s/.test(line) || line.startsWith('module ')) return;
      return fail('relation outside any [section]');
    }
    const current = stack[stack.length - 1] ?? section;
    if (awaitingBrace !== undefined) {
      if (line !== '{') fail(`expected '{' after '${awaitingBrace.tag} =' on line ${awaitingBrace.line}`);
      const child = newNode();
      add(current, awaitingBrace.tag, child);
      stack.push(child);
      awaitingBrace = undefined;
      return;
    }
    if (/^\}\s*\*?$/.test(line)) {
      if (stack.length === 0) fail('unmatched }');
      stack.pop();
      return;
    }
    const rel = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!rel) return fail(`expected 'tag = value', got '${line}'`);
    const tag = rel[1]!.trim();
    const value = rel[2]!.trim();
    if (value === '') {
      awaitingBrace = { tag, line: index + 1 };
      return;
    }
    if (value === '{') {
      const child = newNode();
      add(current, tag, child);
      stack.push(child);
      return;
    }
    add(current, tag, value.replace(/\s*\*$/, ''));
  });
  if (stack.length > 0 || awaitingBrace !== undefined) throw new TgtbridgeError('ERR_CONFIG', `${source}: unclosed { block at end of file`);
  return root;
}

function firstNode(list: (string | ProfileNode)[] | undefined): ProfileNode | undefined {
  return list?.find((v): v is ProfileNode => typeof v !== 'string');
}

function strings(list: (string | ProfileNode)[] | undefined): string[] {
  return (list ?? []).filter((v): v is string => typeof v === 'string');
}

export interface KdcAddress {
  readonly host: string;
  readonly port: number;
  /** `tcp/host` or `udp/host` forms pin the transport (krb5.conf(5) "kdc"). */
  readonly transport?: 'udp' | 'tcp';
}

/** Parse `host`, `host:port`, `[v6]:port`, `tcp/host:port` as krb5.conf(5) allows for `kdc`. */
export function parseKdcAddress(spec: string, defaultPort = 88): KdcAddress {
  let rest = spec.trim();
  let transport: 'udp' | 'tcp' | undefined;
  const pinned = /^(tcp|udp)\/(.*)$/i.exec(rest);
  if (pinned) {
    transport = pinned[1]!.toLowerCase() as 'udp' | 'tcp';
    rest = pinned[2]!;
  }
  let host: string;
  let port = defaultPort;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else {
    const hp = /^([^:]+)(?::(\d+))?$/.exec(rest);
    if (!hp) throw new TgtbridgeError('ERR_CONFIG', `not a KDC address: '${spec}'`);
    host = hp[1]!;
    if (hp[2]) port = Number(hp[2]);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TgtbridgeError('ERR_CONFIG', `bad port in KDC address '${spec}'`);
  }
  return transport ? { host, port, transport } : { host, port };
}

export interface Krb5Conf {
  readonly defaultRealm: string | undefined;
  /** KDC addresses listed for `realm` in [realms], in file order. */
  kdcsFor(realm: string): KdcAddress[];
  readonly tree: ProfileNode;
}

export function readKrb5Conf(text: string, source = 'krb5.conf'): Krb5Conf {
  const tree = parseProfile(text, source);
  const libdefaults = firstNode(tree.relations.get('libdefaults'));
  const realms = firstNode(tree.relations.get('realms'));
  return {
    tree,
    defaultRealm: strings(libdefaults?.relations.get('default_realm'))[0],
    kdcsFor(realm) {
      const node = firstNode(realms?.relations.get(realm));
      return strings(node?.relations.get('kdc')).map((s) => parseKdcAddress(s));
    },
  };
}

/** krb5.conf location as MIT resolves it: KRB5_CONFIG (first of a colon list), else /etc/krb5.conf. */
export function krb5ConfPath(env: NodeJS.ProcessEnv): string {
  const list = env['KRB5_CONFIG'];
  return list ? list.split(':')[0]! : '/etc/krb5.conf';
}

/**
 * A krb5.conf for MIT tools (krb5.conf(5)) naming one realm at one KDC, with DNS lookups off so
 * nothing but this file decides where the realm's KDC is (what `tgtbridge kdc`/`serve` write).
 */
export function formatKrb5Conf(realm: string, host: string, port: number): string {
  const at = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return `[libdefaults]\n  default_realm = ${realm}\n  dns_lookup_kdc = false\n  dns_lookup_realm = false\n\n[realms]\n  ${realm} = {\n    kdc = ${at}\n  }\n`;
}
