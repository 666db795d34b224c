// Child process of the oid4vp bench case: the verifier service over a verifier store, on a
// loopback port, set up as `skillpass verifier serve` sets it up (one verifier and one resolver
// for the life of the service). Tells the parent its URL; answers 'cpu' with its CPU time.
import { createNetworkDidResolver, createVerifier } from '@skillpass/verifier';
import { createVerifierService, listen, openVerifierStore } from '@skillpass/verifier-service';

const store = openVerifierStore(process.argv[2]);
const resolver = createNetworkDidResolver();
const service = createVerifierService({ store, verifier: createVerifier({ resolver }), resolver });
const server = await listen(service.app, { port: 0, hostname: '127.0.0.1' });
process.send?.({ url: server.url });
// From the parent: 'cpu' asks for this process's CPU time so far (µs), 'stop' ends it.
process.on('message', async (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
    return;
  }
  await server.close();
  store.close();
  process.exit(0);
});
