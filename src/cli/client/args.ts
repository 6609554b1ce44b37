import { readFileSync } from 'node:fs';
import { UsageError } from './errors.ts';

/**
 * A value given as `k=v`: JSON when it parses as JSON (`cpus=4` is a number,
 * `caps={"a":1}` an object), the text otherwise, as python-ironicclient does.
 * `literal` keeps every value text (BMC passwords and the like).
 */
export function parsePair(pair: string, flag: string, literal = false): readonly [string, unknown] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new UsageError(`--${flag} wants KEY=VALUE, got "${pair}"`);
  const key = pair.slice(0, at);
  const text = pair.slice(at + 1);
  if (literal && !/^[[{]/.test(text)) return [key, text];
  try {
    return [key, JSON.parse(text) as unknown];
  } catch {
    return [key, text];
  }
}

/** Every `--flag k=v` as one object. */
export function parsePairs(
  pairs: readonly string[],
  flag: string,
  literal = false,
): Record<string, unknown> {
  return Object.fromEntries(pairs.map((p) => parsePair(p, flag, literal)));
}

/** `true`/`false` (also yes/no, 1/0) for a flag that takes one. */
export function parseBool(text: string, flag: string): boolean {
  const lower = text.toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(lower)) return true;
  if (['false', 'no', '0', 'off'].includes(lower)) return false;
  throw new UsageError(`--${flag} wants true or false, not "${text}"`);
}

/** Seconds as a non-negative number. */
export function parseSeconds(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${flag} wants seconds, not "${text}"`);
  }
  return value;
}

/** The text of `-` (standard input), `@FILE`, or the argument itself. */
export function argumentText(text: string): string {
  if (text === '-') return readFileSync(0, 'utf8');
  if (text.startsWith('@')) return readFileSync(text.slice(1), 'utf8');
  return text;
}

/** A JSON argument given inline, as `@FILE`, or `-` for standard input. */
export function parseJsonArgument(text: string, flag: string): unknown {
  const source = argumentText(text);
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new UsageError(`--${flag} is not JSON: ${(error as Error).message}`);
  }
}

/** A key as one segment of a JSON pointer (JSON patch paths), `~` and `/` escaped. */
export function jsonPointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
