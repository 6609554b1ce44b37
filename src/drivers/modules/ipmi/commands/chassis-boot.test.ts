import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmulatedBmc } from '../../../../lab/ipmi/bmc.ts';
import type { ChassisControlEvent } from '../../../../lab/ipmi/bmc.ts';
import { IpmiError } from '../types.ts';
import {
  BootParameter,
  decodeBootFlags,
  disableBootFlagTimeout,
  encodeBootFlags,
  getBootFlags,
  getBootOption,
  setBootFlags,
  setBootOption,
} from './boot-options.ts';
import type { BootSelector } from './boot-options.ts';
import { ChassisAction, chassisControl, decodeChassisStatus, getChassisStatus } from './chassis.ts';
import { decodeDeviceId, getDeviceId } from './device-id.ts';
import { completionCodeName } from './exchange.ts';
import { BmcChannel, bytes, captures, fixedChannel } from './testdata/support.ts';

function rig(powerOn = false): { bmc: EmulatedBmc; channel: BmcChannel } {
  const bmc = new EmulatedBmc({ powerOn });
  return { bmc, channel: new BmcChannel(bmc) };
}

async function rejectsWith(
  promise: Promise<unknown>,
  kind: string,
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof IpmiError, String(error));
    assert.equal(error.kind, kind);
    assert.match(error.message, message);
    return true;
  });
}

describe('chassis commands', () => {
  it('powers on, off, cycles and resets, reported by Get Chassis Status', async () => {
    const { bmc, channel } = rig();
    const events: ChassisControlEvent[] = [];
    bmc.onChassisControl = (event) => events.push(event);
    assert.equal((await getChassisStatus(channel)).powerOn, false);
    await chassisControl(channel, ChassisAction.POWER_UP);
    assert.equal((await getChassisStatus(channel)).powerOn, true);
    await chassisControl(channel, ChassisAction.POWER_CYCLE);
    await chassisControl(channel, ChassisAction.HARD_RESET);
    await chassisControl(channel, ChassisAction.SOFT_SHUTDOWN);
    assert.equal((await getChassisStatus(channel)).powerOn, false);
    await chassisControl(channel, ChassisAction.POWER_UP);
    await chassisControl(channel, ChassisAction.POWER_DOWN);
    assert.equal(bmc.powerOn, false);
    assert.deepEqual(bmc.chassisLog, [1, 2, 3, 5, 1, 0]);
    assert.deepEqual(
      events.map((e) => [e.action, e.powerOn, e.bootFlags !== undefined]),
      [
        [1, true, true],
        [2, true, true],
        [3, true, true],
        [5, false, false],
        [1, true, true],
        [0, false, false],
      ],
    );
  });

  it('counts diagnostic interrupts, and refuses them and resets while off', async () => {
    const { bmc, channel } = rig(true);
    await chassisControl(channel, ChassisAction.DIAGNOSTIC_INTERRUPT);
    assert.equal(bmc.nmiCount, 1);
    bmc.powerOn = false;
    await rejectsWith(
      chassisControl(channel, ChassisAction.DIAGNOSTIC_INTERRUPT),
      'completion-code',
      /^chassis control: completion code 0xD5 \(command not supported in present state\)$/,
    );
    await rejectsWith(chassisControl(channel, ChassisAction.HARD_RESET), 'completion-code', /0xD5/);
    assert.equal(bmc.nmiCount, 1);
  });

  it('decodes the chassis status ipmi_sim sends', () => {
    assert.equal(decodeChassisStatus(bytes(captures.chassisStatusOn)).powerOn, true);
    const off = decodeChassisStatus(bytes(captures.chassisStatusOff));
    assert.equal(off.powerOn, false);
    assert.equal(off.powerRestorePolicy, 'always-off');
    const busy = decodeChassisStatus(Uint8Array.of(0x5f, 0x1f, 0x0f, 0x00));
    assert.deepEqual(
      [busy.powerOverload, busy.interlock, busy.powerFault, busy.powerControlFault],
      [true, true, true, true],
    );
    assert.equal(busy.powerRestorePolicy, 'always-on');
    assert.equal(busy.lastPowerEvent.powerOnByIpmi, true);
    assert.equal(busy.intrusion && busy.coolingFault, true);
  });

  it('names completion codes and refuses short answers as protocol errors', async () => {
    await rejectsWith(
      getChassisStatus(fixedChannel({ completionCode: 0xc1, data: new Uint8Array() })),
      'completion-code',
      /^get chassis status: completion code 0xC1 \(invalid command\)$/,
    );
    await rejectsWith(
      getChassisStatus(fixedChannel({ completionCode: 0, data: Uint8Array.of(1) })),
      'protocol',
      /get chassis status: answer of 1 bytes/,
    );
    assert.equal(completionCodeName(0xc5), 'reservation cancelled or invalid');
    assert.equal(completionCodeName(0x81), 'command-specific code');
  });

  it('passes a completion code from failNextCommands through, then works again', async () => {
    const { bmc, channel } = rig();
    bmc.failNextCommands(1, 0xc0);
    await assert.rejects(getChassisStatus(channel), (e: unknown) => {
      return e instanceof IpmiError && e.completionCode === 0xc0;
    });
    assert.equal((await getChassisStatus(channel)).powerOn, false);
  });
});

