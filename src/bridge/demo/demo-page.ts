import type { PacView, SidView } from '../../pac/index.js';
import { esc, layout } from '../pages.js';
import type { DemoRun, DemoStep, DemoTicketView } from './demo-exchange.js';

/**
 * The "what happened" page: the three tickets of one sign-in, decoded, in plain HTML (headings,
 * description lists, tables with header cells) and no script. It carries no key material: the
 * views it renders have none (DemoTicketView).
 */
export interface DemoPageInput {
  readonly run: DemoRun;
  /** The embedded KDC, as the person would name it (host:port). */
  readonly kdc: string;
  /** Shell lines that get the same tickets into a ccache on this computer. */
  readonly loginLines: readonly string[];
}

/** The well-known SID the DC adds to a PAC built from a real authentication (MS-DTYP 2.4.2.4). */
const AUTHENTICATION_AUTHORITY_ASSERTED = 'S-1-18-1';

export const DEMO_CSS = `
.demo section { border-top: 2px solid #ccc; margin-top: 2rem; }
.demo dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
.demo dt { font-weight: 600; }
.demo dd { margin: 0; overflow-wrap: anywhere; }
.demo td code { white-space: nowrap; }
.demo code, .demo pre { font-family: ui-monospace, monospace; font-size: .9em; }
.demo pre { background: #f4f4f4; border: 1px solid #ccc; padding: .75rem; overflow-x: auto; }
.demo .note { color: #333; }
.demo .ok { color: #1c6b3a; font-weight: 600; }
.demo .bad { color: #a51d2d; font-weight: 600; }
.demo table caption { text-align: left; font-weight: 600; padding: .5rem 0 .25rem; }
.demo .refusal { padding: .75rem; border: 2px solid #a51d2d; background: #fbeaea; }
`;

const iso = (d: Date | undefined): string => (d === undefined ? '—' : d.toISOString().replace('.000Z', 'Z'));

function kvnoText(t: DemoTicketView): string {
  if (t.kvno === undefined) return 'none';
  return t.rodcNumber === 0 ? String(t.kvno) : `${t.kvno} = RODC number ${t.rodcNumber} (high 16 bits), key version ${t.keyVersion}`;
}

function dl(rows: readonly (readonly [string, string])[]): string {
  return `<dl>\n${rows.map(([k, v]) => `  <dt>${esc(k)}</dt><dd>${v}</dd>`).join('\n')}\n</dl>`;
}

function sidName(s: SidView, names: ReadonlyMap<string, string>): string {
  if (s.sid === AUTHENTICATION_AUTHORITY_ASSERTED) return 'Authentication authority asserted identity';
  return names.get(s.sid) ?? s.name ?? '';
}

