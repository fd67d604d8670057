/**
 * An in-memory model of one zone's tree, for property tests: the expected
 * outcome (ok or the HTTP status class of the refusal) and state after each
 * filesystem operation. Paths are already normalised.
 */
export type ModelEntry = { kind: 'dir' } | { kind: 'file'; content: string };

export type ModelOp =
  | { op: 'write'; path: string; content: string; parents: boolean }
  | { op: 'mkdir'; path: string; parents: boolean }
  | { op: 'delete'; path: string }
  | { op: 'rmdir'; path: string; recursive: boolean }
  | { op: 'rename'; from: string; to: string; overwrite: boolean }
  | { op: 'copy'; from: string; to: string; overwrite: boolean };

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

function ancestors(path: string): string[] {
  const list: string[] = [];
  for (let p = parentOf(path); p !== '/'; p = parentOf(p)) list.unshift(p);
  return list;
}

function inside(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

export class TreeModel {
  readonly entries = new Map<string, ModelEntry>();

  /** Applies the operation when it is legal; returns whether it was. */
  apply(operation: ModelOp): boolean {
    switch (operation.op) {
      case 'write':
        return this.write(operation.path, operation.content, operation.parents);
      case 'mkdir':
        return this.mkdir(operation.path, operation.parents);
      case 'delete':
        return this.deleteFile(operation.path);
      case 'rmdir':
        return this.rmdir(operation.path, operation.recursive);
      case 'rename':
        return this.move(operation.from, operation.to, operation.overwrite, true);
      case 'copy':
        return this.move(operation.from, operation.to, operation.overwrite, false);
    }
  }

  /** Every entry, sorted by path, as `path kind [content]`. */
  snapshot(): string[] {
    return [...this.entries.entries()]
      .map(([path, entry]) => (entry.kind === 'file' ? `${path} file ${entry.content}` : `${path} dir`))
      .sort();
  }

  /** Whether the directory `dir` (`/` included) can take a child: all ancestors dirs, creating missing ones if `parents`. */
  private parentReady(path: string, parents: boolean): boolean {
    const chain = [...ancestors(path)];
    for (const dir of chain) {
      const entry = this.entries.get(dir);
      if (entry?.kind === 'file') return false;
      if (!entry && !parents) return false;
    }
    if (parents) for (const dir of chain) if (!this.entries.has(dir)) this.entries.set(dir, { kind: 'dir' });
    return true;
  }

  private write(path: string, content: string, parents: boolean): boolean {
    if (path === '/') return false;
    const current = this.entries.get(path);
    if (current?.kind === 'dir') return false;
    if (!current && !this.parentReady(path, parents)) return false;
    this.entries.set(path, { kind: 'file', content });
    return true;
  }

  private mkdir(path: string, parents: boolean): boolean {
    if (path === '/') return parents;
    const current = this.entries.get(path);
    if (current) return current.kind === 'dir' && parents;
    if (!this.parentReady(path, parents)) return false;
    this.entries.set(path, { kind: 'dir' });
    return true;
  }

  private deleteFile(path: string): boolean {
    if (this.entries.get(path)?.kind !== 'file') return false;
    this.entries.delete(path);
    return true;
  }

  private children(dir: string): string[] {
    return [...this.entries.keys()].filter((path) => inside(path, dir));
  }

  private rmdir(path: string, recursive: boolean): boolean {
    if (path === '/' || this.entries.get(path)?.kind !== 'dir') return false;
    const below = this.children(path);
    if (below.length > 0 && !recursive) return false;
    for (const child of below) this.entries.delete(child);
    this.entries.delete(path);
    return true;
  }

  private move(from: string, to: string, overwrite: boolean, removeSource: boolean): boolean {
    const source = this.entries.get(from);
    if (from === '/' || to === '/' || !source) return false;
    if (from === to) return removeSource; // renaming onto itself is a no-op; copying onto itself is a conflict
    if (inside(to, from)) return false;
    if (!this.parentReady(to, false)) return false;
    const target = this.entries.get(to);
    if (target) {
      if (!overwrite || target.kind !== source.kind) return false;
      if (target.kind === 'dir' && this.children(to).length > 0) return false;
      this.entries.delete(to);
    }
    const moved = [from, ...this.children(from)].map((path) => [path, this.entries.get(path)!] as const);
    if (removeSource) for (const [path] of moved) this.entries.delete(path);
    for (const [path, entry] of moved) this.entries.set(to + path.slice(from.length), { ...entry });
    return true;
  }
}
