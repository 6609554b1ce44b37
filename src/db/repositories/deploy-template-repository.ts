import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { DeployTemplate, DeployTemplateStep } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import { jsonText } from '../codec.ts';
import { guard, inTransaction, now } from '../context.ts';
import type { Explain, StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import { deployTemplateFromRow, stepFromRow, stepRows } from '../rows/deploy-template-row.ts';
import type { DeployTemplatesTable } from '../schema.ts';
import type {
  DeployTemplateChanges,
  DeployTemplateRepository,
  DeployTemplateSortKey,
  NewDeployTemplate,
  PageRequest,
} from '../store.ts';

const SORT_COLUMNS: Readonly<Record<DeployTemplateSortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  name: { column: 'name', nullable: false },
  createdAt: { column: 'created_at', nullable: false },
  updatedAt: { column: 'updated_at', nullable: true },
};

async function insertSteps(
  ctx: StoreContext,
  uuid: string,
  steps: readonly DeployTemplateStep[],
): Promise<void> {
  if (steps.length === 0) return;
  await ctx.db.insertInto('deploy_template_steps').values(stepRows(uuid, steps)).execute();
}

export class KyselyDeployTemplateRepository implements DeployTemplateRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async create(template: NewDeployTemplate): Promise<DeployTemplate> {
    const ctx = this.#ctx;
    const row: Selectable<DeployTemplatesTable> = {
      uuid: template.uuid ?? randomUUID(),
      name: template.name,
      extra: jsonText(template.extra ?? {}),
      created_at: now(ctx),
      updated_at: null,
    };
    const steps = stepRows(row.uuid, template.steps ?? []);
    await guard(
      ctx,
      () =>
        inTransaction(ctx, async (tx) => {
          await tx.db.insertInto('deploy_templates').values(row).execute();
          if (steps.length > 0)
            await tx.db.insertInto('deploy_template_steps').values(steps).execute();
        }),
      this.#explain(row.uuid, template.name),
    );
    // Read back from the rows: the caller's objects are not aliased.
    return deployTemplateFromRow(row, steps.map(stepFromRow));
  }

  async get(ident: string): Promise<DeployTemplate> {
    const row = await this.#ctx.db
      .selectFrom('deploy_templates')
      .selectAll()
      .where(isUuid(ident) ? 'uuid' : 'name', '=', ident)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('DeployTemplateNotFound', { template: ident });
    const [template] = await this.#withSteps([row]);
    return template as DeployTemplate;
  }

  async list(page?: PageRequest<DeployTemplateSortKey>): Promise<DeployTemplate[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'deploy_templates',
      SORT_COLUMNS,
      page,
      'createdAt',
      (marker) => new FerriteError('DeployTemplateNotFound', { template: marker }),
    );
    const rows = await applyKeyset(
      ctx.db.selectFrom('deploy_templates').selectAll(),
      keyset,
    ).execute();
    return this.#withSteps(rows);
  }

  async update(uuid: string, changes: DeployTemplateChanges): Promise<DeployTemplate> {
    const ctx = this.#ctx;
    const { name, extra, steps } = changes;
    const row = await guard(
      ctx,
      () =>
        inTransaction(ctx, async (tx) => {
          // Also locks the template on PostgreSQL, so concurrent step replacements serialise.
          const updated = await tx.db
            .updateTable('deploy_templates')
            .set({
              ...(name !== undefined && { name }),
              ...(extra !== undefined && { extra: jsonText(extra) }),
              updated_at: now(tx),
            })
            .where('uuid', '=', uuid)
            .returningAll()
            .executeTakeFirst();
          if (updated === undefined) {
            throw new FerriteError('DeployTemplateNotFound', { template: uuid });
          }
          if (steps !== undefined) {
            await tx.db
              .deleteFrom('deploy_template_steps')
              .where('template_uuid', '=', uuid)
              .execute();
            await insertSteps(tx, uuid, steps);
          }
          return updated;
        }),
      this.#explain(uuid, name),
    );
    const [template] = await this.#withSteps([row]);
    return template as DeployTemplate;
  }

  async delete(uuid: string): Promise<void> {
    const ctx = this.#ctx;
    // The steps go with it (ON DELETE CASCADE), in the same statement.
    const result = await guard(ctx, () =>
      ctx.db.deleteFrom('deploy_templates').where('uuid', '=', uuid).executeTakeFirst(),
    );
    if (Number(result.numDeletedRows) === 0) {
      throw new FerriteError('DeployTemplateNotFound', { template: uuid });
    }
  }

  async findByNames(names: readonly string[]): Promise<DeployTemplate[]> {
    if (names.length === 0) return [];
    const { db, dialect } = this.#ctx;
    const rows = await db
      .selectFrom('deploy_templates')
      .selectAll()
      .where(dialect.inList('name', dialect.list(names)))
      .execute();
    // Sorted here, by code point: PostgreSQL would order by its collation.
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#withSteps(rows);
  }

  /** The templates with their steps, loaded for all of them in one query. */
  async #withSteps(rows: readonly Selectable<DeployTemplatesTable>[]): Promise<DeployTemplate[]> {
    if (rows.length === 0) return [];
    const { db, dialect } = this.#ctx;
    const stepRowsFound = await db
      .selectFrom('deploy_template_steps')
      .selectAll()
      .where(dialect.inList('template_uuid', dialect.list(rows.map((r) => r.uuid))))
      .orderBy('template_uuid')
      .orderBy('position')
      .execute();
    const steps = new Map<string, DeployTemplateStep[]>();
    for (const step of stepRowsFound) {
      const list = steps.get(step.template_uuid);
      if (list === undefined) steps.set(step.template_uuid, [stepFromRow(step)]);
      else list.push(stepFromRow(step));
    }
    return rows.map((row) => deployTemplateFromRow(row, steps.get(row.uuid) ?? []));
  }

  #explain(uuid: string, name: string | undefined): Explain {
    return (failure) => {
      if (failure.kind !== 'unique') return undefined;
      switch (failure.constraint) {
        case 'deploy_templates_pkey':
          return new FerriteError('DeployTemplateAlreadyExists', { uuid });
        case 'deploy_templates_name_key':
          return new FerriteError('DeployTemplateDuplicateName', { name });
        default:
          return undefined;
      }
    };
  }
}
