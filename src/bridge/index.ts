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
export { RateLimiter } from './rate-limit.js';
export { credentialView, userView } from './views.js';
export { readCookie, setCookie, clearCookie } from './cookies.js';
export { openBridgeEnvironment, resolvePaths, type BridgeEnvironment } from './environment.js';
