import rss from '@astrojs/rss';
import type { Translate } from '../../i18n/index.ts';
import type { Db } from '../db/index.ts';
import { siteUrl } from '../site.ts';
import { entityHref, entityText, publicEntities } from './index.ts';

const FEED_SIZE = 30;

/** `/rss/directory.xml`: the newest approved entries (the rule of /directory); never a contact. */
export function directoryFeed(db: Db, t: Translate): Promise<Response> {
  const { items } = publicEntities(db, { limit: FEED_SIZE });
  return rss({
    title: `${t('directory.title')} · ${t('site.name')}`,
    description: t('directory.intro'),
    site: siteUrl(),
    trailingSlash: false,
    items: items.map((e) => ({
      title: e.name,
      link: entityHref(e.id),
      pubDate: new Date(e.createdAt),
      description: [`${t(`directory.kind.${e.kind}`)} · ${e.regionName}`, entityText(e)].join('\n').slice(0, 300),
      categories: [t(`directory.kind.${e.kind}`)],
    })),
  });
}
