// Child process of the oid4vp bench: the verifier service on a loopback port.
import { createDidResolver } from '@skillpass/core';
import { createVerifier } from '@skillpass/verifier';
import { createVerifierService, listen, openVerifierStore } from '@skillpass/verifier-service';

const store = openVerifierStore(process.argv[2]);
if (process.env.SYNC_NORMAL) store.db.pragma('synchronous = NORMAL');
const resolver = createDidResolver();
const service = createVerifierService({ store, verifier: createVerifier({ resolver }), resolver });
const server = await listen(service.app, { port: 0 });
process.send({ url: server.url });
process.on('message', async () => {
  await server.close();
  store.close();
  process.exit(0);
});
