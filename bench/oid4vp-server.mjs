// Child process of the oid4vp bench case: the verifier service over a verifier store, on a
// loopback port, set up as `skillpass verifier serve` sets it up (one verifier and one resolver
// for the life of each process), in `SKILLPASS_BENCH_WORKERS` node:cluster worker processes
// (default: one per core, os.availableParallelism()) sharing the port and the store, as a
// deployment on that machine would run it. Requests stay single-use across the processes: the
// first answer claims its request in the shared SQLite store.
// Tells the parent its URL and the number of workers; answers 'cpu' with the CPU time (µs) of
// this process and every worker; 'stop' ends them all.
// With SKILLPASS_BENCH_CPU_PROFILE=<file>, the first 'cpu' starts a CPU profile (node:inspector)
// in each worker and the second writes it to <file>.<worker id>: the profile of the timed load.
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism } from 'node:os';
import { createNetworkDidResolver, createVerifier } from '@skillpass/verifier';
import { createVerifierService, listen, openVerifierStore } from '@skillpass/verifier-service';

const workerCount = Number(process.env.SKILLPASS_BENCH_WORKERS ?? availableParallelism());
const profileFile = process.env.SKILLPASS_BENCH_CPU_PROFILE;

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

if (cluster.isPrimary) {
  const workers = [];
  const listening = [];
  for (let i = 0; i < workerCount; i++) {
    const worker = cluster.fork({ SKILLPASS_BENCH_ROLE: 'worker' });
    workers.push(worker);
    listening.push(new Promise((resolve) => worker.once('message', (m) => resolve(m.url))));
  }
  const urls = await Promise.all(listening);
  if (new Set(urls).size !== 1) throw new Error(`workers listen on different URLs: ${urls.join(' ')}`);
  process.send?.({ url: urls[0], workers: workerCount });
  const ask = (worker, message) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.send(message);
    });
  process.on('message', async (message) => {
    if (message === 'cpu') {
      const cpus = await Promise.all(workers.map((w) => ask(w, 'cpu')));
      process.send?.({ cpu: cpus.reduce((sum, m) => sum + m.cpu, cpuNow()) });
      return;
    }
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve) => {
            w.once('exit', resolve);
            w.send('stop');
          }),
      ),
    );
    process.exit(0);
  });
} else {
  const store = openVerifierStore(process.argv[2]);
  const resolver = createNetworkDidResolver();
  const service = createVerifierService({ store, verifier: createVerifier({ resolver }), resolver });
  // In a cluster worker, port 0 is one free port shared by every worker.
  const server = await listen(service.app, { port: 0, hostname: '127.0.0.1' });
  process.send?.({ url: server.url });
  let session;
  process.on('message', async (message) => {
    if (message === 'cpu') {
      if (profileFile !== undefined && session === undefined) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
      } else if (profileFile !== undefined) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(`${profileFile}.${cluster.worker.id}`, JSON.stringify(profile));
      }
      process.send?.({ cpu: cpuNow() });
      return;
    }
    await server.close();
    store.close();
    process.exit(0);
  });
}
