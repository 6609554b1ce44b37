import { FerriteError } from '../common/errors.ts';
import type { JsonObject } from '../common/json.ts';
import type { NodeInterfaces } from '../common/records.ts';
import type { DriverEnvironment, InterfaceCatalog } from './catalog.ts';
import { bareDriver } from './driver.ts';
import { SharedResources } from './shared-resources.ts';
import type { Driver, InterfaceMap } from './driver.ts';
import type { HardwareType } from './hardware-type.ts';
import { ALL_INTERFACES, interfaceField } from './interface-types.ts';
import type { InterfaceType } from './interface-types.ts';
import type { PropertyDescriptions } from './interfaces/base.ts';

/** Which hardware types and implementations this deployment offers. */
export interface DriverFactoryConfig {
  /** Hardware types to offer; all known ones when omitted. */
  readonly enabledHardwareTypes?: readonly string[];
  /** Implementations to offer per interface; all known ones when omitted. */
  readonly enabledInterfaces?: { readonly [K in InterfaceType]?: readonly string[] };
  /** A default per interface that wins over each hardware type's own order. */
  readonly defaultInterfaces?: { readonly [K in InterfaceType]?: string };
}

/** What a node says about its driver: the hardware type and any implementations it chose. */
export type DriverSelection = {
  readonly uuid?: string;
  readonly driver: string;
  readonly instanceInfo?: JsonObject;
} & Partial<Readonly<NodeInterfaces>>;

/** One interface of a hardware type as offered. */
export interface InterfaceSummary {
  readonly default: string;
  /** What the hardware type supports, in its order of preference. */
  readonly supported: readonly string[];
  /** The supported implementations this deployment enables. */
  readonly enabled: readonly string[];
}

/** A hardware type as offered, interface by interface. */
export interface HardwareTypeSummary {
  readonly name: string;
  readonly description: string;
  readonly interfaces: { readonly [K in InterfaceType]: InterfaceSummary };
}

/**
 * Composes node drivers. Knows the enabled hardware types and
 * implementations, picks defaults, refuses combinations a hardware type does
 * not support, and keeps one instance per implementation (interfaces hold no
 * per-node state, so every node shares them).
 */
export class DriverFactory {
  readonly #catalog: InterfaceCatalog;
  readonly #env: DriverEnvironment;
  readonly #types = new Map<string, HardwareType>();
  readonly #enabled = new Map<InterfaceType, readonly string[]>();
  readonly #defaults: { readonly [K in InterfaceType]?: string };
  readonly #instances = new Map<string, InterfaceMap[InterfaceType]>();

  constructor(
    catalog: InterfaceCatalog,
    hardwareTypes: readonly HardwareType[],
    env: Omit<DriverEnvironment, 'resources'>,
    config: DriverFactoryConfig = {},
  ) {
    this.#catalog = catalog;
    this.#env = { ...env, resources: new SharedResources() };
    this.#defaults = config.defaultInterfaces ?? {};
    const known = new Map(hardwareTypes.map((t) => [t.name, t]));
    const wanted = config.enabledHardwareTypes ?? hardwareTypes.map((t) => t.name);
    const unknown = wanted.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new FerriteError('DriverNotFound', { driver_name: unknown.join(', ') });
    }
    if (wanted.length === 0) {
      throw new FerriteError('NoDriversLoaded', { conductor: 'this conductor' });
    }
    for (const name of wanted) this.#types.set(name, known.get(name) as HardwareType);

    for (const type of ALL_INTERFACES) {
      const all = catalog.names(type);
      const enabled = config.enabledInterfaces?.[type] ?? all;
      const missing = enabled.filter((name) => !all.includes(name));
      if (missing.length > 0) {
        throw new FerriteError('DriverLoadError', {
          driver: missing.join(', '),
          reason: `no ${type} implementation has this name; known: ${all.join(', ')}`,
        });
      }
      this.#enabled.set(type, [...new Set(enabled)]);
    }

