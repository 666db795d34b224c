import type { CredentialFormat, JsonObject } from '@skillpass/core';
import { isJsonObject, parseJsonObject } from '@skillpass/core/internal';
import { jwtVc11, vcJwt } from './jws-credential.js';
import { ldpVc } from './ldp-vc.js';
import { dcSdJwt } from './sd-jwt-credential.js';
import type { FormatHandler } from './types.js';

/**
 * Every credential format the verifier accepts, in the order they are tried: the one list a new
 * format is added to. `ldp_vc` comes first: its JSON text may contain a `~`, which would
 * otherwise read as an SD-JWT. The JWS fallback (`jwtVc11`) comes last among the string formats,
 * so any unrecognised token gets its precise parse error.
 */
const FORMATS: readonly FormatHandler[] = [ldpVc, dcSdJwt, vcJwt, jwtVc11];

/** The handler of a credential given as a token (string) or as JSON, or undefined for none. */
export function handlerFor(input: unknown): FormatHandler | undefined {
  const header = typeof input === 'string' ? jwsHeader(input) : undefined;
  return FORMATS.find((f) => f.detect(input, header));
}

/** The handler registered for a format name. */
export function handlerOf(format: CredentialFormat): FormatHandler | undefined {
  return FORMATS.find((f) => f.format === format);
}

/** The format names of the registered handlers. */
export function credentialFormats(): CredentialFormat[] {
  return FORMATS.map((f) => f.format);
}

/**
 * The format of a credential, from its shape and header only (no verification), or undefined
 * when no registered handler claims it.
 */
export function credentialFormatOf(input: unknown): CredentialFormat | undefined {
  return handlerFor(input)?.format;
}

/** The `data:` media type that envelopes a format in a presentation, or undefined when it is embedded as JSON. */
export function envelopeMediaType(format: CredentialFormat): string | undefined {
  return handlerOf(format)?.mediaTypes[0];
}

/**
 * What identifies a credential within a presentation (see {@link FormatHandler.identity}), or
 * undefined for an entry no handler claims (its own format check reports it). `handler` is the
 * one {@link handlerFor} gives for `input`, when the caller has it already.
 */
export function credentialIdentity(
  input: unknown,
  handler: FormatHandler | undefined = handlerFor(input),
): string | undefined {
  return handler === undefined ? undefined : `${handler.format}:${handler.identity(input)}`;
}

/** The decoded JOSE header of a compact token (cheap: the first segment only), or undefined. */
function jwsHeader(token: string): JsonObject | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 4096) return undefined;
  const parsed = parseJsonObject(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
}
