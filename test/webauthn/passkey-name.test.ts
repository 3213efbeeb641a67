import { describe, expect, it } from 'vitest';
import { cleanPasskeyName, PASSKEY_NAME_MAX } from '../../src/webauthn/index.js';

describe('cleanPasskeyName', () => {
  it.each([
    ['bidi override and pop', 'Key\u202Eabc\u202C', 'Keyabc'],
    ['bidi isolates and marks', '\u2067Key\u2069\u200F\u200E\u061C', 'Key'],
    ['zero-width space, word joiner, soft hyphen, BOM', 'K\u200Be\u2060y\u00AD\uFEFF', 'Key'],
    ['C0 and C1 controls, line separators', 'K\u0000e\u0085y\u2028!', 'Key!'],
    ['white space runs', '  Work \t\n key  ', 'Work key'],
    ['NFC', 'Cafe\u0301', 'Caf\u00E9'],
    ['ZWJ emoji sequences stay', '\u{1F469}\u200D\u{1F4BB} laptop', '\u{1F469}\u200D\u{1F4BB} laptop'],
  ])('%s', (_what, raw, clean) => expect(cleanPasskeyName(raw)).toBe(clean));

  it('nothing visible → undefined', () => {
    expect(cleanPasskeyName('\u202E\u200B \u00AD')).toBeUndefined();
    expect(cleanPasskeyName('')).toBeUndefined();
  });

  it('cuts at PASSKEY_NAME_MAX code units, never inside a surrogate pair', () => {
    expect(cleanPasskeyName('a'.repeat(100))).toBe('a'.repeat(PASSKEY_NAME_MAX));
    const cut = cleanPasskeyName('a'.repeat(PASSKEY_NAME_MAX - 1) + '\u{1F511}xyz')!;
    expect(cut).toBe('a'.repeat(PASSKEY_NAME_MAX - 1));
    expect(cleanPasskeyName(`${'\u200B'.repeat(100)}Key`)).toBe('Key');
  });
});
