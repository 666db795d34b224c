import { randomBytes } from 'node:crypto';
import {
  type CredentialReport,
  type CredentialState,
  credentialStateOf,
  type EvidenceTier,
  isSkillpassError,
  PROFICIENCY_SCALE_ID,
  SKILL_KINDS,
  type SkillKind,
  SkillpassError,
  skillKindOf,
} from '@skillpass/core';
import {
  declinePresentationRequest,
  listDisclosableClaims,
  openWallet,
  type PreparedPresentationAnswer,
  preparePresentationAnswer,
  type ResolvedPresentationRequest,
  receiveCredential,
  resolvePresentationRequest,
  sendPresentationAnswer,
  type Wallet,
  type WalletEntry,
} from '@skillpass/holder';
import {
  type Crosswalk,
  type MatchResult,
  matchPassport,
  parseVacancy,
  planTraining,
  type TrainingCatalogue,
  type TrainingPlan,
} from '@skillpass/match';
import type { Verifier } from '@skillpass/verifier';
import {
  createPageApp,
  csrfField,
  html,
  multilineText,
  type NavItem,
  type PageContext,
  type PageEnv,
  rateLimit,
  renderPage,
  type SafeHtml,
  SessionStore,
  translator,
} from '@skillpass/web';
import type { Hono } from 'hono';
import { WALLET_MESSAGES, type WalletMessageKey } from './wallet-messages.js';

