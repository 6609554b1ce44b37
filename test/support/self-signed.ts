/**
 * A self-signed certificate for 127.0.0.1, made with openssl, for tests of
 * HTTPS servers and clients (the Redfish emulator and client, sushy).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Whether openssl can make certificates here. */
export const opensslAvailable = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

/** Writes key.pem and cert.pem (a day's self-signed certificate for 127.0.0.1) into `dir`. */
export function makeSelfSignedCertificate(dir: string): void {
  const made = spawnSync(
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
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
}
