// Benchmarks of the built packages (dist): `pnpm bench` = `tsc -b && node bench/run.mjs`.
// Usage: node bench/run.mjs [--quick] [case ...]
//   cases: passport-20, issue, rank, hostile-inputs, di-credential, oid4vp
// Every case ends with its summary line; with several cases they are repeated at the end, passport-20 last.
// A case's module is imported only when the case runs, so one case's libraries (jsonld.js,
// Veramo, the OpenID4VP stack) do not sit in the heap while another is measured.
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { settingsFor } from './harness.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--quick');
const wanted = args.filter((a) => !a.startsWith('-'));
const CASES = ['passport-20', 'issue', 'rank', 'hostile-inputs', 'di-credential', 'oid4vp'];
const unknownCases = wanted.filter((c) => !CASES.includes(c));
if (unknownFlags.length > 0 || unknownCases.length > 0) {
  console.error(`usage: node bench/run.mjs [--quick] [${CASES.join('|')} ...]`);
  process.exit(2);
}
const selected = (name) => wanted.length === 0 || wanted.includes(name);
const settings = settingsFor(quick);

const cpu = cpus();
console.log(
  `skillpass bench${quick ? ' --quick (smoke test: numbers not representative)' : ''}: Node ${process.version}, ${cpu.length} vCPU (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform}/${process.arch}`,
);

// Each case ends with its summary line; they are repeated at the end, passport-20 last.
const summaries = new Map();
if (selected('passport-20')) {
  const { runPassport20 } = await import('./passport-20.mjs');
  summaries.set('passport-20', await runPassport20(settings));
}
if (selected('issue')) {
  const { runIssue } = await import('./issue.mjs');
  summaries.set('issue', await runIssue(settings));
}
if (selected('rank')) {
  const rank = new URL('./rank.mjs', import.meta.url);
  if (existsSync(rank)) {
    const mod = await import(rank.href);
    const fn =
      typeof mod.default === 'function'
        ? mod.default
        : Object.values(mod).find((v) => typeof v === 'function' && /rank/i.test(v.name));
    if (fn === undefined) throw new Error('bench/rank.mjs exports no rank benchmark function');
    console.log('');
    const result = await fn({ quick, ...settings });
    if (typeof result?.summary === 'string') summaries.set('rank', result.summary);
  } else if (wanted.includes('rank')) {
    console.error('bench/rank.mjs is not there');
    process.exit(1);
  }
}

if (selected('hostile-inputs')) {
  const { runHostileInputs } = await import('./hostile-inputs.mjs');
  summaries.set('hostile-inputs', await runHostileInputs({ quick }));
}
if (selected('di-credential')) {
  const { runDiCredential } = await import('./di-credential.mjs');
  summaries.set('di-credential', await runDiCredential(settings));
}
if (selected('oid4vp')) {
  const { runOid4vp } = await import('./oid4vp.mjs');
  summaries.set('oid4vp', await runOid4vp(settings));
}

if (summaries.size > 1) {
  console.log('\nsummary');
  for (const name of ['issue', 'rank', 'hostile-inputs', 'di-credential', 'oid4vp', 'passport-20'])
    if (summaries.has(name)) console.log(summaries.get(name));
}
