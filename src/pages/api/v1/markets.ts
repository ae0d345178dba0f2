import { collectionRoute } from '../../../lib/opendata/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = collectionRoute('markets', 'json');
