import { describe, expect, it } from 'vitest';
import {
  createRodc,
  LdapError,
  RodcCreateError,
  type DomainContext,
  type LdapAddRequest,
  type LdapConnection,
  type LdapEntry,
  type LdapModifyRequest,
  type LdapSearchRequest,
} from '../../../src/directory/index.js';

/**
 * These tests check the order of create-rodc's writes and its rollback against a scripted,
 * in-memory directory. They prove nothing about what a DC does: test/interop/samba-ad.test.ts does.
 */
const domain: DomainContext = { domainDn: 'DC=samba,DC=test', domainSid: 'S-1-5-21-1-2-3', dnsDomain: 'samba.test' };

type Op = string;

class ScriptedDirectory implements LdapConnection {
  readonly ops: Op[] = [];
  readonly objects = new Map<string, Record<string, string[]>>();
  constructor(private readonly failOn?: (op: Op) => boolean) {}

  private check(op: Op): void {
    this.ops.push(op);
    if (this.failOn?.(op)) throw new LdapError(op.split(' ')[0]!, 50, `${op}: insufficient access`);
  }

  search(req: LdapSearchRequest): Promise<readonly LdapEntry[]> {
    const hits: LdapEntry[] = [];
    const sam = /sAMAccountName=([^)]*)\)/.exec(req.filter)?.[1];
    for (const [dn, attrs] of this.objects) {
      const match = req.scope === 'base' ? dn.toLowerCase() === req.base.toLowerCase() : sam !== undefined && attrs['samaccountname']?.[0] === sam;
      if (match) hits.push({ dn, attributes: attrs, binary: {} });
    }
    if (req.scope === 'base' && hits.length === 0) return Promise.reject(new LdapError('search', 32, 'no such object'));
    return Promise.resolve(hits);
  }

  add(req: LdapAddRequest): Promise<void> {
    this.check(`add ${req.dn}`);
    const attrs: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(req.attributes)) attrs[k.toLowerCase()] = [...v];
    if (req.controls.some((c) => c.oid === '1.2.840.113556.1.4.1341')) {
      // What the DC does with the RODC-join control (MS-ADTS §3.1.1.5.2.2).
      attrs['samaccountname'] = ['krbtgt_4242'];
      attrs['msds-secondarykrbtgtnumber'] = ['4242'];
      attrs['msds-keyversionnumber'] = ['1'];
    }
    this.objects.set(req.dn, attrs);
    return Promise.resolve();
  }

  modify(req: LdapModifyRequest): Promise<void> {
    this.check(`modify ${req.dn} ${req.changes.map((c) => `${c.type}=${c.values.join('|')}`).join(' ')}`);
    const o = this.objects.get(req.dn)!;
    for (const c of req.changes) o[c.type.toLowerCase()] = [...c.values];
    return Promise.resolve();
  }

  rename(dn: string, newRdn: string): Promise<void> {
    this.check(`rename ${dn} ${newRdn}`);
    const o = this.objects.get(dn)!;
    this.objects.delete(dn);
    this.objects.set(`${newRdn}${dn.slice(dn.indexOf(','))}`, o);
    return Promise.resolve();
  }

  del(dn: string): Promise<void> {
    this.check(`delete ${dn}`);
    this.objects.delete(dn);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const C = 'CN=TGTBRIDGE,OU=Domain Controllers,DC=samba,DC=test';
const K0 = 'CN=krbtgt_TGTBRIDGE,CN=Users,DC=samba,DC=test';
const K = 'CN=krbtgt_4242,CN=Users,DC=samba,DC=test';

describe('createRodc', () => {
  it('adds disabled, adds krbtgt with the control, renames to krbtgt_N, links, then enables', async () => {
    const dir = new ScriptedDirectory();
    const r = await createRodc(dir, domain, { name: 'TGTBRIDGE' });
    expect(dir.ops).toEqual([
      `add ${C}`,
      `add ${K0}`,
      `rename ${K0} CN=krbtgt_4242`,
      `modify ${C} msDS-KrbTgtLink=${K}`,
      `modify ${C} userAccountControl=${0x05001000}`,
    ]);
    expect(r.created).toBe(true);
    expect(r.object.krbtgt?.secondaryKrbTgtNumber).toBe(4242);
  });

  it('writes nothing when the computer exists', async () => {
    const dir = new ScriptedDirectory();
    await createRodc(dir, domain, { name: 'TGTBRIDGE' });
    dir.ops.length = 0;
    const r = await createRodc(dir, domain, { name: 'TGTBRIDGE' });
    expect(r.created).toBe(false);
    expect(dir.ops).toEqual([]);
  });

  it('deletes what it added, newest first, when a step fails', async () => {
    const dir = new ScriptedDirectory((op) => op.startsWith(`modify ${C} msDS-KrbTgtLink`));
    const e = await createRodc(dir, domain, { name: 'TGTBRIDGE' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RodcCreateError);
    const err = e as RodcCreateError;
    expect(err.code).toBe('ERR_DIRECTORY');
    expect(err.created).toEqual([C, K]);
    expect(err.rollback).toEqual([
      { dn: K, deleted: true },
      { dn: C, deleted: true },
    ]);
    expect(dir.objects.size).toBe(0);
  });

  it('reports what it could not roll back', async () => {
    const dir = new ScriptedDirectory((op) => op.startsWith(`modify ${C} userAccountControl`) || op === `delete ${C}`);
    const err = (await createRodc(dir, domain, { name: 'TGTBRIDGE' }).catch((x: unknown) => x)) as RodcCreateError;
    expect(err.rollback.map((r) => [r.dn, r.deleted])).toEqual([
      [K, true],
      [C, false],
    ]);
  });

  it('reports nothing created when the first add fails', async () => {
    const dir = new ScriptedDirectory((op) => op === `add ${C}`);
    const err = (await createRodc(dir, domain, { name: 'TGTBRIDGE' }).catch((x: unknown) => x)) as RodcCreateError;
    expect(err.created).toEqual([]);
    expect(err.rollback).toEqual([]);
    expect((err.cause as LdapError).resultCode).toBe(50);
  });
});
