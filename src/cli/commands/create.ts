import { argumentText } from '../client/args.ts';
import { runAction } from '../client/command.ts';
import type { ActionSpec, CommandContext } from '../client/command.ts';
import { ApiError } from '../client/errors.ts';
import { cell, formatList } from '../client/format.ts';
import type { Json } from '../client/http.ts';
import type { CommandIo } from '../output.ts';

/** The collections an enrollment file may hold at its top level. */
const TOP_LEVEL = ['nodes', 'ports', 'portgroups'] as const;

/** What was created, in order: shown as a table or as JSON. */
interface Created {
  readonly resource: 'node' | 'port' | 'portgroup';
  readonly record: Json;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown, where: string): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw new Error(`${where} must be a list of objects`);
  }
  return value;
}

/** Reads and checks one file before anything is created from any of them. */
function readEnrollment(file: string): Json {
  let text: string;
  try {
    text = argumentText(file === '-' ? '-' : `@${file}`);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ');
    throw new Error(`${file}: not valid JSON: ${reason}`, { cause: error });
  }
  if (!isObject(document)) throw new Error(`${file}: expected an object with "nodes"`);
  const unknown = Object.keys(document).filter(
    (k) => !(TOP_LEVEL as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    throw new Error(
      `${file}: unknown keys ${unknown.join(', ')}; expected ${TOP_LEVEL.join(', ')}`,
    );
  }
  for (const key of TOP_LEVEL) arrayOf(document[key], `${file}: "${key}"`);
  for (const [i, node] of arrayOf(document['nodes'], file).entries()) {
    arrayOf(node['ports'], `${file}: nodes[${i}].ports`);
    for (const [j, group] of arrayOf(
      node['portgroups'],
      `${file}: nodes[${i}].portgroups`,
    ).entries()) {
      arrayOf(group['ports'], `${file}: nodes[${i}].portgroups[${j}].ports`);
    }
  }
  return document;
}

/** Creates and records; an API refusal is reported and counted, not fatal. */
class Enroller {
  readonly created: Created[] = [];
  failures = 0;
  readonly #ctx: CommandContext;

  constructor(ctx: CommandContext) {
    this.#ctx = ctx;
  }

  async create(resource: Created['resource'], body: Json, what: string): Promise<Json | undefined> {
    try {
      const record = await this.#ctx.client().post(`${resource}s`, body);
      this.created.push({ resource, record });
      return record;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.failures++;
      this.#ctx.io.err.write(
        `${this.#ctx.name}: ${what}: ${error.message} (HTTP ${error.status})\n`,
      );
      return undefined;
    }
  }

  async ports(ports: readonly Json[], owner: Json, where: string): Promise<void> {
    for (const port of ports) {
      await this.create('port', { ...owner, ...port }, `${where} port ${cell(port['address'])}`);
    }
  }

  async node(spec: Json, where: string): Promise<void> {
    const { ports, portgroups, ...fields } = spec;
    const label = `${where} node ${cell(spec['name'] ?? spec['uuid'])}`.trimEnd();
    const node = await this.create('node', fields, label);
    if (!node) return;
    const owner = { node_uuid: node['uuid'] };
    for (const group of arrayOf(portgroups, where)) {
      const { ports: groupPorts, ...groupFields } = group;
      const created = await this.create(
        'portgroup',
        { ...owner, ...groupFields },
        `${label} portgroup ${cell(group['name'] ?? group['address'])}`,
      );
      if (created) {
        await this.ports(
          arrayOf(groupPorts, where),
          { ...owner, portgroup_uuid: created['uuid'] },
          label,
        );
      }
    }
    await this.ports(arrayOf(ports, where), owner, label);
  }
}

const CREATE: ActionSpec = {
  summary: 'Enrol nodes and their ports from files',
  usage: `FILE... [--format table|json]

Enrols what each JSON file describes, in the format \`openstack baremetal
create\` takes (FILE - reads standard input):

  {"nodes": [{"name": "n1", "driver": "ipmi", "driver_info": {…},
              "properties": {…}, "ports": [{"address": "52:54:00:…"}],
              "portgroups": [{"name": "bond0", "ports": [{…}]}]}],
   "ports": [{"address": "…", "node_uuid": "…"}]}

Every file is checked before anything is created. A node the API refuses is
reported (with its ports skipped) and the rest carry on; the exit code is 1
if anything was refused. Prints what was created.
`,
  args: ['FILE...'],
  run: async (ctx) => {
    const documents = ctx.positionals.map((file) => ({ file, document: readEnrollment(file) }));
    const enroller = new Enroller(ctx);
    for (const { file, document } of documents) {
      for (const node of arrayOf(document['nodes'], file)) await enroller.node(node, `${file}:`);
      for (const group of arrayOf(document['portgroups'], file)) {
        await enroller.create('portgroup', group, `${file}: portgroup`);
      }
      await enroller.ports(arrayOf(document['ports'], file), {}, `${file}:`);
    }
    if (ctx.format === 'json') {
      const grouped: Record<string, Json[]> = { nodes: [], portgroups: [], ports: [] };
      for (const c of enroller.created) grouped[`${c.resource}s`]?.push(c.record);
      ctx.print(JSON.stringify(grouped, null, 2));
    } else if (enroller.created.length > 0) {
      const rows = enroller.created.map((c) => ({
        resource: c.resource,
        uuid: c.record['uuid'],
        name: c.record['name'] ?? c.record['address'] ?? null,
        node: c.resource === 'node' ? null : (c.record['node_uuid'] ?? null),
      }));
      ctx.print(formatList(rows, 'table', ['resource', 'uuid', 'name', 'node']));
    }
    return enroller.failures > 0 ? 1 : 0;
  },
};

/** `ferrite create FILE…`: enrols nodes, port groups and ports from enrollment files. */
export function createCommand(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runAction('ferrite create', CREATE, argv, io, env);
}
