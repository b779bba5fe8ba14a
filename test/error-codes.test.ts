import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../src/errors.js';

describe('error codes', () => {
  it('are one list, each code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES.filter((code) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code))).toEqual([]);
  });

  it('include every code the error corpus has a folder for', async () => {
    const folders = await readdir(new URL('./fixtures/invalid/', import.meta.url));
    expect(folders.length).toBeGreaterThan(20);
    expect(folders.filter((code) => !isErrorCode(code))).toEqual([]);
  });
});
