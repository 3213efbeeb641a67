import { describe, expect, it } from 'vitest';
import { parseFileDirectory } from '../../src/directory/index.js';
import { defaultProbePolicy, probeUsersFromDirectory } from '../../src/harness/index.js';
import { DOMAIN, NOW } from './fixtures.js';

const doc = {
  domain: { sid: DOMAIN },
  groups: [
    { name: 'Staff', rid: 1200, members: ['Engineering'] },
    { name: 'Engineering', rid: 1201 },
    { name: 'Allowed RODC Password Replication Group', members: ['Staff'] },
  ],
  users: [
    { sAMAccountName: 'Administrator', rid: 500, groups: ['Domain Admins'] },
    { sAMAccountName: 'alice', rid: 1104, groups: ['Engineering'] },
    { sAMAccountName: 'bob', rid: 1105, groups: ['Staff'] },
    { sAMAccountName: 'carol', rid: 1106, enabled: false, groups: ['Staff'] },
    { sAMAccountName: 'dave', rid: 1107, groups: ['Domain Admins', 'Staff'] },
    { sAMAccountName: 'erin', rid: 1108 },
    { sAMAccountName: 'frank', rid: 1109, mustChangePassword: true, groups: ['Staff'] },
    { sAMAccountName: 'grace', rid: 1110, accountExpires: '2026-01-01T00:00:00Z', groups: ['Staff'] },
    { sAMAccountName: 'heidi', rid: 1111, lockedOut: true, groups: ['Staff'] },
    { sAMAccountName: 'ivan', rid: 1112, lockedOut: true, enabled: false, groups: ['Staff'] },
    { sAMAccountName: 'FS1$', rid: 1113, groups: ['Staff'], spns: ['cifs/fs1.demo.test'] },
    // accountExpires 2 h ahead, inside the suite's 10 h TGT: expires-soon; 11 h ahead: a plain allowed account.
    { sAMAccountName: 'judy', rid: 1114, accountExpires: new Date(NOW.getTime() + 2 * 3600_000).toISOString(), groups: ['Staff'] },
    { sAMAccountName: 'jane', rid: 1115, accountExpires: new Date(NOW.getTime() + 11 * 3600_000).toISOString(), groups: ['Staff'] },
  ],
};

describe('probeUsersFromDirectory', () => {
  it('fills each role with the first account that fits it, by policy (nested groups) and state', async () => {
    const directory = parseFileDirectory(doc, 'test', { realm: 'DEMO.TEST', dnsDomain: 'demo.test', netbiosName: 'DEMO' });
    const users = await probeUsersFromDirectory(directory, defaultProbePolicy(DOMAIN), NOW);
    const names = Object.fromEntries(Object.entries(users).map(([role, u]) => [role, u.name]));
    // Administrator: denied but not allowed fits no role; ivan: two troubles at once fits none; FS1$ is a computer.
    expect(names).toEqual({
      allowed: 'alice',
      other: 'bob',
      disabled: 'carol',
      'never-reveal': 'dave',
      'not-allowed': 'erin',
      'must-change-password': 'frank',
      expired: 'grace',
      'expires-soon': 'judy',
      'locked-out': 'heidi',
    });
    expect(users.allowed?.sid).toBe(`${DOMAIN}-1104`);
    expect([...(users.allowed?.groupSids ?? [])].sort()).toEqual([`${DOMAIN}-1200`, `${DOMAIN}-1201`, `${DOMAIN}-513`].sort());
  });
});
