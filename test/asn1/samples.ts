import {
  AD_TYPES,
  APPLICATION_TAGS,
  KDC_OPTIONS,
  PA_DATA_TYPES,
  TICKET_FLAGS,
  apReqCodec,
  authorizationDataCodec,
  flagsFrom,
  pacAuthorizationData,
  paPacOptionsCodec,
  paPacRequestCodec,
  type ApReq,
  type Authenticator,
  type EncApRepPart,
  type EncKdcRepPart,
  type EncKrbCredPart,
  type EncTicketPart,
  type KdcRep,
  type KdcReq,
  type KrbCred,
  type KrbErrorMessage,
  type Ticket,
} from '../../src/asn1/index.js';

/** Hand-built records covering every optional field at least once (values are arbitrary but plausible). */

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
const t0 = new Date('2026-11-27T21:00:00Z');
const hours = (h: number): Date => new Date(t0.getTime() + h * 3_600_000);

export const REALM = 'CORP.EXAMPLE';

export const tgt: Ticket = {
  tktVno: 5,
  realm: REALM,
  sname: { nameType: 2, nameString: ['krbtgt', REALM] },
  // An RODC kvno: krbtgt_54271 (0xD3FF), key version 1 — a negative INTEGER on the wire.
  encPart: { etype: 18, kvno: 0xd3ff0001, cipher: bytes(300, 0xa5) },
};

export const serviceTicket: Ticket = {
  tktVno: 5,
  realm: REALM,
  sname: { nameType: 2, nameString: ['cifs', 'fs1.corp.example'] },
  encPart: { etype: 18, kvno: 3, cipher: bytes(900, 0x5a) },
};

export const encTicketPart: EncTicketPart = {
  flags: flagsFrom(TICKET_FLAGS, ['forwardable', 'renewable', 'initial', 'pre-authent']),
  key: { keytype: 18, keyvalue: bytes(32, 0x11) },
  crealm: REALM,
  cname: { nameType: 1, nameString: ['alice'] },
  transited: { trType: 1, contents: new Uint8Array(0) },
  authtime: t0,
  starttime: t0,
  endtime: hours(10),
  renewTill: hours(168),
  caddr: [{ addrType: 2, address: Uint8Array.of(127, 0, 0, 1) }],
  authorizationData: [
    pacAuthorizationData(bytes(64, 0x07)),
    { adType: AD_TYPES['KERB-AUTH-DATA-TOKEN-RESTRICTIONS'], adData: Uint8Array.of(0x30, 0x00) },
  ],
};

export const authenticator: Authenticator = {
  crealm: REALM,
  cname: { nameType: 1, nameString: ['alice'] },
  cksum: { cksumtype: 16, checksum: bytes(12, 0xcc) },
  cusec: 123_456,
  ctime: t0,
  subkey: { keytype: 18, keyvalue: bytes(32, 0x22) },
  seqNumber: 0x9abcdef0,
  authorizationData: [{ adType: 142, adData: bytes(16, 0x01) }],
};

export const apReq: ApReq = {
  apOptions: 0,
  ticket: tgt,
  authenticator: { etype: 18, cipher: bytes(120, 0x33) },
};

export const tgsReq: KdcReq = {
  padata: [
    { padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: apReqCodec.encode(apReq) },
    { padataType: PA_DATA_TYPES['PA-PAC-OPTIONS'], padataValue: paPacOptionsCodec.encode({ flags: 0x40000000 }) },
  ],
  reqBody: {
    kdcOptions: flagsFrom(KDC_OPTIONS, ['forwardable', 'renewable', 'canonicalize']),
    realm: REALM,
    sname: { nameType: 2, nameString: ['cifs', 'fs1.corp.example'] },
    till: hours(10),
    rtime: hours(168),
    nonce: 0x8badf00d,
    etype: [18, 17, 20, 19],
    addresses: [{ addrType: 2, address: Uint8Array.of(10, 0, 0, 1) }],
    encAuthorizationData: { etype: 18, cipher: bytes(40, 0x44) },
    additionalTickets: [serviceTicket],
  },
};

