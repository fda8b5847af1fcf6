// Independent seeds for the separate random choices of one run (batch order, dropout, masking, pool sample),
// derived from the cell's seed and a purpose name: the streams never coincide, and each stays the same when
// another part of the method changes how many numbers it draws.

/** FNV-1a over the parts, mixed with the seed: a 32-bit seed per (seed, purpose). */
export function deriveSeed(seed: number, ...purpose: (string | number)[]): number {
  let h = (0x811c9dc5 ^ Math.trunc(seed)) >>> 0;
  for (const ch of purpose.join('/')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
