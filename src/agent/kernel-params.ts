/**
 * A kernel command line as the ramdisk gets it (from a PXE config, an ISO's
 * boot config, /proc/cmdline): ironic-python-agent's `ipa-*` settings and
 * the rest.
 */

/** `key=value` words of a command line (a value may be double-quoted, spaces and all); bare words are `true`. */
export function parseKernelParams(cmdline: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of cmdline.matchAll(/([^\s=]+)(?:=("[^"]*"|\S*))?/g)) {
    const [, key = '', value] = match;
    params.set(key, value === undefined ? 'true' : value.replace(/^"(.*)"$/s, '$1'));
  }
  return params;
}
