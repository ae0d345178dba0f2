import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { projectRoot } from '../../src/lib/db/index.ts';
import { regionDataPath } from '../../src/lib/regions/import.ts';
import { shortName } from '../../src/lib/regions/names.ts';
import { serverTest } from '../helpers/serverTest.ts';

interface Named {
  code: string;
  name: string;
}
interface RawFile {
  city: Named;
  counties: (Named & { townships: (Named & { villages: Named[] })[] })[];
}

const it = serverTest();

describe('every village page', () => {
  it('is served with its official name and the breadcrumb city › county › township › village', async ({ server }) => {
    const data = JSON.parse(readFileSync(regionDataPath(projectRoot()), 'utf8')) as RawFile;
    const pages = data.counties.flatMap((county) => county.townships.flatMap((township) => township.villages.map((village) => ({ county, township, village }))));
    expect(pages.length).toBe(4834);
    const failures: string[] = [];
    const queue = [...pages];
    const worker = async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        const { county, township, village } = next;
        const res = await fetch(`${server.url}/village/${village.code}`);
        const html = await res.text();
        const crumbs =
          `<li><a href="/">${data.city.name}</a></li><li><a href="/county/${county.code}">${county.name}</a></li>` +
          `<li><a href="/township/${township.code}">${township.name}</a></li><li aria-current="page">${shortName(village.name)}</li>`;
        if (res.status !== 200 || !html.includes(crumbs) || !html.includes(`<h1>${village.name}</h1>`)) {
          failures.push(`${village.code} ${res.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failures).toEqual([]);
  }, 180_000);
});
