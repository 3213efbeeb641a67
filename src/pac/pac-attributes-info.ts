import { LeReader } from './le-reader.js';

/**
 * PAC_ATTRIBUTES_INFO, MS-PAC §2.14 (ulType 17):
 *
 *   ULONG FlagsLength;   // in bits
 *   ULONG Flags[];       // ceil(FlagsLength / 32) words
 */
export interface PacAttributesInfo {
  readonly FlagsLength: number;
  readonly Flags: readonly number[];
}

export const PAC_ATTRIBUTE_FLAGS = {
  PAC_WAS_REQUESTED: 0x1,
  PAC_WAS_GIVEN_IMPLICITLY: 0x2,
} as const;

const ROOT = 'PAC_ATTRIBUTES_INFO';

export function decodePacAttributesInfo(bytes: Uint8Array, base = 0): PacAttributesInfo {
  const r = new LeReader(bytes, base, ROOT);
  const lengthAt = r.pos;
  const FlagsLength = r.u32('FlagsLength');
  const words = Math.ceil(FlagsLength / 32);
  if (words * 4 !== r.remaining) r.fail('FlagsLength', `${FlagsLength} bits need ${words} words, ${r.remaining} bytes follow`, lengthAt);
  const Flags: number[] = [];
  for (let i = 0; i < words; i++) Flags.push(r.u32(`Flags[${i}]`));
  return { FlagsLength, Flags };
}

export function encodePacAttributesInfo(info: PacAttributesInfo): Uint8Array {
  if (info.Flags.length !== Math.ceil(info.FlagsLength / 32)) throw new RangeError('PAC_ATTRIBUTES_INFO: Flags does not match FlagsLength');
  const out = new Uint8Array(4 + 4 * info.Flags.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, info.FlagsLength, true);
  info.Flags.forEach((f, i) => view.setUint32(4 + 4 * i, f >>> 0, true));
  return out;
}
