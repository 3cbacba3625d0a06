// Object storage for uploaded files behind one small interface. Default: local disk under the data
// folder (.data/uploads, or FM_UPLOADS_DIR); a cloud bucket (OSS/COS/S3) can implement the same five
// methods (and the two optional ones the retention sweep lists and clears folders with). Keys are content-addressed or random per file by the callers, so a stored object never changes.
import type { Dir } from "node:fs";
import { mkdir, open, opendir, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";

export interface StoredObject {
  body: Buffer;
  contentType: string;
}

export interface StoredStream {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** In bytes, when the store knows it before sending. */
  size: number | null;
}

/** What a streamed upload reads: a web stream (csvStream, a fetch body) or any async iterable of chunks. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ObjectStorage {
  /** Small objects (pictures), whole in memory. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  // A cloud bucket implements these two with a multipart upload (completed at the source's end, aborted if it fails) and a streamed GET.
  /** Stores a large object (export files) chunk by chunk; it appears whole once the source ends, and a source that fails stores nothing. */
  putStream(key: string, body: ByteSource, contentType: string): Promise<void>;
  /** Reads a large object chunk by chunk, or null when there is none. */
  getStream(key: string): Promise<StoredStream | null>;
  /** Removes the object; an absent one is not an error. */
  delete(key: string): Promise<void>;
  // Sweeps (server/privacy/retention.ts); a store without them sweeps nothing. A bucket: ListObjects, and aborting multipart uploads.
  /** The keys of the objects under the folder `prefix` last written before `before`. */
  listWrittenBefore?(prefix: string, before: Date): AsyncIterable<string>;
  /** Removes what uploads under the folder `prefix` begun before `before` and never completed left behind; returns how many. */
  removeAbandonedUploads?(prefix: string, before: Date): Promise<number>;
}

/** What may be stored and served: images we encoded ourselves, by extension. Never SVG or HTML. */
export const SERVED_TYPES: Record<string, string> = {
  webp: "image/webp",
  jpg: "image/jpeg",
  png: "image/png",
};

const KEY = /^[a-z0-9]+(?:\/[a-z0-9_-]+)*\.(webp|jpg|png)$/;

/** A storage key is lower-case path segments and a served extension: no "..", no absolute paths. */
export function isValidKey(key: string): boolean {
  return key.length <= 200 && KEY.test(key);
}

// Files only the app hands out after its own checks (export CSVs): under private/, never a valid
// public key, so /media never serves them.
const PRIVATE_KEY = /^private\/[a-z0-9]+(?:\/[a-z0-9_-]+)*\.csv$/;
export function isPrivateKey(key: string): boolean {
  return key.length <= 200 && PRIVATE_KEY.test(key);
}

function contentTypeOf(key: string): string {
  return isPrivateKey(key) ? "text/csv" : SERVED_TYPES[key.slice(key.lastIndexOf(".") + 1)]!;
}

/** Bytes read from a file per chunk of getStream. */
const READ_CHUNK = 64 * 1024;

function isWebStream(body: ByteSource): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream<Uint8Array>).getReader === "function";
}

/** The chunks of a source; a web stream the writer stops reading early (a failed write) is cancelled, so its producer stops too. */
async function* chunksOf(body: ByteSource): AsyncGenerator<Uint8Array> {
  if (!isWebStream(body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** An open file as a web stream read on demand, READ_CHUNK bytes at a time; the file is closed at its end, on an error and on cancel. */
function fileStream(file: FileHandle): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = new Uint8Array(READ_CHUNK);
        const { bytesRead } = await file.read(chunk, 0, READ_CHUNK, null);
        if (bytesRead > 0) return controller.enqueue(chunk.subarray(0, bytesRead));
        await file.close();
        controller.close();
      } catch (e) {
        await file.close().catch(() => undefined);
        throw e;
      }
    },
    cancel: () => file.close(),
  });
}

export class LocalDiskStorage implements ObjectStorage {
  constructor(readonly root: string) {}

