/**
 * The agent's image writer: what the standby extension's prepare_image
 * calls to put an image on the root disk.
 */
export { writeImage } from './write-image.ts';
export type { ImageInfo, WriteImageOptions, WriteImageResult } from './write-image.ts';
export { ImageWriteError, ImageWriteReason, displayUrl } from './errors.ts';
export { HashAlgorithm, parseChecksumFile } from './checksum.ts';
