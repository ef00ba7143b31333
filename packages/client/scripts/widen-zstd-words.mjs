// Gives fluss-edge's wasm32 build of zstd the 64-bit words of zstd's 64-bit builds where zstd uses
// size_t for speed rather than for sizes: its bitstreams' containers, and the words its match finder
// compares. Run by build-zstd-wasm.sh on the unpacked sources, before compiling.
//
//   node scripts/widen-zstd-words.mjs <zstd lib directory>
//
// Why: zstd takes its 32-bit paths wherever sizeof(size_t) == 4. On wasm32 that is the pointer size
// only: WebAssembly has native 64-bit integers, so the 32-bit paths just reload the bitstream two to
// three times as often, switch off the fast four-stream Huffman decoding loop, and count matches
// four bytes at a time. With these edits the codec runs the code x86-64 and arm64 builds run:
// decompression of the log benchmark's Arrow buffers about 16% faster, compression about 5%
// (bench/zstd-codecs.ts's buffers), frames byte for byte the same.
//
// What changes is only how bits and compared bytes are held; every size and pointer stays 32-bit,
// and so do zstd's 32-bit overflow guards (wildcopy limits, ZSTD_WINDOWLOG_MAX = 30). Each edit
// names the exact text it expects and how often, so a different zstd release fails the build here
// instead of compiling half-edited.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const lib = process.argv[2];
if (!lib) {
  console.error("usage: node widen-zstd-words.mjs <zstd lib directory>");
  process.exit(2);
}

/** Replaces each `from` with `to` in `file`; `count` is how often `from` must occur. */
function edit(file, edits) {
  const path = join(lib, file);
  let text = readFileSync(path, "utf8");
  for (const { from, to, count } of edits) {
    const found = text.split(from).length - 1;
    if (found !== count) {
      throw new Error(`${file}: expected ${count} occurrence(s) of ${JSON.stringify(from)}, found ${found}`);
    }
    text = text.split(from).join(to);
  }
  writeFileSync(path, text);
}

// The container type and its loads and stores.
edit("common/bitstream.h", [
  { from: "typedef size_t BitContainerType;", to: "typedef U64 BitContainerType;", count: 1 },
  {
    from: "MEM_STATIC size_t BIT_readBitsFast(BIT_DStream_t* bitD, unsigned nbBits);",
    to: "MEM_STATIC BitContainerType BIT_readBitsFast(BIT_DStream_t* bitD, unsigned nbBits);",
    count: 1,
  },
  { from: "MEM_readLEST(bitD->ptr)", to: "MEM_readLE64(bitD->ptr)", count: 3 },
  { from: "MEM_writeLEST(bitC->ptr, bitC->bitContainer)", to: "MEM_writeLE64(bitC->ptr, bitC->bitContainer)", count: 2 },
  // Bits a reload guarantees: the 64-bit figure.
  { from: "((U32)(MEM_32bits() ? STREAM_ACCUMULATOR_MIN_32", to: "((U32)(0 ? STREAM_ACCUMULATOR_MIN_32", count: 1 },
]);

// Huffman decoding: every word-size decision in this file is about bit containers (symbols per
// reload, the fast loop's 8-byte stream reads and its gate), so all of them take the 64-bit side.
edit("decompress/huf_decompress.c", [
  { from: "static size_t HUF_initFastDStream", to: "static U64 HUF_initFastDStream", count: 1 },
  { from: "size_t const value = MEM_readLEST(ip) | 1;", to: "U64 const value = MEM_readLE64(ip) | 1;", count: 1 },
  { from: "MEM_readLEST(args->ip[stream])", to: "MEM_readLE64(args->ip[stream])", count: 1 },
  { from: "sizeof(size_t)", to: "sizeof(U64)", count: 6 },
  { from: "MEM_64bits()", to: "1", count: 5 },
  { from: "MEM_32bits()", to: "0", count: 4 },
]);

