import sharp from 'sharp';
import { libraryImageBySha } from '../articles/library.ts';
import { readMedia } from '../articles/media.ts';
import type { Db } from '../db/index.ts';
import { MEDIA_LIBRARY_IMAGE, MEDIA_VARIANT, markdownImageSources, renderMarkdown, type ImageSize } from '../markdown/index.ts';
import { getImage } from './images.ts';
/** Files are named by their content, so a size once read stays true. */
const known = new Map<string, ImageSize>();
const MAX_KNOWN = 2000;

async function measure(db: Db, src: string): Promise<ImageSize | undefined> {
  const variant = MEDIA_VARIANT.exec(src);
  if (variant) {
    const image = getImage(db, variant[1]!);
    if (!image) return undefined;
    const width = Math.min(Number(variant[2]), image.width);
    return { width, height: Math.round((image.height * width) / image.width) };
  }
  const library = MEDIA_LIBRARY_IMAGE.exec(src);
  const bytes = library && libraryImageBySha(db, library[1]!) ? readMedia(library[1]!) : undefined;
  if (!bytes) return undefined;
  try {
    const meta = await sharp(bytes).metadata();
    return { width: meta.autoOrient.width, height: meta.autoOrient.height };
  } catch {
    return undefined;
  }
}

async function sizeOf(db: Db, src: string): Promise<ImageSize | undefined> {
  const cached = known.get(src);
  if (cached) return cached;
  const size = await measure(db, src);
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
    const size = await sizeOf(db, src);
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
