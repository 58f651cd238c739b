/**
 * npm run icons
 * Draws the two Teams app icons with basic geometry and writes them as PNG files (they are committed):
 * - manifest/color.png: 192×192, a full opaque #0F6CBD square (Teams rounds or crops the corners itself) with a white
 *   phone and a check-mark badge inside the central 96×96 safe area (48 pixels of padding on every side), as the
 *   Teams store asks of colour icons;
 * - manifest/outline.png: 32×32, the same glyph in pure white (#FFFFFF) on a fully transparent background,
 *   alpha only 0 or 255, as Teams asks of outline icons.
 * The PNG encoder is our own (zlib deflate and zlib.crc32), so there is no image dependency.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { fromRoot } from '../src/core/paths';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes 8-bit RGBA pixels (row by row, 4 bytes a pixel) as a PNG: colour type 6, no interlace, filter 0 per row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`Expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- geometry: every shape answers "is this point inside?" in icon units (the 192-unit square) ----

type Shape = (x: number, y: number) => boolean;

const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, r: number): Shape =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** A thick line from (ax, ay) to (bx, by) with round caps. */
const segment =
  (ax: number, ay: number, bx: number, by: number, width: number): Shape =>
  (x, y) => {
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    const dx = x - (ax + t * vx);
    const dy = y - (ay + t * vy);
    return dx * dx + dy * dy <= (width / 2) ** 2;
  };

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);

// The colour glyph, in its own units: a phone (frame with a speaker slot and a home bar cut out) and a check-mark
// badge at its lower right, separated from the phone by a ring of background. It spans GLYPH_BOX and is drawn scaled
// into the icon's safe area.
const PHONE = minus(
  roundedRect(46, 24, 126, 168, 16),
  union(roundedRect(56, 42, 116, 144, 4), roundedRect(76, 31, 96, 35, 2), roundedRect(78, 153, 94, 158, 2.5)),
);
const BADGE = circle(132, 128, 34);
const BADGE_GAP = circle(132, 128, 42);
const CHECK = union(segment(116, 129, 128, 141, 10), segment(128, 141, 149, 115, 10));
/** The glyph's extent: the phone's top, left and bottom edges, the badge's right edge. */
const GLYPH_BOX = { x0: 46, y0: 24, x1: 166, y1: 168 };

/** The colour icon's safe area (192 units): the centre 96×96, 48 of padding on every side. */
export const SAFE_AREA = { x0: 48, y0: 48, x1: 144, y1: 144 };

// The outline glyph, drawn on the 32-pixel grid itself so that every stroke is whole pixels: the same phone and badge.
const O_PHONE = minus(roundedRect(7, 2, 21, 30, 3), roundedRect(9, 5, 19, 26, 0.5));
const O_BADGE = circle(22.5, 22.5, 7.5);
const O_BADGE_GAP = circle(22.5, 22.5, 9.5);
const O_CHECK = union(segment(19, 22.5, 21.5, 25, 2), segment(21.5, 25, 26, 20, 2));

type Rgba = [number, number, number, number];
const BLUE: Rgba = [0x0f, 0x6c, 0xbd, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** The glyph's scale and offset that fit GLYPH_BOX, centred, in the safe area. */
const FIT = ((): { scale: number; dx: number; dy: number } => {
  const scale = Math.min(
    (SAFE_AREA.x1 - SAFE_AREA.x0) / (GLYPH_BOX.x1 - GLYPH_BOX.x0),
    (SAFE_AREA.y1 - SAFE_AREA.y0) / (GLYPH_BOX.y1 - GLYPH_BOX.y0),
  );
  return {
    scale,
    dx: (SAFE_AREA.x0 + SAFE_AREA.x1) / 2 - ((GLYPH_BOX.x0 + GLYPH_BOX.x1) / 2) * scale,
    dy: (SAFE_AREA.y0 + SAFE_AREA.y1) / 2 - ((GLYPH_BOX.y0 + GLYPH_BOX.y1) / 2) * scale,
  };
})();

/** The colour icon at a point (192 units): the square background, then the glyph (phone, ring, badge, check). */
function colorAt(px: number, py: number): Rgba {
  const x = (px - FIT.dx) / FIT.scale;
  const y = (py - FIT.dy) / FIT.scale;
  if (CHECK(x, y)) return BLUE;
  if (BADGE(x, y)) return WHITE;
  if (BADGE_GAP(x, y)) return BLUE;
  return PHONE(x, y) ? WHITE : BLUE;
}

/** The outline icon at a point (32 units): white glyph, transparent everywhere else (the check is a cut-out). */
function outlineAt(x: number, y: number): Rgba {
  if (O_CHECK(x, y)) return CLEAR;
  if (O_BADGE(x, y)) return WHITE;
  if (O_BADGE_GAP(x, y)) return CLEAR;
  return O_PHONE(x, y) ? WHITE : CLEAR;
}

/**
 * Renders a picture drawn in a square of `space` units at size×size pixels. With samples > 1 each pixel averages
 * samples² points (anti-aliasing, premultiplied); with 1 it takes the pixel centre, so colours and alpha stay exactly
 * as painted (no partial alpha).
 */
function render(size: number, space: number, paint: (x: number, y: number) => Rgba, samples: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const unit = space / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = paint((px + (sx + 0.5) / samples) * unit, (py + (sy + 0.5) / samples) * unit);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
      }
      out[o + 3] = Math.round(a / (samples * samples));
    }
  }
  return out;
}

export function colorIcon(): Buffer {
  return encodePng(192, 192, render(192, 192, colorAt, 4));
}

export function outlineIcon(): Buffer {
  return encodePng(32, 32, render(32, 32, outlineAt, 1));
}

if (require.main === module) {
  const files: [string, Buffer][] = [
    [fromRoot('manifest', 'color.png'), colorIcon()],
    [fromRoot('manifest', 'outline.png'), outlineIcon()],
  ];
  for (const [file, png] of files) {
    fs.writeFileSync(file, png);
    process.stdout.write(`${file}\n`);
  }
}
