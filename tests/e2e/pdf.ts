import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BrowserContext } from '@playwright/test';

/** What a person (and a phone camera) gets from one printed page. */
export interface PdfPage {
  text: string;
  /** Every QR code found on the page: its contents and printed width (without the quiet zone). */
  codes: { data: string; widthMm: number }[];
}

const require = createRequire(import.meta.url);
const pdfjsDir = dirname(require.resolve('pdfjs-dist/package.json'));
const jsqrFile = require.resolve('jsqr');
// A made-up origin: pdf.js, jsQR and the PDF are served to a blank page through request routing.
const ORIGIN = 'https://pdf-reader.test';

/** CJK radicals supplement characters and the simplified characters they stand for. */
const RADICALS = '⺠民⻄西⻅见⻆角⻉贝⻋车⻓长⻔门⻘青⻙韦⻚页⻛风⻜飞⻝食⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻬齐⻮齿⻰龙';
const FOLD = new Map(Array.from({ length: RADICALS.length / 2 }, (_, i) => [RADICALS[2 * i]!, RADICALS[2 * i + 1]!]));

/**
 * Text for comparison: fold both sides. CJK fonts draw a radical and the ideograph it looks like with
 * one glyph, and Chromium's PDF text layer names such glyphs by the radical (⽅ for 方, ⻨ for 麦).
 * NFKC folds the Kangxi radicals back (and full-width punctuation to ASCII); the supplement radicals
 * that stand for common simplified characters are folded by the table above.
 */
export function readable(text: string): string {
  return text.normalize('NFKC').replace(/[\u2E80-\u2EFF]/g, (c) => FOLD.get(c) ?? c);
}

/**
 * Reads a PDF the way the wall will show it: pdf.js (in Chromium, so no system packages) renders
 * every page at `scale` times 72 dpi, extracts its text and scans the picture for QR codes with
 * jsQR. jsQR finds one code per pass, so each found code is painted over and the page scanned again.
 * The text is folded to the characters people type (see `readable`).
 */
export async function readPdf(context: BrowserContext, pdf: Buffer, scale = 3): Promise<PdfPage[]> {
  const page = await context.newPage();
  try {
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>pdf</title>' });
      if (path === '/doc.pdf') return route.fulfill({ contentType: 'application/pdf', body: pdf });
      if (path === '/jsqr.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(jsqrFile) });
      const file = join(pdfjsDir, path);
      if (!file.startsWith(pdfjsDir) || !existsSync(file)) return route.fulfill({ status: 404 });
      return route.fulfill({ contentType: path.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream', body: readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/`);
    await page.addScriptTag({ url: '/jsqr.js' });
    return await page
      .evaluate(async (scale) => {
        type Point = { x: number; y: number };
        type Found = { data: string; location: Record<string, Point> } | null;
        const jsQR = (window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number, o?: object) => Found }).jsQR;
        const pdfjs = await import(/* @vite-ignore */ `${location.origin}/build/pdf.mjs`);
        pdfjs.GlobalWorkerOptions.workerSrc = `${location.origin}/build/pdf.worker.mjs`;
        const doc = await pdfjs.getDocument({ url: '/doc.pdf', cMapUrl: '/cmaps/', cMapPacked: true, standardFontDataUrl: '/standard_fonts/' }).promise;
        const pages = [];
        for (let n = 1; n <= doc.numPages; n++) {
          const pdfPage = await doc.getPage(n);
          const viewport = pdfPage.getViewport({ scale });
          const canvas = document.createElement('canvas');
          canvas.width = Math.ceil(viewport.width);
          canvas.height = Math.ceil(viewport.height);
          const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
          await pdfPage.render({ canvas, canvasContext: ctx, viewport }).promise;
          const content = await pdfPage.getTextContent();
          const text = content.items.map((item: { str?: string }) => item.str ?? '').join('');
          const codes: { data: string; widthMm: number }[] = [];
          // The whole page first, then overlapping windows of 45 mm (every code of 30 mm or less lies
          // wholly inside one of them) for codes jsQR misses when several are in view.
          const mm = (scale * 72) / 25.4;
          const windows = [[0, 0, canvas.width, canvas.height]];
          for (let y = 0; y < canvas.height; y += 15 * mm) {
            for (let x = 0; x < canvas.width; x += 15 * mm) windows.push([x, y, 45 * mm, 45 * mm]);
          }
          for (const [x, y, w, h] of windows.map((r) => r.map(Math.floor))) {
            for (;;) {
              const image = ctx.getImageData(x!, y!, Math.min(w!, canvas.width - x!), Math.min(h!, canvas.height - y!));
              const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
              if (!found) break;
              const { topLeftCorner: a, topRightCorner: b } = found.location;
              codes.push({ data: found.data, widthMm: Math.hypot(b!.x - a!.x, b!.y - a!.y) / mm });
              // Paint the code over so that the next pass finds another one.
              const xs = Object.values(found.location).map((p) => p.x);
              const ys = Object.values(found.location).map((p) => p.y);
              const pad = 2 * mm;
              ctx.fillStyle = '#fff';
              ctx.fillRect(x! + Math.min(...xs) - pad, y! + Math.min(...ys) - pad, Math.max(...xs) - Math.min(...xs) + 2 * pad, Math.max(...ys) - Math.min(...ys) + 2 * pad);
            }
          }
          pages.push({ text, codes });
        }
        return pages;
      }, scale)
      .then((pages) => pages.map((p) => ({ ...p, text: readable(p.text) })));
  } finally {
    await page.close();
  }
}
