/**
 * `T` without readonly, for building a record field by field: an OPTIONAL field is set only when
 * present, so it stays an absent property (what `exactOptionalPropertyTypes` records expect).
 * Hot paths (a KDC's decoders and replies) do this instead of spreading `...(x ? { x } : {})` or
 * `compact` over a spread: computed-key stores and spread copies into fresh objects are slow in V8
 * (a third of a KDC-REQ-BODY decode, bench/profile-kdc.ts, 28 Nov 2026).
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
