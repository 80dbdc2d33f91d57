/** The nodes of the Merkle tree. Hashes come from hash.ts. */

/** A regular file, identified by its content. */
export interface FileNode {
  readonly kind: 'file';
  readonly hash: string;
  readonly size: number;
  readonly binary: boolean;
}

/** A symbolic link, identified by its target text; never followed by the scan. */
export interface SymlinkNode {
  readonly kind: 'symlink';
  readonly hash: string;
  readonly target: string;
}

/** A folder, identified by its children's names, kinds and hashes. */
export interface FolderNode {
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
