import { jsonType, objectReader, uuidReader } from '../input.ts';
import { FerriteError } from '../../common/errors.ts';
import { isJsonObject } from '../../common/json.ts';
import type { JsonValue } from '../../common/json.ts';
import type { DeployTemplate, DeployTemplateStep } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import type { Reader, WritableTable } from '../input.ts';
import { invalidTrait, isValidTrait } from '../traits.ts';

/**
 * Reading deploy templates as Ironic does: the name is a trait (the one an
 * instance asks for to get the template's steps), and the steps a non-empty
 * list of deploy steps, each interface.step at most once. The same rules
 * hold for a creation body and for a template after a patch.
 */

/** The interfaces whose deploy steps a template may name (Ironic's deploy interface priorities). */
export const STEP_INTERFACES = ['power', 'management', 'deploy', 'bios', 'raid'] as const;

const STEP_FIELDS = ['interface', 'step', 'args', 'priority'];

function invalidTemplate(err: string): FerriteError {
  return new FerriteError('InvalidDeployTemplate', { err });
}

const templateNameReader: Reader = (value) => {
  if (value === null) throw invalidTemplate('Deploy template name cannot be None');
  if (typeof value !== 'string' || !isValidTrait(value)) {
    throw invalidTrait('Deploy template name must be a valid trait');
  }
  return value;
};

function readStep(value: JsonValue, index: number): DeployTemplateStep {
  const where = `steps[${index}]`;
  if (!isJsonObject(value)) {
    throw invalidTemplate(`${where} must be an object, got ${jsonType(value)}`);
  }
  const unknown = Object.keys(value).filter((k) => !STEP_FIELDS.includes(k));
  if (unknown.length > 0) {
    throw invalidTemplate(
      `${where} has unknown field(s) ${unknown.join(', ')}; a step has only ${STEP_FIELDS.join(', ')}`,
    );
  }
  const missing = STEP_FIELDS.filter((k) => !(k in value));
  if (missing.length > 0) throw invalidTemplate(`${where} lacks ${missing.join(', ')}`);
  const { interface: iface, step, args, priority } = value;
  if (typeof iface !== 'string' || !(STEP_INTERFACES as readonly string[]).includes(iface)) {
    throw invalidTemplate(
      `${where}.interface must be one of ${STEP_INTERFACES.join(', ')}, got ${JSON.stringify(iface)}`,
    );
  }
  if (typeof step !== 'string' || step === '') {
    throw invalidTemplate(`${where}.step must be a non-empty string, got ${JSON.stringify(step)}`);
  }
  if (!isJsonObject(args)) {
    throw invalidTemplate(`${where}.args must be an object, got ${JSON.stringify(args)}`);
  }
  // Ironic takes the priority as an integer or as a string of digits.
  const number =
    typeof priority === 'string' && /^[0-9]+$/.test(priority) ? Number(priority) : priority;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw invalidTemplate(
      `${where}.priority must be a non-negative integer, got ${JSON.stringify(priority)}`,
    );
  }
  return { interface: iface, step, args, priority: number };
}

const stepsReader: Reader = (value) => {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidTemplate(
      'No deploy steps specified. A deploy template must have at least one deploy step',
    );
  }
  const steps = value.map(readStep);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const s of steps) {
    const id = `interface: ${s.interface}, step: ${s.step}`;
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) {
    throw invalidTemplate(
      `Duplicate deploy steps. A deploy template cannot have multiple deploy steps with the same interface and step. Duplicates: ${[...duplicates].join('; ')}`,
    );
  }
  return steps;
};

/** Every deploy template field a client may write, by API name. */
export const DEPLOY_TEMPLATE_WRITABLE: WritableTable<DeployTemplate> = {
  uuid: { minor: 55, key: 'uuid', read: uuidReader, empty: undefined, patchable: false },
  name: { minor: 55, key: 'name', read: templateNameReader, empty: undefined },
  steps: { minor: 55, key: 'steps', read: stepsReader, empty: undefined },
  extra: { minor: 55, key: 'extra', read: objectReader, empty: {} },
};

/** RFC 3986 unreserved characters: what a name in a path may be. */
const LOGICAL_NAME = /^[A-Za-z0-9._~-]+$/;

/** A path identifier: a template's uuid or its name. */
export function checkTemplateIdent(ident: string): void {
  if (!isUuid(ident) && (ident.length > 255 || !LOGICAL_NAME.test(ident))) {
    throw new FerriteError('InvalidUuidOrName', { name: ident });
  }
}
