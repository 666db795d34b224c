/**
 * The codes the page infrastructure answers with (in the page, as `data-error-code`, and in
 * JSON answers as `code`). Stable: assert on these, never on the text.
 */
export const WEB_ERROR_CODES = [
  /** A state-changing request without the page's CSRF token, or from another origin. */
  'ERR_CSRF_REJECTED',
  /** Too many requests from one client within the window. */
  'ERR_RATE_LIMITED',
  /** A staff sign-in with a wrong name or access code (the sign-in page again, status 401). */
  'ERR_SIGN_IN_FAILED',
  /** The page needs a session (sign-in, unlocked wallet) that is missing or has expired. */
  'ERR_SESSION_REQUIRED',
  /** A request body over the page's limit. */
  'ERR_INPUT_TOO_LARGE',
  /** No page at this address. */
  'ERR_NOT_FOUND',
] as const;

/** One of {@link WEB_ERROR_CODES}. */
export type WebErrorCode = (typeof WEB_ERROR_CODES)[number];
