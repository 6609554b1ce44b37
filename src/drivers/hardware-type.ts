import { FerriteError } from '../common/errors.ts';
import { ALL_INTERFACES } from './interface-types.ts';
import type { InterfaceType } from './interface-types.ts';

/**
 * A hardware type: a family of machines and, per interface, the
 * implementations that work with it in order of preference (the first
 * enabled one is the default).
 */
export interface HardwareType {
  readonly name: string;
  readonly description: string;
  readonly supported: { readonly [K in InterfaceType]: readonly string[] };
}

export interface HardwareTypeDefinition {
  readonly name: string;
  readonly description: string;
  readonly supported: { readonly [K in InterfaceType]?: readonly string[] };
}

/**
 * The lists every hardware type inherits unless it says otherwise: the
 * optional interfaces filled with their no-op implementations.
 */
export const INHERITED_SUPPORT: { readonly [K in InterfaceType]?: readonly string[] } = {
  console: ['no-console'],
  inspect: ['no-inspect'],
  network: ['flat', 'noop'],
  raid: ['no-raid'],
  rescue: ['no-rescue'],
  storage: ['noop'],
  vendor: ['no-vendor'],
};

/** Completes a definition with the inherited lists and checks every interface has one. */
export function defineHardwareType(definition: HardwareTypeDefinition): HardwareType {
  const supported = {} as Record<InterfaceType, readonly string[]>;
  for (const type of ALL_INTERFACES) {
    const list = definition.supported[type] ?? INHERITED_SUPPORT[type];
    if (!list || list.length === 0) {
      throw new FerriteError('DriverLoadError', {
        driver: definition.name,
        reason: `the hardware type lists no ${type} implementation`,
      });
    }
    if (new Set(list).size !== list.length) {
      throw new FerriteError('DriverLoadError', {
        driver: definition.name,
        reason: `the ${type} list names an implementation twice`,
      });
    }
    supported[type] = Object.freeze([...list]);
  }
  return Object.freeze({
    name: definition.name,
    description: definition.description,
    supported: Object.freeze(supported),
  });
}
