export {
  ARROW_COMPRESSION_TYPE,
  codecReadyToCompress,
  loadCodec,
  loadedCodec,
  registerCodecProvider,
  type BufferCodec,
  type CodecProvider,
  type CompressionCodecName,
} from "./codec.js";
export { lz4FrameCompress, lz4FrameDecompress } from "./lz4-frame.js";
export { Lz4FormatError } from "./lz4-block.js";
export { xxhash32 } from "./xxhash32.js";
