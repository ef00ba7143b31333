/*
 * fluss-edge's ZSTD codec for WebAssembly: the reference zstd library
 * (lib/common, lib/compress, lib/decompress) behind six exports, built by
 * packages/client/scripts/build-zstd-wasm.sh into src/gen-data/zstd-wasm.ts.
 *
 * One compression and one decompression context per instance, created on
 * first use and kept: a context holds tables sized for the level and the
 * window, and setting them up per buffer costs more than compressing a
 * small buffer. The JS side (src/wire/records/compression/zstd-wasm.ts)
 * owns the buffers it passes in; nothing here keeps a pointer after a call
 * returns. Results are sizes, or -1 for any zstd error (the caller knows
 * what it asked for and reports it in its own words); sizes stay below
 * 2^31, which the caller checks before calling.
 */
#include <stddef.h>
#include <stdlib.h>
#include "zstd.h"

static ZSTD_CCtx* compressor;
static ZSTD_DCtx* decompressor;

__attribute__((export_name("fe_alloc"))) void* fe_alloc(size_t size) { return malloc(size); }

__attribute__((export_name("fe_free"))) void fe_free(void* pointer) { free(pointer); }

__attribute__((export_name("fe_compress_bound"))) int fe_compress_bound(int size) {
  size_t bound = ZSTD_compressBound((size_t)size);
  return ZSTD_isError(bound) || bound > 0x7fffffff ? -1 : (int)bound;
}

__attribute__((export_name("fe_compress"))) int fe_compress(void* out, int capacity, const void* in, int size, int level) {
  if (!compressor && !(compressor = ZSTD_createCCtx())) return -1;
  size_t written = ZSTD_compressCCtx(compressor, out, (size_t)capacity, in, (size_t)size, level);
  return ZSTD_isError(written) ? -1 : (int)written;
}

/* Decompresses into exactly `expected` bytes of room: a frame that would grow larger fails. */
__attribute__((export_name("fe_decompress"))) int fe_decompress(void* out, int expected, const void* in, int size) {
  if (!decompressor && !(decompressor = ZSTD_createDCtx())) return -1;
  size_t written = ZSTD_decompressDCtx(decompressor, out, (size_t)expected, in, (size_t)size);
  return ZSTD_isError(written) ? -1 : (int)written;
}

__attribute__((export_name("fe_version"))) int fe_version(void) { return (int)ZSTD_versionNumber(); }
