/**
 * PDF actions that run something when a reader opens or clicks the file: JavaScript, launching a
 * program, and forms that submit or import data elsewhere. Leaflets and scanned documents need none.
 */
const ACTIVE = /\/(?:JavaScript|JS|Launch|SubmitForm|ImportData|RichMedia)(?![A-Za-z0-9])/;
/** Stream data (images, compressed text) is binary: by chance it may contain any bytes at all. */
const STREAM = /\bstream\r?\n[\s\S]*?\bendstream\b/g;

/**
 * Whether a PDF carries active content in its plainly written objects. Names may hide letters as
 * `#xx` escapes (`/J#61vaScript`), so those are decoded first. Objects packed inside compressed
 * object streams are not inspected: this refuses the common cases, and downloads are attachments.
 */
export function pdfHasActiveContent(data: Buffer): boolean {
  const objects = data.toString('latin1').replace(STREAM, 'stream endstream');
  return ACTIVE.test(objects.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}
