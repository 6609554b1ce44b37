import { CONFIG_ENV } from './serve-config.ts';
import { allSettings } from './settings.ts';

function columns(rows: readonly (readonly [string, string])[], indent: string): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`).join('\n');
}

/** `ferrite serve --help`, written from the settings table so it never falls behind it. */
export function serveHelp(): string {
  const settings = allSettings();
  const flags: [string, string][] = [
    ['--config FILE', `TOML config file (${CONFIG_ENV})`],
    ...settings.flatMap(({ section, key, setting }): [string, string][] =>
      setting.flag === undefined
        ? []
        : [[`--${setting.flag} ${setting.metavar ?? 'VALUE'}`, `[${section}] ${key}`]],
    ),
    ['--help', 'this text'],
  ];
  const sections = [...new Set(settings.map((s) => s.section))].map((section) => {
    const entries = settings
      .filter((s) => s.section === section)
      .map(({ key, setting }) => {
        const shown = setting.shown === undefined ? '' : ` (default ${setting.shown})`;
        return `    ${key}  ${setting.env}\n        ${setting.help}${shown}`;
      });
    return `  [${section}]\n${entries.join('\n')}`;
  });
  return `Usage: ferrite serve [--config FILE] [options]

Runs the /v1 API and the conductor in one process. Settings come from the
command line, then environment variables, then the config file, then the
defaults. Durations are in seconds.

Options:
${columns(flags, '  ')}

Config file settings, by section, with their environment variables:
${sections.join('\n')}
`;
}
