/**
 * Whether an upload starts like a photo the image pipeline takes (PNG, JPEG, WebP). Such files go
 * through that pipeline (pixel limit, full decode, re-encoding without metadata) or are refused;
 * everything else must prove to be a document.
 */
export function looksLikeImage(bytes: Buffer): boolean {
  const at = (offset: number, signature: string) => bytes.subarray(offset, offset + signature.length).toString('latin1') === signature;
  return at(0, '\x89PNG\r\n\x1a\n') || at(0, '\xff\xd8\xff') || (at(0, 'RIFF') && at(8, 'WEBP'));
}
