import type { CommandContext, Flags } from '../../client/command.ts';

/** The driver interfaces a node names an implementation of (`--<iface>-interface`). */
export const NODE_INTERFACES = [
  'bios',
  'boot',
  'console',
  'deploy',
  'firmware',
  'inspect',
  'management',
  'network',
  'power',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;

/** `--<iface>-interface NAME` for every interface. */
export const INTERFACE_FLAGS: Flags = Object.fromEntries(
  NODE_INTERFACES.map((i) => [`${i}-interface`, { type: 'string' }]),
);

/** The help line of the `--<iface>-interface` flags. */
export const INTERFACE_USAGE = `  --<iface>-interface NAME  the implementation of an interface: ${NODE_INTERFACES.join(', ')}`;

/** The API path of one node, or of one of its sub-resources. */
export function nodePath(ident: string, sub = ''): string {
  return `nodes/${encodeURIComponent(ident)}${sub ? `/${sub}` : ''}`;
}

/** The `--<iface>-interface` values given, as the node's `<iface>_interface` fields. */
export function interfacesOf(ctx: CommandContext): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const iface of NODE_INTERFACES) {
    const value = ctx.string(`${iface}-interface`);
    if (value !== undefined) chosen[`${iface}_interface`] = value;
  }
  return chosen;
}
