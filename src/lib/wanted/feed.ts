import rss from '@astrojs/rss';
import type { Translate } from '../../i18n/index.ts';
import type { Db } from '../db/index.ts';
import { siteUrl } from '../site.ts';
import { publicWantedList, wantedHref, wantedText } from './index.ts';

const FEED_SIZE = 30;

/** `/rss/wanted.xml`: the newest live buy requests (the same rule as /wanted); never a phone. */
export function wantedFeed(db: Db, t: Translate): Promise<Response> {
  const { items } = publicWantedList(db, { limit: FEED_SIZE });
  return rss({
    title: `${t('wanted.title')} · ${t('site.name')}`,
    description: t('wanted.intro'),
    site: siteUrl(),
    trailingSlash: false,
    items: items.map((w) => ({
      title: t('wanted.titleOf', { product: w.product }),
      link: wantedHref(w.id),
      pubDate: new Date(w.createdAt),
      description: [t('wanted.quantityLine', { quantity: w.quantity, unit: t(`wanted.unit.${w.unit}`) }), wantedText(w)].join('\n').slice(0, 300),
      categories: [t(`category.${w.category}`)],
    })),
  });
}