export const asReq: KdcReq = {
  padata: [
    { padataType: PA_DATA_TYPES['PA-ENC-TIMESTAMP'], padataValue: Uint8Array.of(0x30, 0x00) },
    { padataType: PA_DATA_TYPES['PA-PAC-REQUEST'], padataValue: paPacRequestCodec.encode({ includePac: true }) },
  ],
  reqBody: {
    kdcOptions: flagsFrom(KDC_OPTIONS, ['forwardable', 'renewable-ok']),
    cname: { nameType: 1, nameString: ['alice'] },
    realm: REALM,
    sname: { nameType: 2, nameString: ['krbtgt', REALM] },
    from: t0,
    till: hours(10),
    nonce: 12345,
    etype: [18],
  },
};

export const tgsRep: KdcRep = {
  crealm: REALM,
  cname: { nameType: 1, nameString: ['alice'] },
  ticket: serviceTicket,
  encPart: { etype: 18, cipher: bytes(250, 0x66) },
};

export const asRep: KdcRep = {
  padata: [{ padataType: PA_DATA_TYPES['PA-ETYPE-INFO2'], padataValue: Uint8Array.of(0x30, 0x00) }],
  crealm: REALM,
  cname: { nameType: 1, nameString: ['alice'] },
  ticket: tgt,
  encPart: { etype: 18, kvno: 2, cipher: bytes(250, 0x77) },
};

export const encKdcRepPart: EncKdcRepPart = {
  applicationTag: APPLICATION_TAGS.EncTGSRepPart,
  key: { keytype: 18, keyvalue: bytes(32, 0x55) },
  lastReq: [{ lrType: 0, lrValue: t0 }],
  nonce: 0x8badf00d,
  keyExpiration: hours(24 * 90),
  flags: flagsFrom(TICKET_FLAGS, ['forwardable', 'renewable', 'pre-authent', 'ok-as-delegate']),
  authtime: t0,
  starttime: t0,
  endtime: hours(10),
  renewTill: hours(168),
  srealm: REALM,
  sname: { nameType: 2, nameString: ['cifs', 'fs1.corp.example'] },
  caddr: [{ addrType: 2, address: Uint8Array.of(10, 0, 0, 1) }],
  encryptedPaData: [{ padataType: PA_DATA_TYPES['PA-SUPPORTED-ENCTYPES'], padataValue: Uint8Array.of(0x1c, 0, 0, 0) }],
};

export const encApRepPart: EncApRepPart = {
  ctime: t0,
  cusec: 999_999,
  subkey: { keytype: 17, keyvalue: bytes(16, 0x88) },
  seqNumber: 42,
};

export const krbError: KrbErrorMessage = {
  ctime: t0,
  cusec: 1,
  stime: t0,
  susec: 2,
  errorCode: 25,
  crealm: REALM,
  cname: { nameType: 1, nameString: ['alice'] },
  realm: REALM,
  sname: { nameType: 2, nameString: ['krbtgt', REALM] },
  eText: 'Additional pre-authentication required',
  eData: authorizationDataCodec.encode([]),
};

export const encKrbCredPart: EncKrbCredPart = {
  ticketInfo: [
    {
      key: { keytype: 18, keyvalue: bytes(32, 0x99) },
      prealm: REALM,
      pname: { nameType: 1, nameString: ['alice'] },
      flags: encTicketPart.flags,
      authtime: t0,
      starttime: t0,
      endtime: hours(10),
      renewTill: hours(168),
      srealm: REALM,
      sname: { nameType: 2, nameString: ['krbtgt', REALM] },
      caddr: [{ addrType: 24, address: bytes(16, 0) }],
    },
    { key: { keytype: 17, keyvalue: bytes(16, 0x98) } },
  ],
  nonce: 7,
  timestamp: t0,
  usec: 5,
  sAddress: { addrType: 2, address: Uint8Array.of(192, 0, 2, 1) },
  rAddress: { addrType: 2, address: Uint8Array.of(192, 0, 2, 2) },
};

export const krbCred: KrbCred = {
  tickets: [tgt, serviceTicket],
  encPart: { etype: 0, cipher: bytes(10, 0) },
};
