/**
 * El Torito: the boot record volume descriptor that points at the boot
 * catalog, the catalog itself (a BIOS no-emulation entry and/or a UEFI
 * section), and ISOLINUX's boot info table.
 */
import { SECTOR } from './encoding.ts';

/** Platform IDs of the catalog (El Torito 2.1; 0xEF is UEFI's addition). */
const PLATFORM_X86 = 0;
const PLATFORM_EFI = 0xef;
const BOOTABLE = 0x88;
const NO_EMULATION = 0;
const CATALOG_ID = 'FERRITE';

/** One image the firmware loads: where it is in the ISO and how many 512-byte sectors to load. */
export interface BootImage {
  readonly lba: number;
  readonly loadSectors: number;
}

/** The boot record volume descriptor (sector 17), pointing at the catalog's sector. */
export function bootRecord(catalogLba: number): Buffer {
  const sector = Buffer.alloc(SECTOR);
  sector[0] = 0;
  sector.write('CD001', 1, 'latin1');
  sector[6] = 1;
  sector.write('EL TORITO SPECIFICATION', 7, 'latin1');
  sector.writeUInt32LE(catalogLba, 0x47);
  return sector;
}

function entry(catalog: Buffer, offset: number, image: BootImage): void {
  catalog[offset] = BOOTABLE;
  catalog[offset + 1] = NO_EMULATION;
  catalog.writeUInt16LE(0, offset + 2); // load segment 0: the traditional 0x7C0
  catalog[offset + 4] = 0;
  catalog.writeUInt16LE(Math.min(image.loadSectors, 0xffff), offset + 6);
  catalog.writeUInt32LE(image.lba, offset + 8);
}

/**
 * The boot catalog: the validation entry for the first platform, the
 * default entry, and for BIOS + UEFI a final section header and entry
 * for UEFI.
 */
export function bootCatalog(bios: BootImage | undefined, uefi: BootImage | undefined): Buffer {
  const catalog = Buffer.alloc(SECTOR);
  const first = bios ?? uefi;
  if (first === undefined) throw new Error('A boot catalog needs a BIOS or a UEFI image.');
  catalog[0] = 1;
  catalog[1] = bios !== undefined ? PLATFORM_X86 : PLATFORM_EFI;
  catalog.write(CATALOG_ID, 4, 'latin1');
  catalog[30] = 0x55;
  catalog[31] = 0xaa;
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + catalog.readUInt16LE(i)) & 0xffff;
  catalog.writeUInt16LE((0x10000 - sum) & 0xffff, 28);
  entry(catalog, 32, first);
  if (bios !== undefined && uefi !== undefined) {
    catalog[64] = 0x91; // the final section header
    catalog[65] = PLATFORM_EFI;
    catalog.writeUInt16LE(1, 66);
    catalog.write(CATALOG_ID, 68, 'latin1');
    entry(catalog, 96, uefi);
  }
  return catalog;
}

/**
 * Fills ISOLINUX's boot info table (at byte 8 of the image, as mkisofs'
 * -boot-info-table does): the primary volume descriptor's sector, the
 * image's own sector and length, and the sum of its 32-bit words from
 * byte 64 on.
 */
export function patchBootInfoTable(image: Buffer, lba: number, pvdLba: number): Buffer {
  if (image.length < 64)
    throw new Error('A boot image with a boot info table is at least 64 bytes.');
  const patched = Buffer.from(image);
  let sum = 0;
  for (let i = 64; i < patched.length; i += 4) {
    const word =
      i + 4 <= patched.length
        ? patched.readUInt32LE(i)
        : Buffer.concat([patched.subarray(i), Buffer.alloc(4)]).readUInt32LE(0);
    sum = (sum + word) >>> 0;
  }
  patched.writeUInt32LE(pvdLba, 8);
  patched.writeUInt32LE(lba, 12);
  patched.writeUInt32LE(image.length, 16);
  patched.writeUInt32LE(sum, 20);
  patched.fill(0, 24, 64);
  return patched;
}
