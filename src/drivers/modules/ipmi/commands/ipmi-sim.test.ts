/**
 * The decoders against a live OpenIPMI ipmi_sim, its answers fetched with
 * ipmitool (Ferrite's own RMCP+ client is tested elsewhere), and
 * readSensors on an EmulatedBmc holding ipmi_sim's SDR against what
 * `ipmitool sdr -v` shows for it.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ipmiSimSuiteOptions, startIpmiSim } from '../../../../../test/support/ipmi-sim.ts';
import type { IpmiSim } from '../../../../../test/support/ipmi-sim.ts';
import { decodeBootFlags } from './boot-options.ts';
import { decodeChassisStatus } from './chassis.ts';
import { decodeDeviceId } from './device-id.ts';
import { decodeSdrChunk } from './sdr.ts';
import { decodeSensorRecord } from './sdr-record.ts';
import type { SensorRecord } from './sdr-record.ts';
import { readSensors } from './sensors.ts';
import { BmcChannel, bmcLike, bytes, parseSdrVerbose, splitSdrDump } from './testdata/support.ts';

const run = promisify(execFile);

function suiteOptions(): { skip?: string } {
  const sim = ipmiSimSuiteOptions();
  if (sim.skip !== undefined) return sim;
  const found = spawnSync('sh', ['-c', 'command -v ipmitool']);
  if (found.status === 0 || process.env['CI'] === 'true') return {};
  return {
    skip: 'ipmitool is not installed (scripts/ensure-ipmi-peers.sh); with CI=true this fails',
  };
}

describe('commands against ipmi_sim', suiteOptions(), () => {
  let sim: IpmiSim;
  let dir: string;

  async function ipmitool(...args: string[]): Promise<string> {
    const { stdout } = await run('ipmitool', [
      '-I',
      'lanplus',
      '-C',
      '3',
      '-H',
      sim.host,
      '-p',
      String(sim.port),
      '-U',
      sim.username,
      '-P',
      sim.password,
      ...args,
    ]);
    return stdout;
  }

  const raw = async (...args: number[]): Promise<Uint8Array> =>
    bytes(await ipmitool('raw', ...args.map((a) => `0x${a.toString(16)}`)));

  before(async () => {
    sim = await startIpmiSim({ powerOn: true });
    dir = mkdtempSync(join(tmpdir(), 'ferrite-sdr-dump-'));
  });

  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes Get Device ID, Get Chassis Status and boot parameter 5', async () => {
    const id = decodeDeviceId(await raw(0x06, 0x01));
    assert.deepEqual([id.manufacturerId, id.productId, id.ipmiVersion], [0x1291, 0x0f02, '2.0']);
    assert.equal(decodeChassisStatus(await raw(0x00, 0x01)).powerOn, true);
    sim.setPower(false);
    assert.equal(decodeChassisStatus(await raw(0x00, 0x01)).powerOn, false);
    await ipmitool('chassis', 'bootdev', 'cdrom');
    const flags = decodeBootFlags((await raw(0x00, 0x09, 0x05, 0, 0)).subarray(2));
    assert.equal(flags.device, 'cdrom');
  });

  it('reads records piecewise like a whole-record dump', async () => {
    await ipmitool('sdr', 'dump', join(dir, 'sdr.bin'));
    const dump = splitSdrDump(new Uint8Array(readFileSync(join(dir, 'sdr.bin'))));
    const reservation = await raw(0x0a, 0x22);
    const second = dump[1] ?? new Uint8Array();
    const id = [second[0] ?? 0, second[1] ?? 0];
    const piece = decodeSdrChunk(
      await raw(0x0a, 0x23, reservation[0] ?? 0, reservation[1] ?? 0, ...id, 5, 16),
      16,
    );
    assert.deepEqual(piece.data, second.subarray(5, 21));
  });

  it('gives, for an EmulatedBmc configured like ipmi_sim, what `ipmitool sdr -v` shows', async () => {
    await ipmitool('sdr', 'dump', join(dir, 'sdr.bin'));
    const records = splitSdrDump(new Uint8Array(readFileSync(join(dir, 'sdr.bin')))).flatMap(
      (r): SensorRecord[] => {
        const record = decodeSensorRecord(r);
        return record ? [record] : [];
      },
    );
    assert.equal(records.length, 4);
    const readings: Record<string, string> = {};
    for (const record of records) {
      readings[String(record.sensorNumber)] = await ipmitool(
        'raw',
        '0x04',
        '0x2d',
        String(record.sensorNumber),
      );
    }
    const data = await readSensors(new BmcChannel(bmcLike(records, readings)));
    const shown = parseSdrVerbose(await ipmitool('sdr', '-v'));
    assert.equal(shown.length, 4);
    for (const sensor of shown) {
      delete sensor['Event Enable'];
      const typeLine = sensor['Sensor Type (Threshold)'] ?? sensor['Sensor Type (Discrete)'] ?? '';
      const group = typeLine.split(' ', 1)[0] ?? '';
      assert.deepEqual(data[group]?.[sensor['Sensor ID'] ?? ''], sensor, sensor['Sensor ID']);
    }
  });
});
