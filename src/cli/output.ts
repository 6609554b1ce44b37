/** Where a command writes; tests pass their own. */
export interface Output {
  write(text: string): void;
}

export interface CommandIo {
  readonly out: Output;
  readonly err: Output;
}

/** Left-aligned columns separated by two spaces, with a header line. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