/** Options of {@link createWalletSite}. */
export interface WalletSiteOptions {
  /** The worker's wallet file (opened with the passphrase typed into the page). */
  walletPath: string;
  /** Checks each stored credential (signature, validity, status, trust) and the worker's own passport for matching. */
  verifier: Verifier;
  /** Plain http to loopback offers, requests and issuers (demos, tests). */
  allowHttpLocalhost?: boolean;
  /** The training catalogue for "beside a vacancy". */
  catalogue?: TrainingCatalogue;
  /** A crosswalk between skill concepts, for matching. */
  crosswalk?: Crosswalk;
  /** The wallet closes this long after the page was last used, in seconds. Default 15 minutes. */
  sessionIdleSeconds?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** The worker's pages and a way to close every open wallet. */
export interface WalletSite {
  /** The Hono app: serve it on 127.0.0.1 only. */
  app: Hono<PageEnv>;
  /** Close every wallet a session holds open (server shutdown). */
  close(): void;
}

/** A request being answered: resolved, then (after "preview") prepared and signed. */
interface PendingRequest {
  request: ResolvedPresentationRequest;
  prepared?: PreparedPresentationAnswer;
}

interface WalletSession {
  wallet: Wallet;
  pending?: PendingRequest;
}

/** What the passport page shows of one credential. */
interface ReviewedCredential {
  entry: WalletEntry;
  position: number;
  report: CredentialReport | undefined;
  kind: SkillKind;
  state: CredentialState;
}

const STATE_CLASS: Record<CredentialState, string> = {
  valid: 'state-ok',
  revoked: 'state-bad',
  suspended: 'state-bad',
  expired: 'state-bad',
  'not-yet-valid': 'state-warn',
  invalid: 'state-bad',
  unavailable: 'state-warn',
  'not-checked': 'state-warn',
};

const OUTCOME_CLASS: Record<string, string> = {
  met: 'state-ok',
  'below-level': 'state-warn',
  stale: 'state-warn',
  'insufficient-evidence': 'state-warn',
  unverified: 'state-bad',
  missing: 'state-bad',
};

/** Largest vacancy accepted from the page, in bytes. */
const MAX_VACANCY_BYTES = 256 * 1024;

/**
 * The worker's pages over their own encrypted wallet file: unlock with the passphrase, "my
 * passport" (credentials grouped by kind, level on the rubric, who assessed it and when, who
 * vouches for it, whether it still verifies), receive a credential from an OpenID4VCI offer,
 * lay the passport beside a vacancy (with the training plan), and answer an employer's
 * OpenID4VP request choosing per credential what to disclose after seeing exactly what will be
 * sent. Every action calls the packages (`@skillpass/holder`, `@skillpass/verifier`,
 * `@skillpass/match`); the browser only shows what the server rendered.
 */
export function createWalletSite(options: WalletSiteOptions): WalletSite {
  const allowHttpLocalhost = options.allowHttpLocalhost === true;
  const sessions = new SessionStore<WalletSession>({
    cookieName: 'sp_wallet',
    idleSeconds: options.sessionIdleSeconds ?? 15 * 60,
    maxSessions: 8,
    onEnd: (s) => s.wallet.close(),
  });
  const app = createPageApp({
    siteName: { nl: WALLET_MESSAGES.nl.site, en: WALLET_MESSAGES.en.site },
    maxBodyBytes: MAX_VACANCY_BYTES + 16 * 1024,
  });
  const t = (c: PageContext) => translator(WALLET_MESSAGES, c.get('lang'));
  const nav = (c: PageContext): NavItem[] => [
    { href: '/', label: t(c)('navPassport') },
    { href: '/receive', label: t(c)('navReceive') },
    { href: '/match', label: t(c)('navMatch') },
    { href: '/request', label: t(c)('navRequest') },
  ];

  const page = (
    c: PageContext,
    title: string,
    main: SafeHtml,
    status: 200 | 400 | 401 | 409 | 422 | 502 = 200,
  ) =>
    renderPage(c, {
      title,
      status,
      main: html`${main}
<form method="post" action="/lock" class="lock-form">${csrfField(c.get('csrfToken'))}<button type="submit" class="secondary">${t(c)('lock')}</button></form>`,
      nav: nav(c),
    });

  const failure = (c: PageContext, headline: string, err: unknown): SafeHtml => {
    const code = isSkillpassError(err) ? err.code : 'ERR_UNEXPECTED';
    const detail = err instanceof Error ? err.message : String(err);
    return html`<div class="notice notice-error" role="alert" data-error-code="${code}">
<p><strong>${headline}</strong></p>
<p>${detail}</p>
<p class="error-code">${t(c)('errorCode')}: <code>${code}</code></p>
</div>`;
  };

  const unlockPage = (c: PageContext, error?: SafeHtml, status: 200 | 401 = 200) =>
    renderPage(c, {
      title: t(c)('unlockTitle'),
      status,
      main: html`${error}
<p>${t(c)('unlockIntro')}</p>
<form method="post" action="/unlock">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="passphrase">${t(c)('passphrase')}</label>
<input type="password" id="passphrase" name="passphrase" autocomplete="current-password" required></div>
<button type="submit">${t(c)('unlock')}</button>
</form>`,
    });

  /** The session, or the unlock page to answer with. */
  const requireWallet = (c: PageContext): WalletSession | Response => {
    const session = sessions.get(c);
    return session ?? unlockPage(c, undefined, 401);
  };

  // Guessing the passphrase from another local program is slowed down.
  app.use('/unlock', rateLimit({ max: 10, windowSeconds: 60 }));

  app.post('/unlock', async (c) => {
    const body = await c.req.parseBody();
    const passphrase = typeof body.passphrase === 'string' ? body.passphrase : '';
    try {
      const wallet = await openWallet({ path: options.walletPath, passphrase, verifier: options.verifier });
      sessions.start(c, { wallet });
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      const code = err.code;
      const message = code === 'ERR_WALLET_LOCKED' ? t(c)('wrongPassphrase') : err.message;
      return unlockPage(
        c,
        html`<div class="notice notice-error" role="alert" data-error-code="${code}"><p>${message}</p>
<p class="error-code">${t(c)('errorCode')}: <code>${code}</code></p></div>`,
        401,
      );
    }
    return c.redirect('/', 303);
  });

  app.post('/lock', (c) => {
    sessions.end(c);
    return c.redirect('/', 303);
  });

  app.get('/', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return unlockPage(c);
    const reviewed = await review(session.wallet, options.verifier, options.now?.());
    return page(c, t(c)('passportTitle'), passportView(c, session.wallet, reviewed));
  });

  app.get('/receive', (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    return page(c, t(c)('receiveTitle'), receiveForm(c));
  });