function sidTable(caption: string, sids: readonly SidView[], names: ReadonlyMap<string, string>, empty: string): string {
  if (sids.length === 0) return `<p><strong>${esc(caption)}:</strong> ${esc(empty)}</p>`;
  const rows = sids.map((s) => `  <tr><td><code>${esc(s.sid)}</code></td><td>${esc(sidName(s, names))}</td></tr>`).join('\n');
  return `<table>\n<caption>${esc(caption)} (${sids.length})</caption>\n<thead><tr><th scope="col">SID</th><th scope="col">Name</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function signatureTable(pac: PacView): string {
  const rows = pac.signatures.map((s) => {
    const status = s.verified === true ? '<span class="ok">verified</span>' : s.verified === false ? '<span class="bad">does not verify</span>' : `not checked${s.reason !== undefined ? ` (${esc(s.reason)})` : ''}`;
    return `  <tr><td>${esc(s.type)}</td><td>${s.checksumType}</td><td>${s.rodcId === null ? '—' : s.rodcId}</td><td>${status}</td></tr>`;
  });
  return `<table>\n<caption>Signatures</caption>\n<thead><tr><th scope="col">Buffer</th><th scope="col">Checksum type</th><th scope="col">RODC number</th><th scope="col">Status</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function pacSection(pac: PacView | undefined, names: ReadonlyMap<string, string>): string {
  if (pac === undefined) return '<p class="bad">This ticket carries no PAC.</p>';
  const l = pac.logonInfo;
  const parts = [`<p><strong>PAC buffers:</strong> ${pac.buffers.map((b) => `<code>${esc(b.name)}</code>`).join(', ')}</p>`];
  if (l !== undefined) {
    parts.push(dl([
      ['User', `${esc(l.logonDomainName ?? '')}\\${esc(l.effectiveName ?? '')}${l.fullName ? ` (${esc(l.fullName)})` : ''}`],
      ['User SID', `<code>${esc(l.userSid ?? 'none')}</code>`],
      ['Primary group', `<code>${esc(l.primaryGroupSid ?? 'none')}</code> ${esc(l.primaryGroupSid ? names.get(l.primaryGroupSid) ?? '' : '')}`],
      ['Logon server', esc(l.logonServer ?? '')],
    ]));
    parts.push(sidTable('Groups', l.groupSids, names, 'none'));
    parts.push(sidTable('Extra SIDs', l.extraSids, names, 'none'));
  }
  const extra: [string, string][] = [];
  if (pac.clientInfo !== undefined) extra.push(['CLIENT_INFO', `${esc(pac.clientInfo.name)}, ${esc(pac.clientInfo.clientId ?? 'no time')}`]);
  if (pac.upnDnsInfo !== undefined) {
    const u = pac.upnDnsInfo;
    extra.push(['UPN_DNS_INFO', `${esc(u.upn)}, DNS domain ${esc(u.dnsDomainName)}${u.samName !== undefined ? `, SAM name ${esc(u.samName)}` : ''}${u.sid !== undefined ? `, SID <code>${esc(u.sid)}</code>` : ''}`]);
  }
  if (pac.requestorSid !== undefined) extra.push(['REQUESTOR', `<code>${esc(pac.requestorSid)}</code>`]);
  if (pac.attributes !== undefined) extra.push(['ATTRIBUTES_INFO', pac.attributes.pacWasRequested ? 'PAC was requested' : pac.attributes.pacWasGivenImplicitly ? 'PAC given implicitly' : 'no flags']);
  if (extra.length > 0) parts.push(dl(extra));
  parts.push(signatureTable(pac));
  return parts.join('\n');
}

function ticketSection(id: string, title: string, intro: string, t: DemoTicketView, names: ReadonlyMap<string, string>): string {
  return `<section aria-labelledby="${id}-heading" id="${id}">
<h2 id="${id}-heading">${esc(title)}</h2>
<p class="note">${intro}</p>
${dl([
  ['Service', `<code>${esc(t.sname)}</code>`],
  ['Client', `<code>${esc(t.cname)}</code>`],
  ['Encryption', `${esc(t.etype)}, kvno ${esc(kvnoText(t))}`],
  ['Opened with', esc(t.openedWith)],
  ['Session key type', `${esc(t.sessionKeyEtype)} (the key itself is not shown)`],
  ['Flags', esc(t.flags.join(', ') || 'none')],
  ['Auth time', iso(t.authtime)],
  ['Start time', iso(t.starttime)],
  ['End time', iso(t.endtime)],
  ['Renew until', iso(t.renewTill)],
])}
<h3>PAC</h3>
${pacSection(t.pac, names)}
</section>`;
}

const STEP_WORDS: Readonly<Record<DemoStep, string>> = {
  mint: 'The bridge did not mint a partial TGT',
  exchange: 'The exchange KDC refused the partial TGT',
  service: 'The exchange KDC refused the service ticket',
};

export function demoPage(input: DemoPageInput): string {
  const { run, kdc } = input;
  const names = run.sidNames;
  const body: string[] = [
    `<div class="demo">`,
    `<p>Signed in with a passkey as <strong id="who">${esc(run.user.displayName)}</strong> (<code>${esc(run.user.userPrincipalName)}</code>).
The bridge then did what <code>tgtbridge login</code> does on a device, and opened each ticket with the key it holds to show you what is inside.
Key bytes and session keys are never shown.</p>`,
    `<ol>
  <li><a href="#partial">Partial TGT</a>: minted by the bridge with its RODC-style krbtgt_N key; identity only.</li>
  <li><a href="#full">Full TGT</a>: what the exchange KDC at <code>${esc(kdc)}</code> returned for it, with the groups from the directory.</li>
  <li><a href="#service">Service ticket</a>: for the file server, obtained with the full TGT.</li>
</ol>`,
  ];
  const groupsOf = (t: DemoTicketView | undefined): string[] => (t?.pac?.logonInfo?.groupSids ?? []).map((g) => sidName(g, names) || g.sid);
  if (run.partial !== undefined && run.full !== undefined) {
    const before = groupsOf(run.partial);
    const after = groupsOf(run.full);
    const extra = (run.full.pac?.logonInfo?.extraSids ?? []).map((x) => x.sid);
    const carried = before.length === 1 ? `1 group (${esc(before[0]!)}, the primary group)` : `${before.length} groups (${esc(before.join(', ') || 'none')})`;
    body.push(`<p id="summary"><strong>In short:</strong> the partial TGT carried ${carried};
the full TGT carries ${after.length}: ${esc(after.join(', '))}${extra.length > 0 ? `, plus ${esc(extra.join(', '))}` : ''}.</p>`);
  }
  if (run.failure !== undefined) {
    body.push(`<div class="refusal" role="alert"><p><strong>${esc(STEP_WORDS[run.failure.step])}</strong> (${esc(run.failure.code)}): ${esc(run.failure.reason)}</p></div>`);
  }
  if (run.partial !== undefined) {
    body.push(ticketSection('partial', '1. Partial TGT (minted by the bridge)',
      'Encrypted and signed with the krbtgt_N key; the kvno carries the RODC number. The PAC names the user only: a DC does not trust groups from an RODC ticket and rebuilds them at the exchange.',
      run.partial, names));
  }
  if (run.full !== undefined) {
    body.push(ticketSection('full', '2. Full TGT (from the exchange KDC)',
      `The KDC checked the partial TGT and the password-replication policy, then issued this ticket under the realm's own krbtgt key with a PAC rebuilt from the directory: groups by name, <code>${AUTHENTICATION_AUTHORITY_ASSERTED}</code>, UPN_DNS_INFO.`,
      run.full, names));
  }
  if (run.service !== undefined) {
    body.push(ticketSection('service', `3. Service ticket for ${run.service.sname.split('@')[0] ?? ''}`,
      'Issued with the full TGT. The file server opens it with its keytab; the ticket and full PAC signatures bind the PAC to this ticket.',
      run.service, names));
  }
  body.push(`<section aria-labelledby="device-heading">
<h2 id="device-heading">Get the same tickets on this computer</h2>
<p>In a terminal (the device agent opens this bridge in your browser and writes a credential cache):</p>
<pre><code>${input.loginLines.map(esc).join('\n')}</code></pre>
</section>`,
  '<p><a href="/security">Security info</a> (your passkeys, sign out)</p>',
  '</div>');
  return layout('What happened at your sign-in', 'demo', `<link rel="stylesheet" href="/assets/demo.css">\n${body.join('\n')}`);
}
