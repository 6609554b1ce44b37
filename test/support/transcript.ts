/**
 * Text that arrives in chunks (a serial console over SOL or TCP), kept
 * whole, with a way to wait until some of it shows up.
 */
export interface Transcript {
  /** Adds a chunk as it arrived. */
  push(chunk: Uint8Array): void;
  text(): string;
  /** Resolves with the whole text once it holds `needle`; rejects after `timeoutMs`. */
  waitFor(needle: string, timeoutMs?: number): Promise<string>;
}

export function transcript(): Transcript {
  let text = '';
  const waiters = new Set<() => void>();
  return {
    push: (chunk) => {
      text += Buffer.from(chunk).toString('latin1');
      for (const waiter of waiters) waiter();
    },
    text: () => text,
    waitFor: (needle, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!text.includes(needle)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(text);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${JSON.stringify(needle)} in ${JSON.stringify(text)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}
