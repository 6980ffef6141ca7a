import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { databaseTargetFrom, DEFAULT_POOL_SIZE, inMemory, type DatabaseTarget } from '../db/target.ts';

// Configuration comes from the environment, validated once at start-up so that a
// typo fails fast with one clear line instead of a stack trace later.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('./data/parcours.db'),
  // PostgreSQL: connections each process opens at most (a serving process, its render worker, an import).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_POOL_SIZE),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CONTENT_DIR: z.string().min(1).default('content/drome'),
  MEDIA_DIR: z.string().min(1).optional(),
  LOG_REQUESTS: z.enum(['0', '1']).default('0'),
  // Two open files per connection at most (its socket, a media file) fit the common limit of 1,024.
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(450),
  // Rendered pages kept compressed in memory (raw, brotli and gzip bodies); past it the least recently used go.
  PAGE_CACHE_MB: z.coerce.number().min(0.1).max(65_536).default(64),
  // How often each serving process looks for new content in the database (every 5th time only while PostgreSQL notifies it).
  CONTENT_POLL_MS: z.coerce.number().int().min(200).max(3_600_000).default(2000),
  // Serving processes (node:cluster): "auto" is one per core, at most four; 1 serves from this process alone.
  WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default('auto'),
});

/** What the HTTP server accepts from clients (src/web/http/limits.ts); only the cap is set from the environment. */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  sendTimeoutMs: number;
  checkIntervalMs: number;
  maxConnections: number;
}

/** Headers within 10 s of the connection (the request is a GET: no body to wait for), 5 s idle between requests. */
export const HTTP_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, sendTimeoutMs: 60_000, checkIntervalMs: 1_000 } as const;

export interface Config {
  port: number;
  host: string;
  /** DATABASE_URL: a SQLite file (or :memory:) or a PostgreSQL server. */
  database: DatabaseTarget;
  publicUrl: string;
  contentDir: string;
  /** Where media originals and derivatives are stored: MEDIA_DIR, or media/ beside the database file (./data/media for PostgreSQL). */
  mediaDir: string;
  logRequests: boolean;
  http: HttpLimits;
  /** Bytes the cache of rendered pages may hold (PAGE_CACHE_MB). */
  pageCacheBytes: number;
  /** CONTENT_POLL_MS: how often a serving process looks for new content. */
  contentPollMs: number;
  /** Serving processes (WORKERS); 1 for an in-memory database, which one process alone can see. */
  workers: number;
}

/** "auto": one serving process per core the machine gives this one, at most four (each costs some 250 MB). */
export const AUTO_WORKERS_MAX = 4;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('config_invalid', `Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const database = databaseTargetFrom(e.DATABASE_URL, e.DATABASE_POOL_SIZE);
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    mediaDir: e.MEDIA_DIR ?? (database.engine === 'postgres' || inMemory(database) ? './data/media' : join(dirname(database.path), 'media')),
    publicUrl: (e.PUBLIC_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/+$/, ''),
    contentDir: e.CONTENT_DIR,
    logRequests: e.LOG_REQUESTS === '1',
    http: { ...HTTP_TIMEOUTS, maxConnections: e.MAX_CONNECTIONS },
    pageCacheBytes: Math.round(e.PAGE_CACHE_MB * 1024 * 1024),
    contentPollMs: e.CONTENT_POLL_MS,
    workers: inMemory(database) ? 1 : e.WORKERS === 'auto' ? Math.min(availableParallelism(), AUTO_WORKERS_MAX) : e.WORKERS,
  };
}
