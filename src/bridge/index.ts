export {
  createBridgeApp,
  RateLimitedError,
  type BridgeContext,
  type BridgeOptions,
  type OnSignedIn,
  type SignedInOutcome,
} from './app.js';
export { startBridge, type RunningBridge } from './server.js';
export { selfSignedCertificate, type TlsMaterial } from './self-signed.js';
export { PROBLEM_STATUS, problemBody, sendProblem, type ProblemBody } from './problem.js';
export { Sessions, type ActiveSession } from './sessions.js';
export { addressKey, RateLimiter } from './rate-limit.js';
export { credentialView, userView } from './views.js';
export { readCookie, setCookie, clearCookie } from './cookies.js';
export { openBridgeEnvironment, resolvePaths, type BridgeEnvironment } from './environment.js';
export {
  openDeviceLogin,
  deviceLoginExtension,
  DEVICE_REQUEST_PARAM,
  type OpenDeviceLoginOptions,
} from './device/device-login.js';
export { DeviceMinter, KeySetFile, type DeviceMinterOptions } from './device/device-minter.js';
export { parseAuthorizeRequest, DEVICE_CLIENT_ID, type DeviceAuthorizeRequest, type AuthorizeParse, type AuthorizeErrorCode } from './device/authorize-request.js';
export { loopbackRedirectProblem, redirectWith, LOOPBACK_HOSTS, type RedirectUriProblem } from './device/loopback-redirect.js';
export { s256Challenge, verifierMatches, CODE_CHALLENGE_METHOD, CODE_CHALLENGE_SYNTAX, CODE_VERIFIER_SYNTAX } from './device/pkce.js';
export { CODE_TTL_SEC, PENDING_REQUEST_TTL_SEC, HASH_PURPOSE } from './device/device-codes.js';
export { TOKEN_ERRORS, type TokenErrorCode, type DeviceTokenResponse } from './device/token-endpoint.js';
export { demoExtension, runDemo, demoPage, DEMO_CSS, type DemoExtensionOptions, type DemoOptions, type DemoRun, type DemoStep, type DemoTicketView, type DemoPageInput } from './demo/index.js';
