/**
 * The hot path of image writing: each chunk from the network is hashed on
 * the main thread as it arrives and kept by reference; every MiB the
 * chunks go to the disk in one gathered write (writev) from the thread pool,
 * a few writes in flight, the download paused while they are all busy. So
 * receiving, hashing and writing overlap, with no copy and few syscalls.
 */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { BodyConsumer } from './download.ts';

/*
 * Sizes measured with bench/agent on a 2-vCPU machine. Batches of 1 MiB beat
 * 8 MiB ones clearly: the kernel copies bytes still in the CPU cache from
 * the hash, and the syscalls saved by larger batches cost less than the
 * misses. Two writes in flight keep the thread pool busy while the main
 * thread is hashing; more only contend on the file's lock in the kernel
 * (one at a time, issued from the main thread, was slower still).
 */
/** Bytes gathered into one writev. */
const BATCH_BYTES = 1024 * 1024;
/** Linux's IOV_MAX is 1024; stay well under it however small the chunks are. */
const BATCH_CHUNKS = 512;
/** Writes in flight at once; the download pauses while this many are. */
const MAX_IN_FLIGHT = 2;

/**
 * Every this many bytes written, a datasync starts in the background (one at
 * a time): the disk then writes during the download instead of all at the
 * end, and the final sync finds little left (measured: ~0.5 s saved per GiB).
 */
const EARLY_SYNC_BYTES = 64 * 1024 * 1024;

/** Where the bytes go. */
export interface SinkTarget {
  readonly handle: FileHandle;
  /** Bytes the target can take; more fails with TooLargeError. */
  readonly limit: number;
}

/** The download side the sink steers. */
export interface FlowControl {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

/** The source sent more bytes than the target can hold. */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
}

async function writeAll(handle: FileHandle, chunks: Buffer[], position: number): Promise<number> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  let done = (await handle.writev(chunks, position)).bytesWritten;
  // A short writev is rare (a signal, a full disk) but must not lose the rest.
  while (done < total) {
    const rest = Buffer.concat(chunks).subarray(done);
    const { bytesWritten } = await handle.write(rest, 0, rest.length, position + done);
    if (bytesWritten === 0)
      throw new Error(`the device took no bytes at offset ${position + done}`);
    done += bytesWritten;
  }
  return total;
}

/**
 * Takes a body chunk by chunk, hashes it and writes it from offset 0 of a
 * target chosen from the body's first bytes (`choose` sees at least four
 * of them, or the whole body when shorter). `length` is the size the
 * server announced, if it did.
 */
export class ImageSink implements BodyConsumer {
  readonly #hash: Hash;
  readonly #choose: (head: Buffer) => SinkTarget | Promise<SinkTarget>;
  readonly #flow: FlowControl;
  readonly #onProgress: ((written: number) => void) | undefined;
  readonly #length: number | undefined;
  #target: SinkTarget | undefined;
  #head: Buffer[] = [];
  /** Set while an asynchronous choice is being made; the download is paused meanwhile. */
  #choosing: Promise<void> | undefined;
  #headBytes = 0;
  #batch: Buffer[] = [];
  #batchBytes = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #paused = false;
  #failure: Error | undefined;
  #received = 0;
  #dispatched = 0;
  #written = 0;
  #syncing: Promise<void> | undefined;
  #syncedUpTo = 0;

  constructor(
    hash: Hash,
    choose: (head: Buffer) => SinkTarget | Promise<SinkTarget>,
    flow: FlowControl,
    length: number | undefined,
    onProgress?: (written: number) => void,
  ) {
    this.#length = length;
    this.#hash = hash;
    this.#choose = choose;
    this.#flow = flow;
    this.#onProgress = onProgress;
  }

  /** The target chosen, once the first bytes have been seen. */
  get target(): SinkTarget | undefined {
    return this.#target;
  }

  /** Bytes handed to writes: the extent of the target that may hold image data. */
  get dispatched(): number {
    return this.#dispatched;
  }

  /** Bytes received from the network. */
  get received(): number {
    return this.#received;
  }

