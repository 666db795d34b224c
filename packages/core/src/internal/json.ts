import { LIMITS } from '../constants.js';
import type { MalformedReason } from '../errors.js';

/** A JSON value as parsed from untrusted input. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An object parsed from JSON. */
export type JsonObject = { [key: string]: JsonValue };

/** Outcome of {@link parseJsonObject}. */
export type ParseJsonResult =
  | { ok: true; value: JsonObject }
  | { ok: false; reason: string; rule: MalformedReason };

/**
 * Parse untrusted JSON that must be an object. Rejects `__proto__` keys (they pollute
 * prototypes when the value is later merged or spread) and nesting deeper than `maxDepth`.
 */
export function parseJsonObject(text: string, maxDepth: number = LIMITS.maxJsonDepth): ParseJsonResult {
  let forbidden = false;
  let value: unknown;
  try {
    // The reviver is slow; it is only needed when the key could be present, spelt plainly or escaped.
    value =
      text.includes('__proto__') || text.includes('\\u')
        ? JSON.parse(text, (key: string, v: unknown) => {
            if (key === '__proto__') forbidden = true;
            return v;
          })
        : JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON', rule: 'json-syntax' };
  }
  if (forbidden) return { ok: false, reason: 'forbidden key "__proto__"', rule: 'json-forbidden-key' };
  if (!isJsonObject(value)) return { ok: false, reason: 'JSON is not an object', rule: 'json-not-object' };
  if (depthExceeds(value, maxDepth))
    return { ok: false, reason: `nesting deeper than ${maxDepth}`, rule: 'json-too-deep' };
  return { ok: true, value };
}

/** True for a plain (non-array, non-null) object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function depthExceeds(value: unknown, remaining: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (remaining <= 0) return true;
  // Loops without Object.values: this walks every node of every token verified.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (depthExceeds(value[i], remaining - 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (depthExceeds(record[key], remaining - 1)) return true;
  return false;
}