  app.post('/receive', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    const body = await c.req.parseBody();
    const offer = typeof body.offer === 'string' ? body.offer.trim() : '';
    const txCode = typeof body.txCode === 'string' ? body.txCode.trim() : '';
    try {
      const { entry } = await receiveCredential(session.wallet, offer, {
        allowHttpLocalhost,
        ...(txCode === '' ? {} : { txCode }),
      });
      const done = html`<div class="notice notice-ok" role="status"><p>${t(c)('received', {
        skill: entry.skill?.name ?? entry.id,
        level: entry.level ?? '-',
      })}</p></div>`;
      return page(c, t(c)('receiveTitle'), html`${done}${receiveForm(c)}`);
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      return page(
        c,
        t(c)('receiveTitle'),
        html`${failure(c, t(c)('receiveFailed'), err)}${receiveForm(c, offer)}`,
        422,
      );
    }
  });

  app.get('/match', (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    return page(c, t(c)('matchTitle'), matchForm(c));
  });

  app.post('/match', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    const body = await c.req.parseBody();
    let text = typeof body.vacancy === 'string' ? body.vacancy : '';
    const file = body.vacancyFile;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_VACANCY_BYTES) {
        return page(
          c,
          t(c)('matchTitle'),
          html`${failure(c, t(c)('matchTitle'), new SkillpassError('ERR_INPUT_TOO_LARGE', `over ${MAX_VACANCY_BYTES} bytes`))}${matchForm(c)}`,
          422,
        );
      }
      text = await file.text();
    }
    try {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new SkillpassError('ERR_MALFORMED', 'the vacancy is not JSON', { cause: err });
      }
      const vacancy = parseVacancy(data);
      const match = await matchWallet(session.wallet, options, vacancy);
      const plan =
        options.catalogue === undefined
          ? undefined
          : planTraining(match, options.catalogue, {
              ...(options.crosswalk === undefined ? {} : { crosswalk: options.crosswalk }),
            });
      return page(
        c,
        t(c)('matchTitle'),
        html`${matchView(c, match, plan, options.catalogue !== undefined)}${matchForm(c, text)}`,
      );
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      return page(
        c,
        t(c)('matchTitle'),
        html`${failure(c, t(c)('matchTitle'), err)}${matchForm(c, text)}`,
        422,
      );
    }
  });

  app.get('/request', (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    return page(c, t(c)('requestTitle'), requestForm(c));
  });

  app.post('/request', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    const body = await c.req.parseBody();
    const uri = typeof body.request === 'string' ? body.request.trim() : '';
    try {
      const request = await resolvePresentationRequest(uri, session.wallet, { allowHttpLocalhost });
      session.pending = { request };
      return page(c, t(c)('requestTitle'), await choiceView(c, session.wallet, request));
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      delete session.pending;
      return page(
        c,
        t(c)('requestTitle'),
        html`${failure(c, t(c)('requestFailed'), err)}${requestForm(c, uri)}`,
        422,
      );
    }
  });

  app.post('/request/preview', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    const pending = session.pending;
    if (pending === undefined) return noPending(c);
    const body = await c.req.parseBody({ all: true });
    const list = (v: unknown): string[] =>
      (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
    const only = list(body.include);
    const disclose: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(body)) {
      if (!key.startsWith('disclose:')) continue;
      const id = key.slice('disclose:'.length);
      if (only.includes(id)) disclose[id] = list(value);
    }
    try {
      pending.prepared = await preparePresentationAnswer(session.wallet, pending.request, { only, disclose });
      return page(c, t(c)('previewTitle'), previewView(c, session.wallet, pending.request, pending.prepared));
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      return page(
        c,
        t(c)('requestTitle'),
        html`${failure(c, t(c)('requestFailed'), err)}${await choiceView(c, session.wallet, pending.request)}`,
        422,
      );
    }
  });

  app.post('/request/send', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    const pending = session.pending;
    if (pending?.prepared === undefined) return noPending(c);
    // Sent once: a second click (or a reload) finds nothing pending.
    delete session.pending;
    try {
      const outcome = await sendPresentationAnswer(pending.request, pending.prepared, { allowHttpLocalhost });
      if (outcome.accepted) {
        return page(
          c,
          t(c)('previewTitle'),
          html`<div class="notice notice-ok" role="status" data-outcome="accepted"><p>${t(c)('sent')}</p></div>
<p><a href="/">${t(c)('navPassport')}</a></p>`,
        );
      }
      const code = outcome.error?.code ?? 'ERR_RESPONSE_REFUSED';
      return page(
        c,
        t(c)('previewTitle'),
        html`<div class="notice notice-error" role="alert" data-error-code="${code}"><p><strong>${t(c)('refused')}</strong></p>
<p>${outcome.error?.error ?? ''}${outcome.error?.description ? `: ${outcome.error.description}` : ''}</p>
<p class="error-code">${t(c)('errorCode')}: <code>${code}</code></p></div>${requestForm(c)}`,
        409,
      );
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      return page(
        c,
        t(c)('previewTitle'),
        html`${failure(c, t(c)('requestFailed'), err)}${requestForm(c)}`,
        502,
      );
    }
  });

  app.post('/request/decline', async (c) => {
    const session = requireWallet(c);
    if (session instanceof Response) return session;
    const pending = session.pending;
    if (pending === undefined) return noPending(c);
    delete session.pending;
    try {
      await declinePresentationRequest(pending.request, { allowHttpLocalhost });
    } catch (err) {
      if (!isSkillpassError(err)) throw err;
      return page(
        c,
        t(c)('requestTitle'),
        html`${failure(c, t(c)('requestFailed'), err)}${requestForm(c)}`,
        502,
      );
    }
    return page(
      c,
      t(c)('requestTitle'),
      html`<div class="notice" role="status" data-outcome="declined"><p>${t(c)('declined')}</p></div>${requestForm(c)}`,
    );
  });

  const noPending = (c: PageContext) =>
    page(
      c,
      t(c)('requestTitle'),
      html`<div class="notice notice-warn" role="alert" data-error-code="ERR_REQUEST_UNKNOWN"><p>${t(c)('noPending')}</p>
<p class="error-code">${t(c)('errorCode')}: <code>ERR_REQUEST_UNKNOWN</code></p></div>${requestForm(c)}`,
      409,
    );

  app.notFound((c) => c.redirect('/', 303));

  return { app, close: () => sessions.clear() };
}

