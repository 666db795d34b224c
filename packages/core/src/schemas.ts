import { readdirSync, readFileSync } from 'node:fs';
import {
  _,
  Ajv2020,
  type CodeKeywordDefinition,
  type ErrorObject,
  str,
  type ValidateFunction,
} from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { LIMITS } from './constants.js';
import { type Problem, problem, SkillpassError } from './errors.js';

/** Names of the schemas shipped in `schemas/` (file name without `.schema.json`). */
export type SchemaName =
  | 'skill-credential'
  | 'passport'
  | 'skill-assessment'
  | 'trust-registry'
  | 'vacancy'
  | 'crosswalk'
  | 'training-catalogue'
  | 'qualification-map'
  | (string & {});

/** The folder holding the JSON Schemas (draft 2020-12): the single source of truth of the data model. */
export const SCHEMAS_DIR: URL = new URL('../schemas/', import.meta.url);

/** Base of every skillpass schema `$id`. */
export const SCHEMA_BASE = 'https://skillpass.dev/schemas/';

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function registry(): Ajv2020 {
  if (ajv !== undefined) return ajv;
  const instance = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
  // Ajv2020 always tracks which properties and items each subschema evaluated, for
  // `unevaluatedProperties`/`unevaluatedItems`. No skillpass schema uses them, and the tracking
  // costs every validation (an object per `anyOf`, and every branch of an `anyOf` evaluated even
  // after one passed). So it is switched off and the two keywords are removed: a schema that
  // used them would be refused as unknown (strict mode), never validated without them.
  (instance.opts as { unevaluated?: boolean }).unevaluated = false;
  instance.removeKeyword('unevaluatedProperties');
  instance.removeKeyword('unevaluatedItems');
  addFormats.default(instance);
  for (const keyword of ['maxLength', 'minLength'] as const) {
    instance.removeKeyword(keyword);
    instance.addKeyword(lengthKeyword(keyword));
  }
  let files: string[];
  try {
    files = readdirSync(SCHEMAS_DIR);
  } catch (err) {
    // A package installed without its schemas/ folder: say so once, with a stable code.
    throw new SkillpassError('ERR_UNSUPPORTED', `the schema folder ${SCHEMAS_DIR.href} is missing`, {
      cause: err,
    });
  }
  for (const file of files) {
    if (file.endsWith('.schema.json'))
      instance.addSchema(JSON.parse(readFileSync(new URL(file, SCHEMAS_DIR), 'utf8')));
  }
  ajv = instance;
  return instance;
}

/**
 * The compiled validator of a shipped schema. Schemas are loaded and compiled once per process
 * (compiling costs milliseconds; validating, microseconds).
 */
export function getSchemaValidator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = registry().getSchema(`${SCHEMA_BASE}${name}.schema.json`);
    if (validate === undefined) throw new SkillpassError('ERR_INVALID_OPTIONS', `no schema named ${name}`);
    compiled.set(name, validate);
  }
  return validate;
}

/**
 * Validate `data` against a shipped schema. Returns one ERR_SCHEMA_INVALID problem per
 * violation, each with the JSON pointer of the offending field in `path` (prefixed by `basePath`).
 */
export function validateSchema(name: SchemaName, data: unknown, basePath = ''): Problem[] {
  const validate = getSchemaValidator(name);
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, LIMITS.maxSchemaProblems).map((e) => schemaProblem(e, basePath));
}

function schemaProblem(e: ErrorObject, basePath: string): Problem {
  const path = `${basePath}${e.instancePath}${offendingField(e)}` || '/';
  return problem('ERR_SCHEMA_INVALID', `${path} ${e.message ?? 'is invalid'}`, path);
}

/**
 * The property a `required` or `additionalProperties` error is about, as a pointer segment: ajv
 * reports both at the enclosing object, which would not tell a user which field to fix.
 */
function offendingField(e: ErrorObject): string {
  const params = e.params as { missingProperty?: unknown; additionalProperty?: unknown };
  const field =
    e.keyword === 'required'
      ? params.missingProperty
      : e.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  return field === undefined ? '' : `/${escapePointer(String(field))}`;
}

/** A JSON Pointer reference token (RFC 6901): `~` and `/` escaped. */
function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * `maxLength`/`minLength` with the standard meaning (Unicode code points), counted only when the
 * UTF-16 length cannot decide: a string of at most `max` code units has at most `max` code points,
 * one of at least 2 × `min` units at least `min`. ajv counts every string character by character,
 * which was the largest part of validating a credential (docs/performance.md).
 */
function lengthKeyword(keyword: 'maxLength' | 'minLength'): CodeKeywordDefinition {
  const max = keyword === 'maxLength';
  return {
    keyword,
    type: 'string',
    schemaType: 'number',
    error: {
      message: ({ schemaCode }) => str`must NOT have ${max ? 'more' : 'fewer'} than ${schemaCode} characters`,
      params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
    },
    code(cxt) {
      const { data, schemaCode, gen } = cxt;
      const codePoints = gen.scopeValue('func', { ref: codePointLength });
      cxt.fail(
        max
          ? _`${data}.length > ${schemaCode} && ${codePoints}(${data}) > ${schemaCode}`
          : _`${data}.length < ${schemaCode} || (${data}.length < 2 * ${schemaCode} && ${codePoints}(${data}) < ${schemaCode})`,
      );
    },
  };
}

/** Unicode code points in a string (a surrogate pair counts once), as JSON Schema counts length. */
function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return n;
}
