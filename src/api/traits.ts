import { FerriteError } from '../common/errors.ts';

/**
 * A trait as Ironic accepts it: a custom one (`CUSTOM_` and A-Z, 0-9, _) or
 * a standard one. Ferrite does not ship the standard catalogue, so it takes
 * any upper-case name in the standard style (`HW_CPU_X86_AVX2`,
 * `STORAGE_DISK_SSD`). Node traits, allocation traits and deploy template
 * names (which are traits) all follow this one rule.
 */
const TRAIT = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;

export function isValidTrait(trait: string): boolean {
  return trait.length <= 255 && TRAIT.test(trait);
}

/** The 400 for a bad trait, beginning with what the trait was for. */
export function invalidTrait(prefix: string): FerriteError {
  return new FerriteError('InvalidParameterValue', {
    err: `${prefix}. A valid trait must be no longer than 255 characters. A custom trait must start with the prefix CUSTOM_ and use the following characters: A-Z, 0-9 and _`,
  });
}

export function checkTrait(trait: string): void {
  if (!isValidTrait(trait)) throw invalidTrait(`Invalid trait "${trait}"`);
}
