import { type Problem, problem, SkillpassError } from '@skillpass/core';
import { parseVacancy, type Vacancy } from '@skillpass/match';

/** A skill the employer can pick when composing a vacancy (the same shape as a centre's list entry). */
export interface KnownSkill {
  uri: string;
  name: string;
  framework?: string;
}

/** One requirement row of the compose form, as text (what a browser posts). */
export interface RequirementRowInput {
  /** The URI of the skill (picked from the list, or typed). Empty: the row is unused. */
  uri?: string;
  /** Its name; taken from the list when the URI is one of it. */
  name?: string;
  /** `required` or `nice-to-have`. */
  importance?: string;
  /** 1–5, or empty for any level. */
  minLevel?: string;
  /** Months after which evidence is stale, or empty. */
  maxAgeMonths?: string;
}

/** The compose form of the employer's page. */
export interface VacancyFormInput {
  title?: string;
  employer?: string;
  description?: string;
  requirements: RequirementRowInput[];
}

/** Most requirement rows the compose form offers. */
export const MAX_VACANCY_ROWS = 20;

/** Largest uploaded vacancy file, in bytes. */
export const MAX_VACANCY_BYTES = 256 * 1024;

/**
 * Build a vacancy from the compose form: title, employer, description and the filled requirement
 * rows (a row with no skill is skipped). A skill URI of `skills` takes its name and framework from
 * there. The result is checked as an uploaded vacancy is (`parseVacancy`).
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID with one problem per bad field (`/title`,
 *   `/requirements/<row>/minLevel`, …); ERR_INPUT_TOO_LARGE for more than {@link MAX_VACANCY_ROWS} rows.
 * @example
 * ```ts
 * const vacancy = vacancyFromForm({ title: 'CNC machinist', requirements: [{ uri, importance: 'required', minLevel: '3' }] }, skills);
 * ```
 */
export function vacancyFromForm(input: VacancyFormInput, skills: readonly KnownSkill[] = []): Vacancy {
  if (input.requirements.length > MAX_VACANCY_ROWS) {
    throw new SkillpassError('ERR_INPUT_TOO_LARGE', `at most ${MAX_VACANCY_ROWS} requirements`);
  }
  const problems: Problem[] = [];
  const bad = (path: string, message: string) => problems.push(problem('ERR_SCHEMA_INVALID', message, path));
  const text = (v: string | undefined) => (v ?? '').trim();
  const title = text(input.title);
  if (title === '') bad('/title', 'give the vacancy a title');
  const requirements: Record<string, unknown>[] = [];
  input.requirements.forEach((row, i) => {
    const uri = text(row.uri);
    if (uri === '') return;
    const known = skills.find((s) => s.uri === uri);
    const name = known?.name ?? text(row.name);
    if (name === '') bad(`/requirements/${i}/name`, 'name the skill');
    const importance = text(row.importance) || 'required';
    if (importance !== 'required' && importance !== 'nice-to-have') {
      bad(`/requirements/${i}/importance`, 'required or nice-to-have');
    }
    const level = text(row.minLevel);
    if (level !== '' && !/^[1-5]$/.test(level)) bad(`/requirements/${i}/minLevel`, 'the level is 1 to 5');
    const age = text(row.maxAgeMonths);
    if (age !== '' && !(/^\d{1,3}$/.test(age) && Number(age) >= 1 && Number(age) <= 600)) {
      bad(`/requirements/${i}/maxAgeMonths`, '1 to 600 months');
    }
    requirements.push({
      uri,
      name,
      ...(known?.framework !== undefined ? { framework: known.framework } : {}),
      importance,
      ...(level === '' ? {} : { minLevel: Number(level) }),
      ...(age === '' ? {} : { maxAgeMonths: Number(age) }),
    });
  });
  if (requirements.length === 0) bad('/requirements', 'add at least one skill');
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the vacancy is not complete', { problems });
  }
  const employer = text(input.employer);
  const description = text(input.description);
  return parseVacancy({
    title,
    ...(employer === '' ? {} : { employer }),
    ...(description === '' ? {} : { description }),
    requirements,
  });
}

/**
 * Read an uploaded vacancy file (JSON, schemas/vacancy.schema.json).
 *
 * @throws SkillpassError ERR_INPUT_TOO_LARGE (over {@link MAX_VACANCY_BYTES}), ERR_MALFORMED (not
 *   JSON), ERR_SCHEMA_INVALID (not a vacancy).
 */
export function parseVacancyUpload(text: string): Vacancy {
  if (Buffer.byteLength(text, 'utf8') > MAX_VACANCY_BYTES) {
    throw new SkillpassError(
      'ERR_INPUT_TOO_LARGE',
      `the vacancy file is larger than ${MAX_VACANCY_BYTES} bytes`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SkillpassError('ERR_MALFORMED', 'the vacancy file is not JSON');
  }
  return parseVacancy(data);
}
