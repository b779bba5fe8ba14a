// Run before every test file (vitest setupFiles): what the file made in the temp folder
// goes when it ends. test/helpers/temp-check.ts then checks nothing else was left.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

afterAll(removeTempDirs);
