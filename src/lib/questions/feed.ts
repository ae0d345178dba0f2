import rss from '@astrojs/rss';
import type { Translate } from '../../i18n/index.ts';
import type { Db } from '../db/index.ts';
import { renderMarkdown } from '../markdown/index.ts';
import { siteUrl } from '../site.ts';
import { publicQuestions, questionHref } from './publish.ts';

const FEED_SIZE = 30;

/** `/rss/questions.xml`: the newest published answers (the same rule as /qa: answered and consented). */
export function questionFeed(db: Db, t: Translate): Promise<Response> {
  const { items } = publicQuestions(db, { limit: FEED_SIZE });
  return rss({
    title: `${t('qa.title')} · ${t('site.name')}`,
    description: t('qa.intro'),
    site: siteUrl(),
    trailingSlash: false,
    items: items.map((q) => ({
      title: q.title,
      link: questionHref(q.id),
      pubDate: new Date(q.answeredAt),
      description: q.body.slice(0, 120),
      content: renderMarkdown(q.answerMd),
      categories: [t(`questionCategory.${q.category}`)],
    })),
  });
}
