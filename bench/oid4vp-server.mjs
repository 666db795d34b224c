// Child process of the oid4vp bench case: the verifier service over a verifier store, on a
// loopback port, set up as `skillpass verifier serve` sets it up (one verifier and one resolver
// for the life of the service). Tells the parent its URL; answers 'cpu' with its CPU time.
// With SKILLPASS_BENCH_CPU_PROFILE=<file>, the first 'cpu' starts a CPU profile (node:inspector)
// and the second writes it to <file>: the profile of the timed load only.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createNetworkDidResolver, createVerifier } from '@skillpass/verifier';
import { createVerifierService, listen, openVerifierStore } from '@skillpass/verifier-service';

const store = openVerifierStore(process.argv[2]);
const resolver = createNetworkDidResolver();
const service = createVerifierService({ store, verifier: createVerifier({ resolver }), resolver });
const server = await listen(service.app, { port: 0, hostname: '127.0.0.1' });
process.send?.({ url: server.url });

const profileFile = process.env.SKILLPASS_BENCH_CPU_PROFILE;
let session;
// From the parent: 'cpu' asks for this process's CPU time so far (µs), 'stop' ends it.
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
      writeFileSync(profileFile, JSON.stringify(profile));
    }
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
    return;
  }
  await server.close();
  store.close();
  process.exit(0);
});
