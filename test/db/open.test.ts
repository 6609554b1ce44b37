import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDatabaseUrl, redact } from '../../src/db/database-url.ts';
import { openStore } from '../../src/db/open.ts';
import { rejectsWith } from './assertions.ts';

describe('database URLs', () => {
  it('reads the SQLite forms: absolute, relative to the working directory, and in memory', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:///var/lib/ferrite/ferrite.db'), {
      dialect: 'sqlite',
      path: '/var/lib/ferrite/ferrite.db',
    });
    assert.deepEqual(parseDatabaseUrl('sqlite://.ferrite/ferrite.db', '/srv/app'), {
      dialect: 'sqlite',
      path: '/srv/app/.ferrite/ferrite.db',
    });
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { dialect: 'sqlite', path: ':memory:' });
  });

  it('reads postgres:// and postgresql:// URLs as they are', () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/ferrite',
      'postgresql://ferrite:secret@db.example:6543/ferrite?sslmode=require',
    ]) {
      assert.deepEqual(parseDatabaseUrl(url), { dialect: 'postgres', url });
    }
  });

  it('refuses anything else with ConfigInvalid naming the accepted forms, without the password', () => {
    for (const url of [
      'mysql://root@localhost/x',
      'sqlite://',
      'sqlite:relative.db',
      'postgres://',
      '',
    ]) {
      assert.throws(
        () => parseDatabaseUrl(url),
        (error: unknown) =>
          error instanceof Error &&
          error.name === 'ConfigInvalid' &&
          error.message.includes('sqlite:///absolute/path.db') &&
          error.message.includes('postgres://'),
      );
    }
    assert.throws(
      () => parseDatabaseUrl('mysql://root:hunter2@localhost/x'),
      (error: unknown) => {
        assert.ok(error instanceof Error && !error.message.includes('hunter2'), String(error));
        return true;
      },
    );
  });

  it('redacts passwords', () => {
    assert.equal(redact('postgres://u:pw@h:5432/d'), 'postgres://u:***@h:5432/d');
    assert.equal(redact('postgres://u@h/d'), 'postgres://u@h/d');
  });
});

describe('openStore', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ferrite-open-test-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('opens an in-memory SQLite store, migrated', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      assert.equal(store.dialect, 'sqlite');
      assert.equal(await store.nodes.count(), 0);
    } finally {
      await store.close();
    }
  });

  it('creates the folder of a SQLite file', async () => {
    const path = join(directory, 'nested', 'deeper', 'ferrite.db');
    const store = await openStore(`sqlite://${path}`);
    await store.close();
    assert.ok(existsSync(path));
  });

  it('reports a bad URL, a bad pool size and an unreachable server as ConfigInvalid', async () => {
    await rejectsWith(openStore('mongodb://localhost/x'), 'ConfigInvalid', 'Invalid database URL');
    await rejectsWith(openStore('sqlite::memory:', { poolSize: 0 }), 'ConfigInvalid', 'pool size');
    // Port 1 on the loopback address: refused at once, nothing listens there.
    await rejectsWith(
      openStore('postgres://postgres:secret@127.0.0.1:1/ferrite'),
      'ConfigInvalid',
      'Cannot open the database at postgres://postgres:***@127.0.0.1:1/ferrite',
    );
    const file = join(directory, 'not-a-folder');
    const blocker = await openStore(`sqlite://${file}`);
    await blocker.close();
    await rejectsWith(openStore(`sqlite://${file}/inside.db`), 'ConfigInvalid', 'Cannot open');
  });
});
