// core/web: web mode (`tandem serve`), the API and the built renderer over HTTP + SSE on 127.0.0.1.

export { startWebServer, WEB_HOST, type WebServer, type WebServerOptions } from './server.ts';
export { WebServerError, statusForApiError, type WebErrorCode, type WebErrorJson, type TransportErrorCode } from './errors.ts';
export { CONTENT_SECURITY_POLICY } from '../contract/content-security-policy.ts';
export { defaultStaticDir, findPackage } from '../util/package-root.ts';
