import QRCode from 'qrcode';

/** An SVG QR code (medium error correction, survives a smudged printout). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The public origin for absolute links (QR codes, share cards): `SITE_URL`, else this request's. */
export function siteOrigin(requestUrl: URL): string {
  const configured = process.env.SITE_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // An unparsable SITE_URL falls back to the request's own origin.
    }
  }
  return requestUrl.origin;
}
