import type { Selectable } from 'kysely';
import type { DeployTemplate, DeployTemplateStep } from '../../common/records.ts';
import { date, dateOrNull, json, jsonText } from '../codec.ts';
import type { DeployTemplateStepsTable, DeployTemplatesTable } from '../schema.ts';

/** The rows storing `steps` for template `uuid`, their positions keeping the order. */
export function stepRows(
  uuid: string,
  steps: readonly DeployTemplateStep[],
): Selectable<DeployTemplateStepsTable>[] {
  return steps.map((s, position) => ({
    template_uuid: uuid,
    position,
    interface: s.interface,
    step: s.step,
    args: jsonText(s.args),
    priority: s.priority,
  }));
}

export function stepFromRow(row: Selectable<DeployTemplateStepsTable>): DeployTemplateStep {
  return {
    interface: row.interface,
    step: row.step,
    args: json(row.args),
    priority: row.priority,
  };
}

/** A template with its steps, which must already be in position order. */
export function deployTemplateFromRow(
  row: Selectable<DeployTemplatesTable>,
  steps: DeployTemplateStep[],
): DeployTemplate {
  return {
    uuid: row.uuid,
    name: row.name,
    extra: json(row.extra),
    steps,
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}
