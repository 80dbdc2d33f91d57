/**
 * The nodes of the Merkle tree. Hashes come from hash.ts.
 *
 * Each node carries its own relative path: the same string object is the key
 * of the tree's path map and is handed out to dependents, so the cache's
 * per-read lookups compare string pointers instead of contents.
 */

interface NodeBase {
  readonly path: string;
}

/** A regular file, identified by its content. */
export interface FileNode extends NodeBase {
  readonly kind: 'file';
  readonly hash: string;
  readonly size: number;
  readonly binary: boolean;
}

/** A symbolic link, identified by its target text; never followed by the scan. */
export interface SymlinkNode extends NodeBase {
  readonly kind: 'symlink';
  readonly hash: string;
  readonly target: string;
}

/** A folder, identified by its children's names, kinds and hashes. */
export interface FolderNode extends NodeBase {
  readonly kind: 'folder';
  hash: string;
  /** Identity of the folder on disk: a new inode at the same path means it was replaced. */
  readonly inode: number;
  readonly children: Map<string, TreeNode>;
  /** Child names in hash order; dropped whenever a child is added or removed. */
  sortedNames: string[] | undefined;
}

export type TreeNode = FileNode | SymlinkNode | FolderNode;

/** Kind of a node as callers see it. */
export type NodeKind = TreeNode['kind'];
