import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CheckResult,
  type CredentialReport,
  isSkillpassError,
  LIMITS,
  type Problem,
  SkillpassError,
} from '@skillpass/core';
import type { RankedCandidate, RequirementMatch, TrainingPlan, Vacancy } from '@skillpass/match';
import {
  createPageApp,
  createStaffSignIn,
  csrfField,
  formatDateTime,
  html,
  MIN_STAFF_ACCESS_CODE_LENGTH,
  type NavItem,
  type PageContext,
  qrSvg,
  rateLimit,
  redirectAfterLanguageSwitch,
  renderErrorPage,
  renderPage,
  type SafeHtml,
  STAFF_SIGN_IN_RATE_LIMIT,
  type StaffMember,
  type StaffSiteOptions,
  safeHref,
  siteNotFound,
  translator,
} from '@skillpass/web';
import { Hono } from 'hono';
import {
  createEmployerConsole,
  type EmployerConsoleOptions,
  MAX_POOL_FILES,
  type PoolFile,
  type RankJob,
  type ResultView,
} from '../console/employer-console.js';
import { parseVacancyUpload, type RequirementRowInput, vacancyFromForm } from '../console/vacancy-form.js';
import type { VerifierService } from '../service.js';
import { CHECK_WORDS, type CheckWordKey, codeInWords } from './check-words.js';
import { EMPLOYER_MESSAGES, type EmployerMessageKey } from './employer-messages.js';

/** Options of {@link createEmployerSite}. */
export interface EmployerSiteOptions extends EmployerConsoleOptions, StaffSiteOptions {
  /** The OpenID4VP service (`createVerifierService`) the pages sit beside. */
  service: VerifierService;
  /** The staff access code (at least 16 characters); never shown in a page. */
  adminSecret: string;
  /** A folder of passports the ranking page can use (besides uploads). */
  poolDir?: string;
}

/** Shortest staff access code accepted. */
export const MIN_ADMIN_SECRET_LENGTH = MIN_STAFF_ACCESS_CODE_LENGTH;
/** Requests per minute per client on the public OpenID4VP endpoints. */
export const PROTOCOL_RATE_LIMIT = { max: 120, windowSeconds: 60 } as const;
/** Sign-in attempts per client per five minutes. */
export const SIGN_IN_RATE_LIMIT = STAFF_SIGN_IN_RATE_LIMIT;
/** Largest page request (the ranking upload), in bytes. */
export const MAX_PAGE_BODY_BYTES = 32 * 1024 * 1024;
/** Requirement rows of the compose form. */
export const COMPOSE_ROWS = 6;

interface Staff extends StaffMember {
  /** Vacancies used in this session, newest first (the ranking page offers them). */
  vacancies: Vacancy[];
  /** Requests made in this session: their link, to show again. */
  requests: Map<string, { uri: string; title: string; expiresAt: string }>;
}

/**
 * The employer's whole site: the OpenID4VP service (rate limited per client) and, at `/`, the
 * staff pages — sign in with the access code, compose or upload a vacancy, create a request shown
 * as a QR code and a link, the result appearing when the worker answers (every check in plain
 * words, the gaps, the training plan), and the ranking of a pool of passports with an
 * explanation per candidate and a progress indicator. Dutch first, English by the switch; the
 * page middleware of `@skillpass/web` (CSP, CSRF, cookies, body limit).
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS for an access code shorter than {@link MIN_ADMIN_SECRET_LENGTH}.
 * @example
 * ```ts
 * const service = createVerifierService({ store, verifier, resolver });
 * const app = createEmployerSite({ service, store, verifier, adminSecret, catalogue });
 * await listen(app, { port: 8080 });
 * ```
 */
