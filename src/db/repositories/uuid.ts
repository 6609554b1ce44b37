const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `ident` is a uuid (and so looked up as one, never as a name). */
export function isUuid(ident: string): boolean {
  return UUID.test(ident);
}
