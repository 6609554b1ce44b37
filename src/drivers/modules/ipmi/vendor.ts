import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { VendorBase } from '../../interfaces/vendor.ts';
import { passthru } from '../../passthru.ts';
import type { Task } from '../../task.ts';
import { booleanOf, describeDriverInfo } from '../../driver-info.ts';
import { IPMI_DRIVER_INFO, ipmiNodeInfo } from './driver-info.ts';
import { ipmiCall } from './failures.ts';
import { nodeBmc } from './shared-client.ts';

/** "0x06 0x01" or "6 1": network function, command, then data bytes. */
export function parseRawBytes(value: unknown): number[] {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FerriteError('MissingParameterValue', {
      err: "Parameter raw_bytes (string of bytes, e.g. '0x00 0x01') is missing.",
    });
  }
  const bytes = value
    .trim()
    .split(/[\s,]+/)
    .map((word) => {
      const byte = /^0x[0-9a-f]{1,2}$/i.test(word)
        ? Number.parseInt(word.slice(2), 16)
        : /^\d{1,3}$/.test(word)
          ? Number(word)
          : Number.NaN;
      if (!(byte >= 0 && byte <= 0xff)) {
        throw new FerriteError('InvalidParameterValue', {
          err: `raw_bytes: "${word}" is not a byte (write 0x00 to 0xff).`,
        });
      }
      return byte;
    });
  if (bytes.length < 2) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'raw_bytes needs at least a network function and a command.',
    });
  }
  return bytes;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Ironic's ipmitool vendor methods on Ferrite's client: raw requests to the
 * BMC (send_raw) and resetting the BMC itself (bmc_reset).
 */
export class IpmiVendor extends VendorBase {
  readonly #env: DriverEnvironment;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(IPMI_DRIVER_INFO);
  }

  override async validate(task: Task, method?: string, args: JsonObject = {}): Promise<void> {
    ipmiNodeInfo(task);
    if (method === 'send_raw') parseRawBytes(args['raw_bytes']);
    if (method === 'bmc_reset' && args['warm'] !== undefined) booleanOf(args['warm'], 'warm');
  }

  @passthru(['POST'], {
    async: false,
    description:
      "Send raw bytes to the BMC. Required argument 'raw_bytes': the network function, the command and the data, e.g. '0x06 0x01'. Answers the completion code and the data bytes.",
  })
  async sendRaw(task: Task, args: JsonObject): Promise<JsonObject> {
    const [netFn = 0, command = 0, ...data] = parseRawBytes(args['raw_bytes']);
    const bmc = nodeBmc(this.#env, task);
    const response = await ipmiCall(task, 'send raw bytes', () =>
      bmc.channel.request({ netFn, command, data: Uint8Array.from(data) }, task.signal),
    );
    return {
      completion_code: hex(response.completionCode),
      data: [...response.data].map(hex).join(' '),
    };
  }

  @passthru(['POST'], {
    description:
      "Reset the BMC. Optional argument 'warm' (default true): a warm reset keeps the BMC's configuration, a cold one restarts it.",
  })
  async bmcReset(task: Task, args: JsonObject): Promise<undefined> {
    const warm = args['warm'] === undefined ? true : booleanOf(args['warm'], 'warm');
    const bmc = nodeBmc(this.#env, task);
    // Application netFn: 0x02 cold reset, 0x03 warm reset.
    const response = await ipmiCall(task, `${warm ? 'warm' : 'cold'} BMC reset`, () =>
      bmc.channel.request({ netFn: 0x06, command: warm ? 0x03 : 0x02 }, task.signal),
    );
    if (response.completionCode !== 0) {
      throw new FerriteError('IPMIFailure', {
        cmd: `${warm ? 'warm' : 'cold'} BMC reset on node ${task.node.uuid}: completion code ${hex(response.completionCode)}`,
      });
    }
    return undefined;
  }
}
