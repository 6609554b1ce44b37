import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from './config-error.ts';

function read(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`cannot read the TLS ${what} file ${file}: ${(error as Error).message}`);
  }
}

/**
 * Reads the certificate and key to serve HTTPS with, and checks that they
 * load and belong together now rather than when the first client connects.
 */
export function readTlsFiles(files: { readonly certFile: string; readonly keyFile: string }): {
  readonly cert: Buffer;
  readonly key: Buffer;
} {
  const cert = read('certificate', files.certFile);
  const key = read('key', files.keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigError(
      `the TLS certificate ${files.certFile} and key ${files.keyFile} cannot be used: ${(error as Error).message}`,
    );
  }
  return { cert, key };
}
