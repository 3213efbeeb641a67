import type { Express, NextFunction, Request, Response } from 'express';
import type { BridgeContext, BridgeOptions, OnSignedIn } from '../app.js';
import { layout } from '../pages.js';
import { runDemo, type DemoOptions, type DemoRun } from './demo-exchange.js';
import { DEMO_CSS, demoPage } from './demo-page.js';

export interface DemoExtensionOptions extends Omit<DemoOptions, 'directory'> {
  /** Shell lines for the page's "get the same on this computer" box; `{user}` becomes the account name. */
  readonly loginLines: readonly string[];
}

const SIGN_IN_FIRST = layout('What happened at your sign-in', 'demo', `
<p>This page shows the Kerberos tickets of a passkey sign-in. You are signed in with a temporary access pass, which gives no tickets.</p>
<p><a href="/">Sign in with your passkey</a> to see them.</p>
`);

/**
 * Every mint is audited, as the device login's are: the partial TGT (kvno, whether the exchange and
 * the service ticket followed), or where the run stopped and with which code.
 */
async function auditRun(ctx: BridgeContext, req: Request, credentialId: string | undefined, run: DemoRun): Promise<void> {
  const base = { at: ctx.clock.now(), userSid: run.user.objectSid, credentialId, address: ctx.requestContext(req).address };
  const p = run.partial;
  if (p !== undefined) {
    await ctx.store.appendAudit({
      ...base, kind: 'ticket_minted', code: undefined,
      detail: {
        minted: 'partial_tgt', for: 'demo', cname: p.cname, kvno: p.kvno, rodcNumber: p.rodcNumber, keyVersion: p.keyVersion,
        authtime: p.authtime.toISOString(), exchanged: run.full !== undefined, serviceTicket: run.service?.sname,
      },
    });
  }
  if (run.failure !== undefined) {
    await ctx.store.appendAudit({ ...base, kind: 'refusal', code: `demo.${run.failure.step}`, detail: { code: run.failure.code, reason: run.failure.reason } });
  }
}

/**
 * The embedded default's demo (`tgtbridge serve`): GET /demo runs runDemo for the signed-in
 * person and renders it; after a plain passkey sign-in (one the device login did not claim) the
 * browser is sent there. A TAP session gets no tickets: it exists to register a passkey.
 */
export function demoExtension(o: DemoExtensionOptions): Required<Pick<BridgeOptions, 'extraRoutes' | 'onSignedIn'>> {
  const onSignedIn: OnSignedIn = async () => ({ redirect: '/demo' });
  const extraRoutes = (app: Express, ctx: BridgeContext): void => {
    app.get('/assets/demo.css', (_req, res) => res.type('text/css').send(DEMO_CSS));
    app.get('/demo', (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        // Each view mints and runs two TGS exchanges: counted like a sign-in attempt from the address.
        ctx.limit(req);
        const session = await ctx.sessions.current(req);
        if (session === undefined) return res.redirect(303, '/');
        res.set('Cache-Control', 'no-store');
        if (session.record.method !== 'passkey') return res.type('html').send(SIGN_IN_FIRST);
        const run = await runDemo({ ...o, directory: ctx.directory }, session.user, session.record.authTime);
        await auditRun(ctx, req, session.record.credentialId, run);
        const loginLines = o.loginLines.map((l) => l.replaceAll('{user}', session.user.sAMAccountName));
        res.type('html').send(demoPage({ run, kdc: `${o.kdc.host}:${o.kdc.port}`, loginLines }));
      })().catch(next);
    });
  };
  return { onSignedIn, extraRoutes };
}
