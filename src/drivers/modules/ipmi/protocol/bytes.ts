/**
 * Bounds-checked reading of untrusted packets. Every parser in protocol/
 * reads through ByteReader, so a truncated or mutated packet ends in an
 * IpmiError of kind 'protocol' and never in a RangeError or a wrong value
 * read past the end.
 */
import { IpmiError, IpmiErrorKind } from '../types.ts';

/** The error every parser throws on bytes it cannot make sense of. */
export function malformed(what: string): IpmiError {
  return new IpmiError(IpmiErrorKind.PROTOCOL, `malformed ${what}`);
}

/** A Buffer view of `bytes` without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export class ByteReader {
  private readonly buffer: Buffer;
  private position = 0;

  constructor(
    bytes: Uint8Array,
    /** What is being read, for the error message. */
    private readonly what: string,
  ) {
    this.buffer = asBuffer(bytes);
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  private need(count: number): void {
    if (count < 0 || this.position + count > this.buffer.length) throw malformed(this.what);
  }

  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.position++);
  }

  u16le(): number {
    this.need(2);
    const value = this.buffer.readUInt16LE(this.position);
    this.position += 2;
    return value;
  }

  u32le(): number {
    this.need(4);
    const value = this.buffer.readUInt32LE(this.position);
    this.position += 4;
    return value;
  }

  /** A copy of the next `count` bytes. */
  bytes(count: number): Buffer {
    this.need(count);
    const slice = Buffer.from(this.buffer.subarray(this.position, this.position + count));
    this.position += count;
    return slice;
  }

  skip(count: number): void {
    this.need(count);
    this.position += count;
  }

  /** A copy of everything left. */
  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** Throws unless every byte was read (for fixed-size records). */
  end(): void {
    if (this.remaining !== 0) throw malformed(this.what);
  }
}

export function u32le(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

export function u16le(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value & 0xffff);
  return out;
}
