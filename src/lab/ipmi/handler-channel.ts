/**
 * An IpmiChannel straight to a command handler, without sessions or UDP:
 * command code is tested against the emulated BMC through it. It behaves
 * like the LAN path where that matters to commands: the request data is
 * copied, a throwing handler answers 0xFF (what the session server sends),
 * and an aborted signal rejects with kind 'aborted'.
 */
import type {
  IpmiChannel,
  IpmiCommandHandler,
  IpmiRequest,
  IpmiResponse,
} from '../../drivers/modules/ipmi/types.ts';
import { IpmiError, IpmiErrorKind } from '../../drivers/modules/ipmi/types.ts';

const UNSPECIFIED_ERROR = 0xff;

export function handlerChannel(handler: IpmiCommandHandler): IpmiChannel {
  return {
    async request(request: IpmiRequest, signal?: AbortSignal): Promise<IpmiResponse> {
      // A function, so that the check after the await is not narrowed away.
      const isAborted = (): boolean => signal?.aborted === true;
      const aborted = (): IpmiError =>
        new IpmiError(IpmiErrorKind.ABORTED, 'IPMI request to the in-memory BMC aborted');
      if (isAborted()) throw aborted();
      let response: IpmiResponse;
      try {
        response = await handler({
          netFn: request.netFn,
          command: request.command,
          data: Uint8Array.from(request.data ?? []),
          lun: request.lun ?? 0,
        });
      } catch {
        response = { completionCode: UNSPECIFIED_ERROR, data: new Uint8Array(0) };
      }
      if (isAborted()) throw aborted();
      return {
        completionCode: response.completionCode & 0xff,
        data: Uint8Array.from(response.data),
      };
    },
  };
}
