import { readFileSync } from 'node:fs';

/** A bcrypt hash as htpasswd -B and other tools write it: $2y$, $2a$ or $2b$, cost, salt and digest. */
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** Thrown for an htpasswd file that cannot be used; the message names the file and line. */
export class HtpasswdError extends Error {
  override readonly name = 'HtpasswdError';
}

/**
 * Reads an Apache-style user file (`user:hash` a line). Only bcrypt hashes
 * are accepted: the other htpasswd formats (MD5 "$apr1$", SHA-1, crypt,
 * plain text) are too weak to protect a provisioning service, and refusing
 * them when the file is loaded beats a user who can never log in. Blank
 * lines and lines starting with # are skipped.
 */
export function parseHtpasswd(text: string, file: string): ReadonlyMap<string, string> {
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file} line ${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HtpasswdError(`${where}: expected "user:bcrypt-hash"`);
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (!BCRYPT_HASH.test(hash)) {
      throw new HtpasswdError(
        `${where}: the password of "${user}" is not a bcrypt hash ($2y$, $2a$ or $2b$); only bcrypt is supported (htpasswd -B)`,
      );
    }
    if (users.has(user)) throw new HtpasswdError(`${where}: "${user}" is listed twice`);
    users.set(user, hash);
  });
  return users;
}

export function loadHtpasswd(file: string): ReadonlyMap<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HtpasswdError(
      `cannot read the HTTP basic auth user file ${file}: ${(error as Error).message}`,
    );
  }
  return parseHtpasswd(text, file);
}
