import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { HtpasswdError, loadHtpasswd, parseHtpasswd } from './htpasswd.ts';

const hash = bcrypt.hashSync('secret', 4);

function refusal(text: string): string {
  try {
    parseHtpasswd(text, '/etc/ferrite/htpasswd');
  } catch (error) {
    assert.ok(error instanceof HtpasswdError);
    return error.message;
  }
  assert.fail('the file was accepted');
}

describe('htpasswd files', () => {
  it('reads users with bcrypt hashes of every prefix, skipping blanks and comments', () => {
    const users = parseHtpasswd(
      [
        '# operators',
        `alice:${hash}`,
        '',
        `bob:${hash.replace(/^\$2b\$/, '$2y$')}`,
        `  carol:${hash.replace(/^\$2b\$/, '$2a$')}  `,
      ].join('\r\n'),
      'htpasswd',
    );
    assert.deepEqual([...users.keys()], ['alice', 'bob', 'carol']);
    assert.ok(users.get('bob')?.startsWith('$2y$'));
  });

  it('refuses other hash formats, naming the file, line and user', () => {
    assert.equal(
      refusal(`alice:${hash}\nbob:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n`),
      '/etc/ferrite/htpasswd line 2: the password of "bob" is not a bcrypt hash ($2y$, $2a$ or $2b$); only bcrypt is supported (htpasswd -B)',
    );
    assert.match(
      refusal('\n\ncarol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n'),
      /^\/etc\/ferrite\/htpasswd line 3: the password of "carol"/,
    );
    assert.match(refusal('dave:plaintext'), /line 1: the password of "dave" is not a bcrypt hash/);
    assert.match(
      refusal(`erin:${hash.slice(0, 40)}`),
      /line 1: the password of "erin" is not a bcrypt hash/,
    );
  });

  it('refuses lines that are not user:hash, and users listed twice', () => {
    assert.equal(
      refusal('just-a-name'),
      '/etc/ferrite/htpasswd line 1: expected "user:bcrypt-hash"',
    );
    assert.equal(refusal(`:${hash}`), '/etc/ferrite/htpasswd line 1: expected "user:bcrypt-hash"');
    assert.equal(
      refusal(`alice:${hash}\nalice:${hash}`),
      '/etc/ferrite/htpasswd line 2: "alice" is listed twice',
    );
  });

  it('says which file it cannot read', () => {
    assert.throws(
      () => loadHtpasswd('/nonexistent/htpasswd'),
      /^HtpasswdError: cannot read the HTTP basic auth user file \/nonexistent\/htpasswd: ENOENT/,
    );
  });
});
