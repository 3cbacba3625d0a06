// Minimal WOFF2 → TrueType decoder (W3C WOFF 2.0, §4–5), enough for Open Graph images.
// Why: next/og (Satori) reads TTF/OTF/WOFF but not WOFF2, and the only CJK font installed offline is
// @fontsource-variable/noto-sans-sc, which ships WOFF2 chunks. Node's zlib has Brotli, so decoding is
// table reassembly: the transformed `glyf`/`loca` (and optionally `hmtx`) tables are rebuilt here.
import { brotliDecompressSync } from "node:zlib";

const KNOWN_TAGS = [
  "cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "glyf", "loca", "prep",
  "CFF ", "VORG", "EBDT", "EBLC", "gasp", "hdmx", "kern", "LTSH", "PCLT", "VDMX", "vhea", "vmtx", "BASE",
  "GDEF", "GPOS", "GSUB", "EBSC", "JSTF", "MATH", "CBDT", "CBLC", "COLR", "CPAL", "SVG ", "sbix", "acnt",
  "avar", "bdat", "bloc", "bsln", "cvar", "fdsc", "feat", "fmtx", "fvar", "gvar", "hsty", "just", "lcar",
  "mort", "morx", "opbd", "prop", "trak", "Zapf", "Silf", "Glat", "Gloc", "Feat", "Sill",
];

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  private need(n: number) {
    if (this.pos + n > this.buf.length) throw new Error("woff2: truncated data");
  }
  u8() {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16() {
    this.need(2);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }
  i16() {
    const v = this.u16();
    return v & 0x8000 ? v - 0x10000 : v;
  }
  u32() {
    this.need(4);
    const b = this.buf;
    const v = ((b[this.pos] << 24) >>> 0) + (b[this.pos + 1] << 16) + (b[this.pos + 2] << 8) + b[this.pos + 3];
    this.pos += 4;
    return v;
  }
  bytes(n: number) {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  base128() {
    let acc = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      if (i === 0 && b === 0x80) throw new Error("woff2: bad UIntBase128");
      acc = acc * 128 + (b & 0x7f);
      if (!(b & 0x80)) return acc;
    }
    throw new Error("woff2: UIntBase128 too long");
  }
  u255() {
    const code = this.u8();
    if (code === 253) return this.u16();
    if (code === 255) return this.u8() + 253;
    if (code === 254) return this.u8() + 506;
    return code;
  }
}

class Writer {
  private chunks: number[] = [];
  u8(v: number) {
    this.chunks.push(v & 0xff);
  }
  u16(v: number) {
    this.chunks.push((v >> 8) & 0xff, v & 0xff);
  }
  bytes(b: Uint8Array) {
    for (const x of b) this.chunks.push(x);
  }
  pad4() {
    while (this.chunks.length % 4) this.chunks.push(0);
  }
  get length() {
    return this.chunks.length;
  }
  result() {
    return Uint8Array.from(this.chunks);
  }
}

interface TableEntry {
  tag: string;
  origLength: number;
  transformed: boolean;
  version: number;
  length: number; // bytes in the decompressed stream
  data?: Uint8Array;
}

function withSign(flag: number, v: number) {
  return flag & 1 ? v : -v;
}

