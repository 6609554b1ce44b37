import { Ajv } from 'ajv';
import type { AnySchema } from 'ajv';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';

/**
 * Request validation for the resource routes. Query strings arrive as text,
 * so their values are coerced to the schema's types (`limit=2` is a
 * number); bodies are JSON and are taken as sent: a number where a string
 * belongs is refused, never turned into "5".
 */
const options = { removeAdditional: false, useDefaults: true, allowUnionTypes: true } as const;
const bodies = new Ajv({ ...options, coerceTypes: false });
const queries = new Ajv({ ...options, coerceTypes: 'array' });

const compiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodies : queries).compile(schema as AnySchema);

/** Uses this validation for every route the (encapsulated) `app` scope registers. */
export function validateStrictly(app: FastifyInstance): void {
  app.setValidatorCompiler(compiler);
}
