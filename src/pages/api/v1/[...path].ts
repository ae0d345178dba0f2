import { unknownRoute } from '../../../lib/http/opendata.ts';

/** Any other address under /api/v1: a JSON 404 rather than the site's HTML page. */
export const ALL = unknownRoute;
