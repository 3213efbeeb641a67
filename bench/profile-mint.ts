import { ticketCodec } from '../src/asn1/index.js';
import { Key } from '../src/crypto/index.js';
import { mintPartialTgt } from '../src/ticket/index.js';
import { systemClock, systemRandom } from '../src/util/index.js';

/**
 * A loop of mints for `node --cpu-prof dist/bench/profile-mint.js [count]`: the same work as
 * bench/mint.ts's first figure (mint + Ticket DER), nothing else, so the profile shows only it.
 * Prints mints per CPU-second and per wall-second at the end.
 */
const count = Number(process.argv[2] ?? 200000);
const rodcKey = { key: Key.fromBytes(18, systemRandom.bytes(32)), rodcNumber: 54271, keyVersion: 1 };
const user = { samAccountName: 'alice', sid: 'S-1-5-21-3623811015-3361044348-30300820-1104', upn: 'alice@demo.test', dnsDomain: 'demo.test', netbiosDomain: 'DEMO' };
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < count; i++) ticketCodec.encode(mintPartialTgt({ user, realm: 'DEMO.TEST', rodcKey, clock: systemClock }).ticket);
const used = process.cpuUsage(c0);
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`${count} mints: ${Math.round((count * 1e6) / (used.user + used.system))}/CPU-s, ${Math.round((count * 1000) / wallMs)}/s wall`);
