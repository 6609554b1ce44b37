import type { SharedResources } from './shared-resources.ts';
import { FerriteError } from '../common/errors.ts';
import type { Clock } from '../common/clock.ts';
import type { InterfaceMap } from './driver.ts';
import type { InterfaceType } from './interface-types.ts';

/** What implementations may need when they are created: configuration and shared services. */
export interface DriverEnvironment {
  readonly clock: Clock;
  /** Options per implementation family, e.g. `fake: { powerDelay: 2 }`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** What implementations share (an IPMI client, say), closed with the factory. */
  readonly resources: SharedResources;
}

/** One implementation of one interface, known by name. */
export interface ImplementationEntry<T extends InterfaceType = InterfaceType> {
  readonly interfaceType: T;
  readonly name: string;
  readonly description: string;
  create(env: DriverEnvironment): InterfaceMap[T];
}

/** Every implementation Ferrite knows, by interface and name. */
export class InterfaceCatalog {
  readonly #entries = new Map<string, ImplementationEntry>();

  constructor(entries: Iterable<ImplementationEntry> = []) {
    for (const entry of entries) this.add(entry);
  }

  add(entry: ImplementationEntry): this {
    const key = `${entry.interfaceType}/${entry.name}`;
    if (this.#entries.has(key)) {
      throw new FerriteError('DriverLoadError', {
        driver: entry.name,
        reason: `a ${entry.interfaceType} implementation named "${entry.name}" is already registered`,
      });
    }
    this.#entries.set(key, entry);
    return this;
  }

  get<T extends InterfaceType>(type: T, name: string): ImplementationEntry<T> | undefined {
    return this.#entries.get(`${type}/${name}`) as ImplementationEntry<T> | undefined;
  }

  /** Implementation names of one interface, in registration order. */
  names(type: InterfaceType): string[] {
    return [...this.#entries.values()].filter((e) => e.interfaceType === type).map((e) => e.name);
  }
}
