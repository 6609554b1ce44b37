import { FerriteError } from '../../../common/errors.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { HttpRoot } from './http-root.ts';
import { pxeOptions } from './options.ts';
import type { PxeOptions } from './options.ts';

/**
 * The conductor's HTTP root as the options give it, read at each use so
 * that `ferrite serve` can fill in the URL once it knows its own address.
 * ConfigInvalid when no URL is known: nodes could not fetch anything.
 */
export function nodeHttpRoot(env: DriverEnvironment): { root: HttpRoot; options: PxeOptions } {
  const options = pxeOptions(env);
  if (options.httpUrl === '') {
    throw new FerriteError('ConfigInvalid', {
      error_msg: 'pxe.httpUrl: the URL at which the HTTP root is served is not set.',
    });
  }
  return { root: new HttpRoot(options.httpRoot, options.httpUrl), options };
}

/**
 * The HTTP root for removing files only: needs no URL, so that clean-up
 * works whatever the settings (a node prepared before they changed).
 */
export function localHttpRoot(env: DriverEnvironment): HttpRoot {
  return new HttpRoot(pxeOptions(env).httpRoot, '');
}
