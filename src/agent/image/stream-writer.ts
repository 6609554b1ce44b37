/**
 * The hot path of image writing: each chunk from the network is hashed on
 * the main thread as it arrives and queued by reference; one gathered write
 * (writev) at a time takes the queue to the disk from the thread pool while
 * the next chunks arrive, and the download pauses when the queue grows. So
 * receiving, hashing and writing overlap, with no copy and few syscalls.
 */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { BodyConsumer } from './download.ts';

/*
 * Sizes measured with bench/agent on a 2-vCPU machine. One write at a time:
 * concurrent buffered writes to one file contend on its lock and cost the
 * kernel several times the CPU. Writes of about 1 MiB: the kernel copies
 * bytes still in the CPU cache from the hash; 8 MiB batches were slower.
 */
/** A write starts once this much is queued (or the body has ended). */
const WRITE_MIN_BYTES = 1024 * 1024;
/** And takes at most this much, however much is queued. */
const WRITE_MAX_BYTES = 4 * 1024 * 1024;
/** Linux's IOV_MAX is 1024; stay well under it however small the chunks are. */
const WRITE_MAX_CHUNKS = 512;
/** The download pauses when this much waits for the disk, and resumes below half of it. */
const QUEUE_HIGH_BYTES = 16 * 1024 * 1024;

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
  readonly #choose: (head: Buffer) => SinkTarget;
  readonly #flow: FlowControl;
  readonly #onProgress: ((written: number) => void) | undefined;
  readonly #length: number | undefined;
  #target: SinkTarget | undefined;
  #head: Buffer[] = [];
  #headBytes = 0;
  /** Chunks received and not yet handed to a write. */
  #queue: Buffer[] = [];
  #queueBytes = 0;
  #writing: Promise<void> | undefined;
  #ended = false;
  #paused = false;
  #failure: Error | undefined;
  #received = 0;
  #dispatched = 0;
  #written = 0;
  #drained: (() => void) | undefined;

  constructor(
    hash: Hash,
    choose: (head: Buffer) => SinkTarget,
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
      if (this.#headBytes < 4) return;
      this.#chooseTarget();
      return;
    }
    this.#add(chunk);
  }

  #chooseTarget(): void {
    const head = this.#head;
    this.#head = [];
    const target = this.#choose(Buffer.concat(head).subarray(0, 4));
    this.#target = target;
    // A server that announces more than fits is refused before a byte is written.
    if (this.#length !== undefined && this.#length > target.limit) {
      this.#fail(new TooLargeError(`${this.#length} bytes`));
      return;
    }
    for (const chunk of head) this.#add(chunk);
  }

  #add(chunk: Buffer): void {
    if (this.#failure !== undefined || this.#target === undefined) return;
    if (this.#dispatched + this.#queueBytes + chunk.length > this.#target.limit) {
      this.#fail(new TooLargeError(`more than ${this.#target.limit} bytes`));
      return;
    }
    this.#queue.push(chunk);
    this.#queueBytes += chunk.length;
    if (this.#writing === undefined && this.#queueBytes >= WRITE_MIN_BYTES) this.#write();
    if (!this.#paused && this.#queueBytes >= QUEUE_HIGH_BYTES) {
      this.#paused = true;
      this.#flow.pause();
    }
  }

  /** Starts one write of the head of the queue; when it ends, the next, until the queue is short. */
  #write(): void {
    const target = this.#target;
    if (target === undefined || this.#failure !== undefined || this.#queueBytes === 0) return;
    const chunks: Buffer[] = [];
    let bytes = 0;
    while (
      this.#queue.length > 0 &&
      chunks.length < WRITE_MAX_CHUNKS &&
      (bytes === 0 || bytes + (this.#queue[0]?.length ?? 0) <= WRITE_MAX_BYTES)
    ) {
      const chunk = this.#queue.shift() ?? Buffer.alloc(0);
      chunks.push(chunk);
      bytes += chunk.length;
    }
    this.#queueBytes -= bytes;
    const position = this.#dispatched;
    this.#dispatched += bytes;
    this.#writing = writeAll(target.handle, chunks, position).then(
      (done) => {
        this.#writing = undefined;
        this.#written += done;
        this.#onProgress?.(this.#written);
        if (this.#paused && this.#queueBytes < QUEUE_HIGH_BYTES / 2) {
          this.#paused = false;
          this.#flow.resume();
        }
        if (this.#queueBytes >= WRITE_MIN_BYTES || (this.#ended && this.#queueBytes > 0)) {
          this.#write();
        } else if (this.#queueBytes === 0 || !this.#ended) {
          this.#drained?.();
        }
      },
      (error: unknown) => {
        this.#writing = undefined;
        this.#fail(error instanceof Error ? error : new Error(String(error)));
        this.#drained?.();
      },
    );
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#queue = [];
    this.#queueBytes = 0;
    this.#flow.abort(error);
  }

  /** After the body ended: writes what is left and waits for every write. Throws the first failure. */
  async finish(): Promise<number> {
    this.#ended = true;
    if (this.#target === undefined && this.#failure === undefined) this.#chooseTarget();
    if (this.#writing === undefined) this.#write();
    await this.settle();
    if (this.#failure !== undefined) throw this.#failure;
    return this.#written;
  }

  /** Waits until no write is in flight, whatever their outcome: nothing lands after this. */
  async settle(): Promise<void> {
    while (this.#writing !== undefined) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
      this.#drained = undefined;
    }
  }
}
