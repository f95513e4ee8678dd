// Roles when the people file does not give them (no Role column, or a blank
// cell): read from who manages whom, the one thing every HR or CRM user list
// has.
//
// - Anyone named as someone else's manager is a manager (of the team(s) their
//   reports are in).
// - Whoever manages managers, or has no team and no manager, is leadership.
// - Everyone else is a rep.
//
// Managing yourself is no management (HR exports often list the CEO as their
// own manager). People who manage each other in a cycle (A → B → A) are a data
// mistake, not a hierarchy: managing someone in your own cycle does not make
// you leadership, and the cycle is reported.
import type { PersonRole } from './types.js';

export interface RoleInput {
  id: string;
  /** Roles the file gave on any of the person's rows (empty when it gave none). */
  explicitRoles: readonly PersonRole[];
  /** The person's latest row has a team. */
  hasTeam: boolean;
  /** Managers named on the latest row, as person ids (self excluded). */
  currentManagers: readonly string[];
  /** Managers named on any row, as person ids (self excluded). */
  allManagers: readonly string[];
}

export interface RoleInference {
  /** The inferred role of every person, whether or not the file gave one. */
  roles: Map<string, PersonRole>;
  /** Groups of people who manage each other in a cycle, each sorted by id. */
  cycles: string[][];
}

export function inferRoles(people: readonly RoleInput[]): RoleInference {
  const reportsOf = new Map<string, string[]>();
  for (const person of people) {
    for (const manager of new Set(person.allManagers)) {
      if (manager === person.id) continue;
      const reports = reportsOf.get(manager);
      if (reports) reports.push(person.id);
      else reportsOf.set(manager, [person.id]);
    }
  }
  const component = stronglyConnectedComponents(people, reportsOf);
  const isManager = new Set<string>(reportsOf.keys());
  for (const person of people) {
    if (person.explicitRoles.some((role) => role !== 'rep')) isManager.add(person.id);
  }

  const roles = new Map<string, PersonRole>();
  for (const person of people) {
    const managesManagers = (reportsOf.get(person.id) ?? []).some(
      (report) => isManager.has(report) && component.get(report) !== component.get(person.id),
    );
    const atTheTop = !person.hasTeam && person.currentManagers.every((manager) => manager === person.id);
    roles.set(person.id, managesManagers || atTheTop ? 'leader' : reportsOf.has(person.id) ? 'manager' : 'rep');
  }

  const members = new Map<number, string[]>();
  for (const [id, index] of component) {
    const list = members.get(index);
    if (list) list.push(id);
    else members.set(index, [id]);
  }
  const cycles = [...members.values()].filter((ids) => ids.length > 1).map((ids) => ids.sort());
  cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  return { roles, cycles };
}

/** Tarjan's algorithm, iterative (a deep chain of managers must not overflow the stack): person id → component number. */
function stronglyConnectedComponents(people: readonly RoleInput[], reportsOf: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;

  for (const root of people) {
    if (index.has(root.id)) continue;
    const work: { id: string; next: number }[] = [{ id: root.id, next: 0 }];
    index.set(root.id, counter);
    lowLink.set(root.id, counter);
    counter += 1;
    stack.push(root.id);
    onStack.add(root.id);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = reportsOf.get(frame.id) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          lowLink.set(to, counter);
          counter += 1;
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.id, Math.min(lowLink.get(parent.id)!, lowLink.get(frame.id)!));
      if (lowLink.get(frame.id) === index.get(frame.id)) {
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, components);
        } while (member !== frame.id);
        components += 1;
      }
    }
  }
  return component;
}
