// npm run demo:web — the three parties' pages on 127.0.0.1 with demo data, until Ctrl-C:
// the assessment centre's (skillpass issuer serve) and the employer's (skillpass verifier serve)
// started by staff-sites.mjs, and the worker's (skillpass wallet serve) over a new wallet.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createWallet } from '@skillpass/holder';
import { startStaffSites } from './staff-sites.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sector = (name) => join(root, 'examples', 'metal-sector', name);
const out = mkdtempSync(join(tmpdir(), 'skillpass-web-demo-'));
const WALLET_PASSPHRASE = 'demo wallet passphrase';

const staff = await startStaffSites({ outDir: out });
const walletPath = join(out, 'wallet.skillpass');
(await createWallet({ path: walletPath, passphrase: WALLET_PASSPHRASE })).close();

const child = spawn(
  process.execPath,
  [
    join(root, 'packages', 'cli', 'bin', 'skillpass.js'),
    'wallet',
    'serve',
    '--wallet',
    walletPath,
    '--port',
    process.env.SKILLPASS_WALLET_PORT ?? '0',
    '--allow-http-localhost',
    '--catalogue',
    sector('training-catalogue.json'),
    '--crosswalk',
    sector('crosswalk.json'),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const walletUrl = await new Promise((resolveUrl, reject) => {
  child.once('exit', (code) => reject(new Error(`skillpass wallet serve exited (${code})`)));
  createInterface({ input: child.stdout }).once('line', (line) => resolveUrl(line.trim()));
});

console.log(`
skillpass — the three parties' pages (Ctrl-C stops them; demo data in ${out})

  assessment centre  ${staff.centre.url}/
  worker (wallet)    ${walletUrl}
  employer           ${staff.employer.url}/

  staff access code (centre and employer): ${staff.adminSecret}
  wallet passphrase:                       ${WALLET_PASSPHRASE}

The story: record an assessment on the centre's page and issue it as an offer; paste the offer
link on the worker's "Receive" page; create a request on the employer's page and paste its link
on the worker's "Asked by an employer" page; choose what to show, look at it, send; the
employer's page shows the report, the gaps and the training plan. The ranking page holds a pool
of ${staff.employer.poolSize} passports (challenge ${staff.poolChallenge}).
`);

// Stop everything on Ctrl-C or SIGTERM, and also when the process that started this one goes
// away (npm killed without passing the signal on: this process is then re-parented), so no
// server and no `wallet serve` child outlives the demo.
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  clearInterval(orphanWatch);
  const exited = new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', done);
  });
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((done) => setTimeout(done, 5000).unref())]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await staff.close();
  rmSync(out, { recursive: true, force: true });
  process.exit(code);
}
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid !== parent) void stop();
}, 1000);
orphanWatch.unref();
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
process.once('SIGHUP', () => void stop());
// Whatever ends this process, the child goes with it.
process.once('exit', () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
child.once('exit', (code) => {
  if (!stopping) {
    console.error(`skillpass wallet serve exited (${code}); stopping the other pages`);
    void stop(1);
  }
});