  /** The first thing that went wrong on the writing side, if anything did. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** The hash of every byte received, in hex; once only. */
  digest(): string {
    return this.#hash.digest('hex');
  }

  onData(chunk: Buffer): void {
    if (this.#failure !== undefined) return;
    this.#received += chunk.length;
    this.#hash.update(chunk);
    if (this.#target === undefined) {
      this.#head.push(chunk);
      this.#headBytes += chunk.length;
      if (this.#headBytes >= 4 && this.#choosing === undefined) this.#chooseTarget();
      return;
    }
    this.#add(chunk);
  }

  /** Chooses the target from the first bytes; while an asynchronous choice is made, chunks wait in #head. */
  #chooseTarget(): void {
    let choice: SinkTarget | Promise<SinkTarget>;
    try {
      choice = this.#choose(Buffer.concat(this.#head).subarray(0, 4));
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (!(choice instanceof Promise)) {
      this.#setTarget(choice);
      return;
    }
    this.#flow.pause();
    this.#choosing = choice.then(
      (target) => {
        this.#setTarget(target);
        if (!this.#paused) this.#flow.resume();
      },
      (error: unknown) => this.#fail(error instanceof Error ? error : new Error(String(error))),
    );
  }

  #setTarget(target: SinkTarget): void {
    this.#target = target;
    const head = this.#head;
    this.#head = [];
    // A server that announces more than fits is refused before a byte is written.
    if (this.#length !== undefined && this.#length > target.limit) {
      this.#fail(new TooLargeError(`${this.#length} bytes`));
      return;
    }
    for (const chunk of head) this.#add(chunk);
  }

  #add(chunk: Buffer): void {
    if (this.#failure !== undefined || this.#target === undefined) return;
    if (this.#dispatched + this.#batchBytes + chunk.length > this.#target.limit) {
      this.#fail(new TooLargeError(`more than ${this.#target.limit} bytes`));
      return;
    }
    this.#batch.push(chunk);
    this.#batchBytes += chunk.length;
    if (this.#batchBytes >= BATCH_BYTES || this.#batch.length >= BATCH_CHUNKS) this.#flush();
  }

  #flush(): void {
    if (this.#batchBytes === 0 || this.#target === undefined) return;
    const write = writeAll(this.#target.handle, this.#batch, this.#dispatched).then(
      (bytes) => {
        this.#inFlight.delete(write);
        this.#written += bytes;
        this.#syncEarly();
        this.#onProgress?.(this.#written);
        if (this.#paused && this.#inFlight.size < MAX_IN_FLIGHT) {
          this.#paused = false;
          this.#flow.resume();
        }
      },
      (error: unknown) => {
        this.#inFlight.delete(write);
        this.#fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
    this.#inFlight.add(write);
    this.#dispatched += this.#batchBytes;
    this.#batch = [];
    this.#batchBytes = 0;
    if (this.#inFlight.size >= MAX_IN_FLIGHT && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    }
  }

  #syncEarly(): void {
    const target = this.#target;
    if (target === undefined || this.#syncing !== undefined) return;
    if (this.#written - this.#syncedUpTo < EARLY_SYNC_BYTES) return;
    const upTo = this.#written;
    // A failure here is not the image's: the caller's final sync reports it if it persists.
    this.#syncing = target.handle.datasync().then(
      () => {
        this.#syncedUpTo = upTo;
        this.#syncing = undefined;
      },
      () => {
        this.#syncing = undefined;
      },
    );
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#flow.abort(error);
  }

  /** After the body ended: writes what is left and waits for every write. Throws the first failure. */
  async finish(): Promise<number> {
    if (this.#target === undefined && this.#failure === undefined && this.#choosing === undefined) {
      this.#chooseTarget();
    }
    await this.#choosing;
    this.#flush();
    await this.settle();
    if (this.#failure !== undefined) throw this.#failure;
    return this.#written;
  }

  /** Waits until no write is in flight, whatever their outcome: nothing lands after this. */
  async settle(): Promise<void> {
    await this.#choosing;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await this.#syncing;
  }
}
