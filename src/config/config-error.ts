/** A setting that cannot be used: the message names the setting and where it came from. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** How a refused value is quoted in a message; settings that may hold secrets are not. */
export function quote(value: unknown, secret: boolean | undefined): string {
  if (secret) return '(value not shown)';
  if (value instanceof Date || typeof value !== 'object' || value === null) {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  }
  return JSON.stringify(value);
}
