import QRCode from 'qrcode';

/** An SVG QR code (medium error correction, survives a smudged printout). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