  private file(key: string): string {
    if (!isValidKey(key) && !isPrivateKey(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(this.root, ...key.split("/"));
  }

  /** Writes a temp file beside the object, then renames it: a reader never sees half a file, and a failed write leaves neither. */
  private async writeThenRename(key: string, contentType: string, write: (out: FileHandle) => Promise<unknown>): Promise<void> {
    const file = this.file(key);
    if (contentType !== contentTypeOf(key)) throw new Error(`content type ${contentType} does not match ${key}`);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}${TMP_SUFFIX}`;
    const out = await open(tmp, "wx");
    try {
      await write(out);
      await out.close();
      await rename(tmp, file);
    } catch (e) {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.writeThenRename(key, contentType, (out) => out.writeFile(body));
  }

  async putStream(key: string, body: ByteSource, contentType: string): Promise<void> {
    // The write stream closes the file once written, and batches the chunks that queue up while the disk is busy into one write.
    await this.writeThenRename(key, contentType, (out) => pipeline(chunksOf(body), out.createWriteStream()));
  }

  async get(key: string): Promise<StoredObject | null> {
    if (!isValidKey(key) && !isPrivateKey(key)) return null;
    try {
      return { body: await readFile(this.file(key)), contentType: contentTypeOf(key) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async getStream(key: string): Promise<StoredStream | null> {
    if (!isValidKey(key) && !isPrivateKey(key)) return null;
    let file: FileHandle;
    // Opened before it is read: the file expiring meanwhile does not cut a download short.
    try {
      file = await open(this.file(key), "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    try {
      return { body: fileStream(file), contentType: contentTypeOf(key), size: (await file.stat()).size };
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async *listWrittenBefore(prefix: string, before: Date): AsyncIterable<string> {
    for await (const { key, file } of this.filesUnder(prefix)) {
      if (key.endsWith(TMP_SUFFIX) || !(isValidKey(key) || isPrivateKey(key))) continue;
      if ((await modifiedAt(file)) < before.getTime()) yield key;
    }
  }

  async removeAbandonedUploads(prefix: string, before: Date): Promise<number> {
    let removed = 0;
    for await (const { key, file } of this.filesUnder(prefix)) {
      // A temp file still written to is modified as its chunks arrive: only one left untouched since `before` is abandoned.
      if (!key.endsWith(TMP_SUFFIX) || (await modifiedAt(file)) >= before.getTime()) continue;
      await rm(file, { force: true });
      removed++;
    }
    return removed;
  }

  /** Every file under the folder `prefix` (its key relative to the root), read a directory entry at a time. */
  private async *filesUnder(prefix: string): AsyncGenerator<{ key: string; file: string }> {
    if (!/^[a-z0-9]+(?:\/[a-z0-9_-]+)*$/.test(prefix)) throw new Error(`invalid storage folder: ${prefix}`);
    const walk = async function* (dir: string, keyPrefix: string): AsyncGenerator<{ key: string; file: string }> {
      let entries: Dir;
      try {
        entries = await opendir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        throw e;
      }
      for await (const entry of entries) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(file, `${keyPrefix}${entry.name}/`);
        else if (entry.isFile()) yield { key: `${keyPrefix}${entry.name}`, file };
      }
    };
    yield* walk(path.join(this.root, ...prefix.split("/")), `${prefix}/`);
  }
}

/** How writeThenRename names an upload's temp file: the object's name, random hex, this. */
const TMP_SUFFIX = ".tmp";

/** A file's last write, in ms; a file gone meanwhile (another sweeper, a rename) counts as just written, so it is left alone. */
async function modifiedAt(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return Infinity;
    throw e;
  }
}

/** FM_UPLOADS_DIR (production requires it, absolute), else .data/uploads; an empty value is unset. */
export function uploadsDir(env: Record<string, string | undefined> = process.env): string {
  // A run-time directory, not part of the build: nothing for the bundler to trace.
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env.FM_UPLOADS_DIR || ".data/uploads");
}

let storage: ObjectStorage | undefined;
export function getStorage(): ObjectStorage {
  storage ??= new LocalDiskStorage(uploadsDir());
  return storage;
}
