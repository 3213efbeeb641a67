import { asRepCodec } from '../../asn1/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { DELIVERY_KDF, deriveDeliveryKey, openAsRep, parseP256PublicKey, type EphemeralP256, type OpenedAsRep } from '../../ticket/index.js';

/** The device agent's client_id (the bridge knows no other). */
export const AGENT_CLIENT_ID = 'tgtbridge-agent';

export interface RedeemInput {
  /** The bridge's base URL (origin). */
  readonly bridge: string;
  readonly code: string;
  readonly verifier: string;
  readonly challenge: string;
  readonly redirectUri: string;
  readonly agentKey: EphemeralP256;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** A token-endpoint refusal (RFC 6749 §5.2): `error` is the OAuth code, the message the bridge's words. */
export class TokenEndpointError extends TgtbridgeError {
  constructor(
    readonly error: string,
    description: string,
    readonly status: number,
  ) {
    super('ERR_TRANSPORT', `the bridge refused the code (${error}): ${description}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Redeem the code (RFC 6749 §4.1.3 + RFC 7636 §4.5) and open what comes back: the AS-REP whose
 * enc-part is encrypted under the DELIVERY_KDF key that only this agent's ephemeral private key
 * and the bridge's can compute. A wrong key, a changed crealm/cname or a tampered enc-part all end
 * in the same integrity error from openAsRep.
 */
export async function redeemCode(i: RedeemInput): Promise<OpenedAsRep> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code', code: i.code, code_verifier: i.verifier, redirect_uri: i.redirectUri, client_id: AGENT_CLIENT_ID,
    agent_key: i.agentKey.publicKeyText,
  });
  let res: Response;
  try {
    res = await (i.fetch ?? fetch)(new URL('/device/token', i.bridge), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, redirect: 'error',
      signal: AbortSignal.timeout(i.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw new TgtbridgeError('ERR_TRANSPORT', `cannot reach the bridge at ${i.bridge}: ${(e as Error).message}`, { cause: e });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TgtbridgeError('ERR_TRANSPORT', `the bridge answered ${res.status} without JSON`);
  }
  if (!isRecord(json)) throw new TgtbridgeError('ERR_TRANSPORT', `the bridge answered ${res.status} with something that is not a JSON object`);
  if (!res.ok) {
    throw new TokenEndpointError(typeof json['error'] === 'string' ? json['error'] : 'unknown', typeof json['error_description'] === 'string' ? json['error_description'] : `HTTP ${res.status}`, res.status);
  }
  const { as_rep: asRepText, bridge_key: bridgeKeyText, kdf } = json;
  if (kdf !== DELIVERY_KDF) throw new TgtbridgeError('ERR_TRANSPORT', `the bridge uses key agreement ${JSON.stringify(kdf)}; this agent speaks ${DELIVERY_KDF}`);
  if (typeof asRepText !== 'string' || typeof bridgeKeyText !== 'string') throw new TgtbridgeError('ERR_TRANSPORT', 'the bridge answered without as_rep or bridge_key');
  const asRepBytes = new Uint8Array(Buffer.from(asRepText, 'base64'));
  return openDelivery(asRepBytes, bridgeKeyText, i.agentKey, i.challenge);
}

/** Derive the client key from the bridge's key and our own, then open the AS-REP (usage 3). */
export function openDelivery(asRepBytes: Uint8Array, bridgeKeyText: string, agentKey: EphemeralP256, challenge: string): OpenedAsRep {
  const bridgeKey = parseP256PublicKey(bridgeKeyText);
  // crealm/cname come from the AS-REP's clear header; the KDF binds them, so a change fails decryption.
  const head = asRepCodec.decode(asRepBytes);
  const clientKey = deriveDeliveryKey({
    sharedSecret: agentKey.agree(bridgeKey), codeChallenge: challenge, realm: head.crealm, cname: head.cname.nameString,
    agentKey: agentKey.publicKey, bridgeKey,
  });
  return openAsRep(asRepBytes, clientKey);
}
