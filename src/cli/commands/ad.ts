import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BUILTIN_SID_NAMES,
  USER_ACCOUNT_CONTROL,
  SUPPORTED_ENCRYPTION_TYPES,
  checkRodcObject,
  connectLdap,
  createRodc,
  readDomainContext,
  readRodcObject,
  rodcKvnoOf,
  RodcCreateError,
  type LdapConnection,
  type PrpGroup,
  type RodcObject,
  type RodcWarning,
} from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const USAGE = `usage: tgtbridge ad create-rodc --ldap ldaps://HOST --bind-dn DN [options]
       tgtbridge ad show        --ldap ldaps://HOST --bind-dn DN [options]

create-rodc  creates the RODC-style computer object (OU=Domain Controllers) and its krbtgt_N
             account (LDAP add with the RODC-join control), then prints N and how to export
             the key. Does nothing if the object exists; rolls back what it added on failure.
show         prints the object, N, its key version and password-replication groups, and warns
             about anything that would make exchanges fail (exit 1 when there are warnings).

options:
  --ldap URL                 ldaps://host[:port] of a writable DC (plain ldap:// is refused)
  --bind-dn DN               account to bind as (needs rights to create DC objects: Domain Admins)
  --bind-password-file FILE  its password (first line); default: env TGTBRIDGE_LDAP_PASSWORD
  --name NAME                computer name without $ (default TGTBRIDGE)
  --dns-host-name FQDN       create-rodc: dNSHostName (default <name>.<domain DNS name>)
  --ca-file PEM              CA certificate(s) for the DC's LDAPS certificate
  --insecure-tls             do not verify the DC's certificate (labs only)
  --json                     machine-readable output
`;

const OPTIONS = {
  ldap: { type: 'string' },
  'bind-dn': { type: 'string' },
  'bind-password-file': { type: 'string' },
  name: { type: 'string' },
  'dns-host-name': { type: 'string' },
  'ca-file': { type: 'string' },
  'insecure-tls': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('ad', USAGE, argv, { allowPositionals: true, options: OPTIONS }, io);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const [sub, ...extra] = parsed.positionals;
  if ((sub !== 'create-rodc' && sub !== 'show') || extra.length > 0) {
    io.stderr(`tgtbridge ad: expected create-rodc or show\n${USAGE}`);
    return 2;
  }
  if (v.ldap === undefined || v['bind-dn'] === undefined) {
    io.stderr(`tgtbridge ad ${sub}: --ldap and --bind-dn are required\n`);
    return 2;
  }
  if (v['ca-file'] !== undefined && v['insecure-tls'] === true) {
    io.stderr(`tgtbridge ad ${sub}: --ca-file and --insecure-tls exclude each other\n`);
    return 2;
  }
  if (sub === 'show' && v['dns-host-name'] !== undefined) {
    io.stderr('tgtbridge ad show: --dns-host-name is for create-rodc\n');
    return 2;
  }
  const password = readPassword(v['bind-password-file'], io);
  const name = v.name ?? 'TGTBRIDGE';
  const conn = await connectLdap({
    url: v.ldap,
    bindDn: v['bind-dn'],
    password,
    ...(v['ca-file'] !== undefined ? { caFile: resolve(io.cwd, v['ca-file']) } : {}),
    ...(v['insecure-tls'] === true ? { insecureTls: true } : {}),
  });
  try {
    return sub === 'show'
      ? await show(conn, name, v.json === true, io)
      : await create(conn, name, v['dns-host-name'], v.json === true, io);
  } finally {
    await conn.close();
  }
}

