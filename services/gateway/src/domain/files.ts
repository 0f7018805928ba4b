/**
 * Pure rules about uploaded files: which ones are refused, what an image's size is (read from the
 * first bytes of PNG, GIF and JPEG; nothing is decoded), and where the gateway serves them.
 */

/** LiveChat's upload limit (spec §1.5). */
export const maxUploadBytes = 10 * 1024 * 1024;

const executableExtensions = new Set([
  'exe',
  'msi',
  'bat',
  'cmd',
  'com',
  'scr',
  'pif',
  'cpl',
  'jar',
  'vbs',
  'vbe',
  'js',
  'jse',
  'ws',
  'wsf',
  'wsh',
  'ps1',
  'psm1',
  'sh',
  'bash',
  'app',
  'apk',
  'dll',
  'so',
  'dylib',
  'deb',
  'rpm',
  'dmg',
  'run',
  'bin',
  'elf',
  'reg',
  'lnk',
  'hta',
  'gadget',
  'inf',
  'msp',
  'mst',
]);

const executableContentTypes = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-elf',
  'application/x-sharedlib',
  'application/x-mach-binary',
  'application/java-archive',
  'application/vnd.microsoft.portable-executable',
  'application/x-sh',
  'application/x-bat',
]);

/**
 * Executables are refused (spec §2 `upload_file`): by extension, by declared type, and by the
 * magic numbers of Windows (MZ), ELF and Mach-O binaries and `#!` scripts, so renaming is no way in.
 */
export function isExecutable(name: string, contentType: string, data: Uint8Array): boolean {
  const extension = name.toLowerCase().split('.').pop() ?? '';
  if (name.includes('.') && executableExtensions.has(extension)) return true;
  if (executableContentTypes.has(contentType.toLowerCase().split(';')[0]!.trim())) return true;
  const starts = (...bytes: number[]) => bytes.every((byte, index) => data[index] === byte);
  return (
    starts(0x4d, 0x5a) || // MZ: Windows PE
    starts(0x7f, 0x45, 0x4c, 0x46) || // ELF
    starts(0xcf, 0xfa, 0xed, 0xfe) || // Mach-O 64
    starts(0xce, 0xfa, 0xed, 0xfe) ||
    starts(0xca, 0xfe, 0xba, 0xbe) || // Mach-O universal (also Java classes)
    starts(0x23, 0x21) // #! script
  );
}

export interface ImageSize {
  width: number;
  height: number;
}

/** Width and height of a PNG, GIF or JPEG from its header; undefined for anything else. */
export function imageSize(data: Uint8Array): ImageSize | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (data.length >= 10 && view.getUint32(0) === 0x47494638) {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (data.length >= 4 && view.getUint16(0) === 0xffd8) return jpegSize(view);
  return undefined;
}

/** Walks JPEG segments to the first start-of-frame marker, which holds the dimensions. */
function jpegSize(view: DataView): ImageSize | undefined {
  let offset = 2;
  while (offset + 9 < view.byteLength) {
    if (view.getUint8(offset) !== 0xff) return undefined;
    const marker = view.getUint8(offset + 1);
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = view.getUint16(offset + 2);
    const isStartOfFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}

/** Path of a stored file: `/files/<organization_id>/<file_id>/<name>`. */
export function filePath(organizationId: string, fileId: string, name: string): string {
  return `/files/${encodeURIComponent(organizationId)}/${encodeURIComponent(fileId)}/${encodeURIComponent(name)}`;
}

const filePathPattern = /^\/files\/([^/]+)\/([^/]+)(?:\/[^/]*)?$/;

/** The file a URL (ours, on any host) points to; undefined for other URLs. */
export function parseFilePath(
  pathname: string,
): { organizationId: string; fileId: string } | undefined {
  const match = filePathPattern.exec(pathname);
  if (!match) return undefined;
  try {
    return { organizationId: decodeURIComponent(match[1]!), fileId: decodeURIComponent(match[2]!) };
  } catch {
    return undefined;
  }
}

/** A file name safe to keep: no path, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'file').slice(0, 255);
}
