import type { search as zh } from '../zh-CN/search.ts';

export const search: Record<keyof typeof zh, string> = {
  'nav.search': 'Search',
  'search.title': 'Search',
  'search.label': 'What are you looking for',
  'search.placeholder': 'e.g. 小麦, 梨, 辣椒, wheat',
  'search.submit': 'Search',
  'search.type': 'Type',
  'search.type.all': 'All types',
  'search.type.listing': 'Specialty products',
  'search.type.article': 'Information',
  'search.type.training': 'Farmer training',
  'search.type.region': 'Places',
  'search.type.price': 'Market prices',
  'search.county': 'County',
  'search.county.all': 'Whole city',
  'search.empty': 'Type what you are looking for, e.g. “小麦”, “梨” or “辣椒”. A single character works too.',
  'search.tooLong': 'The search is too long (at most {max} characters); please shorten it.',
  'search.noTerms': 'The search has nothing to look for; type Chinese characters, letters or digits.',
  'search.none': 'Nothing found for “{q}”. Try other words, or remove the type and area filters.',
  'search.count': '{count} results for “{q}”',
  'search.exact': 'Exact match',
};
