import { loadConfig } from './config/config.ts';
import { startServer } from './server.ts';
import { reportAndExit } from './cli/report.ts';

// `npm start`: the production entry point.
try {
  const config = loadConfig();
  const running = await startServer(config);
  console.log(`Parcours is serving the visit at ${running.url}/`);
  const stop = () => {
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  reportAndExit(e);
}
