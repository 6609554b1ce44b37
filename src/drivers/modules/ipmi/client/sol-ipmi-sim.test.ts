/**
 * Ferrite's SOL client against OpenIPMI's ipmi_sim (cipher suite 3): the
 * simulator bridges SOL to a TCP "serial port" that this test serves,
 * playing the host as shared/peers/ipmi/fake-console.py does.
 */
import assert from 'node:assert/strict';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { IpmiSim } from '../../../../../test/support/ipmi-sim.ts';
import { ipmiSimSuiteOptions, startIpmiSim } from '../../../../../test/support/ipmi-sim.ts';
import type { BmcTarget } from '../types.ts';
import { PrivilegeLevel } from '../types.ts';
import { IpmiClient } from './ipmi-client.ts';
import type { SolSession } from './sol-session.ts';

/** The host side of the serial line: echoes every line, and lets the test write. */
interface SerialHost {
  readonly port: number;
  /** Resolves with the simulator's connection once it has connected. */
  connected(): Promise<Socket>;
  received(): string;
  close(): Promise<void>;
}

async function startSerialHost(): Promise<SerialHost> {
  let received = '';
  let line = '';
  let connection: Socket | undefined;
  const waiting: Array<(socket: Socket) => void> = [];
  const server: Server = createServer((socket) => {
    connection = socket;
    for (const resolve of waiting.splice(0)) resolve(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      received += text;
      line += text;
      for (let end = line.search(/[\r\n]/); end >= 0; end = line.search(/[\r\n]/)) {
        const typed = line.slice(0, end);
        line = line.slice(end + 1);
        if (typed !== '') socket.write(`\r\necho: ${typed}\r\nsim-node login: `, 'latin1');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    port: address.port,
    connected: () =>
      connection !== undefined
        ? Promise.resolve(connection)
        : new Promise((resolve) => waiting.push(resolve)),
    received: () => received,
    close: async () => {
      connection?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function waitForText(session: SolSession, needle: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${JSON.stringify(needle)} in ${JSON.stringify(text)}`));
    }, timeoutMs);
    const stop = session.onData((bytes) => {
      text += bytes.toString('latin1');
      if (!text.includes(needle)) return;
      clearTimeout(timer);
      stop();
      resolve(text);
    });
  });
}

describe('SOL with OpenIPMI’s ipmi_sim', ipmiSimSuiteOptions(), () => {
  let host: SerialHost;
  let sim: IpmiSim;
  let client: IpmiClient;
  let target: BmcTarget;
  before(async () => {
    host = await startSerialHost();
    sim = await startIpmiSim({ solPort: host.port });
    client = new IpmiClient({ timeoutMs: 500, retries: 3 });
    target = {
      host: sim.host,
      port: sim.port,
      username: sim.username,
      password: sim.password,
      privilege: PrivilegeLevel.ADMINISTRATOR,
      cipherSuite: 3,
    };
  });
  after(async () => {
    await client.close();
    await sim.stop();
    await host.close();
  });

  it('types a line into the host and reads the echo, then deactivates', async () => {
    const sol = await client.openSol(target);
    const echoed = waitForText(sol, 'echo: hello-ferrite');
    await sol.write('hello-ferrite\r');
    await echoed;
    assert.match(host.received(), /hello-ferrite\r/);
    await sol.close();
    assert.deepEqual(await sol.closed, { reason: 'closed' });
  });

  it('carries what the host writes on its own, and activates again after a close', async () => {
    // A refused activation (0x80) here would mean the last close did not deactivate.
    const sol = await client.openSol(target);
    const socket = await host.connected();
    const seen = waitForText(sol, 'kernel: reached target multi-user');
    socket.write('\r\nkernel: reached target multi-user\r\n');
    await seen;
    await sol.close();
  });
});
