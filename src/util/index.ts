export { concatBytes, toHex, fromHex, utf8, fromUtf8, bytesEqual, asBuffer } from './bytes.js';
export { allocFromSlab } from './slab.js';
export {
  dateToFiletime,
  filetimeToDate,
  FILETIME_NEVER,
  wholeSeconds,
  unixSeconds,
  fromUnixSeconds,
  isoSeconds,
  accountExpiredAt,
} from './time.js';
export { systemClock, systemRandom, fixedClock, type Clock, type RandomSource } from './ports.js';
export { writeFileAtomic } from './atomic-file.js';
export type { Writable } from './types.js';
