import { KDC_OPTIONS, TICKET_FLAGS, type HostAddress } from '../../asn1/index.js';
import { KrbError } from '../../errors/index.js';
import { must, type TgsState } from './tgs-state.js';

/** The new ticket's flags, times and client addresses. */
export interface IssuedTimes {
  readonly flags: number;
  readonly starttime: Date;
  readonly endtime: Date;
  readonly renewTill?: Date;
  /** caddr: the TGT's, or with FORWARDED or PROXY the addresses the request names (none when it names none). */
  readonly caddr: readonly HostAddress[] | undefined;
}

/**
 * KDC options this KDC does not implement: postdating, user-to-user. S4U2Proxy (CNAME-IN-ADDL-TKT)
 * only with the evidence ticket it names: without additional tickets Samba 4.17 ignores the option
 * and issues (measured), and so does this KDC.
 */
const UNSUPPORTED_OPTIONS = KDC_OPTIONS['allow-postdate'] | KDC_OPTIONS.postdated | KDC_OPTIONS['enc-tkt-in-skey'];

/**
 * Flags a new ticket takes over from the presented TGT: how the client first authenticated
 * (PRE-AUTHENT, HW-AUTHENT, RFC 4120 §2.2) and whether the TGT was forwarded or a proxy — RFC 4120
 * §2.6 has every ticket issued from a FORWARDED ticket carry FORWARDED, so that a service refusing
 * forwarded credentials still sees it. Samba 4.17 carries all four into TGTs and service tickets
 * (measured with minted partial TGTs).
 */
const INHERITED_FLAGS = (TICKET_FLAGS['pre-authent'] | TICKET_FLAGS['hw-authent'] | TICKET_FLAGS.forwarded | TICKET_FLAGS.proxy) >>> 0;

function refuse(code: KrbError['code'], eText: string): never {
  throw new KrbError(code, eText, { eText });
}

const min = (...ds: readonly (Date | undefined)[]): Date =>
  new Date(Math.min(...ds.filter((d): d is Date => d !== undefined).map((d) => d.getTime())));

/** KerberosTime has whole seconds (RFC 4120 §5.2.3). */
const whole = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * RFC 4120 §3.3.3 with the DC's policy: lifetimes never longer than the presented TGT's nor than
 * policy (max lifetime from now, max renew from authtime). The client's accountExpires is no bound:
 * Samba 4.17 issues a full TGT, a service ticket or a renewal with the TGT's endtime and renew-till
 * however soon the account expires (measured with accountExpires = now + 30 min and + 2 h), and
 * refuses the account only once it has expired (client-guards.ts, docs/kdc.md). RENEWABLE from a non-renewable TGT →
 * KDC_ERR_BADOPTION (13, samba-lab.md), RENEWABLE-OK quietly gives a non-renewable ticket. RENEW
 * needs a renewable ticket within renew-till; VALIDATE an invalid one whose starttime has come.
 * `till` of 19700101000000Z, and a RENEWABLE request without rtime, mean "as long as allowed" (MIT's
 * convention for an absent till). Options this KDC does not implement are refused, never passed
 * over: a ticket valid now for a request starting later, or named for an anonymous request, would
 * be more than was asked. FORWARDABLE or PROXIABLE asked of a TGT without that flag → 13, as Samba
 * 4.17 answers (measured; MIT quietly issues a ticket without it, but the DC is the oracle here), and
 * PROXIABLE from a proxiable TGT is granted, as Samba does.
 *
 * FORWARDED (a TGT or ticket for another host, e.g. GSSAPI credential delegation) needs a forwardable
 * TGT, PROXY a proxiable one and a service, never the TGS (RFC 4120 §2.5, §2.6); either takes the
 * addresses the request names instead of the TGT's (§3.3.3). Samba 4.17 issues both (measured:
 * FORWARDED from a forwardable partial TGT with address 10.1.2.3 → forwarded, caddr 10.1.2.3; PROXY
 * for cifs from a proxiable one → proxy); addresses without either are ignored, as there.
 */
