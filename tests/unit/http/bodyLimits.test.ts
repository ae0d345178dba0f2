import { describe, expect, it } from 'vitest';
import { LIBRARY_MAX_BYTES } from '../../../src/lib/articles/library.ts';
import { ADMIN_FORM_BYTES, bodyLimitFor, PUBLIC_FORM_BYTES } from '../../../src/lib/http/bodyLimits.ts';
import { MAX_BODY_BYTES } from '../../../src/lib/http/limits.ts';
import { MAX_IMPORT_BYTES } from '../../../src/lib/prices/import.ts';

describe('body limits per route', () => {
  it('gives public forms a few KB', () => {
    for (const path of ['/login', '/logout', '/trainings/12', '/preferences/text-size', '/preferences/my-village', '/search', '/', '/adminx']) {
      expect(bodyLimitFor(path), path).toBe(PUBLIC_FORM_BYTES);
    }
    expect(PUBLIC_FORM_BYTES).toBeLessThanOrEqual(8 * 1024);
  });
  it('gives staff forms without files 1 MB, and large bodies only to the upload routes', () => {
    for (const path of ['/admin', '/admin/password', '/admin/articles/new', '/admin/users/abc', '/admin/trainings/3/roster'])
      expect(bodyLimitFor(path), path).toBe(ADMIN_FORM_BYTES);
    expect(bodyLimitFor('/admin/listings/new')).toBe(MAX_BODY_BYTES);
    expect(bodyLimitFor('/admin/listings/17')).toBe(MAX_BODY_BYTES);
    expect(bodyLimitFor('/admin/reports/new')).toBe(MAX_BODY_BYTES);
    expect(bodyLimitFor('/admin/library')).toBeGreaterThan(LIBRARY_MAX_BYTES);
    expect(bodyLimitFor('/admin/prices/import')).toBeGreaterThan(MAX_IMPORT_BYTES);
    expect(bodyLimitFor('/admin/prices/import/5')).toBe(ADMIN_FORM_BYTES);
    expect(bodyLimitFor('/admin/listings/new/x')).toBe(ADMIN_FORM_BYTES);
  });
});
