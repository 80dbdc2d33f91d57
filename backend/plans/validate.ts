/**
 * What makes a plan unrunnable, each named so a person can fix it: a
 * duplicate id, a dependency on a task that does not exist, a cycle (listed
 * in order), a task with no description. The dependency graph is
 * graphlib's; its cycle search and topological sort are well tested.
 */
import { alg, Graph } from '@dagrejs/graphlib';
import type { PlanProblem, PlanTask } from '../protocol/payloads/plans.ts';

/** Every problem of `tasks`, in a stable order (duplicates, unknown dependencies, cycles, descriptions). */
export function validatePlan(tasks: readonly PlanTask[]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (tasks.length === 0) {
    return [{ kind: 'no_tasks', taskIds: [], message: 'The plan has no tasks' }];
  }
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const task of tasks) {
    if (seen.has(task.id) && !reported.has(task.id)) {
      reported.add(task.id);
      problems.push({
        kind: 'duplicate_id',
        taskIds: [task.id],
        message: `Duplicate task id "${task.id}": ${tasks.filter((t) => t.id === task.id).length} tasks share it`,
      });
    }
    seen.add(task.id);
  }
  for (const task of tasks) {
    for (const dep of task.dependencies) {
      if (!seen.has(dep)) {
        problems.push({
          kind: 'unknown_dependency',
          taskIds: [task.id, dep],
          message: `Task "${task.id}" depends on "${dep}", which is not in the plan`,
        });
      }
    }
  }
  for (const cycle of findCycles(tasks)) {
    problems.push({
      kind: 'cycle',
      taskIds: cycle,
      message: `Dependency cycle: ${[...cycle, cycle[0]].join(' → ')} (each task waits for the one before it)`,
    });
  }
  for (const task of tasks) {
    if (task.description.trim() === '') {
      problems.push({
        kind: 'no_description',
        taskIds: [task.id],
        message: `Task "${task.id}" (${task.title}) has no description: an agent cannot start from a title alone`,
      });
    }
  }
  return problems;
}

/** The dependency graph: an edge from each dependency to the task that needs it. Unknown ids are left out. */
export function dependencyGraph(tasks: readonly PlanTask[]): Graph {
  const graph = new Graph();
  for (const task of tasks) graph.setNode(task.id);
  for (const task of tasks) {
    for (const dep of task.dependencies) if (graph.hasNode(dep)) graph.setEdge(dep, task.id);
  }
  return graph;
}

/**
 * Each cycle as the tasks in dependency order (`a` before `b` when `b`
 * depends on `a`), starting from its smallest id so the message is stable.
 * A task depending on itself is a cycle of one.
 */
export function findCycles(tasks: readonly PlanTask[]): string[][] {
  const graph = dependencyGraph(tasks);
  const cycles: string[][] = [];
  for (const task of tasks) {
    if (task.dependencies.includes(task.id)) cycles.push([task.id]);
  }
  for (const members of alg.findCycles(graph)) {
    if (members.length < 2) continue;
    cycles.push(orderCycle(graph, new Set(members)));
  }
  return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** Walks the cycle's edges from its smallest member, so the list reads the way the work would flow. */
function orderCycle(graph: Graph, members: Set<string>): string[] {
  const start = [...members].sort()[0] ?? '';
  const order = [start];
  const visited = new Set(order);
  let current = start;
  for (;;) {
    const next = (graph.successors(current) ?? [])
      .filter((n) => members.has(n) && !visited.has(n))
      .sort()[0];
    if (next === undefined) break;
    order.push(next);
    visited.add(next);
    current = next;
  }
  // A strongly connected component with chords may not be walked whole greedily; list the rest so none is hidden.
  for (const member of [...members].sort()) if (!visited.has(member)) order.push(member);
  return order;
}

/** Task ids in an order where every dependency comes first; throws on a cycle (validate first). */
export function topologicalOrder(tasks: readonly PlanTask[]): string[] {
  return alg.topsort(dependencyGraph(tasks));
}
