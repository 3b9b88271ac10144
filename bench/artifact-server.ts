/**
 * The artifact bench's server, in a process of its own (so its CPU time and event loop are the
 * server's alone, and `--cpu-prof` profiles only it): opens the configuration in the given
 * directory, starts the real server, makes a `ci` token, and answers the bench over IPC.
 */
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { startServer } from '@gantry/server';

const dir = process.argv[2];
if (!dir || !process.send) throw new Error('usage: fork artifact-server.ts <dir> (with an IPC channel)');
const send = (m: unknown) => process.send?.(m);

const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
const server = await startServer({ runtime, port: 0 });
const { token } = await server.store.createToken({ name: 'ci', role: 'ci' });
send({ type: 'started', url: server.url, token });

process.on('message', async (m: { type: string }) => {
  if (m.type === 'cpu') {
    const c = process.cpuUsage();
    send({ type: 'cpu', ms: (c.user + c.system) / 1000 });
  } else if (m.type === 'stop') {
    await server.close();
    await runtime.close();
    // a normal exit writes the --cpu-prof profile
    process.exit(0);
  }
});
