/**
 * Which public pages are counted, and what each one belongs to, from its path alone (no database
 * work on the request path). `ref` is a region code for region pages, else the id of the listing,
 * article or training session the page shows, or '' for the city-wide pages; the counter turns it
 * into a region when it writes a batch.
 */
export const PAGE_KINDS = [
  'home',
  'city',
  'county',
  'township',
  'village',
  'board',
  'products',
  'product',
  'articles',
  'article',
  'library',
  'trainings',
  'training',
  'prices',
  'search',
] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

/** Kinds whose `ref` is the id of a row rather than a region code. */
export const ENTITY_KINDS = ['product', 'article', 'training'] as const satisfies readonly PageKind[];

export interface PageRef {
  kind: PageKind;
  ref: string;
}

const FIXED: Record<string, PageKind> = {
  '/': 'home',
  '/products': 'products',
  '/articles': 'articles',
  '/trainings': 'trainings',
  '/prices': 'prices',
  '/search': 'search',
};

const REGION = /^\/(city|county|township|village)\/(\d{4,12})(\/board)?$/;
const ENTITY = /^\/(products|articles|trainings)\/(\d{1,15})$/;
const ENTITY_KIND = { products: 'product', articles: 'article', trainings: 'training' } as const;
const LIBRARY = /^\/library\/(\d{9})$/;
// Commodity slugs; the CSV beside a trend is a download, not a page view.
const PRICE_TREND = /^\/prices\/[^/.]+$/;
const LEAD = /^\/products\/(\d{1,15})\/(call|wechat)$/;

/** The counted page at `pathname` (no query), or undefined for anything else (files, feeds, forms, admin). */
export function classifyPage(pathname: string): PageRef | undefined {
  const fixed = FIXED[pathname];
  if (fixed) return { kind: fixed, ref: '' };
  let m = REGION.exec(pathname);
  if (m) return { kind: m[3] ? 'board' : (m[1] as PageKind), ref: m[2]! };
  m = ENTITY.exec(pathname);
  if (m) return { kind: ENTITY_KIND[m[1] as keyof typeof ENTITY_KIND], ref: m[2]! };
  m = LIBRARY.exec(pathname);
  if (m) return { kind: 'library', ref: m[1]! };
  if (PRICE_TREND.test(pathname)) return { kind: 'prices', ref: '' };
  return undefined;
}

/** The two ways a buyer reaches a listing's seller, each counted as a lead of its own kind. */
export const LEAD_KINDS = ['call', 'wechat'] as const;
export type LeadKind = (typeof LEAD_KINDS)[number];

/** The listing and the kind of lead `pathname` is (`/products/{id}/call` or `/products/{id}/wechat`), or undefined. */
export function leadOf(pathname: string): { listingId: number; kind: LeadKind } | undefined {
  const m = LEAD.exec(pathname);
  return m ? { listingId: Number(m[1]), kind: m[2] as LeadKind } : undefined;
}
