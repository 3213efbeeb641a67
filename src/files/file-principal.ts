import { formatPrincipal } from '../asn1/index.js';

/**
 * A principal as MIT's file formats store it (ccache_file_format.rst "Principal format",
 * keytab_file_format.rst): the realm apart from the name components. The same shape as
 * RFC 4120 PrincipalName + Realm, which convert.ts maps it to.
 */
export interface FilePrincipal {
  /** RFC 4120 §6.2 name type, a signed Int32; version-1 files carry none and read as 0 (NT-UNKNOWN). */
  readonly nameType: number;
  readonly components: readonly string[];
  readonly realm: string;
}

/** `a/b@REALM` for messages and listings, escaped as krb5_unparse_name does (asn1's formatPrincipal). */
export function filePrincipalText(p: FilePrincipal): string {
  return formatPrincipal({ nameType: p.nameType, nameString: p.components }, p.realm);
}

export function filePrincipalEquals(a: FilePrincipal, b: FilePrincipal): boolean {
  return (
    a.realm === b.realm &&
    a.components.length === b.components.length &&
    a.components.every((c, i) => c === b.components[i])
  );
}
