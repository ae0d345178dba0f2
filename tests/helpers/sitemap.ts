import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' });

async function validXml(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  const xml = await res.text();
  if (XMLValidator.validate(xml) !== true) throw new Error(`${url}: not well-formed XML`);
  return parser.parse(xml);
}

/**
 * Every address the sitemap index of the server at `base` leads to, child sitemap by child
 * sitemap. Children are fetched from `base` by their path, whatever site their address names.
 */
export async function sitemapLocs(base: string): Promise<string[]> {
  const index = (await validXml(`${base}/sitemap.xml`)) as { sitemapindex: { sitemap: { loc: string }[] } };
  const locs: string[] = [];
  for (const child of index.sitemapindex.sitemap) {
    const chunk = (await validXml(base + new URL(child.loc).pathname)) as { urlset: { url: { loc: string }[] } };
    locs.push(...chunk.urlset.url.map((u) => u.loc));
  }
  return locs;
}
