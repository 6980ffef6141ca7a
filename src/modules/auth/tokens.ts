import { createHash, randomBytes } from 'node:crypto';

// Secrets given to a browser (a session cookie, a set-password link) are 256
// random bits; the database keeps only their SHA-256, so that a leaked
// database or backup opens no session. A fast hash is enough for 256-bit
// random values (nothing to guess); passwords use Argon2id (password.ts).

/** A new random token: 32 bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** The digest stored for a token. */
export const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A token's plausible shape: what a cookie or a link may hold before it is looked up. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
