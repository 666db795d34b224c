// oid4vp: the OpenID4VP verifier service (packages/verifier-service) receiving `direct_post`
// responses from 32 concurrent wallets on loopback, beside in-process `verifyPassport` of the
// same five credentials in the same run (issue 11). Runnable alone: `node bench/run.mjs oid4vp`.
//
// The service runs in a child process (bench/oid4vp-server.mjs), set up as `verifier serve`
// sets it up, over a fresh verifier store, as node:cluster workers sharing the port and the
// store: one per core (os.availableParallelism()), or SKILLPASS_BENCH_WORKERS. Outside the
// timing, the bench opens one request per response to be sent (the vacancy's DCQL query,
// nonce, state, in the store) and signs each answer: a `vp_token` with five `jwt_vc_json`
// presentations (VC 1.1 JWT, EdDSA, did:key holder, audience = the verifier's client_id, the
// request's nonce), each holding one skill credential (`vc+jwt`), and writes it out as the
// bytes of an HTTP request. During the timing, 32 keep-alive connections send these answers
// back to back for a fixed time; every answer must be accepted (HTTP 200: every check passed,
// the DCQL query re-checked on the verified credentials, the outcome and the match stored) or
// the case fails. Latency is per response, from the request written to the response read.
// The in-process side verifies one passport at a time on one thread, while the service is idle.
//
// Last line: `oid4vp: rps=<x> p99-ms=<y> ratio-to-inprocess=<z>` where x is accepted
// responses per second, y the 99th percentile latency (nearest rank) and
// z = x ÷ in-process verifyPassport/s.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signCompactJws } from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { createNetworkDidResolver, createVerifier } from '@skillpass/verifier';
import { createPresentationRequest, initVerifier, openVerifierStore } from '@skillpass/verifier-service';
import { check, compare, printTable } from './harness.mjs';
import { identity } from './passport-20.mjs';

const CONNECTIONS = 32;
const CREDENTIALS = 5;
const AUDIENCE = 'https://jobs.metaal.example';
const CHALLENGE = 'bench-oid4vp-challenge';

const vacancy = JSON.parse(
  readFileSync(new URL('../examples/metal-sector/vacancy-cnc-machinist.json', import.meta.url), 'utf8'),
);

/**
 * One keep-alive HTTP/1.1 connection that sends prepared requests (bytes built outside the
 * timing, as autocannon does) one at a time and reads each response: status line, headers,
 * a Content-Length body. Resolves each post to the HTTP status. A connection the server closed
 * while idle (its keep-alive timeout, e.g. while the in-process side is measured) is opened
 * again for the next request; anything else (a chunked or unframed response, the server
 * closing or failing with a request in flight) fails the case.
 */
function openConnection(url) {
  const { hostname, port } = new URL(url);
  let pending = null;
  let buffered = Buffer.alloc(0);
  let socket = null;
  const fail = (err) => {
    const p = pending;
    pending = null;
    p?.reject(err);
  };
  const onData = (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    if (pending === null) return fail(new Error('a response nobody asked for'));
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!head.startsWith('HTTP/1.1 ') || length === null) {
      return fail(new Error(`an unframed response: ${head.slice(0, 200)}`));
    }
    const total = end + 4 + Number(length[1]);
    if (buffered.length < total) return;
    if (buffered.length > total) return fail(new Error('bytes after the response'));
    buffered = Buffer.alloc(0);
    const p = pending;
    pending = null;
    p.resolve(status);
  };
  const open = () =>
    new Promise((resolve, reject) => {
      const s = connect({ host: hostname, port: Number(port) });
      s.setNoDelay(true);
      s.once('connect', () => {
        s.on('data', onData);
        s.on('error', fail);
        s.on('close', () => {
          if (socket === s) socket = null;
          buffered = Buffer.alloc(0);
          fail(new Error('the service closed the connection with a request in flight'));
        });
        socket = s;
        resolve();
      });
      s.once('error', reject);
    });
  return {
    ready: open(),
    async post(bytes) {
      if (socket === null) await open();
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(bytes);
      });
    },
    close() {
      const s = socket;
      socket = null;
      s?.removeAllListeners('close');
      s?.destroy();
    },
  };
}

