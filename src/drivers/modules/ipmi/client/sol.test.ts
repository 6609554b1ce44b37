import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { EmulatedBmc } from '../../../../lab/ipmi/bmc.ts';
import { loginBanner } from '../../../../lab/ipmi/serial-console.ts';
import type { IpmiLanServer, IpmiLanServerOptions } from '../../../../lab/ipmi/session-server.ts';
import { startIpmiLanServer } from '../../../../lab/ipmi/session-server.ts';
import { PayloadType } from '../protocol/constants.ts';
import type { BmcTarget } from '../types.ts';
import { IpmiError, IpmiErrorKind, PrivilegeLevel } from '../types.ts';
import { IpmiClient } from './ipmi-client.ts';
import type { SolSession } from './sol-session.ts';
import { transcript } from '../../../../../test/support/transcript.ts';
import type { Transcript } from '../../../../../test/support/transcript.ts';

const PASSWORD = 'sol-secret-pw';

/** Offset of the payload type byte and of the payload length in an RMCP+ datagram. */
const PAYLOAD_TYPE_AT = 5;
const PAYLOAD_LENGTH_AT = 14;
/** An encrypted SOL payload of 4–15 plaintext bytes: IV plus one AES block (ack-only packets, short lines). */
const ONE_BLOCK = 32;

function isSol(datagram: Uint8Array): boolean {
  return ((datagram[PAYLOAD_TYPE_AT] ?? 0) & 0x3f) === PayloadType.SOL;
}

function payloadLength(datagram: Uint8Array): number {
  return Buffer.from(datagram).readUInt16LE(PAYLOAD_LENGTH_AT);
}

