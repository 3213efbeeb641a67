import { DecodeError } from '../errors/index.js';

/**
 * A DER TLV tree (X.690 §8.1) for wire mutations: scenarios that send what our codecs would never
 * encode (a 5-byte kvno INTEGER) edit the tree of a valid message and serialize it again, with every
 * enclosing length recomputed. Identifier octets are kept verbatim (low-tag-number form only,
 * which is all Kerberos uses); constructed elements are parsed into children.
 */
export interface DerNode {
  /** The identifier octet: class, constructed bit, tag number. */
  readonly tag: number;
  /** Children of a constructed element; undefined for a primitive one. */
  readonly children?: readonly DerNode[];
  /** Contents octets of a primitive element. */
  readonly content?: Uint8Array;
}

const CONSTRUCTED = 0x20;
/** Nesting bound: Kerberos messages are a few levels deep; this keeps hostile input from recursing far. */
const MAX_DEPTH = 64;

function fail(path: string, offset: number, reason: string): never {
  throw new DecodeError('ERR_ASN1_DECODE', path, offset, reason);
}

function readOne(bytes: Uint8Array, at: number, end: number, depth: number): { node: DerNode; next: number } {
  if (depth > MAX_DEPTH) fail('der-tree', at, 'nested too deep');
  if (at + 2 > end) fail('der-tree', at, 'truncated TLV');
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) fail('der-tree', at, 'high tag number form');
  let len = bytes[at + 1]!;
  let pos = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > end) fail('der-tree', at + 1, 'bad length octets');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[pos + i]!;
    pos += n;
  }
  if (pos + len > end) fail('der-tree', at + 1, `length ${len} runs past the end`);
  const contentEnd = pos + len;
  if ((tag & CONSTRUCTED) === 0) return { node: { tag, content: bytes.slice(pos, contentEnd) }, next: contentEnd };
  const children: DerNode[] = [];
  while (pos < contentEnd) {
    const r = readOne(bytes, pos, contentEnd, depth + 1);
    children.push(r.node);
    pos = r.next;
  }
  return { node: { tag, children }, next: contentEnd };
}

/** Parse exactly one DER element (trailing bytes are an error). */
export function parseDer(bytes: Uint8Array): DerNode {
  const { node, next } = readOne(bytes, 0, bytes.length, 0);
  if (next !== bytes.length) fail('der-tree', next, `${bytes.length - next} trailing bytes`);
  return node;
}

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Serialize a tree with definite, minimal lengths (X.690 §10.1). */
export function serializeDer(node: DerNode): Uint8Array {
  const content = node.children === undefined ? (node.content ?? new Uint8Array(0)) : concat(node.children.map(serializeDer));
  return concat([Uint8Array.of(node.tag, ...lengthOctets(content.length)), content]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The child with identifier octet `tag` (e.g. 0xa3 for [3] EXPLICIT), or a DecodeError naming `path`. */
export function childByTag(node: DerNode, tag: number, path: string): DerNode {
  const c = node.children?.find((n) => n.tag === tag);
  if (c === undefined) fail(path, 0, `no element with identifier 0x${tag.toString(16)}`);
  return c;
}

/** A copy of `node` with the child of identifier `tag` replaced by `f(child)`. */
export function replaceChild(node: DerNode, tag: number, path: string, f: (child: DerNode) => DerNode): DerNode {
  childByTag(node, tag, path);
  return { tag: node.tag, children: node.children!.map((c) => (c.tag === tag ? f(c) : c)) };
}