// Sequence decoding: the reloads and the long-offset split exist for 32-bit containers. The
// guards against pointer overflow near the end of the output (also MEM_32bits()) are left alone.
edit("decompress/zstd_decompress_block.c", [
  {
    from: "if (MEM_32bits() && longOffsets && (ofBits >= STREAM_ACCUMULATOR_MIN_32))",
    to: "if (0 && longOffsets && (ofBits >= STREAM_ACCUMULATOR_MIN_32))",
    count: 1,
  },
  { from: "if (MEM_32bits()) BIT_reloadDStream(&seqState->DStream);", to: "if (0) BIT_reloadDStream(&seqState->DStream);", count: 2 },
  {
    from: "if (MEM_32bits() && (mlBits+llBits >= STREAM_ACCUMULATOR_MIN_32",
    to: "if (0 && (mlBits+llBits >= STREAM_ACCUMULATOR_MIN_32",
    count: 1,
  },
  { from: "if (MEM_64bits() && UNLIKELY(totalBits >=", to: "if (1 && UNLIKELY(totalBits >=", count: 1 },
  {
    from: "        if (MEM_32bits())\n            BIT_reloadDStream(&seqState->DStream);",
    to: "        if (0)\n            BIT_reloadDStream(&seqState->DStream);",
    count: 1,
  },
  // Any offset fits one read of a 64-bit container, so no frame needs the long-offset decoder.
  {
    from: "static size_t ZSTD_maxShortOffset(void)\n{\n    if (MEM_64bits()) {",
    to: "static size_t ZSTD_maxShortOffset(void)\n{\n    if (1) {",
    count: 1,
  },
  {
    from: "(ZSTD_longOffset_e)(MEM_32bits() && (totalHistorySize > ZSTD_maxShortOffset()))",
    to: "(ZSTD_longOffset_e)(0 && (totalHistorySize > ZSTD_maxShortOffset()))",
    count: 1,
  },
]);

// Compression. The sequence encoder's extra flushes exist for 32-bit containers.
edit("compress/zstd_compress_sequences.c", [{ from: "MEM_32bits()", to: "0", count: 6 }]);

// Match lengths: compare eight bytes at a time, as on 64-bit targets (the loop's limit keeps every
// 8-byte read inside the input, as zstd's own 64-bit build does).
edit("compress/zstd_compress_internal.h", [
  {
    from: "const BYTE* const pInLoopLimit = pInLimit - (sizeof(size_t)-1);",
    to: "const BYTE* const pInLoopLimit = pInLimit - (sizeof(U64)-1);",
    count: 1,
  },
  {
    from: "{ size_t const diff = MEM_readST(pMatch) ^ MEM_readST(pIn);\n          if (diff) return ZSTD_NbCommonBytes(diff); }\n        pIn+=sizeof(size_t); pMatch+=sizeof(size_t);",
    to: "{ U64 const diff = MEM_read64(pMatch) ^ MEM_read64(pIn);\n          if (diff) return ZSTD_countTrailingZeros64(diff) >> 3; }\n        pIn+=sizeof(U64); pMatch+=sizeof(U64);",
    count: 1,
  },
  {
    from: "            size_t const diff = MEM_readST(pMatch) ^ MEM_readST(pIn);\n            if (!diff) { pIn+=sizeof(size_t); pMatch+=sizeof(size_t); continue; }\n            pIn += ZSTD_NbCommonBytes(diff);",
    to: "            U64 const diff = MEM_read64(pMatch) ^ MEM_read64(pIn);\n            if (!diff) { pIn+=sizeof(U64); pMatch+=sizeof(U64); continue; }\n            pIn += ZSTD_countTrailingZeros64(diff) >> 3;",
    count: 1,
  },
  {
    from: "if (MEM_64bits() && (pIn<(pInLimit-3)) && (MEM_read32(pMatch) == MEM_read32(pIn)))",
    to: "if (1 && (pIn<(pInLimit-3)) && (MEM_read32(pMatch) == MEM_read32(pIn)))",
    count: 1,
  },
]);
