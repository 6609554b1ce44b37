/**
 * The agent's settings from a kernel command line (what a PXE config or a
 * virtual-media ISO hands the ramdisk): ironic-python-agent's `ipa-*` names.
 */

/** `key=value` words of a command line; bare words are `true`. */
export function parseKernelParams(cmdline: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const word of cmdline.trim().split(/\s+/)) {
    if (word === '') continue;
    const eq = word.indexOf('=');
    if (eq < 0) params.set(word, 'true');
    else params.set(word.slice(0, eq), word.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  return params;
}
