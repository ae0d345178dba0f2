import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { indexDocument } from '../search/index.ts';
import { shortName } from './names.ts';
import { regionHref } from './types.ts';

const village = z.object({ code: z.string().regex(/^\d{12}$/), name: z.string().min(1) });
const township = z.object({ code: z.string().regex(/^\d{9}$/), name: z.string().min(1), villages: z.array(village) });
const county = z.object({ code: z.string().regex(/^\d{6}$/), name: z.string().min(1), townships: z.array(township) });
export const regionFileSchema = z.object({
  city: z.object({ code: z.string().regex(/^\d{4}$/), name: z.string().min(1) }),
  counties: z.array(county),
});
export type RegionFile = z.infer<typeof regionFileSchema>;

export function regionDataPath(root: string): string {
  return join(root, 'content', 'regions', 'shangqiu-regions.json');
}

export function readRegionFile(path: string): RegionFile {
  const parsed = regionFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  for (const c of parsed.counties) {
    if (!c.code.startsWith(parsed.city.code)) throw new Error(`County ${c.code} is not under ${parsed.city.code}`);
    for (const t of c.townships) {
      if (!t.code.startsWith(c.code)) throw new Error(`Township ${t.code} is not under ${c.code}`);
      for (const v of t.villages) {
        if (!v.code.startsWith(t.code)) throw new Error(`Village ${v.code} is not under ${t.code}`);
      }
    }
  }
  return parsed;
}

/** Inserts every region that is missing; existing rows (and their edited profiles) are left alone. */
export function importRegions(db: Db, data: RegionFile): number {
  const insert = db.prepare(
    `INSERT INTO regions (code, parent_code, level, name, short_name, sort_order)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
  );
  let added = 0;
  const add = (code: string, parent: string | null, level: 'city' | 'county' | 'township' | 'village', name: string, order: number) => {
    const changes = insert.run(code, parent, level, name, shortName(name), order).changes;
    if (changes) indexDocument(db, { type: 'region', id: code, title: name, body: shortName(name), regionCode: code, url: regionHref({ level, code }) });
    added += changes;
  };
  db.transaction(() => {
    add(data.city.code, null, 'city', data.city.name, 0);
    data.counties.forEach((c, ci) => {
      add(c.code, data.city.code, 'county', c.name, ci);
      c.townships.forEach((t, ti) => {
        add(t.code, c.code, 'township', t.name, ti);
        t.villages.forEach((v, vi) => add(v.code, t.code, 'village', v.name, vi));
      });
    });
  }).immediate();
  return added;
}