/** Check every stored credential: its report (status included), kind and state. */
async function review(wallet: Wallet, verifier: Verifier, now?: Date): Promise<ReviewedCredential[]> {
  const entries = wallet.list();
  return Promise.all(
    entries.map(async (entry, i) => {
      const { token } = wallet.get(entry.id);
      const report = (await verifier.verifyCredential(token, now === undefined ? {} : { now }))
        .credentials[0];
      return {
        entry,
        position: i + 1,
        report,
        kind: skillKindOf(report?.skill ?? {}),
        state: report === undefined ? 'invalid' : credentialStateOf(report),
      };
    }),
  );
}

/**
 * The worker's own passport laid beside a vacancy: a passport for themselves (every SD-JWT
 * claim disclosed, since nobody else sees it), verified and matched as an employer would.
 */
async function matchWallet(
  wallet: Wallet,
  options: WalletSiteOptions,
  vacancy: Parameters<typeof matchPassport>[1],
): Promise<MatchResult> {
  const entries = wallet.list();
  if (entries.length === 0) {
    throw new SkillpassError('ERR_NOT_FOUND', 'the wallet holds no credential');
  }
  const disclose: Record<string, string[]> = {};
  for (const e of entries) {
    if (e.format === 'dc+sd-jwt') disclose[e.id] = await listDisclosableClaims(wallet.get(e.id).token);
  }
  const challenge = randomBytes(16).toString('base64url');
  const now = options.now?.();
  const passport = await wallet.createPassport({
    audience: wallet.did,
    challenge,
    disclose,
    ...(now === undefined ? {} : { now }),
  });
  const report = await options.verifier.verifyPassport(passport, {
    audience: wallet.did,
    challenge,
    ...(now === undefined ? {} : { now }),
  });
  return matchPassport(report, vacancy, {
    ...(now === undefined ? {} : { now }),
    ...(options.crosswalk === undefined ? {} : { crosswalk: options.crosswalk }),
  });
}

