import { describe, expect, it } from 'vitest';
import { cleanFileName, filePath, imageSize, isExecutable, parseFilePath } from './files.ts';

describe('imageSize', () => {
  it('reads PNG dimensions from IHDR', () => {
    const png = new Uint8Array(24);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 800);
    new DataView(png.buffer).setUint32(20, 600);
    expect(imageSize(png)).toEqual({ width: 800, height: 600 });
  });

  it('reads GIF dimensions (little-endian)', () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x01, 0x10, 0x00]);
    expect(imageSize(gif)).toEqual({ width: 288, height: 16 });
  });

  it('walks JPEG segments to the start-of-frame marker', () => {
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0,
      0x02, 0x80, 0x03,
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 640, height: 480 });
  });

  it('knows nothing of other bytes', () => {
    expect(imageSize(new TextEncoder().encode('plain text here, long enough'))).toBeUndefined();
  });
});

describe('isExecutable', () => {
  it('refuses executables by extension, declared type and magic number', () => {
    expect(isExecutable('setup.EXE', 'application/octet-stream', new Uint8Array([1]))).toBe(true);
    expect(isExecutable('a', 'application/x-msdownload', new Uint8Array([1]))).toBe(true);
    expect(
      isExecutable('cv.pdf', 'application/pdf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46])),
    ).toBe(true);
    expect(isExecutable('run.txt', 'text/plain', new TextEncoder().encode('#!/bin/sh'))).toBe(true);
  });

  it('lets documents and images through', () => {
    expect(isExecutable('cv.pdf', 'application/pdf', new TextEncoder().encode('%PDF-1.7'))).toBe(
      false,
    );
    expect(isExecutable('exe', 'image/png', new Uint8Array([0x89, 0x50]))).toBe(false);
  });
});

describe('file paths', () => {
  it('round-trips organization and file id, and ignores other paths', () => {
    const path = filePath('org 1', 'f/1', 'a b.png');
    expect(path).toBe('/files/org%201/f%2F1/a%20b.png');
    expect(parseFilePath(path)).toEqual({ organizationId: 'org 1', fileId: 'f/1' });
    expect(parseFilePath('/v3.6/agent/action/x')).toBeUndefined();
  });

  it('keeps file names without paths or control characters', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\a\u0000b.txt')).toBe('ab.txt');
    expect(cleanFileName('   ')).toBe('file');
  });
});
