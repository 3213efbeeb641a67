/**
 * harness: KDC integration scenarios as data — mint a partial TGT variant → mutate → TGS exchange →
 * expect a KRB-ERROR code or a reply with stated properties — and a runner that plays a suite
 * against any KDC (`tgtbridge probe`, the Samba oracle and differential tests).
 */
export {
  PROBE_TARGETS,
  USER_ROLES,
  PAC_VARIANTS,
  KEY_CHOICES,
  SETUP_NAMES,
  ENC_AUTHORIZATION_DATA_VARIANTS,
  TIMES,
  scenario,
  error,
  reply,
  noAnswer,
  type ProbeTarget,
  type UserRole,
  type PacVariant,
  type KeyChoice,
  type TimesSpec,
  type MintSpec,
  type MintedProbeTgt,
  type Mutation,
  type RequestSpec,
  type EncAuthorizationDataVariant,
  type ReplyExpectation,
  type Expectation,
  type SetupName,
  type Scenario,
} from './scenario.js';
export { kvnoWithoutRodcNumber, kvnoAsFiveByteUnsigned, kvnoAboveInt32Max, dropAuthenticatorChecksum, outerLengthOverrun, trailingOctet, editPaTgsReq } from './mutations.js';
export { parseDer, serializeDer, type DerNode } from './der-tree.js';
export { partialPacVariant, type ProbeUser } from './pac-variants.js';
export { mintForProbe, rodcKeyring, unknownRodcNumber, type RodcKeyring, type MintContext, type MintedForProbe } from './mint.js';
export { buildProbeRequest, probeExchange, targetSname, type ExchangeOutcome, type ProbeExchangeInput } from './exchange.js';
export { checkReply, versionedKeys, type ReplyKeys, type ReplyCheck, type VersionedKey, type PresentedTimes } from './reply-checks.js';
export { EXCHANGE_SUITE } from './suite.js';
export {
  runSuite,
  selector,
  unknownUser,
  errorLabel,
  expectationLabel,
  type RunSuiteInput,
  type ProbeUsers,
  type ProbeSetup,
  type ProbeProgress,
  type ProbeResult,
  type ProbeStatus,
} from './runner.js';
export { formatMatrix, formatSideBySide } from './matrix.js';
export { probeUsersFromDirectory, defaultProbePolicy, type ProbePolicy } from './directory-users.js';