export function readPassword(file: string | undefined, io: CliIo): string {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new TgtbridgeError('ERR_IO', `cannot read --bind-password-file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const first = text.split(/\r?\n/)[0] ?? '';
    if (first === '') throw new TgtbridgeError('ERR_USAGE', `--bind-password-file ${file} is empty`);
    return first;
  }
  const env = io.env['TGTBRIDGE_LDAP_PASSWORD'];
  if (env === undefined || env === '') {
    throw new TgtbridgeError('ERR_USAGE', 'no bind password: use --bind-password-file FILE or set TGTBRIDGE_LDAP_PASSWORD');
  }
  return env;
}

async function show(conn: LdapConnection, name: string, json: boolean, io: CliIo): Promise<number> {
  const domain = await readDomainContext(conn);
  const object = await readRodcObject(conn, domain, name);
  if (object === undefined) {
    if (json) io.stdout(`${JSON.stringify({ found: false, name: `${name}$`, domainDn: domain.domainDn }, null, 2)}\n`);
    else io.stderr(`tgtbridge ad show: no computer ${name}$ in ${domain.domainDn} (create it with tgtbridge ad create-rodc)\n`);
    return 1;
  }
  const warnings = checkRodcObject(object);
  if (json) io.stdout(`${JSON.stringify({ found: true, ...objectJson(object), warnings }, null, 2)}\n`);
  else io.stdout(objectText(object, warnings));
  return warnings.length === 0 ? 0 : 1;
}

async function create(conn: LdapConnection, name: string, dnsHostName: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const domain = await readDomainContext(conn);
  let result;
  try {
    result = await createRodc(conn, domain, {
      name,
      ...(dnsHostName !== undefined ? { dnsHostName } : {}),
      ...(json ? {} : { onStep: (t: string) => io.stdout(`${t}\n`) }),
    });
  } catch (e) {
    if (e instanceof RodcCreateError) {
      io.stderr(failureText(e));
      return 1;
    }
    throw e;
  }
  const { object } = result;
  const warnings = checkRodcObject(object);
  const n = object.krbtgt?.secondaryKrbTgtNumber;
  if (json) {
    io.stdout(`${JSON.stringify({ created: result.created, ...objectJson(object), warnings, nextSteps: n === undefined ? [] : nextSteps(n, object.krbtgt?.sAMAccountName) }, null, 2)}\n`);
  } else {
    if (!result.created) io.stdout(`${object.dn} already exists; nothing was changed. It is:\n\n`);
    io.stdout(objectText(object, warnings));
    if (n !== undefined) {
      io.stdout(`\nRODC number N = ${n}\n\nnext steps:\n${nextSteps(n, object.krbtgt?.sAMAccountName).map((s) => `  ${s}`).join('\n')}\n`);
    }
  }
  return warnings.length === 0 ? 0 : 1;
}

function nextSteps(n: number, sam: string | undefined): string[] {
  const principal = sam ?? `krbtgt_${n}`;
  return [
    `export the key on a DC (Samba): samba-tool domain exportkeytab ${principal}.keytab --principal=${principal}`,
    `export the key on Windows: see docs/ad-setup.md, section 3 "Export the key"`,
    `import it into the bridge:      tgtbridge keys import ${principal}.keytab --principal ${principal}`,
  ];
}

function failureText(e: RodcCreateError): string {
  const lines = [`tgtbridge ad create-rodc: ${e.message}`];
  if (e.created.length === 0) lines.push('nothing was created.');
  for (const r of e.rollback) {
    lines.push(r.deleted ? `rolled back: deleted ${r.dn}` : `NOT rolled back: ${r.dn} is still there (${r.error ?? 'delete failed'}); remove it with: samba-tool computer delete / ldapdelete "${r.dn}" (Windows: Remove-ADObject -Identity "${r.dn}")`);
  }
  return `${lines.join('\n')}\n`;
}

function uacNames(uac: number): string {
  const names = Object.entries(USER_ACCOUNT_CONTROL)
    .filter(([, bit]) => (uac & bit) !== 0)
    .map(([n]) => n);
  return names.join(' | ');
}

function encNames(enc: number): string {
  return Object.entries(SUPPORTED_ENCRYPTION_TYPES)
    .filter(([, bit]) => (enc & bit) !== 0)
    .map(([n]) => n)
    .join(', ');
}

function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

function groupLabel(g: PrpGroup): string {
  const name = g.name ?? (g.sid !== undefined ? BUILTIN_SID_NAMES[g.sid] : undefined) ?? '(unresolved)';
  return `${name}  ${g.sid ?? '?'}  ${g.dn}`;
}

function objectText(o: RodcObject, warnings: readonly RodcWarning[]): string {
  const k = o.krbtgt;
  const n = k?.secondaryKrbTgtNumber;
  const v = k?.keyVersionNumber;
  const rows: [string, string][] = [
    ['computer', o.dn],
    ['sAMAccountName', o.sAMAccountName],
    ['dNSHostName', o.dNSHostName ?? '(none)'],
    ['userAccountControl', o.userAccountControl === undefined ? '(none)' : `${hex32(o.userAccountControl)} (${uacNames(o.userAccountControl)})`],
    ['supported enctypes', o.supportedEncryptionTypes === undefined ? '(unset)' : `${o.supportedEncryptionTypes} (${encNames(o.supportedEncryptionTypes)})`],
    ['primaryGroupID', o.primaryGroupId === undefined ? '(none)' : String(o.primaryGroupId)],
    ['msDS-KrbTgtLink', o.krbTgtLink ?? '(not set)'],
    ['krbtgt account', k === undefined ? '(none)' : `${k.sAMAccountName ?? '?'}  ${k.dn}`],
    ['RODC number N', n === undefined ? '(none)' : String(n)],
    ['key version', v === undefined ? '(unknown)' : n === undefined ? String(v) : `${v} (kvno (N<<16)|v = ${rodcKvnoOf(n, v)}, signed ${rodcKvnoOf(n, v) | 0})`],
  ];
  const width = Math.max(...rows.map(([a]) => a.length));
  const out = rows.map(([a, b]) => `${a.padEnd(width)}  ${b}`);
  out.push('reveal on demand (msDS-RevealOnDemandGroup):');
  out.push(...(o.revealOnDemand.length === 0 ? ['  (empty)'] : o.revealOnDemand.map((g) => `  ${groupLabel(g)}`)));
  out.push('never reveal (msDS-NeverRevealGroup):');
  out.push(...(o.neverReveal.length === 0 ? ['  (empty)'] : o.neverReveal.map((g) => `  ${groupLabel(g)}`)));
  out.push(warnings.length === 0 ? 'warnings: none' : 'warnings:');
  out.push(...warnings.map((w) => `  ${w.code}: ${w.message}`));
  return `${out.join('\n')}\n`;
}

function objectJson(o: RodcObject): Record<string, unknown> {
  const n = o.krbtgt?.secondaryKrbTgtNumber;
  const v = o.krbtgt?.keyVersionNumber;
  return {
    domainDn: o.domain.domainDn,
    domainSid: o.domain.domainSid,
    dn: o.dn,
    sAMAccountName: o.sAMAccountName,
    dNSHostName: o.dNSHostName ?? null,
    userAccountControl: o.userAccountControl ?? null,
    supportedEncryptionTypes: o.supportedEncryptionTypes ?? null,
    primaryGroupId: o.primaryGroupId ?? null,
    krbTgtLink: o.krbTgtLink ?? null,
    krbtgt: o.krbtgt ?? null,
    rodcNumber: n ?? null,
    keyVersionNumber: v ?? null,
    kvno: n !== undefined && v !== undefined ? rodcKvnoOf(n, v) : null,
    revealOnDemand: o.revealOnDemand,
    neverReveal: o.neverReveal,
  };
}
