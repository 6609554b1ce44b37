import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { HardwareTypeSummary } from '../../drivers/factory.ts';
import { ALL_INTERFACES } from '../../drivers/interface-types.ts';
import type { InterfaceType } from '../../drivers/interface-types.ts';
import type { ApiContext } from '../context.ts';
import { atLeast } from '../microversions.ts';
import type { Microversion } from '../microversions.ts';
import { resourceLinks } from './root.ts';

/** The microversion at which each interface's default/enabled fields appear in driver details. */
const INTERFACE_FIELDS_SINCE: Readonly<Record<InterfaceType, number>> = {
  boot: 30,
  console: 30,
  deploy: 30,
  inspect: 30,
  management: 30,
  network: 30,
  power: 30,
  raid: 30,
  storage: 33,
  vendor: 30,
  rescue: 38,
};

/** Interfaces Ferrite does not have, reported as their no-op so clients see a complete driver. */
const ABSENT_INTERFACES: readonly (readonly [name: string, minor: number, noop: string])[] = [
  ['bios', 40, 'no-bios'],
  ['firmware', 86, 'no-firmware'],
];

/** The live conductors (online, heartbeat within the timeout) offering each hardware type. */
async function hostsByDriver(ctx: ApiContext): Promise<Map<string, string[]>> {
  const since = ctx.conductor.clock.now() - ctx.conductor.config.heartbeatTimeoutMs;
  const hosts = new Map<string, string[]>();
  for (const conductor of await ctx.store.conductors.list()) {
    if (!conductor.online || conductor.updatedAt.getTime() < since) continue;
    for (const driver of conductor.drivers)
      hosts.set(driver, [...(hosts.get(driver) ?? []), conductor.hostname]);
  }
  return hosts;
}

function driverDocument(
  request: FastifyRequest,
  summary: HardwareTypeSummary,
  hosts: readonly string[],
  detail: boolean,
): Record<string, unknown> {
  const version: Microversion = request.apiVersion;
  const doc: Record<string, unknown> = { hosts: [...hosts].sort(), name: summary.name };
  if (atLeast(version, 30)) doc['type'] = 'dynamic';
  doc['links'] = resourceLinks(request, `drivers/${summary.name}`);
  if (atLeast(version, 14)) {
    doc['properties'] = resourceLinks(request, `drivers/${summary.name}/properties`);
  }
  if (detail && atLeast(version, 30)) {
    for (const type of ALL_INTERFACES) {
      if (!atLeast(version, INTERFACE_FIELDS_SINCE[type])) continue;
      doc[`default_${type}_interface`] = summary.interfaces[type].default;
      doc[`enabled_${type}_interfaces`] = [...summary.interfaces[type].enabled];
    }
    for (const [name, minor, noop] of ABSENT_INTERFACES) {
      if (!atLeast(version, minor)) continue;
      doc[`default_${name}_interface`] = noop;
      doc[`enabled_${name}_interfaces`] = [noop];
    }
  }
  return doc;
}

function summaryOf(ctx: ApiContext, name: string): HardwareTypeSummary {
  const summary = ctx.conductor.factory.summaries().find((s) => s.name === name);
  if (!summary) throw new FerriteError('DriverNotFound', { driver_name: name });
  return summary;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** `/v1/drivers`: hardware types, their interfaces and properties. */
export async function driverRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: { type?: string; detail?: string } }>(
    '/drivers',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            type: { type: 'string', enum: ['classic', 'dynamic'] },
            detail: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const detail = truthy(request.query.detail);
      if (detail && !atLeast(request.apiVersion, 30)) {
        throw new FerriteError('InvalidParameterValue', {
          err: 'The "detail" parameter needs API version 1.30 or later.',
        });
      }
      // Ferrite has only hardware types ("dynamic" drivers); classic drivers are gone.
      if (request.query.type === 'classic') return { drivers: [] };
      const hosts = await hostsByDriver(ctx);
      return {
        drivers: ctx.conductor.factory
          .summaries()
          .map((s) => driverDocument(request, s, hosts.get(s.name) ?? [], detail)),
      };
    },
  );

  app.get<{ Params: { name: string } }>('/drivers/:name', async (request) => {
    const summary = summaryOf(ctx, request.params.name);
    const hosts = await hostsByDriver(ctx);
    return driverDocument(request, summary, hosts.get(summary.name) ?? [], true);
  });

  app.get<{ Params: { name: string } }>('/drivers/:name/properties', async (request) => {
    summaryOf(ctx, request.params.name);
    return ctx.conductor.factory.driverProperties(request.params.name);
  });

  app.get<{ Params: { name: string } }>(
    '/drivers/:name/raid/logical_disk_properties',
    async (request) => {
      if (!atLeast(request.apiVersion, 12)) {
        throw new FerriteError('NotFound');
      }
      summaryOf(ctx, request.params.name);
      return ctx.conductor.raidLogicalDiskProperties(request.params.name);
    },
  );
}
