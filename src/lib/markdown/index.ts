import MarkdownIt from 'markdown-it';
import { VARIANT_WIDTHS } from '../media/images.ts';

/** A photo variant: `/media/{sha256}/{width}.webp`, one of the widths the pipeline makes. */
export const MEDIA_VARIANT = new RegExp(`^/media/([0-9a-f]{64})/(${VARIANT_WIDTHS.join('|')})\\.webp$`);

/**
 * Only variants from our own media store (library images included), by their content address, may appear in user-written text:
 * a reader's browser fetches an image without asking, so any other same-site address
 * (`/media/../admin/users`) would be a request made in the reader's name.
 */
const isOwnMedia = (src: string) => MEDIA_VARIANT.test(src);

/** Link schemes a reader may follow; relative addresses have none. Everything else (`data:`, `javascript:`, `file:` …) is not a link. */
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

const md = new MarkdownIt({ html: false, linkify: true, breaks: true });
// markdown-it's own check lets `data:image/…` through; ours allows a short list of schemes instead.
md.validateLink = (url) => {
  const scheme = SCHEME.exec(url.trim())?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme.toLowerCase());
};

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Column alignment becomes a class: the Content-Security-Policy refuses style attributes.
for (const rule of ['th_open', 'td_open'] as const) {
  md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    if (align) token.attrJoin('class', `align-${align}`);
    return self.renderToken(tokens, idx, options);
  };
}

export interface ImageSize {
  width: number;
  height: number;
}

/** Sizes of the images a text shows, by address: the page keeps its layout while photos load. */
export type ImageSizes = ReadonlyMap<string, ImageSize>;

const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  if (!isOwnMedia(src)) return md.utils.escapeHtml(token.content);
  const size = (env as { imageSizes?: ImageSizes } | undefined)?.imageSizes?.get(src);
  if (size) {
    token.attrSet('width', String(size.width));
    token.attrSet('height', String(size.height));
  }
  token.attrSet('loading', 'lazy');
  token.attrSet('decoding', 'async');
  return defaultImage(tokens, idx, options, env, self);
};

/** Renders user-written Markdown to safe HTML: raw HTML is escaped and link schemes are validated. */
export function renderMarkdown(source: string, imageSizes?: ImageSizes): string {
  return md.render(source, { imageSizes });
}

/** The addresses of our own images a text shows (others are not rendered as images at all). */
export function markdownImageSources(source: string): string[] {
  const found = new Set<string>();
  const visit = (tokens: ReturnType<typeof md.parse>) => {
    for (const token of tokens) {
      const src = token.type === 'image' ? String(token.attrGet('src') ?? '') : '';
      if (isOwnMedia(src)) found.add(src);
      if (token.children) visit(token.children);
    }
  };
  visit(md.parse(source, {}));
  return [...found];
}

/** The web addresses (http, https) a text links to, as written or found by linkify, each once. */
export function markdownWebLinks(source: string): string[] {
  const found = new Set<string>();
  const visit = (tokens: ReturnType<typeof md.parse>) => {
    for (const token of tokens) {
      const href = token.type === 'link_open' ? String(token.attrGet('href') ?? '') : '';
      if (/^https?:\/\//i.test(href)) found.add(href);
      if (token.children) visit(token.children);
    }
  };
  visit(md.parse(source, {}));
  return [...found];
}
