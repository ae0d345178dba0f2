import { collectionRoute } from '../../../lib/http/opendata.ts';

export const { GET, HEAD, OPTIONS, ALL } = collectionRoute('directory', 'csv');
