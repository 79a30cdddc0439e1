/**
 * The await tree `asyncio-ts pstree` prints (CPython's `asyncio.tools.build_async_tree`): each
 * task that nobody awaits is a root; under a task hang the frames of its coroutine where it
 * awaits, outermost first, and under the innermost of those the tasks it awaits. A task that
 * awaits no task shows where it is suspended instead.
 */
import { frameLabel } from './frame-label.js';
import type { ProcessSnapshot } from './snapshot.js';

/** The await graph has a cycle (tasks awaiting each other), so it has no tree. */
export class AwaitCycleError extends Error {
  /** Each cycle as task ids, the first repeated at the end. */
  readonly cycles: number[][];

  constructor(cycles: number[][], names: ReadonlyMap<number, string>) {
    const lines = cycles.map(
      (cycle) => `cycle: ${cycle.map((id) => names.get(id) ?? String(id)).join(' → ')}`,
    );
    super(['await-graph contains cycles - cannot print a tree!', '', ...lines].join('\n'));
    this.name = 'AwaitCycleError';
    this.cycles = cycles;
  }
}

interface AwaitEdge {
  parentId: number;
  /** The parent's frames at the await, innermost first. */
  stack: string[];
  childId: number;
}

/** The nodes of the tree: `T<id>` for a task, `C<n>` for a frame; labels and children by key. */
class TreeNodes {
  readonly labels = new Map<string, string>();
  readonly children = new Map<string, string[]>();
  readonly #frameNodes = new Map<string, Map<string, string>>();
  #nextFrameNode = 1;

  addChild(parent: string, child: string): void {
    const kids = this.children.get(parent);
    if (kids === undefined) this.children.set(parent, [child]);
    else if (!kids.includes(child)) kids.push(child);
  }

  /** The node for `frame` under `parent`: one per distinct frame, so awaits at one place merge. */
  frameNode(parent: string, frame: string): string {
    let byFrame = this.#frameNodes.get(parent);
    if (byFrame === undefined) this.#frameNodes.set(parent, (byFrame = new Map()));
    let key = byFrame.get(frame);
    if (key === undefined) {
      key = `C${this.#nextFrameNode++}`;
      byFrame.set(frame, key);
      this.labels.set(key, frame);
      this.addChild(parent, key);
    }
    return key;
  }

  /** The node at the end of `stack` (innermost first) hung under `parent`, outermost first. */
  hangStack(parent: string, stack: readonly string[]): string {
    let node = parent;
    for (let i = stack.length - 1; i >= 0; i--) node = this.frameNode(node, stack[i]!);
    return node;
  }
}

/**
 * The await tree of `snapshot`, one array of lines per root.
 * @throws AwaitCycleError when tasks await each other in a cycle.
 */
export function buildAwaitTree(snapshot: ProcessSnapshot): string[][] {
  const names = new Map<number, string>();
  const stacks = new Map<number, string[]>();
  const edges: AwaitEdge[] = [];
  for (const loop of snapshot.loops) {
    for (const task of loop.tasks) {
      names.set(task.id, task.name);
      stacks.set(task.id, task.coroutineStack.map(frameLabel));
      for (const awaiter of task.awaitedBy) {
        if (!names.has(awaiter.taskId)) names.set(awaiter.taskId, awaiter.taskName);
        edges.push({
          parentId: awaiter.taskId,
          stack: awaiter.callStack.map(frameLabel),
          childId: task.id,
        });
      }
    }
  }
  const cycles = findCycles(edges);
  if (cycles.length > 0) throw new AwaitCycleError(cycles, names);

  const nodes = new TreeNodes();
  for (const [id, name] of names) nodes.labels.set(`T${id}`, name);
  for (const edge of edges) {
    nodes.addChild(nodes.hangStack(`T${edge.parentId}`, edge.stack), `T${edge.childId}`);
  }
  const awaiting = new Set(edges.map((edge) => edge.parentId));
  for (const [id, stack] of stacks) if (!awaiting.has(id)) nodes.hangStack(`T${id}`, stack);

  const childNodes = new Set([...nodes.children.values()].flat());
  const roots = [...nodes.labels.keys()].filter((key) => !childNodes.has(key));
  return roots.map((root) => renderNode(nodes, root, '', true, []));
}

/**
 * The await tree as text, roots one after another. Tasks read `(T) name`, frames
 * `name file:line`.
 * @example
 * ```ts
 * import { formatAwaitTree, takeSnapshot } from '@asyncio-ts/introspection';
 * console.log(formatAwaitTree(takeSnapshot()));
 * // └── (T) Task-1
 * //     └──  main /app/main.js:12
 * //         └── (T) worker
 * ```
 * @throws AwaitCycleError when tasks await each other in a cycle.
 */
export function formatAwaitTree(snapshot: ProcessSnapshot): string {
  return buildAwaitTree(snapshot)
    .map((lines) => lines.join('\n'))
    .join('\n');
}

function renderNode(
  nodes: TreeNodes,
  node: string,
  prefix: string,
  last: boolean,
  lines: string[],
): string[] {
  const flag = node.startsWith('T') ? '(T)' : '';
  lines.push(`${prefix}${last ? '└── ' : '├── '}${flag} ${nodes.labels.get(node)}`);
  const childPrefix = prefix + (last ? '    ' : '│   ');
  const kids = nodes.children.get(node) ?? [];
  for (let i = 0; i < kids.length; i++) {
    renderNode(nodes, kids[i]!, childPrefix, i === kids.length - 1, lines);
  }
  return lines;
}

/** The cycles among tasks awaiting tasks, found by a depth-first search for back edges. */
function findCycles(edges: readonly AwaitEdge[]): number[][] {
  const graph = new Map<number, Set<number>>();
  for (const { parentId, childId } of edges) {
    let kids = graph.get(parentId);
    if (kids === undefined) graph.set(parentId, (kids = new Set()));
    kids.add(childId);
  }
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<number, number>();
  const path: number[] = [];
  const cycles: number[][] = [];
  const visit = (node: number): void => {
    colour.set(node, GREY);
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = colour.get(next) ?? WHITE;
      if (seen === WHITE) visit(next);
      else if (seen === GREY) cycles.push([...path.slice(path.indexOf(next)), next]);
    }
    colour.set(node, BLACK);
    path.pop();
  };
  for (const node of graph.keys()) if ((colour.get(node) ?? WHITE) === WHITE) visit(node);
  return cycles;
}
