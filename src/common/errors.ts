import { ERROR_CATALOGUE } from './error-catalogue.ts';
import type { ErrorSpec } from './error-catalogue.ts';

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

type TemplateOf<C extends ErrorCode> = (typeof ERROR_CATALOGUE)[C]['message'];
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;
type ParamValue = string | number | boolean | null | undefined | readonly unknown[];

/** The values an error's message template needs, derived from the template itself. */
export type ErrorParams<C extends ErrorCode> = {
  [K in Placeholders<TemplateOf<C>>]: ParamValue;
};

type ErrorArgs<C extends ErrorCode> = [keyof ErrorParams<C>] extends [never]
  ? [params?: Record<string, never>, options?: ErrorOptions]
  : [params: ErrorParams<C>, options?: ErrorOptions];

function format(template: string, params: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (Array.isArray(value)) return value.map(String).join(', ');
    return String(value);
  });
}

function spec(code: ErrorCode): ErrorSpec {
  return ERROR_CATALOGUE[code];
}

/**
 * Every failure Ferrite reports carries a code from the catalogue, the HTTP
 * status the API answers with, and whether retrying the same request may
 * succeed. The API maps it to Ironic's error body in one place.
 */
export class FerriteError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly retryable: boolean;
  readonly params: Readonly<Record<string, unknown>>;

  constructor(code: C, ...[params, options]: ErrorArgs<C>) {
    const values: Readonly<Record<string, unknown>> = params ?? {};
    super(format(spec(code).message, values), options);
    this.name = code;
    this.code = code;
    this.status = spec(code).status;
    this.retryable = spec(code).retryable ?? false;
    this.params = values;
  }

  /** True when this error is `code` or a specialisation of it (MissingParameterValue is an InvalidParameterValue). */
  is(code: ErrorCode): boolean {
    return isA(this.code, code);
  }
}

/** Whether `code` is `ancestor` or derives from it in the catalogue. */
export function isA(code: ErrorCode, ancestor: ErrorCode): boolean {
  let current: ErrorCode | undefined = code;
  while (current) {
    if (current === ancestor) return true;
    current = spec(current).parent as ErrorCode | undefined;
  }
  return false;
}

/** Narrowing test for catch blocks: `if (isFerriteError(e, 'NodeLocked')) …`. */
export function isFerriteError(error: unknown, code?: ErrorCode): error is FerriteError {
  if (!(error instanceof FerriteError)) return false;
  return code === undefined || error.is(code);
}

/** The catalogue's spec for a code: status, retryability, parent and template. */
export function errorSpec(code: ErrorCode): ErrorSpec {
  return spec(code);
}

export function errorCodes(): ErrorCode[] {
  return Object.keys(ERROR_CATALOGUE) as ErrorCode[];
}