describe('boot options', () => {
  const selectors: BootSelector[] = [
    'none',
    'pxe',
    'disk',
    'safe',
    'diag',
    'cdrom',
    'bios',
    'floppy',
  ];

  it('round-trips every device with persistent and EFI flags, all five bytes kept', async () => {
    const { bmc, channel } = rig();
    for (const device of selectors) {
      for (const persistent of [false, true]) {
        for (const efi of [false, true]) {
          await setBootFlags(channel, { device, persistent, efi });
          const flags = await getBootFlags(channel);
          assert.deepEqual(
            {
              device: flags.device,
              persistent: flags.persistent,
              efi: flags.efi,
              valid: flags.valid,
            },
            { device, persistent, efi, valid: true },
          );
          assert.deepEqual(flags.raw, encodeBootFlags({ device, persistent, efi }));
          assert.deepEqual(bmc.bootOption(BootParameter.BOOT_FLAGS), flags.raw);
        }
      }
    }
  });

  it('sends the bytes Ironic sends for a persistent UEFI PXE boot', async () => {
    const { channel } = rig();
    await setBootFlags(channel, { device: 'pxe', persistent: true, efi: true });
    const sent = channel.requests.at(-1);
    assert.deepEqual([sent?.netFn, sent?.command], [0x00, 0x08]);
    // Ironic: raw 0x00 0x08 0x05 0xe0 0x04 0x00 0x00 0x00
    assert.deepEqual(sent?.data, Uint8Array.of(0x05, 0xe0, 0x04, 0, 0, 0));
  });

  it('clears the valid bit of one-time flags when the host boots, keeps persistent ones', async () => {
    const { bmc, channel } = rig();
    await setBootFlags(channel, { device: 'cdrom', persistent: false, efi: true });
    await chassisControl(channel, ChassisAction.POWER_UP);
    assert.deepEqual(bmc.lastBootFlags, Uint8Array.of(0xa0, 0x14, 0, 0, 0));
    const after = await getBootFlags(channel);
    assert.deepEqual([after.valid, after.device, after.efi], [false, 'cdrom', true]);
    await setBootFlags(channel, { device: 'disk', persistent: true, efi: false });
    await chassisControl(channel, ChassisAction.POWER_CYCLE);
    assert.equal((await getBootFlags(channel)).valid, true);
  });

  it('sends raw 0x00 0x08 0x03 0x08 to disable the flag timeout, kept as parameter 3', async () => {
    const { bmc, channel } = rig();
    await disableBootFlagTimeout(channel);
    assert.deepEqual(channel.requests.at(-1)?.data, Uint8Array.of(0x03, 0x08));
    assert.deepEqual(bmc.bootOption(3), Uint8Array.of(0x08));
    assert.deepEqual(await getBootOption(channel, 3), Uint8Array.of(0x08));
  });

  it('handles set-in-progress and boot info acknowledge like the spec', async () => {
    const { channel } = rig();
    await setBootOption(channel, BootParameter.SET_IN_PROGRESS, Uint8Array.of(1));
    await rejectsWith(
      setBootOption(channel, BootParameter.SET_IN_PROGRESS, Uint8Array.of(1)),
      'completion-code',
      /0x81/,
    );
    await setBootOption(channel, BootParameter.SET_IN_PROGRESS, Uint8Array.of(0));
    assert.deepEqual(await getBootOption(channel, 0), Uint8Array.of(0));
    await setBootOption(channel, BootParameter.BOOT_INFO_ACKNOWLEDGE, Uint8Array.of(0x03, 0x01));
    await setBootOption(channel, BootParameter.BOOT_INFO_ACKNOWLEDGE, Uint8Array.of(0x04, 0xff));
    assert.deepEqual(await getBootOption(channel, 4), Uint8Array.of(0x00, 0x05));
    await rejectsWith(getBootOption(channel, 7), 'completion-code', /0x80/);
    await rejectsWith(setBootOption(channel, 5, Uint8Array.of(0x80)), 'completion-code', /0xC7/);
  });

  it('decodes parameter 5 as ipmi_sim returns it', () => {
    const initial = bytes(captures.bootOptionsParam5Initial).subarray(2);
    assert.deepEqual(decodeBootFlags(initial), {
      device: 'none',
      persistent: false,
      efi: false,
      valid: false,
      raw: initial.slice(),
    });
    // ipmi_sim keeps only the selector of `chassis bootdev pxe options=persistent,efiboot`.
    const pxe = decodeBootFlags(bytes(captures.bootOptionsParam5AfterPxe).subarray(2));
    assert.deepEqual([pxe.device, pxe.persistent, pxe.efi], ['pxe', false, false]);
    // Selector 7: remote floppy, not a BootSelector.
    assert.equal(decodeBootFlags(Uint8Array.of(0x80, 0x1c, 0, 0, 0)).device, undefined);
  });

  it('refuses an answer for another parameter', async () => {
    const channel = fixedChannel({ completionCode: 0, data: Uint8Array.of(1, 4, 0, 0) });
    await rejectsWith(getBootFlags(channel), 'protocol', /answer for parameter 4/);
  });
});

