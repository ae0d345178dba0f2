import type { Db } from '../db/index.ts';
import { MEDIA_VARIANT, markdownImageSources, renderMarkdown, type ImageSize } from '../markdown/index.ts';
import { getImage } from './images.ts';

/** Files are named by their content, so a size once read stays true. */
const known = new Map<string, ImageSize>();
const MAX_KNOWN = 2000;

/** Every image an article can show is a variant of a stored image (library images included), whose size the database knows. */
function measure(db: Db, src: string): ImageSize | undefined {
  const variant = MEDIA_VARIANT.exec(src);
  const image = variant && getImage(db, variant[1]!);
  if (!image) return undefined;
  const width = Math.min(Number(variant[2]), image.width);
  return { width, height: Math.round((image.height * width) / image.width) };
}

function sizeOf(db: Db, src: string): ImageSize | undefined {
  const cached = known.get(src);
  if (cached) return cached;
  const size = measure(db, src);
  if (size && known.size < MAX_KNOWN) known.set(src, size);
  return size;
}

/** HTML by Markdown source, least recently used first: a county's notices appear on each of its village pages. */
const rendered = new Map<string, string>();
const MAX_RENDERED = 300;

/** Markdown for public pages: images carry width and height, so the text does not jump as they load. */
export async function renderPublicMarkdown(db: Db, source: string): Promise<string> {
  const cached = rendered.get(source);
  if (cached !== undefined) {
    rendered.delete(source);
    rendered.set(source, cached);
    return cached;
  }
  const sources = markdownImageSources(source);
  const sizes = new Map<string, ImageSize>();
  for (const src of sources) {
    const size = sizeOf(db, src);
    if (size) sizes.set(src, size);
  }
  const html = renderMarkdown(source, sizes);
  // An image not found yet may be uploaded later: only a rendering with every size is kept.
  if (sizes.size === sources.length) {
    rendered.set(source, html);
    if (rendered.size > MAX_RENDERED) rendered.delete(rendered.keys().next().value!);
  }
  return html;
}
