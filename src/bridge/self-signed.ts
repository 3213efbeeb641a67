import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface TlsMaterial {
  readonly certPem: string;
  readonly keyPem: string;
}

const pem = (label: string, der: ArrayBuffer): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

/**
 * A self-signed ECDSA P-256 server certificate for local use (RFC 5280): subjectAltName carries
 * every DNS name and IP the bridge answers on, because browsers ignore the CN. Valid 90 days.
 */
export async function selfSignedCertificate(dnsNames: readonly string[], ips: readonly string[], now = new Date()): Promise<TlsMaterial> {
  const engine = new pkijs.CryptoEngine({ crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: webcrypto.getRandomValues(new Uint8Array(16)).map((b, i) => (i === 0 ? b & 0x7f : b)) });
  const name = new pkijs.RelativeDistinguishedNames({
    typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: dnsNames[0] ?? 'localhost' }) })],
  });
  cert.subject = name;
  cert.issuer = name;
  cert.notBefore.value = new Date(now.getTime() - 60_000);
  cert.notAfter.value = new Date(now.getTime() + 90 * 86400_000);
  const altNames = new pkijs.GeneralNames({
    names: [
      ...dnsNames.map((d) => new pkijs.GeneralName({ type: 2, value: d })),
      ...ips.map((ip) => new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array(ip.split('.').map(Number)) }) })),
    ],
  });
  const basic = new pkijs.BasicConstraints({ cA: false });
  // id-kp-serverAuth (RFC 5280 §4.2.1.12)
  const eku = new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.1'] });
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.17', extnValue: altNames.toSchema().toBER(false), parsedValue: altNames }),
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: basic.toSchema().toBER(false), parsedValue: basic }),
    new pkijs.Extension({ extnID: '2.5.29.37', extnValue: eku.toSchema().toBER(false), parsedValue: eku }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await cert.sign(keys.privateKey, 'SHA-256', engine);
  return {
    certPem: pem('CERTIFICATE', cert.toSchema().toBER(false)),
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}
