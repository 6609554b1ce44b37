/**
 * Starting SOL on a channel of its own: Activate Payload (SOL, instance 1,
 * encrypted and authenticated) in a fresh RMCP+ session, a check that the
 * BMC wants SOL on the session's UDP port, and the SolSession on top.
 */
import { AppCommand, NetFn, PayloadType } from '../protocol/constants.ts';
import {
  ActivatePayloadCompletion,
  activateSolRequest,
  deactivatePayloadRequest,
  DeactivatePayloadCompletion,
  decodeActivatePayloadResponse,
} from '../protocol/sol.ts';
import type { BmcTarget, IpmiResponse } from '../types.ts';
import { IpmiError, IpmiErrorKind } from '../types.ts';
import type { BmcChannel } from './bmc-channel.ts';
import type { SolSession } from './sol-session.ts';
import { ActiveSolSession } from './sol-session.ts';

export interface OpenSolOptions {
  readonly signal?: AbortSignal;
  /**
   * When the BMC says SOL is already active (on another session, perhaps a
   * stale one), deactivate it first and take over, as `ipmitool sol
   * deactivate` followed by `sol activate` would.
   */
  readonly force?: boolean;
}

const ACTIVATE = {
  netFn: NetFn.APP,
  command: AppCommand.ACTIVATE_PAYLOAD,
  data: activateSolRequest(),
};
const DEACTIVATE = {
  netFn: NetFn.APP,
  command: AppCommand.DEACTIVATE_PAYLOAD,
  data: deactivatePayloadRequest(PayloadType.SOL),
};

function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

function refusal(label: string, response: IpmiResponse): IpmiError {
  const code = response.completionCode;
  const why: Record<number, string> = {
    [ActivatePayloadCompletion.ALREADY_ACTIVE]:
      'SOL is already active on another session (end it with `ipmitool … sol deactivate`, or open with force)',
    [ActivatePayloadCompletion.TYPE_DISABLED]: 'SOL is disabled on this BMC',
    [ActivatePayloadCompletion.ACTIVATION_LIMIT]: 'the BMC allows no more SOL sessions',
    [ActivatePayloadCompletion.CANNOT_ENCRYPT]: 'the BMC cannot encrypt SOL',
    [ActivatePayloadCompletion.MUST_ENCRYPT]: 'the BMC wants SOL encrypted',
  };
  return new IpmiError(
    code === ActivatePayloadCompletion.ALREADY_ACTIVE
      ? IpmiErrorKind.SESSION
      : IpmiErrorKind.COMPLETION_CODE,
    `${label} refused to activate SOL: ${why[code] ?? 'Activate Payload failed'} (completion code ${hex(code)})`,
    code,
  );
}

/**
 * Activates SOL on `channel`, a channel no one else uses. Closes the
 * channel's session when activation fails.
 */
export async function openSolOnChannel(
  channel: BmcChannel,
  target: BmcTarget,
  settings: { readonly timeoutMs: number; readonly retries: number },
  options: OpenSolOptions,
): Promise<SolSession> {
  // Packets may overtake the Activate Payload answer: keep them for the session.
  let session: ActiveSolSession | undefined;
  const early: Buffer[] = [];
  const state = { lost: false };
  channel.receiveSol({
    packet: (payload) => (session === undefined ? early.push(payload) : session.receive(payload)),
    sessionLost: () => (session === undefined ? (state.lost = true) : session.sessionLost()),
  });
  try {
    let response = await channel.request(ACTIVATE, options.signal);
    if (response.completionCode === ActivatePayloadCompletion.ALREADY_ACTIVE && options.force) {
      const deactivated = await channel.requestInSession(DEACTIVATE, options.signal);
      const code = deactivated.completionCode;
      if (code !== 0 && code !== DeactivatePayloadCompletion.ALREADY_DEACTIVATED) {
        throw new IpmiError(
          IpmiErrorKind.COMPLETION_CODE,
          `${channel.label} refused to deactivate the SOL payload active elsewhere (completion code ${hex(code)})`,
          code,
        );
      }
      response = await channel.requestInSession(ACTIVATE, options.signal);
    }
    if (response.completionCode !== 0) throw refusal(channel.label, response);
    const answer = decodeActivatePayloadResponse(response.data);
    // Some BMCs send the port big-endian; ipmitool accepts that too.
    const swapped = ((answer.port & 0xff) << 8) | (answer.port >> 8);
    if (answer.port !== target.port && swapped !== target.port) {
      await channel.requestInSession(DEACTIVATE).catch(() => undefined);
      throw new IpmiError(
        IpmiErrorKind.PROTOCOL,
        `${channel.label} wants SOL on UDP port ${String(answer.port)}; Ferrite sends SOL on the session's port only (${String(target.port)})`,
      );
    }
    session = new ActiveSolSession(
      {
        label: channel.label,
        send: (payload) => channel.sendSol(payload),
        deactivate: async () => {
          await channel.requestInSession(DEACTIVATE);
        },
        closeSession: () => channel.close(),
      },
      {
        retryMs: settings.timeoutMs,
        retries: settings.retries,
        inboundPayloadSize: answer.inboundPayloadSize,
      },
    );
    for (const payload of early.splice(0)) session.receive(payload);
    if (state.lost) session.sessionLost();
    return session;
  } catch (error) {
    await channel.close();
    throw error;
  }
}
