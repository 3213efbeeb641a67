export { loadFileDirectory, parseFileDirectory, type FileDirectoryDomain } from './file-directory.js';
export { isSidString, ridOf, domainOf, WELL_KNOWN_RIDS, BUILTIN_SIDS } from './sid.js';
export {
  ACCOUNT_KINDS,
  GROUP_SCOPES,
  type AccountKind,
  type Directory,
  type DirectoryGroup,
  type DirectoryUser,
  type DomainInfo,
  type GroupScope,
} from './types.js';
export * from './ldap/index.js';
