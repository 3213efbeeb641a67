import { DecodeError, TgtbridgeError } from '../../errors/index.js';

/**
 * One line for bad input: the file, what it was expected to be, and where it broke. DecodeError
 * messages already carry the field path and byte offset ("ccache.credentials[1].ticket at byte
 * 812: needs 900 byte(s), 12 remain"). Anything that is not a TgtbridgeError is a bug and is
 * rethrown, so it is not disguised as bad input.
 */
export function inputErrorLine(name: string, expected: string, e: unknown): string {
  if (e instanceof DecodeError) return `${name}: not a valid ${expected}: ${e.message}`;
  // readInput's ERR_IO lines already begin with the name.
  if (e instanceof TgtbridgeError) return e.message.startsWith(`${name}: `) ? e.message : `${name}: ${e.message}`;
  throw e;
}
