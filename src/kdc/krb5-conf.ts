import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * How `include FILE` and `includedir DIR` are read (krb5.conf(5)). Without one, a directive is an
 * error: text given as a string has no file system to resolve it against.
 */
export interface IncludeReader {
  /** The file's text; throws when it cannot be read. */
  readFile(path: string): string;
  /** The names in a directory; throws when it cannot be read. */
  listDir(path: string): string[];
}

/** Includes from the file system; relative names resolve against the working directory, as MIT's do. */
export const FILE_INCLUDES: IncludeReader = {
  readFile: (path) => readFileSync(path, 'utf8'),
  listDir: (path) => readdirSync(path),
};

/** Includes nested deeper than this are a loop (MIT sets no limit and recurses until it fails). */
const MAX_INCLUDE_DEPTH = 16;

/**
 * The files `includedir` takes (measured with MIT 1.20 kinit): names of letters, digits, '-' and
 * '_' only, or ending in ".conf" and not beginning with "." (so no editor backups, no dotfiles), in
 * code-point order as MIT ≥ 1.17 reads them.
 */
function includedNames(names: readonly string[]): string[] {
  return names.filter((n) => /^[A-Za-z0-9_-]+$/.test(n) || (n.endsWith('.conf') && !n.startsWith('.'))).sort();
}

/**
 * The sub-section `tag` of `parent`, made when there is none. A section or `tag = {` block named
 * again (later in the file, or in an included file) adds to the one already there, as MIT's profile
 * tree does: with MIT 1.20 kinit, `kdc` lines of one realm written before an include, in the
 * included file and after it are tried in exactly that order (test/interop/krb5-conf-mit.test.ts).
 */
function subsection(parent: ProfileNode, tag: string): ProfileNode {
  const existing = nodes(parent.relations.get(tag))[0];
  if (existing !== undefined) return existing;
  const node = newNode();
  add(parent, tag, node);
  return node;
}

/** Parse one file's text; `root` is the tree an including file is being read into. */
export function parseProfile(text: string, source = 'krb5.conf', include?: IncludeReader, depth = 0, root: ProfileNode = newNode()): ProfileNode {
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
    // At the start of a line, anywhere in the file, even inside a section or { } block: the named
    // files are parsed on their own (each begins with its own [section]) into the same tree (MIT
    // 1.20, measured; indented, it is a format error).
    const directive = /^(include|includedir)\s+(\S.*)$/.exec(rawLine.trimEnd());
    if (directive) {
      const [, kind, target] = directive as unknown as [string, string, string];
      const reader = include;
      if (reader === undefined) return fail(`${kind} is only followed in files read from disk`);
      if (depth >= MAX_INCLUDE_DEPTH) fail(`${kind} nested more than ${MAX_INCLUDE_DEPTH} deep (a loop?)`);
      const read = <T>(what: string, f: () => T): T => {
        try {
          return f();
        } catch (e) {
          return fail(`${what} ${target} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        }
      };
      const files = kind === 'include' ? [target] : includedNames(read('directory', () => reader.listDir(target))).map((n) => `${target.replace(/\/+$/, '')}/${n}`);
      for (const file of files) parseProfile(read('file', () => reader.readFile(file)), file, reader, depth + 1, root);
      return;
    }
    const header = /^\[([^\]]+)\]\s*\*?$/.exec(line);
    if (header) {
      if (stack.length > 0) fail('section header inside an open { } block');
      section = subsection(root, header[1]!.trim());
      return;
    }
    if (!section) {
      // `module PATH:RESIDUAL` hands the profile to a plugin; none is loaded here.
      if (line.startsWith('module ')) return;
      return fail('relation outside any [section]');
    }
    const current = stack[stack.length - 1] ?? section;
    if (awaitingBrace !== undefined) {
      if (line !== '{') fail(`expected '{' after '${awaitingBrace.tag} =' on line ${awaitingBrace.line}`);
      stack.push(subsection(current, awaitingBrace.tag));
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
      stack.push(subsection(current, tag));
      return;
    }
    add(current, tag, value.replace(/\s*\*$/, ''));
  });
  if (stack.length > 0 || awaitingBrace !== undefined) throw new TgtbridgeError('ERR_CONFIG', `${source}: unclosed { block at end of file`);
  return root;
}

function nodes(list: (string | ProfileNode)[] | undefined): ProfileNode[] {
  return (list ?? []).filter((v): v is ProfileNode => typeof v !== 'string');
}

function strings(list: (string | ProfileNode)[] | undefined): string[] {
  return (list ?? []).filter((v): v is string => typeof v === 'string');
}

/**
 * The values at `path` across every node it names, in order: with a KRB5_CONFIG list each file
 * keeps its own tree and MIT's profile reads them all in list order, the first found winning where
 * one value is wanted.
 */
export function profileValues(tree: ProfileNode, ...path: readonly string[]): string[] {
  let at: ProfileNode[] = [tree];
  for (const step of path.slice(0, -1)) at = at.flatMap((n) => nodes(n.relations.get(step)));
  const last = path[path.length - 1]!;
  return at.flatMap((n) => strings(n.relations.get(last)));
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

function krb5Conf(tree: ProfileNode): Krb5Conf {
  return {
    tree,
    defaultRealm: profileValues(tree, 'libdefaults', 'default_realm')[0],
    kdcsFor: (realm) => profileValues(tree, 'realms', realm, 'kdc').map((s) => parseKdcAddress(s)),
  };
}

/** One krb5.conf given as text; `include` lines need `include` to read the files they name. */
export function readKrb5Conf(text: string, source = 'krb5.conf', include?: IncludeReader): Krb5Conf {
  return krb5Conf(parseProfile(text, source, include));
}

/**
 * The profile MIT tools read, from files: every existing file of `paths` in order (MIT skips the
 * missing ones; none existing is an empty profile), with their includes. `readable` is what was
 * read, for messages.
 */
export function loadKrb5Conf(paths: readonly string[], include: IncludeReader): Krb5Conf & { readonly readable: readonly string[] } {
  const tree = newNode();
  const readable: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = include.readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new TgtbridgeError('ERR_CONFIG', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    readable.push(path);
    for (const [name, list] of parseProfile(text, path, include).relations) for (const node of list) add(tree, name, node);
  }
  return { ...krb5Conf(tree), readable };
}

/** krb5.conf locations as MIT resolves them: the colon list in KRB5_CONFIG, else /etc/krb5.conf. */
export function krb5ConfPaths(env: NodeJS.ProcessEnv): string[] {
  const list = env['KRB5_CONFIG'];
  return list ? list.split(':').filter((p) => p !== '') : ['/etc/krb5.conf'];
}

/** The first of {@link krb5ConfPaths}, where a single file is wanted. */
export function krb5ConfPath(env: NodeJS.ProcessEnv): string {
  return krb5ConfPaths(env)[0] ?? '/etc/krb5.conf';
}

/**
 * A krb5.conf for MIT tools (krb5.conf(5)) naming one realm at one KDC, with DNS lookups off so
 * nothing but this file decides where the realm's KDC is (what `tgtbridge kdc`/`serve` write).
 */
export function formatKrb5Conf(realm: string, host: string, port: number): string {
  const at = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return `[libdefaults]\n  default_realm = ${realm}\n  dns_lookup_kdc = false\n  dns_lookup_realm = false\n\n[realms]\n  ${realm} = {\n    kdc = ${at}\n  }\n`;
}
