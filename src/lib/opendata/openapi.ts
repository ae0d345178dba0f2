import { z } from 'zod';
import type { MessageKey, Translate } from '../../i18n/index.ts';
import { COLLECTIONS, LIMITS, plainQuery, querySchema, type AnyCollection, type ApiContext, type Format } from './collections.ts';
import { components, errorSchema } from './schemas.ts';

export const API_BASE = '/api/v1';
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;

type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: Parameter[];
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: JsonSchema }> }>;
  /** A request that returns data on this installation (an OpenAPI extension, shown on /open-data). */
  'x-example'?: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  jsonSchemaDialect: string;
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, { get: Operation }>;
  components: { schemas: Record<string, JsonSchema> };
}

const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${components.get(schema)!.id}` });

let schemas: Record<string, JsonSchema> | undefined;

/** Every named response schema, generated once from the zod schemas the serializers are typed by. */
function componentSchemas(): Record<string, JsonSchema> {
  schemas ??= Object.fromEntries(
    Object.entries(z.toJSONSchema(components, { uri: (id) => `#/components/schemas/${id}`, io: 'output' }).schemas).map(([id, schema]) => {
      // Inside the document they are addressed by their place, not by an $id of their own.
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
  return schemas;
}

/** The query parameters exactly as the endpoint validates them. */
function queryParameters(schema: z.ZodObject, describe: (name: string) => string): Parameter[] {
  const { properties } = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, JsonSchema> };
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: false, description: describe(name), schema: s }));
}

const COMMON_PARAMS: Record<string, MessageKey> = { limit: 'opendata.param.limit', cursor: 'opendata.param.cursor', lang: 'opendata.param.lang' };

function describer(c: AnyCollection | undefined, format: Format, t: Translate) {
  const { max, fallback } = LIMITS[format];
  return (name: string) => t(c?.docs[name] ?? COMMON_PARAMS[name]!, { max, default: fallback });
}

