/**
 * The emulated host's serial port, as the BMC sees it: what the host
 * writes goes to the remote console while SOL is active (and nowhere
 * otherwise, as on a real serial line nobody listens to); what the remote
 * console types arrives at the host.
 *
 * A tiny default host plays a machine at its login prompt: a banner when
 * SOL activates, and "echo: <line>" for every line typed (the behaviour of
 * shared/peers/ipmi/fake-console.py, so the same checks work on both BMCs).
 */

/** What the session responder needs from a serial port to run SOL on it. */
export interface SolSerialPort {
  /** SOL activated: host output goes to `output` until the returned function is called. */
  connect(output: (bytes: Buffer) => void): () => void;
  /** Characters typed on the remote console. */
  input(bytes: Buffer): void;
}

export class SerialConsole implements SolSerialPort {
  #output: ((bytes: Buffer) => void) | undefined;
  readonly #inputListeners = new Set<(bytes: Buffer) => void>();
  readonly #connectListeners = new Set<() => void>();
  #activations = 0;

  /** Whether a remote console is attached through SOL now. */
  get active(): boolean {
    return this.#output !== undefined;
  }

  /** How many times SOL was activated on this port. */
  get activations(): number {
    return this.#activations;
  }

  /** The host writes to its serial port; returns whether a remote console got it. */
  hostWrite(data: string | Uint8Array): boolean {
    const output = this.#output;
    if (output === undefined) return false;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (bytes.length > 0) output(bytes);
    return true;
  }

  /** Calls `listener` with every byte typed on the remote console; returns the unsubscribe function. */
  onInput(listener: (bytes: Buffer) => void): () => void {
    this.#inputListeners.add(listener);
    return () => this.#inputListeners.delete(listener);
  }

  /** Calls `listener` each time SOL activates (after the output is connected). */
  onConnect(listener: () => void): () => void {
    this.#connectListeners.add(listener);
    return () => this.#connectListeners.delete(listener);
  }

  connect(output: (bytes: Buffer) => void): () => void {
    this.#output = output;
    this.#activations++;
    for (const listener of this.#connectListeners) listener();
    return () => {
      if (this.#output === output) this.#output = undefined;
    };
  }

  input(bytes: Buffer): void {
    for (const listener of this.#inputListeners) listener(bytes);
  }
}

/** The banner the default host prints when SOL activates. */
export function loginBanner(hostname: string): string {
  return `\r\nFerrite emulated host ${hostname} ttyS0\r\n\r\n${hostname} login: `;
}

/**
 * Makes `console` behave like a host at its login prompt: the banner on
 * every SOL activation, "echo: <line>" and a new prompt for each non-empty
 * line (ended by CR or LF). Returns the function that stops it.
 */
export function runEchoHost(console: SerialConsole, hostname = 'ferrite-node'): () => void {
  let line = '';
  const stopConnect = console.onConnect(() => {
    line = '';
    console.hostWrite(loginBanner(hostname));
  });
  const stopInput = console.onInput((bytes) => {
    line += bytes.toString('latin1');
    for (;;) {
      const end = line.search(/[\r\n]/);
      if (end < 0) break;
      const typed = line.slice(0, end);
      line = line.slice(end + 1);
      // latin1 both ways: the bytes typed come back unchanged, whatever they encode.
      if (typed !== '') {
        console.hostWrite(Buffer.from(`\r\necho: ${typed}\r\n${hostname} login: `, 'latin1'));
      }
    }
  });
  return () => {
    stopConnect();
    stopInput();
  };
}
