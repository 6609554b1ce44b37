import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError, quote } from './config-error.ts';
import type { SettingValue } from './kinds.ts';
import { SETTINGS } from './settings.ts';
import type { SectionName, Setting } from './settings.ts';

/** A setting read from the file, with its section and key. */
export interface FileSetting {
  readonly section: SectionName;
  readonly key: string;
  readonly value: SettingValue;
}

function isSection(name: string): name is SectionName {
  return Object.hasOwn(SETTINGS, name);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

const SECTION_LIST = Object.keys(SETTINGS)
  .map((name) => `[${name}]`)
  .join(', ');

/**
 * Reads a `ferrite serve` TOML file. Everything in it must be known and
 * well typed: a misspelt key is an error, never silently ignored, since
 * an operator who wrote it expected it to take effect.
 */
export function readConfigFile(path: string): FileSetting[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let document: Record<string, unknown>;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0] ?? error.message;
      throw new ConfigError(
        `${path} is not valid TOML (line ${error.line}, column ${error.column}): ${first}`,
      );
    }
    throw error;
  }
  const settings: FileSetting[] = [];
  for (const [section, table] of Object.entries(document)) {
    if (!isSection(section)) {
      throw new ConfigError(
        isTable(table)
          ? `${path}: unknown section [${section}]; the sections are ${SECTION_LIST}`
          : `${path}: "${section}" is outside any section; settings belong in ${SECTION_LIST}`,
      );
    }
    if (!isTable(table)) {
      throw new ConfigError(`${path}: ${section} must be a section ([${section}]), not a value`);
    }
    const known: Readonly<Record<string, Setting<SettingValue>>> = SETTINGS[section];
    for (const [key, raw] of Object.entries(table)) {
      const setting = Object.hasOwn(known, key) ? known[key] : undefined;
      if (!setting) {
        throw new ConfigError(
          `${path}: unknown setting "${key}" in [${section}]; the settings there are ${Object.keys(known).join(', ')}`,
        );
      }
      const value = setting.kind.fromToml(raw);
      if (value === undefined) {
        throw new ConfigError(
          `${path}: [${section}] ${key} must be ${setting.kind.expected}, not ${quote(raw, setting.secret)}`,
        );
      }
      settings.push({
        section,
        key,
        // A relative path in a file means relative to that file, wherever Ferrite runs from.
        value:
          setting.path && typeof value === 'string' && !isAbsolute(value)
            ? resolve(dirname(path), value)
            : value,
      });
    }
  }
  return settings;
}