/** Everything the session sends, as text, and a way to wait for some of it. */
function transcriptOf(session: SolSession): Transcript {
  const seen = transcript();
  session.onData((bytes) => seen.push(bytes));
  return seen;
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('SOL between Ferrite’s client and BMC emulator', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(
    server: Partial<IpmiLanServerOptions> = {},
    client: { timeoutMs?: number; retries?: number } = {},
  ): Promise<{ bmc: EmulatedBmc; lan: IpmiLanServer; client: IpmiClient; target: BmcTarget }> {
    const bmc = new EmulatedBmc();
    const lan = await startIpmiLanServer({
      users: [{ name: 'admin', password: PASSWORD }],
      handler: bmc.handle,
      serial: bmc.console,
      solRetryMs: 100,
      ...server,
    });
    cleanups.push(() => lan.close());
    const ipmi = new IpmiClient({
      timeoutMs: client.timeoutMs ?? 150,
      retries: client.retries ?? 4,
    });
    cleanups.push(() => ipmi.close());
    const target: BmcTarget = {
      host: lan.host,
      port: lan.port,
      username: 'admin',
      password: PASSWORD,
      privilege: PrivilegeLevel.ADMINISTRATOR,
      cipherSuite: 17,
    };
    return { bmc, lan, client: ipmi, target };
  }

  it('activates, shows the banner, echoes a typed line and deactivates on close', async () => {
    const { bmc, client, target } = await setUp();
    const typed: string[] = [];
    bmc.console.onInput((bytes) => typed.push(bytes.toString('latin1')));
    const sol = await client.openSol(target);
    const out = transcriptOf(sol);
    await out.waitFor('ferrite-node login: ');
    assert.equal(out.text(), loginBanner('ferrite-node'));
    await sol.write('hello-sol\r');
    await out.waitFor('echo: hello-sol');
    assert.deepEqual(typed, ['hello-sol\r']);
    // Host output arrives whenever the host writes, not only as an answer.
    assert.equal(bmc.console.hostWrite('kernel: eth0 link up\r\n'), true);
    await out.waitFor('eth0 link up');
    assert.equal(bmc.console.active, true);
    await sol.close();
    assert.deepEqual(await sol.closed, { reason: 'closed' });
    assert.equal(bmc.console.active, false, 'the payload was deactivated');
    assert.equal(client.stats().sessions, 0);
    await assert.rejects(sol.write('late'), (error) => error instanceof IpmiError);
  });

  it('sends long writes in several acknowledged packets', async () => {
    const { bmc, client, target } = await setUp();
    let received = '';
    bmc.console.onInput((bytes) => (received += bytes.toString('latin1')));
    const sol = await client.openSol(target);
    const long = `${'x'.repeat(700)}\r`;
    await sol.write(long);
    assert.equal(received, long);
    await transcriptOf(sol).waitFor(`echo: ${'x'.repeat(700)}`);
    await sol.close();
  });

  it('resends packets whose datagram or ack was lost, and delivers each once', async () => {
    let droppedData = 0;
    let droppedAcks = 0;
    const { client, target } = await setUp({
      inboundFilter: (datagram) => {
        if (!isSol(datagram)) return true;
        // The first typed line from the console: the client must resend it.
        if (payloadLength(datagram) > ONE_BLOCK && droppedData === 0) {
          droppedData++;
          return false;
        }
        // The console's first ack (of the banner): the BMC resends, the client must drop the copy.
        if (payloadLength(datagram) === ONE_BLOCK && droppedAcks === 0) {
          droppedAcks++;
          return false;
        }
        return true;
      },
    });
    const sol = await client.openSol(target);
    const out = transcriptOf(sol);
    await out.waitFor('login: ');
    await sol.write('hello over a lossy network\r');
    await out.waitFor('echo: hello over a lossy network');
    assert.equal(droppedData, 1);
    assert.equal(droppedAcks, 1);
    assert.equal(count(out.text(), 'Ferrite emulated host'), 1, out.text());
    assert.equal(count(out.text(), 'echo: '), 1, out.text());
    await sol.close();
  });

  it('refuses a second activation clearly, and takes over with force', async () => {
    const { bmc, client, target } = await setUp();
    const first = await client.openSol(target);
    await assert.rejects(client.openSol(target), (error) => {
      assert.ok(error instanceof IpmiError);
      assert.equal(error.kind, IpmiErrorKind.SESSION);
      assert.equal(error.completionCode, 0x80);
      assert.match(error.message, /already active/);
      assert.match(error.message, /sol deactivate/);
      assert.doesNotMatch(error.message, new RegExp(PASSWORD));
      return true;
    });
    const second = await client.openSol(target, { force: true });
    // The BMC tells the session that had it that SOL is going away.
    assert.deepEqual(await first.closed, { reason: 'deactivated' });
    const out = transcriptOf(second);
    await out.waitFor('login: ');
    assert.equal(bmc.console.activations, 2);
    await second.close();
  });

  it('refuses SOL on a BMC without a serial port, and closes the session it opened', async () => {
    const { client, target } = await setUp({ serial: undefined });
    await assert.rejects(client.openSol(target), (error) => {
      assert.ok(error instanceof IpmiError);
      assert.equal(error.completionCode, 0x81);
      assert.match(error.message, /disabled/);
      return true;
    });
    assert.equal(client.stats().sessions, 0);
  });

  it('ends the SOL session when the BMC stops answering', async () => {
    let deaf = false;
    const { client, target } = await setUp(
      { inboundFilter: () => !deaf },
      { timeoutMs: 50, retries: 2 },
    );
    const sol = await client.openSol(target);
    deaf = true;
    await assert.rejects(sol.write('anyone?\r'), (error) => {
      assert.ok(error instanceof IpmiError);
      assert.equal(error.kind, IpmiErrorKind.TIMEOUT);
      return true;
    });
    const end = await sol.closed;
    assert.equal(end.reason, 'lost');
    assert.equal(sol.isOpen, false);
  });

  it('closes open SOL sessions (deactivating them) when the client closes', async () => {
    const { bmc, client, target } = await setUp();
    const sol = await client.openSol(target);
    await transcriptOf(sol).waitFor('login: ');
    await client.close();
    assert.deepEqual(await sol.closed, { reason: 'closed' });
    assert.equal(bmc.console.active, false);
    await assert.rejects(client.openSol(target), /closed/);
  });
});