/** Rebuilds glyf and loca from the WOFF2 transformed glyf table (spec §5.1). */
function reconstructGlyf(data: Uint8Array) {
  const h = new Reader(data);
  h.u16(); // reserved
  const optionFlags = h.u16();
  const numGlyphs = h.u16();
  const indexFormat = h.u16();
  const sizes = Array.from({ length: 7 }, () => h.u32());
  let off = h.pos;
  const streams = sizes.map((s) => {
    const r = new Reader(data.subarray(off, off + s));
    off += s;
    return r;
  });
  const [nContourS, nPointsS, flagS, glyphS, compositeS, bboxS, instrS] = streams;
  const overlap = optionFlags & 1 ? data.subarray(off, off + ((numGlyphs + 7) >> 3)) : null;
  const bboxBitmap = bboxS.bytes(((numGlyphs + 31) >> 5) << 2);

  const glyf = new Writer();
  const offsets: number[] = [];
  const xMins: number[] = [];
  for (let gid = 0; gid < numGlyphs; gid++) {
    offsets.push(glyf.length);
    const nContours = nContourS.i16();
    const hasBbox = (bboxBitmap[gid >> 3] & (0x80 >> (gid & 7))) !== 0;
    if (nContours === 0) {
      xMins.push(0);
      continue;
    }
    if (nContours === -1) {
      // Composite glyph: component records are stored verbatim.
      const start = compositeS.pos;
      let more = true;
      let haveInstructions = false;
      while (more) {
        const flags = compositeS.u16();
        compositeS.u16(); // glyph index
        compositeS.bytes(flags & 0x0001 ? 4 : 2);
        if (flags & 0x0008) compositeS.bytes(2);
        else if (flags & 0x0040) compositeS.bytes(4);
        else if (flags & 0x0080) compositeS.bytes(8);
        if (flags & 0x0100) haveInstructions = true;
        more = (flags & 0x0020) !== 0;
      }
      const components = compositeS.buf.subarray(start, compositeS.pos);
      if (!hasBbox) throw new Error("woff2: composite glyph without bbox");
      const bbox = [bboxS.i16(), bboxS.i16(), bboxS.i16(), bboxS.i16()];
      xMins.push(bbox[0]);
      glyf.u16(0xffff);
      for (const v of bbox) glyf.u16(v & 0xffff);
      glyf.bytes(components);
      if (haveInstructions) {
        const n = glyphS.u255();
        glyf.u16(n);
        glyf.bytes(instrS.bytes(n));
      }
      glyf.pad4();
      continue;
    }
    // Simple glyph.
    const endPts: number[] = [];
    let total = 0;
    for (let c = 0; c < nContours; c++) {
      total += nPointsS.u255();
      endPts.push(total - 1);
    }
    const xs: number[] = new Array(total);
    const ys: number[] = new Array(total);
    const on: boolean[] = new Array(total);
    let x = 0;
    let y = 0;
    for (let i = 0; i < total; i++) {
      let flag = flagS.u8();
      on[i] = !(flag >> 7);
      flag &= 0x7f;
      let dx: number;
      let dy: number;
      if (flag < 10) {
        dx = 0;
        dy = withSign(flag, ((flag & 14) << 7) + glyphS.u8());
      } else if (flag < 20) {
        dx = withSign(flag, (((flag - 10) & 14) << 7) + glyphS.u8());
        dy = 0;
      } else if (flag < 84) {
        const b0 = flag - 20;
        const b1 = glyphS.u8();
        dx = withSign(flag, 1 + (b0 & 0x30) + (b1 >> 4));
        dy = withSign(flag >> 1, 1 + ((b0 & 0x0c) << 2) + (b1 & 0x0f));
      } else if (flag < 120) {
        const b0 = flag - 84;
        const b1 = glyphS.u8();
        const b2 = glyphS.u8();
        dx = withSign(flag, 1 + (Math.floor(b0 / 12) << 8) + b1);
        dy = withSign(flag >> 1, 1 + (((b0 % 12) >> 2) << 8) + b2);
      } else if (flag < 124) {
        const b1 = glyphS.u8();
        const b2 = glyphS.u8();
        const b3 = glyphS.u8();
        dx = withSign(flag, (b1 << 4) + (b2 >> 4));
        dy = withSign(flag >> 1, ((b2 & 0x0f) << 8) + b3);
      } else {
        const b1 = glyphS.u8();
        const b2 = glyphS.u8();
        const b3 = glyphS.u8();
        const b4 = glyphS.u8();
        dx = withSign(flag, (b1 << 8) + b2);
        dy = withSign(flag >> 1, (b3 << 8) + b4);
      }
      x += dx;
      y += dy;
      xs[i] = x;
      ys[i] = y;
    }
    const instrLen = glyphS.u255();
    const instructions = instrS.bytes(instrLen);
    let bbox: number[];
    if (hasBbox) bbox = [bboxS.i16(), bboxS.i16(), bboxS.i16(), bboxS.i16()];
    else bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    xMins.push(bbox[0]);

    glyf.u16(nContours);
    for (const v of bbox) glyf.u16(v & 0xffff);
    for (const e of endPts) glyf.u16(e);
    glyf.u16(instrLen);
    glyf.bytes(instructions);
    const overlapFirst = overlap ? (overlap[gid >> 3] & (0x80 >> (gid & 7))) !== 0 : false;
    const flagsOut: number[] = [];
    const xOut = new Writer();
    const yOut = new Writer();
    let px = 0;
    let py = 0;
    for (let i = 0; i < total; i++) {
      let f = on[i] ? 0x01 : 0;
      if (i === 0 && overlapFirst) f |= 0x40;
      const dx = xs[i] - px;
      const dy = ys[i] - py;
      px = xs[i];
      py = ys[i];
      if (dx === 0) f |= 0x10;
      else if (Math.abs(dx) < 256) {
        f |= 0x02 | (dx > 0 ? 0x10 : 0);
        xOut.u8(Math.abs(dx));
      } else xOut.u16(dx & 0xffff);
      if (dy === 0) f |= 0x20;
      else if (Math.abs(dy) < 256) {
        f |= 0x04 | (dy > 0 ? 0x20 : 0);
        yOut.u8(Math.abs(dy));
      } else yOut.u16(dy & 0xffff);
      flagsOut.push(f);
    }
    glyf.bytes(Uint8Array.from(flagsOut));
    glyf.bytes(xOut.result());
    glyf.bytes(yOut.result());
    glyf.pad4();
  }
  offsets.push(glyf.length);

  const loca = new Writer();
  for (const o of offsets) {
    if (indexFormat === 0) loca.u16(o >> 1);
    else {
      loca.u16(Math.floor(o / 65536));
      loca.u16(o & 0xffff);
    }
  }
  return { glyf: glyf.result(), loca: loca.result(), xMins, numGlyphs };
}

