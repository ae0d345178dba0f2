import MarkdownIt from 'markdown-it';

/** Only images from our own media store may appear in user-written text. */
const OWN_MEDIA = /^\/media\/[A-Za-z0-9._/-]+$/;

const md = new MarkdownIt({ html: false, linkify: true, breaks: true });

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  if (!OWN_MEDIA.test(src)) return md.utils.escapeHtml(token.content);
  token.attrSet('loading', 'lazy');
  return defaultImage(tokens, idx, options, env, self);
};

/** Renders user-written Markdown to safe HTML: raw HTML is escaped and link schemes are validated. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
