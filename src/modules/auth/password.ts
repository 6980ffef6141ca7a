import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { dictionary } from '@zxcvbn-ts/language-common';

// Passwords (docs/decisions/0021): Argon2id with OWASP's parameters
// (m = 19 MiB, t = 2, p = 1), computed on libuv's thread pool (the event loop
// goes on serving), stored as a PHC string with its parameters, so that they
// can be raised later without breaking stored hashes.

const argon2Async = promisify(argon2);

export const ARGON2_PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;
export const MIN_PASSWORD_LENGTH = 12;
/** Beyond it a password is refused: Argon2 of a megabyte would be a cheap way to make the server work. */
export const MAX_PASSWORD_LENGTH = 256;

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

async function derive(password: string, salt: Buffer, p: { memory: number; passes: number; parallelism: number; tagLength: number }): Promise<Buffer> {
  return argon2Async('argon2id', { message: Buffer.from(password.normalize('NFC'), 'utf8'), nonce: salt, ...p });
}

/** The PHC string of a new hash of `password` (a random 16-byte salt). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const tag = await derive(password, salt, ARGON2_PARAMS);
  const { memory: m, passes: t, parallelism: p } = ARGON2_PARAMS;
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(tag)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{16,})$/;

/** Whether `password` matches the stored PHC string; the tags are compared in constant time. A malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const tag = await derive(password, Buffer.from(m[4]!, 'base64'), { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]), tagLength: expected.length });
  return tag.length === expected.length && timingSafeEqual(tag, expected);
}

/**
 * A hash of no one's password, computed once: an unknown account is checked against it so that it costs the same
 * time as a known one (no account enumeration by timing).
 */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(newDecoySecret()));
const newDecoySecret = () => randomBytes(24).toString('base64');

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/** The most common passwords (zxcvbn-ts's list, some 49,000), lower-case; built on first use (setting a password). */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  // "password1234" and "qwertyuiop!!" are a common password with the usual padding.
  const base = lower.replace(/[\d\W_]+$/u, '');
  if (commonPasswords().has(lower) || (base.length >= 4 && commonPasswords().has(base))) return 'common';
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (lower.includes(email.toLowerCase()) || (local.length >= 4 && lower.includes(local))) return 'contains_email';
  return undefined;
}
