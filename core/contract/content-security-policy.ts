// The workbench page's Content Security Policy: web mode sends it as a header, Electron sets it on
// every response of its window, and the renderer's build writes it into the page's meta tag.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
