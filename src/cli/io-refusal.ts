import { TgtbridgeError } from '../errors/index.js';

/**
 * What to throw when writing `what` failed: a file-system refusal (an errno code such as EACCES,
 * ENOENT, EISDIR, ENOSPC, EROFS) becomes ERR_IO naming the file, so the CLI prints one line instead
 * of a raw errno with a stack trace; anything else (a bug, a TgtbridgeError) is returned unchanged.
 */
export function ioRefusal(e: unknown, what: string): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  return new TgtbridgeError('ERR_IO', `cannot write ${what} (${code})`, { cause: e });
}
