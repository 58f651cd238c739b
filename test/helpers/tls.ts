import { execFileSync } from 'child_process';
import * as fs from 'fs';
import type * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';

/** A certificate's files: give `certPath` to a child process as NODE_EXTRA_CA_CERTS to trust it. */
export interface LoopbackCertificate {
  keyPath: string;
  certPath: string;
}

/**
 * A throw-away self-signed certificate for 127.0.0.1 (openssl, valid one day), written as key.pem and cert.pem in
 * `dir` (the caller's temporary folder, removed with it).
 */
export function loopbackCertificate(dir: string): LoopbackCertificate {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ].concat(['-keyout', keyPath, '-out', certPath]),
    { stdio: 'ignore' },
  );
  return { keyPath, certPath };
}

/** An HTTPS server on a free loopback port with that certificate; `url` ends with "/". */
export async function httpsListener(
  certificate: LoopbackCertificate,
  onRequest: http.RequestListener,
): Promise<{ server: https.Server; url: string; close: () => Promise<void> }> {
  const server = https.createServer({ key: fs.readFileSync(certificate.keyPath), cert: fs.readFileSync(certificate.certPath) }, onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
