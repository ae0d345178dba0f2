import { detailRoute } from '../../../../lib/opendata/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = detailRoute('articles');
