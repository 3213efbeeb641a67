import { describe, expect, it } from 'vitest';
import { NAME_TYPES, formatPrincipal, parsePrincipal } from '../../src/asn1/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';

describe('parsePrincipal (MIT krb5_parse_name rules)', () => {
  it('splits components at "/" and the realm at the first "@"', () => {
    expect(parsePrincipal('cifs/fs1.corp.example@CORP.EXAMPLE')).toStrictEqual({
      name: { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['cifs', 'fs1.corp.example'] },
      realm: 'CORP.EXAMPLE',
    });
  });

  it('gives krbtgt/X the NT-SRV-INST name type', () => {
    expect(parsePrincipal('krbtgt/CORP.EXAMPLE@CORP.EXAMPLE').name.nameType).toBe(NAME_TYPES['NT-SRV-INST']);
  });

  it('uses the default realm only when the text has none', () => {
    expect(parsePrincipal('alice', { defaultRealm: 'D' }).realm).toBe('D');
    expect(parsePrincipal('alice@R', { defaultRealm: 'D' }).realm).toBe('R');
    expect(parsePrincipal('alice').realm).toBeUndefined();
  });

  it('honours an explicit name type', () => {
    expect(parsePrincipal('host/h', { nameType: NAME_TYPES['NT-SRV-HST'] }).name.nameType).toBe(3);
  });

  it('unescapes \\/, \\@, \\\\, \\n, \\t, \\b, \\0', () => {
    expect(parsePrincipal('a\\/b\\@c\\\\d\\ne\\tf\\bg\\0h/i@R').name.nameString).toStrictEqual(['a/b@c\\d\ne\tf\bg\0h', 'i']);
  });

  it('treats "/" in the realm literally', () => {
    expect(parsePrincipal('alice@R/X').realm).toBe('R/X');
  });

  it('enterprise names keep "@" and "/" in the single component; the last "@" starts the realm', () => {
    expect(parsePrincipal('alice@corp.example@CORP.EXAMPLE', { enterprise: true })).toStrictEqual({
      name: { nameType: NAME_TYPES['NT-ENTERPRISE'], nameString: ['alice@corp.example'] },
      realm: 'CORP.EXAMPLE',
    });
    expect(parsePrincipal('a/b@corp.example', { enterprise: true, defaultRealm: 'D' })).toStrictEqual({
      name: { nameType: 10, nameString: ['a/b@corp.example'] },
      realm: 'D',
    });
  });

  it.each(['alice\\', 'alice@R@S', 'alice@', '', '@R'])('rejects %j with ERR_PRINCIPAL_SYNTAX', (text) => {
    let err: unknown;
    try {
      parsePrincipal(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TgtbridgeError);
    expect((err as TgtbridgeError).code).toBe('ERR_PRINCIPAL_SYNTAX');
  });
});

describe('formatPrincipal', () => {
  it('joins components and realm', () => {
    expect(formatPrincipal({ nameType: 2, nameString: ['krbtgt', 'R'] }, 'R')).toBe('krbtgt/R@R');
    expect(formatPrincipal({ nameType: 1, nameString: ['alice'] })).toBe('alice');
  });

  it('escapes what parsePrincipal would split on, and control characters', () => {
    expect(formatPrincipal({ nameType: 10, nameString: ['alice@corp.example'] }, 'R')).toBe('alice\\@corp.example@R');
    expect(formatPrincipal({ nameType: 1, nameString: ['a/b\\c\nd\te\bf\0'] }, 'R@S')).toBe('a\\/b\\\\c\\nd\\te\\bf\\0@R\\@S');
  });

  it.each([
    [['a/b', 'c@d'], 'RE/ALM'],
    [['\\', '\n\t\b\0'], 'R'],
    [['', 'x'], 'R'],
  ])('parse(format(x)) = x for %j @ %s', (nameString, realm) => {
    const text = formatPrincipal({ nameType: 1, nameString }, realm);
    expect(parsePrincipal(text)).toStrictEqual({ name: { nameType: 1, nameString }, realm });
  });
});
