import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Put a Kerberos message in front of tshark offline (mit-lab.md, "Checkers that hold our output
 * against MIT and Wireshark"): its DER goes into one UDP datagram 50000 → 88, which tshark's
 * Kerberos dissector takes as a KDC exchange, through the same `od | text2pcap` pipeline the
 * notes give, so the pcap is made by Wireshark's own tool and not by code under test.
 */
export function kerberosUdpPcap(der: Uint8Array, dir: string, name: string): string {
  const derPath = join(dir, `${name}.der`);
  const pcapPath = join(dir, `${name}.pcap`);
  writeFileSync(derPath, der);
  execFileSync('sh', ['-c', 'od -Ax -tx1 -v "$1" | text2pcap -q -u 50000,88 - "$2"', 'sh', derPath, pcapPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  return pcapPath;
}

const decryptWith = (keytab: string): string[] => ['-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${keytab}`];
/** Times print in UTC and messages in English whatever the machine's locale. */
const run = (args: readonly string[]): string =>
  execFileSync('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } }).toString('utf8');

/** `tshark -r pcap -o kerberos.decrypt:TRUE -o kerberos.file:keytab -V`: the full dissection tree as text. */
export function tsharkVerbose(pcap: string, keytab: string): string {
  return run(['-r', pcap, ...decryptWith(keytab), '-V']);
}

/**
 * `tshark -T fields` for one frame: each requested field's values, split on the aggregator
 * (`-E aggregator=|`), in the order asked. An unknown field name makes tshark exit non-zero.
 */
export function tsharkFields(pcap: string, keytab: string, fields: readonly string[]): Record<string, string[]> {
  const args = ['-r', pcap, ...decryptWith(keytab), '-T', 'fields', '-E', 'aggregator=|', '-E', 'occurrence=a'];
  for (const f of fields) args.push('-e', f);
  const line = run(args).replace(/\n$/, '');
  const columns = line.split('\t');
  if (columns.length !== fields.length) throw new Error(`tshark printed ${columns.length} columns for ${fields.length} fields`);
  return Object.fromEntries(fields.map((f, i) => [f, columns[i] === '' ? [] : columns[i]!.split('|')]));
}
