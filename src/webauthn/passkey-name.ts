/** The longest passkey name kept, in UTF-16 code units (the page's maxlength counts the same way). */
export const PASSKEY_NAME_MAX = 64;

/**
 * Characters a passkey name loses: controls (C0, C1), line and paragraph separators, the bidi
 * embeddings, overrides, isolates and marks (Unicode UAX #9: U+061C, U+200E–U+200F, U+202A–U+202E,
 * U+2066–U+2069), and invisible format characters (zero-width space, word joiner and invisible
 * operators, soft hyphen, BOM). A name is shown to its owner, to admins and in the audit log;
 * with these, "Laptop\u202Eyek" reads as another passkey's name and a blank-looking name hides one.
 * ZWJ and ZWNJ (U+200C, U+200D) stay: emoji sequences and several scripts need them.
 */
const HIDDEN = /[\p{Cc}\u2028\u2029\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u00AD\uFEFF]/gu;

/**
 * A user-chosen passkey name as it is stored: NFC (one spelling per visible name), without the
 * characters above, runs of white space made one space, trimmed, at most PASSKEY_NAME_MAX code
 * units (never splitting a surrogate pair). Undefined when nothing visible is left.
 */
export function cleanPasskeyName(raw: string): string | undefined {
  let n = raw.normalize('NFC').replace(HIDDEN, '').replace(/\s+/gu, ' ').trim();
  if (n.length > PASSKEY_NAME_MAX) {
    n = n.slice(0, PASSKEY_NAME_MAX);
    if (/[\uD800-\uDBFF]$/u.test(n)) n = n.slice(0, -1);
    n = n.trimEnd();
  }
  return n === '' ? undefined : n;
}
