import { detailRoute } from '../../../../lib/http/opendata.ts';

export const { GET, HEAD, OPTIONS, ALL } = detailRoute('directory');
