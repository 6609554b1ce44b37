/** A setting's value once read: what TOML, the environment and flags can all express. */
export type SettingValue = string | number | boolean;

/**
 * What a setting accepts. The same setting arrives as a TOML value from the
 * file and as text from the environment or the command line; both are
 * checked against one rule so every source refuses the same things.
 */
export interface Kind<T extends SettingValue> {
  /** What a valid value looks like, for error messages ("an integer from 0 to 65535"). */
  readonly expected: string;
  /** The value from a TOML file, or undefined when it is not acceptable. */
  fromToml(value: unknown): T | undefined;
  /** The value from an environment variable or a flag, or undefined when it is not acceptable. */
  fromText(text: string): T | undefined;
}

export const text: Kind<string> = {
  expected: 'a string',
  fromToml: (value) => (typeof value === 'string' ? value : undefined),
  fromText: (value) => value,
};

/** A string that must not be empty: names, paths, URLs. */
export const nonEmptyText: Kind<string> = {
  expected: 'a non-empty string',
  fromToml: (value) => (typeof value === 'string' && value !== '' ? value : undefined),
  fromText: (value) => (value === '' ? undefined : value),
};

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Kind<number> {
  const accept = (n: number): number | undefined =>
    Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
  return {
    expected:
      max === Number.MAX_SAFE_INTEGER
        ? `an integer of at least ${min}`
        : `an integer from ${min} to ${max}`,
    fromToml: (value) => (typeof value === 'number' ? accept(value) : undefined),
    fromText: (value) => (/^-?\d+$/.test(value.trim()) ? accept(Number(value)) : undefined),
  };
}

/** A duration in seconds, as Ironic's options are written; fractions are allowed. */
export function seconds(min: number): Kind<number> {
  const accept = (n: number): number | undefined =>
    Number.isFinite(n) && n >= min ? n : undefined;
  return {
    expected: `a number of seconds of at least ${min}`,
    fromToml: (value) => (typeof value === 'number' ? accept(value) : undefined),
    fromText: (value) => (/^\d+(\.\d+)?$/.test(value.trim()) ? accept(Number(value)) : undefined),
  };
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export const boolean: Kind<boolean> = {
  expected: 'true or false',
  fromToml: (value) => (typeof value === 'boolean' ? value : undefined),
  fromText: (value) => {
    const lower = value.trim().toLowerCase();
    if (TRUE.includes(lower)) return true;
    if (FALSE.includes(lower)) return false;
    return undefined;
  },
};

export function oneOf<const V extends string>(values: readonly V[]): Kind<V> {
  const accept = (value: unknown): V | undefined => values.find((candidate) => candidate === value);
  return {
    expected: `one of ${values.join(', ')}`,
    fromToml: accept,
    fromText: accept,
  };
}

/** A range of ports, "MIN-MAX" (Ironic's [console] port_range). */
export const portRange: Kind<string> = {
  expected: 'a port range MIN-MAX within 1-65535, e.g. "10000-10100"',
  fromToml: (value) => (typeof value === 'string' ? portRange.fromText(value) : undefined),
  fromText: (value) => {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(value);
    const min = Number(match?.[1]);
    const max = Number(match?.[2]);
    return match !== null && min >= 1 && max <= 65535 && min <= max
      ? `${String(min)}-${String(max)}`
      : undefined;
  },
};
