import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { PROBLEM_STATUS, selfSignedCertificate } from '../../src/bridge/index.js';
import { PROBLEM_CODES } from '../../src/errors/index.js';
import { startTestBridge } from './http-harness.js';

describe('self-signed certificate (pkijs)', () => {
  it('is self-signed, names every host in subjectAltName, and is not a CA', async () => {
    const { certPem } = await selfSignedCertificate(['login.demo.test', 'localhost'], ['127.0.0.1']);
    const cert = new X509Certificate(certPem);
    expect(cert.subjectAltName).toBe('DNS:login.demo.test, DNS:localhost, IP Address:127.0.0.1');
    expect(cert.ca).toBe(false);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkHost('login.demo.test')).toBe('login.demo.test');
  });

  it('serves https with it, and sets Secure cookies', async () => {
    const tb = await startTestBridge((d) => {
      const b = d['bridge'] as Record<string, unknown>;
      b['https'] = { selfSigned: true };
      b['origin'] = String(b['origin']).replace('http:', 'https:');
    });
    try {
      expect(tb.bridge.url).toMatch(/^https:/);
      const cert = new X509Certificate(await import('node:fs').then((fs) => fs.readFileSync(`${tb.dataDir}/self-signed-cert.pem`)));
      const { status, setCookie } = await new Promise<{ status: number; setCookie: string[] }>((resolve, reject) => {
        const req = request(`${tb.bridge.url}/api/signin/options`, {
          method: 'POST', ca: cert.toString(), servername: 'localhost', checkServerIdentity: () => undefined,
          headers: { 'content-type': 'application/json', origin: tb.origin },
        }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }));
        });
        req.on('error', reject);
        req.end('{}');
      });
      expect(status).toBe(200);
      expect(setCookie[0]).toMatch(/; Secure/);
    } finally {
      await tb.bridge.close();
    }
  });
});

describe('problem table', () => {
  it('maps every problem code to an HTTP status in one table', () => {
    for (const code of PROBLEM_CODES) expect(PROBLEM_STATUS[code][0]).toBeGreaterThanOrEqual(400);
    expect(Object.keys(PROBLEM_STATUS).sort()).toEqual([...PROBLEM_CODES].sort());
  });
});
