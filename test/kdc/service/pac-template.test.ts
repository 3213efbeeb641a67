import { describe, expect, it } from 'vitest';
import { ETYPE } from '../../../src/crypto/index.js';
import { directoryPac } from '../../../src/kdc/index.js';
import { CopiedPacLayouts, DirectoryPacTemplates } from '../../../src/kdc/service/pac-template.js';
import { decodePac, PAC_BUFFER_TYPE, signPac, type Pac } from '../../../src/pac/index.js';
import { fixedKey, testDirectory } from './support.js';

describe('DirectoryPacTemplates: the exchange PAC from a per-account template', () => {
  const directory = testDirectory();
  const krbtgt = fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1);
  const service = fixedKey(ETYPE.AES128_CTS_HMAC_SHA1_96, 2);
  const ticketChecksumInput = Uint8Array.of(0x63, 0x03, 1, 2, 3);
  const times = [new Date('2026-11-27T10:00:00Z'), new Date('2026-11-27T10:00:01Z'), new Date('1999-01-01T00:00:00Z'), new Date('2026-11-27T10:00:00Z')];

  it.each(['alice', 'bob', 'dave', 'olga'])('is byte-identical to signPac(directoryPac(…)) for %s, TGT and service ticket, every authtime, template hit or not', async (name) => {
    const user = (await directory.findUser(name))!;
    const groupSids = new Set([...(await directory.groupSidsOf(user)), user.objectSid]);
    const templates = new DirectoryPacTemplates();
    for (const authtime of times) {
      for (const forTgt of [true, false]) {
        const base = { user, domain: directory.domain, groupSids, authtime, logonServer: 'DC1', forTgt, ...(forTgt ? { attributes: 2 } : {}) };
        const keys = forTgt ? { serverKey: krbtgt, kdcKey: krbtgt } : { serverKey: service, kdcKey: krbtgt, ticketChecksumInput };
        const expected = signPac({ pac: directoryPac(base), ...keys, includeFullChecksum: !forTgt });
        expect(templates.sign({ ...base, ...keys })).toEqual(expected);
      }
    }
  });

  it('keys the template by the group set: a changed membership gives the changed PAC', async () => {
    const user = (await directory.findUser('alice'))!;
    const templates = new DirectoryPacTemplates();
    const authtime = times[0]!;
    const one = new Set([...(await directory.groupSidsOf(user))]);
    const two = new Set([...one, `${directory.domain.sid}-1300`]);
    const signed = [one, two, one].map((groupSids) => {
      const base = { user, domain: directory.domain, groupSids, authtime, logonServer: 'DC1', forTgt: true };
      const got = templates.sign({ ...base, serverKey: krbtgt, kdcKey: krbtgt });
      expect(got).toEqual(signPac({ pac: directoryPac(base), serverKey: krbtgt, kdcKey: krbtgt, includeFullChecksum: false }));
      return got;
    });
    expect(signed[1]!.length).toBeGreaterThan(signed[0]!.length);
    expect(signed[2]).toEqual(signed[0]);
  });
});

describe('CopiedPacLayouts: a full TGT\'s PAC copied into the next ticket', () => {
  const directory = testDirectory();
  const krbtgt = fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1);
  const service = fixedKey(ETYPE.AES128_CTS_HMAC_SHA1_96, 2);
  const SIGNATURES = new Set<number>([PAC_BUFFER_TYPE.SERVER_CHECKSUM, PAC_BUFFER_TYPE.PRIVSVR_CHECKSUM]);

  it('is byte-identical to signPac over the copied buffers, for two TGT PACs, layout reused or not', async () => {
    const layouts = new CopiedPacLayouts();
    for (const name of ['alice', 'bob', 'alice']) {
      const user = (await directory.findUser(name))!;
      const groupSids = new Set([...(await directory.groupSidsOf(user)), user.objectSid]);
      const tgtPac = signPac({ pac: directoryPac({ user, domain: directory.domain, groupSids, authtime: new Date('2026-11-27T10:00:00Z'), logonServer: 'DC1', forTgt: true }), serverKey: krbtgt, kdcKey: krbtgt, includeFullChecksum: false });
      const copy = (): Pac => ({ Version: 0, Buffers: decodePac(tgtPac).Buffers.filter((b) => !SIGNATURES.has(b.ulType)).map((b) => ({ ulType: b.ulType, data: b.data })) });
      for (const ticketChecksumInput of [undefined, Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)]) {
        const keys = ticketChecksumInput === undefined ? { serverKey: krbtgt, kdcKey: krbtgt } : { serverKey: service, kdcKey: krbtgt, ticketChecksumInput };
        expect(layouts.sign(tgtPac, copy, keys)).toEqual(signPac({ pac: copy(), ...keys, includeFullChecksum: ticketChecksumInput !== undefined }));
      }
    }
  });
});
