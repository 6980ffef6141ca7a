import type { Context } from 'hono';
import { z } from 'zod';
import type { MessageKey, Translate } from '../../i18n/messages.ts';
import type { FieldErrors } from './admin.views.tsx';

// What the administration's forms share: reading a posted form, the email
// field's schema, zod issues as messages beside their fields.

// Zod issues carry the catalogue key of the message shown beside the field.
export const emailField = z.string({ error: 'admin.field.required' }).trim().min(1, 'admin.field.required').max(254, 'admin.field.tooLong').pipe(z.email('admin.field.email'));

export function fieldErrors(t: Translate, error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const i of error.issues) {
    const field = String(i.path[0] ?? '');
    out[field] ??= t(i.message as MessageKey);
  }
  return out;
}

const urlEncoded = (c: Context) => (c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded');

/**
 * The submitted form's fields. The admin's forms are URL-encoded; any other body (multipart, JSON, a broken one)
 * gives no fields, so its token is missing and it is refused like any forged form, never a 500.
 */
export async function formOf(c: Context): Promise<Record<string, string>> {
  if (!urlEncoded(c)) return {};
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** Every value of a field posted more than once (a group of checkboxes), in the order sent; none when absent. */
export async function formListOf(c: Context, name: string): Promise<string[]> {
  if (!urlEncoded(c)) return [];
  try {
    const v = (await c.req.parseBody({ all: true }))[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  } catch {
    return [];
  }
}