export function createEmployerSite(options: EmployerSiteOptions): Hono {
  const t = (c: PageContext) => translator(EMPLOYER_MESSAGES, c.get('lang'));
  const staffSignIn = createStaffSignIn<Staff>({
    accessCode: options.adminSecret,
    cookieName: 'sp_employer',
    idleSeconds: options.sessionIdleSeconds,
    secureCookies: options.secureCookies,
    trustedProxies: options.trustedProxies,
    messages: {
      nl: { signInIntro: EMPLOYER_MESSAGES.nl.signInIntro },
      en: { signInIntro: EMPLOYER_MESSAGES.en.signInIntro },
    },
    newSession: (name) => ({ name, vacancies: [], requests: new Map() }),
    // The polled fragments answer a lost session with 401, never with a whole sign-in page.
    showsSignIn: (c) => c.req.method === 'GET' && !isFragment(c),
  });
  const { sessions, staffBar, staffOf } = staffSignIn;
  const employer = createEmployerConsole(options);
  const site = new Hono();
  const protocolLimit = rateLimit({ ...PROTOCOL_RATE_LIMIT, trustedProxies: options.trustedProxies });
  site.use('/oid4vp/request/*', protocolLimit);
  site.use('/oid4vp/response', protocolLimit);
  site.route('/', options.service.app);

  const pages = createPageApp({
    siteName: { nl: EMPLOYER_MESSAGES.nl.siteName, en: EMPLOYER_MESSAGES.en.siteName },
    maxBodyBytes: MAX_PAGE_BODY_BYTES,
    ...(options.secureCookies !== undefined ? { secureCookies: options.secureCookies } : {}),
  });
  const words = (c: PageContext) => translator(CHECK_WORDS, c.get('lang'));
  const nav = (c: PageContext): NavItem[] => [
    { href: '/', label: t(c)('navVacancy') },
    { href: '/rank', label: t(c)('navRank') },
  ];
  staffSignIn.mount(pages);

  // ── Vacancy and request ──────────────────────────────────────────────────────────────────
  const vacancyPage = (
    c: PageContext,
    staff: Staff,
    values: { title?: string; employer?: string; rows: RequirementRowInput[] },
    problems: readonly Problem[] = [],
    uploadError?: string,
  ) => {
    const tr = t(c);
    const wrong = new Set(problems.map((p) => p.path ?? ''));
    const rowWrong = (i: number, field: string) => wrong.has(`/requirements/${i}/${field}`);
    const list = employer.skills;
    const fieldKeys = [...new Set(problems.map((p) => (p.path ?? '').split('/').pop() ?? ''))];
    return renderPage(c, {
      title: tr('vacancyTitle'),
      nav: nav(c),
      status: problems.length > 0 || uploadError !== undefined ? 422 : 200,
      main: html`${staffBar(c, staff)}
<p>${tr('vacancyIntro')}</p>
${
  problems.length > 0 &&
  html`<div class="notice notice-error" role="alert" data-error-code="ERR_SCHEMA_INVALID"><p>${tr('formErrors')}</p><ul>${fieldKeys.map(
    (k) =>
      html`<li>${Object.hasOwn(EMPLOYER_MESSAGES.nl, `field_${k}`) ? tr(`field_${k}` as EmployerMessageKey) : k}</li>`,
  )}</ul></div>`
}
${uploadError !== undefined && html`<div class="notice notice-error" role="alert" data-error-code="${uploadError}"><p>${Object.hasOwn(EMPLOYER_MESSAGES.nl, uploadError) ? tr(uploadError as EmployerMessageKey) : uploadError}</p></div>`}
<h2>${tr('composeTitle')}</h2>
<form method="post" action="/requests" id="compose">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="title">${tr('vacancyName')}</label>
<input type="text" id="title" name="title" required maxlength="500" value="${values.title ?? ''}"${wrong.has('/title') ? html` aria-invalid="true"` : ''}></div>
<div class="field"><label for="employer">${tr('employerName')}</label>
<input type="text" id="employer" name="employer" maxlength="500" value="${values.employer ?? ''}"></div>
<fieldset><legend>${tr('requirementsLegend')}</legend>
${Array.from({ length: COMPOSE_ROWS }, (_, i) => {
  const row = values.rows[i] ?? {};
  const id = (f: string) => `req-${i}-${f}`;
  return html`<fieldset class="requirement"><legend>${tr('requirementRow', { n: i + 1 })}</legend>
${
  list.length > 0
    ? html`<div class="field"><label for="${id('uri')}">${tr('rowSkill')}</label>
<select id="${id('uri')}" name="${id('uri')}"><option value="">—</option>${list.map(
        (s) =>
          html`<option value="${s.uri}"${row.uri === s.uri ? html` selected` : ''}>${s.framework ? `${s.name} (${s.framework})` : s.name}</option>`,
      )}</select></div>`
    : html`<div class="field"><label for="${id('uri')}">${tr('rowUri')}</label>
<input type="url" id="${id('uri')}" name="${id('uri')}" maxlength="2048" value="${row.uri ?? ''}"></div>
<div class="field"><label for="${id('name')}">${tr('rowName')}</label>
<input type="text" id="${id('name')}" name="${id('name')}" maxlength="500" value="${row.name ?? ''}"${rowWrong(i, 'name') ? html` aria-invalid="true"` : ''}></div>`
}
<div class="field"><label for="${id('importance')}">${tr('rowImportance')}</label>
<select id="${id('importance')}" name="${id('importance')}">${(['required', 'nice-to-have'] as const).map(
    (v) =>
      html`<option value="${v}"${row.importance === v ? html` selected` : ''}>${tr(`importance_${v}`)}</option>`,
  )}</select></div>
<div class="field"><label for="${id('minLevel')}">${tr('rowLevel')}</label>
<select id="${id('minLevel')}" name="${id('minLevel')}"${rowWrong(i, 'minLevel') ? html` aria-invalid="true"` : ''}><option value="">${tr('anyLevel')}</option>${[
    1, 2, 3, 4, 5,
  ].map(
    (n) => html`<option value="${n}"${row.minLevel === String(n) ? html` selected` : ''}>${n}</option>`,
  )}</select></div>
<div class="field"><label for="${id('maxAgeMonths')}">${tr('rowAge')}</label>
<input type="number" id="${id('maxAgeMonths')}" name="${id('maxAgeMonths')}" min="1" max="600" value="${row.maxAgeMonths ?? ''}"${rowWrong(i, 'maxAgeMonths') ? html` aria-invalid="true"` : ''}></div>
</fieldset>`;
})}
</fieldset>
<button type="submit">${tr('createRequest')}</button>
</form>
<h2>${tr('uploadTitle')}</h2>
<form method="post" action="/requests" enctype="multipart/form-data" id="upload">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="vacancyFile">${tr('vacancyFile')}</label>
<input type="file" id="vacancyFile" name="vacancyFile" accept="application/json,.json" required></div>
<button type="submit">${tr('createRequest')}</button>
</form>`,
    });
  };

  pages.get('/', (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    return vacancyPage(c, staff, { rows: [] });
  });

  pages.post('/requests', async (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    const body = await c.req.parseBody();
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
    let vacancy: Vacancy;
    const file = body.vacancyFile;
    const rows: RequirementRowInput[] = Array.from({ length: COMPOSE_ROWS }, (_, i) => {
      const row: RequirementRowInput = {};
      for (const f of ['uri', 'name', 'importance', 'minLevel', 'maxAgeMonths'] as const) {
        const v = text(`req-${i}-${f}`);
        if (v !== undefined) row[f] = v;
      }
      return row;
    });
    const values = { rows, ...optional('title', text('title')), ...optional('employer', text('employer')) };
    if (file instanceof File) {
      try {
        if (file.size > 256 * 1024) throw new SkillpassError('ERR_INPUT_TOO_LARGE', 'vacancy file too large');
        vacancy = parseVacancyUpload(await file.text());
      } catch (err) {
        for (const code of ['ERR_INPUT_TOO_LARGE', 'ERR_MALFORMED', 'ERR_SCHEMA_INVALID'] as const) {
          if (isSkillpassError(err, code)) return vacancyPage(c, staff, { rows: [] }, [], code);
        }
        throw err;
      }
    } else {
      try {
        vacancy = vacancyFromForm({ ...values, requirements: rows }, employer.skills);
      } catch (err) {
        if (isSkillpassError(err, 'ERR_SCHEMA_INVALID'))
          return vacancyPage(c, staff, values, err.problems ?? []);
        throw err;
      }
    }
    const created = await employer.createRequest(vacancy);
    staff.vacancies = [vacancy, ...staff.vacancies.filter((v) => v.title !== vacancy.title)].slice(0, 10);
    staff.requests.set(created.id, { uri: created.uri, title: vacancy.title, expiresAt: created.expiresAt });
    if (staff.requests.size > 50) staff.requests.delete(staff.requests.keys().next().value!);
    return c.redirect(`/requests/${encodeURIComponent(created.id)}`, 303);
  });

  pages.get('/requests/:id{[A-Za-z0-9_-]{1,64}}', async (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    const id = c.req.param('id');
    const view = employer.result(id);
    if (view === undefined) return renderErrorPage(c, 404, 'ERR_NOT_FOUND');
    const tr = t(c);
    const mine = staff.requests.get(id);
    const title = view.result.match?.vacancy.title ?? mine?.title ?? id;
    const open = view.result.status === 'pending';
    const qr =
      mine !== undefined && open
        ? await qrSvg(mine.uri, { label: tr('requestQrLabel', { title }) })
        : undefined;
    c.header('Cache-Control', 'no-store');
    return renderPage(c, {
      title: `${tr('requestTitle')}: ${title}`,
      nav: nav(c),
      main: html`${staffBar(c, staff)}
${
  mine !== undefined &&
  open &&
  html`<p>${tr('requestIntro', { until: formatDateTime(mine.expiresAt, c.get('lang')) })}</p>
<figure class="qr-figure">${qr ?? ''}<figcaption><a id="request-link" href="${safeHref(mine.uri, ['openid4vp:'])}">${tr('requestLink')}</a></figcaption></figure>
<p><code id="request-uri">${mine.uri}</code> <button type="button" class="secondary" data-copy="#request-uri" data-copied="${tr('copied')}" hidden>${tr('copy')}</button></p>`
}
<div id="result" aria-live="polite"${done(view) ? '' : html` data-poll="/requests/${id}/result"`}>${resultFragment(c, id, view)}</div>`,
    });
  });

  pages.get('/requests/:id{[A-Za-z0-9_-]{1,64}}/result', (c) => {
    const staff = sessions.get(c);
    if (staff === undefined)
      return c.html(html`<p data-error-code="ERR_SESSION_REQUIRED">${t(c)('signInTitle')}</p>`.value, 401);
    const id = c.req.param('id');
    const view = employer.result(id);
    if (view === undefined) return c.html('', 404);
    c.header('Cache-Control', 'no-store');
    if (done(view)) c.header('X-Poll-Done', '1');
    return c.html(resultFragment(c, id, view).value);
  });

  const done = (view: ResultView) => view.result.status !== 'pending' && view.result.status !== 'processing';

  const resultFragment = (c: PageContext, id: string, view: ResultView): SafeHtml => {
    const tr = t(c);
    const w = words(c);
    const { result, plan } = view;
    const stateClass =
      result.status === 'verified'
        ? 'state-ok'
        : result.status === 'refused' || result.status === 'expired'
          ? 'state-bad'
          : 'state-warn';
    const badge = html`<p>${tr('colOutcome')}: <span class="state ${stateClass}" data-status="${result.status}">${tr(`status_${result.status}`)}</span></p>`;
    if (!done(view)) {
      return html`${badge}<p>${tr('waiting')}</p><p><a href="/requests/${id}">${tr('refresh')}</a></p>`;
    }
    if (result.status === 'expired') return html`${badge}<p>${tr('resultExpired')}</p>`;
    const report = result.verification;
    return html`${badge}
${
  result.error !== null
    ? html`<div class="notice notice-error" role="alert" data-error-code="${result.error.skillpass_code}"><p>${tr(
        'resultRefused',
        {
          reason: codeInWords(w, result.error.skillpass_code),
        },
      )} <code>${result.error.skillpass_code}</code></p></div>`
    : html`<div class="notice notice-ok"><p>${tr('resultVerified')}</p></div>`
}
${
  report !== null &&
  html`<h2>${tr('credentialsTitle')}</h2>
${report.checks.length > 0 && html`<h3>${tr('presentationChecks')}</h3>${checkList(c, report.checks)}`}
<ul class="cards">${report.credentials.map((cr) => credentialCard(c, cr))}</ul>`
}
${result.match !== null && matchSection(c, result.match.requirements, result.match.score, result.match.requiredCoverage, result.match.tiersJudged)}
${result.match !== null && planSection(c, result.match.requirements, plan)}`;
  };

  const checkList = (c: PageContext, checks: readonly CheckResult[]) => {
    const tr = t(c);
    const w = words(c);
    return html`<ul class="checks">${checks.map(
      (k) =>
        html`<li data-check="${k.name}" data-ok="${String(k.ok)}">${
          k.skipped
            ? html`<span class="state">${w('checkSkipped')}</span>`
            : k.ok
              ? html`<span class="state state-ok">${tr('checkPassed')}</span>`
              : html`<span class="state state-bad">${tr('checkFailed')}</span>`
        } ${w(`check_${k.name}` as CheckWordKey)}${
          !k.ok && k.code !== undefined ? html` — ${codeInWords(w, k.code)} <code>${k.code}</code>` : ''
        }</li>`,
    )}</ul>`;
  };

  const credentialCard = (c: PageContext, cr: CredentialReport) => {
    const tr = t(c);
    const heading =
      cr.skill !== null
        ? tr('credentialHeading', { skill: cr.skill.name, level: cr.skill.level ?? '–' })
        : tr('credentialUnknown', { n: cr.index + 1 });
    return html`<li class="card" data-verified="${String(cr.verified)}"><h3>${heading}</h3>
<dl>
<dt>${tr('issuedBy')}</dt><dd>${cr.issuerName ?? cr.issuer ?? '–'}</dd>
${cr.skill?.assessedOn !== undefined && html`<dt>${tr('assessedOn')}</dt><dd>${cr.skill.assessedOn}</dd>`}
<dt>${tr('format')}</dt><dd>${cr.format ?? '–'}</dd>
${
  cr.disclosed !== undefined &&
  html`<dt>${tr('disclosed')}</dt><dd data-disclosed="${cr.disclosed.join(' ')}">${
    cr.disclosed.length === 0
      ? tr('disclosedNothing')
      : cr.disclosed.map((d, i) => html`${i > 0 ? ', ' : ''}<code>${d}</code>`)
  }</dd>`
}
</dl>${checkList(c, cr.checks)}</li>`;
  };

  const matchSection = (
    c: PageContext,
    requirements: readonly RequirementMatch[],
    score: number,
    covered: number | null,
    tiersJudged: boolean,
  ) => {
    const tr = t(c);
    return html`<h2>${tr('matchTitle')}</h2>
<p>${tr('matchScore', { score: Math.round(score * 100), covered: covered === null ? '–' : Math.round(covered * 100) })}</p>
${!tiersJudged && html`<p class="hint">${tr('tierNote')}</p>`}
<div class="table-scroll"><table id="match"><thead><tr><th scope="col">${tr('colRequirement')}</th><th scope="col">${tr('colImportance')}</th><th scope="col">${tr('colOutcome')}</th><th scope="col">${tr('colHeld')}</th><th scope="col">${tr('colNeeded')}</th></tr></thead>
<tbody>${requirements.map(
      (r) =>
        html`<tr data-outcome="${r.outcome}"><th scope="row">${r.name}</th><td>${tr(`importance_${r.importance}`)}</td><td><span class="state ${r.outcome === 'met' ? 'state-ok' : r.outcome === 'missing' || r.outcome === 'unverified' ? 'state-bad' : 'state-warn'}">${tr(`outcome_${r.outcome}`)}</span></td><td>${r.held?.level ?? '–'}${r.held?.assessedOn ? html` (${r.held.assessedOn})` : ''}</td><td>${r.requiredLevel ?? '–'}</td></tr>`,
    )}</tbody></table></div>`;
  };

  const planSection = (
    c: PageContext,
    requirements: readonly RequirementMatch[],
    plan: TrainingPlan | null,
  ) => {
    const tr = t(c);
    const gaps = requirements.filter((r) => r.importance === 'required' && r.outcome !== 'met');
    const names = (list: readonly { name: string }[]) => list.map((g) => g.name).join(', ');
    return html`<h2>${tr('gapsTitle')}</h2>
${gaps.length === 0 ? html`<p>${tr('noGaps')}</p>` : html`<ul id="gaps">${gaps.map((g) => html`<li>${g.name}: ${tr(`outcome_${g.outcome}`)}</li>`)}</ul>`}
<h2>${tr('planTitle')}</h2>
${
  plan === null
    ? html`<p>${tr('noPlan')}</p>`
    : html`<p>${tr('planHours', { hours: plan.totalHours })}</p>
<ol id="plan">${plan.modules.map(
        (m) =>
          html`<li>${tr('planModule', { title: m.title, hours: m.hours })}${
            m.closes.length > 0
              ? html` — ${tr('planCloses', { names: m.closes.map((u) => requirements.find((r) => r.uri === u)?.name ?? u).join(', ') })}`
              : ''
          }</li>`,
      )}</ol>
${plan.assessments.length > 0 && html`<p>${tr('planAssessment', { names: names(plan.assessments) })}</p>`}
${plan.uncovered.length > 0 && html`<p>${tr('planUncovered', { names: names(plan.uncovered) })}</p>`}`
}`;
  };

  // ── Ranking a pool ───────────────────────────────────────────────────────────────────────
  const poolFiles = (): string[] => {
    if (options.poolDir === undefined) return [];
    try {
      return readdirSync(options.poolDir)
        .filter((n) => !n.startsWith('.'))
        .filter((n) => statSync(join(options.poolDir!, n), { throwIfNoEntry: false })?.isFile() === true)
        .sort()
        .slice(0, MAX_POOL_FILES);
    } catch {
      return [];
    }
  };

  const rankPage = (c: PageContext, staff: Staff, errorCode?: string) => {
    const tr = t(c);
    const pool = poolFiles();
    return renderPage(c, {
      title: tr('rankTitle'),
      nav: nav(c),
      status: errorCode === undefined ? 200 : 400,
      main: html`${staffBar(c, staff)}
${errorCode !== undefined && html`<div class="notice notice-error" role="alert" data-error-code="${errorCode}"><p>${Object.hasOwn(EMPLOYER_MESSAGES.nl, errorCode) ? tr(errorCode as EmployerMessageKey) : errorCode}</p></div>`}
<p>${tr('rankIntro')}</p>
<form method="post" action="/rank" enctype="multipart/form-data" id="rank">
${csrfField(c.get('csrfToken'))}
${
  staff.vacancies.length > 0
    ? html`<div class="field"><label for="vacancy">${tr('rankVacancy')}</label>
<select id="vacancy" name="vacancy"><option value="">—</option>${staff.vacancies.map(
        (v, i) => html`<option value="${i}"${i === 0 ? html` selected` : ''}>${v.title}</option>`,
      )}</select></div>`
    : html`<p class="hint">${tr('noVacancies')}</p>`
}
<div class="field"><label for="vacancyFile">${tr('rankVacancyFile')}</label>
<input type="file" id="vacancyFile" name="vacancyFile" accept="application/json,.json"></div>
<div class="field"><label for="passports">${tr('rankFiles')}</label>
<input type="file" id="passports" name="passports" multiple></div>
${pool.length > 0 && html`<label class="choice"><input type="checkbox" name="usePool" value="1"> <span>${tr('rankPoolFolder', { n: pool.length })}</span></label>`}
<div class="field"><label for="audience">${tr('rankAudience')}</label>
<span class="hint" id="audience-hint">${tr('rankUncheckedHint')}</span>
<input type="text" id="audience" name="audience" maxlength="2048" aria-describedby="audience-hint"></div>
<div class="field"><label for="challenge">${tr('rankChallenge')}</label>
<span class="hint" id="challenge-hint">${tr('rankUncheckedHint')}</span>
<input type="text" id="challenge" name="challenge" maxlength="500" aria-describedby="challenge-hint"></div>
<button type="submit">${tr('rankStart')}</button>
</form>`,
    });
  };

  pages.get('/rank', (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    return rankPage(c, staff);
  });

  pages.post('/rank', async (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    const body = await c.req.parseBody({ all: true });
    const one = (name: string) => {
      const v = body[name];
      const first = Array.isArray(v) ? v[0] : v;
      return typeof first === 'string' ? first.trim() : undefined;
    };
    let vacancy: Vacancy | undefined;
    const vacancyFile = Array.isArray(body.vacancyFile) ? body.vacancyFile[0] : body.vacancyFile;
    try {
      if (vacancyFile instanceof File && vacancyFile.size > 0) {
        if (vacancyFile.size > 256 * 1024)
          throw new SkillpassError('ERR_INPUT_TOO_LARGE', 'vacancy too large');
        vacancy = parseVacancyUpload(await vacancyFile.text());
      } else {
        const index = one('vacancy');
        if (index !== undefined && /^\d$/.test(index)) vacancy = staff.vacancies[Number(index)];
      }
      if (vacancy === undefined) throw new SkillpassError('ERR_INVALID_OPTIONS', 'no vacancy');
      const files: PoolFile[] = [];
      const uploads = ([] as unknown[]).concat(body.passports ?? []);
      for (const f of uploads) {
        if (!(f instanceof File) || f.size === 0) continue;
        if (f.size > LIMITS.maxPassportBytes)
          throw new SkillpassError('ERR_INPUT_TOO_LARGE', 'passport too large');
        files.push({ name: f.name || `upload-${files.length + 1}`, token: (await f.text()).trim() });
      }
      if (one('usePool') === '1' && options.poolDir !== undefined) {
        for (const name of poolFiles()) {
          const path = join(options.poolDir, name);
          if ((statSync(path).size ?? 0) > LIMITS.maxPassportBytes) continue;
          files.push({ name, token: readFileSync(path, 'utf8').trim() });
        }
      }
      const audience = one('audience');
      const challenge = one('challenge');
      const job = employer.startRanking({
        vacancy,
        files,
        ...(audience ? { audience } : {}),
        ...(challenge ? { challenge } : {}),
      });
      return c.redirect(`/rank/${job.id}`, 303);
    } catch (err) {
      for (const code of [
        'ERR_INVALID_OPTIONS',
        'ERR_INPUT_TOO_LARGE',
        'ERR_MALFORMED',
        'ERR_SCHEMA_INVALID',
      ] as const) {
        if (isSkillpassError(err, code)) return rankPage(c, staff, code);
      }
      throw err;
    }
  });

  pages.get('/rank/:id{[A-Za-z0-9_-]{1,64}}', (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    const id = c.req.param('id');
    const job = employer.rankJob(id);
    if (job === undefined) return renderErrorPage(c, 404, 'ERR_NOT_FOUND');
    return renderPage(c, {
      title: `${t(c)('rankTitle')}: ${job.vacancy.title}`,
      nav: nav(c),
      main: html`${staffBar(c, staff)}
<div id="ranking" aria-live="polite"${job.status === 'running' ? html` data-poll="/rank/${id}/progress"` : ''}>${rankFragment(c, id, job)}</div>`,
    });
  });

  pages.get('/rank/:id{[A-Za-z0-9_-]{1,64}}/progress', (c) => {
    const staff = sessions.get(c);
    if (staff === undefined)
      return c.html(html`<p data-error-code="ERR_SESSION_REQUIRED">${t(c)('signInTitle')}</p>`.value, 401);
    const id = c.req.param('id');
    const job = employer.rankJob(id);
    if (job === undefined) return c.html('', 404);
    c.header('Cache-Control', 'no-store');
    if (job.status !== 'running') c.header('X-Poll-Done', '1');
    return c.html(rankFragment(c, id, job).value);
  });

  const rankFragment = (c: PageContext, id: string, job: RankJob): SafeHtml => {
    const tr = t(c);
    const w = words(c);
    const progress = html`<p><label for="rank-progress">${tr('rankProgressLabel')}</label>
<progress id="rank-progress" max="${job.total}" value="${job.done}">${job.done}/${job.total}</progress>
<span data-done="${job.done}" data-total="${job.total}">${tr('rankProgress', { done: job.done, total: job.total })}</span></p>`;
    if (job.status === 'running') return html`${progress}<p><a href="/rank/${id}">${tr('refresh')}</a></p>`;
    if (job.status === 'failed' || job.ranking === undefined || job.entries === undefined) {
      return html`${progress}<div class="notice notice-error" role="alert" data-error-code="${job.error ?? 'ERR_MALFORMED'}"><p>${tr('rankFailedJob')}</p></div>`;
    }
    const excluded = job.entries.filter((e) => e.excluded !== undefined);
    return html`${progress}
<p class="notice notice-ok" data-ranked="${job.ranking.candidates.length}">${tr('rankDone', { n: job.ranking.candidates.length, total: job.total })}</p>
<div class="table-scroll"><table id="candidates"><thead><tr><th scope="col">${tr('colRank')}</th><th scope="col">${tr('colCandidate')}</th><th scope="col">${tr('colScore')}</th><th scope="col">${tr('colRequired')}</th><th scope="col">${tr('colExplanation')}</th></tr></thead>
<tbody>${job.ranking.candidates.map(
      (cand) =>
        html`<tr data-candidate="${cand.id}"><td>${cand.rank}</td><th scope="row">${cand.id}</th><td>${Math.round(cand.score * 100)}</td><td>${cand.requiredCoverage === null ? '–' : `${Math.round(cand.requiredCoverage * 100)}%`}</td><td>${explain(c, cand)}</td></tr>`,
    )}</tbody></table></div>
${
  excluded.length > 0 &&
  html`<h2>${tr('failedFiles')}</h2><ul id="excluded">${excluded.map((e) =>
    e.excluded === 'duplicate'
      ? html`<li data-file="${e.file}">${tr('duplicateFile', { file: e.file, other: e.duplicateOf ?? '' })}</li>`
      : html`<li data-file="${e.file}">${tr('failedFile', { file: e.file, reason: e.codes.map((code) => codeInWords(w, code)).join(' ') })} ${e.codes.map((code) => html`<code>${code}</code> `)}</li>`,
  )}</ul>`
}`;
  };

  const explain = (c: PageContext, cand: RankedCandidate): string => {
    const tr = t(c);
    const gaps = cand.requirements
      .filter((r) => r.importance === 'required' && r.outcome !== 'met')
      .map((r) =>
        r.outcome === 'below-level'
          ? tr('belowLevel', { name: r.name, held: r.held?.level ?? '–', needed: r.requiredLevel ?? '–' })
          : `${r.name} (${tr(`outcome_${r.outcome}`)})`,
      );
    const nice = cand.requirements.filter((r) => r.importance === 'nice-to-have');
    const head = gaps.length === 0 ? tr('allRequiredMet') : tr('requiredGaps', { gaps: gaps.join(', ') });
    return nice.length === 0
      ? head
      : `${head}; ${tr('niceMet', { met: nice.filter((r) => r.outcome === 'met').length, total: nice.length })}`;
  };

  // The language switch on a page answering a post lands on these paths with GET.

  pages.get('/requests', redirectAfterLanguageSwitch('/'));
  site.route('/', pages);
  site.notFound(siteNotFound);
  return site;
}

function isFragment(c: PageContext): boolean {
  const path = new URL(c.req.url).pathname;
  return path.endsWith('/result') || path.endsWith('/progress');
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
