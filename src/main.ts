// Start-up: loadConfig → openStore → buildApp → listen, and a graceful close on SIGINT/SIGTERM:
// stop accepting, drain requests, stop workers, close pools, stop the embedded PostgreSQL.
import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import { openStore } from './db/database.ts';

export interface Running {
  url: string;
  close(): Promise<void>;
}

export async function serve(config: Config, opts: { print?: (line: string) => void } = {}): Promise<Running> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = await openStore(config, print);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    app = await buildApp({ config, store });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await store.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        await app!.close(); // stops accepting and waits for in-flight requests
        await store.close();
      })();
      return closing;
    },
  };
}
