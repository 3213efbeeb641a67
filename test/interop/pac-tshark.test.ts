import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { pacAuthorizationData, type EncTicketPart, type PrincipalName } from '../../src/asn1/index.js';
import { ETYPE, randomKey } from '../../src/crypto/index.js';
import { encodeKeytab } from '../../src/files/index.js';
import { buildTgsRequest } from '../../src/kdc/index.js';
import { buildPac, encodePac, kerbValidationInfoFor, parseSid, sidWithRid } from '../../src/pac/index.js';
import { sealTicket, signTicketPac } from '../../src/ticket/index.js';
import { fixedClock, systemRandom } from '../../src/util/index.js';
import { describeWithPeers } from '../support/peers.js';

/**
 * Issue 4: a PAC we build and sign, in a ticket we encrypt, carried in an AP-REQ (PA-TGS-REQ of a
 * TGS-REQ on UDP 88): tshark, given the keytab, decrypts it, dissects the PAC without
 * malformed-packet warnings, shows our values and verifies the server and KDC checksums.
 */
const REALM = 'SAMBA.TEST';

/** One UDP datagram 127.0.0.1:50000 → 127.0.0.10:88 in a pcap file (LINKTYPE_RAW IPv4). */
function pcapWithUdp(payload: Uint8Array): Uint8Array {
  const ip = Buffer.alloc(20 + 8 + payload.length);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(ip.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  Buffer.from([127, 0, 0, 1]).copy(ip, 12);
  Buffer.from([127, 0, 0, 10]).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  ip.writeUInt16BE(50000, 20);
  ip.writeUInt16BE(88, 22);
  ip.writeUInt16BE(8 + payload.length, 24);
  Buffer.from(payload).copy(ip, 28);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(101, 20); // LINKTYPE_RAW
  const record = Buffer.alloc(16);
  record.writeUInt32LE(1_800_000_000, 0);
  record.writeUInt32LE(ip.length, 8);
  record.writeUInt32LE(ip.length, 12);
  return new Uint8Array(Buffer.concat([header, record, ip]));
}

describeWithPeers('tshark dissects and verifies our PAC', ['tshark'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-tshark-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows our fields and "Verified" server and KDC checksums', () => {
    const krbtgt = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
    const sessionKey = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
    const domain = parseSid('S-1-5-21-1882948272-2805576772-1729273947');
    const authtime = new Date('2026-11-27T21:00:00Z');
    const cname: PrincipalName = { nameType: 1, nameString: ['alice'] };
    const sname: PrincipalName = { nameType: 2, nameString: ['krbtgt', REALM] };
    const pac = buildPac({
      logonInfo: kerbValidationInfoFor({
        domainSid: domain,
        userRid: 1103,
        effectiveName: 'alice',
        fullName: 'Alice Tshark',
        logonServer: 'DC1',
        logonDomainName: 'SAMBA',
        groups: [{ rid: 1108 }, { rid: 1109 }, { rid: 571 }],
        extraSids: [{ sid: parseSid('S-1-18-1') }],
        logonTime: authtime,
      }),
      clientInfo: { authtime, name: 'alice' },
      upnDnsInfo: { Upn: 'alice@samba.test', DnsDomainName: REALM, Flags: 0, SamName: 'alice', Sid: sidWithRid(domain, 1103) },
      attributes: 1,
      requestorSid: sidWithRid(domain, 1103),
    });
    const unsigned: EncTicketPart = {
      flags: 0x40e10000,
      key: { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() },
      crealm: REALM,
      cname,
      transited: { trType: 1, contents: new Uint8Array(0) },
      authtime,
      starttime: authtime,
      endtime: new Date(authtime.getTime() + 10 * 3600_000),
      authorizationData: [pacAuthorizationData(encodePac(pac))],
    };
    const encTicketPart = signTicketPac({ encTicketPart: unsigned, sname, serverKey: krbtgt, kdcKey: krbtgt });
    const ticket = sealTicket({ realm: REALM, sname, encTicketPart, key: krbtgt, kvno: 1 });
    const req = buildTgsRequest({
      tgt: { ticket, sessionKey, crealm: REALM, cname },
      sname: { nameType: 2, nameString: ['cifs', 'dc1.samba.test'] },
      srealm: REALM,
      kdcOptions: 0x40810000,
      till: new Date(authtime.getTime() + 3600_000),
      clock: fixedClock(new Date(authtime.getTime() + 60_000)),
      random: systemRandom,
    });

    const keytab = join(dir, 'krbtgt.keytab');
    writeFileSync(
      keytab,
      encodeKeytab({
        entries: [{ principal: { nameType: 2, components: ['krbtgt', REALM], realm: REALM }, timestamp: authtime, kvno: 1, key: { keytype: krbtgt.etype, keyvalue: krbtgt.exportBytes() } }],
      }),
    );
    const pcap = join(dir, 'tgs-req.pcap');
    writeFileSync(pcap, pcapWithUdp(req.der));
    const out = execFileSync('tshark', ['-r', pcap, '-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${keytab}`, '-V'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');

    expect(out).not.toMatch(/Malformed|Expert Info \(Error|Expert Info \(Warning/);
    expect(out).toContain('Verified Server checksum');
    expect(out).toContain('Verified KDC checksum');
    expect(out).toContain('alice');
    expect(out).toContain('Alice Tshark');
    expect(out).toMatch(/S-1-5-21-1882948272-2805576772-1729273947/);
    expect(out).toContain('alice@samba.test');
    expect(out).toMatch(/1108/);
  });
});
