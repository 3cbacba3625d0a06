// Rendered share-link pictures kept in this process: next/og costs ~86 ms of CPU a picture, and crawlers, chat apps
// and anyone else may ask for the same picture (or made-up codes) at any rate.

/**
 * A least-recently-used map of rendered images, bounded by their total size. The key must name everything the
 * picture shows, so a changed offer or shop name is a new key and never a stale picture. Concurrent requests for a
 * key not yet rendered share one render; a failed render is not kept.
 */
export class RenderedImageCache {
  private readonly entries = new Map<string, { image: Promise<ArrayBuffer>; bytes: number }>();
  private totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, render: () => Promise<ArrayBuffer>): Promise<ArrayBuffer> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is the recency order: move the entry to the newest end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.image;
    }
    const entry = { image: render(), bytes: 0 };
    this.entries.set(key, entry);
    entry.image.then(
      (image) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = image.byteLength;
        this.totalBytes += entry.bytes;
        this.evictOverflow();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.image;
  }

  private evictOverflow() {
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) return;
      this.entries.delete(key);
      this.totalBytes -= entry.bytes;
    }
  }
}
