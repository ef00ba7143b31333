/**
 * UTF-8 as the Java client produces it (`BinaryString.encodeUTF8`, "must have the same result
 * with JDK's String.getBytes"): an unpaired surrogate becomes `?` (0x3f), where a WHATWG
 * TextEncoder would write U+FFFD. Key bytes feed the bucket hash, so the two must agree byte
 * for byte. Encoding goes straight into the caller's buffer; nothing is allocated.
 */

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Number of bytes {@link writeUtf8} writes for `s`. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else if (isHigh(c) || isLow(c)) n += 1;
    else n += 3;
  }
  return n;
}

/** Writes `s` at `at` (room for {@link utf8Length} bytes must exist); returns the end position. */
export function writeUtf8(s: string, out: Uint8Array, at: number): number {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
    } else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      const cp = ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00) + 0x10000;
      out[p++] = 0xf0 | (cp >> 18);
      out[p++] = 0x80 | ((cp >> 12) & 0x3f);
      out[p++] = 0x80 | ((cp >> 6) & 0x3f);
      out[p++] = 0x80 | (cp & 0x3f);
    } else if (isHigh(c) || isLow(c)) {
      out[p++] = 0x3f; // '?' for an unpaired surrogate, as the JDK
    } else {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

const decoder = new TextDecoder("utf-8");

/**
 * Decodes UTF-8 bytes (malformed sequences become U+FFFD, as Java's `new String(bytes, UTF_8)`).
 * Short ASCII strings are decoded by hand, which is faster than a TextDecoder call.
 */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 16) {
    let s = "";
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}
