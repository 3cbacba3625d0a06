// Object storage for uploaded files behind one small interface. Default: local disk under the data
// folder (.data/uploads, or FM_UPLOADS_DIR); a cloud bucket (OSS/COS/S3) can implement the same three
// methods. Keys are content-addressed by the callers, so a stored object never changes.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";

export interface StoredObject {
  body: Buffer;
  contentType: string;
}

export interface ObjectStorage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  /** Removes the object; an absent one is not an error. */
  delete(key: string): Promise<void>;
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

export class LocalDiskStorage implements ObjectStorage {
  constructor(readonly root: string) {}

  private file(key: string): string {
    if (!isValidKey(key) && !isPrivateKey(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    if (contentType !== contentTypeOf(key)) throw new Error(`content type ${contentType} does not match ${key}`);
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader never sees half a file.
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, file);
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

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

export function uploadsDir(): string {
  // A run-time directory, not part of the build: nothing for the bundler to trace.
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.FM_UPLOADS_DIR ?? ".data/uploads");
}

let storage: ObjectStorage | undefined;
export function getStorage(): ObjectStorage {
  storage ??= new LocalDiskStorage(uploadsDir());
  return storage;
}
