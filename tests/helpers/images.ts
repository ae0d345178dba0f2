import sharp from 'sharp';
import { crc32 } from 'node:zlib';

/**
 * A phone-like JPEG: stored sideways (400×200, red left half, blue right half) with EXIF
 * orientation 6 (display rotated 90° clockwise, so upright it is 200×400 with red on top)
 * and GPS coordinates of 商丘.
 */
export async function sidewaysJpegWithGps(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="200" height="200" fill="#ff0000"/><rect x="200" width="200" height="200" fill="#0000ff"/></svg>`;
  return sharp(Buffer.from(svg))
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'TestPhone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 26/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '115/1 39/1 0/1' },
    })
    .toBuffer();
}

export async function plainPng(width = 64, height = 48, color = '#3a7d44'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

/** A tiny PNG whose header claims 30000×30000 pixels: a decompression bomb in 100 bytes. */
export async function pngBomb(): Promise<Buffer> {
  const png = Buffer.from(await plainPng(1, 1));
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows the 13 data bytes.
  png.writeUInt32BE(30000, 16);
  png.writeUInt32BE(30000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

export function hasGps(exif: Buffer | undefined): boolean {
  // 0x8825 is the GPS IFD pointer tag; look for it in either byte order.
  return !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}
