import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsoleInfo, ConsoleInterface } from '../../src/drivers/interfaces/console.ts';
import { baseContract } from './base.contract.ts';
import { open, rejectsWithFerriteError, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

function assertConsoleInfo(info: ConsoleInfo): void {
  assert.deepEqual(Object.keys(info).sort(), ['type', 'url']);
  assert.equal(typeof info.type, 'string');
  assert.notEqual(info.type, '', 'console type is empty');
  assert.equal(typeof info.url, 'string');
  assert.ok(URL.canParse(info.url), `console url "${info.url}" is not a URL`);
}

/**
 * The console interface: while started, getConsole hands out where to
 * connect ({type, url}); before it is started and after it is stopped, it
 * refuses. Starting and stopping are idempotent.
 */
export function consoleContract(subject: ContractSubject<ConsoleInterface>): void {
  describe(`console contract: ${subject.name}`, () => {
    baseContract(subject, 'console');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'gives {type, url} strings once started, the same each time',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.startConsole(task));
        const info = await run(impl.getConsole(task));
        assertConsoleInfo(info);
        assert.deepEqual(await run(impl.getConsole(task)), info);
      }),
    );

    it(
      'refuses getConsole before the console is started',
      withFixture(subject, async ({ impl, task, run }) => {
        await rejectsWithFerriteError(run(impl.getConsole(task)), 'getConsole before start');
      }),
    );

    it(
      'refuses getConsole once the console is stopped',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.startConsole(task));
        assertConsoleInfo(await run(impl.getConsole(task)));
        await run(impl.stopConsole(task));
        await rejectsWithFerriteError(run(impl.getConsole(task)), 'getConsole after stop');
      }),
    );

    it(
      'starts and stops idempotently, and stops a console that never started',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.stopConsole(task));
        await run(impl.startConsole(task));
        await run(impl.startConsole(task));
        assertConsoleInfo(await run(impl.getConsole(task)));
        await run(impl.stopConsole(task));
        await run(impl.stopConsole(task));
        await rejectsWithFerriteError(run(impl.getConsole(task)), 'getConsole after two stops');
      }),
    );

    it(
      'starts again after a stop',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.startConsole(task));
        await run(impl.stopConsole(task));
        await run(impl.startConsole(task));
        assertConsoleInfo(await run(impl.getConsole(task)));
      }),
    );

    it('gives two nodes different console URLs', async () => {
      const first = await open(subject);
      try {
        const second = await open(subject);
        try {
          await first.run(first.impl.startConsole(first.task));
          await second.run(second.impl.startConsole(second.task));
          const a = await first.run(first.impl.getConsole(first.task));
          const b = await second.run(second.impl.getConsole(second.task));
          assert.notEqual(a.url, b.url);
        } finally {
          await second.tearDown?.();
        }
      } finally {
        await first.tearDown?.();
      }
    });
  });
}
