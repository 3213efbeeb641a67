/**
 * Hand-built MIT ccache/keytab bytes for tests, written independently of src/files so the codecs
 * are checked against the format text (ccache_file_format.rst, keytab_file_format.rst), not
 * against themselves.
 */
export class Bytes {
  private readonly out: number[] = [];
  constructor(private readonly littleEndian = false) {}

  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [(v >>> 8) & 0xff, v & 0xff];
    this.out.push(...(this.littleEndian ? b.reverse() : b));
    return this;
  }
  u32(v: number): this {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.out.push(...(this.littleEndian ? b.reverse() : b));
    return this;
  }
  raw(b: Uint8Array | readonly number[]): this {
    this.out.push(...b);
    return this;
  }
  str32(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u32(b.length).raw(b);
  }
  str16(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u16(b.length).raw(b);
  }
  get length(): number {
    return this.out.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export interface TestCred {
  readonly client: readonly string[];
  readonly server: readonly string[];
  readonly realm: string;
  readonly serverRealm?: string;
  readonly enctype: number;
  readonly key: readonly number[];
  readonly times: readonly [number, number, number, number];
  readonly flags: number;
  readonly ticket: readonly number[];
}

/** A ccache of version 1..4 as the format text describes it (v4 with the given raw header). */
export function buildCcache(version: 1 | 2 | 3 | 4, principal: readonly string[], realm: string, creds: readonly TestCred[], header: readonly number[] = []): Uint8Array {
  const b = new Bytes(version <= 2);
  b.u8(5).u8(version);
  if (version === 4) b.u16(header.length).raw(header);
  const princ = (comps: readonly string[], r: string): void => {
    if (version === 1) b.u32(comps.length + 1);
    else b.u32(1).u32(comps.length);
    b.str32(r);
    for (const c of comps) b.str32(c);
  };
  princ(principal, realm);
  for (const c of creds) {
    princ(c.client, c.realm);
    princ(c.server, c.serverRealm ?? c.realm);
    b.u16(c.enctype);
    if (version === 3) b.u16(c.enctype);
    b.u32(c.key.length).raw(c.key);
    for (const t of c.times) b.u32(t);
    b.u8(0).u32(c.flags);
    b.u32(1).u16(2).u32(4).raw([127, 0, 0, 1]); // one IPv4 address
    b.u32(0); // no authdata
    b.u32(c.ticket.length).raw(c.ticket);
    b.u32(0);
  }
  return b.done();
}
