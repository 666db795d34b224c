// oid4vp: the verifier service receiving direct_post responses (5 credentials each) from 32
// concurrent clients on loopback, beside in-process verifyPassport of a 5-credential passport.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signCompactJws } from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { createVerifier } from '@skillpass/verifier';
import { createPresentationRequest, initVerifier, openVerifierStore } from '@skillpass/verifier-service';
import { check } from './harness.mjs';
import { identity } from './passport-20.mjs';

const vacancy = JSON.parse(readFileSync(new URL('../examples/metal-sector/vacancy-cnc-machinist.json', import.meta.url), 'utf8'));

export async function runOid4vp({ quick = false } = {}) {
  const seconds = quick ? 2 : 8;
  const connections = 32;
  const count = quick ? 600 : 6000;
  const centre = identity();
  const holder = identity();
  const issuer = { did: centre.did, name: 'Bench centre' };
  const reqs = vacancy.requirements.slice(0, 5);
  const tokens = [];
  for (const r of reqs) {
    const a = { skill: { uri: r.uri, name: r.name }, level: 4, evidence: [{ method: 'practical-exam', assessedOn: new Date().toISOString().slice(0, 10) }] };
    tokens.push((await issueSkillCredential(a, { issuer, subject: holder.did, signingKey: centre.signingKey })).token);
  }
  // In-process baseline: verifyPassport of the same five credentials.
  const verifier = createVerifier();
  const passport = await createPassport({ holder, credentials: tokens, audience: 'aud', challenge: 'c' });
  check((await verifier.verifyPassport(passport, { audience: 'aud', challenge: 'c' })).verified, 'passport verifies');
  let ops = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 500) {
    await verifier.verifyPassport(passport, { audience: 'aud', challenge: 'c' });
    ops++;
  }
  const inProcess = (ops * 1000) / (performance.now() - t0);

  const dir = mkdtempSync(join(tmpdir(), 'skillpass-bench-oid4vp-'));
  try {
    initVerifier({ dir, didKey: true });
    const child = fork(new URL('./oid4vp-server.mjs', import.meta.url), [dir], { stdio: 'inherit' });
    const { url } = await new Promise((r) => child.once('message', r));
    const store = openVerifierStore(dir);
    const clientId = store.identity.clientId;
    const bodies = [];
    store.db.exec('BEGIN');
    for (let i = 0; i < count; i++) {
      const { id } = await createPresentationRequest(store, { vacancy, publicUrl: url, responseMode: 'direct_post', allowHttpLocalhost: true });
      const row = store.db.prepare('SELECT state, nonce FROM verifier_requests WHERE id = ?').get(id);
      const iat = Math.floor(Date.now() / 1000);
      const vpToken = {};
      for (let q = 0; q < 5; q++) {
        vpToken[`q${q}_vc`] = [
          await signCompactJws({ typ: 'JWT' }, { iss: holder.did, aud: clientId, nonce: row.nonce, iat, exp: iat + 600,
            vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: [tokens[q]] } }, holder.signingKey),
        ];
      }
      bodies.push(new URLSearchParams({ state: row.state, vp_token: JSON.stringify(vpToken) }).toString());
    }
    store.db.exec('COMMIT');
    store.close();
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const post = (body) =>
      new Promise((resolve, reject) => {
        const req = request(`${url}/oid4vp/response`, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(body);
      });
    check((await post(bodies.pop())) === 200, 'a response is accepted');
    const latencies = [];
    let next = 0;
    let failed = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline && next < bodies.length) {
          const body = bodies[next++];
          const t = performance.now();
          if ((await post(body)) !== 200) failed++;
          latencies.push(performance.now() - t);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    agent.destroy();
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
    check(failed === 0, `${failed} responses refused`);
    latencies.sort((a, b) => a - b);
    const rps = latencies.length / elapsed;
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    console.log(`\noid4vp: ${latencies.length} direct_post responses (5 credentials each) in ${elapsed.toFixed(1)} s over ${connections} connections; in-process verifyPassport ${inProcess.toFixed(0)}/s`);
    const summary = `oid4vp: rps=${rps.toFixed(1)} p99-ms=${p99.toFixed(1)} ratio-to-inprocess=${(rps / inProcess).toFixed(2)}`;
    console.log(summary);
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runOid4vp({ quick: process.argv.includes('--quick') });
