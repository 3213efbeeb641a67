import { randomBytes } from 'node:crypto';

/**
 * Ports through which time and randomness enter protocol code (CONVENTIONS.md §5), so every path
 * can be driven deterministically by passing another implementation. No test hooks in here.
 */
export interface Clock {
  now(): Date;
}

export interface RandomSource {
  bytes(length: number): Uint8Array;
}

export const systemClock: Clock = { now: () => new Date() };

export const systemRandom: RandomSource = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
};

/** A clock that always answers the given time. */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
