/**
 * Reading typed properties from Redfish JSON safely. Every helper throws a
 * RedfishError of kind 'protocol' naming the property and the resource
 * (the BMC origin, path and position inside the payload) when a required
 * property is missing or has the wrong type. Optional variants return
 * undefined for a missing or null property but still refuse a wrong type.
 */
import { RedfishError, RedfishErrorKind } from './errors.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Where each object of a parsed payload came from, for error messages. */
const locations = new WeakMap<object, string>();

/**
 * Records where `value` and everything inside it came from: `where` is the
 * resource (origin and path), nested objects get a JSON-pointer-like suffix.
 */
export function tagJson(value: JsonValue, where: string, pointer = ''): void {
  if (value === null || typeof value !== 'object') return;
  locations.set(value, pointer === '' ? where : `${where} at ${pointer}`);
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      tagJson(item, where, `${pointer}/${String(index)}`);
    });
  } else {
    for (const [key, item] of Object.entries(value)) tagJson(item, where, `${pointer}/${key}`);
  }
}

/** The resource an object came from, for messages. */
export function describeResource(value: object): string {
  const known = locations.get(value);
  if (known !== undefined) return known;
  const id = (value as Record<string, unknown>)['@odata.id'];
  return typeof id === 'string' ? id : 'a Redfish resource';
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function missing(obj: JsonObject, key: string, expected: string): RedfishError {
  return new RedfishError(
    RedfishErrorKind.PROTOCOL,
    `Redfish property "${key}" is missing from ${describeResource(obj)} (expected ${expected})`,
  );
}

function mistyped(obj: JsonObject, key: string, expected: string, value: unknown): RedfishError {
  return new RedfishError(
    RedfishErrorKind.PROTOCOL,
    `Redfish property "${key}" of ${describeResource(obj)} is ${typeName(value)}, expected ${expected}`,
  );
}

function optional<T>(
  obj: JsonObject,
  key: string,
  expected: string,
  check: (value: JsonValue) => value is T & JsonValue,
): T | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw mistyped(obj, key, expected, value);
  return value;
}

function required<T>(
  obj: JsonObject,
  key: string,
  expected: string,
  check: (value: JsonValue) => value is T & JsonValue,
): T {
  const value = optional(obj, key, expected, check);
  if (value === undefined) throw missing(obj, key, expected);
  return value;
}

const isString = (v: JsonValue): v is string => typeof v === 'string';
const isNumber = (v: JsonValue): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: JsonValue): v is boolean => typeof v === 'boolean';
const isArray = (v: JsonValue): v is JsonValue[] => Array.isArray(v);

export const str = (obj: JsonObject, key: string): string =>
  required(obj, key, 'a string', isString);
export const optStr = (obj: JsonObject, key: string): string | undefined =>
  optional(obj, key, 'a string', isString);
export const num = (obj: JsonObject, key: string): number =>
  required(obj, key, 'a number', isNumber);
export const optNum = (obj: JsonObject, key: string): number | undefined =>
  optional(obj, key, 'a number', isNumber);
export const bool = (obj: JsonObject, key: string): boolean =>
  required(obj, key, 'a boolean', isBoolean);
export const optBool = (obj: JsonObject, key: string): boolean | undefined =>
  optional(obj, key, 'a boolean', isBoolean);
export const obj = (o: JsonObject, key: string): JsonObject =>
  required(o, key, 'an object', isJsonObject);
export const optObj = (o: JsonObject, key: string): JsonObject | undefined =>
  optional(o, key, 'an object', isJsonObject);
export const arr = (o: JsonObject, key: string): JsonValue[] =>
  required(o, key, 'an array', isArray);
export const optArr = (o: JsonObject, key: string): JsonValue[] | undefined =>
  optional(o, key, 'an array', isArray);