export function issuedTimes(s: TgsState, forTgs: boolean): IssuedTimes {
  const tgt = must(s.enc, 'EncTicketPart');
  const body = s.req.reqBody;
  const opts = body.kdcOptions;
  const { maxLifetimeSec, maxRenewSec } = s.kdc.options.policy;
  const now = whole(s.now);
  const has = (o: number): boolean => (opts & o) !== 0;
  const tgtHas = (f: number): boolean => (tgt.flags & f) !== 0;
  // Checked before RENEW and VALIDATE, as Heimdal's check_tgs_flags does: the options a client may ask
  // of a ticket are bounded by its TGT's flags whatever else it asks.
  if (has(KDC_OPTIONS.forwardable) && !tgtHas(TICKET_FLAGS.forwardable)) refuse('KDC_ERR_BADOPTION', 'FORWARDABLE requested, but the presented TGT is not forwardable');
  if (has(KDC_OPTIONS.proxiable) && !tgtHas(TICKET_FLAGS.proxiable)) refuse('KDC_ERR_BADOPTION', 'PROXIABLE requested, but the presented TGT is not proxiable');
  if (has(KDC_OPTIONS.forwarded) && !tgtHas(TICKET_FLAGS.forwardable)) refuse('KDC_ERR_BADOPTION', 'FORWARDED requested, but the presented TGT is not forwardable');
  if (has(KDC_OPTIONS.proxy) && !tgtHas(TICKET_FLAGS.proxiable)) refuse('KDC_ERR_BADOPTION', 'PROXY requested, but the presented TGT is not proxiable');
  if (has(KDC_OPTIONS.proxy) && forTgs) refuse('KDC_ERR_BADOPTION', 'PROXY requested for a TGT: proxy tickets are for services only (RFC 4120 §2.5)');
  const readdressed = has(KDC_OPTIONS.forwarded) || has(KDC_OPTIONS.proxy);
  const asked = body.addresses !== undefined && body.addresses.length > 0 ? body.addresses : undefined;
  const caddr = readdressed ? asked : tgt.caddr;
  if ((opts & UNSUPPORTED_OPTIONS) !== 0) refuse('KDC_ERR_BADOPTION', 'postdated and user-to-user requests are not supported by this KDC');
  if (has(KDC_OPTIONS['cname-in-addl-tkt']) && (body.additionalTickets?.length ?? 0) > 0) refuse('KDC_ERR_BADOPTION', 'S4U2Proxy (constrained delegation) is not supported by this KDC');
  // REQUEST-ANONYMOUS (RFC 8062): no anonymous ticket is made from a named TGT here, and a named one
  // would hand the service the identity the client asked to withhold. Samba 4.17: 12 (measured).
  if (has(KDC_OPTIONS['request-anonymous'])) refuse('KDC_ERR_POLICY', 'anonymous tickets are not issued by this KDC');
  // A start later than the clock skew allows asks for a postdated ticket, which needs POSTDATED
  // (RFC 4120 §3.3.3); issuing one valid now would grant more than asked. Samba 4.17 (Heimdal):
  // from = now + 290 s is issued, now + 310 s → 10, on RENEW too (measured, skew 300 s).
  if (body.from !== undefined && body.from.getTime() > s.now.getTime() + s.kdc.options.policy.clockSkewSec * 1000) {
    refuse('KDC_ERR_CANNOT_POSTDATE', 'from is in the future: postdated tickets are not issued by this KDC');
  }
  // What the TGT passes on, and what the client asked for that the checks above allowed (Heimdal sets
  // FORWARDABLE, PROXIABLE, FORWARDED and PROXY only when asked, on RENEW too).
  let flags = tgt.flags & INHERITED_FLAGS;
  if (has(KDC_OPTIONS.forwardable)) flags |= TICKET_FLAGS.forwardable;
  if (has(KDC_OPTIONS.proxiable)) flags |= TICKET_FLAGS.proxiable;
  if (has(KDC_OPTIONS.forwarded)) flags |= TICKET_FLAGS.forwarded;
  if (has(KDC_OPTIONS.proxy)) flags |= TICKET_FLAGS.proxy;
  if (has(KDC_OPTIONS.renew) || has(KDC_OPTIONS.validate)) {
    if (s.kind !== 'full') refuse('KDC_ERR_BADOPTION', 'only TGTs this KDC issued can be renewed or validated; exchange the partial TGT first');
  }

  if (has(KDC_OPTIONS.renew)) {
    if (!tgtHas(TICKET_FLAGS.renewable) || tgt.renewTill === undefined) refuse('KDC_ERR_BADOPTION', 'RENEW of a ticket that is not renewable');
    if (now.getTime() > tgt.renewTill.getTime()) refuse('KRB_AP_ERR_TKT_EXPIRED', 'the ticket is past its renew-till');
    const lifetime = tgt.endtime.getTime() - (tgt.starttime ?? tgt.authtime).getTime();
    const endtime = min(new Date(now.getTime() + lifetime), tgt.renewTill, new Date(now.getTime() + maxLifetimeSec * 1000));
    // The renewed ticket stays renewable only when RENEWABLE is asked again, as MIT's client does
    // (kinit -R sends the ticket's flags as options): Samba 4.17 answers RENEW alone with a ticket
    // that has neither the flag nor renew-till (measured).
    if (!has(KDC_OPTIONS.renewable)) return { flags: flags >>> 0, starttime: now, endtime, caddr };
    return { flags: (flags | TICKET_FLAGS.renewable) >>> 0, starttime: now, endtime, renewTill: tgt.renewTill, caddr };
  }
  if (has(KDC_OPTIONS.validate)) {
    if (!tgtHas(TICKET_FLAGS.invalid)) refuse('KDC_ERR_BADOPTION', 'VALIDATE of a ticket that is not invalid');
    if ((tgt.starttime ?? tgt.authtime).getTime() > now.getTime()) refuse('KRB_AP_ERR_TKT_NYV', 'the ticket is not valid yet');
    return { flags: (tgt.flags & ~TICKET_FLAGS.invalid) >>> 0, starttime: now, endtime: tgt.endtime, ...(tgt.renewTill ? { renewTill: tgt.renewTill } : {}), caddr };
  }

  const till = body.till.getTime() <= 0 ? undefined : body.till;
  const endtime = whole(min(till, tgt.endtime, new Date(now.getTime() + maxLifetimeSec * 1000)));
  if (endtime.getTime() <= now.getTime()) refuse('KDC_ERR_NEVER_VALID', 'the requested till is before now');
  if (has(KDC_OPTIONS.renewable) && !tgtHas(TICKET_FLAGS.renewable)) refuse('KDC_ERR_BADOPTION', 'RENEWABLE requested, but the presented TGT is not renewable');
  const wantsRenew = has(KDC_OPTIONS.renewable) || (has(KDC_OPTIONS['renewable-ok']) && till !== undefined && till.getTime() > endtime.getTime());
  let renewTill: Date | undefined;
  if (wantsRenew && tgtHas(TICKET_FLAGS.renewable) && tgt.renewTill !== undefined) {
    // RENEWABLE without rtime (or rtime 19700101000000Z) asks for as long as allowed, as till 0 does:
    // Samba 4.17 then gives the TGT's renew-till, 7 d from authtime (measured).
    const asked = has(KDC_OPTIONS.renewable) ? (body.rtime !== undefined && body.rtime.getTime() > 0 ? body.rtime : undefined) : till;
    const r = whole(min(asked, tgt.renewTill, new Date(tgt.authtime.getTime() + maxRenewSec * 1000)));
    if (r.getTime() > endtime.getTime()) {
      renewTill = r;
      flags |= TICKET_FLAGS.renewable;
    }
  }
  return { flags: flags >>> 0, starttime: now, endtime, ...(renewTill !== undefined ? { renewTill } : {}), caddr };
}

