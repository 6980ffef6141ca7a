// One error type for the whole application. `code` is stable (tests and the
// error mapper rely on it); `message` is for people.
export type ErrorCode =
  | 'config_invalid'
  | 'database_unavailable'
  | 'storage_unavailable'
  | 'port_in_use'
  | 'bundle_invalid'
  | 'bundle_unreadable'
  | 'export_target_not_empty'
  | 'not_found'
  | 'bad_request'
  | 'uri_too_long'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
