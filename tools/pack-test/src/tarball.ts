import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** The bytes of a file, as the ArrayBuffer that publint's API takes. */
export async function readArrayBuffer(path: string): Promise<ArrayBuffer> {
  const bytes = await readFile(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * The files of an npm tarball (a gzipped ustar archive), by their path inside the package, so a
 * test can look at exactly what users download.
 */
export async function tarballFiles(path: string): Promise<Map<string, string>> {
  const archive = gunzipSync(await readFile(path));
  const files = new Map<string, string>();
  let offset = 0;
  while (offset + 512 <= archive.length && archive[offset] !== 0) {
    const header = archive.subarray(offset, offset + 512);
    const name = headerString(header, 0, 100);
    const prefix = headerString(header, 345, 155);
    const size = Number.parseInt(headerString(header, 124, 12).trim() || '0', 8);
    const typeFlag = String.fromCharCode(header[156]!);
    const body = archive.subarray(offset + 512, offset + 512 + size);
    if (typeFlag === '0' || typeFlag === '\0') {
      const fullName = prefix === '' ? name : `${prefix}/${name}`;
      files.set(fullName.replace(/^package\//, ''), body.toString('utf8'));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function headerString(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}
