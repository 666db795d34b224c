import { readFileSync } from 'node:fs';
import { isSkillpassError, SkillpassError, validateSchema } from '@skillpass/core';
import { receiveCredential } from '@skillpass/holder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_METHODS,
  type AssessmentFormInput,
  assessmentFromForm,
  createCentreConsole,
  parseCentreSkills,
} from '../src/index.js';
import { makeWallet, startCentre } from './helpers.js';

const SKILLS_FILE = new URL('../../../examples/metal-sector/centre-skills.json', import.meta.url);
const skills = parseCentreSkills(JSON.parse(readFileSync(SKILLS_FILE, 'utf8')));
const CNC = skills[0]!;
const NOW = new Date('2026-12-02T12:00:00Z');

function codeOf(fn: () => unknown): { code: string; paths: string[] } {
  try {
    fn();
  } catch (err) {
    if (err instanceof SkillpassError)
      return { code: err.code, paths: (err.problems ?? []).map((p) => p.path ?? '') };
    throw err;
  }
  throw new Error('expected a SkillpassError');
}

const goodForm: AssessmentFormInput = {
  skill: CNC.uri,
  level: '3',
  method: 'practical-exam',
  date: '2026-11-30',
  assessor: 'J. de Vries',
  score: '84',
  description: 'G-code program proved out within tolerance.',
};

describe("the centre's skill list", () => {
  it('reads the example list, with the CompetentNL alignment of a skill', () => {
    expect(skills.length).toBeGreaterThan(5);
    expect(CNC.alsoAlignedTo?.[0]?.framework).toBe('CompetentNL');
  });

  it('refuses a non-list, an empty list, a bad skill and a URI listed twice, naming the entry', () => {
    expect(codeOf(() => parseCentreSkills([])).code).toBe('ERR_SCHEMA_INVALID');
    expect(codeOf(() => parseCentreSkills({ skills: [] })).code).toBe('ERR_SCHEMA_INVALID');
    const bad = codeOf(() => parseCentreSkills({ skills: [CNC, { uri: 'not a uri', name: '' }] }));
    expect(bad.code).toBe('ERR_SCHEMA_INVALID');
    expect(bad.paths.every((p) => p.startsWith('/skills/1'))).toBe(true);
    expect(codeOf(() => parseCentreSkills({ skills: [CNC, CNC] })).paths).toEqual(['/skills/1/uri']);
  });

  it('never throws anything but ERR_SCHEMA_INVALID on arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const parsed = parseCentreSkills(value);
          expect(parsed.length).toBeGreaterThan(0);
        } catch (err) {
          expect(isSkillpassError(err, 'ERR_SCHEMA_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('an assessment from the form', () => {
  it('builds a valid assessment with the skill exactly as the list has it', () => {
    const a = assessmentFromForm(goodForm, skills, { now: NOW });
    expect(validateSchema('skill-assessment', a)).toEqual([]);
    expect(a.skill).toEqual(CNC);
    expect(a.level).toBe(3);
    expect(a.evidence[0]).toMatchObject({ method: 'practical-exam', assessedOn: '2026-11-30', score: 84 });
    expect(a.evidence[0]?.assessor).toEqual({ name: 'J. de Vries' });
  });

  it('names every bad field at once', () => {
    const { code, paths } = codeOf(() =>
      assessmentFromForm(
        {
          skill: 'http://example.com/unknown',
          level: '6',
          method: 'guess',
          date: '2026-02-30',
          assessor: ' ',
          score: '101',
        },
        skills,
        { now: NOW },
      ),
    );
    expect(code).toBe('ERR_SCHEMA_INVALID');
    expect(paths.sort()).toEqual(['/assessor', '/date', '/level', '/method', '/score', '/skill']);
  });

  it('refuses a date in the future', () => {
    expect(
      codeOf(() => assessmentFromForm({ ...goodForm, date: '2026-12-03' }, skills, { now: NOW })).paths,
    ).toEqual(['/date']);
  });

  it('yields a schema-valid assessment or ERR_SCHEMA_INVALID for any form (property)', () => {
    const field = fc.oneof(
      fc.string(),
      fc.constantFrom('', '1', '3', '5', ...ASSESSMENT_METHODS, CNC.uri, '2026-01-01'),
    );
    fc.assert(
      fc.property(
        fc.record({
          skill: field,
          level: field,
          method: field,
          date: field,
          assessor: field,
          score: field,
          description: field,
        }),
        (form) => {
          try {
            expect(
              validateSchema('skill-assessment', assessmentFromForm(form, skills, { now: NOW })),
            ).toEqual([]);
          } catch (err) {
            expect(isSkillpassError(err, 'ERR_SCHEMA_INVALID')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the centre's console on a running service", () => {
  it('offers an assessment with a transaction code; the wallet receives it; the register lists it; revoke needs a reason', async () => {
    const centre = await startCentre();
    const console = createCentreConsole({
      issuer: centre.issuer,
      offers: centre.offers,
      publicUrl: centre.url,
      skills,
    });
    const { offer, txCode, assessment } = console.offerAssessment({ ...goodForm, date: '2026-11-01' });
    expect(txCode).toMatch(/^\d{6}$/);
    expect(assessment.skill.alsoAlignedTo?.[0]?.framework).toBe('CompetentNL');
    expect(console.offerList().map((o) => o.state)).toEqual(['pending']);

    const wallet = await makeWallet();
    const { entry } = await receiveCredential(wallet, offer, { txCode: txCode!, allowHttpLocalhost: true });
    expect(console.offerList().map((o) => o.state)).toEqual(['issued']);

    const [line] = await console.register();
    expect(line?.record.id).toBe(entry.id);
    expect(line?.record.subject).toBe(wallet.did);
    expect(line).toMatchObject({ state: 'valid', canRevoke: true, canSuspend: false, canUnsuspend: false });

    await expect(
      console.changeStatus(entry.id, 'revoke', { reason: '  ', actor: 'staff' }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
    await expect(
      console.changeStatus(entry.id, 'suspend', { reason: 'pending review', actor: 'staff' }),
    ).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED' });
    const { changed } = await console.changeStatus(entry.id, 'revoke', {
      reason: 'exam fraud found',
      actor: 'staff',
    });
    expect(changed).toBe(true);
    expect((await console.register())[0]).toMatchObject({ state: 'revoked', canRevoke: false });
    const [audit] = await centre.issuer.auditLog(entry.id);
    expect(audit).toMatchObject({ action: 'revoke', reason: 'exam fraud found', actor: 'staff' });
    await expect(
      console.changeStatus('urn:uuid:nope', 'revoke', { reason: 'x', actor: 'staff' }),
    ).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
  });

  it('shows an offer past its lifetime as expired', async () => {
    let now = NOW;
    const centre = await startCentre();
    const console = createCentreConsole({
      issuer: centre.issuer,
      offers: centre.offers,
      publicUrl: centre.url,
      skills,
      offerTtlSeconds: 60,
      now: () => now,
    });
    console.offerAssessment(goodForm);
    now = new Date(NOW.getTime() + 61_000);
    expect(console.offerList().map((o) => o.state)).toEqual(['expired']);
  });
});