    for (const hw of this.#types.values()) {
      for (const type of ALL_INTERFACES) {
        const unregistered = hw.supported[type].filter((name) => !catalog.get(type, name));
        if (unregistered.length > 0) {
          throw new FerriteError('DriverLoadError', {
            driver: hw.name,
            reason: `its ${type} list names unknown implementations: ${unregistered.join(', ')}`,
          });
        }
        // Fails start-up, as it should, when a type is left with no usable default.
        this.defaultImplementation(hw.name, type);
      }
    }
  }

  /** Names of the enabled hardware types. */
  /** Closes what the implementations share (sockets, BMC sessions); the factory is done after. */
  close(): Promise<void> {
    return this.#env.resources.close();
  }

  hardwareTypeNames(): string[] {
    return [...this.#types.keys()];
  }

  /** An enabled hardware type; DriverNotFound otherwise. */
  hardwareType(name: string): HardwareType {
    const hw = this.#types.get(name);
    if (!hw) throw new FerriteError('DriverNotFound', { driver_name: name });
    return hw;
  }

  /** Enabled implementations of an interface, whatever the hardware type. */
  enabledImplementations(type: InterfaceType): readonly string[] {
    return this.#enabled.get(type) ?? [];
  }

  /** Implementations of `type` that a hardware type supports and that are enabled, in its order. */
  supportedImplementations(hardwareType: string, type: InterfaceType): string[] {
    const enabled = this.enabledImplementations(type);
    return this.hardwareType(hardwareType).supported[type].filter((name) => enabled.includes(name));
  }

  /**
   * Checks that `name` may fill `type` on `hardwareType`: it must be enabled
   * (InterfaceNotFoundInEntrypoint) and supported (IncompatibleInterface).
   */
  checkImplementation(hardwareType: string, type: InterfaceType, name: string): void {
    const enabled = this.enabledImplementations(type);
    if (!enabled.includes(name)) {
      throw new FerriteError('InterfaceNotFoundInEntrypoint', {
        interface_type: type,
        iface: name,
        valid: `[${enabled.map((n) => `'${n}'`).join(', ')}]`,
      });
    }
    const hw = this.hardwareType(hardwareType);
    if (!hw.supported[type].includes(name)) {
      throw new FerriteError('IncompatibleInterface', {
        interface_type: type,
        interface_impl: name,
        hardware_type: hw.name,
        supported: this.supportedImplementations(hw.name, type).join(', ') || 'none enabled',
      });
    }
  }

  /**
   * The implementation a node of `hardwareType` gets for `type` when it does
   * not choose: the configured default if any, else the first enabled one the
   * hardware type lists.
   */
  defaultImplementation(hardwareType: string, type: InterfaceType, nodeUuid?: string): string {
    const hw = this.hardwareType(hardwareType);
    const configured = this.#defaults[type];
    const noDefault = (): FerriteError =>
      new FerriteError('NoValidDefaultForInterface', {
        node_info: nodeUuid ? ` node ${nodeUuid} with` : '',
        driver: hw.name,
        interface_type: type,
      });
    if (configured !== undefined) {
      try {
        this.checkImplementation(hw.name, type, configured);
      } catch (error) {
        if (error instanceof FerriteError && error.code === 'IncompatibleInterface') {
          throw noDefault();
        }
        throw error;
      }
      return configured;
    }
    const first = this.supportedImplementations(hw.name, type)[0];
    if (first === undefined) throw noDefault();
    return first;
  }

  /**
   * The implementation per interface for a node: what the node (or its
   * instance_info, for one deployment) names, checked, or the default.
   */
  resolveInterfaces(selection: DriverSelection): Record<InterfaceType, string> {
    const hw = this.hardwareType(selection.driver);
    const result = {} as Record<InterfaceType, string>;
    for (const type of ALL_INTERFACES) {
      const field = interfaceField(type);
      const override = selection.instanceInfo?.[`${type}_interface`];
      const chosen = typeof override === 'string' ? override : selection[field];
      if (chosen !== undefined && chosen !== null) {
        this.checkImplementation(hw.name, type, chosen);
        result[type] = chosen;
      } else {
        result[type] = this.defaultImplementation(hw.name, type, selection.uuid);
      }
    }
    return result;
  }

  /** The shared instance of one implementation. */
  instance<T extends InterfaceType>(type: T, name: string): InterfaceMap[T] {
    const key = `${type}/${name}`;
    let impl = this.#instances.get(key);
    if (!impl) {
      const entry = this.#catalog.get(type, name);
      if (!entry) {
        throw new FerriteError('InterfaceNotFoundInEntrypoint', {
          interface_type: type,
          iface: name,
          valid: `[${this.enabledImplementations(type)
            .map((n) => `'${n}'`)
            .join(', ')}]`,
        });
      }
      impl = entry.create(this.#env);
      this.#instances.set(key, impl);
    }
    return impl as InterfaceMap[T];
  }

  /** Builds a node's driver from its selection. */
  compose(selection: DriverSelection): Driver {
    const names = this.resolveInterfaces(selection);
    const interfaces: Partial<Record<InterfaceType, InterfaceMap[InterfaceType]>> = {};
    for (const type of ALL_INTERFACES) interfaces[type] = this.instance(type, names[type]);
    return bareDriver(selection.driver, interfaces as Partial<InterfaceMap>, names);
  }

  /** The driver_info keys a hardware type's default implementations read. */
  driverProperties(hardwareType: string): PropertyDescriptions {
    const result: Record<string, string> = {};
    for (const type of ALL_INTERFACES) {
      const impl = this.instance(type, this.defaultImplementation(hardwareType, type));
      Object.assign(result, impl.getProperties());
    }
    return result;
  }

  /** Every enabled hardware type with its enabled implementations and defaults. */
  summaries(): HardwareTypeSummary[] {
    return this.hardwareTypeNames().map((name) => {
      const hw = this.hardwareType(name);
      const interfaces = {} as Record<InterfaceType, InterfaceSummary>;
      for (const type of ALL_INTERFACES) {
        interfaces[type] = {
          default: this.defaultImplementation(name, type),
          supported: hw.supported[type],
          enabled: this.supportedImplementations(name, type),
        };
      }
      return { name, description: hw.description, interfaces };
    });
  }
}