/** A string property that must be one of `allowed` (an enum of the schema). */
export function oneOf<T extends string>(o: JsonObject, key: string, allowed: readonly T[]): T {
  const value = str(o, key);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RedfishError(
      RedfishErrorKind.PROTOCOL,
      `Redfish property "${key}" of ${describeResource(o)} is "${value}", expected one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

/** An array property whose items must all be objects. */
export function objects(o: JsonObject, key: string): JsonObject[] {
  return optObjects(o, key) ?? [];
}

/** An array whose items must all be objects, or undefined when the property is absent. */
export function optObjects(o: JsonObject, key: string): JsonObject[] | undefined {
  const list = optArr(o, key);
  if (list === undefined) return undefined;
  list.forEach((item, index) => {
    if (!isJsonObject(item)) throw mistyped(o, `${key}/${String(index)}`, 'an object', item);
  });
  return list as JsonObject[];
}

/** An array of strings (e.g. MediaTypes); absent → []. */
export function strings(o: JsonObject, key: string): string[] {
  const list = optArr(o, key) ?? [];
  list.forEach((item, index) => {
    if (typeof item !== 'string') throw mistyped(o, `${key}/${String(index)}`, 'a string', item);
  });
  return list as string[];
}

function refOf(holder: JsonObject, key: string, value: JsonObject): string {
  const id = value['@odata.id'];
  if (typeof id !== 'string' || id === '') {
    throw new RedfishError(
      RedfishErrorKind.PROTOCOL,
      `Redfish link "${key}" of ${describeResource(holder)} has no "@odata.id" string`,
    );
  }
  return id;
}

/** The URI of a navigation property `{ "<key>": { "@odata.id": "…" } }`. */
export function link(o: JsonObject, key: string): string {
  return refOf(o, key, obj(o, key));
}

/** The URI of a navigation property, or undefined when it is absent. */
export function optLink(o: JsonObject, key: string): string | undefined {
  const value = optObj(o, key);
  return value === undefined ? undefined : refOf(o, key, value);
}

/** The URIs of an array of references (`Members`, `Links.Chassis`, …); absent → []. */
export function links(o: JsonObject, key: string): string[] {
  return objects(o, key).map((item, index) => refOf(o, `${key}/${String(index)}`, item));
}

/** The URIs of a collection's `Members` (required). */
export function members(collection: JsonObject): string[] {
  arr(collection, 'Members');
  return links(collection, 'Members');
}

/** The action object `Actions["#X.Y"]`, or undefined when the resource does not offer it. */
export function optAction(o: JsonObject, action: string): JsonObject | undefined {
  const actions = optObj(o, 'Actions');
  if (actions === undefined) return undefined;
  return optObj(actions, action);
}

/** The target URI of `Actions["#X.Y"]`; throws 'protocol' when the action or its target is absent. */
export function actionTarget(o: JsonObject, action: string): string {
  const found = optAction(o, action);
  if (found === undefined) {
    throw new RedfishError(
      RedfishErrorKind.PROTOCOL,
      `Redfish action "${action}" is not offered by ${describeResource(o)}`,
    );
  }
  return str(found, 'target');
}

/** The target URI of an action, or undefined when the resource does not offer it. */
export function optActionTarget(o: JsonObject, action: string): string | undefined {
  const found = optAction(o, action);
  return found === undefined ? undefined : str(found, 'target');
}

/**
 * `<property>@Redfish.AllowableValues` of an object (a resource, `Boot`, or
 * an action object for an action parameter); undefined when not advertised
 * (then, as in sushy, every value of the schema is allowed).
 */
export function allowableValues(o: JsonObject, property: string): string[] | undefined {
  const key = `${property}@Redfish.AllowableValues`;
  if (o[key] === undefined || o[key] === null) return undefined;
  return strings(o, key);
}

/** The allowable values of an action's parameter, e.g. ('#ComputerSystem.Reset', 'ResetType'). */
export function actionAllowableValues(
  o: JsonObject,
  action: string,
  parameter: string,
): string[] | undefined {
  const found = optAction(o, action);
  return found === undefined ? undefined : allowableValues(found, parameter);
}
