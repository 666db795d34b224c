import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// Browser tests drive Debian's Chromium (never a tool's own browser download: no network for
// it) through playwright-core, headless, with the flags that keep it off the network.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Chromium the tests drive: `SKILLPASS_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH: string = process.env.SKILLPASS_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep a headless Chromium off the network and quiet (toolchain notes, "Browser tests"). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored): `SKILLPASS_SCREENSHOTS`, else `test-results/screenshots`. */
export const SCREENSHOT_DIR: string =
  process.env.SKILLPASS_SCREENSHOTS ?? join(repoRoot, 'test-results', 'screenshots');

/** A phone's viewport (the worker's pages must work on one). */
export const PHONE = { width: 390, height: 844 } as const;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What a page did that a test should see: console errors (CSP violations among them) and uncaught errors. */
export interface PageProblems {
  /** Console messages of type `error`, in order (but not the 4xx status of an error page itself). */
  consoleErrors: string[];
  /** Uncaught exceptions of the page's script. */
  pageErrors: string[];
}

/** One party's browser: its own context (cookies, storage), like a separate device. */
export interface Party {
  /** The context (cookies of this party only). */
  context: BrowserContext;
  /** Its one tab. */
  page: Page;
  /** What went wrong in the page so far. */
  problems: PageProblems;
}

/** Options of {@link TestBrowser.newParty}. */
export interface PartyOptions {
  /** Browser locale, sent as Accept-Language. Default `nl-NL`. */
  locale?: string;
  /** Viewport. Default 1280×900; pass {@link PHONE} for a phone. */
  viewport?: { width: number; height: number };
}

/** A running headless Chromium for one test file. */
export interface TestBrowser {
  /** A new isolated party (context + page) that records console errors and page errors. */
  newParty(options?: PartyOptions): Promise<Party>;
  /** Close every context and the browser. */
  close(): Promise<void>;
}

/**
 * Launch Debian's Chromium headless with {@link CHROMIUM_FLAGS} and a fresh profile folder
 * (`--user-data-dir` under the temp folder, removed on close). Each party gets its own
 * context, so the centre's, the worker's and the employer's cookies never mix.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  // playwright-core starts the browser with `--user-data-dir` set to a new folder under the
  // temp folder (it refuses that flag from us) and removes it on close: a fresh profile per run.
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    timeout: 120_000,
  });
  return {
    async newParty(options = {}) {
      const context = await browser.newContext({
        locale: options.locale ?? 'nl-NL',
        viewport: options.viewport ?? { width: 1280, height: 900 },
        serviceWorkers: 'block',
      });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      const problems: PageProblems = { consoleErrors: [], pageErrors: [] };
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        // An error page (4xx) is what the test asked for: Chromium logs its status as an
        // error of the document itself. Anything else (a CSP violation, a missing asset) counts.
        const documentStatus =
          msg.text().startsWith('Failed to load resource: the server responded with a status of 4') &&
          msg.location().url === page.url();
        if (!documentStatus) problems.consoleErrors.push(msg.text());
      });
      page.on('pageerror', (err) => problems.pageErrors.push(err.message));
      return { context, page, problems };
    },
    async close() {
      await browser.close();
    },
  };
}

/** The axe-core rule sets every page is checked against. */
export const AXE_TAGS: readonly string[] = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** One accessibility violation found by axe-core, reduced to what a failing test should print. */
export interface A11yViolation {
  /** axe rule id (`color-contrast`, `label`, …). */
  id: string;
  /** `minor` … `critical`. */
  impact: string | null;
  /** The rule's description. */
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/**
 * Run axe-core (from node_modules, injected through the DevTools protocol so the page's CSP
 * still holds for the page's own code) over the whole page against WCAG 2.1 A/AA and axe's best
 * practices; returns every violation.
 */
export async function checkAccessibility(page: Page): Promise<A11yViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axeSource);
  // A string, not a function: the test project has no DOM types.
  return (await page.evaluate(`(async () => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} },
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  })()`)) as A11yViolation[];
}

/**
 * Save a full-page screenshot as `<SCREENSHOT_DIR>/<name>.png` and return its path. The
 * folder is git-ignored; the best screenshots are copied into docs/img by hand.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The checks every page of a browser test gets: axe-core finds nothing, the page logged no
 * console error (a CSP violation is one) and threw nothing; then a screenshot named `name`.
 * Returns the problems so the caller's `expect` shows them.
 */
export async function inspectPage(
  party: Party,
  name: string,
): Promise<{ violations: A11yViolation[]; consoleErrors: string[]; pageErrors: string[] }> {
  const violations = await checkAccessibility(party.page);
  await screenshot(party.page, name);
  const report = {
    violations,
    consoleErrors: [...party.problems.consoleErrors],
    pageErrors: [...party.problems.pageErrors],
  };
  party.problems.consoleErrors.length = 0;
  party.problems.pageErrors.length = 0;
  return report;
}
