import { DecodeError } from '../errors/index.js';
import { DerReader } from './der-reader.js';
import { APPLICATION_TAGS, type ApplicationTagName } from './ticket.js';

const NAME_BY_TAG: ReadonlyMap<number, ApplicationTagName> = new Map(
  (Object.entries(APPLICATION_TAGS) as [ApplicationTagName, number][]).map(([name, n]) => [0x60 | n, name]),
);

/**
 * Which RFC 4120 message or encrypted part `bytes` is, from its [APPLICATION n] tag (§5.10),
 * provided the outer element's length is well-formed DER and covers the input exactly.
 * Returns undefined otherwise; the contents are not checked (decode with the matching codec).
 */
export function detectMessage(bytes: Uint8Array): ApplicationTagName | undefined {
  const name = bytes.length > 0 ? NAME_BY_TAG.get(bytes[0]!) : undefined;
  if (name === undefined) return undefined;
  const r = DerReader.of(bytes, name);
  try {
    r.readAny();
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
  return r.atEnd() ? name : undefined;
}
