import { loadConfig } from './config/config.ts';
import { serve } from './cluster.ts';
import { reportAndExit } from './cli/report.ts';

// `npm start`: the production entry point.
try {
  const config = loadConfig();
  if (!process.env.PUBLIC_URL && !['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    console.warn(`parcours: PUBLIC_URL is not set; canonical links and the sitemap will use ${config.publicUrl}. Set PUBLIC_URL to the site's public address.`);
  }
  const running = await serve(config);
  console.log(`Parcours is serving the visit at ${running.url}/`);
  const stop = () => {
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  reportAndExit(e);
}
