import type { ClientOptions } from './http.ts';

/** The service a client talks to when nothing names one: `ferrite serve`'s default. */
export const DEFAULT_URL = 'http://127.0.0.1:6385';

/** Options every API command takes, before or after its action. */
export const GLOBAL_FLAGS = {
  url: { type: 'string' },
  'os-baremetal-api-version': { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  cacert: { type: 'string' },
  insecure: { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The global flags that take a value: skipped when looking for the action's name. */
export const GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set(
  Object.entries(GLOBAL_FLAGS)
    .filter(([, spec]) => spec.type === 'string')
    .flatMap(([name, spec]) => ('short' in spec ? [`-${spec.short}`, `--${name}`] : [`--${name}`])),
);

export const GLOBAL_HELP = `
Global options:
  --url URL          the API (default: $FERRITE_URL, $OS_BAREMETAL_ENDPOINT_OVERRIDE,
                     $OS_ENDPOINT, $IRONIC_URL, then ${DEFAULT_URL})
  --os-baremetal-api-version X.Y
                     the microversion to speak (default: $OS_BAREMETAL_API_VERSION,
                     else the newest both server and client know)
  --username USER    HTTP basic auth (default: $FERRITE_USERNAME, or $OS_USERNAME
  --password PASS    and $OS_PASSWORD when $OS_AUTH_TYPE is http_basic)
  --cacert FILE      trust these CAs (PEM) for HTTPS
  --insecure         skip HTTPS certificate checks
  -f, --format table|json
                     tables for people (default), JSON for scripts
  -h, --help         this help
`;

/** The values of GLOBAL_FLAGS as parseArgs returns them. */
export interface GlobalValues {
  readonly url?: string | undefined;
  readonly 'os-baremetal-api-version'?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly cacert?: string | undefined;
  readonly insecure?: boolean | undefined;
}

function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

/** Where and how to connect: flags first, then the environment, then the defaults. */
export function clientOptions(values: GlobalValues, env: NodeJS.ProcessEnv): ClientOptions {
  const basicFromOs = env['OS_AUTH_TYPE'] === 'http_basic';
  const url =
    firstSet(
      values.url,
      env['FERRITE_URL'],
      env['OS_BAREMETAL_ENDPOINT_OVERRIDE'],
      env['OS_ENDPOINT'],
      env['IRONIC_URL'],
    ) ?? DEFAULT_URL;
  const apiVersion = firstSet(values['os-baremetal-api-version'], env['OS_BAREMETAL_API_VERSION']);
  const username = firstSet(
    values.username,
    env['FERRITE_USERNAME'],
    basicFromOs ? env['OS_USERNAME'] : undefined,
  );
  const password = firstSet(
    values.password,
    env['FERRITE_PASSWORD'],
    basicFromOs ? env['OS_PASSWORD'] : undefined,
  );
  return {
    url,
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(values.cacert !== undefined ? { cacert: values.cacert } : {}),
    ...(values.insecure === true ? { insecure: true } : {}),
  };
}