/** The bytes of a `direct_post` of `body` to `url`'s response endpoint. */
function requestBytes(url, body) {
  const { host } = new URL(url);
  return Buffer.from(
    `POST /oid4vp/response HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Run the case; returns its summary line (also printed). */
export async function runOid4vp(settings) {
  const quick = settings.rounds < 3;
  const seconds = quick ? 3 : 10;
  // Enough answers for the warm-up; the timed window's are prepared after it (see below).
  const warmUpMs = quick ? 500 : 1000;
  const warmUpAnswers = quick ? 800 : 1600;
  const centre = identity();
  const holder = identity();
  const issuer = {
    did: centre.did,
    name: 'Metal Assessment Centre',
    url: 'https://assessment.metaal.example',
  };
  const tokens = [];
  for (const r of vacancy.requirements.slice(0, CREDENTIALS)) {
    const assessment = {
      skill: { uri: r.uri, name: r.name },
      level: 4,
      evidence: [{ method: 'practical-exam', assessedOn: new Date().toISOString().slice(0, 10) }],
    };
    const issued = await issueSkillCredential(assessment, {
      issuer,
      subject: holder.did,
      signingKey: centre.signingKey,
    });
    tokens.push(issued.token);
  }

  const dir = mkdtempSync(join(tmpdir(), 'skillpass-bench-oid4vp-'));
  let child;
  try {
    initVerifier({ dir, didKey: true });
    child = fork(new URL('./oid4vp-server.mjs', import.meta.url), [dir], {
      stdio: 'inherit',
    });
    const { url, workers } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`the verifier service exited (${code})`)));
    });

    // One open request per answer, and the answer: five jwt_vc_json presentations bound to it.
    // Answers are prepared outside the timing, in batches: enough for the warm-up first, then,
    // from the rate the warm-up reached, enough for the timed window with a wide margin.
    const bodies = [];
    const prepare = async (count) => {
      const store = openVerifierStore(dir);
      const clientId = store.identity.clientId;
      const byId = store.db.prepare('SELECT state, nonce FROM verifier_requests WHERE id = ?');
      store.db.exec('BEGIN');
      for (let i = 0; i < count; i++) {
        const { id } = await createPresentationRequest(store, {
          vacancy,
          publicUrl: url,
          responseMode: 'direct_post',
          allowHttpLocalhost: true,
          expiresInSeconds: 3600,
        });
        const { state, nonce } = byId.get(id);
        const iat = Math.floor(Date.now() / 1000);
        const vpToken = {};
        for (let q = 0; q < CREDENTIALS; q++) {
          const vp = {
            '@context': ['https://www.w3.org/2018/credentials/v1'],
            type: ['VerifiablePresentation'],
            verifiableCredential: [tokens[q]],
          };
          const jwt = await signCompactJws(
            { typ: 'JWT' },
            { iss: holder.did, aud: clientId, nonce, iat, exp: iat + 3600, vp },
            holder.signingKey,
          );
          vpToken[`q${q}_vc`] = [jwt];
        }
        bodies.push(
          requestBytes(url, new URLSearchParams({ state, vp_token: JSON.stringify(vpToken) }).toString()),
        );
      }
      store.db.exec('COMMIT');
      store.close();
    };
    await prepare(warmUpAnswers);

    // In-process baseline: the same five credentials in a passport, one verifier reused.
    const verifier = createVerifier({ resolver: createNetworkDidResolver() });
    const passport = await createPassport({
      holder,
      credentials: tokens,
      audience: AUDIENCE,
      challenge: CHALLENGE,
      expiresInSeconds: 3600,
    });
    const inProcess = async () => {
      const report = await verifier.verifyPassport(passport, { audience: AUDIENCE, challenge: CHALLENGE });
      if (!report.verified) throw new Error('the passport did not verify');
    };
    await inProcess();

    let connections = Array.from({ length: CONNECTIONS }, () => openConnection(url));
    await Promise.all(connections.map((c) => c.ready));
    check((await connections[0].post(bodies.pop())) === 200, 'the service accepts an answer');
    // Warm-up: one second of answers from every connection, not counted.
    const warmStart = performance.now();
    const warmEnd = warmStart + warmUpMs;
    let next = 0;
    await Promise.all(
      connections.map(async (connection) => {
        while (performance.now() < warmEnd && next < bodies.length) {
          check((await connection.post(bodies[next++])) === 200, 'a warm-up answer is accepted');
        }
      }),
    );
    // The timed window needs rate × seconds answers; prepare twice what the warm-up's rate asks
    // for (a warm service is faster than a cold one), outside the timing.
    const warmRate = next / ((performance.now() - warmStart) / 1000);
    const wanted = Math.ceil(warmRate * seconds * 2) + 4 * CONNECTIONS;
    if (bodies.length - next < wanted) await prepare(wanted - (bodies.length - next));

    const baselineBefore = await compare([{ name: 'in-process', fn: inProcess }], {
      ...settings,
      rounds: quick ? 1 : 3,
      warmupMs: 0,
    });

    const childCpu = () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m.cpu));
        child.send('cpu');
      });
    // Fresh connections for the timed load: the service may have closed idle ones meanwhile.
    for (const c of connections) c.close();
    connections = Array.from({ length: CONNECTIONS }, () => openConnection(url));
    await Promise.all(connections.map((c) => c.ready));
    const cpuBefore = await childCpu();
    const clientCpu0 = process.cpuUsage();
    const latencies = [];
    let refused = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    let ranOut = false;
    await Promise.all(
      connections.map(async (connection) => {
        while (performance.now() < deadline) {
          if (next >= bodies.length) {
            ranOut = true;
            break;
          }
          const body = bodies[next++];
          const t = performance.now();
          if ((await connection.post(body)) !== 200) refused++;
          latencies.push(performance.now() - t);
        }
      }),
    );
    // rps is answers over the time they took; if the prepared answers ran out before the
    // deadline (the service was more than twice as fast as in the warm-up), that time is shorter.
    const elapsed = (performance.now() - start) / 1000;
    const clientCpu = process.cpuUsage(clientCpu0);
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000 / latencies.length;
    const serviceCpuMs = ((await childCpu()) - cpuBefore) / 1000 / latencies.length;
    for (const c of connections) c.close();
    check(refused === 0, `${refused} answers refused`);
    check(!ranOut || elapsed >= seconds / 2, 'the prepared answers ran out before half the timed window');

    const baselineAfter = await compare([{ name: 'in-process', fn: inProcess }], {
      ...settings,
      rounds: quick ? 1 : 3,
      warmupMs: 0,
    });
    // The baseline is measured just before and just after the load, and averaged.
    const inProcessOps = (baselineBefore[0].opsPerSec + baselineAfter[0].opsPerSec) / 2;
    // CPU time of one in-process verification (this process, 100 in a row): on a shared
    // machine, CPU per operation says more about the cost of the service than wall time.
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < 100; i++) await inProcess();
    const { user, system } = process.cpuUsage(cpu0);
    const inProcessCpuMs = (user + system) / 1000 / 100;

    latencies.sort((a, b) => a - b);
    // Nearest rank: the smallest latency that at least q of the answers did not exceed.
    const quantile = (q) => latencies[Math.max(0, Math.ceil(latencies.length * q) - 1)];
    const rps = latencies.length / elapsed;
    const p99 = quantile(0.99);

    console.log(
      `\noid4vp: ${CONNECTIONS} wallets post direct_post answers (vp_token: ${CREDENTIALS} jwt_vc_json presentations of one vc+jwt each) to the verifier service (${workers} node:cluster worker process${workers === 1 ? '' : 'es'} on one store) for ${seconds} s on loopback`,
    );
    console.log(
      '  in-process: verifyPassport of the same 5 credentials (one vp+jwt), one at a time on one thread, measured before and after the load',
    );
    printTable('oid4vp (in-process: median of its rounds, before and after)', [
      { ...baselineBefore[0], name: 'in-process verifyPassport (before)' },
      { ...baselineAfter[0], name: 'in-process verifyPassport (after)' },
    ]);
    console.log(
      `  service: ${latencies.length} answers accepted in ${elapsed.toFixed(1)} s${ranOut ? ' (every prepared answer sent before the deadline)' : ''}; latency ms p50 ${quantile(0.5).toFixed(1)}, p90 ${quantile(0.9).toFixed(1)}, p99 ${p99.toFixed(1)}, max ${latencies.at(-1).toFixed(1)}`,
    );
    console.log(
      `  CPU per operation: service ${serviceCpuMs.toFixed(2)} ms per answer (HTTP, decoding, 10 signatures, DCQL, match, store), in-process ${inProcessCpuMs.toFixed(2)} ms per passport (6 signatures); ratio ${(inProcessCpuMs / serviceCpuMs).toFixed(2)}; the load generator (this process) ${clientCpuMs.toFixed(2)} ms per answer on the same cores`,
    );
    const summary = `oid4vp: rps=${rps.toFixed(1)} p99-ms=${p99.toFixed(1)} ratio-to-inprocess=${(rps / inProcessOps).toFixed(2)}`;
    console.log(summary);
    return summary;
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
