import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { isSidString, loadFileDirectory, parseFileDirectory } from '../../src/directory/index.js';

const CONFIG = loadConfig(join(import.meta.dirname, '..', '..', 'config', 'tgtbridge.yaml'));
const NAMES = { realm: 'DEMO.TEST', dnsDomain: 'demo.test', netbiosName: 'DEMO' };
const DOM = 'S-1-5-21-3623811015-3361044348-30300820';

describe('file directory (demo)', () => {
  const dir = loadFileDirectory(CONFIG.directory.path, NAMES);

  it('finds users by sAMAccountName, UPN and SID', async () => {
    const alice = await dir.findUser('ALICE');
    expect(alice).toMatchObject({ objectSid: `${DOM}-1104`, userPrincipalName: 'alice@demo.test', primaryGroupId: 513, enabled: true });
    expect(await dir.findUser('alice@demo.test')).toBe(alice);
    expect(await dir.findUser(`${DOM}-1104`)).toBe(alice);
    expect(await dir.findUser('nobody')).toBeUndefined();
    expect((await dir.findUser('carol'))?.enabled).toBe(false);
    expect((await dir.findUser('erin'))?.accountExpires?.toISOString()).toBe('2027-12-31T00:00:00.000Z');
  });

  it('resolves nested groups transitively, with the primary group', async () => {
    const alice = (await dir.findUser('alice'))!;
    expect(alice.memberOf).toEqual([`${DOM}-1201`]);
    expect(await dir.groupSidsOf(alice)).toEqual(
      [`${DOM}-1200`, `${DOM}-1201`, `${DOM}-513`, `${DOM}-571`, 'S-1-5-32-545'].sort(),
    );
  });

  it('puts Domain Admins in the Denied RODC Password Replication Group and BUILTIN Administrators', async () => {
    const sids = await dir.groupSidsOf((await dir.findUser('dave'))!);
    expect(sids).toEqual(expect.arrayContaining([`${DOM}-512`, `${DOM}-572`, 'S-1-5-32-544', `${DOM}-571`]));
  });

  it('has the file server computer account with its SPN', async () => {
    const fs1 = await dir.findUserBySpn('CIFS/fs1.demo.test');
    expect(fs1).toMatchObject({ sAMAccountName: 'FS1$', kind: 'computer', primaryGroupId: 515, userPrincipalName: 'FS1@demo.test' });
    expect(await dir.groupSidsOf(fs1!)).toEqual([`${DOM}-515`]);
  });

  it('finds groups by name and SID', async () => {
    expect((await dir.findGroup('allowed rodc password replication group'))?.objectSid).toBe(`${DOM}-571`);
    expect((await dir.findGroup('S-1-5-32-544'))?.name).toBe('Administrators');
    expect((await dir.listGroups()).length).toBeGreaterThan(15);
  });
});

describe('file directory (edge cases)', () => {
  const parse = (doc: unknown) => parseFileDirectory(doc, 'd.yaml', NAMES);

  it('survives membership cycles', async () => {
    const d = parse({
      domain: { sid: 'S-1-5-21-1-2-3' },
      groups: [{ name: 'A', rid: 2000, members: ['B'] }, { name: 'B', rid: 2001, members: ['A'] }],
      users: [{ sAMAccountName: 'u', rid: 1000, groups: ['A'] }],
    });
    expect(await d.groupSidsOf((await d.findUser('u'))!)).toEqual(['S-1-5-21-1-2-3-2000', 'S-1-5-21-1-2-3-2001', 'S-1-5-21-1-2-3-513', 'S-1-5-32-545']);
  });

  it.each([
    [{ domain: { sid: 'S-1-5-21-x' } }, 'domain.sid'],
    [{ domain: { sid: 'S-1-5-21-1-2-3' }, users: [{ sAMAccountName: 'u', rid: 1000, groups: ['Nope'] }] }, 'users[0].groups[0]'],
    [{ domain: { sid: 'S-1-5-21-1-2-3' }, groups: [{ name: 'G', rid: 1000, members: ['ghost'] }] }, 'ghost'],
    [{ domain: { sid: 'S-1-5-21-1-2-3' }, users: [{ sAMAccountName: 'u', rid: 1000 }, { sAMAccountName: 'v', rid: 1000 }] }, 'used twice'],
    [{ domain: { sid: 'S-1-5-21-1-2-3' }, users: [{ sAMAccountName: 'a/b', rid: 1000 }] }, 'sAMAccountName'],
    [{ domain: { sid: 'S-1-5-21-1-2-3' }, users: [{ sAMAccountName: 'u', rid: 1000, colour: 1 }] }, 'users[0].colour'],
  ])('refuses %j', (doc, where) => {
    expect(() => parse(doc)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining(where) }));
  });
});

describe('isSidString', () => {
  it.each([
    ['S-1-5-21-1-2-3', true], ['S-1-5-32-544', true], ['S-1-5-18', true],
    ['S-2-5-21', false], ['S-1-5', false], ['S-1-5-4294967296', false], ['S-1-5-01', false], ['s-1-5-18', false],
  ])('%s → %s', (s, ok) => expect(isSidString(s)).toBe(ok));
});
