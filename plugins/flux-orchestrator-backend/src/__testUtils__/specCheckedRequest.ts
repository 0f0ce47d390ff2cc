import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import supertest, { Response } from 'supertest';
import { spec } from '../schema/openapi.generated';

/**
 * supertest, with every answer checked against the API's OpenAPI spec (src/schema/openapi.yaml): the route and
 * method must be in the spec, the status must be one the spec lists for them (any 5xx may be its `default`),
 * and the body must match that response's schema. The response schemas refuse fields they do not name, so a
 * field a route answers and the spec lacks, or types otherwise, fails the test that made the request.
 *
 * A drop-in for supertest's default export in the route tests: `request(app).get(path)`.
 */
export default function request(app: Parameters<typeof supertest>[0]) {
  const agent = supertest(app);
  const checked =
    (method: Method) =>
    (url: string): supertest.Test =>
      agent[method](url).expect(res => expectAnswerInSpec(method, url, res));
  return {
    get: checked('get'),
    post: checked('post'),
    put: checked('put'),
    delete: checked('delete'),
  };
}

type Method = 'get' | 'post' | 'put' | 'delete';

const BASE_PATH = '/api/flux-orchestrator';
const SCHEMAS_ID = 'flux-orchestrator-openapi';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The spec as plain JSON, its component refs pointing into one schema document ajv knows by SCHEMAS_ID. */
function withAjvRefs(value: unknown): Json {
  return JSON.parse(
    JSON.stringify(value).replace(
      /"#\/components\/schemas\//g,
      `"${SCHEMAS_ID}#/$defs/`,
    ),
  );
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addSchema({
  $id: SCHEMAS_ID,
  $defs: withAjvRefs(spec.components.schemas),
} as object);

const paths = spec.paths as unknown as Record<
  string,
  Record<string, { responses: Record<string, ResponseObject | undefined> }>
>;

/** The spec's path template of a request path, as express-openapi-validator picks it: static segments first. */
export function specPathOf(method: string, path: string): string | undefined {
  const segments = path.split('/');
  const matches = Object.keys(paths).filter(template => {
    const parts = template.split('/');
    return (
      paths[template][method] !== undefined &&
      parts.length === segments.length &&
      parts.every(
        (part, i) =>
          part === segments[i] ||
          (/^\{\w+\}$/.test(part) && segments[i] !== ''),
      )
    );
  });
  const params = (template: string) => (template.match(/\{/g) ?? []).length;
  return matches.sort((a, b) => params(a) - params(b))[0];
}

type ResponseObject = {
  $ref?: string;
  content?: Record<string, { schema: Json }>;
};

/** The response object of a status, with a component ref followed. */
function responseOf(
  template: string,
  method: string,
  status: number,
): ResponseObject | undefined {
  const responses = paths[template][method].responses;
  const response =
    responses[String(status)] ??
    (status >= 500 ? responses.default : undefined);
  if (!response?.$ref) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  return (
    spec.components.responses as unknown as Record<string, ResponseObject>
  )[name];
}

const validators = new Map<string, ValidateFunction>();

function validatorOf(key: string, schema: Json): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(withAjvRefs(schema) as object);
    validators.set(key, validate);
  }
  return validate;
}

/** Throws, naming the request, when an answer is not one the spec describes. */
export function expectAnswerInSpec(method: string, url: string, res: Response) {
  const path = new URL(url, 'http://backend').pathname;
  if (!path.startsWith(`${BASE_PATH}/`) || path === `${BASE_PATH}/openapi.json`)
    return;
  const what = `${method.toUpperCase()} ${url}`;
  const template = specPathOf(method, path.slice(BASE_PATH.length));
  if (!template) throw new Error(`${what}: no route of the spec matches`);
  const response = responseOf(template, method, res.status);
  if (!response) {
    throw new Error(
      `${what} answered ${
        res.status
      }, a status the spec does not list for ${method.toUpperCase()} ${template}`,
    );
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    if (res.text) {
      throw new Error(
        `${what} answered ${res.status} with a body, where the spec has none`,
      );
    }
    return;
  }
  const validate = validatorOf(`${method} ${template} ${res.status}`, schema);
  if (!validate(res.body)) {
    throw new Error(
      `${what} answered ${
        res.status
      } with a body the spec does not describe: ${ajv.errorsText(
        validate.errors,
        { dataVar: 'body' },
      )}`,
    );
  }
}
