/**
 * The methods an object's class chain defines, most derived first, one per
 * name: an override hides what it overrides, so a decorated method that a
 * subclass redefines without the decorator stops being declared (as in
 * Ironic). Used to collect steps and passthru routes from decorators.
 */
export function* ownMethods(instance: object): Generator<[name: string, fn: object]> {
  const seen = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(instance) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const value: unknown = Object.getOwnPropertyDescriptor(proto, key)?.value;
      if (typeof value === 'function') yield [key, value];
    }
  }
}
