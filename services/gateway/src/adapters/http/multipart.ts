import { ProtocolError } from '@threadline/protocol';

export interface MultipartFile {
  fieldName: string;
  fileName: string;
  contentType: string;
  data: Buffer;
}

/**
 * The parts of a `multipart/form-data` body (RFC 7578) that carry a file. The whole body is in
 * memory already (bounded by the upload limit), so this only splits it on the boundary.
 */
export function readMultipartFiles(body: Buffer, contentType: string | undefined): MultipartFile[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundary) {
    throw new ProtocolError('validation', 'Wrong format of request: use multipart/form-data');
  }
  const delimiter = Buffer.from(`--${(boundary[1] ?? boundary[2]!).trim()}`);
  const files: MultipartFile[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const file = readPart(part);
    if (file) files.push(file);
    start = next;
  }
  return files;
}

function readPart(part: Buffer): MultipartFile | undefined {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
  const fieldName = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  if (fieldName === undefined || fileName === undefined) return undefined;
  const contentType = /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim();
  return {
    fieldName,
    fileName,
    contentType: contentType || 'application/octet-stream',
    data: part.subarray(headerEnd + 4),
  };
}
