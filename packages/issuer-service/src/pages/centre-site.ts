import { createHash } from 'node:crypto';
import { isSkillpassError, type Problem } from '@skillpass/core';
import {
  createPageApp,
  createStaffSignIn,
  csrfField,
  formatDateTime,
  html,
  type Lang,
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
import { ASSESSMENT_METHODS, type AssessmentFormInput } from '../console/assessment-form.js';
import {
  type CentreConsole,
  createCentreConsole,
  type RegisterEntry,
  type StatusAction,
} from '../console/centre-console.js';
import type { CentreSkill } from '../console/centre-skills.js';
import { createIssuerApp, type IssuerAppOptions } from '../create-issuer-app.js';
import { CENTRE_MESSAGES, type CentreMessageKey } from './centre-messages.js';

/** Options of {@link createCentreSite}. */
export interface CentreSiteOptions extends IssuerAppOptions, StaffSiteOptions {
  /** The skills this centre assesses (`parseCentreSkills`). */
  skills: readonly CentreSkill[];
  /**
   * The staff access code (at least 16 characters): signing in needs it. Never shown in a page;
   * `skillpass issuer serve` reads it from a file or the environment, or makes a one-time one.
   */
  adminSecret: string;
  /** Offer format (see `createCredentialOffer`); default `all` (the wallet picks). */
  offerFormat?: string;
  /** Lifetime of an offer in seconds; default one day. */
  offerTtlSeconds?: number;
}

/** Shortest staff access code accepted. */
export const MIN_ADMIN_SECRET_LENGTH = MIN_STAFF_ACCESS_CODE_LENGTH;

/** Requests per minute per client on the public protocol endpoints. */
export const PROTOCOL_RATE_LIMIT = { max: 120, windowSeconds: 60 } as const;
/** Sign-in attempts per client per five minutes. */
export const SIGN_IN_RATE_LIMIT = STAFF_SIGN_IN_RATE_LIMIT;

/**
 * The assessment centre's whole site: the OpenID4VCI service of {@link createIssuerApp} (rate
 * limited per client) and, at `/`, the staff pages — sign in with the access code, record an
 * assessment (skill from the centre's list with its ESCO/CompetentNL alignment, level on the
 * rubric, method, date, assessor), issue it as an offer shown as a QR code and a link with the
 * transaction code apart, the register with revoke/suspend and a reason. Dutch first, English
 * by the switch; the page middleware of `@skillpass/web` (CSP, CSRF, cookies, body limit).
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS for an access code shorter than {@link MIN_ADMIN_SECRET_LENGTH}.
 * @example
 * ```ts
 * const app = createCentreSite({ issuer, offers, publicUrl, skills, adminSecret });
 * await startIssuerService({ app, port: 8443 });
 * ```
 */
export function createCentreSite(options: CentreSiteOptions): Hono {
  const t = (c: PageContext) => translator(CENTRE_MESSAGES, c.get('lang'));
  const staffSignIn = createStaffSignIn<StaffMember>({
    accessCode: options.adminSecret,
    cookieName: 'sp_centre',
    idleSeconds: options.sessionIdleSeconds,
    secureCookies: options.secureCookies,
    trustedProxies: options.trustedProxies,
    messages: {
      nl: { signInIntro: CENTRE_MESSAGES.nl.signInIntro, staffNameHint: CENTRE_MESSAGES.nl.staffNameHint },
      en: { signInIntro: CENTRE_MESSAGES.en.signInIntro, staffNameHint: CENTRE_MESSAGES.en.staffNameHint },
    },
    newSession: (name) => ({ name }),
  });
  const centre = createCentreConsole({
    issuer: options.issuer,
    offers: options.offers,
    publicUrl: options.publicUrl,
    skills: options.skills,
    ...(options.offerFormat !== undefined ? { format: options.offerFormat } : {}),
    ...(options.offerTtlSeconds !== undefined ? { offerTtlSeconds: options.offerTtlSeconds } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const site = new Hono();
  const protocolLimit = rateLimit({ ...PROTOCOL_RATE_LIMIT, trustedProxies: options.trustedProxies });
  for (const path of ['/token', '/nonce', '/credential', '/offers/*']) site.use(path, protocolLimit);
  site.route('/', createIssuerApp(options));

  const pages = createPageApp({
    siteName: { nl: CENTRE_MESSAGES.nl.siteName, en: CENTRE_MESSAGES.en.siteName },
    ...(options.secureCookies !== undefined ? { secureCookies: options.secureCookies } : {}),
  });
  const nav = (c: PageContext): NavItem[] => [
    { href: '/', label: t(c)('navAssess') },
    { href: '/issued', label: t(c)('navIssued') },
  ];
  const { staffBar, staffOf } = staffSignIn;
  staffSignIn.mount(pages);

  pages.get('/', (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    return assessPage(c, staff, {}, []);
  });

  const assessPage = (
    c: PageContext,
    staff: StaffMember,
    values: AssessmentFormInput,
    problems: readonly Problem[],
  ) => {
    const tr = t(c);
    const wrong = new Set(problems.map((p) => (p.path ?? '').split('/')[1] ?? ''));
    const today = (options.now?.() ?? new Date()).toISOString().slice(0, 10);
    const invalid = (field: string) =>
      wrong.has(field) ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
    const error = (field: string) =>
      wrong.has(field) &&
      html`<span class="hint field-error" id="${field}-error">${tr(`field_${field}` as CentreMessageKey)}</span>`;
    return renderPage(c, {
      title: tr('assessTitle'),
      nav: nav(c),
      status: problems.length > 0 ? 422 : 200,
      main: html`${staffBar(c, staff)}
<p>${tr('assessIntro')}</p>
${centre.skills.length === 0 && html`<div class="notice notice-warn" role="status"><p>${tr('noSkills')}</p></div>`}
${
  problems.length > 0 &&
  html`<div class="notice notice-error" role="alert" data-error-code="ERR_SCHEMA_INVALID"><p>${tr('formErrors')}</p><ul>${[
    ...wrong,
  ].map((f) => html`<li><a href="#${f}">${tr(`field_${f}` as CentreMessageKey)}</a></li>`)}</ul></div>`
}
<form method="post" action="/assessments">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="skill">${tr('skill')}</label>
<span class="hint" id="skill-hint">${tr('skillHint')}</span>
<select id="skill" name="skill" required aria-describedby="skill-hint"${invalid('skill')}>
<option value="">—</option>
${centre.skills.map(
  (s) =>
    html`<option value="${s.uri}"${values.skill === s.uri ? html` selected` : ''}>${skillLabel(s, tr)}</option>`,
)}
</select>${error('skill')}</div>
<fieldset${invalid('level')}><legend>${tr('level')}</legend>${error('level')}
${[1, 2, 3, 4, 5].map(
  (n) =>
    html`<label class="choice"><input type="radio" name="level" value="${n}"${values.level === String(n) ? html` checked` : ''} required> <span>${tr(`level_${n}` as CentreMessageKey)}</span></label>`,
)}
</fieldset>
<div class="field"><label for="method">${tr('method')}</label>
<select id="method" name="method" required${invalid('method')}>
<option value="">—</option>
${ASSESSMENT_METHODS.map(
  (m) => html`<option value="${m}"${values.method === m ? html` selected` : ''}>${tr(methodKey(m))}</option>`,
)}
</select>${error('method')}</div>
<div class="field"><label for="date">${tr('date')}</label>
<input type="date" id="date" name="date" required max="${today}" value="${values.date ?? today}"${invalid('date')}>${error('date')}</div>
<div class="field"><label for="assessor">${tr('assessor')}</label>
<input type="text" id="assessor" name="assessor" required maxlength="200" value="${values.assessor ?? staff.name}"${invalid('assessor')}>${error('assessor')}</div>
<div class="field"><label for="score">${tr('score')}</label>
<input type="number" id="score" name="score" min="0" max="100" step="0.01" value="${values.score ?? ''}"${invalid('score')}>${error('score')}</div>
<div class="field"><label for="description">${tr('description')}</label>
<textarea id="description" name="description" maxlength="5000"${invalid('description')}>${values.description ?? ''}</textarea>${error('description')}</div>
<button type="submit">${tr('issue')}</button>
</form>`,
    });
  };

  pages.post('/assessments', async (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    const body = await c.req.parseBody();
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
    const form: AssessmentFormInput = {};
    for (const name of ['skill', 'level', 'method', 'date', 'assessor', 'score', 'description'] as const) {
      const value = field(name);
      if (value !== undefined) form[name] = value;
    }
    let created: ReturnType<CentreConsole['offerAssessment']>;
    try {
      created = centre.offerAssessment(form);
    } catch (err) {
      if (isSkillpassError(err, 'ERR_SCHEMA_INVALID')) return assessPage(c, staff, form, err.problems ?? []);
      throw err;
    }
    const tr = t(c);
    const qr = await qrSvg(created.offer, {
      label: tr('offerQrLabel', { skill: created.assessment.skill.name }),
    });
    c.header('Cache-Control', 'no-store');
    return renderPage(c, {
      title: tr('offerTitle'),
      nav: nav(c),
      main: html`${staffBar(c, staff)}
<p>${tr('offerIntro', { until: formatDateTime(created.expiresAt, c.get('lang')) })}</p>
<dl class="facts">
<dt>${tr('skill')}</dt><dd>${created.assessment.skill.name}</dd>
<dt>${tr('level')}</dt><dd>${tr(`level_${created.assessment.level}` as CentreMessageKey)}</dd>
</dl>
<figure class="qr-figure">${qr}<figcaption><a id="offer-link" href="${safeHref(created.offer, ['openid-credential-offer:'])}">${tr('offerLink')}</a></figcaption></figure>
<p><code id="offer-uri">${created.offer}</code> <button type="button" class="secondary" data-copy="#offer-uri" data-copied="${tr('copied')}" hidden>${tr('copy')}</button></p>
<section class="notice notice-warn" aria-labelledby="tx-title">
<h2 id="tx-title">${tr('txCodeTitle')}</h2>
<p>${tr('txCodeIntro')}</p>
<p class="tx-code"><strong id="tx-code">${created.txCode ?? ''}</strong></p>
</section>
<p><a class="button secondary" href="/">${tr('anotherAssessment')}</a></p>`,
    });
  });

  const issuedPage = async (
    c: PageContext,
    staff: StaffMember,
    notice?: SafeHtml,
    status: 200 | 400 | 404 = 200,
  ) => {
    const tr = t(c);
    const lang = c.get('lang');
    const register = await centre.register();
    const offers = centre.offerList();
    return renderPage(c, {
      title: tr('issuedTitle'),
      nav: nav(c),
      status,
      main: html`${staffBar(c, staff)}${notice ?? ''}
${
  register.length === 0
    ? html`<p>${tr('noneIssued')}</p>`
    : html`<div class="table-scroll"><table id="register">
<thead><tr><th scope="col">${tr('colIssued')}</th><th scope="col">${tr('colSkill')}</th><th scope="col">${tr('colLevel')}</th><th scope="col">${tr('colSubject')}</th><th scope="col">${tr('colState')}</th><th scope="col">${tr('colAction')}</th></tr></thead>
<tbody>${register.map((e) => registerRow(c, e, lang))}</tbody></table></div>`
}
<h2>${tr('offersTitle')}</h2>
${
  offers.length === 0
    ? html`<p>${tr('noOffers')}</p>`
    : html`<div class="table-scroll"><table id="offers">
<thead><tr><th scope="col">${tr('colCreated')}</th><th scope="col">${tr('colSkill')}</th><th scope="col">${tr('colLevel')}</th><th scope="col">${tr('colState')}</th><th scope="col">${tr('colExpires')}</th></tr></thead>
<tbody>${offers.map(
        (o) =>
          html`<tr data-offer-state="${o.state}"><td>${formatDateTime(o.record.createdAt, lang)}</td><td>${o.record.assessment.skill.name}</td><td>${o.record.assessment.level}</td><td><span class="state ${o.state === 'issued' ? 'state-ok' : o.state === 'expired' ? 'state-bad' : 'state-warn'}">${tr(`offer_${o.state}`)}</span></td><td>${formatDateTime(o.record.expiresAt, lang)}</td></tr>`,
      )}</tbody></table></div>`
}`,
    });
  };

  const registerRow = (c: PageContext, e: RegisterEntry, lang: Lang) => {
    const tr = t(c);
    const r = e.record;
    const rowId = `r-${createHash('sha256').update(r.id, 'utf8').digest('hex').slice(0, 12)}`;
    const stateClass =
      e.state === 'valid' ? 'state-ok' : e.state === 'suspended' ? 'state-warn' : 'state-bad';
    const form = (
      actions: StatusAction[],
      reasonRequired: boolean,
    ) => html`<form method="post" action="/issued/status">
${csrfField(c.get('csrfToken'))}<input type="hidden" name="id" value="${r.id}">
<label class="visually-hidden" for="${rowId}-reason">${tr('reasonFor', { skill: r.skillName })}</label>
<input type="text" id="${rowId}-reason" name="reason" maxlength="500" placeholder="${tr('reason')}"${reasonRequired ? html` required` : ''}>
${actions.map(
  (a) =>
    html` <button type="submit" name="action" value="${a}"${a === 'revoke' ? html` class="danger"` : html` class="secondary"`}>${tr(a)}</button>`,
)}</form>`;
    const actions: StatusAction[] = [];
    if (e.canRevoke) actions.push('revoke');
    if (e.canSuspend) actions.push('suspend');
    return html`<tr id="${rowId}" data-credential-id="${r.id}" data-state="${e.state}">
<td>${formatDateTime(r.issuedAt, lang)}</td><td>${r.skillName}</td><td>${r.level ?? '–'}</td>
<td><code title="${r.subject}">${shortDid(r.subject)}</code></td>
<td><span class="state ${stateClass}">${tr(`state_${e.state}`)}</span></td>
<td>${actions.length > 0 && form(actions, true)}${e.canUnsuspend && form(['unsuspend'], false)}${
      e.state === 'valid' && !e.canSuspend && html`<span class="hint">${tr('notSuspendable')}</span>`
    }</td></tr>`;
  };

  pages.get('/issued', async (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    // After a status change (post, then redirect here): say what happened to which credential.
    const changedId = c.req.query('changed');
    if (changedId !== undefined) {
      const entry = (await centre.register()).find((e) => e.record.id === changedId);
      if (entry !== undefined) {
        const tr = t(c);
        const params = { skill: entry.record.skillName, state: tr(`state_${entry.state}`) };
        const text =
          c.req.query('same') === '1' ? tr('statusUnchanged', params) : tr('statusChanged', params);
        return issuedPage(c, staff, html`<div class="notice notice-ok" role="status"><p>${text}</p></div>`);
      }
    }
    return issuedPage(c, staff);
  });
  // The language switch on a page answering a post lands on these paths with GET.

  pages.get('/issued/status', redirectAfterLanguageSwitch('/issued'));
  pages.get('/assessments', redirectAfterLanguageSwitch('/'));

  pages.post('/issued/status', async (c) => {
    const staff = staffOf(c);
    if (staff instanceof Response) return staff;
    const body = await c.req.parseBody();
    const id = typeof body.id === 'string' ? body.id : '';
    const action = body.action;
    const reason = typeof body.reason === 'string' ? body.reason : '';
    const tr = t(c);
    if (action !== 'revoke' && action !== 'suspend' && action !== 'unsuspend') {
      return renderErrorPage(c, 400, 'ERR_INVALID_OPTIONS', tr('ERR_INVALID_OPTIONS'));
    }
    try {
      const { record, changed } = await centre.changeStatus(id, action, { reason, actor: staff.name });
      return c.redirect(`/issued?changed=${encodeURIComponent(record.id)}${changed ? '' : '&same=1'}`, 303);
    } catch (err) {
      for (const code of ['ERR_INVALID_OPTIONS', 'ERR_NOT_FOUND', 'ERR_UNSUPPORTED'] as const) {
        if (isSkillpassError(err, code)) {
          return issuedPage(
            c,
            staff,
            html`<div class="notice notice-error" role="alert" data-error-code="${code}"><p>${tr(code)}</p></div>`,
            code === 'ERR_NOT_FOUND' ? 404 : 400,
          );
        }
      }
      throw err;
    }
  });

  site.route('/', pages);
  site.notFound(siteNotFound);
  return site;
}

function methodKey(method: string): CentreMessageKey {
  return `method_${method.replace(/-/g, '_')}` as CentreMessageKey;
}

function skillLabel(
  s: CentreSkill,
  tr: (key: CentreMessageKey, p?: Record<string, string>) => string,
): string {
  const main = s.framework === undefined ? s.name : `${s.name} (${s.framework})`;
  const also = (s.alsoAlignedTo ?? []).map((a) =>
    a.framework === undefined ? a.name : `${a.name} (${a.framework})`,
  );
  return also.length === 0 ? main : `${main} — ${tr('alsoAligned', { names: also.join(', ') })}`;
}

function shortDid(did: string): string {
  return did.length <= 40 ? did : `${did.slice(0, 24)}…${did.slice(-10)}`;
}
