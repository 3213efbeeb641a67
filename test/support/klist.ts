/**
 * What MIT klist 1.20 prints, built from our own decoded values, so an interop test can say "klist
 * shows exactly what we decoded". Run klist with TZ=UTC LC_ALL=C (KLIST_ENV) for these to match.
 */
import { etypeName } from '../../src/crypto/index.js';

export const KLIST_ENV = { TZ: 'UTC', LC_ALL: 'C' } as const;

const two = (n: number): string => String(n).padStart(2, '0');

/** klist's time column in the C locale: `%x %X` → `MM/DD/YY HH:MM:SS`. */
export function klistTime(d: Date): string {
  return (
    `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** klist -f letters, in klist.c's order (flags_string). Bit 0 of TicketFlags is 0x80000000. */
const FLAG_LETTERS: readonly (readonly [number, string])[] = [
  [0x40000000, 'F'], // forwardable
  [0x20000000, 'f'], // forwarded
  [0x10000000, 'P'], // proxiable
  [0x08000000, 'p'], // proxy
  [0x04000000, 'D'], // may-postdate
  [0x02000000, 'd'], // postdated
  [0x01000000, 'i'], // invalid
  [0x00800000, 'R'], // renewable
  [0x00400000, 'I'], // initial
  [0x00100000, 'H'], // hw-authent
  [0x00200000, 'A'], // pre-authent
  [0x00080000, 'T'], // transited-policy-checked
  [0x00040000, 'O'], // ok-as-delegate
  [0x00008000, 'a'], // anonymous
];

export function klistFlags(flags: number): string {
  return FLAG_LETTERS.filter(([bit]) => (flags & bit) !== 0)
    .map(([, letter]) => letter)
    .join('');
}

export interface KlistCredential {
  readonly server: string;
  readonly authtime: Date;
  readonly starttime?: Date | undefined;
  readonly endtime: Date;
  readonly renewTill?: Date | undefined;
  readonly flags: number;
  readonly sessionKeyEtype: number;
  readonly ticketEtype: number;
}

/** The lines `klist -e -f` prints for one credential (klist.c show_credential). */
export function klistCredentialBlock(c: KlistCredential): string {
  const start = klistTime(c.starttime ?? c.authtime);
  let out = `${start}  ${klistTime(c.endtime)}  ${c.server}\n`;
  const extras: string[] = [];
  if (c.renewTill !== undefined && c.renewTill.getTime() !== 0) extras.push(`renew until ${klistTime(c.renewTill)}`);
  extras.push(`Flags: ${klistFlags(c.flags)}`);
  out += `\t${extras.join(', ')}\n`;
  out += `\tEtype (skey, tkt): ${etypeName(c.sessionKeyEtype)}, ${etypeName(c.ticketEtype)} \n`;
  return out;
}

/** klist output without its first line (`Ticket cache: FILE:<path>` / `Keytab name: FILE:<path>`). */
export function withoutNameLine(out: string): string {
  return out.slice(out.indexOf('\n') + 1);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
