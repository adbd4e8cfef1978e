/**
 * Bytes → text chunks for the streaming readers: UTF-8 (BOM dropped) or UTF-16 with a BOM,
 * decoded incrementally so a character split across chunks survives. Binary input (NUL bytes
 * at the start) is refused with an InputError, like a single case file.
 */
import { isAscii } from 'node:buffer';
import { InputError } from '../diagnostics/diagnostic.js';

const SNIFF_BYTES = 8192;

function pickDecoder(first: Uint8Array, file: string): TextDecoder {
  // the byte order mark is dropped by decodeChunks itself: some Node versions drop one in the middle of a stream too
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le', { ignoreBOM: true });
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be', { ignoreBOM: true });
  const limit = Math.min(first.length, SNIFF_BYTES);
  for (let i = 0; i < limit; i++)
    if (first[i] === 0) throw new InputError([{ file, severity: 'error', code: 'io/binary', message: 'the file is binary, not text' }]);
  return new TextDecoder('utf-8', { ignoreBOM: true });
}

/** Bytes as one-byte text, without a copy: for ASCII, the same text UTF-8 decoding gives. */
const asciiText = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/**
 * Decode a byte stream; strings pass through unchanged (tests, in-memory sources). UTF-8 text
 * that is all ASCII (the usual case) skips the decoder: ASCII bytes are their own characters.
 * From the first chunk that is not ASCII on, the decoder decodes the rest (it may hold part of
 * a character between chunks); past the start of the text, a byte order mark is a character.
 */
export async function* decodeChunks(bytes: AsyncIterable<Uint8Array | string>, file: string): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  /** Bytes passed through as ASCII before the decoder took over. */
  let passed = 0;
  let decoding = false;
  /** No character has come out of the decoder yet: a byte order mark now starts the text and is dropped. */
  let first = true;
  for await (const chunk of bytes) {
    if (typeof chunk === 'string') {
      if (chunk) yield chunk;
      continue;
    }
    decoder ??= pickDecoder(chunk, file);
    if (!decoding && decoder.encoding === 'utf-8') {
      if (isAscii(chunk)) {
        if (chunk.length) yield asciiText(chunk);
        passed += chunk.length;
        continue;
      }
    }
    let text = decoder.decode(chunk, { stream: true });
    decoding = true;
    if (first && text) {
      if (passed === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the mark that starts the text
      first = false;
    }
    if (text) yield text;
  }
  let tail = decoding ? decoder!.decode() : '';
  if (first && passed === 0 && tail.charCodeAt(0) === 0xfeff) tail = tail.slice(1);
  if (tail) yield tail;
}