function tr(c: PageContext) {
  return translator(WALLET_MESSAGES, c.get('lang'));
}

function rubric(c: PageContext, level: number | null, scale: string | undefined): SafeHtml {
  const t = tr(c);
  if (level === null) return html`<p>${t('levelNone')}</p>`;
  if (scale !== PROFICIENCY_SCALE_ID) return html`<p>${t('level')} ${level}</p>`;
  const max = 5;
  const steps = Array.from(
    { length: max },
    (_, i) => html`<li${i < level ? html` class="filled"` : ''}></li>`,
  );
  return html`<ol class="rubric" aria-hidden="true">${steps}</ol><p>${t('levelOf', { level, max })}</p>`;
}

function date(c: PageContext, iso: string | undefined): string {
  if (iso === undefined) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(c.get('lang') === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
}

function tierWords(c: PageContext, tier: EvidenceTier | undefined): string {
  const t = tr(c);
  switch (tier) {
    case 'accredited':
      return t('tier_accredited');
    case 'employer':
      return t('tier_employer');
    case 'self':
      return t('tier_self');
    default:
      return t('tier_unknown');
  }
}

function passportView(c: PageContext, wallet: Wallet, reviewed: readonly ReviewedCredential[]): SafeHtml {
  const t = tr(c);
  if (reviewed.length === 0) {
    return html`<p>${t('passportEmpty')}</p><p><a class="button" href="/receive">${t('navReceive')}</a></p>`;
  }
  const groups = SKILL_KINDS.map((kind) => ({ kind, items: reviewed.filter((r) => r.kind === kind) })).filter(
    (g) => g.items.length > 0,
  );
  return html`<p>${t('passportIntro', { count: reviewed.length, did: wallet.did })}</p>
${groups.map(
  (g) => html`<section aria-labelledby="kind-${g.kind}">
<h2 id="kind-${g.kind}">${t(`kind_${g.kind}` as WalletMessageKey)} (${g.items.length})</h2>
<ul class="cards">${g.items.map((r) => credentialCard(c, r))}</ul>
</section>`,
)}`;
}

function credentialCard(c: PageContext, r: ReviewedCredential): SafeHtml {
  const t = tr(c);
  const skill = r.report?.skill;
  const name = skill?.name ?? r.entry.skill?.name ?? r.entry.id;
  const codes = r.state === 'valid' ? [] : (r.report?.problems ?? []).map((p) => p.code);
  return html`<li class="card" data-credential="${r.entry.id}" data-state="${r.state}">
<h3>${name}</h3>
<p><span class="state ${STATE_CLASS[r.state]}">${t(`state_${r.state}` as WalletMessageKey)}</span>${
    codes.length > 0 ? html` <code>${[...new Set(codes)].join(', ')}</code>` : ''
  }</p>
${rubric(c, skill?.level ?? r.entry.level, skill?.levelScale)}${skill?.levelName ? html`<p>${skill.levelName}</p>` : ''}
<dl>
<dt>${t('assessedBy')}</dt><dd>${r.report?.issuerName ?? r.entry.issuerName ?? r.entry.issuer ?? '—'}</dd>
<dt>${t('assessedOn')}</dt><dd>${date(c, skill?.assessedOn)}</dd>
${skill?.methods && skill.methods.length > 0 ? html`<dt>${t('method')}</dt><dd>${skill.methods.join(', ')}</dd>` : ''}
<dt>${t('vouches')}</dt><dd>${tierWords(c, r.report?.tier)}</dd>
<dt>${t('number')}</dt><dd>#${r.position} · ${r.entry.format}</dd>
</dl>
</li>`;
}

function receiveForm(c: PageContext, offer = ''): SafeHtml {
  const t = tr(c);
  return html`<p>${t('receiveIntro')}</p>
<form method="post" action="/receive">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="offer">${t('offerLink')}</label>
<textarea id="offer" name="offer" rows="3" required spellcheck="false">${offer}</textarea></div>
<div class="field"><label for="txCode">${t('txCode')}</label>
<input type="text" id="txCode" name="txCode" inputmode="numeric" autocomplete="one-time-code"></div>
<button type="submit">${t('receive')}</button>
</form>`;
}

function matchForm(c: PageContext, vacancy = ''): SafeHtml {
  const t = tr(c);
  return html`<p>${t('matchIntro')}</p>
<form method="post" action="/match" enctype="multipart/form-data">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="vacancy">${t('vacancyText')}</label>
<textarea id="vacancy" name="vacancy" rows="8" spellcheck="false">${vacancy}</textarea></div>
<div class="field"><label for="vacancyFile">${t('vacancyFile')}</label>
<input type="file" id="vacancyFile" name="vacancyFile" accept="application/json,.json"></div>
<button type="submit">${t('compare')}</button>
</form>`;
}

function matchView(
  c: PageContext,
  match: MatchResult,
  plan: TrainingPlan | undefined,
  hasCatalogue: boolean,
): SafeHtml {
  const t = tr(c);
  const rows = match.requirements.map(
    (r) => html`<tr data-requirement="${r.uri}" data-outcome="${r.outcome}">
<th scope="row">${r.name}</th>
<td>${t(`importance_${r.importance}` as WalletMessageKey)}</td>
<td>${r.requiredLevel === null ? '—' : r.requiredLevel}</td>
<td>${r.held?.level ?? '—'}${r.held?.assessedOn ? html` <span class="hint">(${date(c, r.held.assessedOn)})</span>` : ''}</td>
<td><span class="state ${OUTCOME_CLASS[r.outcome] ?? 'state-warn'}">${t(`outcome_${r.outcome}` as WalletMessageKey)}</span></td>
</tr>`,
  );
  return html`<section>
<h2 id="match-result">${t('matchFor', { title: match.vacancy.title, score: Math.round(match.score * 100) })}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="match-result"><table>
<thead><tr><th scope="col">${t('requirement')}</th><th scope="col">${t('importance')}</th><th scope="col">${t('required')}</th><th scope="col">${t('held')}</th><th scope="col">${t('outcome')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<h2 id="plan-title">${t('planTitle')}</h2>
${planView(c, plan, hasCatalogue)}
</section>`;
}

function planView(c: PageContext, plan: TrainingPlan | undefined, hasCatalogue: boolean): SafeHtml {
  const t = tr(c);
  if (!hasCatalogue || plan === undefined) return html`<p>${t('planNone')}</p>`;
  if (plan.gaps.length === 0) return html`<p>${t('planEmpty')}</p>`;
  const closes = (id: string) =>
    plan.gaps
      .filter((g) => g.closedBy === id)
      .map((g) => g.name)
      .join(', ');
  return html`${
    plan.modules.length > 0
      ? html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="plan-title"><table data-plan="modules"><thead><tr><th scope="col">${t('module')}</th><th scope="col">${t('hours')}</th><th scope="col">${t('closes')}</th></tr></thead>
<tbody>${plan.modules.map((m) => html`<tr><th scope="row">${m.title}${m.provider ? html` <span class="hint">${m.provider}</span>` : ''}</th><td>${m.hours}</td><td>${closes(m.id)}</td></tr>`)}</tbody></table></div>
<p>${t('planHours', { hours: plan.totalHours })}</p>`
      : ''
  }
${plan.assessments.map((g) => html`<p>${t('planAssessment', { skill: g.name })}</p>`)}
${plan.uncovered.length > 0 ? html`<p>${t('planUncovered', { skills: plan.uncovered.map((g) => g.name).join(', ') })}</p>` : ''}`;
}

function requestForm(c: PageContext, uri = ''): SafeHtml {
  const t = tr(c);
  return html`<p>${t('requestIntro')}</p>
<form method="post" action="/request">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="request">${t('requestLink')}</label>
<textarea id="request" name="request" rows="3" required spellcheck="false">${uri}</textarea></div>
<button type="submit">${t('open')}</button>
</form>`;
}

function whoAsks(c: PageContext, request: ResolvedPresentationRequest): SafeHtml {
  const t = tr(c);
  return html`<dl class="facts">
<dt>${t('whoAsks')}</dt><dd>${request.verifierName ?? request.verifierId} <span class="hint">${request.verifierId} — ${
    request.identityConfirmed ? t('identityChecked') : t('identityUnconfirmed')
  }</span></dd>
<dt>${t('answersGoTo')}</dt><dd>${request.responseUri}</dd>
</dl>`;
}

async function choiceView(
  c: PageContext,
  wallet: Wallet,
  request: ResolvedPresentationRequest,
): Promise<SafeHtml> {
  const t = tr(c);
  const entries = new Map(wallet.list().map((e) => [e.id, e]));
  const offered = [...new Set(request.credentials.flatMap((q) => q.matches))];
  const blocks: SafeHtml[] = [];
  for (const [i, id] of offered.entries()) {
    const entry = entries.get(id);
    if (entry === undefined) continue;
    const paths = entry.format === 'dc+sd-jwt' ? await listDisclosableClaims(wallet.get(id).token) : [];
    blocks.push(html`<fieldset data-credential="${id}">
<legend>${entry.skill?.name ?? id} <span class="hint">${entry.format}</span></legend>
<label class="choice"><input type="checkbox" name="include" value="${id}" checked> ${t('include')}</label>
${
  entry.format === 'dc+sd-jwt'
    ? html`<p class="hint">${t('alwaysShown')}</p>
${
  paths.length > 0
    ? html`<p>${t('alsoShow')}:</p>${paths.map(
        (p, j) =>
          html`<label class="choice" for="d-${i}-${j}"><input type="checkbox" id="d-${i}-${j}" name="disclose:${id}" value="${p}"> <code>${p}</code></label>`,
      )}`
    : ''
}`
    : html`<p class="hint">${t('wholeCredential')}</p>`
}
</fieldset>`);
  }
  return html`${whoAsks(c, request)}
<h2>${t('asked')}</h2>
<ul>${request.credentials.map(
    (q) =>
      html`<li>${q.skills.length > 0 ? q.skills.join(' / ') : q.queryId} (${q.format}) — ${
        q.matches.length > 0 ? t('youHave', { count: q.matches.length }) : t('youHaveNone')
      }</li>`,
  )}</ul>
<h2>${t('chooseTitle')}</h2>
<form method="post" action="/request/preview">
${csrfField(c.get('csrfToken'))}
${blocks}
<button type="submit">${t('preview')}</button>
</form>
<form method="post" action="/request/decline">${csrfField(c.get('csrfToken'))}<button type="submit" class="secondary">${t('decline')}</button></form>`;
}

function previewView(
  c: PageContext,
  wallet: Wallet,
  request: ResolvedPresentationRequest,
  prepared: PreparedPresentationAnswer,
): SafeHtml {
  const t = tr(c);
  const entries = new Map(wallet.list().map((e) => [e.id, e]));
  return html`<p>${t('previewIntro', { verifier: request.verifierName ?? request.verifierId })}</p>
${whoAsks(c, request)}
${prepared.shown.map((s) => {
  const entry = entries.get(s.credentialId);
  return html`<section class="card" data-shown="${s.credentialId}">
<h2>${entry?.skill?.name ?? s.credentialId} <span class="hint">${s.format}</span></h2>
${
  s.format === 'dc+sd-jwt'
    ? html`<dl class="facts"><dt>${t('disclosed')}</dt><dd>${s.disclosed.length > 0 ? s.disclosed.join(', ') : t('nothing')}</dd>
<dt>${t('withheld')}</dt><dd>${s.withheld.length > 0 ? s.withheld.join(', ') : t('nothing')}</dd></dl>`
    : html`<p class="hint">${t('wholeCredential')}</p>`
}
<pre>${multilineText(JSON.stringify(s.claims, null, 2))}</pre>
</section>`;
})}
<form method="post" action="/request/send">${csrfField(c.get('csrfToken'))}<button type="submit">${t('send')}</button></form>
<form method="post" action="/request/decline">${csrfField(c.get('csrfToken'))}<button type="submit" class="secondary">${t('decline')}</button></form>`;
}
