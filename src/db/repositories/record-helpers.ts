/** Rows an UPDATE or DELETE touched (Kysely reports a bigint, absent for SELECT). */
export function affectedRows(result: { readonly numAffectedRows?: bigint }): number {
  return Number(result.numAffectedRows ?? 0n);
}

/** Drops keys whose value is undefined, so spreading the result does not hide defaults. */
export function defined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