describe('get device id', () => {
  it('decodes what ipmi_sim answers', () => {
    const id = decodeDeviceId(bytes(captures.getDeviceId));
    assert.deepEqual(
      {
        deviceId: id.deviceId,
        deviceRevision: id.deviceRevision,
        firmware: id.firmware,
        ipmiVersion: id.ipmiVersion,
        manufacturerId: id.manufacturerId,
        productId: id.productId,
        support: id.additionalDeviceSupport,
      },
      {
        deviceId: 0,
        deviceRevision: 3,
        firmware: '9.08',
        ipmiVersion: '2.0',
        manufacturerId: 0x1291,
        productId: 0x0f02,
        support: 0x9f,
      },
    );
    assert.deepEqual(id.auxFirmware, Uint8Array.of(0, 0, 0, 0));
  });

  it('reads the emulated BMC identity', async () => {
    const bmc = new EmulatedBmc({ deviceId: { manufacturerId: 0x2a7c, productId: 0x1234 } });
    const id = await getDeviceId(new BmcChannel(bmc));
    assert.deepEqual(
      [id.firmware, id.ipmiVersion, id.manufacturerId, id.productId],
      ['2.10', '2.0', 0x2a7c, 0x1234],
    );
  });

  it('answers Get Self Test Results with 55h and unknown commands with 0xC1', () => {
    const bmc = new EmulatedBmc();
    assert.deepEqual(bmc.handle({ netFn: 0x06, command: 0x04 }), {
      completionCode: 0,
      data: Uint8Array.of(0x55, 0x00),
    });
    assert.equal(bmc.handle({ netFn: 0x06, command: 0x99 }).completionCode, 0xc1);
    assert.equal(bmc.handle({ netFn: 0x2c, command: 0x01 }).completionCode, 0xc1);
    assert.equal(
      bmc.handle({ netFn: 0x06, command: 0x01, data: Uint8Array.of(1) }).completionCode,
      0xc7,
    );
  });
});
