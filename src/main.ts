import { loadConfig } from './config/config.ts';
import { serveUntilStopped } from './cluster.ts';
import { reportAndExit } from './cli/report.ts';

// `npm start`: the production entry point.
try {
  const config = loadConfig();
  if (!process.env.PUBLIC_URL && !['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    console.warn(`parcours: PUBLIC_URL is not set; canonical links and the sitemap will use ${config.publicUrl}. Set PUBLIC_URL to the site's public address.`);
  }
  await serveUntilStopped(config);
} catch (e) {
  reportAndExit(e);
}
