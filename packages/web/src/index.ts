export { ASSET_FILES, assetRoutes } from './assets.js';
export type { PageContext, PageEnv, PageVariables } from './context.js';
export { cookieName, wantsSecureCookies } from './context.js';
export type { PageAppOptions } from './create-page-app.js';
export { createPageApp, pageMiddleware } from './create-page-app.js';
export type { CsrfOptions, CsrfRefusal } from './csrf.js';
export { CSRF_FIELD, CSRF_HEADER, csrfField, csrfProtection } from './csrf.js';
export type { WebErrorCode } from './errors.js';
export { WEB_ERROR_CODES } from './errors.js';
export type { HtmlValue } from './html.js';
export { escapeText, html, multilineText, SafeHtml, safeHref, trustedHtml } from './html.js';
export type { Lang, LanguageInput, Messages, Translate } from './i18n.js';
export {
  COMMON_MESSAGES,
  chooseLanguage,
  DEFAULT_LANGUAGE,
  defineMessages,
  isLang,
  LANGUAGE_NAMES,
  LANGUAGES,
  translator,
} from './i18n.js';
export type { NavItem, PageOptions } from './layout.js';
export {
  formatDateTime,
  languageHref,
  redirectAfterLanguageSwitch,
  renderErrorPage,
  renderPage,
  siteNotFound,
} from './layout.js';
export type { QrSvgOptions } from './qr.js';
export { MAX_QR_TEXT, qrSvg } from './qr.js';
export type { ClientAddressOptions, RateLimitOptions } from './rate-limit.js';
export { clientAddress, rateLimit } from './rate-limit.js';
export { CONTENT_SECURITY_POLICY, securityHeaders } from './security-headers.js';
export type { SessionStoreHooks, SessionStoreOptions } from './session.js';
export { SessionStore } from './session.js';
export type {
  StaffMember,
  StaffSignIn,
  StaffSignInMessageKey,
  StaffSignInOptions,
  StaffSiteOptions,
} from './staff-sign-in.js';
export {
  createStaffSignIn,
  MAX_STAFF_NAME_LENGTH,
  MIN_STAFF_ACCESS_CODE_LENGTH,
  STAFF_SIGN_IN_MESSAGES,
  STAFF_SIGN_IN_RATE_LIMIT,
} from './staff-sign-in.js';
