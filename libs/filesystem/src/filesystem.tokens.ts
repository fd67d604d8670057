/** Injection token of the process's BlobStore (an interface, so it needs a token). */
export const BLOB_STORE = Symbol('nexus:filesystem:blob-store');
