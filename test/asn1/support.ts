import { expect } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';

/** Runs `fn`, which must throw DecodeError ERR_ASN1_DECODE at `path` and `offset`; returns the error. */
export function expectDecodeError(fn: () => unknown, path: string, offset: number): DecodeError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DecodeError);
  const err = caught as DecodeError;
  expect({ code: err.code, path: err.path, offset: err.offset }).toStrictEqual({ code: 'ERR_ASN1_DECODE', path, offset });
  return err;
}

export const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
