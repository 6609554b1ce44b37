/**
 * The driver interfaces a node is composed of. Power and deploy are core: a
 * driver cannot exist without them. The rest are standard: a hardware type
 * may fill them with no-op implementations.
 */
export const CORE_INTERFACES = ['power', 'deploy'] as const;
export const STANDARD_INTERFACES = [
  'boot',
  'console',
  'inspect',
  'management',
  'network',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;
export const ALL_INTERFACES = [...CORE_INTERFACES, ...STANDARD_INTERFACES] as const;

export type CoreInterfaceType = (typeof CORE_INTERFACES)[number];
export type StandardInterfaceType = (typeof STANDARD_INTERFACES)[number];
export type InterfaceType = (typeof ALL_INTERFACES)[number];

/** The node field that records the implementation chosen for an interface, e.g. `powerInterface`. */
export type InterfaceField<T extends InterfaceType = InterfaceType> = `${T}Interface`;

export function interfaceField<T extends InterfaceType>(type: T): InterfaceField<T> {
  return `${type}Interface`;
}

export function isInterfaceType(value: string): value is InterfaceType {
  return (ALL_INTERFACES as readonly string[]).includes(value);
}
