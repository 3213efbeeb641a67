import { ticketCodec } from '../src/asn1/index.js';
import { Key } from '../src/crypto/index.js';
import { buildAsRepForDelivery, mintPartialTgt } from '../src/ticket/index.js';
import { systemClock, systemRandom } from '../src/util/index.js';
import type { BenchResult } from './result.js';

/**
 * MIT krb5kdc's TGS-REQ rate on this kind of machine, from shared/notes/mit-lab.md (one process
 * pinned to one core, ≈ 3,250–3,500/s over UDP, ≈ 2,600–2,950/s over TCP): the note's reference
 * figure, not measured side by side in this run. Measured side by side once on a loaded 2-core
 * machine (load average ≈ 11): krb5kdc 1.20 answered ≈ 4,700–5,000 TGS-REQs per KDC CPU-second
 * (UDP, 16 in flight, 20,000 fresh requests built by src/kdc's TGS client inside the lab
 * namespace; CPU from /proc/<pid>/stat), while minting ran at ≈ 9,000–15,000 per CPU-second.
 */
const MIT_TGS_REFERENCE = 3000;
const GOAL = 10;

/**
 * Operations per second of CPU time (user + system of this process; the JavaScript runs on one
 * thread, V8's GC helpers may use others and are counted): "on one core", and far less sensitive than wall time to other load on a shared machine; and the
 * wall-clock rate of the same rounds. After a warm-up (JIT, derived-key caches, PAC templates),
 * `rounds` rounds of about `ms / rounds` each; medians, so one round disturbed by a neighbour
 * does not decide the figure.
 */
function measureCpu(fn: () => void, ms: number, rounds = 5): { cpu: number; wall: number } {
  for (let i = 0; i < 2000; i++) fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let ops = 0;
    let wallMs = 0;
    while (wallMs < ms / rounds) {
      for (let i = 0; i < 64; i++) fn();
      ops += 64;
      wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    }
    const used = process.cpuUsage(c0);
    cpu.push((ops * 1e6) / (used.user + used.system));
    wall.push((ops * 1000) / wallMs);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Partial TGTs minted per second on one core: PAC (per-account byte template, LogonTime/ClientId
 * patched, signed in place) and its two HMAC-SHA1-96 signatures under krbtgt_N, a fresh AES256
 * session key, EncTicketPart DER, AES256-CTS encryption, Ticket DER. The second pair of figures
 * adds the Entra-style AS-REP delivery (EncASRepPart under the client key), i.e. what the bridge
 * does per sign-in. Each is given per CPU-second (the figure the goal is about) and per wall-clock
 * second (what this run saw, with whatever else the machine was doing).
 */
export async function benchMint(): Promise<BenchResult[]> {
  const rodcKey = { key: Key.fromBytes(18, systemRandom.bytes(32)), rodcNumber: 54271, keyVersion: 1 };
  const clientKey = Key.fromBytes(18, systemRandom.bytes(32));
  const user = { samAccountName: 'alice', sid: 'S-1-5-21-3623811015-3361044348-30300820-1104', upn: 'alice@demo.test', dnsDomain: 'demo.test', netbiosDomain: 'DEMO' };
  const mint = () => mintPartialTgt({ user, realm: 'DEMO.TEST', rodcKey, clock: systemClock });

  const minted = measureCpu(() => {
    ticketCodec.encode(mint().ticket);
  }, 3000);
  const delivered = measureCpu(() => {
    const m = mint();
    buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, random: systemRandom });
  }, 3000);
  const against = `MIT krb5kdc TGS-REQ ${MIT_TGS_REFERENCE.toLocaleString('en-US')}/s (mit-lab.md reference figure, not measured in this run)`;
  const times = (rate: number): string => `${(rate / MIT_TGS_REFERENCE).toFixed(1)}x the reference`;
  // The issue's goal is about minting alone; the delivery rows show the cost per sign-in beside it.
  const rows = (name: string, r: { cpu: number; wall: number }, withGoal: boolean): BenchResult[] => [
    {
      name: `${name}, mints per CPU-second`,
      opsPerSec: r.cpu,
      ratio: { against, value: MIT_TGS_REFERENCE / r.cpu },
      note: `= ${times(r.cpu)}; ${withGoal ? `goal >= ${GOAL}x (${(GOAL * MIT_TGS_REFERENCE).toLocaleString('en-US')}/CPU-s) ${r.cpu >= GOAL * MIT_TGS_REFERENCE ? 'met' : 'NOT met'}` : 'per sign-in (the goal is about minting alone)'}; CPU = user+system of the whole process (V8's GC helper threads included); median of 5 rounds`,
    },
    {
      name: `${name}, mints/s wall-clock`,
      opsPerSec: r.wall,
      ratio: { against, value: MIT_TGS_REFERENCE / r.wall },
      note: `= ${times(r.wall)}; wall time: other load on a shared machine lowers it, GC work on helper threads can put it above the CPU figure`,
    },
  ];
  return [...rows('mint partial TGT (PAC+sign, encrypt, DER), 1 core', minted, true), ...rows('mint + AS-REP delivery, 1 core', delivered, false)];
}
