import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { markdownWebLinks } from '../markdown/index.ts';

/** Where a link was written: a published article, a region's profile or a training session. */
export const LINK_SOURCES = ['article', 'region', 'training'] as const;
export type LinkSourceKind = (typeof LINK_SOURCES)[number];

export interface ContentLink {
  url: string;
  sourceKind: LinkSourceKind;
  sourceId: string;
  sourceTitle: string;
  regionCode: string;
}

interface Text {
  id: string;
  title: string;
  regionCode: string;
  text: string;
}

const TEXTS: Record<LinkSourceKind, string> = {
  // Drafts are not on the portal yet; their links are checked once they are published.
  article: `SELECT CAST(id AS TEXT) AS id, title, region_code AS regionCode, summary || char(10) || body_md AS text FROM articles WHERE status = 'published' AND (body_md LIKE '%http%' OR summary LIKE '%http%')`,
  region: `SELECT code AS id, name AS title, code AS regionCode, intro_md AS text FROM regions WHERE intro_md LIKE '%http%'`,
  training: `SELECT CAST(id AS TEXT) AS id, title, county_code AS regionCode, description_md AS text FROM training_sessions WHERE description_md LIKE '%http%'`,
};

/**
 * Every web link inside the portal's written content. The township library keeps files with a
 * title and no description, so it has no links of its own to check.
 */
export function contentLinks(db: Db): ContentLink[] {
  const links: ContentLink[] = [];
  for (const sourceKind of LINK_SOURCES) {
    for (const row of many<Text>(db, TEXTS[sourceKind])) {
      for (const href of markdownWebLinks(row.text)) {
        const url = normalized(href);
        if (url) links.push({ url, sourceKind, sourceId: row.id, sourceTitle: row.title, regionCode: row.regionCode });
      }
    }
  }
  return links;
}

/** The address as the checker reports it (WHATWG form), or undefined when it is not one. */
export function normalized(href: string): string | undefined {
  try {
    return new URL(href).href;
  } catch {
    return undefined;
  }
}

/** The admin page where the text holding the link is edited. */
export function editorHref(kind: LinkSourceKind, id: string): string {
  return kind === 'article' ? `/admin/articles/${id}` : kind === 'region' ? `/admin/regions/${id}` : `/admin/trainings/${id}`;
}
