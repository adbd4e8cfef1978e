/**
 * Bytes → text chunks for the streaming readers: UTF-8 (BOM dropped) or UTF-16 with a BOM,
 * decoded incrementally so a character split across chunks survives. Binary input (NUL bytes
 * at the start) is refused with an InputError, like a single case file.
 */
import { InputError } from '../diagnostics/diagnostic.js';

const SNIFF_BYTES = 8192;

function pickDecoder(first: Uint8Array, file: string): TextDecoder {
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le');
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be');
  const limit = Math.min(first.length, SNIFF_BYTES);
  for (let i = 0; i < limit; i++)
    if (first[i] === 0) throw new InputError([{ file, severity: 'error', code: 'io/binary', message: 'the file is binary, not text' }]);
  return new TextDecoder('utf-8');
}

/** Decode a byte stream; strings pass through unchanged (tests, in-memory sources). */
export async function* decodeChunks(bytes: AsyncIterable<Uint8Array | string>, file: string): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  for await (const chunk of bytes) {
    if (typeof chunk === 'string') {
      if (chunk) yield chunk;
      continue;
    }
    decoder ??= pickDecoder(chunk, file);
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder?.decode() ?? '';
  if (tail) yield tail;
}
