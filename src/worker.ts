// A serving process of the cluster: src/cluster.ts forks it with the primary's environment.
import { loadConfig } from './config/config.ts';
import { runWorker } from './cluster.ts';

await runWorker(loadConfig());
