import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatPrincipal, splitKvno } from '../../asn1/index.js';
import { loadConfig } from '../../config/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { deviceLogin, LoginRefusedError } from '../agent/device-login.js';
import { openBrowser } from '../agent/open-browser.js';
import { TokenEndpointError } from '../agent/redeem.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { ccachePath } from '../tickets/ccache-location.js';
import { run as runExchange } from './exchange.js';

const USAGE = `usage: tgtbridge login [user] [--bridge URL] [--ccache FILE] [--no-exchange] [--no-browser]
                      [--kdc host[:port]] [--timeout SECONDS] [--config FILE]

Signs in with a passkey through the browser and puts a Kerberos ticket into the credential cache.
The agent listens on http://127.0.0.1:<random port>/callback, opens the bridge's sign-in page
(xdg-open; or prints the address with --no-browser), receives the partial TGT after the sign-in
and writes it with its session key to the ccache (--ccache, else KRB5CCNAME, else
/tmp/krb5cc_<uid>; mode 0600). Then, unless --no-exchange, it runs \`tgtbridge exchange\` for a
full TGT at the KDC of krb5.conf (or --kdc).
  user           the account to sign in as (sent as login_hint; the bridge refuses another one)
  --bridge URL   the bridge (default: $TGTBRIDGE_BRIDGE, else bridge.origin of the config file)
  --timeout S    how long to wait for the sign-in (default 300)
`;

/** --bridge, then $TGTBRIDGE_BRIDGE, then bridge.origin of the config file ($TGTBRIDGE_CONFIG or config/tgtbridge.yaml). */
function bridgeUrl(flag: string | undefined, configFlag: string | undefined, io: CliIo): string {
  const fromEnv = io.env['TGTBRIDGE_BRIDGE'];
  let text = flag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (text === undefined) {
    const path = resolve(io.cwd, configFlag ?? io.env['TGTBRIDGE_CONFIG'] ?? 'config/tgtbridge.yaml');
    if (configFlag === undefined && io.env['TGTBRIDGE_CONFIG'] === undefined && !existsSync(path)) {
      throw new TgtbridgeError('ERR_USAGE', 'which bridge? Give --bridge https://… (or set TGTBRIDGE_BRIDGE)');
    }
    text = loadConfig(path).bridge.origin;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TgtbridgeError('ERR_USAGE', `--bridge ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))) {
    throw new TgtbridgeError('ERR_USAGE', `the bridge must be reached over https (plain http only on this computer): ${url.origin}`);
  }
  return url.origin;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('login', USAGE, argv, {
    allowPositionals: true,
    options: {
      bridge: { type: 'string' }, ccache: { type: 'string' }, 'no-exchange': { type: 'boolean' }, 'no-browser': { type: 'boolean' },
      kdc: { type: 'string' }, timeout: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const timeout = values.timeout === undefined ? 300 : Number(values.timeout);
  if (positionals.length > 1 || !Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
    io.stderr(`tgtbridge login: ${positionals.length > 1 ? 'at most one user' : '--timeout must be 1..3600 seconds'}\n${USAGE}`);
    return 2;
  }
  let path: string;
  let bridge: string;
  try {
    path = resolve(io.cwd, ccachePath(values.ccache, io.env));
    bridge = bridgeUrl(values.bridge, values.config, io);
  } catch (e) {
    if (!(e instanceof TgtbridgeError)) throw e;
    io.stderr(`tgtbridge login: ${e.message}\n`);
    return 2;
  }

  let result;
  try {
    result = await deviceLogin({
      bridge,
      ...(positionals[0] !== undefined ? { user: positionals[0] } : {}),
      ccache: path,
      timeoutMs: timeout * 1000,
      warn: (t) => io.stderr(`tgtbridge login: warning: ${t}\n`),
      showUrl: (url) => {
        const opened = values['no-browser'] !== true && openBrowser(url, io.env);
        io.stdout(`${opened ? 'Your browser should open the sign-in page. If it does not, open' : 'Open'} this address in a browser on this computer and sign in with your passkey:\n\n  ${url}\n\nWaiting up to ${timeout} s for the sign-in…\n`);
      },
    });
  } catch (e) {
    if (e instanceof LoginRefusedError) {
      io.stderr(`tgtbridge login: the bridge refused (${e.error}): ${e.description ?? 'no reason given'}\nNothing was written to ${path}.\n`);
      return 1;
    }
    if (e instanceof TokenEndpointError) {
      io.stderr(`tgtbridge login: ${e.message}\nNothing was written to ${path}.\n`);
      return 1;
    }
    if (e instanceof TgtbridgeError) {
      io.stderr(`tgtbridge login: ${e.code}: ${e.message}\nNothing was written to ${path}.\n`);
      return e.code === 'ERR_USAGE' ? 2 : 1;
    }
    throw e;
  }
  const { asRep, encPart } = result.opened;
  const kvno = asRep.ticket.encPart.kvno;
  io.stdout(
    [
      `signed in as ${result.client}; partial TGT written to ${path}`,
      `  service: ${formatPrincipal(asRep.ticket.sname, asRep.ticket.realm)}${kvno !== undefined ? `  kvno ${kvno >>> 0} (RODC ${splitKvno(kvno).rodcNumber})` : ''}`,
      `  valid:   ${(encPart.starttime ?? encPart.authtime).toISOString()} → ${encPart.endtime.toISOString()}${encPart.renewTill ? `, renew until ${encPart.renewTill.toISOString()}` : ''}`,
      '',
    ].join('\n'),
  );
  if (values['no-exchange'] === true) return 0;
  return runExchange(['--ccache', path, ...(values.kdc !== undefined ? ['--kdc', values.kdc] : [])], io);
}
