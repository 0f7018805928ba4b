import { describe, expect, it } from 'vitest';
import { readMultipartFiles } from './multipart.ts';

function body(boundary: string, parts: string[]): Buffer {
  return Buffer.from(
    `${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--\r\n`,
  );
}

describe('readMultipartFiles', () => {
  it('reads each file part with its field name, file name, type and bytes', () => {
    const files = readMultipartFiles(
      body('XyZ', [
        'Content-Disposition: form-data; name="note"\r\n\r\nnot a file',
        'Content-Disposition: form-data; name="file"; filename="a b.txt"\r\nContent-Type: text/plain\r\n\r\nline1\r\nline2',
      ]),
      'multipart/form-data; boundary=XyZ',
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      fieldName: 'file',
      fileName: 'a b.txt',
      contentType: 'text/plain',
    });
    expect(files[0]!.data.toString()).toBe('line1\r\nline2');
  });

  it('accepts a quoted boundary and defaults the type to octet-stream', () => {
    const files = readMultipartFiles(
      body('q q', ['Content-Disposition: form-data; name="file"; filename="x"\r\n\r\n\u0001']),
      'multipart/form-data; boundary="q q"',
    );
    expect(files[0]).toMatchObject({ contentType: 'application/octet-stream' });
  });

  it('refuses a body that is not multipart', () => {
    expect(() => readMultipartFiles(Buffer.from('{}'), 'application/json')).toThrow(/multipart/);
  });
});
