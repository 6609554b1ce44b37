import type { JsonObject } from '../../common/json.ts';
import { isJsonObject } from '../../common/json.ts';
import { AgentCommandError } from '../command-runner.ts';

/** A parameter that must be an object, refused with 400 otherwise (IPA's InvalidCommandParamsError). */
export function objectParam(params: JsonObject, name: string): JsonObject {
  const value = params[name];
  if (!isJsonObject(value)) {
    throw new AgentCommandError(
      `Invalid command parameters: ${name} must be an object`,
      'InvalidCommandParamsError',
      400,
    );
  }
  return value;
}

/** An optional object parameter. */
export function optionalObjectParam(params: JsonObject, name: string): JsonObject | undefined {
  return params[name] === undefined || params[name] === null
    ? undefined
    : objectParam(params, name);
}