function exampleUrl(ctx: ApiContext, path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${ctx.origin}${API_BASE}${path}${search ? `?${search}` : ''}`;
}

function collectionOperations(ctx: ApiContext, c: AnyCollection, t: Translate): Record<string, { get: Operation }> {
  const validators = {
    ETag: { description: t('opendata.header.etag'), schema: { type: 'string' } },
    'Last-Modified': { description: t('opendata.header.lastModified'), schema: { type: 'string' } },
    ...(c.paging ? { Link: { description: t('opendata.header.link'), schema: { type: 'string' } } } : {}),
  };
  const badRequest = { description: t('opendata.response.badRequest'), content: { 'application/json': { schema: ref(errorSchema) } } };
  const notModified = { description: t('opendata.response.notModified') };
  const tags = [c.name];
  const columns = (c.csv?.header ?? Object.keys(c.item.shape)).join(', ');
  const paths: Record<string, { get: Operation }> = {
    [`/${c.name}`]: {
      get: {
        operationId: `list_${c.name}`,
        summary: t(c.summary),
        description: t(c.description),
        tags,
        parameters: queryParameters(querySchema(c, 'json'), describer(c, 'json', t)),
        responses: {
          '200': {
            description: t(c.paging ? 'opendata.response.page' : 'opendata.response.list'),
            headers: validators,
            content: { 'application/json': { schema: ref(c.envelope) } },
          },
          '304': notModified,
          '400': badRequest,
        },
        'x-example': exampleUrl(ctx, `/${c.name}`, c.example(ctx)),
      },
    },
    [`/${c.name}.csv`]: {
      get: {
        operationId: `export_${c.name}`,
        summary: t('opendata.op.csv', { name: t(c.summary) }),
        description: t('opendata.op.csv.description', { columns }),
        tags,
        parameters: queryParameters(querySchema(c, 'csv'), describer(c, 'csv', t)),
        responses: {
          '200': { description: t('opendata.response.csv'), headers: validators, content: { 'text/csv': { schema: { type: 'string' } } } },
          '304': notModified,
          '400': badRequest,
        },
        'x-example': exampleUrl(ctx, `/${c.name}.csv`, c.example(ctx)),
      },
    },
  };
  const detail = c.detail;
  if (detail) {
    const first = c.fetch(ctx, {}, { limit: 1, after: undefined }).rows[0];
    const { properties } = z.toJSONSchema(z.object({ [detail.param]: detail.schema }), { io: 'input' }) as { properties: Record<string, JsonSchema> };
    paths[`/${c.name}/{${detail.param}}`] = {
      get: {
        operationId: `get_${c.name}`,
        summary: t(detail.summary),
        description: t(detail.summary),
        tags,
        parameters: [
          { name: detail.param, in: 'path', required: true, description: t(detail.description), schema: properties[detail.param]! },
          ...queryParameters(plainQuery, describer(undefined, 'json', t)),
        ],
        responses: {
          '200': { description: t('opendata.response.item'), headers: validators, content: { 'application/json': { schema: ref(detail.result) } } },
          '304': notModified,
          '400': badRequest,
          '404': { description: t('opendata.response.notFound'), content: { 'application/json': { schema: ref(errorSchema) } } },
        },
        ...(first === undefined ? {} : { 'x-example': exampleUrl(ctx, `/${c.name}/${detail.valueOf(first)}`) }),
      },
    };
  }
  return paths;
}

/** The OpenAPI 3.1 description of /api/v1, in the language of `t`. */
export function buildOpenApi(ctx: ApiContext, t: Translate): OpenApiDocument {
  const paths: Record<string, { get: Operation }> = {};
  for (const c of COLLECTIONS) Object.assign(paths, collectionOperations(ctx, c, t));
  paths['/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: t('opendata.op.openapi'),
      description: t('opendata.op.openapi'),
      tags: ['openapi'],
      parameters: queryParameters(plainQuery, describer(undefined, 'json', t)),
      responses: { '200': { description: t('opendata.op.openapi'), content: { 'application/json': { schema: { type: 'object' } } } } },
      'x-example': exampleUrl(ctx, '/openapi.json'),
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: t('opendata.api.title'),
      version: '1.0.0',
      description: [t('opendata.api.description'), t('opendata.conv.paging'), t('opendata.conv.errors'), t('opendata.conv.caching'), t('opendata.terms.body')].join('\n\n'),
      license: { name: 'CC BY 4.0', identifier: 'CC-BY-4.0' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: `${ctx.origin}${API_BASE}` }],
    tags: [...COLLECTIONS.map((c) => ({ name: c.name, description: t(c.summary) })), { name: 'openapi', description: t('opendata.op.openapi') }],
    paths,
    components: { schemas: componentSchemas() },
  };
}

export interface GuideParameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  /** Allowed values, a range or a format, read from the parameter's schema. */
  values: string;
}

export interface GuideEndpoint {
  path: string;
  format: 'json' | 'csv';
  summary: string;
  description: string;
  parameters: GuideParameter[];
  example: string | undefined;
}

function valuesOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
  if (schema.format === 'date') return 'YYYY-MM-DD';
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number') return `${schema.minimum}–${schema.maximum}`;
  return String(schema.type ?? '');
}

/** The document as the /open-data page lists it: per collection, its endpoints in order. */
export function apiGuide(doc: OpenApiDocument): { name: string; title: string; endpoints: GuideEndpoint[] }[] {
  return doc.tags.map((tag) => ({
    name: tag.name,
    title: tag.description,
    endpoints: Object.entries(doc.paths)
      .filter(([, item]) => item.get.tags.includes(tag.name))
      .map(([path, { get }]) => ({
        path: `${API_BASE}${path}`,
        format: path.endsWith('.csv') ? 'csv' : 'json',
        summary: get.summary,
        description: get.description,
        parameters: get.parameters.map((p) => ({ name: p.name, in: p.in, description: p.description, values: valuesOf(p.schema) })),
        example: get['x-example'],
      })),
  }));
}
