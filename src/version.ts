import { PACKAGE_MANIFEST } from './paths.js';

/** csi's own version, from package.json. */
export const VERSION: string = PACKAGE_MANIFEST.version;
