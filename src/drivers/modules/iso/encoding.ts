/** The ISO 9660 logical sector (and block) size. */
export const SECTOR = 2048;

/** Sectors needed for `bytes`. */
export function sectorsFor(bytes: number): number {
  return Math.ceil(bytes / SECTOR);
}

/** A 16-bit number written both-endian (ECMA-119 7.2.3): little then big. */
export function both16(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt16LE(value, offset);
  buffer.writeUInt16BE(value, offset + 2);
}

/** A 32-bit number written both-endian (ECMA-119 7.3.3): little then big. */
export function both32(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt32LE(value, offset);
  buffer.writeUInt32BE(value, offset + 4);
}

/** Text in a fixed-size field, padded with spaces (or cut). */
export function padded(buffer: Buffer, offset: number, length: number, text: string): void {
  buffer.fill(0x20, offset, offset + length);
  buffer.write(text.slice(0, length), offset, 'latin1');
}

/** The 7-byte date of a directory record (ECMA-119 9.1.5), in UTC. */
export function recordDate(date: Date): Buffer {
  return Buffer.from([
    date.getUTCFullYear() - 1900,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0,
  ]);
}

/** The 17-byte date of a volume descriptor (ECMA-119 8.4.26.1), in UTC; undefined for "not specified". */
export function volumeDate(date: Date | undefined): Buffer {
  if (date === undefined)
    return Buffer.concat([Buffer.from('0'.repeat(16), 'latin1'), Buffer.of(0)]);
  const two = (n: number): string => String(n).padStart(2, '0');
  const text =
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    two(Math.floor(date.getUTCMilliseconds() / 10));
  return Buffer.concat([Buffer.from(text, 'latin1'), Buffer.of(0)]);
}
