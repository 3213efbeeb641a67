import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { extractPac, ticketCodec } from '../../src/asn1/index.js';
import { ETYPE, Key } from '../../src/crypto/index.js';
import { decodeCcache } from '../../src/files/index.js';
import { decodePac, describePac, encodePac, verifyPac } from '../../src/pac/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { fromHex } from '../../src/util/index.js';
import { describeWithPeers } from '../support/peers.js';

/**
 * A silver ticket made by python3-impacket's ticketer.py (Debian's 0.10.0): its PAC decodes and
 * both signatures (server and KDC, which impacket makes with the service key) verify; it re-encodes
 * byte-identically.
 */
const TICKETER = '/usr/share/doc/python3-impacket/examples/ticketer.py';
const AES_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describeWithPeers('impacket ticketer PACs', ['/usr/bin/python3', TICKETER], () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-ticketer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes a silver ticket’s PAC and verifies its signatures', () => {
    execFileSync(
      '/usr/bin/python3',
      [TICKETER, '-aesKey', AES_KEY, '-domain', 'samba.test', '-domain-sid', 'S-1-5-21-1-2-3', '-spn', 'cifs/dc1.samba.test', '-user-id', '1103', '-groups', '513,1108', '-extra-sid', 'S-1-18-1', 'alice'],
      { cwd: dir, stdio: 'pipe' },
    );
    const cc = decodeCcache(new Uint8Array(readFileSync(join(dir, 'alice.ccache'))));
    const cred = cc.credentials.find((c) => !c.isConfigEntry);
    if (cred === undefined) throw new Error('no ticket in the ccache');
    const key = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, fromHex(AES_KEY));
    const { encTicketPart } = openTicket(ticketCodec.decode(cred.ticket), key);
    const pac = extractPac(encTicketPart.authorizationData);
    if (pac === undefined) throw new Error('ticket has no PAC');

    expect(encodePac(decodePac(pac))).toEqual(pac);
    const view = describePac(pac, { serverKey: key, kdcKey: key });
    expect(view.logonInfo?.userSid).toBe('S-1-5-21-1-2-3-1103');
    expect(view.logonInfo?.groupSids.map((g) => g.sid)).toEqual(['S-1-5-21-1-2-3-513', 'S-1-5-21-1-2-3-1108']);
    expect(view.logonInfo?.extraSids.map((s) => s.sid)).toEqual(['S-1-18-1']);
    expect(view.clientInfo?.name).toBe('alice');
    expect(view.signatures.map((s) => [s.type, s.checksumType, s.verified])).toEqual([
      ['SERVER_CHECKSUM', 16, true],
      ['PRIVSVR_CHECKSUM', 16, true],
    ]);
    const wrong = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, new Uint8Array(32));
    expect(verifyPac(pac, { serverKey: wrong, kdcKey: wrong }).signatures.map((s) => s.verified)).toEqual([false, false]);
  });
});
