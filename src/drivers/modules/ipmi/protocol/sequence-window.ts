/**
 * Replay protection for session sequence numbers (spec 6.12.13): a packet
 * is accepted when its number is newer than the highest seen (by at most
 * `ahead`) or is one of the last `behind` numbers and was not seen yet.
 * Sequence numbers are 32-bit and wrap; 0 is never valid in a session.
 */
export class SequenceWindow {
  private highest: number | undefined;
  /** Bit k set: highest - k was seen. */
  private seen = 0n;

  constructor(
    private readonly behind: number,
    private readonly ahead: number,
  ) {}

  /** Whether `sequence` is acceptable; records it when it is. */
  accept(sequence: number): boolean {
    if (sequence === 0) return false;
    if (this.highest === undefined) {
      this.highest = sequence;
      this.seen = 1n;
      return true;
    }
    // Signed 32-bit distance from the highest number seen.
    const distance = ((sequence - this.highest) << 0) | 0;
    if (distance > 0) {
      if (distance > this.ahead) return false;
      this.highest = sequence >>> 0;
      this.seen = ((this.seen << BigInt(distance)) | 1n) & ((1n << BigInt(this.behind)) - 1n);
      return true;
    }
    const back = -distance;
    if (back >= this.behind) return false;
    const bit = 1n << BigInt(back);
    if ((this.seen & bit) !== 0n) return false;
    this.seen |= bit;
    return true;
  }
}

/** The next outbound session sequence number: 1, 2, … wrapping past 0. */
export function nextSequence(current: number): number {
  const next = (current + 1) >>> 0;
  return next === 0 ? 1 : next;
}
