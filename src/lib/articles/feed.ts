import rss from '@astrojs/rss';
import type { Translate } from '../../i18n/index.ts';
import type { Db } from '../db/index.ts';
import { siteUrl } from '../site.ts';
import { renderMarkdown } from '../markdown/index.ts';
import type { Region } from '../regions/index.ts';
import { visibleArticles } from './index.ts';
import { excerpt, markdownText } from './text.ts';
import { articleHref, type ArticleKind } from './types.ts';

const FEED_SIZE = 30;

/** The address of a region's feed (`src/pages/rss/`), optionally of one kind. */
export function regionFeedHref(code: string, kind?: ArticleKind): string {
  return kind ? `/rss/${code}/${kind}.xml` : `/rss/${code}.xml`;
}

/** The RSS feed of what people in `region` see (optionally one kind): the same articles as its page. */
export function articleFeed(db: Db, region: Region, kind: ArticleKind | undefined, t: Translate): Promise<Response> {
  const { articles } = visibleArticles(db, { regionCode: region.code, kind, limit: FEED_SIZE });
  const scope = kind ? t('feed.title.kind', { region: region.name, kind: t(`article.kind.${kind}`) }) : t('feed.title', { region: region.name });
  return rss({
    title: `${scope} · ${t('site.name')}`,
    description: t('feed.description', { region: region.name }),
    site: siteUrl(),
    trailingSlash: false,
    items: articles.map((a) => ({
      title: a.title,
      link: articleHref(a.id),
      pubDate: new Date(a.publishedAt ?? a.updatedAt),
      description: a.summary || excerpt(markdownText(a.bodyMd), 120),
      content: renderMarkdown(a.bodyMd),
      categories: [t(`article.kind.${a.kind}`)],
    })),
  });
}
