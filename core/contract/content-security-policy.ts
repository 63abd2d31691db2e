// The workbench page's Content Security Policy: web mode sends it as a header, Electron sets it on
// every response of its window, and the renderer's build writes it into the page's meta tag.
// Styles come from the built stylesheet only: no 'unsafe-inline'. React's `style` props (and
// recharts' and the virtual list's) are set through the CSSOM, which style-src does not govern;
// an inline <style> element or a style="" attribute in HTML would be blocked (the UI tests check
// that no page of the workbench makes the browser report a violation).

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
