import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { OpenApiDocument } from '../../src/lib/opendata/openapi.ts';

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Validates responses against a served OpenAPI 3.1 document: the response schema of the
 * operation a URL path matches, compiled by ajv (JSON Schema 2020-12) with the document's
 * components as they are, `$ref`s and all.
 */
export function responseValidator(doc: OpenApiDocument, base: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema(doc as object, 'openapi');
  const compiled = new Map<string, ValidateFunction>();
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  const compile = (ref: string) => {
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  };

  return {
    /** The document path (e.g. `/listings/{id}`) a request path under `base` belongs to. */
    templateOf(path: string): string | undefined {
      const local = path.slice(base.length);
      return templates.find((t) => t.pattern.test(local))?.template;
    },
    /** The errors of `body` as the response `status` of GET `template` (undefined when valid). */
    errors(template: string, status: number, body: unknown): string | undefined {
      const response = doc.paths[template]?.get.responses[String(status)];
      if (!response?.content?.['application/json']) return `the document has no JSON ${status} response for GET ${template}`;
      const validate = compile(`openapi#/paths/${pointer(template)}/get/responses/${status}/content/application~1json/schema`);
      return validate(body) ? undefined : ajv.errorsText(validate.errors);
    },
    /** The errors of `body` against a named component schema. */
    componentErrors(name: string, body: unknown): string | undefined {
      const validate = compile(`openapi#/components/schemas/${name}`);
      return validate(body) ? undefined : ajv.errorsText(validate.errors);
    },
  };
}