/** Rebuilds hmtx from the WOFF2 transformed form (spec §5.4): omitted side bearings equal xMin. */
function reconstructHmtx(data: Uint8Array, numHMetrics: number, numGlyphs: number, xMins: number[]) {
  const r = new Reader(data);
  const flags = r.u8();
  const adv = Array.from({ length: numHMetrics }, () => r.u16());
  const lsb = Array.from({ length: numHMetrics }, (_, i) => (flags & 1 ? xMins[i] : r.i16()));
  const rest = Array.from({ length: numGlyphs - numHMetrics }, (_, i) => (flags & 2 ? xMins[numHMetrics + i] : r.i16()));
  const w = new Writer();
  for (let i = 0; i < numHMetrics; i++) {
    w.u16(adv[i]);
    w.u16(lsb[i] & 0xffff);
  }
  for (const v of rest) w.u16(v & 0xffff);
  return w.result();
}

function checksum(data: Uint8Array) {
  let sum = 0;
  const padded = data.length % 4 ? Uint8Array.from([...data, 0, 0, 0].slice(0, data.length + (4 - (data.length % 4)))) : data;
  for (let i = 0; i < padded.length; i += 4) {
    sum = (sum + ((padded[i] << 24) >>> 0) + (padded[i + 1] << 16) + (padded[i + 2] << 8) + padded[i + 3]) >>> 0;
  }
  return sum;
}

/** Font-variation tables: a renderer without variation support (Satori's opentype.js) trips on
 * them, and the default instance (wght 400 for Noto Sans SC) needs none of them. */
export const VARIATION_TABLES = ["fvar", "gvar", "avar", "cvar", "HVAR", "VVAR", "MVAR", "STAT"];

/** Decodes a single-font WOFF2 file into an SFNT (TrueType/OpenType) buffer, leaving out `dropTables`. */
export function woff2ToSfnt(input: Uint8Array, dropTables: readonly string[] = []): Uint8Array {
  const r = new Reader(input);
  if (r.u32() !== 0x774f4632) throw new Error("woff2: not a WOFF2 file");
  const flavor = r.u32();
  if (flavor === 0x74746366) throw new Error("woff2: font collections are not supported");
  r.u32(); // length
  const numTables = r.u16();
  r.u16(); // reserved
  r.u32(); // totalSfntSize
  const totalCompressedSize = r.u32();
  r.bytes(24); // versions, metadata and private blocks (unused)

  const tables: TableEntry[] = [];
  for (let i = 0; i < numTables; i++) {
    const flags = r.u8();
    const tag = (flags & 0x3f) === 0x3f ? String.fromCharCode(...r.bytes(4)) : KNOWN_TAGS[flags & 0x3f];
    const version = flags >> 6;
    const origLength = r.base128();
    const transformed = tag === "glyf" || tag === "loca" ? version === 0 : version !== 0;
    const length = transformed ? r.base128() : origLength;
    tables.push({ tag, origLength, transformed, version, length });
  }
  const stream = new Uint8Array(brotliDecompressSync(r.bytes(totalCompressedSize)));
  let off = 0;
  for (const t of tables) {
    t.data = stream.subarray(off, off + t.length);
    off += t.length;
  }
  const byTag = new Map(tables.map((t) => [t.tag, t]));
  const glyfT = byTag.get("glyf");
  const locaT = byTag.get("loca");
  let xMins: number[] = [];
  let numGlyphs = 0;
  if (glyfT?.transformed) {
    const rebuilt = reconstructGlyf(glyfT.data!);
    glyfT.data = rebuilt.glyf;
    if (locaT) locaT.data = rebuilt.loca;
    xMins = rebuilt.xMins;
    numGlyphs = rebuilt.numGlyphs;
  }
  const hmtxT = byTag.get("hmtx");
  if (hmtxT?.transformed) {
    const hhea = byTag.get("hhea")?.data;
    if (!hhea || !xMins.length) throw new Error("woff2: transformed hmtx needs hhea and glyf");
    const numHMetrics = (hhea[34] << 8) | hhea[35];
    hmtxT.data = reconstructHmtx(hmtxT.data!, numHMetrics, numGlyphs, xMins);
  }

  // Assemble the SFNT: offset table, table records sorted by tag, 4-byte aligned table data.
  const kept = tables.filter((t) => !dropTables.includes(t.tag));
  const numOut = kept.length;
  const sorted = [...kept].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numOut) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const headerSize = 12 + 16 * numOut;
  let dataSize = 0;
  for (const t of sorted) dataSize += (t.data!.length + 3) & ~3;
  const out = new Uint8Array(headerSize + dataSize);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, flavor);
  dv.setUint16(4, numOut);
  dv.setUint16(6, searchRange);
  dv.setUint16(8, entrySelector);
  dv.setUint16(10, numOut * 16 - searchRange);
  let dataOff = headerSize;
  sorted.forEach((t, i) => {
    const rec = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[rec + k] = t.tag.charCodeAt(k);
    dv.setUint32(rec + 4, checksum(t.data!));
    dv.setUint32(rec + 8, dataOff);
    dv.setUint32(rec + 12, t.data!.length);
    out.set(t.data!, dataOff);
    dataOff += (t.data!.length + 3) & ~3;
  });
  return out;
}
